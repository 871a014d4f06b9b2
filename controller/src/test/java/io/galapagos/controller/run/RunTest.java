package io.galapagos.controller.run;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EntityHost;
import io.galapagos.controller.Fixtures;
import io.galapagos.controller.RestartBackoff;
import io.galapagos.controller.island.Island;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunTest {

    private static final ActorTestKit testKit = ActorTestKit.create(
            EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

    record Sent(String islandId, Island.Command command) {
    }

    private final TestProbe<Sent> islands = testKit.createTestProbe();
    private final TestProbe<StatusReply<RunStatus>> replies = testKit.createTestProbe();

    /** What the run asked of its host: "passivate", or the message it sent to wake itself. */
    private final TestProbe<Object> host = testKit.createTestProbe();

    private final EventSourcedBehaviorTestKit<Run.Command, Run.Event, Run.State> run =
            EventSourcedBehaviorTestKit.create(testKit.system(), Run.create(PersistenceId.of("Run", "r1"),
                    (id, command) -> islands.getRef().tell(new Sent(id, command)), RetentionCriteria.disabled(),
                    Optional.empty(), recordingHost(host)));

    /** A host that tells {@code calls} "passivate", or the message the run sent to wake itself. */
    private static EntityHost<Run.Command> recordingHost(TestProbe<Object> calls) {
        return new EntityHost<>() {
            @Override
            public void passivate(ActorRef<Run.Command> self) {
                calls.getRef().tell("passivate");
            }

            @Override
            public void wake(Run.Command message) {
                calls.getRef().tell(message);
            }
        };
    }

    @AfterEach
    void clear() {
        run.clear();
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static IslandReport report(int island, long evaluated, double best, boolean finished) {
        return report(island, evaluated, best, finished, 0);
    }

    private static IslandReport report(int island, long evaluated, double best, boolean finished, int revision) {
        return new IslandReport(island, evaluated, evaluated, 0, Map.of(), 0,
                Optional.of(new BestSummary("r1/" + island + "/1", "r1/" + island, best, Optional.empty())), finished,
                Map.of(), "", revision);
    }

    private void start(RunSettingsChange change) {
        run.runCommand(new Run.Start(change.apply(Fixtures.runSettings(2, 10, 1)), replies.getRef()));
        assertThat(replies.receiveMessage().isSuccess()).isTrue();
        islands.receiveSeveralMessages(2);
    }

    interface RunSettingsChange {
        RunSettings apply(RunSettings settings);
    }

    @Test
    void startRecordsTheSettingsAndStartsEveryIsland() {
        var result = run.runCommand(new Run.Start(Fixtures.runSettings(2, 10, 1), replies.getRef()));
        assertThat(result.event()).isInstanceOf(Run.RunStarted.class);
        List<Sent> sent = islands.receiveSeveralMessages(2);
        assertThat(sent).extracting(Sent::islandId).containsExactly("r1/0", "r1/1");
        assertThat(sent).allMatch(s -> s.command() instanceof Island.Start);
        assertThat(replies.receiveMessage().getValue().phase()).isEqualTo(RunStatus.Phase.RUNNING);
    }

    @Test
    void aRunJournalledWithValuesTheCurrentRulesRejectStillReplays() {
        // an older version let these through; the rules of today are only for settings built from configuration
        RunSettings old = Fixtures.runSettings(2, 10, 1);
        io.galapagos.controller.generation.ModelSpec unweighted = new io.galapagos.controller.generation.ModelSpec("m", 0,
                java.net.URI.create("http://127.0.0.1:9/v1"), Optional.empty(), java.util.OptionalDouble.empty(),
                java.util.OptionalDouble.empty(), 0, -1, 0, false);
        RunSettings journalled = new RunSettings(old.runId(), old.taskId(), old.seed(), old.islands(), old.iterations(),
                old.wallClockMillis(), -3, old.targetScore(), old.cascade(), old.testBest(), old.dataDirectory(),
                old.dataSeed(), old.initialProgram(), old.featureMetric(), new io.galapagos.controller.island.IslandSettings(
                1, 0, 0, -1, 0, 2, -1, 0, 0, 0, 0, 0, 0),
                new io.galapagos.controller.generation.GenerationSettings(
                        io.galapagos.controller.generation.GenerationSettings.Mode.OPENAI,
                        Optional.of(new io.galapagos.controller.generation.LlmSpec(List.of(unweighted),
                                new io.galapagos.controller.generation.PromptSettings(
                                        io.galapagos.controller.generation.AnswerFormat.DIFF, true, true, 0, true, -1, 0, 0))),
                        java.util.OptionalDouble.of(-1)));
        assertThatThrownBy(journalled::check).isInstanceOf(IllegalArgumentException.class);
        run.runCommand(new Run.Start(journalled, replies.getRef()));
        assertThat(replies.receiveMessage().isSuccess()).isTrue();
        islands.receiveSeveralMessages(2);

        run.restart();

        assertThat(run.getState().settings()).contains(journalled);
        assertThat(islands.receiveSeveralMessages(2)).extracting(Sent::command)
                .as("the recovered run wakes its islands with the settings it journalled")
                .containsExactly(new Island.Start(journalled, 0), new Island.Start(journalled, 1));
    }

    @Test
    void completesOnceEveryIslandHasFinished() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, true)));
        assertThat(run.getState().completion()).isEmpty();
        var result = run.runCommand(new Run.ReportProgress(report(1, 5, 2.0, true)));
        assertThat(result.events()).hasSize(2).last().isInstanceOf(Run.RunCompleted.class);
        assertThat(run.getState().status().phase()).isEqualTo(RunStatus.Phase.COMPLETED);
        assertThat(run.getState().status().evaluated()).isEqualTo(10);
        assertThat(run.getState().best().orElseThrow().score()).isEqualTo(2.0);
        assertThat(islands.receiveSeveralMessages(2)).extracting(Sent::command)
                .as("its islands' final reports are stored: they leave").containsExactly(new Island.Retire(0), new Island.Retire(0));
        assertThat(host.receiveMessage()).as("then the run leaves").isEqualTo("passivate");
    }

    @Test
    void aRunWhoseIslandsGaveUpShortOfTheirSharesSaysSoAndNotThatItsBudgetIsSpent() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, true)));
        var result = run.runCommand(new Run.ReportProgress(report(1, 3, 2.0, true)));
        assertThat(result.events()).last().isInstanceOf(Run.RunCompleted.class);
        int maxFailed = Fixtures.runSettings(2, 10, 1).island().maxFailedProposalsInRow();
        assertThat(((Run.RunCompleted) result.events().get(result.events().size() - 1)).reason())
                .isEqualTo("1 of 2 islands gave up after " + maxFailed + " failed proposals in a row (8 of 10 candidates evaluated)");
        assertThat(run.getState().completion()).isPresent();
    }

    @Test
    @Timeout(60)
    void aCompletedRunLeavesAgainWhenWokenAndRetiresAnIslandThatMissedItsRetirement() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, true)));
        run.runCommand(new Run.ReportProgress(report(1, 5, 2.0, true)));
        islands.receiveSeveralMessages(2);
        host.receiveMessage();

        run.restart();
        assertThat(host.receiveMessage()).as("a completed run woken by a message leaves after it").isEqualTo("passivate");
        islands.expectNoMessage(Duration.ofMillis(100)); // and wakes no island

        var late = run.runCommand(new Run.ReportProgress(report(1, 5, 2.0, true)));
        assertThat(late.events()).isEmpty();
        assertThat(islands.receiveMessage()).isEqualTo(new Sent("r1/1", new Island.Retire(0)));
    }

    @Test
    @Timeout(60)
    void aRunWhoseJournalWriteFailedRestartsAfterItsBackoffAndAnswersTheNextStart() {
        PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
        ActorRef<Run.Command> running = testKit.spawn(Run.create(PersistenceId.of("Run", "r-backoff"),
                (id, command) -> islands.getRef().tell(new Sent(id, command)), RetentionCriteria.disabled(),
                Optional.of(new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(200), 0)), EntityHost.unsharded()));
        journal.failNextPersisted();

        running.tell(new Run.Start(Fixtures.runSettings(2, 10, 1), replies.getRef()));
        // sent during the failure or the backoff: kept for the restarted run, which stores the start this time
        running.tell(new Run.Start(Fixtures.runSettings(2, 10, 1), replies.getRef()));

        StatusReply<RunStatus> started = replies.receiveMessage(Duration.ofSeconds(10));
        assertThat(started.isSuccess()).isTrue();
        assertThat(started.getValue().phase()).isEqualTo(RunStatus.Phase.RUNNING);
        assertThat(journal.persistedInStorage("Run|r-backoff")).hasSize(1);
        assertThat(islands.receiveSeveralMessages(2)).extracting(Sent::islandId).containsExactly("r1/0", "r1/1");
    }

    @Test
    @Timeout(60)
    void aPassivatedRunThatStillRunsAsksToBeStartedAgainAndStops() {
        ActorRef<Run.Command> running = testKit.spawn(Run.create(PersistenceId.of("Run", "r2"),
                (id, command) -> islands.getRef().tell(new Sent(id, command)), RetentionCriteria.disabled(), Optional.empty(),
                recordingHost(host)));
        running.tell(new Run.Start(Fixtures.runSettings(2, 10, 1), replies.getRef()));
        assertThat(replies.receiveMessage().isSuccess()).isTrue();

        running.tell(Run.Passivated.INSTANCE);

        assertThat(host.receiveMessage()).isEqualTo(Run.Tick.INSTANCE);
        host.expectTerminated(running);
    }

    @Test
    @Timeout(60)
    void anOperatorsStopStopsEveryIslandAndTheRunCompletesWithItsReasonOnceTheyFinish() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 3, 1.0, false)));

        var stopped = run.runCommand(new Run.Stop("stopped by the operator", replies.getRef()));

        assertThat(stopped.events()).singleElement().isInstanceOf(Run.RunStopped.class);
        assertThat(replies.receiveMessage().getValue().phase()).isEqualTo(RunStatus.Phase.STOPPING);
        assertThat(islands.receiveSeveralMessages(2)).extracting(Sent::command)
                .containsOnly(new Island.Stop("stopped by the operator"));
        run.runCommand(new Run.Stop("again", replies.getRef()));
        assertThat(replies.receiveMessage().getValue().reason()).contains("stopped by the operator");

        run.runCommand(new Run.ReportProgress(report(0, 4, 1.0, true)));
        var done = run.runCommand(new Run.ReportProgress(report(1, 2, 0.5, true)));
        assertThat(done.events()).last().isEqualTo(new Run.RunCompleted("stopped by the operator",
                done.events().get(done.events().size() - 1).elapsedMillis()));
    }

    @Test
    @Timeout(60)
    void stopOfARunThatNeverStartedIsAnError() {
        run.runCommand(new Run.Stop("stopped by the operator", replies.getRef()));
        assertThat(replies.receiveMessage().isError()).isTrue();
    }

    @Test
    void stopsEveryIslandWhenTheTargetScoreIsReached() {
        start(s -> new RunSettings(s.runId(), s.taskId(), s.seed(), s.islands(), s.iterations(), s.wallClockMillis(),
                s.earlyStopAfter(), Optional.of(1.5), s.cascade(), s.testBest(), s.dataDirectory(), s.dataSeed(),
                s.initialProgram(), s.featureMetric(), s.island()));
        var result = run.runCommand(new Run.ReportProgress(report(0, 2, 1.7, false)));
        assertThat(result.events()).last().isInstanceOf(Run.RunStopped.class);
        List<Sent> stops = islands.receiveSeveralMessages(2);
        assertThat(stops).allMatch(s -> s.command() instanceof Island.Stop);
    }

    @Test
    void stopsAfterTheConfiguredNumberOfCandidatesWithoutImprovement() {
        start(s -> new RunSettings(s.runId(), s.taskId(), s.seed(), s.islands(), s.iterations(), s.wallClockMillis(),
                4, s.targetScore(), s.cascade(), s.testBest(), s.dataDirectory(), s.dataSeed(),
                s.initialProgram(), s.featureMetric(), s.island()));
        run.runCommand(new Run.ReportProgress(report(0, 1, 1.0, false)));
        run.runCommand(new Run.ReportProgress(report(1, 3, 0.5, false)));
        assertThat(run.getState().stopReason()).isEmpty();
        var result = run.runCommand(new Run.ReportProgress(report(1, 4, 0.5, false)));
        assertThat(result.events()).last().isEqualTo(new Run.RunStopped("no improvement in 4 candidates",
                ((Run.RunStopped) result.events().get(1)).elapsedMillis()));
    }

    @Test
    void stopsWhenTheWallClockBudgetIsSpentAndKeepsTheClockOverARestart() {
        start(s -> new RunSettings(s.runId(), s.taskId(), s.seed(), s.islands(), s.iterations(), 1,
                s.earlyStopAfter(), s.targetScore(), s.cascade(), s.testBest(), s.dataDirectory(), s.dataSeed(),
                s.initialProgram(), s.featureMetric(), s.island()));
        var result = run.runCommand(Run.Tick.INSTANCE);
        assertThat(result.events()).hasSize(1).first().isInstanceOf(Run.RunStopped.class);
        assertThat(((Run.RunStopped) result.event()).reason()).contains("wall-clock");
        long elapsed = run.getState().elapsedMillis();
        assertThat(elapsed).isPositive();
        run.restart();
        assertThat(run.getState().elapsedMillis()).isEqualTo(elapsed);
        assertThat(run.getState().status().phase()).isEqualTo(RunStatus.Phase.STOPPING);
    }

    @Test
    void ignoresRepeatedAndStaleReports() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, false)));
        assertThat(run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, false))).events()).isEmpty();
        assertThat(run.runCommand(new Run.ReportProgress(report(0, 3, 1.0, false))).events()).isEmpty();
        assertThat(run.getState().evaluated()).isEqualTo(5);
    }

    @Test
    void recoveredRunKeepsItsTotalsAndWakesItsIslands() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, false)));
        run.restart();
        List<Sent> woken = islands.receiveSeveralMessages(2);
        assertThat(woken).allMatch(s -> s.command() instanceof Island.Start);
        assertThat(run.getState().evaluated()).isEqualTo(5);
        assertThat(run.getState().best().orElseThrow().score()).isEqualTo(1.0);
    }

    @Test
    @Timeout(60)
    void aCompletedRunWhoseBudgetIsExtendedRunsAgainAndCompletesAtTheNewTotal() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, true)));
        run.runCommand(new Run.ReportProgress(report(1, 5, 2.0, true)));
        assertThat(run.getState().status().phase()).isEqualTo(RunStatus.Phase.COMPLETED);
        assertThat(islands.receiveSeveralMessages(2)).allMatch(s -> s.command() instanceof Island.Retire);

        var result = run.runCommand(new Run.ExtendBudget(Optional.of(16L), Optional.empty(), replies.getRef()));

        assertThat(result.events()).singleElement().isInstanceOf(Run.BudgetExtended.class);
        RunStatus status = replies.receiveMessage().getValue();
        assertThat(status.phase()).isEqualTo(RunStatus.Phase.RUNNING);
        assertThat(status.settings().orElseThrow().iterations()).isEqualTo(16);
        assertThat(status.settings().orElseThrow().budgetRevision()).isEqualTo(1);
        List<Sent> woken = islands.receiveSeveralMessages(4);
        assertThat(woken.stream().filter(s -> s.command() instanceof Island.ExtendQuota))
                .extracting(Sent::islandId).containsExactly("r1/0", "r1/1");
        assertThat(woken.stream().filter(s -> s.command() instanceof Island.ExtendQuota)
                .map(s -> ((Island.ExtendQuota) s.command()).settings().quota(0))).containsOnly(8L);

        // finished reports of the earlier budget (sent before the islands heard of it) complete nothing
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, true, 0)));
        assertThat(run.runCommand(new Run.ReportProgress(report(1, 6, 2.0, true, 0))).events())
                .noneMatch(e -> e instanceof Run.RunCompleted);
        run.runCommand(new Run.ReportProgress(report(0, 8, 1.0, true, 1)));
        var done = run.runCommand(new Run.ReportProgress(report(1, 8, 2.5, true, 1)));

        assertThat(done.events()).last().isInstanceOf(Run.RunCompleted.class);
        assertThat(run.getState().status().evaluated()).isEqualTo(16);
        run.restart();
        assertThat(run.getState().status().phase()).isEqualTo(RunStatus.Phase.COMPLETED);
        assertThat(run.getState().settings().orElseThrow().iterations()).isEqualTo(16);
    }

    @Test
    @Timeout(60)
    void aRunStoppedByItsWallClockRunsOnWithALargerOneAndStopsAgainWhenItIsSpent() {
        start(s -> new RunSettings(s.runId(), s.taskId(), s.seed(), s.islands(), s.iterations(), 1,
                s.earlyStopAfter(), s.targetScore(), s.cascade(), s.testBest(), s.dataDirectory(), s.dataSeed(),
                s.initialProgram(), s.featureMetric(), s.island()));
        run.runCommand(Run.Tick.INSTANCE);
        assertThat(run.getState().stopReason()).isPresent();

        run.runCommand(new Run.ExtendBudget(Optional.empty(), Optional.of(0L), replies.getRef()));

        assertThat(replies.receiveMessage().getValue().phase()).isEqualTo(RunStatus.Phase.RUNNING);
        assertThat(run.getState().settings().orElseThrow().wallClockBudget()).isEmpty();
        assertThat(run.runCommand(Run.Tick.INSTANCE).events()).noneMatch(e -> e instanceof Run.RunStopped);

        run.runCommand(new Run.ExtendBudget(Optional.empty(), Optional.of(2L), replies.getRef()));
        replies.receiveMessage();
        var stopped = run.runCommand(Run.Tick.INSTANCE);
        assertThat(stopped.events()).singleElement().isInstanceOf(Run.RunStopped.class);
        assertThat(((Run.RunStopped) stopped.event()).reason()).isEqualTo("wall-clock budget of 2 ms spent");
    }

    @Test
    @Timeout(60)
    void anExtensionBelowWhatWasProposedIsRefused() {
        start(s -> s);
        run.runCommand(new Run.ReportProgress(report(0, 5, 1.0, false)));
        run.runCommand(new Run.ReportProgress(report(1, 4, 1.0, false)));

        var result = run.runCommand(new Run.ExtendBudget(Optional.of(8L), Optional.empty(), replies.getRef()));

        assertThat(result.events()).isEmpty();
        assertThat(replies.receiveMessage().getError().getMessage())
                .isEqualTo("the run has already proposed 9 candidates: the new iteration budget must be at least that");
    }

    @Test
    void resumeOfARunThatNeverStartedIsAnError() {
        run.runCommand(new Run.Resume(replies.getRef()));
        assertThat(replies.receiveMessage().isError()).isTrue();
    }
}
