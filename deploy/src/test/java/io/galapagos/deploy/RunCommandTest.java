package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** The command line end to end: a real run on the embedded node with its H2 journal, then the read side. */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
class RunCommandTest {



    @Test
    void runImprovesOnTheSeedAndWritesItsResultsThenStatusAndBestReadThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path config = dir.resolve("test.conf");
        Files.writeString(config, "galapagos.worker.slots = 2\ngalapagos.islands.in-flight = 2\n");

        Outcome run = galapagos("run", "--task", "noop", "--iterations", "24", "--islands", "2", "--seed", "3",
                "--out", out.toString(), "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        assertThat(history).hasSize(1 + 24);
        JsonNode info = new ObjectMapper().readTree(out.resolve("best/info.json").toFile());
        assertThat(info.get("score").asDouble()).isGreaterThan(-98.0);
        assertThat(info.get("testScore").asDouble()).isGreaterThan(-98.0);
        assertThat(info.get("lineage").size()).isGreaterThan(1);
        assertThat(Files.readString(out.resolve("best/Constant.java"))).contains("class Constant");
        assertThat(Files.readString(out.resolve("progress.svg"))).startsWith("<svg").contains("run/0").contains("run/1");
        // the page shows the summary's comparison: the seed and the best with their TEST scores
        assertThat(Files.readString(out.resolve("report.html"))).startsWith("<!DOCTYPE html>").contains("<svg")
                .contains("<td>seed (initial program)</td>", "<td>best " + info.get("candidate").asText() + "</td>", "class Constant");
        assertThat(Files.readString(out.resolve("galapagos.conf"))).contains("slots = 2");

        Outcome status = galapagos("status", "--out", out.toString(), "--json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(status.out());
        assertThat(json.get("evaluated").asLong()).isEqualTo(24);
        assertThat(json.get("proposed").asLong()).isEqualTo(24);
        assertThat(json.get("inFlight").asLong()).isZero();
        assertThat(json.get("state").asText()).startsWith("completed");
        assertThat(json.get("islands")).hasSize(2);
        assertThat(json.get("isolation").size()).isEqualTo(1);
        assertThat(json.get("isolation").fieldNames().next()).startsWith("bwrap");
        assertThat(json.get("isolation").elements().next().asLong()).isEqualTo(24);

        Outcome best = galapagos("best", "--out", out.toString());
        assertThat(best.exitCode()).isZero();
        assertThat(best.out()).isEqualTo(Files.readString(out.resolve("best/Constant.java")));

        Outcome again = galapagos("run", "--task", "noop", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(again.err()).contains("already holds a run");
    }

    @Test
    void aRunWithoutAJailWarnsAtStartAndItsStatusSaysSo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path config = dir.resolve("unjailed.conf");
        Files.writeString(config, "galapagos.sandbox.isolation = none\ngalapagos.worker.slots = 1\n");

        Outcome run = galapagos("run", "--task", "noop", "--iterations", "4", "--islands", "1", "--out", out.toString(),
                "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Outcome status = galapagos("status", "--out", out.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("isolation of 4 evaluations: none (")
                .contains("WARNING: 4 evaluations ran without an OS jail");
    }

    @Test
    void badFlagsAndConfigurationAreOneClearLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
        Outcome unknownTask = galapagos("run", "--task", "no-such-task", "--out", dir.resolve("a").toString());
        assertThat(unknownTask.exitCode()).isEqualTo(2);
        assertThat(unknownTask.err().strip()).contains("unknown task 'no-such-task'").doesNotContain("\n");

        Outcome missingConfig = galapagos("run", "--task", "noop", "--config", dir.resolve("none.conf").toString(),
                "--out", dir.resolve("b").toString());
        assertThat(missingConfig.exitCode()).isEqualTo(2);
        assertThat(missingConfig.err()).contains("does not exist");

        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "galapagos.islands.grid-bins = 0\n");
        Outcome badConfig = galapagos("run", "--task", "noop", "--config", bad.toString(), "--out", dir.resolve("c").toString());
        assertThat(badConfig.exitCode()).isEqualTo(2);
        assertThat(badConfig.err().strip()).contains("grid-bins").doesNotContain("\n");

        Outcome tooFew = galapagos("run", "--task", "noop", "--iterations", "2", "--islands", "4", "--out",
                dir.resolve("d").toString());
        assertThat(tooFew.exitCode()).isEqualTo(2);
        assertThat(tooFew.err()).contains("at least the number of islands");

        Outcome badNumber = galapagos("run", "--task", "noop", "--iterations", "many");
        assertThat(badNumber.exitCode()).isEqualTo(2);

        Outcome noRun = galapagos("status", "--out", dir.resolve("nothing").toString());
        assertThat(noRun.exitCode()).isEqualTo(2);
        assertThat(noRun.err()).contains("holds no run");

        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Outcome outIsAFile = galapagos("run", "--task", "noop", "--iterations", "2", "--islands", "1", "--out", file.toString());
        assertThat(outIsAFile.exitCode()).isEqualTo(2);
        assertThat(outIsAFile.err().strip()).isEqualTo("galapagos run: --out " + file + " is a file, not a directory");

        Outcome outUnwritable = galapagos("run", "--task", "noop", "--iterations", "2", "--islands", "1",
                "--out", file.resolve("inside").toString());
        assertThat(outUnwritable.exitCode()).isEqualTo(2);
        assertThat(outUnwritable.err().strip()).startsWith("galapagos run: cannot write the run's folder " + file.resolve("inside"))
                .doesNotContain("\n");

        Path empty = Files.createDirectories(dir.resolve("empty").resolve("journal")).getParent();
        Outcome emptyJournal = galapagos("resume", "--out", empty.toString());
        assertThat(emptyJournal.exitCode()).isEqualTo(2);
        assertThat(emptyJournal.err().strip()).startsWith("galapagos resume: " + empty + " holds a journal that cannot be read (")
                .endsWith("it is empty or damaged; start a new run with another --out").doesNotContain("\n");
    }
}
