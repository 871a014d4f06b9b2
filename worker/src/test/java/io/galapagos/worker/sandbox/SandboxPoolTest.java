package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.testtask.ProbeTask;
import io.galapagos.worker.sandbox.testtask.TickerTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hostile and ordinary candidates against one pool with one slot, short deadlines and a small heap. */
// integration lane: sandbox child JVMs
@Tag("integration")
class SandboxPoolTest {

    private static final Duration DEADLINE = Duration.ofSeconds(6);
    private static final int OUTPUT_CAP = 4096;

    private static SandboxPool pool;

    @BeforeAll
    static void startPool() {
        pool = SandboxPool.start(SandboxSettings.defaults().withSlots(1).withHeapMegabytes(128)
                .withEvaluationTimeout(DEADLINE).withOutputCapBytes(OUTPUT_CAP).withMaxEvaluationsPerChild(50)
                // every split gets the whole deadline here; calibrated deadlines have a test of their own
                .withDeadlines(new SandboxSettings.Deadlines(false, 1, DEADLINE, Duration.ofSeconds(30)))
                // children restart after every hostile test: trade peak speed for a faster start
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1")));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static SandboxOutcome evaluate(String taskId, String source, boolean details, Split... cascade) {
        return pool.evaluate(new SandboxRequest("test", taskId, source, Optional.empty(),
                        List.of(cascade), DataSource.synthetic(), details))
                .toCompletableFuture().orTimeout(120, TimeUnit.SECONDS).join();
    }

    private static SandboxOutcome ticker(String source) {
        return evaluate(TickerTask.ID, source, false, Split.SMOKE, Split.TRAIN);
    }

    /** A Ticker named {@code name} whose class body is {@code body}. */
    private static String tickerClass(String name, String body) {
        return "import io.galapagos.worker.sandbox.testtask.Ticker;\n\npublic class " + name + " implements Ticker {\n"
                + body + "\n}\n";
    }

    private static String stepReturning(String name, String statements) {
        return tickerClass(name, "    public Integer step(int tick) {\n" + statements + "\n    }");
    }

    /**
     * Every hostile test ends here: the pool still evaluates a good candidate. How long the hostile one took
     * is not asserted (a busy machine stretches it); its status and feedback say which deadline ended it.
     */
    private static void assertPoolStillServes() {
        SandboxOutcome next = ticker(TickerTask.INITIAL);
        assertThat(next.status()).as(next.feedback()).isEqualTo(EvaluationStatus.OK);
    }

    private static void assertRejected(SandboxOutcome outcome, String rule, int line) {
        assertThat(outcome.status()).isEqualTo(EvaluationStatus.REJECTED);
        assertThat(outcome.feedback()).contains("line " + line).contains("rule " + rule);
        assertThat(outcome.score()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertPoolStillServes();
    }

    @Test
    void goodCandidateIsScoredOnTheLastSplitWithItsRuns() {
        SandboxOutcome outcome = evaluate(TickerTask.ID, TickerTask.INITIAL, true, Split.SMOKE, Split.TRAIN);

        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(outcome.split()).isEqualTo(Split.TRAIN);
        assertThat(outcome.score()).isNegative().isGreaterThan(-10);
        assertThat(outcome.metrics()).containsEntry("runs", 3.0).containsKey("meanMiss");
        assertThat(outcome.runs()).hasSize(3).allSatisfy(run -> assertThat(run).containsEntry("ticks", 20));
        assertThat(outcome.isolation()).isEqualTo(pool.isolation());
    }

    @Test
    void sameCandidateScoresTheSameInTheSandboxAsInProcess() {
        double inProcess = new TickerTask().evaluator(DataSource.synthetic())
                .evaluate(() -> tick -> 5, Split.TRAIN).score();

        assertThat(ticker(TickerTask.INITIAL).score()).isEqualTo(inProcess);
    }

    @Test
    void outcomeSaysWhereTheSandboxTimeWent() {
        SandboxOutcome outcome = ticker(stepReturning("Timed", "        return tick % 7;"));

        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.OK);
        SandboxPhases phases = outcome.phases();
        // a new source is checked, compiled and run; every phase was timed where it happened
        assertThat(phases.staticCheck()).isPositive();
        assertThat(phases.compile()).isPositive();
        assertThat(phases.bytecode()).isPositive();
        assertThat(phases.simulation()).isPositive();
        assertThat(phases.queue()).isNotNegative();
        assertThat(phases.roundTrip()).isNotNegative();
    }

    @Test
    void aRejectedSourceIsTimedOnlyByTheStaticCheck() {
        SandboxOutcome outcome = ticker(stepReturning("Exits", "        System.exit(1);\n        return 1;"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.REJECTED);
        assertThat(outcome.phases().staticCheck()).isPositive();
        assertThat(outcome.phases().compile()).isZero();
        assertThat(outcome.phases().simulation()).isZero();
    }

    @Test
    void runsAreLeftOutWithoutDetails() {
        assertThat(ticker(TickerTask.INITIAL).runs()).isEmpty();
    }

    @Test
    void candidateFailingTheSmokeSplitIsNotRunOnTrain() {
        SandboxOutcome outcome = ticker(stepReturning("Early", "        return tick == 2 ? null : 1;"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.split()).isEqualTo(Split.SMOKE);
        assertThat(outcome.feedback()).contains("smoke split failed").contains("run 0, tick 2")
                .contains("returned null");
        assertPoolStillServes();
    }

    @Test
    void candidatePassingSmokeButFailingTrainReportsTrain() {
        SandboxOutcome outcome = ticker(stepReturning("Late", "        return tick < 10 ? 1 : 42;"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.split()).isEqualTo(Split.TRAIN);
        assertThat(outcome.feedback()).contains("run 0, tick 10").contains("returned 42, an illegal amount");
        assertPoolStillServes();
    }

    @Test
    void infiniteLoopInTheConstructorTimesOutAndSaysWhere() {
        SandboxOutcome outcome = ticker(tickerClass("Spin", """
                    private long spins;
                    public Spin() {
                        while (true) {
                            spins++;
                        }
                    }
                    public Integer step(int tick) {
                        return 1;
                    }
                """));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.TIMEOUT);
        assertThat(outcome.feedback()).contains("deadline of 6 s").contains("split smoke")
                .contains("Spin.<init>(Spin.java:");
        assertPoolStillServes();
    }

    @Test
    void busyLoopInsideStepTimesOut() {
        SandboxOutcome outcome = ticker(stepReturning("Busy", """
                        long x = 1;
                        while (x > 0) {
                            x = (x * 31 + tick) % 1_000_003 + 1;
                        }
                        return 1;
                """));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.TIMEOUT);
        assertThat(outcome.feedback()).contains("Busy.step(Busy.java:");
        assertPoolStillServes();
    }

    @Test
    void allocatingUntilOutOfMemoryIsMemoryExceeded() {
        SandboxOutcome outcome = ticker(tickerClass("Hoard", """
                    private final java.util.List<long[]> hoard = new java.util.ArrayList<>();
                    public Integer step(int tick) {
                        while (true) {
                            hoard.add(new long[1 << 20]);
                        }
                    }
                """));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.MEMORY_EXCEEDED);
        assertThat(outcome.feedback()).contains("heap (128 MB)").contains("split smoke");
        assertPoolStillServes();
    }

    @Test
    void deepRecursionIsARuntimeErrorNamingTheMethod() {
        SandboxOutcome outcome = ticker(tickerClass("Deep", """
                    private int depth(int n) {
                        return depth(n + 1) + 1;
                    }
                    public Integer step(int tick) {
                        return depth(0);
                    }
                """));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.feedback()).contains("StackOverflowError").contains("recursion")
                .contains("Deep.depth(Deep.java:5)");
        assertPoolStillServes();
    }

    @Test
    void systemExitIsRejected() {
        assertRejected(ticker(stepReturning("Quit", "        System.exit(0);\n        return 1;")), "exit", 5);
    }

    @Test
    void systemExitThroughReflectionIsRejected() {
        SandboxOutcome outcome = ticker(stepReturning("Sneaky", """
                        try {
                            System.class.getMethod("exit", int.class).invoke(null, 0);
                        } catch (Exception e) {
                            return 0;
                        }
                        return 1;
                """));

        assertRejected(outcome, "reflection", 6);
    }

    @Test
    void systemExitThroughAFullyQualifiedNameIsRejected() {
        assertRejected(ticker(stepReturning("Qualified", "        java.lang.System.exit(3);\n        return 1;")),
                "exit", 5);
    }

    @Test
    void readingAnEnvironmentVariableIsRejected() {
        SandboxOutcome outcome = ticker(stepReturning("Spy",
                "        return System.getenv(\"GALAPAGOS_SANDBOX_TEST_SECRET\") == null ? 0 : 1;"));

        assertRejected(outcome, "environment", 5);
    }

    @Test
    void childEnvironmentHoldsNoneOfTheParentsVariables() {
        assertThat(System.getenv("GALAPAGOS_SANDBOX_TEST_SECRET")).as("set for this JVM by the build")
                .isEqualTo("parent-only-secret");

        Map<String, Object> seen = probe(9);

        assertThat(seen.get("environment")).asList().containsExactlyInAnyOrder("HOME", "LANG", "MALLOC_ARENA_MAX", "PATH",
                "PWD", "TMPDIR");
    }

    @Test
    void childRunsInAPrivateTemporaryDirectory() {
        Map<String, Object> seen = probe(9);

        assertThat(pool.isolation()).startsWith("bwrap");
        assertThat(seen.get("tmpdir")).isEqualTo("/tmp");
        assertThat(seen.get("workingDirectory")).isEqualTo("/tmp");
    }

    @Test
    void jailedChildCannotReachTheParentsLoopback() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket fromParent = new Socket()) {
            fromParent.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);

            Map<String, Object> seen = probe(server.getLocalPort());

            assertThat((String) seen.get("network")).startsWith("failed");
        }
    }

    @Test
    void theChildSeesTheRequestsDataDirectoryReadOnlyAndNothingElse(@TempDir Path first, @TempDir Path second)
            throws IOException {
        Files.writeString(first.resolve("first.json"), "{}");
        Files.writeString(second.resolve("second.json"), "{}");

        Map<String, Object> one = probe(9, DataSource.directory(first));
        Map<String, Object> two = probe(9, DataSource.directory(second));
        Map<String, Object> again = probe(9, DataSource.directory(second));

        assertThat(one.get("data")).isEqualTo("first.json");
        assertThat(one.get("dataWrite")).isEqualTo("failed");
        assertThat(two.get("data")).isEqualTo("second.json");
        assertThat(two.get("jvm")).as("a child that binds the new directory").isNotEqualTo(one.get("jvm"));
        assertThat(again.get("jvm")).as("which then serves that directory").isEqualTo(two.get("jvm"));
        assertThat(first.resolve("escaped")).doesNotExist();
    }

    @Test
    void writingAFileIsRejected() {
        SandboxOutcome outcome = ticker(stepReturning("Writer", """
                        try {
                            java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/galapagos-owned"), "x");
                        } catch (java.io.IOException e) {
                            return 0;
                        }
                        return 1;
                """));

        assertRejected(outcome, "files", 6);
    }

    @Test
    void openingASocketIsRejected() {
        SandboxOutcome outcome = ticker(stepReturning("Caller", """
                        try (java.net.Socket s = new java.net.Socket("127.0.0.1", 80)) {
                            return 1;
                        } catch (java.io.IOException e) {
                            return 0;
                        }
                """));

        assertRejected(outcome, "network", 5);
    }

    @Test
    void startingAThreadIsRejected() {
        SandboxOutcome outcome = ticker(stepReturning("Forker", """
                        new Thread(() -> { while (true) { } }).start();
                        return 1;
                """));

        assertRejected(outcome, "threads", 5);
    }

    @Test
    void printingAHundredMegabytesKeepsOnlyTheCapAndThePoolHealthy() {
        SandboxOutcome outcome = evaluate(TickerTask.ID, tickerClass("Loud", """
                    private static final String MEGABYTE = "x".repeat(1 << 20);
                    public Integer step(int tick) {
                        if (tick == 0) {
                            for (int i = 0; i < 100; i++) {
                                System.out.print(MEGABYTE);
                            }
                        }
                        return 1;
                    }
                """), false, Split.SMOKE);

        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(outcome.feedback()).contains("printed 104857600 bytes (only the first " + OUTPUT_CAP + " were kept)");
        assertThat(outcome.feedback().length()).isLessThan(OUTPUT_CAP + 1000);
        assertPoolStillServes();
    }

    @Test
    void returningNullIsARuntimeErrorWithRunAndTick() {
        SandboxOutcome outcome = ticker(stepReturning("Nothing", "        return null;"));

        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.feedback()).contains("run 0, tick 0: step returned null");
        assertPoolStillServes();
    }

    @Test
    void returningAnIllegalValueIsARuntimeError() {
        SandboxOutcome outcome = ticker(stepReturning("Greedy", "        return -7;"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.feedback()).contains("step returned -7, an illegal amount");
        assertPoolStillServes();
    }

    @Test
    void exceptionNamesTheCandidateLine() {
        SandboxOutcome outcome = ticker(stepReturning("Divider", "        return tick == 3 ? 10 / (tick - 3) : 1;"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.feedback()).contains("tick 3").contains("ArithmeticException")
                .contains("Divider.step(Divider.java:5)");
        assertPoolStillServes();
    }

    @Test
    void brokenConstraintIsAConstraintViolation() {
        SandboxOutcome outcome = ticker(stepReturning("Spender", "        return 10;"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(outcome.feedback()).contains("over the budget");
        assertPoolStillServes();
    }

    @Test
    void classNotImplementingTheInterfaceIsRejected() {
        SandboxOutcome outcome = ticker("public class Loose {\n    public Integer step(int tick) {\n        return 1;\n    }\n}\n");

        assertRejected(outcome, "interface", 1);
    }

    @Test
    void syntaxErrorIsACompileErrorWithTheLine() {
        SandboxOutcome outcome = ticker(stepReturning("Typo", "        return 1"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.COMPILE_ERROR);
        assertThat(outcome.feedback()).contains("does not compile").contains("line 5").contains("';' expected");
        assertThat(outcome.split()).isEqualTo(Split.SMOKE);
        assertPoolStillServes();
    }

    @Test
    void typeErrorIsACompileErrorWithTheCode() {
        SandboxOutcome outcome = ticker(stepReturning("Unknown", "        return undefined + 1;"));

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.COMPILE_ERROR);
        assertThat(outcome.feedback()).contains("line 5").contains("cannot find symbol")
                .contains("return undefined + 1;");
        assertPoolStillServes();
    }

    @Test
    void editOutsideTheEvolveBlockIsRejected() {
        String child = TickerTask.INITIAL.replace("public class Steady implements Ticker {",
                "public class Steady implements Ticker { private int sneaky;");
        SandboxOutcome outcome = pool.evaluate(new SandboxRequest("child", TickerTask.ID, child,
                Optional.of(TickerTask.INITIAL), List.of(Split.SMOKE), DataSource.synthetic(), false))
                .toCompletableFuture().join();

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.REJECTED);
        assertThat(outcome.feedback()).contains("line 3").contains("rule evolve-block");
    }

    @Test
    void killedChildIsASandboxCrashAndTheSlotRecovers() {
        String busy = stepReturning("Victim", """
                        long x = 1;
                        while (x > 0) {
                            x = (x * 17 + tick) % 999_983 + 1;
                        }
                        return 1;
                """);
        probe(9);
        ProcessHandle child = hostChild();
        Duration cpuBefore = child.info().totalCpuDuration().orElse(Duration.ZERO);
        CompletableFuture<SandboxOutcome> running = pool.evaluate(new SandboxRequest("victim", TickerTask.ID, busy,
                Optional.empty(), List.of(Split.SMOKE), DataSource.synthetic(), false)).toCompletableFuture();
        // the candidate is spinning once the child has burnt a second of CPU on it
        await().atMost(Duration.ofSeconds(5)).until(() ->
                child.info().totalCpuDuration().orElse(Duration.ZERO).minus(cpuBefore).toMillis() > 1000);
        child.destroyForcibly();

        SandboxOutcome outcome = running.orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(outcome.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
        assertThat(outcome.feedback()).contains("The sandbox JVM died").contains("split smoke");
        assertPoolStillServes();
    }

    @Test
    void evaluateReturnsAtOnceAndQueuedRequestsAllComplete() {
        List<CompletableFuture<SandboxOutcome>> queued = List.of(1, 2, 3).stream()
                .map(i -> pool.evaluate(new SandboxRequest("q" + i, TickerTask.ID, TickerTask.INITIAL, Optional.empty(),
                        List.of(Split.SMOKE), DataSource.synthetic(), false)).toCompletableFuture())
                .toList();

        assertThat(queued.get(2)).isNotDone();
        assertThat(queued).allSatisfy(f -> assertThat(f.orTimeout(60, TimeUnit.SECONDS).join().status())
                .isEqualTo(EvaluationStatus.OK));
    }

    @Test
    void okEvaluationsShareAChildAndAFailureReplacesIt() {
        Object first = probe(9).get("jvm");
        assertThat(probe(9).get("jvm")).isEqualTo(first);

        ticker(stepReturning("Nothing", "        return null;"));

        assertThat(probe(9).get("jvm")).isNotEqualTo(first);
    }

    @Test
    void unknownTaskFailsTheStage() {
        CompletableFuture<SandboxOutcome> stage = pool.evaluate(new SandboxRequest("x", "no-such-task", "", Optional.empty(),
                List.of(Split.SMOKE), DataSource.synthetic(), false)).toCompletableFuture();

        assertThat(stage).isCompletedExceptionally();
        assertThat(stage.handle((o, e) -> e.getMessage()).join()).contains("unknown task 'no-such-task'").contains("ticker");
    }

    @Test
    void missingWorkloadsAreReportedAsASandboxFailure() {
        SandboxOutcome outcome = pool.evaluate(new SandboxRequest("x", TickerTask.ID, TickerTask.INITIAL, Optional.empty(),
                List.of(Split.SMOKE), DataSource.directory(Path.of("/nonexistent-galapagos-data")), false))
                .toCompletableFuture().join();

        assertThat(outcome.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
        assertThat(outcome.feedback()).contains("workloads of task ticker could not be loaded").contains("no 'ticker' folder");
    }

    private static Map<String, Object> probe(int port) {
        return probe(port, DataSource.synthetic());
    }

    private static Map<String, Object> probe(int port, DataSource data) {
        SandboxOutcome outcome = pool.evaluate(new SandboxRequest("test", ProbeTask.ID, ProbeTask.candidateReturning(port),
                        Optional.empty(), List.of(Split.SMOKE), data, true))
                .toCompletableFuture().orTimeout(120, TimeUnit.SECONDS).join();
        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.OK);
        return outcome.runs().get(0);
    }

    /** The slot's child JVM as the host sees it (its own pid, inside the jail's PID namespace, is 2). */
    private static ProcessHandle hostChild() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(SandboxChild.class.getName()))
                .toList();
        assertThat(children).as("the one slot's child JVM").hasSize(1);
        return children.get(0);
    }
}
