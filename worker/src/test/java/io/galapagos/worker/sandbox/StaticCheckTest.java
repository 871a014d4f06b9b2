package io.galapagos.worker.sandbox;

import io.galapagos.worker.sandbox.StaticCheck.Rule;
import io.galapagos.worker.sandbox.StaticCheck.Verdict;
import io.galapagos.worker.sandbox.StaticCheck.Violation;
import io.galapagos.worker.sandbox.testtask.Ticker;
import io.galapagos.worker.sandbox.testtask.TickerTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StaticCheckTest {

    private final StaticCheck check = new StaticCheck(Ticker.class, 4096);

    /** A Ticker whose step body is {@code body}, with {@code imports} on top; the body starts on line 6. */
    private static String ticker(String imports, String body) {
        return imports + "\nimport io.galapagos.worker.sandbox.testtask.Ticker;\n\npublic class Probe implements Ticker {\n"
                + "    public Integer step(int tick) {\n" + body + "\n        return 1;\n    }\n}\n";
    }

    private Verdict verdict(String source) {
        return check.check(source, Optional.empty());
    }

    @Test
    void initialProgramPasses() {
        assertThat(verdict(TickerTask.INITIAL).passed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "System.exit(1);|exit",
            "java.lang.System.exit(1);|exit",
            "Runtime.getRuntime().halt(0);|processes",
            "java.lang.Runtime.getRuntime().exec(\"ls\");|processes",
            "new ProcessBuilder(\"sh\").start();|processes",
            "ProcessHandle.current().destroy();|processes",
            "System.getenv(\"OPENAI_API_KEY\");|environment",
            "System.getProperty(\"user.home\");|environment",
            "Integer.getInteger(\"x\");|environment",
            "System.class.getMethod(\"exit\", int.class).invoke(null, 0);|reflection",
            "Class.forName(\"java.lang.System\");|reflection",
            "Object o = String.class.getDeclaredConstructor().newInstance();|reflection",
            "getClass().getClassLoader();|class-loading",
            "new Thread(() -> {}).start();|threads",
            "java.util.concurrent.Executors.newFixedThreadPool(2);|threads",
            "java.util.List.of(1, 2).parallelStream().count();|threads",
            "new java.io.FileWriter(\"/tmp/x\").close();|files",
            "java.nio.file.Files.writeString(java.nio.file.Path.of(\"/tmp/x\"), \"x\");|files",
            "new java.net.Socket(\"example.org\", 80);|network",
            "System.setOut(null);|standard-streams",
            "System.in.read();|standard-streams",
            "System.loadLibrary(\"evil\");|native",
            "sun.misc.Unsafe u = null;|unsafe",
    })
    void deniedApiIsRejectedWithItsLineAndRule(String statement, String rule) {
        Verdict verdict = verdict(ticker("", "        " + statement));

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.violations()).extracting(v -> v.rule().id()).contains(rule);
        assertThat(verdict.violations()).filteredOn(v -> v.rule().id().equals(rule))
                .extracting(Violation::line).contains(6);
        assertThat(verdict.message()).contains("line 6").contains("rule " + rule);
    }

    @Test
    void importsOfDeniedPackagesAreRejected() {
        Verdict verdict = verdict(ticker("import java.lang.reflect.Method;\nimport static java.lang.System.exit;\n", ""));

        assertThat(verdict.violations()).extracting(v -> v.rule().id()).contains("reflection", "exit");
        assertThat(verdict.violations()).extracting(Violation::line).contains(1, 2);
    }

    @Test
    void unicodeEscapesDoNotHideACall() {
        Verdict verdict = verdict(ticker("", "        System.\\u0065xit(0);"));

        assertThat(verdict.violations()).extracting(Violation::rule).contains(Rule.EXIT);
    }

    @Test
    void printingIsAllowed() {
        assertThat(verdict(ticker("", "        System.out.println(\"tick \" + tick);")).passed()).isTrue();
    }

    @Test
    void classThatDoesNotImplementTheInterfaceIsRejected() {
        Verdict verdict = verdict("public class Loose {\n    public Integer step(int tick) { return 1; }\n}\n");

        assertThat(verdict.violations()).extracting(Violation::rule).containsExactly(Rule.INTERFACE);
        assertThat(verdict.message()).contains("line 1").contains("does not implement Ticker");
    }

    @Test
    void twoPublicClassesAreRejected() {
        Verdict verdict = verdict(TickerTask.INITIAL + "\npublic class Second { }\n");

        assertThat(verdict.violations()).extracting(Violation::rule).contains(Rule.SHAPE);
    }

    @Test
    void classWithoutNoArgumentConstructorIsRejected() {
        String source = TickerTask.INITIAL.replace("// EVOLVE-BLOCK-START", "public Steady(int x) { }\n// EVOLVE-BLOCK-START");

        assertThat(verdict(source).violations()).extracting(Violation::rule).containsExactly(Rule.CONSTRUCTOR);
    }

    @Test
    void nativeMethodsAndFinalizersAreRejected() {
        String source = TickerTask.INITIAL.replace("// EVOLVE-BLOCK-END",
                "// EVOLVE-BLOCK-END\nprivate native void peek();\nprotected void finalize() { }");

        assertThat(verdict(source).violations()).extracting(Violation::rule).contains(Rule.NATIVE, Rule.THREADS);
    }

    @Test
    void oversizedSourceIsRejected() {
        String source = TickerTask.INITIAL + "//" + "x".repeat(5000) + "\n";

        assertThat(verdict(source).violations()).extracting(Violation::rule).containsExactly(Rule.SIZE);
    }

    @Test
    void syntaxErrorIsLeftToTheCompiler() {
        Verdict verdict = verdict(TickerTask.INITIAL.replace("return 5;", "return 5"));

        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.unparseable()).get().asString().contains("line 7");
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void changesInsideTheEvolveBlockAreAllowed() {
        String child = TickerTask.INITIAL.replace("return 5;", "return tick % 11;");

        assertThat(check.check(child, Optional.of(TickerTask.INITIAL)).passed()).isTrue();
    }

    @Test
    void changesOutsideTheEvolveBlockAreRejectedWithTheLine() {
        String child = TickerTask.INITIAL.replace("public class Steady", "public final class Steady");

        Verdict verdict = check.check(child, Optional.of(TickerTask.INITIAL));

        assertThat(verdict.violations()).extracting(Violation::rule).containsExactly(Rule.EVOLVE_BLOCK);
        assertThat(verdict.violations().get(0).line()).isEqualTo(3);
        assertThat(verdict.message()).contains("public final class Steady");
    }

    @Test
    void codeAddedAfterTheBlockIsRejected() {
        String child = TickerTask.INITIAL.replace("// EVOLVE-BLOCK-END\n}", "// EVOLVE-BLOCK-END\n    private int x;\n}");

        Verdict verdict = check.check(child, Optional.of(TickerTask.INITIAL));

        assertThat(verdict.violations()).extracting(Violation::rule).containsExactly(Rule.EVOLVE_BLOCK);
        assertThat(verdict.message()).contains("line 10").contains("found `private int x;`");
    }

    @Test
    void removedMarkersAreRejected() {
        String child = TickerTask.INITIAL.replace("    // EVOLVE-BLOCK-END\n", "");

        assertThat(check.check(child, Optional.of(TickerTask.INITIAL)).violations())
                .extracting(Violation::rule).containsExactly(Rule.EVOLVE_BLOCK);
    }

    @Test
    void parentWithoutMarkersLetsNothingChange() {
        String parent = TickerTask.INITIAL.replace("    // EVOLVE-BLOCK-START\n", "").replace("    // EVOLVE-BLOCK-END\n", "");
        String child = parent.replace("public class Steady", "public final class Steady");

        Verdict verdict = check.check(child, Optional.of(parent));

        assertThat(verdict.violations()).extracting(Violation::rule).containsExactly(Rule.EVOLVE_BLOCK);
        assertThat(verdict.message()).contains("the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines");
    }

    @Test
    void aSecondStartInsideTheBlockIsRejectedNotReadAsContent() {
        String child = TickerTask.INITIAL.replace("return 5;", "// EVOLVE-BLOCK-START\n        return 5;");

        Verdict verdict = check.check(child, Optional.of(TickerTask.INITIAL));

        assertThat(verdict.violations()).extracting(Violation::rule).containsExactly(Rule.EVOLVE_BLOCK);
        assertThat(verdict.message()).contains("the child opens a second EVOLVE-BLOCK-START");
    }
}
