package io.galapagos.controller.generation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The language of a candidate program, as far as prompts and the text-level mutator need it: its name,
 * its code-fence tag, how its comments and strings are written, its boolean literals and how its
 * statements end.
 * An unknown language falls back to the neutral lexis: {@code #}, {@code //} and block comments, ', " and ` strings, true/false, no statement swapped.
 *
 * @param name        lower-case name as tasks give it ({@code python}, {@code cpp}, ...)
 * @param displayName how a prompt names it ({@code Python}, {@code C++})
 * @param fenceTag    the tag of a markdown code fence holding it
 * @param booleans    its two boolean literals
 */
public record SourceLanguage(String name, String displayName, String fenceTag, Lexis lexis, Booleans booleans) {

    /** The literals the mutator flips into each other. */
    public record Booleans(String whenTrue, String whenFalse) {
        public static final Booleans LOWER = new Booleans("true", "false");
        public static final Booleans PYTHON = new Booleans("True", "False");
    }

    /** How a family of languages writes comments, strings and statements. */
    public enum Lexis {
        /** {@code #} comments, ' and " strings, triple-quoted strings across lines, blocks by indentation. */
        PYTHON,
        /** {@code //} and block comments, " strings, ' character literals, statements end with ';'. */
        C,
        /** Like C, plus {@code """} text blocks across lines. */
        JAVA,
        /** Like C, but " strings may span lines and a lone ' is a lifetime, not a literal. */
        RUST,
        /** Like C, plus ` raw strings across lines; statements end at the line, so none is swapped. */
        GO,
        /** Like C, plus ' strings, ` templates across lines and /regex/ literals. */
        JAVASCRIPT,
        /** An unknown language: anything that starts a comment or a string somewhere is taken as one. */
        NEUTRAL;

        /** What starts a comment running to the end of the line. */
        List<String> lineComments() {
            return switch (this) {
                case PYTHON -> List.of("#");
                case NEUTRAL -> List.of("#", "//");
                default -> List.of("//");
            };
        }

        boolean blockComments() {
            return this != PYTHON;
        }

        /** Quote characters of strings that end on their line. */
        String quotes() {
            return switch (this) {
                case PYTHON, JAVASCRIPT, NEUTRAL -> "\"'";
                case RUST -> "";
                default -> "\"";
            };
        }

        /** Quote characters of strings that may span lines. */
        String multilineQuotes() {
            return switch (this) {
                case RUST -> "\"";
                case GO, JAVASCRIPT, NEUTRAL -> "`";
                default -> "";
            };
        }

        /** Triple-quote delimiters of strings that may span lines. */
        List<String> tripleQuotes() {
            return switch (this) {
                case PYTHON -> List.of("\"\"\"", "'''");
                case JAVA -> List.of("\"\"\"");
                default -> List.of();
            };
        }

        /** Whether ' opens a one-character literal ('a', '\n') and is plain punctuation otherwise. */
        boolean characterLiterals() {
            return this == C || this == JAVA || this == RUST || this == GO;
        }

        boolean regexLiterals() {
            return this == JAVASCRIPT;
        }

        /** How adjacent simple statements are recognised for swapping. */
        Statements statements() {
            return switch (this) {
                case PYTHON -> Statements.INDENTED;
                case C, JAVA, RUST, JAVASCRIPT -> Statements.SEMICOLON;
                case GO, NEUTRAL -> Statements.NONE;
            };
        }

        /** The quote characters that may escape with a backslash inside (Go's raw strings may not). */
        boolean escapes(String delimiter) {
            return !(this == GO && delimiter.equals("`"));
        }
    }

    /** How statements are delimited, which decides when two of them may be exchanged. */
    enum Statements {
        /** One statement per line, blocks opened by a line ending with ':'. */
        INDENTED,
        /** A statement ends with ';'. */
        SEMICOLON,
        /** Not known well enough to move statements. */
        NONE
    }

    public static final SourceLanguage JAVA = new SourceLanguage("java", "Java", "java", Lexis.JAVA, Booleans.LOWER);
    public static final SourceLanguage PYTHON = new SourceLanguage("python", "Python", "python", Lexis.PYTHON,
            Booleans.PYTHON);

    private static final List<SourceLanguage> KNOWN = List.of(
            PYTHON,
            JAVA,
            new SourceLanguage("c", "C", "c", Lexis.C, Booleans.LOWER),
            new SourceLanguage("cpp", "C++", "cpp", Lexis.C, Booleans.LOWER),
            new SourceLanguage("csharp", "C#", "csharp", Lexis.C, Booleans.LOWER),
            new SourceLanguage("rust", "Rust", "rust", Lexis.RUST, Booleans.LOWER),
            new SourceLanguage("go", "Go", "go", Lexis.GO, Booleans.LOWER),
            new SourceLanguage("javascript", "JavaScript", "javascript", Lexis.JAVASCRIPT, Booleans.LOWER),
            new SourceLanguage("typescript", "TypeScript", "typescript", Lexis.JAVASCRIPT, Booleans.LOWER),
            new SourceLanguage("kotlin", "Kotlin", "kotlin", Lexis.JAVA, Booleans.LOWER),
            new SourceLanguage("scala", "Scala", "scala", Lexis.JAVA, Booleans.LOWER),
            new SourceLanguage("swift", "Swift", "swift", Lexis.JAVA, Booleans.LOWER));

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("py", "python"), Map.entry("python3", "python"),
            Map.entry("h", "c"),
            Map.entry("c++", "cpp"), Map.entry("cc", "cpp"), Map.entry("cxx", "cpp"), Map.entry("hpp", "cpp"),
            Map.entry("c#", "csharp"), Map.entry("cs", "csharp"),
            Map.entry("rs", "rust"), Map.entry("golang", "go"),
            Map.entry("js", "javascript"), Map.entry("mjs", "javascript"), Map.entry("node", "javascript"),
            Map.entry("ts", "typescript"), Map.entry("kt", "kotlin"));

    public SourceLanguage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(fenceTag, "fenceTag");
        Objects.requireNonNull(lexis, "lexis");
        Objects.requireNonNull(booleans, "booleans");
    }

    /** The language called {@code name} (or a common alias or file extension); unknown names get the neutral lexis. */
    public static SourceLanguage of(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        String canonical = ALIASES.getOrDefault(key, key);
        return KNOWN.stream().filter(l -> l.name.equals(canonical)).findFirst()
                .orElseGet(() -> new SourceLanguage(key, name.strip(), key, Lexis.NEUTRAL, Booleans.LOWER));
    }

    /** The language of a program file by its extension ({@code solver.py} is Python), if the extension is known. */
    public static Optional<SourceLanguage> forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        SourceLanguage language = of(fileName.substring(dot + 1));
        return language.known() ? Optional.of(language) : Optional.empty();
    }

    /** Whether this language is one of the known ones rather than read with the neutral lexis. */
    public boolean known() {
        return lexis != Lexis.NEUTRAL;
    }

    public boolean isJava() {
        return name.equals("java");
    }

    /** How a comment line starts, e.g. {@code #} or {@code //}; empty for an unknown language. */
    public String lineComment() {
        return known() ? lexis.lineComments().get(0) : "";
    }
}
