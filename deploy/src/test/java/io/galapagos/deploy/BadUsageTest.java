package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** Every bad usage is one line on stderr naming the problem, and exit code 2: never a stack trace. */
@Timeout(120)
class BadUsageTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertOneLine(Outcome outcome, String command, String... parts) {
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip().lines()).as(outcome.err()).singleElement().asString()
                .startsWith("galapagos " + command + ": ").contains(parts);
        assertThat(outcome.err()).doesNotContain("\tat ");
    }

    @Test
    void runWithAConfigFileWithASyntaxErrorNamesTheFileAndLine() throws Exception {
        Path bad = file("syntax.conf", "galapagos { islands = \n");
        assertOneLine(galapagos("run", "--task", "noop", "--config", bad.toString(), "--out", dir.resolve("o").toString()),
                "run", bad.toString() + ": 2:");
    }

    @Test
    void runWithAWrongTypeForAKnownKeyNamesTheKey() throws Exception {
        Path bad = file("type.conf", "galapagos.worker.slots = \"many\"\n");
        assertOneLine(galapagos("run", "--task", "noop", "--config", bad.toString(), "--out", dir.resolve("o").toString()),
                "run", "galapagos.worker.slots", "STRING rather than NUMBER");
    }

    @Test
    void runWithAMisspeltKeyNamesItWhereItIsAndTheKeyMeantAndStartsNothing() throws Exception {
        Path bad = file("typo.conf", "galapagos.run.data-seed = 3\ngalapagos {\n  islands { migraton-interval = 5 }\n}\n");
        Path out = dir.resolve("o");
        assertOneLine(galapagos("run", "--task", "noop", "--config", bad.toString(), "--out", out.toString()),
                "run", "unknown setting galapagos.islands.migraton-interval", bad + ": 3",
                "did you mean galapagos.islands.migration-interval?");
        assertThat(out.resolve("journal")).doesNotExist();
    }

    @Test
    void runWithARemovedTwinKeyNamesTheKeyThatReplacedItAndStartsNothing() throws Exception {
        Path old = file("twin.conf", "galapagos.islands.count = 1\ngalapagos.generation.prompt { inspirations = 4 }\n");
        Path out = dir.resolve("o");
        assertOneLine(galapagos("run", "--task", "noop", "--config", old.toString(), "--out", out.toString()),
                "run", "galapagos.generation.prompt.inspirations was replaced by galapagos.islands.inspirations", old + ": 2");
        assertThat(out.resolve("journal")).doesNotExist();
    }

    @Test
    void runWhoseJobTimeoutIsShorterThanTheSandboxDeadlineNamesTheSettings() throws Exception {
        Path bad = file("deadlines.conf", "galapagos.dispatcher.job-timeout = 2m\ngalapagos.sandbox.evaluation-timeout = 3m\n");
        assertOneLine(galapagos("run", "--task", "noop", "--config", bad.toString(), "--out", dir.resolve("o").toString()),
                "run", "galapagos.dispatcher.job-timeout (2m 00s) must be at least galapagos.sandbox.evaluation-timeout (3m 00s)"
                        + " plus galapagos.sandbox.start-timeout (1m 00s)");
    }

    @Test
    void runWithAMissingConfigFileSaysSo() {
        assertOneLine(galapagos("run", "--task", "noop", "--config", dir.resolve("none.conf").toString(),
                "--out", dir.resolve("o").toString()), "run", "does not exist");
    }

    @Test
    void runWithADataDirThatIsAFileSaysSo() throws Exception {
        Path data = file("data", "x");
        assertOneLine(galapagos("run", "--task", "noop", "--data-dir", data.toString(), "--out", dir.resolve("o").toString()),
                "run", "--data-dir " + data + " is a file, not a directory");
    }

    @Test
    void runWithZeroOrNegativeIslands() {
        assertOneLine(galapagos("run", "--task", "noop", "--islands", "0", "--out", dir.resolve("o").toString()),
                "run", "at least one island, not 0");
        assertOneLine(galapagos("run", "--task", "noop", "--islands", "-2", "--out", dir.resolve("o").toString()),
                "run", "at least one island, not -2");
    }

    @Test
    void runWithZeroNegativeOrFewerIterationsThanIslands() {
        assertOneLine(galapagos("run", "--task", "noop", "--iterations", "0", "--islands", "1", "--out",
                dir.resolve("o").toString()), "run", "iterations (0)");
        assertOneLine(galapagos("run", "--task", "noop", "--iterations", "-5", "--islands", "1", "--out",
                dir.resolve("o").toString()), "run", "iterations (-5)");
        assertOneLine(galapagos("run", "--task", "noop", "--iterations", "3", "--islands", "4", "--out",
                dir.resolve("o").toString()), "run", "at least the number of islands (4)");
    }

    @Test
    void runWithASeedOrCountThatIsNotANumber() {
        assertOneLine(galapagos("run", "--task", "noop", "--seed", "abc"), "run", "--seed", "abc");
        assertOneLine(galapagos("run", "--task", "noop", "--islands", "1.5"), "run", "--islands", "1.5");
    }

    @Test
    void runOfATaskThatDoesNotExistListsTheKnownOnes() {
        assertOneLine(galapagos("run", "--task", "no-such-task", "--out", dir.resolve("o").toString()),
                "run", "unknown task 'no-such-task'", "noop");
    }

    @Test
    void resumeWithAConfigFileNeedsACluster() throws Exception {
        Path conf = file("c.conf", "");
        assertOneLine(galapagos("resume", "--out", dir.toString(), "--config", conf.toString()), "resume", "--config needs --cluster");
    }

    @Test
    void statusAndBestOfAFolderWithoutARunOrOfAFile() throws Exception {
        Path notAFolder = file("a-file", "x");
        assertOneLine(galapagos("status", "--out", dir.resolve("nothing").toString()), "status", "holds no run");
        assertOneLine(galapagos("status", "--out", notAFolder.toString()), "status", "holds no run");
        assertOneLine(galapagos("best", "--out", dir.resolve("nothing").toString()), "best", "holds no run");
    }

    @Test
    void statusAndBestOfAnEmptyJournalSayItCannotBeRead() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty").resolve("journal")).getParent();
        assertOneLine(galapagos("status", "--out", empty.toString()), "status", "holds a journal that cannot be read");
        assertOneLine(galapagos("best", "--out", empty.toString()), "best", "holds a journal that cannot be read");
    }

    @Test
    void evaluateOfATaskThatDoesNotExist() {
        assertOneLine(galapagos("evaluate", "--task", "nope", "--baseline", "initial"), "evaluate", "unknown task 'nope'");
    }

    @Test
    void otherCommandsWithAConfigFileWithASyntaxError() throws Exception {
        Path bad = file("syntax.conf", "galapagos { islands = \n");
        assertOneLine(galapagos("node", "--config", bad.toString()), "node", "syntax.conf");
        assertOneLine(galapagos("status", "--cluster", "127.0.0.1:1", "--config", bad.toString()), "status", "syntax.conf");
        assertOneLine(galapagos("db", "init", "--config", bad.toString()), "db init", "syntax.conf");
        assertOneLine(galapagos("bench", "recovery", "--config", bad.toString()), "bench recovery", "syntax.conf");
    }

    @Test
    void recoveryBenchWithoutAWorkerIsOneLine() {
        assertOneLine(galapagos("bench", "recovery", "--workers", "0"), "bench recovery", "needs positive counts");
    }

    @Test
    void engineBreakdownWithAnUnknownTaskOrNoIterationsIsOneLineBeforeAnythingStarts() {
        assertOneLine(galapagos("bench", "engine", "--breakdown", "--task", "nope"), "bench engine", "--task",
                "unknown task 'nope'");
        assertOneLine(galapagos("bench", "engine", "--breakdown", "--iterations", "0"), "bench engine",
                "--iterations, --islands and --in-flight must be positive");
        assertOneLine(galapagos("bench", "engine", "--breakdown", "--in-flight", "0"), "bench engine",
                "must be positive");
        assertOneLine(galapagos("bench", "engine", "--generator", "model"), "bench engine",
                "--generator must be instant or offline, not 'model'");
        assertOneLine(galapagos("bench", "engine", "--warm-up-evaluations", "-1"), "bench engine",
                "--warm-up-evaluations: 0 or >= islands");
    }

    @Test
    void dashboardFlagsThatCannotBeMetAreOneLineBeforeAnythingStarts() throws Exception {
        Path out = dir.resolve("o");
        assertOneLine(galapagos("run", "--task", "noop", "--out", out.toString(), "--no-http", "--http-port", "7070"),
                "run", "--no-http turns the dashboard off");
        assertOneLine(galapagos("run", "--task", "noop", "--out", out.toString(), "--http-port", "70000"),
                "run", "--http-port 70000 is not a port (0-65535)");
        assertOneLine(galapagos("run", "--task", "noop", "--out", out.toString(), "--http-host", "no-such-host.invalid"),
                "run", "--http-host no-such-host.invalid is not an address of this machine");
        assertOneLine(galapagos("run", "--task", "noop", "--cluster", "127.0.0.1:1", "--db-url", "jdbc:h2:mem:x",
                "--http-port", "7070"), "run", "the dashboard of a cluster is served by its controllers");
        assertOneLine(galapagos("node", "--roles", "worker", "--bootstrap", "--http-port", "7070"),
                "node", "--http-port needs the controller role");
        assertThat(out.resolve("journal")).doesNotExist();
    }

    @Test
    // integration lane: runs a search with sandbox child JVMs
    @Tag("integration")
    void aDashboardPortThatIsTakenIsOneLineWhenChosenAndGivesWayWhenItIsTheDefault() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path out = dir.resolve("o");
            assertOneLine(galapagos("run", "--task", "noop", "--iterations", "2", "--islands", "1", "--out", out.toString(),
                    "--http-port", Integer.toString(taken.getLocalPort())), "run",
                    "the dashboard cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": it is in use");
            Path config = file("port.conf", "galapagos.http.port = " + taken.getLocalPort() + "\n");
            Outcome fallback = galapagos("run", "--task", "noop", "--iterations", "2", "--islands", "1",
                    "--out", dir.resolve("o2").toString(),
                    "--config", config.toString());
            assertThat(fallback.exitCode()).as(fallback.err()).isZero();
            assertThat(fallback.out()).containsPattern("dashboard: http://127\\.0\\.0\\.1:\\d+/")
                    .doesNotContain(":" + taken.getLocalPort() + "/");
        }
    }

    @Test
    void theDashboardCommandServesOnlyAFolderThatHoldsARun() {
        assertOneLine(galapagos("dashboard", "--out", dir.resolve("nothing").toString()), "dashboard", "holds no run");
    }
}
