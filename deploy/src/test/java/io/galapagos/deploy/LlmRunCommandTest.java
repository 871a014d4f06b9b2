package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.generation.FakeOpenAiServer;
import io.galapagos.controller.generation.FakeOpenAiServer.Recorded;
import io.galapagos.controller.generation.FakeOpenAiServer.Reply;
import io.galapagos.controller.island.Island;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code galapagos run --llm openai} end to end against a fake OpenAI-compatible server on loopback:
 * real prompts, real diffs, the sandbox, the H2 journal and the output files.
 */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
class LlmRunCommandTest {

    /** Set by the build (surefire) in the test JVM's environment, as a user's key would be. */
    private static final String KEY_ENV = "GALAPAGOS_TEST_API_KEY";
    private static final Pattern RETURN = Pattern.compile("return (-?[0-9.Ee+-]+);");
    /** Prices of the fake model: $2 per million prompt tokens, $8 per million completion tokens. */
    private static final double COST_PER_ANSWER = (1200 * 2.0 + 300 * 8.0) / 1_000_000;

    private static String key;
    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @BeforeAll
    static void keyIsInTheEnvironment() {
        key = System.getenv(KEY_ENV);
        assertThat(key).as("the build sets " + KEY_ENV + " for the tests").isNotBlank();
    }

    @AfterEach
    void stop() {
        server.close();
    }


    /** A valid answer: moves the parent's number 7 closer to the target of the noop task. */
    private static Reply improve(Recorded request, String idea) {
        Matcher m = RETURN.matcher(request.currentProgram());
        assertThat(m.find()).as("the prompt carries the parent's code").isTrue();
        double next = Double.parseDouble(m.group(1)) + 7;
        return FakeOpenAiServer.answer(idea + "\n\n<<<<<<< SEARCH\n        " + m.group() + "\n=======\n        return "
                + next + ";\n>>>>>>> REPLACE\n");
    }

    private Path config(Path dir, String extra) throws IOException {
        Path config = dir.resolve("llm.conf");
        Files.writeString(config, String.join("\n",
                "galapagos.worker.slots = 1",
                "galapagos.islands.in-flight = 1",
                "galapagos.run.test-best = off",
                "galapagos.generation {",
                "  llm = openai",
                "  api-base = \"" + server.baseUrl() + "\"",
                "  api-key-env = " + KEY_ENV,
                "  models = [{ name = fake-coder, input-usd-per-million = 2.0, output-usd-per-million = 8.0,",
                "              max-tokens = 1000, request-timeout = 2s }]",
                "  retry { max-attempts = 3, initial-backoff = 10ms, max-backoff = 50ms, max-retry-after = 1s }",
                "}",
                extra, ""));
        return config;
    }

    @Test
    void aRunEvolvesThroughModelAnswersRecordsEveryFailureAndAccountsEveryToken(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicLong promptTokens = new AtomicLong();
        AtomicLong completionTokens = new AtomicLong();
        List<Function<Recorded, Reply>> plan = List.of(
                r -> FakeOpenAiServer.rateLimited("0"),
                r -> improve(r, "Raise the constant. MARKER-QUAGGA uses " + key + " here."),
                r -> FakeOpenAiServer.answer("Tweak.\n<<<<<<< SEARCH\n        return 12345.0;\n=======\n        return 2.0;\n>>>>>>> REPLACE\n"),
                r -> FakeOpenAiServer.answer("The program is already optimal; I would not change it."),
                r -> FakeOpenAiServer.malformedJson(),
                r -> FakeOpenAiServer.truncated("Raise it.\n<<<<<<< SEARCH\n        return"),
                r -> FakeOpenAiServer.status(500, "{\"error\":{\"message\":\"overloaded\"}}"),
                r -> improve(r, "Raise it again."),
                r -> FakeOpenAiServer.held(FakeOpenAiServer.answer("too late")),
                r -> improve(r, "Raise it after a slow answer."),
                r -> FakeOpenAiServer.answer("A rewrite.\n```java\n" + r.currentProgram().replaceAll("return [^;]+;", "return 50.0;")
                        + "\n```\n"));
        server.respondWith(r -> {
            int n = calls.getAndIncrement();
            Reply reply = n < plan.size() ? plan.get(n).apply(r) : improve(r, "Keep raising.");
            if (reply instanceof FakeOpenAiServer.Answer a && a.withUsage()) {
                answered.incrementAndGet();
                promptTokens.addAndGet(a.promptTokens());
                completionTokens.addAndGet(a.completionTokens());
            }
            return reply;
        });
        Path out = dir.resolve("out");

        Outcome run = galapagos("run", "--task", "noop", "--iterations", "10", "--islands", "1",
                "--seed", "5", "--out", out.toString(), "--config", config(dir, "").toString());
        server.release();

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        assertThat(history).hasSize(1 + 10);
        assertThat(history.subList(2, history.size())).allMatch(line -> line.contains("fake-coder"));
        JsonNode best = new ObjectMapper().readTree(out.resolve("best/info.json").toFile());
        assertThat(best.get("score").asDouble()).isGreaterThan(-98.0 + 7 * 3 - 1e-9);

        String failed = Files.readString(out.resolve("failed-proposals.csv"));
        assertThat(failed).contains("12345.0").contains("no SEARCH/REPLACE", "malformed JSON", "was cut at its limit");
        assertThat(failed.lines().filter(l -> l.contains(",answer,"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(failed.lines().filter(l -> l.contains(",call,"))).hasSizeGreaterThanOrEqualTo(1);

        JsonNode spending = new ObjectMapper().readTree(out.resolve("spending.json").toFile());
        assertThat(spending.get("calls").asLong()).isEqualTo(answered.get());
        assertThat(spending.get("promptTokens").asLong()).isEqualTo(promptTokens.get());
        assertThat(spending.get("completionTokens").asLong()).isEqualTo(completionTokens.get());
        assertThat(spending.get("costUsd").asDouble())
                .isCloseTo((promptTokens.get() * 2.0 + completionTokens.get() * 8.0) / 1_000_000, within(1e-9));
        assertThat(run.out()).contains(String.format(Locale.ROOT, "fake-coder: %d calls", answered.get()));

        // retried calls reached the server more often than the model answered
        assertThat(server.requestCount()).isGreaterThan(answered.get());
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.authorization()).contains("Bearer " + key));
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.prompt()).doesNotContain(key));
        assertThat(server.modelListings()).isEqualTo(1);

        // the key is in no output, no journal page and no console line; what was said next to it is
        byte[] marker = "MARKER-QUAGGA".getBytes(StandardCharsets.UTF_8);
        byte[] secret = key.getBytes(StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        List<Path> journal = new ArrayList<>(files.stream().filter(p -> p.startsWith(out.resolve("journal"))).toList());
        assertThat(journal).isNotEmpty();
        boolean markerInJournal = false;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            assertThat(indexOf(bytes, secret)).as("the key in " + file).isEqualTo(-1);
            markerInJournal |= journal.contains(file) && indexOf(bytes, marker) >= 0;
        }
        assertThat(markerInJournal).as("the answer that held the key is in the journal, redacted").isTrue();
        assertThat(run.out() + run.err()).doesNotContain(key);
    }

    /** An answer that moves the parent's number by {@code step}: towards the noop task's target or away from it. */
    private static Reply move(Recorded request, double step) {
        Matcher m = RETURN.matcher(request.currentProgram());
        assertThat(m.find()).as("the prompt carries the parent's code").isTrue();
        double next = Double.parseDouble(m.group(1)) + step;
        return FakeOpenAiServer.answer("Move it.\n\n<<<<<<< SEARCH\n        " + m.group() + "\n=======\n        return "
                + next + ";\n>>>>>>> REPLACE\n");
    }

    /** Calls per model of a 30-proposal run with {@code model-choice}: {@code good} improves the program, {@code weak} does not. */
    private java.util.Map<String, Long> callsPerModel(Path dir, String modelChoice) throws IOException {
        FakeOpenAiServer fake = FakeOpenAiServer.start();
        try {
            fake.respondWith(r -> r.body().path("model").asText().equals("good") ? move(r, 2) : move(r, -3));
            Path config = dir.resolve(modelChoice + ".conf");
            Files.writeString(config, String.join("\n",
                    "galapagos.worker.slots = 1",
                    "galapagos.islands.in-flight = 1",
                    "galapagos.run.test-best = off",
                    "galapagos.generation {",
                    "  llm = openai",
                    "  api-base = \"" + fake.baseUrl() + "\"",
                    "  api-key-env = " + KEY_ENV,
                    "  model-choice = " + modelChoice,
                    "  models = [{ name = weak, weight = 1, input-usd-per-million = 2.0, output-usd-per-million = 8.0 },",
                    "            { name = good, weight = 1, input-usd-per-million = 2.0, output-usd-per-million = 8.0 }]",
                    "}", ""));
            Path out = dir.resolve(modelChoice);
            Outcome run = galapagos("run", "--task", "noop", "--iterations", "30", "--islands", "1", "--seed", "3",
                    "--out", out.toString(), "--config", config.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            java.util.Map<String, Long> calls = new java.util.TreeMap<>();
            for (Recorded r : fake.requests()) {
                calls.merge(r.body().path("model").asText(), 1L, Long::sum);
            }
            assertThat(run.out()).contains("good: " + calls.get("good") + " calls", "model choice: " + modelChoice);
            JsonNode spending = new ObjectMapper().readTree(out.resolve("spending.json").toFile());
            assertThat(spending.get("modelChoice").asText()).isEqualTo(modelChoice);
            assertThat(spending.path("earned").path("good").path("improved").asLong()).isPositive();
            assertThat(spending.path("earned").path("weak").path("improved").asLong()).isZero();
            return calls;
        } finally {
            fake.close();
        }
    }

    @Test
    void withModelChoiceBanditTheModelWhoseAnswersImproveTheProgramGetsClearlyMoreCallsThanWithEqualWeights(
            @TempDir Path dir) throws Exception {
        java.util.Map<String, Long> weights = callsPerModel(dir, "weights");
        java.util.Map<String, Long> bandit = callsPerModel(dir, "bandit");

        assertThat(bandit.get("weak")).as("each model is tried").isPositive();
        assertThat(bandit.get("good")).as(bandit.toString()).isGreaterThan(2 * bandit.get("weak"));
        double banditShare = bandit.get("good") / (double) (bandit.get("good") + bandit.get("weak"));
        double weightsShare = weights.get("good") / (double) (weights.get("good") + weights.get("weak"));
        assertThat(banditShare).as("bandit " + bandit + ", weights " + weights).isGreaterThan(weightsShare + 0.2);
    }

    @Test
    void theBudgetStopsTheRunBeforeItOverspends(@TempDir Path dir) throws Exception {
        AtomicInteger answered = new AtomicInteger();
        server.respondWith(r -> {
            answered.incrementAndGet();
            return improve(r, "Raise the constant.");
        });
        Path out = dir.resolve("out");
        double budget = 0.03;

        Outcome run = galapagos("run", "--task", "noop", "--iterations", "40", "--islands", "1",
                "--out", out.toString(), "--config", config(dir, "").toString(), "--budget-usd", String.valueOf(budget));

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode spending = new ObjectMapper().readTree(out.resolve("spending.json").toFile());
        assertThat(spending.get("costUsd").asDouble()).isLessThanOrEqualTo(budget)
                .isCloseTo(COST_PER_ANSWER * answered.get(), within(1e-9));
        assertThat(spending.get("budgetUsd").asDouble()).isEqualTo(budget);
        assertThat(answered.get()).isGreaterThan(1);
        // every answer was paid for; one that repeats an evaluated program is not evaluated again
        long repeats = Files.readAllLines(out.resolve("failed-proposals.csv")).stream()
                .filter(line -> line.contains(Island.DUPLICATE)).count();
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(1 + 1 + answered.get() - (int) repeats);
        Outcome status = galapagos("status", "--out", out.toString(), "--json");
        assertThat(new ObjectMapper().readTree(status.out()).get("state").asText()).contains("USD budget");
    }

    @Test
    void aMissingKeyAnUnreachableEndpointOrARefusedKeyStopsTheRunBeforeItStarts(@TempDir Path dir) throws Exception {
        Path config = config(dir, "");
        Outcome noKey = galapagos("run", "--task", "noop", "--out", dir.resolve("a").toString(),
                "--config", config.toString(), "--api-key-env", "GALAPAGOS_NO_SUCH_KEY");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err().strip()).contains("GALAPAGOS_NO_SUCH_KEY is not set").doesNotContain("\n");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Outcome unreachable = galapagos("run", "--task", "noop", "--out", dir.resolve("b").toString(),
                "--config", config.toString(), "--api-base", "http://127.0.0.1:" + closedPort + "/v1");
        assertThat(unreachable.exitCode()).isEqualTo(2);
        assertThat(unreachable.err().strip()).contains("cannot reach http://127.0.0.1:" + closedPort).doesNotContain("\n");

        server.modelsStatus(401);
        Outcome refused = galapagos("run", "--task", "noop", "--out", dir.resolve("c").toString(),
                "--config", config.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).contains("refused the key in " + KEY_ENV).doesNotContain(key);

        assertThat(server.requestCount()).as("no model was called").isZero();
        for (String run : List.of("a", "b", "c")) {
            assertThat(dir.resolve(run).resolve("journal")).doesNotExist();
        }
    }

    @Test
    void badGenerationFlagsAreOneLineAndExitCodeTwo(@TempDir Path dir) {
        List<List<String>> bad = List.of(
                List.of("--diff", "--full-rewrite"),
                List.of("--llm", "magic"),
                List.of("--model", "fast:0"),
                List.of("--model", "a:1", "--model", "b"),
                List.of("--model", "unknown-local-model", "--api-key-env", "none", "--budget-usd", "5"),
                List.of("--llm", "openai"),
                List.of("--model", "gpt-4o-mini", "--api-base", "ftp://example.org"),
                List.of("--model", "gpt-4o-mini", "--api-key-env", "sk-not-a-variable-name"),
                List.of("--budget-usd", "-1"));
        for (List<String> flags : bad) {
            List<String> args = new ArrayList<>(List.of("run", "--task", "noop", "--out", dir.resolve("x").toString()));
            args.addAll(flags);
            Outcome outcome = galapagos(args.toArray(String[]::new));
            assertThat(outcome.exitCode()).as(String.join(" ", flags) + ": " + outcome.err()).isEqualTo(2);
            assertThat(outcome.err().strip().lines().count()).as(outcome.err()).isLessThanOrEqualTo(3);
            assertThat(outcome.err()).doesNotContain("sk-not-a-variable-name");
        }
        assertThat(dir.resolve("x")).doesNotExist();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
