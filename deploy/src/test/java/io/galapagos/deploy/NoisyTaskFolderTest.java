package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task folder whose evaluator adds random noise to every score ({@code stochastic = true}): island bests
 * are evaluated three times, and the outputs show the best's mean, spread and count.
 */
// integration lane: a search on a task folder's evaluator in bwrap
@Tag("integration")
@Timeout(600)
class NoisyTaskFolderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fit {@code f(x)} to {@code 2x} on 0..9; the score is the negated squared error plus uniform noise in [-5, 5]. */
    static Path noisyFolder(Path dir, String extraConf) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("noisy"));
        Files.writeString(folder.resolve("galapagos-task.conf"), """
                id = noisy-fit
                language = python
                problem = "Make f(x) equal 2x on the integers 0..9."
                initial-program = initial.py
                evaluator { command = ["{interpreter}", "evaluator.py"], mode = warm }
                splits = [TRAIN]
                score.metric = score
                stochastic = true
                """ + extraConf);
        Files.writeString(folder.resolve("initial.py"), """
                # EVOLVE-BLOCK-START
                def f(x):
                    return 0.5 * x - 3
                # EVOLVE-BLOCK-END
                """);
        Files.writeString(folder.resolve("evaluator.py"), """
                import importlib.util, json, random, sys

                def score(path):
                    spec = importlib.util.spec_from_file_location("candidate", path)
                    module = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(module)
                    error = sum((module.f(x) - 2 * x) ** 2 for x in range(10))
                    return {"metrics": {"score": -error + random.uniform(-5, 5)}}

                for line in sys.stdin:
                    request = json.loads(line)
                    try:
                        result = score(request["candidate"])
                    except Exception as e:
                        result = {"status": "runtime_error", "reason": repr(e)}
                    result["id"] = request["id"]
                    print(json.dumps(result), flush=True)
                """);
        return folder;
    }

    private static Path config(Path dir, String extra) throws IOException {
        Path config = dir.resolve("test.conf");
        Files.writeString(config, "galapagos.worker.slots = 2\ngalapagos.sandbox.external.slots = 2\n"
                + "galapagos.worker.bundle-cache = \"" + dir.resolve("bundles") + "\"\n" + extra);
        return config;
    }

    @Test
    void islandBestsOfAStochasticFolderAreEvaluatedThriceAndTheOutputsShowMeanSpreadAndCount(@TempDir Path dir)
            throws Exception {
        Path folder = noisyFolder(dir, "repeats = 3\n");
        Path out = dir.resolve("out");

        Outcome run = galapagos("run", "--task-dir", folder.toString(), "--iterations", "24", "--islands", "1",
                "--seed", "5", "--out", out.toString(), "--config", config(dir, "").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("a stochastic task: the best's TRAIN is the mean of 3 evaluations")
                .containsPattern("and [0-9]*[02468] re-evaluations of would-be bests");

        JsonNode info = JSON.readTree(out.resolve("best/info.json").toFile());
        JsonNode samples = info.get("samples");
        assertThat(samples.get("evaluations").asInt()).isEqualTo(3);
        List<Double> scores = new ArrayList<>();
        samples.get("scores").forEach(s -> scores.add(s.asDouble()));
        assertThat(scores).hasSize(3);
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(info.get("score").asDouble()).as("the best's score is its mean").isCloseTo(mean,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(samples.get("min").asDouble()).isLessThanOrEqualTo(mean);
        assertThat(samples.get("max").asDouble()).isGreaterThanOrEqualTo(mean);
        assertThat(samples.get("standardDeviation").asDouble()).as("noise of up to 5 either way").isPositive();

        // re-evaluations are rows of their own in the history, and count against the budget of 24
        List<String> rows = Files.readAllLines(out.resolve("history.csv"));
        long reEvaluations = rows.stream().filter(r -> r.contains(",re-evaluation,")).count();
        assertThat(reEvaluations).isGreaterThanOrEqualTo(2).isEven();
        // the last would-be best's repeats are asked for once its proposal was chosen: at most 2 past the budget
        assertThat(rows.size() - 1).isBetween(24, 24 + 2);
        String best = info.get("candidate").asText();
        assertThat(rows).filteredOn(r -> r.split(",")[1].equals(best) && r.split(",")[5].equals("re-evaluation"))
                .hasSize(2);

        Outcome status = galapagos("status", "--out", out.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("± ").contains("3 evaluations)");
        Outcome json = galapagos("status", "--out", out.toString(), "--json");
        JsonNode island = JSON.readTree(json.out()).get("islands").get(0);
        assertThat(island.get("bestSamples").get("evaluations").asInt()).isEqualTo(3);
    }

    @Test
    void repeatsOfOneInTheFolderOrTheConfigIsOneLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
        Path folder = noisyFolder(dir, "repeats = 1\n");
        Outcome badFolder = galapagos("run", "--task-dir", folder.toString(), "--iterations", "4",
                "--out", dir.resolve("a").toString(), "--config", config(dir, "").toString());
        assertThat(badFolder.exitCode()).isEqualTo(2);
        assertThat(badFolder.err().strip()).doesNotContain("\n").contains("repeats").contains("from 2 to 100");

        Files.writeString(folder.resolve("galapagos-task.conf"), Files.readString(folder.resolve("galapagos-task.conf"))
                .replace("repeats = 1\n", ""));
        Outcome badConfig = galapagos("run", "--task-dir", folder.toString(), "--iterations", "4",
                "--out", dir.resolve("b").toString(), "--config",
                config(dir, "galapagos.islands.noise.repeats = 1\n").toString());
        assertThat(badConfig.exitCode()).isEqualTo(2);
        assertThat(badConfig.err().strip()).doesNotContain("\n").contains("galapagos.islands.noise.repeats");
    }
}
