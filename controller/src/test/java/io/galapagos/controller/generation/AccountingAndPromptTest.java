package io.galapagos.controller.generation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AccountingAndPromptTest {

    private static final URI LOCAL = URI.create("http://127.0.0.1:8000/v1");
    private static final TaskBrief BRIEF = new TaskBrief("cant-be-late", "Finish before the deadline, cheaply.",
            "public interface SpotStrategy {}", "java");

    @Test
    void reservationsCountAgainstTheBudgetUntilSettledOnce() {
        CostTracker costs = CostTracker.withBudget(1.0);
        CostTracker.Reservation a = costs.tryReserve("m", 0.6).orElseThrow();

        assertThat(costs.tryReserve("m", 0.5)).isEmpty();
        costs.settle(a, new Usage(10, 5, 0.2));
        costs.settle(a, new Usage(10, 5, 0.2));

        assertThat(costs.totals().spentUsd()).isCloseTo(0.2, within(1e-12));
        assertThat(costs.totals().calls()).isEqualTo(1);
        assertThat(costs.tryReserve("m", 0.5)).isPresent();
        assertThat(costs.exhausted(0.9)).isTrue();
    }

    @Test
    void replayedSpendingCountsAfterARestart() {
        CostTracker costs = CostTracker.withBudget(5.0);
        costs.record("gpt-4o", new Usage(1000, 100, 4.5));

        assertThat(costs.tryReserve("gpt-4o", 0.6)).isEmpty();
        assertThat(costs.totals().perModel().get("gpt-4o")).isEqualTo(new CostTracker.ModelTotals(1, 1000, 100, 4.5));
    }

    @Test
    void concurrentReservationsNeverOvercommitTheBudget() {
        CostTracker costs = CostTracker.withBudget(10.0);
        List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            attempts.add(CompletableFuture.supplyAsync(() -> costs.tryReserve("m", 0.1).isPresent()));
        }

        long granted = attempts.stream().filter(CompletableFuture::join).count();

        assertThat(granted).isEqualTo(100);
        assertThat(costs.totals().inFlightUsd()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void shippedPricesCoverCommonModelsAndProviderPrefixesAndDatedNames() {
        assertThat(ModelCatalog.shipped().lookup("gpt-4o").orElseThrow().inputUsdPerMillion()).isEqualTo(2.5);
        assertThat(ModelCatalog.shipped().lookup("openai/gpt-4o-mini").orElseThrow().name()).isEqualTo("gpt-4o-mini");
        assertThat(ModelCatalog.shipped().lookup("gpt-4o-mini-2024-07-18").orElseThrow().name()).isEqualTo("gpt-4o-mini");
        assertThat(ModelCatalog.shipped().lookup("gemini-2.5-pro").orElseThrow().reasoning()).isTrue();
        assertThat(ModelCatalog.shipped().lookup("qwen2.5-coder:7b")).isEmpty();
        ModelSettings local = ModelSettings.of("qwen2.5-coder:7b", LOCAL, Optional.empty());
        assertThat(local.priced()).isFalse();
        assertThat(ModelSettings.of("gpt-4o", LOCAL, Optional.of("OPENAI_API_KEY")).usage(1_000_000, 1_000_000).costUsd())
                .isCloseTo(12.5, within(1e-9));
    }

    @Test
    void ensembleSplitsByWeightDeterministicallyPerSeed() {
        List<Double> weights = ModelEnsemble.defaultWeights(2);
        ModelEnsemble ensemble = new ModelEnsemble(List.of(
                ModelSettings.of("gemini-2.5-flash", LOCAL, Optional.empty()).withWeight(weights.get(0)),
                ModelSettings.of("gemini-2.5-pro", LOCAL, Optional.empty()).withWeight(weights.get(1))));

        long fast = IntStream.range(0, 10_000).filter(seed -> ensemble.pick(new SplittableRandom(seed), m -> true)
                .orElseThrow().name().equals("gemini-2.5-flash")).count();

        assertThat(weights).containsExactly(0.8, 0.2);
        assertThat(fast).isBetween(7_800L, 8_200L);
        assertThat(ensemble.pick(new SplittableRandom(3), m -> true)).isEqualTo(ensemble.pick(new SplittableRandom(3), m -> true));
        assertThat(ensemble.pick(new SplittableRandom(3), m -> m.name().equals("gemini-2.5-pro")).orElseThrow().name())
                .isEqualTo("gemini-2.5-pro");
        assertThat(ensemble.pick(new SplittableRandom(3), m -> false)).isEmpty();
    }

    @Test
    void backoffGrowsExponentiallyWithinItsJitterAndCap() {
        RetryPolicy retry = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(8), 0.25, Duration.ofMinutes(1));
        SplittableRandom random = new SplittableRandom(1);

        assertThat(retry.backoff(1, random)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
        assertThat(retry.backoff(3, random)).isBetween(Duration.ofMillis(3000), Duration.ofMillis(5000));
        assertThat(retry.backoff(6, random)).isBetween(Duration.ofMillis(6000), Duration.ofMillis(10000));
    }

    @Test
    void failedProbeDoublesTheCooldown() {
        MutableClock clock = new MutableClock();
        EndpointCircuit circuit = new EndpointCircuit("m", new EndpointCircuit.Settings(1, Duration.ofSeconds(30),
                Duration.ofSeconds(50)), clock);
        circuit.failed("down");
        assertThat(circuit.tryEnter()).isFalse();

        clock.advance(Duration.ofSeconds(30));
        assertThat(circuit.tryEnter()).isTrue();
        assertThat(circuit.tryEnter()).isFalse();
        circuit.failed("still down");

        assertThat(circuit.state().openUntil()).contains(clock.instant().plusSeconds(50));
        assertThat(circuit.state().lastFailure()).isEqualTo("still down");
    }

    @Test
    void redactorRemovesConfiguredKeysAndKeyShapedText() {
        SecretRedactor redactor = new SecretRedactor(List.of("local-secret-123"));

        assertThat(redactor.redact("key local-secret-123, sk-proj-abcdefghijklmnopqrstuvwx, AIzaSyA1234567890abcdefghijklmnopqrstu,"
                + " api_key = \"zz9999zz9999\", Authorization: Bearer abcdefghijklmnopqrstu"))
                .isEqualTo("key [REDACTED], [REDACTED], [REDACTED], api_key = \"[REDACTED]\", Authorization: Bearer [REDACTED]");
        assertThat(redactor.redact("int token = 3; double secretive = 0.5;")).isEqualTo("int token = 3; double secretive = 0.5;");
    }

    private static ProposalRequest request(int failures, String feedback) {
        List<FailedAttempt> recent = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            recent.add(new FailedAttempt("c-" + i, "reason " + i));
        }
        Program parent = new Program("c-9", Fixtures.greedy(), -106.746, Map.of("avg_cost", 96.515), feedback);
        return new ProposalRequest("cant-be-late", "r/0", 1, 1, parent,
                List.of(new Program("c-u", Fixtures.uniformProgress(), -100, Map.of(), "")),
                List.of(parent, new Program("c-3", "class Top {}", -90, Map.of(), "")), recent);
    }

    @Test
    void promptHoldsEverySectionAndEveryFailureTheIslandKept() {
        Prompt prompt = new PromptBuilder(BRIEF, PromptSettings.defaults(), SecretRedactor.shapesOnly())
                .build(request(4, "Worst scenarios: k80 dl=52"));

        assertThat(prompt.system()).contains("Only the code between the EVOLVE-BLOCK-START and EVOLVE-BLOCK-END");
        assertThat(prompt.user()).contains("# Task\n\nFinish before the deadline, cheaply.", "# Candidate API",
                "# Current program (score -106.746)", "- avg_cost: 96.515", "Evaluator feedback:\nWorst scenarios: k80 dl=52",
                "# Best programs found so far\n\n## c-3 (score -90)", "# Other programs for inspiration", "## c-u (score -100)",
                "- c-0: reason 0", "- c-3: reason 3", "<<<<<<< SEARCH")
                .doesNotContain("reason 4", "## c-9", "{{");
    }

    @Test
    void sectionsCanBeSwitchedOffAndSized() {
        PromptSettings lean = new PromptSettings(AnswerFormat.FULL_REWRITE, false, false, 40_000, false, 40, 0, 0);

        Prompt prompt = new PromptBuilder(BRIEF, lean, SecretRedactor.shapesOnly()).build(request(3, "x".repeat(500)));

        assertThat(prompt.user()).doesNotContain("# Task", "# Candidate API", "avg_cost", "# Best programs", "# Other programs",
                "# Recent attempts", "<<<<<<< SEARCH")
                .contains("more characters cut]", "one ```java fenced block");
        assertThat(prompt.user()).doesNotContain("x".repeat(41));
    }

    @Test
    void parentLongerThanThePromptAllowsIsRefused() {
        PromptSettings tiny = new PromptSettings(AnswerFormat.DIFF, true, true, 100, true, 100, 100, 100);

        assertThatThrownBy(() -> new PromptBuilder(BRIEF, tiny, SecretRedactor.shapesOnly()).build(request(0, "")))
                .hasMessageStartingWith("the parent has ").hasMessageEndingWith("more than the prompt allows (100)");
    }

    @Test
    void unknownTemplatePlaceholderIsAnError() {
        assertThatThrownBy(() -> PromptBuilder.render("program.txt", Map.of("id", "x")))
                .hasMessage("prompt template program.txt uses {{score}} but no value was given");
    }

    @Test
    void proposalsSurviveACborRoundTripWithTheirType() throws Exception {
        ObjectMapper cbor = CBORMapper.builder().addModule(new Jdk8Module()).build();
        List<Proposal> proposals = List.of(new Proposal.Code("class A {}", "gpt-4o", "scaled", new Usage(1, 2, 0.5)),
                new Proposal.Failed("no block", "offline", Usage.NONE));
        for (Proposal p : proposals) {
            assertThat(cbor.readValue(cbor.writeValueAsBytes(p), Proposal.class)).isEqualTo(p);
        }
        ProposalRequest request = request(2, "fb");
        assertThat(cbor.readValue(cbor.writeValueAsBytes(request), ProposalRequest.class)).isEqualTo(request);
    }
}
