package io.galapagos.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {

    @Test
    void terminalControlSequencesBecomeVisibleEscapes() {
        String hostile = "score 1.0\u001b[2J\u001b]0;owned\u0007\rcleared\u0000\u009b31m";

        String safe = Printable.escape(hostile);

        assertThat(safe).isEqualTo("score 1.0\\u001b[2J\\u001b]0;owned\\u0007\\u000dcleared\\u0000\\u009b31m");
        assertThat(safe.chars()).allMatch(c -> c >= 0x20 && c != 0x7f);
    }

    @Test
    void bidiOverridesThatReorderWhatAReaderSeesAreEscaped() {
        assertThat(Printable.escape("ok \u202eevil\u2066")).isEqualTo("ok \\u202eevil\\u2066");
    }

    @Test
    void newlinesTabsAndOrdinaryUnicodeStayAsTheyAre() {
        String text = "line 1\n\tline 2: cost $94.68, Δ 0.5 µs, 中文";

        assertThat(Printable.escape(text)).isSameAs(text);
    }

    @Test
    void nullIsEmpty() {
        assertThat(Printable.escape(null)).isEmpty();
    }
}
