package io.galapagos.controller.island;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EntityHost;
import io.galapagos.controller.Fixtures;
import io.galapagos.controller.RestartBackoff;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.generation.GeneratorHealth;
import io.galapagos.controller.generation.LiteralTuner;
import io.galapagos.controller.generation.LlmSpec;
import io.galapagos.controller.generation.ModelBandit;
import io.galapagos.controller.generation.ModelSelection;
import io.galapagos.controller.generation.ModelSpec;
import io.galapagos.controller.generation.PromptSettings;
import io.galapagos.controller.generation.SourceLanguage;
import io.galapagos.controller.generation.TunableLiterals;
import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.lifecycle.LifecycleLines;
import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.run.IslandReport;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.WorkPulling;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IslandTest {

    // the testkit's runCommand waits single-expect-default for the state: 3 s is short for a first command on a busy machine
    private static final ActorTestKit testKit = ActorTestKit.create(
            ConfigFactory.parseString("pekko.actor.testkit.typed.single-expect-default = 15s")
                    .withFallback(EventSourcedBehaviorTestKit.config()).withFallback(ConfigFactory.load()));

    record Sent(String islandId, Island.Command command) {
    }

    private final TestProbe<EvaluationRequest> submitted = testKit.createTestProbe();
    private final TestProbe<Run.Command> run = testKit.createTestProbe();
    private final TestProbe<Sent> neighbours = testKit.createTestProbe();

    /** Proposes the parent with a class naming the proposal, so every child is another program. */
    private SolutionGenerator generator = request -> CompletableFuture.completedFuture(
            new Proposal.Code(child(request.parent().code(), request.sequence()), "test", "a class", Usage.NONE));

    /** What each generator built for the island was told the island had spent. */
    private final List<Map<String, CostTracker.ModelTotals>> spentAtCreation = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The node's intervals: what a resumed island reports and resubmits with, whatever its journal holds. */
    private volatile IslandTimers islandTimers = Fixtures.islandTimers();

    /** Whether the islands journal the results that waited for a write together, as on a node (off: the testkit's way). */
    private volatile boolean groupResults;

    private final IslandEnvironment environment = new IslandEnvironment() {
        @Override
        public void submit(EvaluationRequest request) {
            submitted.getRef().tell(request);
        }

        @Override
        public void tellIsland(String islandId, Island.Command command) {
            neighbours.getRef().tell(new Sent(islandId, command));
        }

        @Override
        public void tellRun(String runId, Run.Command command) {
            run.getRef().tell(command);
        }

        @Override
        public SolutionGenerator generator(RunSettings settings, int islandNo,
                                           Map<String, CostTracker.ModelTotals> spent) {
            spentAtCreation.add(spent);
            return new SolutionGenerator() {
                @Override
                public CompletionStage<Proposal> propose(ProposalRequest request) {
                    return generator.propose(request);
                }

                @Override
                public GeneratorHealth health() {
                    return generator.health();
                }
            };
        }

        @Override
        public IslandTimers timers() {
            return islandTimers;
        }

        @Override
        public boolean groupsResults() {
            return groupResults;
        }

        @Override
        public String toString() {
            return "test environment";
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

    private static EvaluationResult ok(EvaluationRequest request, double score) {
        return new EvaluationResult(request.evaluationId(), request.candidateId(), request.islandId(), request.purpose(),
                EvaluationStatus.OK, score, Map.of("value", score), "fine", "TRAIN", 1, "w", Optional.of("bwrap"));
    }

    private EvaluationRequest startAndEvaluateSeed(RunSettings settings, double seedScore) {
        island.runCommand(new Island.Start(settings, 0));
        EvaluationRequest seed = submitted.receiveMessage();
        island.runCommand(new Island.EvaluationArrived(ok(seed, seedScore)));
        return seed;
    }

    @Test
    @Timeout(60)
    void anIslandRestartedAfterAJournalFailureResubmitsItsCandidatesAndAsksAgainForTheProposalItWaitedFor() {
        PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
        AtomicInteger asks = new AtomicInteger();
        // the second answer never comes: it was for the incarnation that failed
        generator = request -> asks.incrementAndGet() == 2 ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(new Proposal.Code(child(request.parent().code(), request.sequence()),
                "test", "a class", Usage.NONE));
        ActorRef<Island.Command> restarting = testKit.spawn(Island.create("r1/0", PersistenceId.of("Island", "r1/0-restarting"),
                environment, RetentionCriteria.disabled(),
                Optional.of(new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(200), 0)), EntityHost.unsharded()));
        restarting.tell(new Island.Start(Fixtures.runSettings(1, 10, 2), 0));
        EvaluationRequest seed = submitted.receiveMessage();
        restarting.tell(new Island.EvaluationArrived(ok(seed, 1.0)));
        EvaluationRequest evaluating = submitted.receiveMessage();
        assertThat(evaluating.candidateId()).as("proposal 1, while the answer for 2 hangs").isEqualTo(seed.islandId() + "/1");

        journal.failNextPersisted();
        restarting.tell(new Island.EvaluationArrived(ok(evaluating, 2.0)));

        List<String> submittedIds = new ArrayList<>();
        String waited = seed.islandId() + "/2";
        while (!submittedIds.contains(waited)) {
            submittedIds.add(submitted.receiveMessage(Duration.ofSeconds(10)).candidateId());
        }
        assertThat(submittedIds).as("candidates submitted after the restart").contains(evaluating.candidateId());
        assertThat(journal.persistedInStorage("Island|r1/0-restarting")).as("the failed write")
                .noneMatch(e -> e instanceof Island.CandidateEvaluated evaluated
                        && evaluated.candidateId().equals(evaluating.candidateId()));
    }

    @Test
    void resubmitsItsUnevaluatedCandidatesAsSoonAsANewDispatcherRegisters() {
        island.runCommand(new Island.Start(Fixtures.runSettings(1, 10, 2), 0));
        EvaluationRequest seed = submitted.receiveMessage();
        submitted.expectNoMessage(Duration.ofMillis(300));

        TestProbe<WorkPulling.ToDispatcher> successor = testKit.createTestProbe();
        testKit.system().receptionist().tell(Receptionist.register(WorkPulling.DISPATCHER, successor.getRef()));
        try {
            assertThat(submitted.receiveMessage(Duration.ofSeconds(10)).candidateId()).isEqualTo(seed.candidateId());
        } finally {
            testKit.system().receptionist().tell(Receptionist.deregister(WorkPulling.DISPATCHER, successor.getRef()));
        }
    }

    @Test
    void seedsOnceAndSubmitsTheInitialProgram() {
        var result = island.runCommand(new Island.Start(Fixtures.runSettings(1, 10, 2), 0));
        assertThat(result.events()).hasSize(2);
        assertThat(result.events().get(0)).isInstanceOf(Island.Seeded.class);
        Island.CandidateProposed seed = (Island.CandidateProposed) result.events().get(1);
        assertThat(seed.candidateId()).isEqualTo("r1/0/0");
        assertThat(seed.code()).isEqualTo(Fixtures.SEED_CODE);
        EvaluationRequest request = submitted.receiveMessage();
        assertThat(request.candidateId()).isEqualTo("r1/0/0");
        assertThat(request.cascade()).containsExactly("SMOKE", "TRAIN");

        assertThat(island.runCommand(new Island.Start(Fixtures.runSettings(1, 10, 2), 0)).events()).isEmpty();
    }

    @Test
    void keepsTheConfiguredNumberOfCandidatesInFlightAndReplacesEachAsItCompletes() {
        startAndEvaluateSeed(Fixtures.runSettings(1, 10, 3), 1.0);
        List<EvaluationRequest> inFlight = new ArrayList<>(submitted.receiveSeveralMessages(3));
        submitted.expectNoMessage(Duration.ofMillis(200));
        assertThat(island.getState().pending()).hasSize(3);

        island.runCommand(new Island.EvaluationArrived(ok(inFlight.get(0), 0.5)));
        EvaluationRequest replacement = submitted.receiveMessage();
        assertThat(replacement.candidateId()).isNotIn(inFlight.stream().map(EvaluationRequest::candidateId).toList());
        submitted.expectNoMessage(Duration.ofMillis(100));
        assertThat(island.getState().pending()).hasSize(3);
    }

    @Test
    void ignoresAResultThatArrivesTwice() {
        EvaluationRequest seed = startAndEvaluateSeed(Fixtures.runSettings(1, 10, 1), 1.0);
        assertThat(withoutProposals(island.runCommand(new Island.EvaluationArrived(ok(seed, 1.0))).events())).isEmpty();
        assertThat(island.getState().evaluated()).isEqualTo(1);
    }

    /**
     * On a node (grouping on), the results that come while the island waits for a journal write are
     * journalled in one write after it, and the island ends as if each had been written alone.
     */
    @Test
    @Timeout(60)
    void resultsThatArriveDuringAJournalWriteAreJournalledTogetherInTheNextWrite() throws Exception {
        String persistenceId = "Island|r1/0-grouped";
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<List<String>> evaluatedPerWrite = new java.util.concurrent.CopyOnWriteArrayList<>();
        PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
        holdTheWriteOf("r1/0/1", Island.CandidateEvaluated.class, Island.CandidateEvaluated::candidateId, journal,
                persistenceId, evaluatedPerWrite, writing, release);
        try {
            groupResults = true;
            ActorRef<Island.Command> grouped = testKit.spawn(Island.create("r1/0", PersistenceId.ofUniqueId(persistenceId),
                    environment, RetentionCriteria.disabled()));
            grouped.tell(new Island.Start(Fixtures.runSettings(1, 5, 4), 0));
            grouped.tell(new Island.EvaluationArrived(ok(submitted.receiveMessage(), 1.0)));
            Map<String, EvaluationRequest> children = new java.util.TreeMap<>();
            submitted.receiveSeveralMessages(4).forEach(r -> children.put(r.candidateId(), r));
            assertThat(children.keySet()).containsExactly("r1/0/1", "r1/0/2", "r1/0/3", "r1/0/4");

            grouped.tell(new Island.EvaluationArrived(ok(children.get("r1/0/1"), 0.1)));
            assertThat(writing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            for (String id : List.of("r1/0/2", "r1/0/3", "r1/0/4")) {
                grouped.tell(new Island.EvaluationArrived(ok(children.get(id), 0.2)));
            }
            grouped.tell(new Island.EvaluationArrived(ok(children.get("r1/0/3"), 0.2))); // twice: once in the journal
            release.countDown();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(evaluatedPerWrite)
                    .containsExactly(List.of("r1/0/0"), List.of("r1/0/1"), List.of("r1/0/2", "r1/0/3", "r1/0/4")));
            assertThat(journal.persistedInStorage(persistenceId).stream()
                    .filter(e -> e instanceof Island.CandidateEvaluated).count()).isEqualTo(5);
        } finally {
            release.countDown();
            journal.resetPolicy();
        }
    }

    @Test
    @Timeout(60)
    void answersThatArriveDuringAJournalWriteAreJournalledTogetherAndSubmittedAfterIt() throws Exception {
        String persistenceId = "Island|r1/0-grouped-answers";
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<List<String>> proposedPerWrite = new java.util.concurrent.CopyOnWriteArrayList<>();
        PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
        holdTheWriteOf("r1/0/1", Island.CandidateProposed.class, Island.CandidateProposed::candidateId, journal,
                persistenceId, proposedPerWrite, writing, release);
        Map<Long, CompletableFuture<Proposal>> answers = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Long, ProposalRequest> asked = new java.util.concurrent.ConcurrentHashMap<>();
        SolutionGenerator instant = generator;
        generator = request -> {
            if (request.sequence() == 1) {
                return instant.propose(request);
            }
            asked.put(request.sequence(), request);
            return answers.computeIfAbsent(request.sequence(), s -> new CompletableFuture<>());
        };
        try {
            groupResults = true;
            ActorRef<Island.Command> grouped = testKit.spawn(Island.create("r1/0", PersistenceId.ofUniqueId(persistenceId),
                    environment, RetentionCriteria.disabled()));
            grouped.tell(new Island.Start(Fixtures.runSettings(1, 5, 4), 0));
            grouped.tell(new Island.EvaluationArrived(ok(submitted.receiveMessage(), 1.0)));
            assertThat(writing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == 3);
            for (long sequence = 2; sequence <= 4; sequence++) {
                // answered while the write of r1/0/1 is held: they wait in the island's stash
                instant.propose(asked.get(sequence)).thenAccept(answers.get(sequence)::complete);
            }
            release.countDown();

            assertThat(submitted.receiveSeveralMessages(4).stream().map(EvaluationRequest::candidateId))
                    .containsExactlyInAnyOrder("r1/0/1", "r1/0/2", "r1/0/3", "r1/0/4");
            assertThat(proposedPerWrite)
                    .containsExactly(List.of("r1/0/0"), List.of("r1/0/1"), List.of("r1/0/2", "r1/0/3", "r1/0/4"));
        } finally {
            release.countDown();
            journal.resetPolicy();
            generator = instant;
        }
    }

    /**
     * Records the candidate ids of every write of {@code persistenceId} that holds events of {@code type},
     * and holds back the write that holds {@code held} until {@code release}, counting {@code writing} down
     * when it starts: the island waits for that write while the test sends what should be grouped.
     */
    private static <E> void holdTheWriteOf(String held, Class<E> type, java.util.function.Function<E, String> idOf,
                                           PersistenceTestKit journal, String persistenceId, List<List<String>> perWrite,
                                           java.util.concurrent.CountDownLatch writing,
                                           java.util.concurrent.CountDownLatch release) {
        journal.withPolicy((id, operation) -> {
            if (id.equals(persistenceId) && operation instanceof org.apache.pekko.persistence.testkit.WriteEvents write) {
                List<String> ids = write.getBatch().stream()
                        .map(e -> e instanceof org.apache.pekko.persistence.PersistentRepr repr ? repr.payload() : e)
                        .filter(type::isInstance).map(type::cast).map(idOf).toList();
                if (!ids.isEmpty()) {
                    perWrite.add(ids);
                }
                if (ids.contains(held)) {
                    writing.countDown();
                    try {
                        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return org.apache.pekko.persistence.testkit.ProcessingSuccess$.MODULE$;
        });
    }

    @Test
    void newIslandBestIsTestedOnTheHeldOutSplitAndRecordedNextToTrain() {
        island.runCommand(new Island.Start(Fixtures.runSettings(1, 10, 1, true), 0));
        EvaluationRequest seed = submitted.receiveMessage();
        var result = island.runCommand(new Island.EvaluationArrived(ok(seed, 2.0)));
        // the first child's proposal may already have been persisted by the time the test kit reads the journal
        assertThat(withoutProposals(result.events())).hasSize(2);
        assertThat(result.events().get(1)).isEqualTo(new Island.BestChanged("r1/0/0", 2.0));
        List<EvaluationRequest> next = submitted.receiveSeveralMessages(2);
        EvaluationRequest test = next.stream().filter(r -> r.purpose() == EvaluationRequest.Purpose.HELD_OUT_TEST)
                .findFirst().orElseThrow();
        assertThat(test.candidateId()).isEqualTo("r1/0/0");
        assertThat(test.cascade()).containsExactly("TEST");

        island.runCommand(new Island.EvaluationArrived(ok(test, 1.5)));
        assertThat(island.getState().best().orElseThrow().testScore()).contains(1.5);
        assertThat(island.getState().best().orElseThrow().score()).isEqualTo(2.0);
        assertThat(island.getState().pendingTests()).isEmpty();
    }

    @Test
    void recoveredIslandResubmitsUnevaluatedCandidates() {
        startAndEvaluateSeed(Fixtures.runSettings(1, 10, 2), 1.0);
        List<String> pending = submitted.receiveSeveralMessages(2).stream().map(EvaluationRequest::candidateId).toList();

        island.restart();

        List<String> resubmitted = submitted.receiveSeveralMessages(2).stream()
                .map(EvaluationRequest::candidateId).toList();
        assertThat(resubmitted).containsExactlyInAnyOrderElementsOf(pending);
        assertThat(island.getState().pending().keySet()).containsExactlyInAnyOrderElementsOf(pending);
        assertThat(island.getState().evaluated()).isEqualTo(1);
    }

    @Test
    void aResumedIslandTakesItsNodesCurrentIntervalsAndKeepsItsJournalledSearchSettings() {
        RunSettings settings = Fixtures.runSettings(1, 10, 2);
        startAndEvaluateSeed(settings, 1.0);
        List<String> pending = submitted.receiveSeveralMessages(2).stream().map(EvaluationRequest::candidateId).toList();
        submitted.expectNoMessage(Duration.ofMillis(300)); // the node's resubmit interval is an hour

        islandTimers = new IslandTimers(Duration.ofHours(1), Duration.ofMillis(50)); // the operator changed it
        island.restart();

        submitted.receiveSeveralMessages(2); // recovery resubmits what is pending
        List<String> again = submitted.receiveSeveralMessages(4, Duration.ofSeconds(20)).stream()
                .map(EvaluationRequest::candidateId).distinct().toList();
        assertThat(again).as("resubmitted on the node's new interval").containsExactlyInAnyOrderElementsOf(pending);
        assertThat(island.getState().settings()).as("the search goes on with the settings it journalled")
                .contains(settings);
    }

    @Test
    void lifecycleLinesNameTheRunTheIslandAndTheNodeAndARecoveryDoesNotRepeatThem() {
        try (LifecycleLines lines = new LifecycleLines()) {
            startAndEvaluateSeed(Fixtures.runSettings(1, 10, 2), 1.0);
            submitted.receiveSeveralMessages(2);
            island.restart();
            submitted.receiveSeveralMessages(2);
            island.runCommand(new Island.Stop("target score 1.0 reached"));

            await().atMost(Duration.ofSeconds(10)).until(() -> lines.of("island stopping").size() == 1);
            assertThat(lines.of("island started")).hasSize(1);
            assertThat(lines.of("island recovered")).singleElement()
                    .satisfies(line -> assertThat(line.getFormattedMessage())
                            .isEqualTo("island recovered proposed=3 evaluated=1 pending=2 stopped=false"));
            assertThat(lines.of("island stopping").get(0).getFormattedMessage())
                    .isEqualTo("island stopping reason=\"target score 1.0 reached\" pending=2");
            assertThat(lines.all()).isNotEmpty().allSatisfy(line -> {
                assertThat(line.getLoggerName()).isEqualTo(LifecycleLog.LOGGER);
                assertThat(line.getMDCPropertyMap()).containsEntry(LifecycleLog.RUN, "r1")
                        .containsEntry(LifecycleLog.ISLAND, "r1/0")
                        .hasEntrySatisfying(LifecycleLog.NODE, node -> assertThat(node).startsWith("pekko://"));
            });
        }
    }

    @Test
    void aPausedGeneratorIsOneLineAndItsRecoveryAnother() {
        AtomicInteger healthChecks = new AtomicInteger();
        SolutionGenerator proposing = generator;
        generator = new SolutionGenerator() {
            @Override
            public CompletionStage<Proposal> propose(ProposalRequest request) {
                return proposing.propose(request);
            }

            @Override
            public GeneratorHealth health() {
                // paused for the first few questions (an endpoint's circuit is open), then ready for good
                return healthChecks.incrementAndGet() <= 3
                        ? GeneratorHealth.paused(Optional.empty(), "every endpoint failed; next try in 5 s")
                        : GeneratorHealth.ready();
            }
        };
        try (LifecycleLines lines = new LifecycleLines()) {
            startAndEvaluateSeed(Fixtures.runSettings(1, 10, 1), 1.0);
            // the report timer asks the generator again; here each tick is sent by hand
            for (int tick = 0; tick < 4; tick++) {
                island.runCommand(Island.ReportTick.INSTANCE);
            }
            assertThat(healthChecks.get()).isGreaterThan(3);
            assertThat(lines.of("generator resumed")).hasSize(1);
            assertThat(lines.of("generator paused")).singleElement().satisfies(line -> {
                assertThat(line.getFormattedMessage())
                        .isEqualTo("generator paused reason=\"every endpoint failed; next try in 5 s\"");
                assertThat(line.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(line.getMDCPropertyMap()).containsEntry(LifecycleLog.ISLAND, "r1/0");
            });
        }
    }

    @Test
    void neverProposesBeyondItsQuotaAndReportsFinished() {
        RunSettings settings = Fixtures.runSettings(1, 3, 4);
        startAndEvaluateSeed(settings, 1.0);
        List<EvaluationRequest> children = submitted.receiveSeveralMessages(2);
        submitted.expectNoMessage(Duration.ofMillis(200));
        for (EvaluationRequest child : children) {
            island.runCommand(new Island.EvaluationArrived(ok(child, 0.1)));
        }
        assertThat(island.getState().proposed()).isEqualTo(3);
        assertThat(island.getState().evaluated()).isEqualTo(3);
        IslandReport last = null;
        while (last == null || !last.finished()) {
            last = ((Run.ReportProgress) run.receiveMessage()).report();
        }
        assertThat(last.evaluated()).isEqualTo(3);
    }

    @Test
    void aFinishedIslandLeavesWhenItsRunRetiresItAndWakesWithoutAGenerator() {
        TestProbe<Object> host = testKit.createTestProbe();
        var retiring = EventSourcedBehaviorTestKit.<Island.Command, Island.Event, Island.State>create(testKit.system(),
                Island.create("r1/0", PersistenceId.of("Island", "r1/0-retiring"), environment,
                        RetentionCriteria.disabled(), java.util.Optional.empty(), new EntityHost<>() {
                            @Override
                            public void passivate(ActorRef<Island.Command> self) {
                                host.getRef().tell("passivate");
                            }

                            @Override
                            public void wake(Island.Command message) {
                                host.getRef().tell(message);
                            }
                        }));
        retiring.runCommand(new Island.Start(Fixtures.runSettings(1, 3, 4), 0));
        retiring.runCommand(new Island.EvaluationArrived(ok(submitted.receiveMessage(), 1.0)));
        List<EvaluationRequest> children = submitted.receiveSeveralMessages(2);
        retiring.runCommand(new Island.EvaluationArrived(ok(children.get(0), 0.1)));

        retiring.runCommand(new Island.Retire(0));
        host.expectNoMessage(Duration.ofMillis(100)); // a child is still evaluated: it stays

        retiring.runCommand(new Island.EvaluationArrived(ok(children.get(1), 0.2)));
        IslandReport last = null;
        while (last == null || !last.finished()) {
            last = ((Run.ReportProgress) run.receiveMessage()).report();
        }
        retiring.runCommand(new Island.Retire(1));
        host.expectNoMessage(Duration.ofMillis(100)); // not the budget it finished
        retiring.runCommand(new Island.Retire(0));
        assertThat(host.receiveMessage()).isEqualTo("passivate");

        int generators = spentAtCreation.size();
        retiring.restart();
        IslandReport woken = ((Run.ReportProgress) run.receiveMessage()).report();
        assertThat(woken.finished()).isTrue();
        assertThat(woken.evaluated()).as("a woken finished island tells its run, which may retire it").isEqualTo(3);
        assertThat(spentAtCreation).as("a finished island builds no generator").hasSize(generators);
        retiring.clear();
    }

    @Test
    void stoppedIslandProposesNothingMoreAndFinishesWhatIsInFlight() {
        startAndEvaluateSeed(Fixtures.runSettings(1, 100, 1), 1.0);
        EvaluationRequest child = submitted.receiveMessage();
        island.runCommand(new Island.Stop("target score reached"));
        island.runCommand(new Island.EvaluationArrived(ok(child, 0.5)));
        submitted.expectNoMessage(Duration.ofMillis(200));
        assertThat(island.getState().stopped()).contains("target score reached");
        assertThat(island.getState().pending()).isEmpty();
    }

    @Test
    @Timeout(120)
    void migrantsGoToTheRingNeighbourAtFixedPointsAndReceiversIgnoreProgramsTheyHold() {
        RunSettings settings = Fixtures.runSettings(2, 100, 1);
        startAndEvaluateSeed(settings, 1.0);
        for (int i = 0; i < 2; i++) {
            island.runCommand(new Island.EvaluationArrived(ok(submitted.receiveMessage(), 0.5 + i)));
        }
        // three evaluated (migration interval 3): epoch 1 is offered downstream and awaited from upstream
        Sent offered = neighbours.receiveMessage();
        assertThat(offered.islandId()).isEqualTo("r1/1");
        Island.MigrantsOffered migrants = (Island.MigrantsOffered) offered.command();
        assertThat(migrants.epoch()).isEqualTo(1);
        assertThat(migrants.programs()).hasSize(1);
        assertThat(neighbours.receiveMessage().command()).isEqualTo(new Island.MigrantsWanted("r1/0", 1));
        submitted.expectNoMessage(Duration.ofMillis(200));
        assertThat(island.getState().awaitedEpoch()).contains(1);

        Individual foreign = new Individual("r1/1/5", Fixtures.SEED_CODE + "\n// foreign", 9.0, Map.of("value", 9.0),
                "", "r1/1", Optional.empty(), Optional.empty());
        Individual copy = new Individual("r1/1/6", Fixtures.SEED_CODE, 1.0, Map.of("value", 1.0), "", "r1/1",
                Optional.empty(), Optional.empty());
        assertThat(withoutProposals(island.runCommand(new Island.MigrantsOffered("r1/1", 1, List.of(foreign, copy)))
                .events())).singleElement().isInstanceOf(Island.MigrantsArrived.class);
        assertThat(neighbours.receiveMessage()).as("stored: the upstream island need not keep them")
                .isEqualTo(new Sent("r1/1", new Island.MigrantsReceived("r1/0", 1)));
        assertThat(island.getState().population().members()).containsKey("r1/1/5").doesNotContainKey("r1/1/6");
        assertThat(island.getState().awaitedEpoch()).isEmpty();
        assertThat(submitted.receiveMessage().candidateId()).isEqualTo("r1/0/3");
        assertThat(withoutProposals(island.runCommand(new Island.MigrantsOffered("r1/1", 1, List.of(foreign)))
                .events())).isEmpty();

        island.runCommand(new Island.MigrantsWanted("r1/1", 1));
        assertThat(neighbours.receiveMessage()).isEqualTo(new Sent("r1/1", migrants));
        island.runCommand(new Island.MigrantsWanted("r1/1", 2));
        neighbours.expectNoMessage(Duration.ofMillis(200));

        // the downstream island stored epoch 1 and this island has passed it: its migrants leave the state
        assertThat(island.getState().order().sent()).containsKey(1);
        assertThat(island.runCommand(new Island.MigrantsReceived("r1/1", 1)).events())
                .containsExactly(new Island.MigrantsDelivered(1));
        assertThat(island.getState().order().sent()).doesNotContainKey(1);
        assertThat(island.runCommand(new Island.MigrantsReceived("r1/1", 1)).events()).isEmpty();
    }

    @Test
    @Timeout(120)
    void anIslandWaitsForNoMigrantsFromAnUpstreamThatEnded() {
        startAndEvaluateSeed(Fixtures.runSettings(2, 100, 1), 1.0);
        for (int i = 0; i < 2; i++) {
            island.runCommand(new Island.EvaluationArrived(ok(submitted.receiveMessage(), 0.5 + i)));
        }
        assertThat(island.getState().awaitedEpoch()).contains(1);

        island.runCommand(new Island.NoMoreMigrants("r1/1", 1));

        assertThat(island.getState().awaitedEpoch()).isEmpty();
        assertThat(submitted.receiveMessage().candidateId()).isEqualTo("r1/0/3");
    }

    @Test
    @Timeout(120)
    void aFinishedIslandTellsItsNeighbourThatNoMoreMigrantsWillCome() {
        RunSettings settings = Fixtures.runSettings(2, 4, 1);
        startAndEvaluateSeed(settings, 1.0);
        island.runCommand(new Island.EvaluationArrived(ok(submitted.receiveMessage(), 0.5)));
        assertThat(island.getState().report(0, "").finished()).isTrue();

        island.runCommand(new Island.MigrantsWanted("r1/1", 1));

        assertThat(neighbours.receiveMessage().command()).isEqualTo(new Island.NoMoreMigrants("r1/0", 1));
    }

    /**
     * The same results, delivered in proposal order or newest first (with a crash on the way), give the
     * same proposals, parents, population and best: timing does not change a seeded run.
     */
    @Test
    @Timeout(120)
    // integration lane: slow, two whole runs compared
    @Tag("integration")
    void resultsOutOfOrderGiveTheSameRunAsResultsInOrder() {
        generator = request -> CompletableFuture.completedFuture(request.sequence() % 7 == 3
                ? new Proposal.Failed("no site to mutate", "test", Usage.NONE)
                : new Proposal.Code(child(request.parent().code(), request.sequence()), "test", "c", Usage.NONE));
        RunSettings settings = Fixtures.runSettings(1, 24, 3);

        String inOrder = drive(island, settings, false);
        var other = EventSourcedBehaviorTestKit.<Island.Command, Island.Event, Island.State>create(testKit.system(),
                Island.create("r1/0", PersistenceId.of("Island", "r1/0-again"), environment, RetentionCriteria.disabled()));
        String newestFirst = drive(other, settings, true);

        assertThat(newestFirst).isEqualTo(inOrder);
        assertThat(inOrder).contains("r1/0/23").contains("evaluated=24");
    }

    /** A journal written when results were applied as they arrived (and migrants inserted at once) still recovers. */
    @Test
    @Timeout(120)
    void aJournalOfResultsAppliedAsTheyArrivedRecoversAndGoesOn() {
        RunSettings settings = Fixtures.runSettings(1, 10, 2);
        Individual migrant = new Individual("r1/1/4", Fixtures.SEED_CODE + "\n// migrant", 0.5, Map.of("value", 0.5),
                "", "r1/1", Optional.empty(), Optional.empty());
        island.persistenceTestKit().persistForRecovery("Island|r1/0", List.of(
                new Island.Seeded(settings, 0),
                new Island.CandidateProposed("r1/0/0", 0, Fixtures.SEED_CODE, Optional.empty(), "initial", "", Usage.NONE),
                evaluated("r1/0/0", 1.0), new Island.BestChanged("r1/0/0", 1.0),
                child(1), child(2), evaluated("r1/0/2", 2.0), new Island.BestChanged("r1/0/2", 2.0), child(3),
                new Island.MigrantsAccepted("r1/1", List.of(migrant))));

        island.restart();

        List<String> resubmitted = submitted.receiveSeveralMessages(2).stream().map(EvaluationRequest::candidateId).toList();
        assertThat(resubmitted).containsExactlyInAnyOrder("r1/0/1", "r1/0/3");
        assertThat(island.getState().best().orElseThrow().candidateId()).isEqualTo("r1/0/2");
        EvaluationRequest.Purpose selection = EvaluationRequest.Purpose.SELECTION;
        island.runCommand(new Island.EvaluationArrived(new EvaluationResult(
                EvaluationRequest.evaluationId("r1/0/1", selection), "r1/0/1", "r1/0", selection, EvaluationStatus.OK,
                0.7, Map.of("value", 0.7), "", "TRAIN", 1, "w", Optional.empty())));
        // a recovered island may submit its unevaluated candidates once more (a new dispatcher listing)
        String next = submitted.receiveMessage().candidateId();
        while (!next.equals("r1/0/4")) {
            assertThat(next).isIn("r1/0/1", "r1/0/3");
            next = submitted.receiveMessage().candidateId();
        }
        assertThat(island.getState().evaluated()).isEqualTo(3);
        assertThat(island.getState().population().members()).containsKeys("r1/0/1", "r1/0/2", "r1/1/4");
    }

    /** With constraints on, a higher score that misses more than the seed did is not the island's best. */
    @Test
    @Timeout(20)
    void withConstraintsABestMustKeepTheFirstProgramsLimit() {
        IslandSettings constrained = new IslandSettings(2, 4, 4, 0.2, 0.7, 0.1, 2, 2, 3, 1, 3, 5, 1.0,
                TuningSettings.OFF, new Constraints(Constraints.Mode.INITIAL, Map.of("misses", true)));
        RunSettings settings = new RunSettings("r1", "fake", 7, 1, 10, 3_600_000, 0, Optional.empty(),
                List.of("SMOKE", "TRAIN"), false, Optional.empty(), 42, Fixtures.SEED_CODE, "value", constrained);
        Island.State state = Island.State.empty().apply(new Island.Seeded(settings, 0)).apply(
                new Island.CandidateProposed("r1/0/0", 0, Fixtures.SEED_CODE, Optional.empty(), "initial", "", Usage.NONE));

        List<Island.Event> seed = Island.withBestChanges(state, List.of(scored("r1/0/0", 1.0, 2)));
        assertThat(seed).endsWith(new Island.BestChanged("r1/0/0", 1.0, 0));
        for (Island.Event event : seed) {
            state = state.apply(event);
        }
        state = state.apply(child(1)).apply(child(2));
        List<Island.Event> cheat = Island.withBestChanges(state, List.of(scored("r1/0/1", 9.0, 5)));
        assertThat(cheat).noneMatch(e -> e instanceof Island.BestChanged);
        for (Island.Event event : cheat) {
            state = state.apply(event);
        }
        assertThat(Island.withBestChanges(state, List.of(scored("r1/0/2", 1.5, 1))))
                .endsWith(new Island.BestChanged("r1/0/2", 1.5, 0));
        assertThat(state.population().best().orElseThrow().candidateId()).isEqualTo("r1/0/0");
    }

    private static Island.CandidateEvaluated scored(String candidateId, double score, double misses) {
        return new Island.CandidateEvaluated(candidateId, EvaluationStatus.OK, score,
                Map.of("value", score, "misses", misses), "", "TRAIN", 1, "w", Optional.empty());
    }

    private static Island.CandidateProposed child(long sequence) {
        return new Island.CandidateProposed("r1/0/" + sequence, sequence, child(Fixtures.SEED_CODE, sequence),
                Optional.of("r1/0/0"), "test", "", Usage.NONE);
    }

    /** {@code parent} with one more class, named after proposal {@code sequence}. */
    private static String child(String parent, long sequence) {
        return parent + "\nclass Child" + sequence + " {}";
    }

    private static Island.CandidateEvaluated evaluated(String candidateId, double score) {
        return new Island.CandidateEvaluated(candidateId, EvaluationStatus.OK, score, Map.of("value", score), "",
                "TRAIN", 1, "w", Optional.empty());
    }

    /** Answers the island's candidates one at a time, the oldest or the newest in flight first; returns what it saw. */
    private String drive(EventSourcedBehaviorTestKit<Island.Command, Island.Event, Island.State> kit,
                         RunSettings settings, boolean newestFirst) {
        kit.runCommand(new Island.Start(settings, 0));
        List<EvaluationRequest> outstanding = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        boolean restarted = false;
        while (true) {
            await().atMost(Duration.ofSeconds(20)).until(() -> kit.getState().order().due().isEmpty());
            int fresh = kit.getState().pending().size() - outstanding.size();
            if (fresh > 0) {
                outstanding.addAll(submitted.receiveSeveralMessages(fresh));
            }
            if (outstanding.isEmpty()) {
                break;
            }
            outstanding.sort(java.util.Comparator.comparingLong(r -> Island.sequenceOf(r.candidateId())));
            EvaluationRequest next = outstanding.remove(newestFirst ? outstanding.size() - 1 : 0);
            long sequence = Island.sequenceOf(next.candidateId());
            double score = Math.floorMod(next.source().hashCode(), 1000) / 100.0;
            EvaluationResult result = sequence % 5 == 4
                    ? new EvaluationResult(next.evaluationId(), next.candidateId(), next.islandId(), next.purpose(),
                    EvaluationStatus.RUNTIME_ERROR, Double.NaN, Map.of(), "boom", "SMOKE", 1, "w", Optional.empty())
                    : ok(next, score);
            kit.runCommand(new Island.EvaluationArrived(result));
            if (newestFirst && !restarted && sequence == 9) {
                restarted = true;
                int resubmitted = kit.getState().pending().size();
                kit.restart();
                submitted.receiveSeveralMessages(resubmitted); // a recovered island submits its candidates again
            }
        }
        Island.State state = kit.getState();
        List<String> members = new ArrayList<>(state.population().members().keySet());
        members.sort(null);
        seen.append("evaluated=").append(state.evaluated()).append(" failed=").append(state.failedProposals())
                .append(" best=").append(state.best().map(b -> b.candidateId() + "@" + b.score()).orElse("-"))
                .append(" members=").append(members).append(" recentFailures=").append(state.recentFailures());
        for (Object event : kit.persistenceTestKit().persistedInStorage(
                "Island|" + (kit == island ? "r1/0" : "r1/0-again"))) {
            if (event instanceof Island.CandidateProposed p) {
                seen.append("\n").append(p.candidateId()).append(" <- ").append(p.parentId().orElse("-"))
                        .append(" ").append(p.code().hashCode());
            }
        }
        return seen.toString();
    }

    /** The run settings with an ensemble of {@code good} and {@code weak}, chosen by the bandit. */
    private static RunSettings banditSettings(int iterations, int inFlight) {
        List<ModelSpec> models = List.of("weak", "good").stream().map(name -> new ModelSpec(name, 0.5,
                java.net.URI.create("http://127.0.0.1:1/v1"), Optional.empty(), java.util.OptionalDouble.empty(),
                java.util.OptionalDouble.empty(), 1000, 1.0, 1.0, false)).toList();
        LlmSpec llm = new LlmSpec(models, PromptSettings.defaults(), ModelSelection.BANDIT);
        return Fixtures.runSettings(1, iterations, inFlight).withGeneration(new GenerationSettings(
                GenerationSettings.Mode.OPENAI, Optional.of(llm), java.util.OptionalDouble.empty()));
    }

    /** Evaluates {@code request}: a child of {@code good} scores its sequence higher than the seed, one of {@code weak} less. */
    private static EvaluationResult byModel(EvaluationRequest request) {
        long sequence = Island.sequenceOf(request.candidateId());
        return ok(request, request.source().endsWith("// by good") ? 1.0 + sequence : 0.5);
    }

    @Test
    void anIslandRebuiltFromItsEventsContinuesWithTheSameModelEarningsAndChoices() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        generator = request -> {
            String model = request.model().orElse("none");
            asked.add(model);
            return CompletableFuture.completedFuture(new Proposal.Code(child(request.parent().code(),
                    request.sequence()) + "\n// by " + model, model, "s", new Usage(100, 10, 0.01)));
        };
        startAndEvaluateSeed(banditSettings(24, 2), 1.0);
        for (int i = 0; i < 10; i++) {
            island.runCommand(new Island.EvaluationArrived(byModel(submitted.receiveMessage())));
        }
        Island.State before = island.getState();
        ModelBandit.Earnings earnings = before.earnings();
        assertThat(earnings.of("good").outcomes()).isPositive();
        assertThat(earnings.of("weak").outcomes()).isPositive();
        assertThat(earnings.of("good").improvement()).isPositive();
        assertThat(earnings.of("weak").improvement()).isZero();
        assertThat(asked).as("every model is tried first, in ensemble order").startsWith("weak", "good");

        int inEvaluation = before.pending().size();
        island.restart();
        assertThat(island.getState().earnings()).isEqualTo(earnings);
        assertThat(island.getState().order().due()).isEqualTo(before.order().due());
        List<EvaluationRequest> resubmitted = submitted.receiveSeveralMessages(inEvaluation);

        for (EvaluationRequest request : resubmitted) {
            island.runCommand(new Island.EvaluationArrived(byModel(request)));
        }
        while (island.getState().evaluated() < 24) {
            island.runCommand(new Island.EvaluationArrived(byModel(submitted.receiveMessage())));
        }
        ModelBandit.Earnings after = island.getState().earnings();
        assertThat(after.of("good").chosen()).isGreaterThan(2 * after.of("weak").chosen());
        assertThat(asked.stream().filter("none"::equals)).isEmpty();
    }

    @Test
    void aSpentBudgetStopsTheIslandAndWhatIsInFlightStillFinishes() {
        Usage call = new Usage(1200, 300, 0.25);
        AtomicInteger asked = new AtomicInteger();
        generator = new SolutionGenerator() {
            @Override
            public CompletionStage<Proposal> propose(ProposalRequest request) {
                asked.incrementAndGet();
                return CompletableFuture.completedFuture(new Proposal.Code(child(request.parent().code(),
                        request.sequence()), "model-a", "paid", call));
            }

            @Override
            public GeneratorHealth health() {
                return asked.get() == 0 ? GeneratorHealth.ready() : GeneratorHealth.exhausted("USD budget spent: $0.25 of $0.25");
            }
        };
        startAndEvaluateSeed(Fixtures.runSettings(1, 10, 3), 1.0);
        EvaluationRequest child = submitted.receiveMessage();
        await().until(() -> island.getState().stopped().isPresent());
        assertThat(island.getState().stopped()).contains("USD budget spent: $0.25 of $0.25");
        assertThat(island.getState().report(0, "").finished()).isFalse();

        island.runCommand(new Island.EvaluationArrived(ok(child, 0.5)));

        Island.State state = island.getState();
        assertThat(asked.get()).isEqualTo(1);
        assertThat(state.proposed()).isEqualTo(2);
        assertThat(state.report(0, "").finished()).isTrue();
        assertThat(state.spending()).isEqualTo(Map.of("model-a", new CostTracker.ModelTotals(1, 1200, 300, 0.25)));
    }

    @Test
    void aRecoveredIslandGivesItsGeneratorWhatEarlierCallsCost() {
        AtomicInteger asked = new AtomicInteger();
        generator = request -> CompletableFuture.completedFuture(asked.incrementAndGet() % 2 == 1
                ? Proposal.Failed.call("model-b timed out", "model-b", new Usage(500, 0, 0.001))
                : new Proposal.Code(child(request.parent().code(), request.sequence()), "model-b", "s",
                        new Usage(800, 100, 0.002)));
        startAndEvaluateSeed(Fixtures.runSettings(1, 10, 1), 1.0);
        EvaluationRequest inFlight = submitted.receiveMessage();
        assertThat(spentAtCreation).containsExactly(Map.of());

        island.restart();
        assertThat(spentAtCreation).as("nothing is due while the child is evaluated: no generator yet").hasSize(1);
        island.runCommand(new Island.EvaluationArrived(ok(inFlight, 0.5)));

        await().until(() -> spentAtCreation.size() == 2);
        CostTracker.ModelTotals replayed = spentAtCreation.get(1).get("model-b");
        assertThat(replayed.calls()).isEqualTo(2);
        assertThat(replayed.promptTokens()).isEqualTo(1300);
        assertThat(replayed.completionTokens()).isEqualTo(100);
        assertThat(replayed.costUsd()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aProposalThatRepeatsAnEarlierCandidateUpToLayoutIsNotEvaluatedAndTheNextPromptSaysWhy() {
        // one in flight: each proposal is chosen once the one before it was applied
        generator = request -> CompletableFuture.completedFuture(new Proposal.Code(request.sequence() == 2
                ? "  " + request.parent().code().replace("\n", "\n\n") + "\n// only the layout differs"
                : child(request.parent().code(), request.sequence()), "test", "s", Usage.NONE));
        startAndEvaluateSeed(Fixtures.runSettings(1, 4, 1), 1.0);
        EvaluationRequest first = submitted.receiveMessage();
        assertThat(first.candidateId()).isEqualTo("r1/0/1");

        island.runCommand(new Island.EvaluationArrived(ok(first, 0.5)));

        EvaluationRequest next = submitted.receiveMessage();
        assertThat(next.candidateId()).as("proposal 2 repeats its parent: not evaluated").isEqualTo("r1/0/3");
        Island.State state = island.getState();
        assertThat(state.failedProposals()).isEqualTo(1);
        assertThat(state.recentFailures()).singleElement().satisfies(f -> assertThat(f.reason())
                .startsWith(Island.DUPLICATE + "r1/0/").contains("it was not evaluated again"));
        island.runCommand(new Island.EvaluationArrived(ok(next, 0.7)));
        EvaluationRequest last = submitted.receiveMessage();
        assertThat(last.candidateId()).as("the duplicate did not count against the quota of 4").isEqualTo("r1/0/4");
        assertThat(island.getState().evaluated()).isEqualTo(3);
    }

    /** The ProposalFailed events of the island under test, as journalled. */
    private List<Island.ProposalFailed> journalledFailures() {
        return PersistenceTestKit.create(testKit.system()).persistedInStorage("Island|r1/0").stream()
                .filter(Island.ProposalFailed.class::isInstance).map(Island.ProposalFailed.class::cast).toList();
    }

    @Test
    void aRepeatOfACandidateStillInEvaluationIsNotEvaluatedTwiceNorCountedAndRecoveryKeepsThat() {
        // proposals 1 and 2 are chosen together (two in flight) and answer the same program
        generator = request -> CompletableFuture.completedFuture(new Proposal.Code(
                child(request.parent().code(), request.sequence() <= 2 ? 99 : request.sequence()), "test", "s",
                Usage.NONE));
        startAndEvaluateSeed(Fixtures.runSettings(1, 4, 2), 1.0);
        EvaluationRequest first = submitted.receiveMessage();
        assertThat(first.candidateId()).isEqualTo("r1/0/1");
        await().until(() -> island.getState().failedProposals() == 1);
        assertThat(journalledFailures()).singleElement().satisfies(f -> {
            assertThat(f.sequence()).isEqualTo(2);
            assertThat(f.repeats()).hasValueSatisfying(r -> {
                assertThat(r.candidateId()).isEqualTo("r1/0/1");
                assertThat(r.exact()).isTrue();
            });
            assertThat(f.reason()).startsWith(Island.DUPLICATE + "r1/0/1");
        });

        island.runCommand(new Island.EvaluationArrived(ok(first, 2.0)));
        List<String> next = submitted.receiveSeveralMessages(2).stream().map(EvaluationRequest::candidateId).toList();

        assertThat(next).as("the repeat did not count against the quota of 4").containsExactlyInAnyOrder("r1/0/3", "r1/0/4");
        Island.State live = island.getState();
        assertThat(live.proposed()).isEqualTo(4);
        assertThat(live.pending()).containsOnlyKeys("r1/0/3", "r1/0/4");
        assertThat(island.restart().state()).as("the state recovered from the journal").isEqualTo(live);
        assertThat(submitted.receiveSeveralMessages(2)).extracting(EvaluationRequest::candidateId)
                .as("recovery resubmits the pending candidates only").containsExactlyInAnyOrder("r1/0/3", "r1/0/4");
    }

    @Test
    void anAnswerThatArrivesBeforeAnEarlierOneWaitsForIt() {
        // proposal 1 answers late and proposal 2 early, with the same program: 1 is evaluated, 2 is its repeat
        CompletableFuture<Proposal> late = new CompletableFuture<>();
        generator = request -> request.sequence() == 1 ? late : CompletableFuture.completedFuture(
                new Proposal.Code(child(request.parent().code(), request.sequence() == 2 ? 99 : request.sequence()),
                        "test", "s", Usage.NONE));
        EvaluationRequest seed = startAndEvaluateSeed(Fixtures.runSettings(1, 4, 2), 1.0);
        await().until(() -> island.getState().order().due().keySet().equals(java.util.Set.of(1L, 2L)));
        submitted.expectNoMessage(Duration.ofMillis(200));

        late.complete(new Proposal.Code(child(seed.source(), 99), "test", "s", Usage.NONE));

        assertThat(submitted.receiveMessage().candidateId()).isEqualTo("r1/0/1");
        await().until(() -> island.getState().failedProposals() == 1);
        assertThat(journalledFailures()).singleElement().satisfies(f -> {
            assertThat(f.sequence()).isEqualTo(2);
            assertThat(f.repeats().map(Island.Repeat::candidateId)).contains("r1/0/1");
        });
    }

    @Test
    void aNearDuplicateOfAShownProgramIsRejectedWithItsSimilarityAndTheNextPromptSeesIt() {
        String body = "\nclass Tuning {\n" + java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "    double w" + i + "() { return " + i + ".5 * Math.max(1, " + i + "); }\n")
                .reduce("", String::concat) + "}";
        List<ProposalRequest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        generator = request -> {
            asked.add(request);
            String code = request.sequence() == 1 ? request.parent().code() + body
                    // proposal 2: one constant of its parent changed (a new program, nearly the same)
                    : request.sequence() == 2 ? request.parent().code().replace("return 7.5", "return 7.25")
                    // then unlike either: a small class beside the seed
                    : child(Fixtures.SEED_CODE, request.sequence());
            return CompletableFuture.completedFuture(new Proposal.Code(code, "test", "s", Usage.NONE));
        };
        RunSettings settings = new RunSettings("r1", "fake", 7, 1, 4, 3_600_000, 0, Optional.empty(),
                List.of("SMOKE", "TRAIN"), false, Optional.empty(), 42, Fixtures.SEED_CODE, "value",
                new IslandSettings(1, 4, 4, 0, 0, 1, 2, 2, 3, 1, 3, 5, 0.95));
        startAndEvaluateSeed(settings, 1.0);
        EvaluationRequest first = submitted.receiveMessage();

        island.runCommand(new Island.EvaluationArrived(ok(first, 2.0)));

        EvaluationRequest third = submitted.receiveMessage();
        assertThat(third.candidateId()).as("proposal 2 was not evaluated").isEqualTo("r1/0/3");
        assertThat(journalledFailures()).singleElement().satisfies(f -> {
            assertThat(f.repeats()).hasValueSatisfying(r -> {
                assertThat(r.candidateId()).isEqualTo("r1/0/1");
                assertThat(r.exact()).isFalse();
                assertThat(r.similarity()).isBetween(0.95, 1.0);
                assertThat(r.earlierScore()).contains(2.0);
            });
            assertThat(f.reason()).startsWith(Island.NEAR_DUPLICATE + "r1/0/1 (similarity 0.9");
        });
        assertThat(asked.get(asked.size() - 1).recentFailures()).as("the failed attempts the next prompt shows")
                .anySatisfy(a -> assertThat(a.reason()).startsWith(Island.NEAR_DUPLICATE + "r1/0/1"));
        assertThat(island.getState().evaluated()).isEqualTo(2);
    }

    @Test
    void failedCallsNeitherFeedThePromptNorMakeTheIslandGiveUp() {
        int maxInRow = Fixtures.runSettings(1, 10, 1).island().maxFailedProposalsInRow();
        AtomicInteger asked = new AtomicInteger();
        generator = request -> CompletableFuture.completedFuture(asked.incrementAndGet() <= maxInRow + 3
                ? Proposal.Failed.call("HTTP 503 from the endpoint", "model-c", Usage.NONE)
                : new Proposal.Code(request.parent().code() + "\nclass UpAgain {}", "model-c", "s", Usage.NONE));
        startAndEvaluateSeed(Fixtures.runSettings(1, 10, 1), 1.0);

        EvaluationRequest child = submitted.receiveMessage();

        assertThat(child.source()).endsWith("class UpAgain {}");
        Island.State state = island.getState();
        assertThat(state.failedProposals()).isEqualTo(maxInRow + 3);
        assertThat(state.recentFailures()).isEmpty();
        assertThat(state.spending()).isEmpty();
    }

    @Test
    @Timeout(60)
    void anIslandWhoseQuotaWasSpentProposesAgainUpToTheExtendedQuotaAndEvaluatesNothingTwice() {
        RunSettings settings = Fixtures.runSettings(1, 3, 4);
        startAndEvaluateSeed(settings, 1.0);
        List<EvaluationRequest> first = submitted.receiveSeveralMessages(2);
        for (EvaluationRequest child : first) {
            island.runCommand(new Island.EvaluationArrived(ok(child, 0.1)));
        }
        await().until(() -> island.getState().report(0, "").finished());
        island.runCommand(new Island.Stop("iteration budget spent"));

        RunSettings extended = settings.extended(Optional.of(6L), Optional.empty());
        var result = island.runCommand(new Island.ExtendQuota(extended));

        assertThat(result.events()).first().isEqualTo(new Island.QuotaExtended(extended));
        assertThat(island.getState().stopped()).isEmpty();
        List<EvaluationRequest> more = submitted.receiveSeveralMessages(3);
        submitted.expectNoMessage(Duration.ofMillis(200));
        List<String> earlier = new ArrayList<>(first.stream().map(EvaluationRequest::candidateId).toList());
        earlier.add("r1/0/0");
        assertThat(more).extracting(EvaluationRequest::candidateId).doesNotContainAnyElementsOf(earlier)
                .containsExactlyInAnyOrder("r1/0/3", "r1/0/4", "r1/0/5");
        for (EvaluationRequest child : more) {
            island.runCommand(new Island.EvaluationArrived(ok(child, 0.2)));
        }
        assertThat(island.getState().evaluated()).isEqualTo(6);
        assertThat(island.getState().report(0, "")).satisfies(r -> {
            assertThat(r.finished()).isTrue();
            assertThat(r.budgetRevision()).isEqualTo(1);
        });

        // the same revision again (a repeated message, a woken run) changes nothing
        assertThat(withoutProposals(island.runCommand(new Island.ExtendQuota(extended)).events())).isEmpty();
        island.restart();
        assertThat(island.getState().settings()).contains(extended);
        assertThat(island.getState().evaluated()).isEqualTo(6);
    }

    @Test
    @Timeout(60)
    void anIslandThatGaveUpAfterFailuresInARowGetsAFreshCountWhenItsQuotaIsExtended() {
        RunSettings settings = Fixtures.runSettings(1, 50, 1);
        int maxInRow = settings.island().maxFailedProposalsInRow();
        AtomicInteger asked = new AtomicInteger();
        generator = request -> CompletableFuture.completedFuture(asked.incrementAndGet() <= maxInRow
                ? new Proposal.Failed("no diff in the answer", "model-d", Usage.NONE)
                : new Proposal.Code(request.parent().code() + "\nclass WorksNow {}", "model-d", "s", Usage.NONE));
        startAndEvaluateSeed(settings, 1.0);
        await().until(() -> island.getState().failedInRow() == maxInRow);
        assertThat(island.getState().report(0, "").finished()).isTrue();

        island.runCommand(new Island.ExtendQuota(settings.extended(Optional.empty(), Optional.empty())));

        assertThat(submitted.receiveMessage().source()).endsWith("class WorksNow {}");
    }

    @Test
    @Timeout(60)
    void aBranchedRunSeedsEachIslandWithTheBestProgramAndItsShareOfTheOthers() {
        RunSettings settings = Fixtures.runSettings(2, 10, 1)
                .withSeedPrograms(List.of("best", "second", "third", "fourth"));
        assertThat(settings.seedsOf(0)).containsExactly("best", "second", "fourth");
        assertThat(settings.seedsOf(1)).containsExactly("best", "third");

        var result = island.runCommand(new Island.Start(settings, 0));

        List<Island.CandidateProposed> seeds = result.events().stream()
                .filter(e -> e instanceof Island.CandidateProposed).map(e -> (Island.CandidateProposed) e).toList();
        assertThat(seeds).extracting(Island.CandidateProposed::candidateId).containsExactly("r1/0/0", "r1/0/1", "r1/0/2");
        assertThat(seeds).extracting(Island.CandidateProposed::code).containsExactly("best", "second", "fourth");
        assertThat(seeds).allMatch(seed -> seed.parentId().isEmpty() && seed.generator().equals("seed"));
        assertThat(submitted.receiveSeveralMessages(3)).extracting(EvaluationRequest::candidateId)
                .containsExactlyInAnyOrder("r1/0/0", "r1/0/1", "r1/0/2");
        assertThat(island.getState().nextSequence()).isEqualTo(3);
        assertThat(island.getState().proposed()).isEqualTo(3);
    }

    @Test
    @Timeout(60)
    void aBranchedRunNeedsIterationsForEverySeed() {
        RunSettings settings = Fixtures.runSettings(2, 4, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings.withSeedPrograms(List.of("a", "b", "c", "d")).checkBudget())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too few for the 4 seed programs");
    }

    /** A program with one tunable literal (1.5): its score is best with 2.5 there; children elsewhere add classes. */
    private static final String TUNED_SEED = String.join("\n",
            "public class Candidate {",
            "    // EVOLVE-BLOCK-START",
            "    double value() { return 1.5; } // 0 and 1 and \"9\" are no tuning points",
            "    // EVOLVE-BLOCK-END",
            "}");

    private static double tunedScore(String code) {
        List<TunableLiterals.Literal> literals = TunableLiterals.of(code, SourceLanguage.JAVA, 8).literals();
        return -Math.pow(literals.get(0).number().value() - 2.5, 2);
    }

    private static RunSettings tuningSettings(long iterations) {
        return new RunSettings("r1", "fake", 7, 1, iterations, 3_600_000, 0, Optional.empty(), List.of("SMOKE", "TRAIN"),
                false, Optional.empty(), 42, TUNED_SEED, "value",
                Fixtures.islandSettings(2).withTuning(new TuningSettings(true, 4, 0, 0.25, 8)));
    }

    /**
     * A new best starts a tuning episode: its points are candidates of generator "tune", children of the tuned
     * program, evaluated and counted against the island's quota like the generator's; an island restarted in
     * the middle of the episode recovers the same state and goes on with the same points as one never restarted.
     */
    @Test
    @Timeout(120)
    void aTuningEpisodeProposesCandidatesOfItsOwnWithinTheBudgetAndRecoveryContinuesItIdentically() {
        RunSettings settings = tuningSettings(12);

        String straight = driveTuning(island, "r1/0", settings, -1);
        Island.State state = island.getState();
        List<Island.CandidateProposed> proposed = island.persistenceTestKit().persistedInStorage("Island|r1/0").stream()
                .filter(Island.CandidateProposed.class::isInstance).map(Island.CandidateProposed.class::cast).toList();
        var other = EventSourcedBehaviorTestKit.<Island.Command, Island.Event, Island.State>create(testKit.system(),
                Island.create("r1/0", PersistenceId.of("Island", "r1/0-restarted"), environment,
                        RetentionCriteria.disabled()));
        String restarted = driveTuning(other, "r1/0-restarted", settings, 4);

        assertThat(restarted).isEqualTo(straight);
        List<Island.CandidateProposed> tuned = proposed.stream()
                .filter(p -> p.generator().equals(LiteralTuner.GENERATOR)).toList();
        assertThat(tuned).hasSize(4).allSatisfy(p -> {
            assertThat(p.parentId()).contains("r1/0/0");
            assertThat(p.code()).doesNotContain("return 1.5;").contains("0 and 1 and \"9\"");
        });
        assertThat(proposed).as("tuning points count against the quota of 12").hasSize(12);
        assertThat(state.evaluated()).isEqualTo(12);
        assertThat(state.tuning().episode()).as("the episode ended after max-evaluations").isEmpty();
        assertThat(state.best().orElseThrow().score()).as("tuning improved on the seed's -1")
                .isGreaterThan(tunedScore(TUNED_SEED));
        assertThat(proposed.stream().filter(p -> p.candidateId().equals(state.best().orElseThrow().candidateId())))
                .singleElement().extracting(Island.CandidateProposed::generator).isEqualTo(LiteralTuner.GENERATOR);
    }

    /**
     * Answers the island's candidates oldest first, scored by their tuned literal; after {@code restartAfter}
     * results (if positive) restarts the island, which must recover the state it had, an episode running.
     */
    private String driveTuning(EventSourcedBehaviorTestKit<Island.Command, Island.Event, Island.State> kit,
                               String persistenceId, RunSettings settings, int restartAfter) {
        kit.runCommand(new Island.Start(settings, 0));
        List<EvaluationRequest> outstanding = new ArrayList<>();
        int answered = 0;
        while (true) {
            await().atMost(Duration.ofSeconds(20)).until(() -> kit.getState().order().due().isEmpty());
            int fresh = kit.getState().pending().size() - outstanding.size();
            if (fresh > 0) {
                outstanding.addAll(submitted.receiveSeveralMessages(fresh));
            }
            if (outstanding.isEmpty()) {
                break;
            }
            outstanding.sort(java.util.Comparator.comparingLong(r -> Island.sequenceOf(r.candidateId())));
            EvaluationRequest next = outstanding.remove(0);
            kit.runCommand(new Island.EvaluationArrived(ok(next, tunedScore(next.source()))));
            if (++answered == restartAfter) {
                await().atMost(Duration.ofSeconds(20)).until(() -> kit.getState().order().due().isEmpty());
                Island.State live = kit.getState();
                assertThat(live.tuning().episode()).as("restarted in the middle of an episode").isPresent();
                assertThat(live.tuning().episode().get().scores()).isNotEmpty();
                int resubmitted = live.pending().size();
                outstanding.addAll(submitted.receiveSeveralMessages(resubmitted - outstanding.size()));
                assertThat(kit.restart().state()).isEqualTo(live);
                submitted.receiveSeveralMessages(resubmitted);
            }
        }
        StringBuilder seen = new StringBuilder("evaluated=" + kit.getState().evaluated());
        for (Object event : kit.persistenceTestKit().persistedInStorage("Island|" + persistenceId)) {
            if (event instanceof Island.CandidateProposed p) {
                seen.append("\n").append(p.candidateId()).append(" <- ").append(p.parentId().orElse("-")).append(' ')
                        .append(p.generator()).append(' ').append(p.summary()).append(' ').append(p.code().hashCode());
            } else if (event instanceof Island.ProposalFailed f) {
                seen.append("\n").append(f.sequence()).append(" failed ").append(f.generator()).append(' ')
                        .append(f.reason());
            }
        }
        return seen.toString();
    }

    /**
     * Proposals answer asynchronously (piped to the island), so a command's persisted events may include a
     * child proposed in between; the assertions about a command's own events leave those out.
     */
    private static List<Island.Event> withoutProposals(List<Island.Event> events) {
        return events.stream().filter(e -> !(e instanceof Island.CandidateProposed)).toList();
    }
}
