package io.galapagos.controller.island;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.FailedAttempt;
import io.galapagos.controller.generation.GeneratorHealth;
import io.galapagos.controller.generation.Program;
import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.run.BestSummary;
import io.galapagos.controller.run.IslandReport;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.CborSerializable;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationRequest.Purpose;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.Printable;
import io.galapagos.protocol.WorkPulling;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One island of a run: an event-sourced, sharded entity (id {@code <run>/<n>}) that keeps a fixed
 * number of candidates in generation or evaluation, replaces each as it completes, keeps the
 * survivors in a MAP-Elites population, sends migrants to its ring neighbour and reports its counters
 * to the run. After a crash it replays its journal and submits every unevaluated candidate again;
 * results that arrive twice are ignored by candidate id.
 */
public final class Island extends EventSourcedBehavior<Island.Command, Island.Event, Island.State> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Island");

    /** Longest feedback text kept in the journal per evaluation. */
    static final int MAX_FEEDBACK = 4000;

    public static void init(ActorSystem<?> system, IslandEnvironment environment, RetentionCriteria retention,
                            String role) {
        ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(),
                        PersistenceId.of(entity.getEntityTypeKey().name(), entity.getEntityId()), environment, retention))
                .withRole(role));
    }

    public static Behavior<Command> create(String islandId, PersistenceId persistenceId, IslandEnvironment environment,
                                           RetentionCriteria retention) {
        return Behaviors.withTimers(timers -> Behaviors.setup(context -> {
            ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
                    listing -> new DispatchersChanged(listing.getServiceInstances(WorkPulling.DISPATCHER)));
            context.getSystem().receptionist().tell(Receptionist.subscribe(WorkPulling.DISPATCHER, listings));
            return new Island(islandId, persistenceId, environment, retention, context, timers);
        }));
    }

    // ---- commands ------------------------------------------------------------------------------

    public interface Command extends CborSerializable {
    }

    /** Seed the island (once) or wake it; the run sends it at start and after every recovery. */
    public record Start(RunSettings settings, int islandNo) implements Command {
    }

    /** Propose nothing more; finish what is in flight. */
    public record Stop(String reason) implements Command {
    }

    /** The run's budget was extended (a later budget revision): propose again up to the new quota. */
    public record ExtendQuota(RunSettings settings) implements Command {
    }

    /** A worker's result, delivered by the dispatcher through sharding. */
    public record EvaluationArrived(EvaluationResult result) implements Command {
    }

    /** Copies of a neighbour's top programs. */
    public record Migrants(String fromIsland, List<Individual> programs) implements Command {
        public Migrants {
            programs = List.copyOf(programs);
        }
    }

    /** The generator answered for proposal {@code sequence}. */
    record ProposalReady(long sequence, String parentId, Proposal proposal) implements Command {
    }

    /** Timer: report counters to the run if they changed, and propose if a generator was paused. */
    enum ReportTick implements Command { INSTANCE }

    /** Timer: submit every unevaluated candidate again (the dispatcher ignores those it knows). */
    enum ResubmitTick implements Command { INSTANCE }

    /** The registered dispatchers changed: a new one (the singleton moved) starts with an empty queue. */
    record DispatchersChanged(Set<ActorRef<WorkPulling.ToDispatcher>> dispatchers) implements Command {
    }

    // ---- events --------------------------------------------------------------------------------

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Seeded.class, name = "seeded"),
            @JsonSubTypes.Type(value = CandidateProposed.class, name = "candidate-proposed"),
            @JsonSubTypes.Type(value = ProposalFailed.class, name = "proposal-failed"),
            @JsonSubTypes.Type(value = CandidateEvaluated.class, name = "candidate-evaluated"),
            @JsonSubTypes.Type(value = BestChanged.class, name = "best-changed"),
            @JsonSubTypes.Type(value = TestEvaluated.class, name = "test-evaluated"),
            @JsonSubTypes.Type(value = MigrantsAccepted.class, name = "migrants-accepted"),
            @JsonSubTypes.Type(value = IslandStopped.class, name = "island-stopped"),
            @JsonSubTypes.Type(value = QuotaExtended.class, name = "quota-extended")
    })
    public sealed interface Event extends CborSerializable permits Seeded, CandidateProposed, ProposalFailed,
            CandidateEvaluated, BestChanged, TestEvaluated, MigrantsAccepted, IslandStopped, QuotaExtended {
    }

    public record Seeded(RunSettings settings, int islandNo) implements Event {
    }

    /**
     * @param parentId  empty for the seed (the task's initial program)
     * @param generator {@code initial}, {@code offline} or a model name
     */
    public record CandidateProposed(String candidateId, long sequence, String code, Optional<String> parentId,
                                    String generator, String summary, Usage usage) implements Event {
    }

    /** @param callFailed the model was not called or did not answer (see {@link Proposal.Failed#callFailed()}) */
    public record ProposalFailed(long sequence, String parentId, String generator, String reason, Usage usage,
                                 boolean callFailed) implements Event {
    }

    public record CandidateEvaluated(String candidateId, EvaluationStatus status, double score,
                                     Map<String, Double> metrics, String feedback, String split, long elapsedMillis,
                                     String worker, Optional<String> isolation) implements Event {
    }

    public record BestChanged(String candidateId, double score) implements Event {
    }

    /** The held-out TEST result of an island best, recorded next to its TRAIN score. */
    public record TestEvaluated(String candidateId, EvaluationStatus status, double score, Map<String, Double> metrics)
            implements Event {
    }

    public record MigrantsAccepted(String fromIsland, List<Individual> programs) implements Event {
    }

    public record IslandStopped(String reason) implements Event {
    }

    /** The island works with the run's extended budget: no longer stopped, and with a fresh count of failures. */
    public record QuotaExtended(RunSettings settings) implements Event {
    }

    // ---- state ---------------------------------------------------------------------------------

    /** A proposed candidate waiting for its evaluation. */
    public record Pending(String code, Optional<String> parentId) implements CborSerializable {
    }

    /**
     * @param nextSequence  the next proposal number (0 is the seed)
     * @param failedInRow   proposals that failed since the last that did not
     * @param pending       proposed, not yet evaluated candidates (resubmitted after recovery)
     * @param pendingTests  island bests waiting for their TEST evaluation, with their code
     * @param spending      tokens and dollars of this island's model calls, per model
     */
    public record State(Optional<RunSettings> settings, int islandNo, long nextSequence, long proposed,
                        long evaluated, long failedProposals, int failedInRow, Map<String, Pending> pending,
                        Map<String, String> pendingTests, Population population, Optional<BestSummary> best,
                        List<FailedAttempt> recentFailures, Map<String, Long> failures, Optional<String> stopped,
                        Map<String, CostTracker.ModelTotals> spending)
            implements CborSerializable {

        public State {
            spending = Map.copyOf(spending);
            pending = Map.copyOf(pending);
            pendingTests = Map.copyOf(pendingTests);
            recentFailures = List.copyOf(recentFailures);
            failures = Map.copyOf(failures);
        }

        static State empty() {
            return new State(Optional.empty(), 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), Population.empty(),
                    Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of());
        }

        public String islandId() {
            return settings.orElseThrow().islandId(islandNo);
        }

        public long quota() {
            return settings.map(s -> s.quota(islandNo)).orElse(0L);
        }

        /** Whether the island may still propose (given programs to select from). */
        boolean mayPropose() {
            return settings.isPresent() && stopped.isEmpty() && !population.isEmpty() && proposed < quota()
                    && failedInRow < settings.get().island().maxFailedProposalsInRow();
        }

        State apply(Event event) {
            if (event instanceof Seeded e) {
                return new State(Optional.of(e.settings()), e.islandNo(), 0, 0, 0, 0, 0, Map.of(), Map.of(),
                        Population.empty(), Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of());
            } else if (event instanceof CandidateProposed e) {
                Map<String, Pending> next = new LinkedHashMap<>(pending);
                next.put(e.candidateId(), new Pending(e.code(), e.parentId()));
                return new State(settings, islandNo, Math.max(nextSequence, e.sequence() + 1), proposed + 1, evaluated,
                        failedProposals, 0, next, pendingTests, population, best, recentFailures, failures, stopped,
                        spent(e.generator(), e.usage()));
            } else if (event instanceof ProposalFailed e) {
                // a call that failed is the endpoint's fault, not the answer's: nothing to learn, no reason to give up
                return new State(settings, islandNo, Math.max(nextSequence, e.sequence() + 1), proposed, evaluated,
                        failedProposals + 1, e.callFailed() ? failedInRow : failedInRow + 1, pending, pendingTests,
                        population, best, e.callFailed() ? recentFailures
                                : remember(new FailedAttempt(islandId() + "/" + e.sequence(), e.reason())),
                        failures, stopped, spent(e.generator(), e.usage()));
            } else if (event instanceof CandidateEvaluated e) {
                return applyEvaluated(e);
            } else if (event instanceof BestChanged e) {
                Map<String, String> tests = pendingTests;
                Optional<Individual> member = Optional.ofNullable(population.members().get(e.candidateId()));
                if (settings.orElseThrow().testBest() && member.isPresent()) {
                    tests = new LinkedHashMap<>(pendingTests);
                    tests.put(e.candidateId(), member.get().code());
                }
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                        pending, tests, population,
                        Optional.of(new BestSummary(e.candidateId(), islandId(), e.score(), Optional.empty())),
                        recentFailures, failures, stopped, spending);
            } else if (event instanceof TestEvaluated e) {
                Map<String, String> tests = new LinkedHashMap<>(pendingTests);
                tests.remove(e.candidateId());
                Optional<BestSummary> newBest = best.map(b -> b.candidateId().equals(e.candidateId())
                        ? new BestSummary(b.candidateId(), b.island(), b.score(), Optional.of(e.score())) : b);
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                        pending, tests, population.withTestScore(e.candidateId(), e.score()), newBest, recentFailures,
                        failures, stopped, spending);
            } else if (event instanceof MigrantsAccepted e) {
                Population next = population;
                for (Individual migrant : e.programs()) {
                    next = insert(next, migrant);
                }
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                        pending, pendingTests, next, best, recentFailures, failures, stopped, spending);
            } else if (event instanceof IslandStopped e) {
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                        pending, pendingTests, population, best, recentFailures, failures, Optional.of(e.reason()),
                        spending);
            } else if (event instanceof QuotaExtended e) {
                return new State(Optional.of(e.settings()), islandNo, nextSequence, proposed, evaluated, failedProposals,
                        0, pending, pendingTests, population, best, recentFailures, failures, Optional.empty(), spending);
            }
            throw new IllegalArgumentException("unknown event " + event);
        }

        private State applyEvaluated(CandidateEvaluated e) {
            Pending candidate = pending.get(e.candidateId());
            Map<String, Pending> next = new LinkedHashMap<>(pending);
            next.remove(e.candidateId());
            Population nextPopulation = population;
            List<FailedAttempt> nextFailures = recentFailures;
            Map<String, Long> byStatus = failures;
            if (e.status().succeeded()) {
                nextPopulation = insert(population, new Individual(e.candidateId(), candidate.code(), e.score(),
                        e.metrics(), e.feedback(), islandId(), candidate.parentId(), Optional.empty()));
            } else {
                nextFailures = remember(new FailedAttempt(e.candidateId(), e.status() + ": " + e.feedback()));
                byStatus = new LinkedHashMap<>(failures);
                byStatus.merge(e.status().name(), 1L, Long::sum);
            }
            return new State(settings, islandNo, nextSequence, proposed, evaluated + 1, failedProposals, failedInRow,
                    next, pendingTests, nextPopulation, best, nextFailures, byStatus, stopped, spending);
        }

        private Map<String, CostTracker.ModelTotals> spent(String generator, Usage usage) {
            if (usage.equals(Usage.NONE)) {
                return spending;
            }
            Map<String, CostTracker.ModelTotals> next = new LinkedHashMap<>(spending);
            next.merge(generator, CostTracker.ModelTotals.NONE.plus(usage), CostTracker.ModelTotals::plus);
            return next;
        }

        private Population insert(Population into, Individual individual) {
            RunSettings run = settings.orElseThrow();
            return into.insert(individual, run.featureMetric(), run.island().gridBins(), run.island().archiveSize());
        }

        private List<FailedAttempt> remember(FailedAttempt attempt) {
            int keep = settings.orElseThrow().island().recentFailures();
            List<FailedAttempt> next = new ArrayList<>(recentFailures);
            next.add(attempt);
            while (next.size() > keep) {
                next.remove(0);
            }
            return next;
        }

        IslandReport report(int generating, String generatorStatus) {
            boolean finished = settings.isPresent() && !mayPropose() && generating == 0 && pending.isEmpty()
                    && pendingTests.isEmpty();
            return new IslandReport(islandNo, proposed, evaluated, failedProposals, failures, pending.size(), best,
                    finished, spending, generatorStatus, settings.map(RunSettings::budgetRevision).orElse(0));
        }
    }

    // ---- behavior ------------------------------------------------------------------------------

    private final String islandId;
    private final IslandEnvironment environment;
    private final RetentionCriteria retention;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    /** The dispatchers of the last receptionist listing; empty until the first one. */
    private Optional<Set<ActorRef<WorkPulling.ToDispatcher>>> knownDispatchers = Optional.empty();
    /** Proposals asked of the generator and not answered yet; lost on a crash, which is harmless. */
    private final Set<Long> generating = new HashSet<>();
    private long lastAllocated = -1;
    private Optional<SolutionGenerator> generator = Optional.empty();
    private Optional<IslandReport> lastReport = Optional.empty();
    /** Why the generator cannot propose now (paused endpoint, budget); empty while it can. */
    private String generatorStatus = "";
    private boolean budgetStopSent;

    private Island(String islandId, PersistenceId persistenceId, IslandEnvironment environment,
                   RetentionCriteria retention, ActorContext<Command> context, TimerScheduler<Command> timers) {
        super(persistenceId);
        this.islandId = islandId;
        this.environment = environment;
        this.retention = retention;
        this.context = context;
        this.timers = timers;
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return retention;
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted).build();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Start.class, this::onStart)
                .onCommand(Stop.class, this::onStop)
                .onCommand(ExtendQuota.class, this::onExtendQuota)
                .onCommand(EvaluationArrived.class, this::onEvaluationArrived)
                .onCommand(Migrants.class, this::onMigrants)
                .onCommand(ProposalReady.class, this::onProposalReady)
                .onCommand(ReportTick.class, this::onReportTick)
                .onCommand(ResubmitTick.class, this::onResubmitTick)
                .onCommand(DispatchersChanged.class, this::onDispatchersChanged)
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    private void onRecoveryCompleted(State state) {
        if (state.settings().isEmpty()) {
            return;
        }
        startTimers(state.settings().get());
        state.pending().keySet().forEach(id -> submitSelection(state, id));
        state.pendingTests().keySet().forEach(id -> submitTest(state, id));
        afterChange(state, true);
    }

    private Effect<Event, State> onStart(State state, Start start) {
        if (state.settings().isPresent()) {
            return Effect().none().thenRun(s -> {
                lastReport = Optional.empty(); // the run asks again after its recovery: tell it everything
                afterChange(s, true);
            });
        }
        RunSettings settings = start.settings();
        // seeds are the island's first candidates (<island>/0, /1, ...) and count against its quota
        List<Event> events = new ArrayList<>();
        events.add(new Seeded(settings, start.islandNo()));
        List<String> seeds = settings.seedsOf(start.islandNo());
        for (int k = 0; k < seeds.size(); k++) {
            events.add(settings.seedPrograms().isEmpty()
                    ? new CandidateProposed(settings.islandId(start.islandNo()) + "/" + k, k, seeds.get(k),
                    Optional.empty(), "initial", "the initial program", Usage.NONE)
                    : new CandidateProposed(settings.islandId(start.islandNo()) + "/" + k, k, seeds.get(k),
                    Optional.empty(), "seed", "a best program of the run this one branched from", Usage.NONE));
        }
        return Effect().persist(events)
                .thenRun(s -> {
                    startTimers(settings);
                    s.pending().keySet().forEach(id -> submitSelection(s, id));
                    afterChange(s, true);
                });
    }

    private Effect<Event, State> onStop(State state, Stop stop) {
        if (state.settings().isEmpty() || state.stopped().isPresent()) {
            return Effect().none().thenRun(s -> {
                lastReport = Optional.empty();
                afterChange(s, true);
            });
        }
        return Effect().persist(new IslandStopped(stop.reason())).thenRun(s -> afterChange(s, true));
    }

    /** Idempotent by budget revision: a repeated or older extension only makes the island report again. */
    private Effect<Event, State> onExtendQuota(State state, ExtendQuota extend) {
        if (state.settings().isEmpty()
                || extend.settings().budgetRevision() <= state.settings().get().budgetRevision()) {
            return Effect().none().thenRun(s -> {
                lastReport = Optional.empty();
                afterChange(s, true);
            });
        }
        return Effect().persist(new QuotaExtended(extend.settings())).thenRun(s -> {
            budgetStopSent = false;
            lastReport = Optional.empty();
            afterChange(s, true);
        });
    }

    private Effect<Event, State> onEvaluationArrived(State state, EvaluationArrived arrived) {
        EvaluationResult result = arrived.result();
        if (result.purpose() == Purpose.HELD_OUT_TEST) {
            if (!state.pendingTests().containsKey(result.candidateId())) {
                return Effect().none();
            }
            return Effect().persist(new TestEvaluated(result.candidateId(), result.status(), result.score(),
                    result.metrics())).thenRun(s -> afterChange(s, true));
        }
        if (!state.pending().containsKey(result.candidateId())) {
            return Effect().none();
        }
        List<Event> events = new ArrayList<>();
        events.add(new CandidateEvaluated(result.candidateId(), result.status(), result.score(), result.metrics(),
                truncate(result.feedback()), result.split(), result.elapsedMillis(), result.worker(),
                result.isolation()));
        boolean improved = result.succeeded() && Double.isFinite(result.score())
                && state.best().map(b -> result.score() > b.score()).orElse(true);
        if (improved) {
            events.add(new BestChanged(result.candidateId(), result.score()));
        }
        return Effect().persist(events).thenRun(s -> {
            if (improved && s.pendingTests().containsKey(result.candidateId())) {
                submitTest(s, result.candidateId());
            }
            migrateIfDue(s);
            afterChange(s, improved);
        });
    }

    private Effect<Event, State> onMigrants(State state, Migrants migrants) {
        if (state.settings().isEmpty()) {
            return Effect().none();
        }
        List<Individual> fresh = new ArrayList<>();
        for (Individual migrant : migrants.programs()) {
            if (!state.population().holds(migrant) && fresh.stream().noneMatch(f -> f.code().equals(migrant.code()))) {
                fresh.add(migrant);
            }
        }
        if (fresh.isEmpty()) {
            return Effect().none();
        }
        return Effect().persist(new MigrantsAccepted(migrants.fromIsland(), fresh)).thenRun(s -> afterChange(s, false));
    }

    private Effect<Event, State> onProposalReady(State state, ProposalReady ready) {
        generating.remove(ready.sequence());
        if (state.stopped().isPresent()) {
            return Effect().none().thenRun(s -> afterChange(s, true));
        }
        Proposal proposal = ready.proposal();
        if (proposal instanceof Proposal.Code code) {
            String candidateId = state.islandId() + "/" + ready.sequence();
            return Effect().persist(new CandidateProposed(candidateId, ready.sequence(), code.code(),
                            Optional.of(ready.parentId()), code.generator(), code.summary(), code.usage()))
                    .thenRun(s -> {
                        submitSelection(s, candidateId);
                        afterChange(s, false);
                    });
        }
        Proposal.Failed failed = (Proposal.Failed) proposal;
        return Effect().persist(new ProposalFailed(ready.sequence(), ready.parentId(), failed.generator(),
                truncate(failed.reason()), failed.usage(), failed.callFailed())).thenRun(s -> afterChange(s, false));
    }

    private Effect<Event, State> onReportTick(State state, ReportTick tick) {
        return Effect().none().thenRun(s -> afterChange(s, true));
    }

    private Effect<Event, State> onResubmitTick(State state, ResubmitTick tick) {
        return Effect().none().thenRun(s -> {
            s.pending().keySet().forEach(id -> submitSelection(s, id));
            s.pendingTests().keySet().forEach(id -> submitTest(s, id));
        });
    }

    // ---- side effects --------------------------------------------------------------------------

    /**
     * Submits every unevaluated candidate again as soon as a new dispatcher registers, instead of at the
     * next resubmit tick: the queue of a dispatcher whose node died is gone. The dispatchers present
     * when the island starts need nothing (it submits on start and recovery).
     */
    private Effect<Event, State> onDispatchersChanged(State state, DispatchersChanged changed) {
        Optional<Set<ActorRef<WorkPulling.ToDispatcher>>> before = knownDispatchers;
        knownDispatchers = Optional.of(Set.copyOf(changed.dispatchers()));
        if (before.isEmpty() || before.get().containsAll(changed.dispatchers()) || state.settings().isEmpty()) {
            return Effect().none();
        }
        return onResubmitTick(state, ResubmitTick.INSTANCE);
    }

    private void startTimers(RunSettings settings) {
        timers.startTimerWithFixedDelay(ReportTick.INSTANCE,
                Duration.ofMillis(settings.island().progressIntervalMillis()));
        timers.startTimerWithFixedDelay(ResubmitTick.INSTANCE,
                Duration.ofMillis(settings.island().resubmitIntervalMillis()));
    }

    /**
     * Fills free in-flight places with new proposals, then reports changed counters to the run: at once
     * when {@code urgent} (a new best, a stop, a timer tick) or finished; reporting every evaluation
     * would double the run's journal writes.
     */
    private void afterChange(State state, boolean urgent) {
        if (state.settings().isEmpty()) {
            return;
        }
        propose(state);
        IslandReport report = state.report(generating.size(), generatorStatus);
        boolean changed = lastReport.map(r -> !r.equals(report)).orElse(true);
        if (changed && (urgent || report.finished() || lastReport.isEmpty())) {
            lastReport = Optional.of(report);
            environment.tellRun(state.settings().get().runId(), new Run.ReportProgress(report));
        }
    }

    private void propose(State state) {
        RunSettings settings = state.settings().orElseThrow();
        SolutionGenerator generator = this.generator.orElseGet(() -> {
            SolutionGenerator made = environment.generator(settings, state.islandNo(), state.spending());
            this.generator = Optional.of(made);
            return made;
        });
        while (state.mayPropose() && state.proposed() + generating.size() < state.quota()
                && state.pending().size() + generating.size() < settings.island().inFlight()
                && generatorReady(state, generator)) {
            long sequence = Math.max(state.nextSequence(), lastAllocated + 1);
            lastAllocated = sequence;
            generating.add(sequence);
            SplittableRandom random = new SplittableRandom(SeededRandom.derive(settings.seed(), state.islandNo(), sequence));
            Selection selection = Selection.choose(state.population(), settings.island(), random);
            ProposalRequest request = new ProposalRequest(settings.taskId(), islandId, sequence, random.nextLong(),
                    selection.parent().asProgram(), programs(selection.inspirations()),
                    programs(selection.topPrograms()), state.recentFailures());
            CompletionStage<Proposal> answer;
            try {
                answer = generator.propose(request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.completedFuture(new Proposal.Failed("the generator threw " + e, "unknown", Usage.NONE));
            }
            String parentId = selection.parent().candidateId();
            context.pipeToSelf(answer, (proposal, failure) -> new ProposalReady(sequence, parentId,
                    failure == null ? proposal : new Proposal.Failed("the generator failed: " + failure, "unknown", Usage.NONE)));
        }
    }

    /**
     * Asks the generator whether a proposal now is worth it. A spent budget stops the island for good
     * (what is in flight still finishes); a pause is shown in the island's report until it lifts, and
     * the report timer tries again.
     */
    private boolean generatorReady(State state, SolutionGenerator generator) {
        GeneratorHealth health = generator.health();
        generatorStatus = health.isReady() ? ""
                : (health.status() == GeneratorHealth.Status.BUDGET_EXHAUSTED ? IslandReport.BUDGET_EXHAUSTED : "paused")
                + ": " + health.reason();
        if (health.status() == GeneratorHealth.Status.BUDGET_EXHAUSTED && !budgetStopSent
                && state.stopped().isEmpty()) {
            budgetStopSent = true;
            context.getSelf().tell(new Stop(health.reason()));
        }
        return health.isReady();
    }

    private static List<Program> programs(List<Individual> individuals) {
        return individuals.stream().map(Individual::asProgram).toList();
    }

    private void submitSelection(State state, String candidateId) {
        RunSettings settings = state.settings().orElseThrow();
        Pending candidate = state.pending().get(candidateId);
        Optional<String> parentSource = candidate.parentId()
                .flatMap(p -> Optional.ofNullable(state.population().members().get(p))).map(Individual::code);
        environment.submit(new EvaluationRequest(EvaluationRequest.evaluationId(candidateId, Purpose.SELECTION),
                candidateId, islandId, settings.taskId(), candidate.code(), parentSource, settings.cascade(),
                settings.dataDirectory(), settings.dataSeed(), Purpose.SELECTION));
    }

    private void submitTest(State state, String candidateId) {
        RunSettings settings = state.settings().orElseThrow();
        environment.submit(new EvaluationRequest(EvaluationRequest.evaluationId(candidateId, Purpose.HELD_OUT_TEST),
                candidateId, islandId, settings.taskId(), state.pendingTests().get(candidateId), Optional.empty(),
                List.of("TEST"), settings.dataDirectory(), settings.dataSeed(), Purpose.HELD_OUT_TEST));
    }

    private void migrateIfDue(State state) {
        RunSettings settings = state.settings().orElseThrow();
        int interval = settings.island().migrationInterval();
        if (settings.islands() < 2 || settings.island().migrationRate() == 0 || state.evaluated() % interval != 0) {
            return;
        }
        List<Individual> top = state.population().ranked().stream().limit(settings.island().migrationRate()).toList();
        if (!top.isEmpty()) {
            environment.tellIsland(settings.neighbourOf(state.islandNo()), new Migrants(islandId, top));
        }
    }

    /** Feedback and reasons quote candidates and models: escaped before the journal, prompts and files see them. */
    static String truncate(String text) {
        String safe = Printable.escape(text);
        return safe.length() <= MAX_FEEDBACK ? safe : safe.substring(0, MAX_FEEDBACK) + " [...]";
    }
}
