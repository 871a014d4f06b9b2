package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.generation.FakeOpenAiServer;
import io.galapagos.controller.generation.FakeOpenAiServer.Recorded;
import io.galapagos.controller.generation.FakeOpenAiServer.Reply;
import io.galapagos.controller.generation.LlmCallLog;
import io.galapagos.controller.generation.SecretRedactor;
import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** A model run against a fake OpenAI-compatible server leaves every prompt and answer in llm-log.jsonl, redacted. */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LlmCallLogRunTest {

    private static final String KEY_ENV = "GALAPAGOS_TEST_API_KEY";
    private static final Pattern RETURN = Pattern.compile("return (-?[0-9.Ee+-]+);");

    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyPromptAndAnswerIsLoggedAsTheCallsCompleteWithTheKeyRedacted(@TempDir Path dir) throws Exception {
        String key = System.getenv(KEY_ENV);
        assertThat(key).as("the build sets " + KEY_ENV).isNotBlank();
        AtomicInteger calls = new AtomicInteger();
        List<String> answers = new ArrayList<>();
        server.respondWith(r -> {
            int n = calls.getAndIncrement();
            if (n == 1) {
                return FakeOpenAiServer.rateLimited("0"); // retried: still one call of the generator
            }
            String answer = (n == 2 ? "Raise it; my key is " + key + " MARKER-ZEBRA." : "Raise it.")
                    + "\n\n<<<<<<< SEARCH\n        " + returned(r).group() + "\n=======\n        return "
                    + (Double.parseDouble(returned(r).group(1)) + 1) + ";\n>>>>>>> REPLACE\n";
            synchronized (answers) {
                answers.add(answer);
            }
            return FakeOpenAiServer.answer(answer);
        });
        Path config = dir.resolve("llm.conf");
        Files.writeString(config, String.join("\n",
                "galapagos.worker.slots = 1",
                "galapagos.islands.in-flight = 1",
                "galapagos.run.test-best = off",
                "galapagos.generation {",
                "  llm = openai",
                "  api-base = \"" + server.baseUrl() + "\"",
                "  api-key-env = " + KEY_ENV,
                "  models = [{ name = fake-coder, max-tokens = 1000, request-timeout = 5s }]",
                "  retry { max-attempts = 3, initial-backoff = 10ms, max-backoff = 50ms, max-retry-after = 1s }",
                "}", ""));
        Path out = dir.resolve("out");

        Outcome run = galapagos("run", "--task", "noop", "--iterations", "6", "--islands", "1", "--seed", "2",
                "--out", out.toString(), "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path log = out.resolve(LlmCallLog.FILE);
        String text = Files.readString(log);
        assertThat(text).doesNotContain(key).contains("MARKER-ZEBRA").contains(SecretRedactor.REDACTED);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).hasSize(answers.size());
        List<Recorded> answered = new ArrayList<>(server.requests());
        answered.remove(1); // the rate-limited attempt, retried
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            assertThat(line.get("model").asText()).isEqualTo("fake-coder");
            assertThat(line.get("answer").asText()).isEqualTo(answers.get(i).replace(key, SecretRedactor.REDACTED));
            assertThat(line.get("island").asText()).isEqualTo("run/0");
            assertThat(line.get("error").isNull()).isTrue();
            assertThat(line.get("completionTokens").asLong()).isPositive();
            assertThat(line.get("latencyMs").asLong()).isNotNegative();
            StringBuilder prompt = new StringBuilder();
            line.get("messages").forEach(m -> prompt.append(m.get("content").asText()).append('\n'));
            assertThat(prompt.toString()).isEqualTo(answered.get(i).prompt());
        }
        assertThat(lines.get(1).get("attempts").asInt()).as("the rate-limited call").isEqualTo(2);
    }

    private static Matcher returned(Recorded request) {
        Matcher m = RETURN.matcher(request.currentProgram());
        assertThat(m.find()).as("the prompt carries the parent's code").isTrue();
        return m;
    }
}
