package io.galapagos.controller.island;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.Fixtures;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.run.BestSummary;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationRequest.Purpose;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An island on a stochastic task ({@code galapagos.islands.noise}): a would-be best is evaluated three
 * times in all, scripted here sample by sample, and displaces the best only when its mean leads by more
 * than two standard errors.
 */
@Timeout(60)
class NoisyIslandTest {

    private static final ActorTestKit testKit = ActorTestKit.create(
            EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

    private final TestProbe<EvaluationRequest> submitted = testKit.createTestProbe();
    private final TestProbe<Run.Command> run = testKit.createTestProbe();
    /** Requests received from the probe and not answered yet, in arrival order. */
    private final List<EvaluationRequest> received = new ArrayList<>();

    private final IslandEnvironment environment = new IslandEnvironment() {
        @Override
        public void submit(EvaluationRequest request) {
            submitted.getRef().tell(request);
        }

        @Override
        public void tellIsland(String islandId, Island.Command command) {
        }

        @Override
        public void tellRun(String runId, Run.Command command) {
            run.getRef().tell(command);
        }

        @Override
        public SolutionGenerator generator(RunSettings settings, int islandNo,
                                           Map<String, CostTracker.ModelTotals> spent) {
            // every child is another program: the parent with a class named after the proposal
            return request -> CompletableFuture.completedFuture(new Proposal.Code(request.parent().code()
                    + "\nclass Child" + request.sequence() + " {}", "test", "a class", Usage.NONE));
        }

        @Override
        public IslandTimers timers() {
            return Fixtures.islandTimers();
        }
    };

    private final EventSourcedBehaviorTestKit<Island.Command, Island.Event, Island.State> island =
            EventSourcedBehaviorTestKit.create(testKit.system(),
                    Island.create("r1/0", PersistenceId.of("Island", "r1/0"), environment, RetentionCriteria.disabled()));

    @AfterEach
    void clear() {
        island.clear();
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** One island, one candidate in flight, a stochastic task evaluated 3 times per would-be best. */
    private static RunSettings stochastic(long iterations) {
        return new RunSettings("r1", "fake", 7, 1, iterations, 3_600_000, 0, Optional.empty(),
                List.of("SMOKE", "TRAIN"), false, Optional.empty(), 42, Fixtures.SEED_CODE, "value",
                Fixtures.islandSettings(1).withNoise(true, Optional.of(3)));
    }

    private static EvaluationResult ok(EvaluationRequest request, double score) {
        return new EvaluationResult(request.evaluationId(), request.candidateId(), request.islandId(), request.purpose(),
                EvaluationStatus.OK, score, Map.of("value", score), "fine", "TRAIN", 1, "w", Optional.of("bwrap"));
    }

    /** The next submitted request with {@code evaluationId}, keeping the others for later. */
    private EvaluationRequest take(String evaluationId) {
        while (received.stream().noneMatch(r -> r.evaluationId().equals(evaluationId))) {
            received.add(submitted.receiveMessage(Duration.ofSeconds(10)));
        }
        EvaluationRequest request = received.stream().filter(r -> r.evaluationId().equals(evaluationId))
                .findFirst().orElseThrow();
        received.remove(request);
        return request;
    }

    /** Answers candidate {@code sequence}'s first evaluation and its two re-evaluations with these scores. */
    private List<Island.Event> evaluateThrice(long sequence, double first, double second, double third) {
        String id = "r1/0/" + sequence;
        List<Island.Event> events = new ArrayList<>(island.runCommand(new Island.EvaluationArrived(ok(take(id), first))).events());
        events.addAll(answerRepeat(id, 1, second));
        events.addAll(answerRepeat(id, 2, third));
        return events;
    }

    private List<Island.Event> answerRepeat(String candidateId, int repeat, double score) {
        EvaluationRequest request = take(EvaluationRequest.repeatId(candidateId, repeat));
        assertThat(request.purpose()).isEqualTo(Purpose.REPEAT);
        assertThat(request.candidateId()).isEqualTo(candidateId);
        return island.runCommand(new Island.EvaluationArrived(ok(request, score))).events();
    }

    @Test
    void aLuckySingleHighSampleDoesNotDisplaceTheBestAndARealImprovementDoes() {
        island.runCommand(new Island.Start(stochastic(20), 0));
        List<Island.Event> seed = evaluateThrice(0, 1.0, 0.9, 1.1);
        assertThat(seed).as("the first best at once, then told again with its mean")
                .contains(new Island.BestChanged("r1/0/0", 1.0, 0, List.of(1.0)),
                        new Island.RepeatsRequested("r1/0/0", 2, 0));
        BestSummary best = island.getState().best().orElseThrow();
        assertThat(best.samples()).containsExactly(1.0, 0.9, 1.1);
        assertThat(best.score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));

        // 1.15 beats the mean of 1.0 once, but its repeats (0.95, 1.0) put it within the noise
        List<Island.Event> lucky = evaluateThrice(1, 1.15, 0.95, 1.0);
        assertThat(lucky).contains(new Island.RepeatsRequested("r1/0/1", 2, 0))
                .noneMatch(e -> e instanceof Island.BestChanged);
        assertThat(island.getState().best().orElseThrow().candidateId()).isEqualTo("r1/0/0");
        assertThat(island.getState().population().members().get("r1/0/1").score())
                .as("a lucky program is ranked by its mean").isCloseTo((1.15 + 0.95 + 1.0) / 3,
                        org.assertj.core.data.Offset.offset(1e-12));

        List<Island.Event> better = evaluateThrice(2, 2.0, 2.1, 1.9);
        assertThat(better).contains(new Island.BestChanged("r1/0/2", 2.0, 0, List.of(2.0, 2.1, 1.9)));
        assertThat(island.getState().best().orElseThrow().candidateId()).isEqualTo("r1/0/2");
        assertThat(island.getState().repeating()).isEmpty();
    }

    @Test
    void reEvaluationsCountAgainstTheBudgetAndTheIslandFinishesWithThem() {
        island.runCommand(new Island.Start(stochastic(5), 0));
        island.runCommand(new Island.EvaluationArrived(ok(take("r1/0/0"), 1.0)));
        assertThat(island.getState().evaluated()).as("the seed and its two re-evaluations").isEqualTo(3);
        answerRepeat("r1/0/0", 1, 1.0);
        answerRepeat("r1/0/0", 2, 1.0);
        // a worse child asks for no repeats: two evaluations of the budget of 5 are left, for two children
        island.runCommand(new Island.EvaluationArrived(ok(take("r1/0/1"), 0.5)));
        island.runCommand(new Island.EvaluationArrived(ok(take("r1/0/2"), 0.4)));
        assertThat(island.getState().evaluated()).isEqualTo(5);
        assertThat(island.getState().proposed()).as("no proposal beyond the budget").isEqualTo(3);
        submitted.expectNoMessage(Duration.ofMillis(200));
        assertThat(island.getState().report(0, "").finished()).isTrue();
    }

    @Test
    void aRepeatThatArrivesTwiceIsOneSample() {
        island.runCommand(new Island.Start(stochastic(20), 0));
        island.runCommand(new Island.EvaluationArrived(ok(take("r1/0/0"), 1.0)));
        EvaluationRequest repeat = take(EvaluationRequest.repeatId("r1/0/0", 1));
        assertThat(island.runCommand(new Island.EvaluationArrived(ok(repeat, 1.2))).events()).hasSize(1);
        assertThat(island.runCommand(new Island.EvaluationArrived(ok(repeat, 1.2))).events()).isEmpty();
        assertThat(island.getState().repeating().get("r1/0/0").samples()).hasSize(2);
    }

    @Test
    void aRecoveredIslandResubmitsTheReEvaluationsStillDueAndDecidesWhenTheyArrive() {
        island.runCommand(new Island.Start(stochastic(20), 0));
        island.runCommand(new Island.EvaluationArrived(ok(take("r1/0/0"), 1.0)));
        answerRepeat("r1/0/0", 1, 0.8);
        take(EvaluationRequest.repeatId("r1/0/0", 2)); // lost with the node
        take("r1/0/1"); // the child in evaluation: lost too
        received.clear();

        island.restart();

        List<EvaluationRequest> resubmitted = submitted.receiveSeveralMessages(2);
        assertThat(resubmitted).extracting(EvaluationRequest::evaluationId)
                .containsExactlyInAnyOrder(EvaluationRequest.repeatId("r1/0/0", 2), "r1/0/1");
        received.addAll(resubmitted);
        answerRepeat("r1/0/0", 2, 1.2);
        BestSummary best = island.getState().best().orElseThrow();
        assertThat(best.samples()).containsExactly(1.0, 0.8, 1.2);
        assertThat(island.getState().repeating()).isEmpty();
    }

    @Test
    void aDeterministicTaskDecidesOnTheFirstScoreAndAsksForNoRepeats() {
        RunSettings deterministic = new RunSettings("r1", "fake", 7, 1, 20, 3_600_000, 0, Optional.empty(),
                List.of("SMOKE", "TRAIN"), false, Optional.empty(), 42, Fixtures.SEED_CODE, "value",
                Fixtures.islandSettings(1).withNoise(false, Optional.of(3)));
        island.runCommand(new Island.Start(deterministic, 0));
        List<Island.Event> events = island.runCommand(new Island.EvaluationArrived(ok(take("r1/0/0"), 1.0))).events();
        assertThat(events).contains(new Island.BestChanged("r1/0/0", 1.0, 0))
                .noneMatch(e -> e instanceof Island.RepeatsRequested);
        assertThat(island.getState().evaluated()).isEqualTo(1);
        assertThat(take("r1/0/1").purpose()).isEqualTo(Purpose.SELECTION);
    }
}
