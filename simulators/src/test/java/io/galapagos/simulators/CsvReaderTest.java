package io.galapagos.simulators;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvReaderTest {

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() {
        String text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",\n";
        assertThat(CsvReader.parse(text, "t.csv")).containsExactly(
                List.of("a", "b", "c"),
                List.of("1", "x, y", "say \"hi\""),
                List.of("2", "two\nlines", ""));
    }

    @Test
    void unterminatedQuoteIsAWorkloadError() {
        assertThatThrownBy(() -> CsvReader.parse("a\n\"open", "bad.csv"))
                .isInstanceOf(WorkloadException.class).hasMessageContaining("bad.csv");
    }
}
