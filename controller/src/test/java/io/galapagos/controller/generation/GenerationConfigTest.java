package io.galapagos.controller.generation;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.Fixtures;
import io.galapagos.controller.run.RunSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerationConfigTest {

    private static GenerationSettings load(String overrides) {
        return GenerationConfig.from(config(overrides));
    }

    private static com.typesafe.config.Config config(String overrides) {
        return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    /** The generator's settings on a node with {@code overrides}: the run's spec with the node's calls. */
    private static LlmSettings called(String overrides) {
        return GenerationConfig.calls(config(overrides)).settingsOf(load(overrides).llm().orElseThrow());
    }

    @Test
    void offlineIsTheDefault() {
        assertThat(load("")).isEqualTo(GenerationSettings.offline());
    }

    @Test
    void everyPromptRetryAndCircuitKeyIsReadAndTheDefaultsAreThoseOfReferenceConf() {
        LlmSettings llm = called(String.join("\n",
                "galapagos.generation {",
                "  llm = openai, models = [m], api-key-env = none",
                "  prompt { problem-statement = off, candidate-api = off, max-parent-code-chars = 900, parent-metrics = off,",
                "    max-feedback-chars = 7, max-program-chars = 8, max-failure-chars = 9,",
                "    variants { improve = 0.5, fix = 0.3, crossover = 0 }, summary-every = 11 }",
                "  retry { max-attempts = 2, initial-backoff = 1s, max-backoff = 3s, jitter = 0.5, max-retry-after = 4s }",
                "  circuit { failure-threshold = 5, cooldown = 6s, max-cooldown = 7s }",
                "}"));

        assertThat(llm.prompt()).isEqualTo(new PromptSettings(AnswerFormat.DIFF, false, false, 900, false, 7, 8, 9,
                new PromptVariants(0.5, 0.3, 0), 11));
        assertThat(llm.retry()).isEqualTo(new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(3), 0.5,
                Duration.ofSeconds(4)));
        assertThat(llm.circuit()).isEqualTo(new EndpointCircuit.Settings(5, Duration.ofSeconds(6), Duration.ofSeconds(7)));
        assertThat(PromptSettings.defaults())
                .isEqualTo(new PromptSettings(AnswerFormat.DIFF, true, true, 40_000, true, 3_000, 8_000, 600,
                        new PromptVariants(0.6, 0.2, 0.2), 20));
        assertThat(RetryPolicy.defaults()).isEqualTo(new RetryPolicy(4, Duration.ofSeconds(2), Duration.ofSeconds(60),
                0.25, Duration.ofMinutes(2)));
        assertThat(EndpointCircuit.Settings.defaults())
                .isEqualTo(new EndpointCircuit.Settings(3, Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }

    @Test
    void modelDefaultsAreReadForEveryModelAndReasoningModelsGetTheirOwnLimits() {
        LlmSettings g = called(String.join("\n",
                "galapagos.generation {",
                "  llm = openai, models = [gpt-4o-mini, o3-mini, { name = own, max-tokens = 100 }]",
                "  model-defaults { temperature = 0.3, top-p = 0.8, max-tokens = 1000, request-timeout = 11s,",
                "    max-concurrency = 2, reasoning-max-tokens = 5000, reasoning-request-timeout = 22s }",
                "}"));

        ModelSettings fast = g.models().get(0);
        assertThat(fast.temperature()).isEqualTo(OptionalDouble.of(0.3));
        assertThat(fast.topP()).isEqualTo(OptionalDouble.of(0.8));
        assertThat(fast.maxTokens()).isEqualTo(1000);
        assertThat(fast.requestTimeout()).isEqualTo(Duration.ofSeconds(11));
        assertThat(fast.maxConcurrency()).isEqualTo(2);
        ModelSettings reasoning = g.models().get(1);
        assertThat(reasoning.reasoning()).isTrue();
        assertThat(reasoning.temperature()).isEmpty();
        assertThat(reasoning.maxTokens()).isEqualTo(5000);
        assertThat(reasoning.requestTimeout()).isEqualTo(Duration.ofSeconds(22));
        assertThat(g.models().get(2).maxTokens()).isEqualTo(100);
        assertThat(g.models().get(2).requestTimeout()).isEqualTo(Duration.ofSeconds(11));
        assertThat(ModelSettings.Defaults.reference()).isEqualTo(new ModelSettings.Defaults(0.7, 0.95, 8192,
                Duration.ofSeconds(180), 4, 32768, Duration.ofSeconds(600)));
    }

    @Test
    void twoModelsWithoutWeightsSplitEightyTwentyAndTakeCatalogPrices() {
        GenerationSettings g = load("galapagos.generation { llm = openai, models = [gpt-4o-mini, o3-mini], budget-usd = 12.5,"
                + " format = full-rewrite }");
        assertThat(g.mode()).isEqualTo(GenerationSettings.Mode.OPENAI);
        assertThat(g.models()).extracting(ModelSpec::name).containsExactly("gpt-4o-mini", "o3-mini");
        assertThat(g.models()).extracting(ModelSpec::weight).containsExactly(0.8, 0.2);
        assertThat(g.models()).allMatch(ModelSpec::priced);
        assertThat(g.models().get(0).apiKeyEnv()).contains("OPENAI_API_KEY");
        assertThat(g.models().get(0).baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(g.budgetUsd()).isEqualTo(OptionalDouble.of(12.5));
        assertThat(g.islandBudget(5)).isEqualTo(OptionalDouble.of(2.5));
        assertThat(g.llm().orElseThrow().prompt().format()).isEqualTo(AnswerFormat.FULL_REWRITE);
    }

    @Test
    void modelEntriesOverrideEveryPerModelSetting() {
        LlmSettings g = called(String.join("\n",
                "galapagos.generation {",
                "  llm = openai",
                "  api-key-env = none",
                "  models = [\"qwen2.5-coder:7b:1\", { name = big, weight = 3, api-base = \"http://10.0.0.2:8000/v1\",",
                "    api-key-env = VLLM_KEY, temperature = 0.2, top-p = 0.5, max-tokens = 2048, request-timeout = 20s,",
                "    max-concurrency = 9, input-usd-per-million = 0.1, output-usd-per-million = 0.4 }]",
                "}"));
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [\"a:1\", b] }"))
                .hasMessageContaining("give every model a weight or none");
        ModelSettings local = g.models().get(0);
        assertThat(local.name()).isEqualTo("qwen2.5-coder:7b");
        assertThat(local.apiKeyEnv()).isEmpty();
        ModelSettings big = g.models().get(1);
        assertThat(big.baseUrl()).isEqualTo(URI.create("http://10.0.0.2:8000/v1"));
        assertThat(big.apiKeyEnv()).contains("VLLM_KEY");
        assertThat(big.temperature()).isEqualTo(OptionalDouble.of(0.2));
        assertThat(big.topP()).isEqualTo(OptionalDouble.of(0.5));
        assertThat(big.maxTokens()).isEqualTo(2048);
        assertThat(big.requestTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(big.maxConcurrency()).isEqualTo(9);
        assertThat(big.inputUsdPerMillion()).isEqualTo(0.1);
        assertThat(big.outputUsdPerMillion()).isEqualTo(0.4);
    }

    @Test
    void aResumedRunKeepsItsModelsAndPromptAndCallsThemAsTheNodesCurrentConfigurationSays() {
        GenerationSettings journalled = load(String.join("\n",
                "galapagos.generation {",
                "  llm = openai, api-key-env = none, format = full-rewrite",
                "  models = [\"small:1\", { name = big, weight = 3, api-base = \"http://10.0.0.2:8000/v1\", temperature = 0.2,",
                "    max-tokens = 2048, request-timeout = 20s, max-concurrency = 9 }]",
                "  retry { max-attempts = 2 }",
                "}"));

        // the operator moved big's server and changed timeouts, retries and the circuit, then resumed
        LlmSettings resumed = GenerationConfig.calls(config(String.join("\n",
                "galapagos.generation {",
                "  models = [{ name = big, api-base = \"http://10.0.0.3:8000/v1\", request-timeout = 90s }]",
                "  model-defaults { request-timeout = 45s, max-concurrency = 2 }",
                "  retry { max-attempts = 7 }, circuit { failure-threshold = 9 }",
                "}"))).settingsOf(journalled.llm().orElseThrow());

        ModelSettings big = resumed.models().get(1);
        assertThat(big.weight()).isEqualTo(3.0);
        assertThat(big.temperature()).isEqualTo(OptionalDouble.of(0.2));
        assertThat(big.maxTokens()).isEqualTo(2048);
        assertThat(big.baseUrl()).isEqualTo(URI.create("http://10.0.0.3:8000/v1"));
        assertThat(big.requestTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(big.maxConcurrency()).isEqualTo(2);
        ModelSettings small = resumed.models().get(0);
        assertThat(small.weight()).isEqualTo(1.0);
        assertThat(small.baseUrl()).as("a model the node does not name stays where the run started it")
                .isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(small.apiKeyEnv()).isEmpty();
        assertThat(small.requestTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(resumed.prompt().format()).isEqualTo(AnswerFormat.FULL_REWRITE);
        assertThat(resumed.retry().maxAttempts()).isEqualTo(7);
        assertThat(resumed.circuit().failureThreshold()).isEqualTo(9);
    }

    @Test
    void modelChoiceIsWeightsByDefaultBanditOnRequestAndAnythingElseIsOneLineNamingTheKey() {
        assertThat(load("galapagos.generation { llm = openai, models = [m] }").llm().orElseThrow().selection())
                .isEqualTo(ModelSelection.WEIGHTS);
        assertThat(load("galapagos.generation { llm = openai, models = [m], model-choice = BANDIT }").llm()
                .orElseThrow().selection()).isEqualTo(ModelSelection.BANDIT);
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [m], model-choice = ucb }"))
                .hasMessage("galapagos.generation.model-choice: expected weights or bandit, not 'ucb'");
        assertThatThrownBy(() -> load("galapagos.generation.model-choice = best"))
                .as("checked for an offline run too").hasMessageContaining("galapagos.generation.model-choice");
    }

    @Test
    void aBadPromptVariantWeightOrSummaryIntervalIsOneLineNamingItsKey() {
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [m], prompt.variants.fix = -0.1 }"))
                .hasMessage("galapagos.generation.prompt.variants.fix: expected a weight >= 0, not -0.1");
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [m],"
                + " prompt.variants { improve = 0, fix = 0, crossover = 0 } }"))
                .hasMessage("galapagos.generation.prompt.variants: at least one variant needs a positive weight");
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [m], prompt.variants.mutate = 1 }"))
                .hasMessageStartingWith("galapagos.generation.prompt.variants.mutate: no such variant");
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [m], prompt.variants.fix = lots }"))
                .hasMessage("galapagos.generation.prompt.variants.fix: expected a weight >= 0, not 'lots'");
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [m], prompt.summary-every = -1 }"))
                .hasMessage("galapagos.generation.prompt.summary-every: expected 0 (off) or a count of proposals, not -1");
    }

    @Test
    void aBadCallSettingIsOneLineNamingItsKey() {
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [m], model-defaults.request-timeout = 0s }"))
                .hasMessageContaining("galapagos.generation.model-defaults.request-timeout");
        assertThatThrownBy(() -> GenerationConfig.calls(config(
                "galapagos.generation.models = [{ name = m, max-concurrency = 0 }]")))
                .hasMessageContaining("galapagos.generation.models.m.max-concurrency");
    }

    @Test
    void modelFlagsTakeAWeightAfterTheLastColonOnlyWhenItIsANumber() {
        assertThat(GenerationConfig.parseModel("gpt-4o-mini:0.8"))
                .isEqualTo(new GenerationConfig.ModelChoice("gpt-4o-mini", OptionalDouble.of(0.8)));
        assertThat(GenerationConfig.parseModel("qwen2.5-coder:7b"))
                .isEqualTo(new GenerationConfig.ModelChoice("qwen2.5-coder:7b", OptionalDouble.empty()));
        assertThat(GenerationConfig.parseModel("llama3:70b:2"))
                .isEqualTo(new GenerationConfig.ModelChoice("llama3:70b", OptionalDouble.of(2)));
        assertThatThrownBy(() -> GenerationConfig.parseModel("fast:-1")).hasMessageContaining("positive");
    }

    @Test
    void aBudgetNeedsAPriceForEveryModel() {
        assertThatThrownBy(() -> load("galapagos.generation { llm = openai, models = [my-local-model], budget-usd = 1 }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("my-local-model has no known price");
    }

    @Test
    void aRestartedIslandsGeneratorStartsFromWhatItSpentAndStopsAtItsShare() {
        ModelSettings model = ModelSettings.of("gpt-4o-mini", URI.create("http://127.0.0.1:9/v1"), Optional.empty());
        GenerationSettings generation = new GenerationSettings(GenerationSettings.Mode.OPENAI,
                Optional.of(LlmSettings.of(List.of(model)).spec()), OptionalDouble.of(2.0));
        RunSettings settings = noop(generation);

        SolutionGenerator fresh = GeneratorFactory.standard().create(settings, 0, Map.of());
        SolutionGenerator spent = GeneratorFactory.standard().create(settings, 1,
                Map.of("gpt-4o-mini", new CostTracker.ModelTotals(40, 4_000_000, 200_000, 0.999)));
        SolutionGenerator overspentElsewhere = GeneratorFactory.standard().create(settings, 1,
                Map.of("gpt-4o-mini", new CostTracker.ModelTotals(41, 4_100_000, 200_000, 1.0)));

        assertThat(fresh.health().status()).isEqualTo(GeneratorHealth.Status.READY);
        assertThat(spent.health().status()).isEqualTo(GeneratorHealth.Status.BUDGET_EXHAUSTED);
        assertThat(overspentElsewhere.health().reason()).contains("$1.0000 of $1.00");
        assertThat(((LlmGenerator) fresh).costs().totals().budgetUsd()).isEqualTo(OptionalDouble.of(1.0));
        assertThat(((LlmGenerator) spent).costs().totals().calls()).isEqualTo(40);
    }

    @Test
    void theIslandsOfOneNodeShareEachModelsConcurrencyLimit() {
        ModelSettings model = ModelSettings.of("gpt-4o-mini", URI.create("http://127.0.0.1:9/v1"), Optional.empty());
        RunSettings settings = noop(new GenerationSettings(GenerationSettings.Mode.OPENAI,
                Optional.of(LlmSettings.of(List.of(model)).spec()), OptionalDouble.empty()));
        GeneratorFactory node = GeneratorFactory.standard();
        GeneratorFactory otherNode = GeneratorFactory.standard();

        LlmGenerator first = (LlmGenerator) node.create(settings, 0, Map.of());
        LlmGenerator second = (LlmGenerator) node.create(settings, 1, Map.of());
        LlmGenerator elsewhere = (LlmGenerator) otherNode.create(settings, 1, Map.of());

        assertThat(first.limit("gpt-4o-mini")).isSameAs(second.limit("gpt-4o-mini"))
                .isNotSameAs(elsewhere.limit("gpt-4o-mini"));
    }

    private static RunSettings noop(GenerationSettings generation) {
        RunSettings fake = Fixtures.runSettings(2, 10, 1);
        return new RunSettings(fake.runId(), "noop", fake.seed(), fake.islands(), fake.iterations(),
                fake.wallClockMillis(), 0, Optional.empty(), fake.cascade(), false, Optional.empty(), 1,
                fake.initialProgram(), fake.featureMetric(), fake.island(), generation);
    }

    @Test
    void offlineRunsGetTheMutationEngine() {
        assertThat(GeneratorFactory.standard().create(Fixtures.runSettings(1, 10, 1), 0, Map.of()))
                .isInstanceOf(OfflineMutator.class);
    }
}
