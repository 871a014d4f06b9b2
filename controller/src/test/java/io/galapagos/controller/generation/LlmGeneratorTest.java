package io.galapagos.controller.generation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class LlmGeneratorTest {

    private static final String KEY = "sk-test-4f7a9c2e1b8d6f3a5c7e9b1d";
    private static final String TASK_STATEMENT = "Run a 48 h job on spot or on-demand instances before its deadline, as cheaply as possible.";
    private static final TaskBrief BRIEF = new TaskBrief(Fixtures.TASK, TASK_STATEMENT,
            "public interface SpotStrategy { ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot); }", "java");
    private static final RetryPolicy QUICK_RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40), 0.25,
            Duration.ofSeconds(5));
    private static final EndpointCircuit.Settings CIRCUIT = new EndpointCircuit.Settings(2, Duration.ofMinutes(1),
            Duration.ofMinutes(8));

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private final MutableClock clock = new MutableClock();
    private final String parent = Fixtures.greedy();

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelSettings model(String name) {
        return ModelSettings.of(name, server.baseUrl(), Optional.of("GALAPAGOS_TEST_KEY"))
                .withLimits(4096, Duration.ofSeconds(20), 4);
    }

    private OpenAiChatClient client(Map<String, String> environment) {
        return new OpenAiChatClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                name -> Optional.ofNullable(environment.get(name)), QUICK_RETRY, clock);
    }

    private LlmGenerator generator(List<ModelSettings> models, PromptSettings prompt, CostTracker costs) {
        return new LlmGenerator(BRIEF, new LlmSettings(models, prompt, QUICK_RETRY, CIRCUIT),
                client(Map.of("GALAPAGOS_TEST_KEY", KEY)), costs, clock);
    }

    private LlmGenerator generator(ModelSettings model) {
        return generator(List.of(model), PromptSettings.defaults(), CostTracker.unlimited());
    }

    private ProposalRequest request(long seed) {
        return new ProposalRequest(Fixtures.TASK, "run-1/0", seed, seed, Fixtures.program("c-7", parent),
                List.of(Fixtures.program("c-up", Fixtures.uniformProgress())), List.of(),
                List.of(new FailedAttempt("c-5", "COMPILE_ERROR line 12: cannot find symbol slack")));
    }

    private static Proposal propose(SolutionGenerator generator, ProposalRequest request) {
        return generator.propose(request).toCompletableFuture().join();
    }

    private static String diff(String search, String replace) {
        return "Switching to on-demand one tick later saves money.\n```\n<<<<<<< SEARCH\n" + search + "\n=======\n"
                + replace + "\n>>>>>>> REPLACE\n```\n";
    }

    private static final String VALID_DIFF = diff("        if (needOne >= left) {", "        if (needOne > left) {");

    private static Proposal.Failed failed(Proposal proposal) {
        assertThat(proposal).isInstanceOf(Proposal.Failed.class);
        return (Proposal.Failed) proposal;
    }

    @Test
    void theModelTheIslandChoseAnswersWhileItsEndpointIsUpAndTheWeightsStandInWhileItIsPaused() {
        LlmGenerator llm = generator(List.of(model("a").withWeight(0.99), model("b").withWeight(0.01)),
                PromptSettings.defaults(), CostTracker.unlimited());
        ProposalRequest plain = request(3);
        ProposalRequest forB = new ProposalRequest(plain.taskId(), plain.islandId(), plain.sequence(), plain.seed(),
                plain.parent(), plain.inspirations(), plain.topPrograms(), plain.recentFailures(), Optional.empty(), Optional.of("b"));
        server.enqueue(FakeOpenAiServer.answer(VALID_DIFF));
        assertThat(propose(llm, forB).generator()).isEqualTo("b");
        assertThat(server.requests().get(0).body().path("model").asText()).isEqualTo("b");

        for (int call = 0; call < 2; call++) { // two failed calls (each after its retries) pause b's endpoint
            server.enqueue(FakeOpenAiServer.status(500, "{}"), FakeOpenAiServer.status(500, "{}"),
                    FakeOpenAiServer.status(500, "{}"));
            assertThat(propose(llm, forB).generator()).isEqualTo("b");
        }
        server.enqueue(FakeOpenAiServer.answer(VALID_DIFF));
        assertThat(propose(llm, forB).generator()).as("b is paused: drawn by weight").isEqualTo("a");
    }

    @Test
    void validDiffBecomesTheChildWithTheTokensAndCostOfTheCall() {
        server.enqueue(FakeOpenAiServer.answer(VALID_DIFF, 1200, 300));
        CostTracker costs = CostTracker.unlimited();
        LlmGenerator llm = generator(List.of(model("gpt-4o-mini")), PromptSettings.defaults(), costs);

        Proposal proposal = propose(llm, request(1));

        assertThat(proposal).isInstanceOf(Proposal.Code.class);
        Proposal.Code code = (Proposal.Code) proposal;
        assertThat(code.code()).isEqualTo(parent.replace("needOne >= left", "needOne > left"));
        assertThat(code.generator()).isEqualTo("gpt-4o-mini");
        assertThat(code.summary()).isEqualTo("Switching to on-demand one tick later saves money. [1 SEARCH/REPLACE block]");
        assertThat(code.usage().promptTokens()).isEqualTo(1200);
        assertThat(code.usage().completionTokens()).isEqualTo(300);
        assertThat(code.usage().costUsd()).isCloseTo(1200 * 0.15e-6 + 300 * 0.60e-6, within(1e-12));
        CostTracker.Totals totals = costs.totals();
        assertThat(totals.calls()).isEqualTo(1);
        assertThat(totals.spentUsd()).isCloseTo(code.usage().costUsd(), within(1e-12));
        assertThat(totals.callsInFlight()).isZero();
        assertThat(totals.perModel()).containsOnlyKeys("gpt-4o-mini");
    }

    @Test
    void requestCarriesModelSettingsKeyHeaderAndTheWholePrompt() {
        server.enqueue(FakeOpenAiServer.answer(VALID_DIFF));

        propose(generator(model("gpt-4o-mini")), request(1));

        FakeOpenAiServer.Recorded sent = server.requests().get(0);
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.authorization()).contains("Bearer " + KEY);
        assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.body().path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.body().path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(sent.body().path("top_p").asDouble()).isEqualTo(0.95);
        assertThat(sent.prompt()).contains(TASK_STATEMENT, "public interface SpotStrategy", "if (needOne >= left) {",
                "Worst scenarios: us-west-2b_k80_1", "avg_cost: 96.5", "c-up", "t * c / d - (c - remaining) > 0",
                "c-5: COMPILE_ERROR line 12: cannot find symbol slack", "<<<<<<< SEARCH");
        assertThat(sent.prompt()).doesNotContain(KEY);
    }

    @Test
    void reasoningModelGetsMaxCompletionTokensAndNoSamplingParameters() {
        server.enqueue(FakeOpenAiServer.answer(VALID_DIFF));

        propose(generator(model("o4-mini")), request(1));

        assertThat(server.requests().get(0).body().has("max_completion_tokens")).isTrue();
        assertThat(server.requests().get(0).body().has("temperature")).isFalse();
        assertThat(server.requests().get(0).body().has("max_tokens")).isFalse();
    }

    @Test
    void searchThatDoesNotMatchIsAFailedProposalThatStillCostsItsTokens() {
        server.enqueue(FakeOpenAiServer.answer(diff("        if (needOne >= deadline) {", "        if (needOne > deadline) {"), 1000, 100));

        Proposal.Failed failure = failed(propose(generator(model("gpt-4o-mini")), request(1)));

        assertThat(failure.reason()).startsWith("the block: SEARCH matches nothing in the program");
        assertThat(failure.usage()).isEqualTo(model("gpt-4o-mini").usage(1000, 100));
        assertThat(failure.generator()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void wholeProgramIsTakenInFullRewriteMode() {
        String rewritten = parent.replace("2 * overhead", "3 * overhead");
        server.enqueue(FakeOpenAiServer.answer("More margin before the deadline.\n```java\n" + rewritten + "```\n"));
        LlmGenerator llm = generator(List.of(model("gpt-4o-mini")), PromptSettings.defaults().withFormat(AnswerFormat.FULL_REWRITE),
                CostTracker.unlimited());

        Proposal proposal = propose(llm, request(1));

        assertThat(proposal).isInstanceOf(Proposal.Code.class);
        assertThat(((Proposal.Code) proposal).code()).isEqualTo(rewritten);
        assertThat(server.requests().get(0).prompt()).contains("give the complete new program in one ```java fenced block");
    }

    @Test
    void proseWithoutCodeIsAFailedProposal() {
        server.enqueue(FakeOpenAiServer.answer("The current policy looks optimal to me; I would not change it."));

        assertThat(failed(propose(generator(model("gpt-4o-mini")), request(1))).reason())
                .startsWith("the answer has no SEARCH/REPLACE block");
    }

    @Test
    void answerCutAtTheTokenLimitIsAFailedProposalWithItsCost() {
        server.enqueue(FakeOpenAiServer.truncated(VALID_DIFF));

        Proposal.Failed failure = failed(propose(generator(model("gpt-4o-mini")), request(1)));

        assertThat(failure.reason()).isEqualTo("the answer of gpt-4o-mini was cut at its limit of 4096 completion tokens;"
                + " answer with shorter edits");
        assertThat(failure.usage().completionTokens()).isEqualTo(8192);
    }

    @Test
    void malformedJsonIsAFailedProposalAndCountsAgainstTheEndpoint() {
        server.enqueue(FakeOpenAiServer.malformedJson());
        LlmGenerator llm = generator(model("gpt-4o-mini"));

        Proposal.Failed failure = failed(propose(llm, request(1)));

        assertThat(failure.reason()).startsWith("malformed JSON from gpt-4o-mini");
        assertThat(failure.usage()).isEqualTo(Usage.NONE);
        assertThat(llm.circuits().get(0).consecutiveFailures()).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void missingUsageIsEstimatedSoThatEveryCallIsCharged() {
        server.enqueue(FakeOpenAiServer.answerWithoutUsage(VALID_DIFF));

        Proposal proposal = propose(generator(model("gpt-4o-mini")), request(1));

        assertThat(proposal.usage().promptTokens()).isGreaterThan(500);
        assertThat(proposal.usage().completionTokens()).isEqualTo(OpenAiChatClient.estimateTokens(VALID_DIFF.length()));
        assertThat(proposal.usage().costUsd()).isPositive();
    }

    @Test
    void rateLimitIsRetriedAfterTheServersRetryAfter() {
        server.enqueue(FakeOpenAiServer.rateLimited("1"), FakeOpenAiServer.answer(VALID_DIFF));
        long start = System.nanoTime();

        Proposal proposal = propose(generator(model("gpt-4o-mini")), request(1));

        assertThat(proposal).isInstanceOf(Proposal.Code.class);
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void serverErrorsAreRetriedThenGiveAFailedProposal() {
        server.enqueue(FakeOpenAiServer.status(500, "{\"error\":\"boom\"}"), FakeOpenAiServer.status(503, "overloaded"),
                FakeOpenAiServer.status(502, "bad gateway"));

        Proposal.Failed failure = failed(propose(generator(model("gpt-4o-mini")), request(1)));

        assertThat(failure.reason()).isEqualTo("HTTP 502 from gpt-4o-mini: bad gateway (gave up after 3 attempts)");
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void serverErrorThenAnswerSucceedsOnRetry() {
        server.enqueue(FakeOpenAiServer.status(500, "oops"), FakeOpenAiServer.answer(VALID_DIFF));

        assertThat(propose(generator(model("gpt-4o-mini")), request(1))).isInstanceOf(Proposal.Code.class);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void answerSlowerThanTheTimeoutIsRetriedAndThenFails() {
        ModelSettings slow = model("gpt-4o-mini").withLimits(4096, Duration.ofMillis(300), 4);
        server.enqueue(FakeOpenAiServer.held(FakeOpenAiServer.answer(VALID_DIFF)),
                FakeOpenAiServer.held(FakeOpenAiServer.answer(VALID_DIFF)),
                FakeOpenAiServer.held(FakeOpenAiServer.answer(VALID_DIFF)));

        Proposal.Failed failure = failed(propose(generator(slow), request(1)));

        assertThat(failure.reason()).isEqualTo("gpt-4o-mini did not answer within 0 s (gave up after 3 attempts)");
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void endpointThatKeepsFailingIsPausedVisiblyAndProbedAfterTheCooldown() {
        LlmGenerator llm = generator(model("gpt-4o-mini"));
        for (int i = 0; i < 6; i++) {
            server.enqueue(FakeOpenAiServer.status(503, "down"));
        }
        failed(propose(llm, request(1)));
        assertThat(llm.health().status()).isEqualTo(GeneratorHealth.Status.READY);
        failed(propose(llm, request(2)));

        GeneratorHealth health = llm.health();
        assertThat(health.status()).isEqualTo(GeneratorHealth.Status.PAUSED);
        assertThat(health.until()).contains(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(health.reason()).contains("gpt-4o-mini (HTTP 503 from gpt-4o-mini: down (gave up after 3 attempts))");
        assertThat(llm.circuits().get(0).status()).isEqualTo(EndpointCircuit.Status.OPEN);

        Proposal.Failed paused = failed(propose(llm, request(3)));
        assertThat(paused.reason()).startsWith("every model's endpoint is paused after repeated failures");
        assertThat(server.requestCount()).isEqualTo(6);

        clock.advance(Duration.ofMinutes(1));
        assertThat(llm.health().isReady()).isTrue();
        server.enqueue(FakeOpenAiServer.answer(VALID_DIFF));
        assertThat(propose(llm, request(4))).isInstanceOf(Proposal.Code.class);
        assertThat(llm.circuits().get(0).status()).isEqualTo(EndpointCircuit.Status.CLOSED);
    }

    @Test
    void pausedModelIsSkippedForAHealthyOneOfTheEnsemble() {
        LlmGenerator llm = generator(List.of(model("gpt-4o-mini").withWeight(0.999), model("gpt-4.1").withWeight(0.001)),
                PromptSettings.defaults(), CostTracker.unlimited());
        for (int i = 0; i < 6; i++) {
            server.enqueue(FakeOpenAiServer.status(500, "down"));
        }
        failed(propose(llm, request(1)));
        failed(propose(llm, request(2)));
        server.enqueue(FakeOpenAiServer.answer(VALID_DIFF));

        Proposal proposal = propose(llm, request(3));

        assertThat(proposal.generator()).isEqualTo("gpt-4.1");
        assertThat(llm.health().isReady()).isTrue();
    }

    @Test
    void missingKeyFailsWithoutCallingAndWithoutPausingTheEndpoint() {
        LlmGenerator llm = new LlmGenerator(BRIEF, new LlmSettings(List.of(model("gpt-4o-mini")), PromptSettings.defaults(),
                QUICK_RETRY, CIRCUIT), client(Map.of()), CostTracker.unlimited(), clock);

        Proposal.Failed failure = failed(propose(llm, request(1)));

        assertThat(failure.reason()).isEqualTo("environment variable GALAPAGOS_TEST_KEY (the API key of gpt-4o-mini) is not set");
        assertThat(server.requestCount()).isZero();
        assertThat(llm.circuits().get(0).consecutiveFailures()).isZero();
    }

    @Test
    void keyNeverReachesPromptsReasonsOrCode() {
        String leakyParent = parent.replace("// EVOLVE-BLOCK-START", "// EVOLVE-BLOCK-START\n    // key " + KEY);
        ProposalRequest request = new ProposalRequest(Fixtures.TASK, "run-1/0", 1, 1,
                new Program("c-1", leakyParent, -100, Map.of(), "log line: Authorization: Bearer " + KEY),
                List.of(), List.of(), List.of(new FailedAttempt("c-0", "env OPENAI_API_KEY=" + KEY)));
        server.enqueue(FakeOpenAiServer.status(401, "{\"error\":\"Incorrect API key provided: " + KEY + "\"}"),
                FakeOpenAiServer.answer(diff("        if (needOne >= left) {", "        if (needOne > left) { // " + KEY)));
        LlmGenerator llm = generator(model("gpt-4o-mini"));

        Proposal.Failed unauthorized = failed(propose(llm, request));
        Proposal second = propose(llm, request(1));

        assertThat(unauthorized.reason()).startsWith("HTTP 401 from gpt-4o-mini").contains("[REDACTED]").doesNotContain(KEY);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.prompt()).doesNotContain(KEY));
        assertThat(server.requests().get(0).prompt()).contains("// key [REDACTED]", "Authorization: Bearer [REDACTED]",
                "OPENAI_API_KEY=[REDACTED]");
        assertThat(second).isInstanceOf(Proposal.Code.class);
        assertThat(((Proposal.Code) second).code()).doesNotContain(KEY).contains("if (needOne > left) { // [REDACTED]");
    }

    @Test
    void budgetCountsCallsInFlightAndStopsProposalsOnceSpent() {
        ModelSettings priced = model("gpt-4o-mini").withPrices(10, 10).withLimits(100, Duration.ofSeconds(20), 4);
        CostTracker costs = CostTracker.withBudget(0.015);
        LlmGenerator llm = generator(List.of(priced), PromptSettings.defaults(), costs);
        server.enqueue(FakeOpenAiServer.held(FakeOpenAiServer.answer(VALID_DIFF, 2500, 100)));

        CompletableFuture<Proposal> first = llm.propose(request(1)).toCompletableFuture();
        await().until(() -> server.requestCount() == 1);
        Proposal.Failed refused = failed(propose(llm, request(2)));

        assertThat(refused.reason()).startsWith("USD budget: a call to gpt-4o-mini may cost up to $")
                .contains("reserved by calls in flight, budget $0.02");
        assertThat(costs.totals().callsInFlight()).isEqualTo(1);
        assertThat(llm.health().status()).isEqualTo(GeneratorHealth.Status.PAUSED);

        server.release();
        assertThat(first.join()).isInstanceOf(Proposal.Code.class);
        assertThat(costs.totals().spentUsd()).isCloseTo(2600 * 10e-6, within(1e-12));
        assertThat(llm.health().status()).isEqualTo(GeneratorHealth.Status.BUDGET_EXHAUSTED);
        assertThat(failed(propose(llm, request(3))).reason()).startsWith("USD budget");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void concurrencyLimitHoldsFurtherCallsUntilASlotFrees() {
        ModelSettings single = model("gpt-4o-mini").withLimits(4096, Duration.ofSeconds(20), 1);
        LlmGenerator llm = generator(single);
        server.enqueue(FakeOpenAiServer.held(FakeOpenAiServer.answer(VALID_DIFF)), FakeOpenAiServer.answer(VALID_DIFF));

        CompletableFuture<Proposal> first = llm.propose(request(1)).toCompletableFuture();
        CompletableFuture<Proposal> second = llm.propose(request(2)).toCompletableFuture();
        await().until(() -> server.requestCount() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> server.requestCount() == 1);
        assertThat(second).isNotDone();

        server.release();
        assertThat(first.join()).isInstanceOf(Proposal.Code.class);
        assertThat(second.join()).isInstanceOf(Proposal.Code.class);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void ensembleChoiceFollowsTheSeed() {
        List<ModelSettings> models = List.of(model("gpt-4o-mini").withWeight(0.8), model("o4-mini").withWeight(0.2));
        for (int i = 0; i < 8; i++) {
            server.enqueue(FakeOpenAiServer.answer(VALID_DIFF));
        }
        LlmGenerator a = generator(models, PromptSettings.defaults(), CostTracker.unlimited());
        LlmGenerator b = generator(models, PromptSettings.defaults(), CostTracker.unlimited());

        for (long seed = 0; seed < 4; seed++) {
            assertThat(propose(a, request(seed)).generator()).isEqualTo(propose(b, request(seed)).generator());
        }
    }
}
