package io.galapagos.controller.generation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskBriefTest {

    @Test
    void builtInTasksAreJava() {
        TaskBrief brief = TaskBrief.lookup("cant-be-late");

        assertThat(brief.language()).isEqualTo("java");
        assertThat(brief.sourceLanguage()).isEqualTo(SourceLanguage.JAVA);
        assertThat(OfflineMutator.forBrief(brief)).isInstanceOf(OfflineMutator.class);
    }

    @Test
    void programsInOtherLanguagesGetTheTextMutator() {
        for (String language : new String[] {"python", "c", "cpp", "rust", "go", "javascript", "zig"}) {
            assertThat(OfflineMutator.forBrief(TaskBrief.external("t", "s", "main.x", language)))
                    .as(language).isInstanceOf(TextMutator.class);
        }
    }

    @Test
    void languagesAreKnownByNameAliasOrExtension() {
        assertThat(SourceLanguage.of("Python")).isEqualTo(SourceLanguage.PYTHON);
        assertThat(SourceLanguage.of("py")).isEqualTo(SourceLanguage.PYTHON);
        assertThat(SourceLanguage.of("C++").fenceTag()).isEqualTo("cpp");
        assertThat(SourceLanguage.of("c++").displayName()).isEqualTo("C++");
        assertThat(SourceLanguage.of("rs").name()).isEqualTo("rust");
        assertThat(SourceLanguage.forFileName("solver.py")).contains(SourceLanguage.PYTHON);
        assertThat(SourceLanguage.forFileName("main.go").orElseThrow().name()).isEqualTo("go");
        assertThat(SourceLanguage.forFileName("README")).isEmpty();
        assertThat(SourceLanguage.forFileName("run.zig")).isEmpty();

        assertThat(SourceLanguage.PYTHON.lineComment()).isEqualTo("#");
        assertThat(SourceLanguage.PYTHON.booleans()).isEqualTo(new SourceLanguage.Booleans("True", "False"));
        assertThat(SourceLanguage.of("c").lineComment()).isEqualTo("//");
        assertThat(SourceLanguage.of("rust").booleans()).isEqualTo(new SourceLanguage.Booleans("true", "false"));
    }

    @Test
    void unknownLanguageFallsBackToTheNeutralLexis() {
        SourceLanguage zig = SourceLanguage.of("Zig");

        assertThat(zig.known()).isFalse();
        assertThat(zig.name()).isEqualTo("zig");
        assertThat(zig.fenceTag()).isEqualTo("zig");
        assertThat(zig.lexis()).isEqualTo(SourceLanguage.Lexis.NEUTRAL);
        assertThat(zig.lineComment()).isEmpty();
        assertThat(zig.booleans()).isEqualTo(SourceLanguage.Booleans.LOWER);
    }

    @Test
    void blankLanguageIsRefused() {
        assertThatThrownBy(() -> new TaskBrief("t", "s", "api", " "))
                .hasMessage("the language of task t is blank");
    }
}
