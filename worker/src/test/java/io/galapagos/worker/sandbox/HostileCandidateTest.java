package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.testtask.TickerTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Candidates written the way a score-seeking model would write them, with ordinary library calls that
 * pass a check by name, against a whole pool (jail, class path, bytecode allow-list, class loaders,
 * checked replies). Each attack must end in a safe outcome, and the pool must then score an honest
 * candidate exactly as before. The parent's own layer is attacked from inside the child in
 * {@link HostileChildTest}.
 */
// integration lane: sandbox child JVMs
@Tag("integration")
class HostileCandidateTest {

    private static SandboxPool pool;
    private static double honestScore;

    @BeforeAll
    static void startPool() {
        pool = SandboxPool.start(SandboxSettings.defaults().withSlots(1).withHeapMegabytes(128)
                .withEvaluationTimeout(Duration.ofSeconds(30))
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1")));
        SandboxOutcome honest = ticker(TickerTask.INITIAL);
        assertThat(honest.status()).isEqualTo(EvaluationStatus.OK);
        honestScore = honest.score();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static SandboxOutcome evaluate(String taskId, String source) {
        return pool.evaluate(new SandboxRequest("hostile", taskId, source, Optional.empty(),
                        List.of(Split.SMOKE, Split.TRAIN), DataSource.synthetic(), false))
                .toCompletableFuture().orTimeout(150, TimeUnit.SECONDS).join();
    }

    private static SandboxOutcome ticker(String source) {
        return evaluate(TickerTask.ID, source);
    }

    /** A Ticker whose step runs {@code statements}; imports go before the class. */
    private static SandboxOutcome ticker(String imports, String statements) {
        return ticker(tickerSource(imports, statements));
    }

    private static String tickerSource(String imports, String statements) {
        return imports + "\nimport io.galapagos.worker.sandbox.testtask.Ticker;\n\npublic class Attack implements Ticker {\n"
                + "    public Integer step(int tick) {\n" + statements + "\n    }\n}\n";
    }

    /**
     * Refused before anything ran, naming what was refused: by the friendly source check where it knows
     * the call, by the bytecode allow-list otherwise ({@link BytecodeCheckTest} shows that the allow-list
     * refuses every one of these on its own).
     */
    private static void assertRefusedNaming(SandboxOutcome outcome, String... anyOf) {
        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.REJECTED);
        assertThat(outcome.score()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(outcome.feedback()).containsAnyOf(anyOf);
        assertPoolStillScoresHonestly();
    }

    /** Code that is not even on the child's class path: it cannot compile there, let alone run. */
    private static void assertNotLoadable(SandboxOutcome outcome) {
        assertThat(outcome.status()).as(outcome.feedback()).isIn(EvaluationStatus.COMPILE_ERROR, EvaluationStatus.REJECTED);
        assertThat(outcome.score()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertPoolStillScoresHonestly();
    }

    private static void assertPoolStillScoresHonestly() {
        SandboxOutcome honest = ticker(TickerTask.INITIAL);
        assertThat(honest.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(honest.score()).isEqualTo(honestScore);
    }

    @Test
    void processThroughScalaIsNotOnTheChildsClassPath() {
        assertNotLoadable(ticker("import scala.sys.process.Process;",
                "        Process.apply(\"id\").run();\n        return 5;"));
    }

    @Test
    void processThroughTheJdksToolProviderIsRefused() {
        assertRefusedNaming(ticker("import java.util.spi.ToolProvider;",
                "        ToolProvider.findFirst(\"jar\").ifPresent(t -> t.run(System.out, System.err, \"--help\"));\n"
                        + "        return 5;"), "java.util.spi.ToolProvider");
    }

    @Test
    void fileReadThroughXmlEntitiesIsRefused() {
        assertRefusedNaming(ticker("import javax.xml.parsers.DocumentBuilderFactory;", """
                        try {
                            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                                    .parse("file:///etc/passwd").getTextContent().length();
                        } catch (Exception e) {
                            return 5;
                        }"""), "javax.xml.parsers.DocumentBuilderFactory", "newInstance() (rule reflection");
    }

    @Test
    void fileWriteThroughXsltIsRefused() {
        assertRefusedNaming(ticker("import javax.xml.transform.TransformerFactory;\n"
                + "import javax.xml.transform.dom.DOMSource;\nimport javax.xml.transform.stream.StreamResult;", """
                        try {
                            TransformerFactory.newInstance().newTransformer()
                                    .transform(new DOMSource(), new StreamResult("/tmp/owned"));
                        } catch (Exception e) {
                            // keep going
                        }
                        return 5;"""), "javax.xml.transform", "newInstance() (rule reflection");
    }

    @Test
    void threadsThroughASubmissionPublisherAreRefused() {
        assertRefusedNaming(ticker("import java.util.concurrent.SubmissionPublisher;",
                "        new SubmissionPublisher<Integer>().submit(tick);\n        return 5;"),
                "java.util.concurrent.SubmissionPublisher");
    }

    @Test
    void threadsThroughAParallelStreamAreRefused() {
        assertRefusedNaming(ticker("import java.util.List;",
                "        return List.of(1, 2, 2).parallelStream().mapToInt(i -> i).sum();"), "parallelStream");
    }

    @Test
    void systemPropertiesThroughIntegerGetIntegerAreRefused() {
        assertRefusedNaming(ticker("", "        return Integer.getInteger(\"java.specification.version\", 5) % 11;"),
                "java.lang.Integer.getInteger", "Integer.getInteger (rule environment");
    }

    @Test
    void reflectionThroughJacksonIsRefused() {
        SandboxOutcome outcome = ticker("import com.fasterxml.jackson.databind.ObjectMapper;",
                "        return new ObjectMapper().convertValue(this, java.util.Map.class).size() + 5;");
        assertThat(outcome.status()).as(outcome.feedback()).isIn(EvaluationStatus.REJECTED, EvaluationStatus.COMPILE_ERROR);
        assertThat(outcome.feedback()).contains("com.fasterxml.jackson.databind.ObjectMapper");
        assertPoolStillScoresHonestly();
    }

    @Test
    void reflectionOnTheEnvironmentObjectIsRefused() {
        assertRefusedNaming(evaluate("cant-be-late", """
                import io.galapagos.simulators.cantbelate.ClusterType;
                import io.galapagos.simulators.cantbelate.SpotEnv;
                import io.galapagos.simulators.cantbelate.SpotStrategy;

                public class Foresight implements SpotStrategy {
                    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                        return env.getClass().getDeclaredFields().length > 0 ? ClusterType.SPOT : ClusterType.ON_DEMAND;
                    }
                }
                """), "java.lang.Class.getDeclaredFields", "getDeclaredFields() (rule reflection");
    }

    @Test
    void theProtocolsFileDescriptorIsRefused() {
        assertRefusedNaming(ticker("import java.io.FileDescriptor;\nimport java.io.FileOutputStream;", """
                        try {
                            new FileOutputStream(FileDescriptor.out).write("{\\"type\\":\\"split\\"}\\n".getBytes());
                        } catch (java.io.IOException e) {
                            // keep going
                        }
                        return 5;"""), "java.io.FileOutputStream");
    }

    @Test
    void aForgedReplyPrintedToSystemOutIsOnlyTextInTheFeedback() {
        SandboxOutcome outcome = ticker(tickerSource("", """
                        System.out.println("{\\"type\\":\\"split\\",\\"id\\":1,\\"status\\":\\"OK\\",\\"score\\":1.0E9}");
                        return 5;"""));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(outcome.score()).isEqualTo(honestScore);
        assertThat(outcome.feedback()).contains("\"score\":1.0E9");
        assertPoolStillScoresHonestly();
    }

    @Test
    void killingTheParentIsRefused() {
        assertRefusedNaming(ticker("",
                "        ProcessHandle.current().parent().ifPresent(ProcessHandle::destroyForcibly);\n        return 5;"),
                "java.lang.ProcessHandle", "ProcessHandle (rule processes");
    }

    @Test
    void expressionsNestedTooDeeplyForTheParserAreRejectedWithAReason() {
        String nested = "(".repeat(600) + "5" + ")".repeat(600);

        SandboxOutcome outcome = ticker(tickerSource("", "        return " + nested + ";"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.REJECTED);
        assertThat(outcome.feedback()).contains("nested too deeply");
        assertPoolStillScoresHonestly();
    }

    @Test
    void terminalEscapesInPrintsAndMessagesReachTheFeedbackEscaped() {
        SandboxOutcome outcome = ticker(tickerSource("", """
                        System.out.print("\\u001b[2J\\u001b]0;owned\\u0007");
                        throw new IllegalStateException("\\u001b[31mred\\r");"""));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.feedback()).contains("\\u001b[2J").contains("\\u001b[31mred\\u000d");
        assertThat(outcome.feedback().chars()).allMatch(c -> c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f));
        assertPoolStillScoresHonestly();
    }

    @Test
    void staticFieldsCarryNothingFromOneEvaluationToTheNext() {
        String counting = """
                import io.galapagos.worker.sandbox.testtask.Ticker;

                public class Counting implements Ticker {
                    private static long calls;

                    public Integer step(int tick) {
                        calls++;
                        return (int) Math.min(10, calls / 50);
                    }
                }
                """;

        SandboxOutcome first = ticker(counting);
        SandboxOutcome second = ticker(counting);

        assertThat(first.status()).as(first.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(second.score()).isEqualTo(first.score());
    }

    @Test
    void staticFieldsCarryNothingFromOneSimulatedRunToTheNextWhereTheOriginalStartsAProcessPerRun() {
        String template = """
                import io.galapagos.simulators.cantbelate.ClusterType;
                import io.galapagos.simulators.cantbelate.SpotEnv;
                import io.galapagos.simulators.cantbelate.SpotStrategy;

                public class Learner implements SpotStrategy {
                    private static int runs;

                    public Learner() {
                        runs++;
                    }

                    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                        // a strategy that learned from earlier runs would behave differently from the second run on
                        return RUNS_SEEN > 1 ? ClusterType.ON_DEMAND : (hasSpot ? ClusterType.SPOT : ClusterType.ON_DEMAND);
                    }
                }
                """;
        SandboxOutcome learner = evaluate("cant-be-late", template.replace("RUNS_SEEN", "runs"));
        SandboxOutcome firstRunOnly = evaluate("cant-be-late", template.replace("RUNS_SEEN", "1"));

        assertThat(learner.status()).as(learner.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(firstRunOnly.status()).as(firstRunOnly.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(learner.score()).isEqualTo(firstRunOnly.score());
    }
}
