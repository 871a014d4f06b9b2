package io.galapagos.deploy;

import io.galapagos.controller.generation.FakeOpenAiServer;
import io.galapagos.controller.generation.FakeOpenAiServer.Recorded;
import io.galapagos.controller.generation.FakeOpenAiServer.Reply;
import io.galapagos.controller.island.Island;
import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code galapagos replay}: a model run replayed from its journal, with no model call, reproduces itself. */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(300)
class ReplayCommandTest {

    private static final String KEY_ENV = "GALAPAGOS_TEST_API_KEY";
    private static final Pattern RETURN = Pattern.compile("return (-?[0-9.Ee+-]+);");

    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @AfterEach
    void stop() {
        server.close();
    }


    /** Moves the parent's number by {@code step}: +7 and then -7 again gives a repeat of an earlier program. */
    private static Reply move(Recorded request, double step) {
        Matcher m = RETURN.matcher(request.currentProgram());
        assertThat(m.find()).isTrue();
        return FakeOpenAiServer.answer("Move it.\n<<<<<<< SEARCH\n        " + m.group() + "\n=======\n        return "
                + (Double.parseDouble(m.group(1)) + step) + ";\n>>>>>>> REPLACE\n");
    }

    @Test
    void aModelRunReplaysWithoutAskingTheModelAndReproducesEveryCandidateFailureAndScore(@TempDir Path dir)
            throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.respondWith(r -> switch (calls.getAndIncrement() % 5) {
            case 1 -> move(r, -7); // back to the grandparent's program, or a new one from a seed
            case 3 -> FakeOpenAiServer.answer("The program is already optimal.");
            default -> move(r, 7);
        });
        Path config = dir.resolve("llm.conf");
        Files.writeString(config, String.join("\n",
                "galapagos.worker.slots = 1",
                "galapagos.islands.in-flight = 1",
                "galapagos.generation {",
                "  llm = openai",
                "  api-base = \"" + server.baseUrl() + "\"",
                "  api-key-env = " + KEY_ENV,
                "  models = [{ name = fake-coder, input-usd-per-million = 2.0, output-usd-per-million = 8.0,",
                "              max-tokens = 1000, request-timeout = 5s }]",
                "}", ""));
        Path out = dir.resolve("out");
        Outcome run = galapagos("run", "--task", "noop", "--iterations", "14", "--islands", "2", "--seed", "9",
                "--out", out.toString(), "--config", config.toString(), "--no-http");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String failed = Files.readString(out.resolve("failed-proposals.csv"));
        assertThat(failed).as("the recording has a refused answer and a refused repeat")
                .contains("no SEARCH/REPLACE").contains(Island.DUPLICATE);
        int callsOfTheRun = server.requestCount();

        Outcome replay = galapagos("replay", "--out", out.toString());

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).containsPattern("replay: reproduced 14 candidates and [1-9]\\d* failed proposals of "
                + Pattern.quote(out.toString()) + " exactly");
        assertThat(server.requestCount()).as("no model was asked").isEqualTo(callsOfTheRun);
        Path replayed = dir.resolve("out-replay");
        assertThat(Files.readString(replayed.resolve("best/info.json")))
                .isEqualTo(Files.readString(out.resolve("best/info.json")));

        Outcome again = galapagos("replay", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(again.err().strip()).isEqualTo("galapagos replay: " + replayed + " already holds a run: choose another --into");
    }

    @Test
    void aFolderWithoutARunIsOneLine(@TempDir Path dir) {
        Outcome replay = galapagos("replay", "--out", dir.resolve("none").toString());
        assertThat(replay.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(replay.err().strip().lines()).singleElement().asString().startsWith("galapagos replay: ")
                .contains("holds no run");
    }
}
