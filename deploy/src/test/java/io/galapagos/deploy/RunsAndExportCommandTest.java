package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code galapagos runs} and {@code export}, on a run folder and on a database read as a cluster's. */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(180)
class RunsAndExportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path out;

    @BeforeAll
    static void aFinishedRun() {
        out = dir.resolve("out");
        Outcome run = galapagos("run", "--task", "noop", "--iterations", "12", "--islands", "2", "--out", out.toString(),
                "--no-http");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    /** The folder's journal as a cluster's database: the {@code --cluster} commands read it without joining. */
    private static String[] asCluster(String... args) {
        return asCluster(out, args);
    }

    private static String[] asCluster(Path folder, String... args) {
        String url = "jdbc:h2:file:" + folder.resolve("journal").resolve("galapagos") + ";DATABASE_TO_UPPER=false";
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--cluster";
        all[args.length + 1] = "127.0.0.1:1";
        all[args.length + 2] = "--db-url";
        all[args.length + 3] = url;
        return all;
    }

    @Test
    void runsListsTheFolderAndTheDatabaseWithStateProgressAndBest() throws Exception {
        Outcome folder = galapagos("runs", "--out", out.toString());
        Outcome json = galapagos("runs", "--out", out.toString(), "--json");
        Outcome database = galapagos(asCluster("runs", "--json"));

        assertThat(folder.exitCode()).as(folder.err()).isZero();
        assertThat(folder.out().lines()).hasSize(2);
        assertThat(folder.out().lines().skip(1).findFirst().orElseThrow())
                .matches("run\\s+noop\\s+completed\\s+12/12\\s+-?[0-9.e-]+\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\$0\\.0000");
        JsonNode run = JSON.readTree(json.out()).path("runs").get(0);
        assertThat(run.path("state").asText()).isEqualTo("completed");
        assertThat(run.path("evaluated").asInt()).isEqualTo(12);
        assertThat(run.path("completion").asText()).isEqualTo("iteration budget spent");
        JsonNode best = JSON.readTree(Files.readString(out.resolve("best/info.json")));
        assertThat(run.path("best").asDouble()).isEqualTo(best.path("score").asDouble());
        assertThat(database.exitCode()).as(database.err()).isZero();
        assertThat(JSON.readTree(database.out())).isEqualTo(JSON.readTree(json.out()));
    }

    @Test
    void exportWritesTheOutputsAndTheHistoryAsJsonLinesFromTheFolderOrTheDatabase() throws Exception {
        Path fromFolder = dir.resolve("export-folder");
        Path fromDatabase = dir.resolve("export-database");

        Outcome folder = galapagos("export", "--out", out.toString(), "--to", fromFolder.toString());
        Outcome database = galapagos(asCluster("export", "--run-id", "run", "--to", fromDatabase.toString()));

        assertThat(folder.exitCode()).as(folder.err()).isZero();
        assertThat(folder.out().strip()).isEqualTo("exported 12 candidates (" + (Files.readAllLines(
                out.resolve("failed-proposals.csv")).size() - 1) + " failed proposals) of run run to " + fromFolder);
        assertThat(database.exitCode()).as(database.err()).isZero();
        for (Path exported : new Path[]{fromFolder, fromDatabase}) {
            // the run's own log may carry a TEST score on a later line; an export has it on the candidate's
            assertThat(linesOf(exported, "candidate")).containsExactlyInAnyOrderElementsOf(linesOf(out, "candidate"));
            assertThat(linesOf(exported, "failed-proposal")).containsExactlyInAnyOrderElementsOf(linesOf(out, "failed-proposal"));
            assertThat(Files.readString(exported.resolve("best/info.json"))).isEqualTo(Files.readString(out.resolve("best/info.json")));
            assertThat(exported.resolve("report.html")).isRegularFile();
        }
        assertThat(Files.readString(fromFolder.resolve("history.csv"))).isEqualTo(Files.readString(out.resolve("history.csv")));
    }

    @Test
    void whatCannotBeListedOrExportedIsOneLine() {
        Outcome own = galapagos("export", "--out", out.toString(), "--to", out.toString());
        Outcome unknown = galapagos(asCluster("export", "--run-id", "elsewhere", "--to", dir.resolve("x").toString()));
        Outcome nothing = galapagos("runs");

        assertThat(own.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(own.err().strip()).isEqualTo("galapagos export: " + out + " holds a run: export into another folder");
        assertThat(unknown.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(unknown.err().strip()).isEqualTo("galapagos export: run not found: the cluster's database holds no run 'elsewhere'");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(nothing.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(nothing.err().strip()).isEqualTo("galapagos runs: missing --out (or --cluster with --db-url)");
    }

    @Test
    void deleteRemovesAFinishedRunFromTheDatabaseAndNothingElse() throws Exception {
        Path other = dir.resolve("other");
        Outcome run = galapagos("run", "--task", "noop", "--iterations", "4", "--islands", "1", "--out", other.toString(),
                "--no-http");
        assertThat(run.exitCode()).as(run.err()).isZero();

        Outcome deleted = galapagos(asCluster(other, "delete", "--run-id", "run"));
        Outcome listed = galapagos(asCluster(other, "runs", "--json"));
        Outcome again = galapagos(asCluster(other, "delete", "--run-id", "run"));
        Outcome folder = galapagos("delete", "--out", out.toString());

        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).matches("deleted run run: \\d+ rows \\(its events, snapshots\\)\\s*");
        assertThat(JSON.readTree(listed.out()).path("runs")).isEmpty();
        assertThat(again.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(again.err().strip()).isEqualTo("galapagos delete: run not found: the cluster's database holds no run 'run'");
        assertThat(folder.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(folder.err().strip()).startsWith("galapagos delete: a run folder is deleted as a folder (rm -r ");
        assertThat(JSON.readTree(galapagos("runs", "--out", out.toString(), "--json").out()).path("runs"))
                .as("the other run is untouched").hasSize(1);
    }

    /** The ids (island and sequence for failed proposals) of one type of line of a folder's candidates.jsonl. */
    private static java.util.List<String> linesOf(Path folder, String type) throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("candidates.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            if (node.path("type").asText().equals(type)) {
                ids.add(node.has("id") ? node.path("id").asText() : node.path("island").asText() + "/" + node.path("sequence"));
            }
        }
        return ids;
    }
}
