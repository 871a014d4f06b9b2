package io.galapagos.controller.generation;

import io.galapagos.protocol.EvolveBlocks;
import io.galapagos.simulators.Resources;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TextMutatorTest {

    private static final String TASK = "folder-task";

    /** A sample program and text of it that no mutation may alter: strings, comments, code outside the block. */
    record Sample(String file, SourceLanguage language, List<String> untouchable) {
        String code() {
            return Resources.text(TextMutatorTest.class, "text/" + file);
        }

        @Override
        public String toString() {
            return language.name();
        }
    }

    static Stream<Sample> samples() {
        return Stream.of(
                new Sample("scheduler.py.txt", SourceLanguage.PYTHON, List.of(
                        "LIMIT = 40  # outside the block: never touched",
                        "    return \"threshold 0.75 and 3 retries\"  # not mutated: 0.5 < 2",
                        "    \"\"\"Pick a cluster: 'spot' if slack > 1.5 * restart, else 'on-demand' (0.25 < x).\"\"\"",
                        "    label = 'it\\'s 0.5 # not a comment'",
                        "    note = \"\"\"multi-line text 7 > 3\n    still a string: 2 + 2 == 4 # and True\n    \"\"\"",
                        "# 4 < 5",
                        "    print(choose(1.0, 10.0, 4.0, True), LIMIT > 3, describe())")),
                new Sample("scheduler.c.txt", SourceLanguage.of("c"), List.of(
                        "#define LIMIT 40 /* outside the block: never touched */",
                        "\"threshold 0.75 and 3 retries\"",
                        "/* 0.5 < 2 in a comment */",
                        "\"it's \\\"0.5\\\" // not a comment < 3\"",
                        "char sep = ';';",
                        "char quote = '\\'';",
                        "    /* a block comment\n       spanning lines: 1 + 1 == 2, true */",
                        "// 7 > 3",
                        "choose(1.0, 10.0, 4.0, true) + LIMIT")),
                new Sample("scheduler.rs.txt", SourceLanguage.of("rust"), List.of(
                        "const LIMIT: u32 = 40; // outside the block: never touched",
                        "fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {",
                        "// 0.5 < 2 in a comment",
                        "\"it's \\\"0.5\\\" // not a comment\n        and 7 > 3 still in the string\";",
                        "let sep = ';';",
                        "/* a block comment: 1 + 1 == 2, true */",
                        "pair.0",
                        "Vec<f64>",
                        "choose(1.0, 10.0, 4.0, true) + LIMIT")));
    }

    private static TextMutator mutator(SourceLanguage language, TextMutator.Settings settings) {
        return new TextMutator(TASK, language, settings, Runnable::run);
    }

    private static ProposalRequest request(String code, long seed) {
        return new ProposalRequest(TASK, "run-1/0", 7, seed, new Program("c-parent", code, 1.0, Map.of(), ""),
                List.of(), List.of(), List.of());
    }

    private static Proposal.Code code(Proposal proposal) {
        assertThat(proposal).isInstanceOf(Proposal.Code.class);
        return (Proposal.Code) proposal;
    }

    /** Every line that differs lies strictly inside an EVOLVE-BLOCK; the markers and all else stay. */
    private static void onlyInsideTheBlocks(String parent, String child, String why) {
        EvolveBlocks before = EvolveBlocks.of(parent, "the parent");
        EvolveBlocks after = EvolveBlocks.of(child, "the child");
        assertThat(after.regions()).as(why).isEqualTo(before.regions());
        assertThat(after.outside()).as(why).isEqualTo(before.outside());
        for (int i = 0; i < before.lines().size(); i++) {
            if (!before.lines().get(i).equals(after.lines().get(i))) {
                assertThat(before.regionContaining(i, i + 1)).as("%s: line %d changed", why, i + 1).isPresent();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void mutationsStayInsideTheBlockAndNeverTouchStringsOrComments(Sample sample) {
        String parent = sample.code();
        TextMutator offline = mutator(sample.language(), TextMutator.Settings.defaults());
        for (long seed = 0; seed < 200; seed++) {
            Proposal.Code child = code(offline.mutate(request(parent, seed)));
            String why = "seed " + seed + ": " + child.summary();

            assertThat(child.code()).as(why).isNotEqualTo(parent);
            assertThat(child.generator()).isEqualTo("offline");
            assertThat(child.usage()).isEqualTo(Usage.NONE);
            onlyInsideTheBlocks(parent, child.code(), why);
            assertThat(child.code()).as(why).contains(sample.untouchable())
                    .contains("EVOLVE-BLOCK-START", "EVOLVE-BLOCK-END");
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sameSeedGivesTheSameChildAndOtherSeedsExploreOthers(Sample sample) {
        String parent = sample.code();
        Set<String> children = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            Proposal first = mutator(sample.language(), TextMutator.Settings.defaults()).mutate(request(parent, seed));
            Proposal again = mutator(sample.language(), TextMutator.Settings.defaults()).mutate(request(parent, seed));

            assertThat(again).isEqualTo(first);
            children.add(code(first).code());
        }
        assertThat(children).hasSizeGreaterThan(30);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyKindOfMutationOccursOverManySeeds(Sample sample) {
        String parent = sample.code();
        for (TextMutator.Kind kind : TextMutator.Kind.values()) {
            TextMutator only = mutator(sample.language(), TextMutator.Settings.only(kind));
            String name = kind.name().toLowerCase().replace('_', ' ');
            for (long seed = 0; seed < 10; seed++) {
                Proposal.Code child = code(only.mutate(request(parent, seed)));
                assertThat(child.summary()).as("%s, seed %d", kind, seed).startsWith(name + " at line");
                onlyInsideTheBlocks(parent, child.code(), child.summary());
            }
        }
        Set<TextMutator.Kind> seen = EnumSet.noneOf(TextMutator.Kind.class);
        TextMutator offline = mutator(sample.language(), TextMutator.Settings.defaults());
        for (long seed = 0; seed < 300; seed++) {
            String summary = code(offline.mutate(request(parent, seed))).summary();
            for (TextMutator.Kind kind : TextMutator.Kind.values()) {
                if (summary.contains(kind.name().toLowerCase().replace('_', ' ') + " at line")) {
                    seen.add(kind);
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(TextMutator.Kind.values());
    }

    private static final Pattern NUMBER_CHANGE = Pattern.compile("constant (?:scaled|shifted) at line \\d+: (\\S+) -> (\\S+)");

    @ParameterizedTest
    @MethodSource("samples")
    void integersStayIntegersAndFloatsStayFloatsWithTheirSuffixes(Sample sample) {
        TextMutator numbers = mutator(sample.language(), new TextMutator.Settings(
                Map.of(TextMutator.Kind.CONSTANT_SCALED, 1.0, TextMutator.Kind.CONSTANT_SHIFTED, 1.0), 1));
        for (long seed = 0; seed < 100; seed++) {
            String summary = code(numbers.mutate(request(sample.code(), seed))).summary();
            Matcher m = NUMBER_CHANGE.matcher(summary);
            assertThat(m.matches()).as(summary).isTrue();
            String from = m.group(1);
            String to = m.group(2);
            String suffix = from.replaceAll("^[0-9.]+", "");
            assertThat(to).as(summary).endsWith(suffix).doesNotStartWith("-").doesNotStartWith("(");
            String fromBody = from.substring(0, from.length() - suffix.length());
            String toBody = to.substring(0, to.length() - suffix.length());
            if (fromBody.matches("[0-9]+")) {
                assertThat(toBody).as(summary).matches("[0-9]+");
            } else {
                assertThat(toBody).as(summary).matches("[0-9]*\\.[0-9]+|[0-9]\\.[0-9]+E-?[0-9]+");
            }
        }
    }

    @Test
    void summaryNamesTheLineAndTheChange() {
        String program = "x = 1\n# EVOLVE-BLOCK-START\nthreshold = 0.5\n# EVOLVE-BLOCK-END\n";

        Proposal.Code child = code(mutator(SourceLanguage.PYTHON, TextMutator.Settings.only(TextMutator.Kind.CONSTANT_SCALED))
                .mutate(request(program, 3)));

        assertThat(child.summary()).matches("constant scaled at line 3: 0\\.5 -> [0-9.]+");
        String value = child.summary().substring(child.summary().indexOf("-> ") + 3);
        assertThat(child.code()).isEqualTo("x = 1\n# EVOLVE-BLOCK-START\nthreshold = " + value + "\n# EVOLVE-BLOCK-END\n");
    }

    @Test
    void aMutationThatWouldUndoAnotherIsRetriedElsewhereAndNeverCounted() {
        String program = "# EVOLVE-BLOCK-START\nenabled = True\n# EVOLVE-BLOCK-END\n";
        TextMutator flip = mutator(SourceLanguage.PYTHON, new TextMutator.Settings(
                Map.of(TextMutator.Kind.BOOLEAN_FLIPPED, 1.0), 5));

        for (long seed = 0; seed < 10; seed++) {
            Proposal.Code child = code(flip.mutate(request(program, seed)));
            assertThat(child.code()).isEqualTo("# EVOLVE-BLOCK-START\nenabled = False\n# EVOLVE-BLOCK-END\n");
            assertThat(child.summary()).isEqualTo("boolean flipped at line 2: True -> False");
        }
    }

    @Test
    void everyBlockOfAProgramMayChangeButNothingBetweenThem() {
        String program = "A = 1\n# EVOLVE-BLOCK-START\nb = 2\n# EVOLVE-BLOCK-END\nC = 3\n"
                + "# EVOLVE-BLOCK-START\nd = 4\n# EVOLVE-BLOCK-END\nE = 5\n";
        TextMutator offline = mutator(SourceLanguage.PYTHON, TextMutator.Settings.defaults());
        Set<Integer> changedLines = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            String child = code(offline.mutate(request(program, seed))).code();
            onlyInsideTheBlocks(program, child, "seed " + seed);
            List<String> a = program.lines().toList();
            List<String> b = child.lines().toList();
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    changedLines.add(i + 1);
                }
            }
        }
        assertThat(changedLines).containsExactlyInAnyOrder(3, 7);
    }

    @Test
    void blockWithNothingToMutateFailsWithAReason() {
        String program = "def f():\n    # EVOLVE-BLOCK-START\n    pass  # 0.5 < 1 only in a comment\n"
                + "    s = 'x > 2'\n    # EVOLVE-BLOCK-END\n";

        Proposal proposal = mutator(SourceLanguage.PYTHON, TextMutator.Settings.defaults()).mutate(request(program, 1));

        assertThat(proposal).isEqualTo(new Proposal.Failed("no mutation applies inside the EVOLVE-BLOCK of this Python "
                + "program (strings and comments left alone): it has no site for constant_scaled, constant_shifted, "
                + "comparison_changed, arithmetic_changed, boolean_flipped, statements_swapped", "offline", Usage.NONE));
    }

    @Test
    void parentWithoutMarkersOrForAnotherTaskFails() {
        TextMutator offline = mutator(SourceLanguage.PYTHON, TextMutator.Settings.defaults());

        assertThat(offline.mutate(request("x = 1\n", 1))).isEqualTo(new Proposal.Failed(
                "the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines", "offline", Usage.NONE));
        ProposalRequest other = new ProposalRequest("eplb", "r/0", 1, 1, new Program("p", "x = 1\n", 0, Map.of(), ""),
                List.of(), List.of(), List.of());
        assertThat(((Proposal.Failed) offline.mutate(other)).reason())
                .isEqualTo("the offline mutator serves task 'folder-task', not 'eplb'");
    }

    // ---- Python mutants parse --------------------------------------------------------------------

    /** Indexes of the programs that python3's own parser rejects, with its message. */
    private static List<String> pythonSyntaxErrors(List<String> programs) throws Exception {
        String script = "import ast,sys\n"
                + "for i, s in enumerate(sys.stdin.read().split('\\0')):\n"
                + "    try:\n        ast.parse(s)\n"
                + "    except SyntaxError as e:\n        print(i, e)\n";
        Process python = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
        try {
            try (OutputStream in = python.getOutputStream()) {
                in.write(String.join("\0", programs).getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(python.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
            assertThat(python.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
            assertThat(python.exitValue()).as("python3 exit status, output: %s", out).isZero();
            return out.lines().toList();
        } finally {
            python.destroyForcibly();
        }
    }

    @Test
    // integration lane: python3 parses the mutants
    @Tag("integration")
    void pythonSyntaxCheckCatchesABrokenProgram() throws Exception {
        assertThat(pythonSyntaxErrors(List.of("x = 1\n", "if x:\ny = 2\n"))).hasSize(1).allMatch(e -> e.startsWith("1 "));
    }

    @ParameterizedTest
    @EnumSource(value = TextMutator.Kind.class, names = {"STATEMENTS_SWAPPED"}, mode = EnumSource.Mode.INCLUDE)
    // integration lane: python3 parses the mutants
    @Tag("integration")
    void pythonStatementSwapsKeepEveryLinesIndentationAndTheProgramParses(TextMutator.Kind kind) throws Exception {
        String parent = Resources.text(TextMutatorTest.class, "text/scheduler.py.txt");
        TextMutator swap = mutator(SourceLanguage.PYTHON, new TextMutator.Settings(Map.of(kind, 1.0), 3));
        List<String> mutants = new ArrayList<>();
        for (long seed = 0; seed < 200; seed++) {
            String child = code(swap.mutate(request(parent, seed))).code();
            assertThat(indentation(child)).as("seed %d", seed).isEqualTo(indentation(parent));
            mutants.add(child);
        }
        assertThat(new HashSet<>(mutants)).hasSizeGreaterThan(5);
        assertThat(pythonSyntaxErrors(mutants)).isEmpty();
    }

    @Test
    // integration lane: python3 parses the mutants
    @Tag("integration")
    void twoHundredDefaultPythonMutantsAllParse() throws Exception {
        String parent = Resources.text(TextMutatorTest.class, "text/scheduler.py.txt");
        TextMutator offline = mutator(SourceLanguage.PYTHON, new TextMutator.Settings(
                TextMutator.Settings.defaults().weights(), 3));
        List<String> mutants = new ArrayList<>();
        for (long seed = 0; seed < 200; seed++) {
            mutants.add(code(offline.mutate(request(parent, seed))).code());
        }
        assertThat(pythonSyntaxErrors(mutants)).isEmpty();
    }

    private static List<String> indentation(String code) {
        return code.lines().map(l -> l.substring(0, l.length() - l.stripLeading().length())).toList();
    }
}
