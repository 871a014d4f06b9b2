package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.generation.FakeOpenAiServer;
import io.galapagos.controller.generation.FakeOpenAiServer.Recorded;
import io.galapagos.controller.generation.FakeOpenAiServer.Reply;
import io.galapagos.controller.generation.LlmCallLog;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model run with every prompt variant against a fake OpenAI-compatible server: the model is asked to fix a
 * child that failed to compile (and sees its error), to combine two programs, and gets the summary of what
 * worked; every output names the variant of each child, and the same seed gives the same variants.
 */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class PromptVariantsRunTest {

    private static final String KEY_ENV = "GALAPAGOS_TEST_API_KEY";
    private static final Pattern RETURN = Pattern.compile("return (-?[0-9.Ee+-]+);");
    /** The name every third improvement uses without declaring it: that child fails to compile. */
    private static final String MISSING = "missingSlack";

    @Test
    void theModelIsAskedToImproveFixAndCombineAndEveryOutputNamesTheVariant(@TempDir Path dir) throws Exception {
        Run first = run(dir, "first");

        List<Recorded> fixes = first.requests.stream().filter(r -> r.prompt().contains("# Fix this program")).toList();
        assertThat(fixes).as("a fix prompt").isNotEmpty();
        assertThat(fixes).allSatisfy(r -> {
            String fix = r.prompt().substring(r.prompt().indexOf("# Fix this program"));
            assertThat(fix).as("the error of the failing child").contains("COMPILE_ERROR", MISSING)
                    .contains("## The working program it came from");
            assertThat(r.currentProgram()).as("the failed child is the program to edit").contains(MISSING);
        });
        List<Recorded> crossovers = first.requests.stream().filter(r -> r.prompt().contains("# Combine two programs"))
                .toList();
        assertThat(crossovers).as("a crossover prompt").isNotEmpty();
        assertThat(crossovers).allSatisfy(r -> {
            String combine = r.prompt().substring(r.prompt().indexOf("# Combine two programs"));
            assertThat(combine).contains("## Second program ", "```java\npublic class Constant");
            assertThat(r.currentProgram()).contains("public class Constant");
        });
        assertThat(first.requests).as("a prompt with the summary of what worked")
                .anySatisfy(r -> assertThat(r.prompt()).contains("# What worked so far on this island",
                        "evaluated children scored above their parent", "Most common failures:",
                        "- evaluation compile error: "));

        List<JsonNode> log = jsonLines(first.out.resolve(LlmCallLog.FILE));
        assertThat(log).extracting(l -> l.get("variant").asText()).contains("improve", "fix", "crossover")
                .hasSize(first.requests.size());
        List<JsonNode> candidates = jsonLines(first.out.resolve("candidates.jsonl")).stream()
                .filter(l -> l.get("type").asText().equals("candidate")).toList();
        assertThat(candidates).filteredOn(c -> c.get("generator").asText().equals("fake-coder"))
                .extracting(c -> c.get("variant").asText()).contains("improve", "fix", "crossover");
        assertThat(candidates).as("a fixed child that passed its evaluation")
                .anySatisfy(c -> {
                    assertThat(c.get("variant").asText()).isEqualTo("fix");
                    assertThat(c.get("status").asText()).isEqualTo("OK");
                });
        assertThat(candidates).filteredOn(c -> c.get("generator").asText().equals("initial"))
                .allSatisfy(c -> assertThat(c.get("variant").isNull()).isTrue());
        List<String> history = Files.readAllLines(first.out.resolve("history.csv"));
        assertThat(history.get(0)).endsWith(",variant");
        assertThat(history).anySatisfy(line -> assertThat(line).endsWith(",crossover"));
        assertThat(Files.readAllLines(first.out.resolve("failed-proposals.csv")).get(0)).contains(",variant,reason");

        JsonNode byVariant = new ObjectMapper().readTree(first.out.resolve("spending.json").toFile()).get("earnedByVariant");
        assertThat(byVariant.get("fix").get("children").asLong()).isEqualTo(candidates.stream()
                .filter(c -> c.get("variant").asText().equals("fix")).count());
        assertThat(byVariant.get("crossover").get("children").asLong()).isPositive();

        Run again = run(dir, "again");
        assertThat(jsonLines(again.out.resolve(LlmCallLog.FILE))).as("same seed, same variants")
                .extracting(l -> l.get("sequence").asLong() + ":" + l.get("variant").asText())
                .containsExactlyElementsOf(log.stream().map(l -> l.get("sequence").asLong() + ":"
                        + l.get("variant").asText()).toList());
    }

    private record Run(Path out, List<Recorded> requests) {
    }

    private static Run run(Path dir, String name) throws IOException {
        AtomicInteger improvements = new AtomicInteger();
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.respondWith(r -> answer(r, improvements));
            Path config = dir.resolve(name + ".conf");
            Files.writeString(config, String.join("\n",
                    "galapagos.worker.slots = 1",
                    "galapagos.islands.in-flight = 1",
                    "galapagos.run.test-best = off",
                    "galapagos.generation {",
                    "  llm = openai",
                    "  api-base = \"" + server.baseUrl() + "\"",
                    "  api-key-env = " + KEY_ENV,
                    "  models = [{ name = fake-coder, max-tokens = 1000, request-timeout = 5s }]",
                    "  retry { max-attempts = 2, initial-backoff = 10ms, max-backoff = 50ms, max-retry-after = 1s }",
                    "  prompt { variants { improve = 0.4, fix = 0.3, crossover = 0.3 }, summary-every = 4 }",
                    "}", ""));
            Path out = dir.resolve(name);
            Outcome run = galapagos("run", "--task", "noop", "--iterations", "24", "--islands", "1", "--seed", "5",
                    "--out", out.toString(), "--config", config.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            return new Run(out, List.copyOf(server.requests()));
        }
    }

    /**
     * A fix declares the missing name away; a crossover and most improvements raise the number; every third
     * improvement uses a name it never declares.
     */
    private static Reply answer(Recorded request, AtomicInteger improvements) {
        String program = request.currentProgram();
        if (request.prompt().contains("# Fix this program")) {
            String broken = program.lines().filter(l -> l.contains(MISSING)).findFirst().orElseThrow();
            Matcher n = Pattern.compile("return (-?[0-9.Ee+-]+) \\+ " + MISSING + ";").matcher(broken);
            assertThat(n.find()).as(broken).isTrue();
            return edit("Take the slack as one.", broken, "        return " + (Double.parseDouble(n.group(1)) + 1) + ";");
        }
        Matcher m = RETURN.matcher(program);
        if (!m.find()) {
            return FakeOpenAiServer.answer("I see nothing to change.");
        }
        double value = Double.parseDouble(m.group(1));
        if (!request.prompt().contains("# Combine two programs") && improvements.incrementAndGet() % 3 == 0) {
            return edit("Add the slack.", "        " + m.group(), "        return " + value + " + " + MISSING + ";");
        }
        return edit("Raise it.", "        " + m.group(), "        return " + (value + 3) + ";");
    }

    private static Reply edit(String idea, String search, String replace) {
        return FakeOpenAiServer.answer(idea + "\n\n<<<<<<< SEARCH\n" + search + "\n=======\n" + replace
                + "\n>>>>>>> REPLACE\n");
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(json.readTree(line));
        }
        return lines;
    }
}
