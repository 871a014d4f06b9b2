package io.galapagos.controller.generation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The prompt of each variant, the summary section, the draw among variants, and a fix answered end to end. */
@Timeout(60)
class PromptVariantsTest {

    private static final TaskBrief BRIEF = new TaskBrief("cant-be-late", "Finish before the deadline, cheaply.",
            "public interface SpotStrategy {}", "java");
    private static final String CHILD_ERROR = "COMPILE_ERROR: line 31: cannot find symbol slackHours";

    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static Program parent() {
        return new Program("r/0/4", Fixtures.greedy(), -106.746, Map.of("avg_cost", 96.515), "Worst scenarios: k80 dl=52");
    }

    /** The parent with one line changed into a call of a name that does not exist. */
    private static String brokenChild() {
        String child = Fixtures.greedy().replace("if (needOne >= left) {", "if (needOne >= left - slackHours) {");
        assertThat(child).isNotEqualTo(Fixtures.greedy());
        return child;
    }

    private static ProposalRequest request(PromptPlan plan) {
        Program partner = new Program("r/0/2", Fixtures.uniformProgress(), -100.25, Map.of("avg_cost", 91.0), "");
        return new ProposalRequest("cant-be-late", "r/0", 9, 9, parent(), List.of(partner),
                List.of(new Program("r/0/3", "class Top {}", -90, Map.of(), ""), partner),
                List.of(new FailedAttempt("r/0/7", CHILD_ERROR), new FailedAttempt("r/0/6", "no SEARCH/REPLACE block")),
                Optional.empty(), Optional.empty(), plan);
    }

    private static Prompt prompt(PromptPlan plan) {
        return new PromptBuilder(BRIEF, PromptSettings.defaults(), SecretRedactor.shapesOnly()).build(request(plan));
    }

    private static PromptPlan.FailedChild failedChild() {
        return new PromptPlan.FailedChild("r/0/7", brokenChild(), CHILD_ERROR);
    }

    @Test
    void anImprovePromptIsTheParentsPromptWithNoVariantSection() {
        String user = prompt(PromptPlan.IMPROVE).user();

        assertThat(user).contains("# Current program (score -106.746)", "Evaluator feedback:\nWorst scenarios: k80 dl=52",
                        "## r/0/2 (score -100.25)", "- r/0/7: " + CHILD_ERROR)
                .doesNotContain("# Fix this program", "# Combine two programs", "# What worked so far", "{{");
    }

    @Test
    void aFixPromptShowsTheFailedChildAsTheProgramToEditWithItsErrorAndTheWorkingParent() {
        String user = prompt(PromptPlan.fix(failedChild())).user();

        int current = user.indexOf("# Current program (a child that failed its evaluation)");
        int fix = user.indexOf("# Fix this program");
        assertThat(current).isNotNegative();
        assertThat(fix).isGreaterThan(current);
        assertThat(user.substring(current, fix)).contains("if (needOne >= left - slackHours) {");
        assertThat(user.substring(fix)).contains(CHILD_ERROR, "## The working program it came from (score -106.746)",
                "- avg_cost: 96.515", "if (needOne >= left) {");
        assertThat(user).as("the child's error is the fix's, not listed again among the failures")
                .containsOnlyOnce(CHILD_ERROR).contains("- r/0/6: no SEARCH/REPLACE block")
                .doesNotContain("# Combine two programs", "{{");
    }

    @Test
    void aCrossoverPromptShowsTheParentAndTheSecondProgramOnceEach() {
        Program partner = request(PromptPlan.IMPROVE).inspirations().get(0);
        String user = prompt(PromptPlan.crossover(partner)).user();

        int combine = user.indexOf("# Combine two programs");
        assertThat(user.indexOf("# Current program (score -106.746)")).isNotNegative().isLessThan(combine);
        assertThat(user.substring(combine)).contains("combines the strengths of the current program and of the second",
                "## Second program r/0/2 (score -100.25)", "- avg_cost: 91", Fixtures.uniformProgress().strip().lines()
                        .filter(l -> l.contains("remaining")).findFirst().orElseThrow());
        assertThat(user).as("the partner is not shown again among the top programs or inspirations")
                .containsOnlyOnce("r/0/2").contains("## r/0/3 (score -90)").doesNotContain("{{");
    }

    @Test
    void theSummarySaysWhatImprovedWithItsVariantAndGainAndTheMostCommonFailures() {
        PromptPlan.SearchSummary summary = new PromptPlan.SearchSummary(12, 2, List.of(
                new PromptPlan.Improvement("r/0/5", Optional.of(PromptVariant.CROSSOVER), "fake-coder", 1.25,
                        "Merge the two margins."),
                new PromptPlan.Improvement("r/0/8", Optional.of(PromptVariant.FIX), "fake-coder", 0.5, ""),
                new PromptPlan.Improvement("r/0/9", Optional.empty(), "tune", 0.25, "x = 0.3")),
                List.of(new PromptPlan.FailureCount("evaluation compile error", 4),
                        new PromptPlan.FailureCount("proposal repeated an earlier program", 1)));

        String user = prompt(PromptPlan.IMPROVE.withSummary(summary)).user();

        assertThat(user).contains("# What worked so far on this island\n\n2 of 12 evaluated children scored above their parent.",
                "- r/0/5 (crossover, fake-coder, +1.25): Merge the two margins.", "- r/0/8 (fix, fake-coder, +0.5)\n", "- r/0/9 (tune, +0.25): x = 0.3",
                "Most common failures:\n- evaluation compile error: 4\n- proposal repeated an earlier program: 1");
        assertThat(user.indexOf("# What worked so far")).isLessThan(user.indexOf("# Answer format"));
        assertThat(prompt(PromptPlan.IMPROVE).user()).doesNotContain("# What worked so far");
    }

    @Test
    void aPlanCarriesWhatItsVariantWorksOnAndNothingElse() {
        assertThatThrownBy(() -> new PromptPlan(PromptVariant.FIX, Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromptPlan(PromptVariant.IMPROVE, Optional.empty(), Optional.of(parent()),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDrawFollowsTheWeightsIsTheSameForASeedAndOnlyPicksPossibleVariants() {
        PromptVariants weights = new PromptVariants(0.6, 0.3, 0.1);
        Set<PromptVariant> all = EnumSet.allOf(PromptVariant.class);
        Map<PromptVariant, Integer> counts = new EnumMap<>(PromptVariant.class);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            counts.merge(weights.draw(all, random), 1, Integer::sum);
        }
        assertThat(counts.get(PromptVariant.IMPROVE) / 20_000.0).isCloseTo(0.6, within(0.02));
        assertThat(counts.get(PromptVariant.FIX) / 20_000.0).isCloseTo(0.3, within(0.02));
        assertThat(counts.get(PromptVariant.CROSSOVER) / 20_000.0).isCloseTo(0.1, within(0.02));

        assertThat(draws(weights, all, 77)).isEqualTo(draws(weights, all, 77)).isNotEqualTo(draws(weights, all, 78));
        assertThat(draws(weights, EnumSet.of(PromptVariant.IMPROVE, PromptVariant.CROSSOVER), 3))
                .doesNotContain(PromptVariant.FIX).contains(PromptVariant.CROSSOVER);
        assertThat(draws(new PromptVariants(1, 0, 0), all, 3)).containsOnly(PromptVariant.IMPROVE);
        assertThat(draws(new PromptVariants(0, 1, 0), EnumSet.of(PromptVariant.IMPROVE), 3))
                .as("improving is always possible, whatever its weight").containsOnly(PromptVariant.IMPROVE);
    }

    private static List<PromptVariant> draws(PromptVariants weights, Set<PromptVariant> possible, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PromptVariant> drawn = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            drawn.add(weights.draw(possible, random));
        }
        return drawn;
    }

    @Test
    void aFixAnswerEditsTheFailedChildAndTheCallLogNamesTheVariant() {
        List<LlmCallLog.Call> calls = new ArrayList<>();
        ModelSettings model = ModelSettings.of("fake-coder", server.baseUrl(), Optional.empty())
                .withLimits(4096, Duration.ofSeconds(20), 2);
        LlmGenerator llm = new LlmGenerator(BRIEF, new LlmSettings(List.of(model), PromptSettings.defaults(),
                new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10), 0, Duration.ofMillis(10)),
                new EndpointCircuit.Settings(3, Duration.ofMinutes(1), Duration.ofMinutes(2))),
                new OpenAiChatClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                        name -> Optional.empty(), RetryPolicy.defaults(), new MutableClock()),
                CostTracker.unlimited(), new MutableClock(), new java.util.concurrent.ConcurrentHashMap<>(), calls::add);
        // the SEARCH text is only in the failed child: applied to the parent it would match nothing
        server.enqueue(FakeOpenAiServer.answer("Declare the slack.\n<<<<<<< SEARCH\n"
                + "        if (needOne >= left - slackHours) {\n=======\n        if (needOne >= left - 0.5) {\n>>>>>>> REPLACE\n"));

        Proposal proposal = llm.propose(request(PromptPlan.fix(failedChild()))).toCompletableFuture().join();

        assertThat(proposal).isInstanceOf(Proposal.Code.class);
        assertThat(((Proposal.Code) proposal).code()).contains("if (needOne >= left - 0.5) {")
                .isEqualTo(brokenChild().replace("left - slackHours", "left - 0.5"));
        assertThat(server.requests().get(0).currentProgram()).contains("left - slackHours");
        assertThat(calls).singleElement().returns(PromptVariant.FIX, LlmCallLog.Call::variant);
    }
}
