package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code galapagos replay}'s argument checks: where the recorded run is, which run, and a run that is there. */
@Timeout(60)
class ReplayUsageTest {

    @TempDir
    Path dir;

    private static void assertOneLine(Outcome outcome, int exitCode, String line) {
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(exitCode);
        assertThat(outcome.err().strip().lines()).as(outcome.err()).singleElement().asString()
                .isEqualTo("galapagos replay: " + line);
    }

    @Test
    void bothAFolderAndAClusterIsOneLineExitTwo() {
        assertOneLine(galapagos("replay", "--out", dir.toString(), "--cluster", "127.0.0.1:1", "--db-url",
                "jdbc:h2:mem:none", "--run-id", "r"), Galapagos.EXIT_USAGE,
                "--out and --cluster both say where the runs are: give one");
    }

    @Test
    void aClusterWithoutARunIdIsOneLineExitTwo() {
        assertOneLine(galapagos("replay", "--cluster", "127.0.0.1:1", "--db-url", "jdbc:h2:mem:none"),
                Galapagos.EXIT_USAGE, "--cluster needs --run-id: which run to replay");
    }

    @Test
    void neitherAFolderNorAClusterIsOneLineExitTwo() {
        assertOneLine(galapagos("replay"), Galapagos.EXIT_USAGE, "missing --out (or --cluster with --run-id)");
    }

    @Test
    void aRunIdWithoutAClusterIsOneLineExitTwo() {
        assertOneLine(galapagos("replay", "--out", dir.toString(), "--run-id", "r"), Galapagos.EXIT_USAGE,
                "--run-id, --host, --db-* and --*-timeout need --cluster (the embedded node keeps its journal under --out)");
    }

    @Test
    void aBadRunIdIsOneLineExitTwo() {
        assertOneLine(galapagos("replay", "--cluster", "127.0.0.1:1", "--db-url", "jdbc:h2:mem:none", "--run-id", "a/b"),
                Galapagos.EXIT_USAGE, "bad run id 'a/b' (letters, digits, '.', '_', '-'; at most 100)");
    }

    @Test
    void aRunTheDatabaseDoesNotHoldIsOneLineExitTwoAndLeavesNoReplayFolder() {
        String url = "jdbc:h2:file:" + dir.resolve("db").resolve("galapagos") + ";DATABASE_TO_UPPER=false";
        Outcome init = galapagos("db", "init", "--db-url", url);
        assertThat(init.exitCode()).as(init.err()).isZero();
        Path into = dir.resolve("replayed");

        assertOneLine(galapagos("replay", "--cluster", "127.0.0.1:1", "--db-url", url, "--run-id", "elsewhere",
                "--into", into.toString()), Galapagos.EXIT_USAGE,
                "run not found: the cluster's database holds no run 'elsewhere'");
        assertThat(into).doesNotExist();
    }

    @Test
    void aDatabaseThatCannotBeReadIsOneLineExitOne() {
        String url = "jdbc:h2:file:" + dir.resolve("missing").resolve("galapagos") + ";DATABASE_TO_UPPER=false";
        Outcome replay = galapagos("replay", "--cluster", "127.0.0.1:1", "--db-url", url, "--run-id", "r",
                "--into", dir.resolve("replayed").toString());
        assertThat(replay.exitCode()).as(replay.err()).isEqualTo(Galapagos.EXIT_FAILED);
        assertThat(replay.err().strip().lines()).singleElement().asString()
                .startsWith("galapagos replay: cannot read the journal: ");
    }
}
