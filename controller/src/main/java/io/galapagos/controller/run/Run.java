package io.galapagos.controller.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.galapagos.controller.EntityHost;
import io.galapagos.controller.RestartBackoff;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A run: an event-sourced, sharded entity (id = run id) that starts its islands, sums their reports,
 * keeps the run-wide budgets (wall clock over all sessions, early stop without improvement, target
 * score) and completes once every island has finished. The iteration budget is split into island
 * quotas, which the islands keep themselves.
 */
public final class Run extends EventSourcedBehavior<Run.Command, Run.Event, Run.State> {

    /**
     * The entity type's name, which starts every persistence id of its journal ({@code Run|<id>}); a
     * constant, so that readers of the journal need not load this behaviour.
     */
    public static final String ENTITY_TYPE = "Run";
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, ENTITY_TYPE);

    /** How often the run checks its wall clock. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** How often, at most, the run persists the time it has run when nothing else happens. */
    static final long CLOCK_PERSIST_MILLIS = 5_000;

    public static void init(ActorSystem<?> system, RetentionCriteria retention, RestartBackoff backoff, String role) {
        ClusterSharding sharding = ClusterSharding.get(system);
        BiConsumer<String, Island.Command> islands =
                (islandId, command) -> sharding.entityRefFor(Island.TYPE_KEY, islandId).tell(command);
        sharding.init(Entity.of(TYPE_KEY, entity -> create(
                PersistenceId.of(entity.getEntityTypeKey().name(), entity.getEntityId()), islands, retention,
                Optional.of(backoff), EntityHost.sharded(sharding, entity)))
                .withStopMessage(Passivated.INSTANCE)
                .withRole(role));
    }

    /** A run without sharding (tests): it stops on a journal failure. */
    public static Behavior<Command> create(PersistenceId persistenceId, BiConsumer<String, Island.Command> islands,
                                           RetentionCriteria retention) {
        return create(persistenceId, islands, retention, Optional.empty(), EntityHost.unsharded());
    }

    /** @param backoff how the run restarts after a journal failure; empty: it stops (Pekko's default) */
    public static Behavior<Command> create(PersistenceId persistenceId, BiConsumer<String, Island.Command> islands,
                                           RetentionCriteria retention, Optional<RestartBackoff> backoff,
                                           EntityHost<Command> host) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Run(persistenceId, islands, retention,
                backoff, timers, host, context.getSelf(),
                LifecycleLog.Where.node(context.getSystem()).run(persistenceId.entityId()))));
    }

    // ---- commands ------------------------------------------------------------------------------

    public interface Command extends CborSerializable {
    }

    /** Start the run with these settings; a run that has started answers with what it has. */
    public record Start(RunSettings settings, ActorRef<StatusReply<RunStatus>> replyTo) implements Command {
    }

    /** Continue a run that has started (after a stop or crash of the node). */
    public record Resume(ActorRef<StatusReply<RunStatus>> replyTo) implements Command {
    }

    /**
     * Extend a started run's budget to new totals (empty keeps one): a completed or stopped run runs on
     * until the new totals, and its islands get their new quotas.
     *
     * @param wallClockMillis the new run-time budget over all sessions; 0 = no limit
     */
    public record ExtendBudget(Optional<Long> iterations, Optional<Long> wallClockMillis,
                               ActorRef<StatusReply<RunStatus>> replyTo) implements Command {
    }

    /**
     * Stop the run as an operator asked: its islands propose nothing more and finish what is in flight,
     * then the run completes with {@code reason}. A run that has stopped or completed answers with what it has.
     */
    public record Stop(String reason, ActorRef<StatusReply<RunStatus>> replyTo) implements Command {
    }

    public record ReportProgress(IslandReport report) implements Command {
    }

    public record GetStatus(ActorRef<RunStatus> replyTo) implements Command {
    }

    enum Tick implements Command { INSTANCE }

    /**
     * Sharding's stop message. A completed run passivates: it leaves memory and the remembered entities,
     * so it does not wake at the next cluster start. One that is still going asks to be started again.
     */
    enum Passivated implements Command { INSTANCE }

    // ---- events --------------------------------------------------------------------------------

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = RunStarted.class, name = "run-started"),
            @JsonSubTypes.Type(value = ProgressRecorded.class, name = "progress-recorded"),
            @JsonSubTypes.Type(value = ClockAdvanced.class, name = "clock-advanced"),
            @JsonSubTypes.Type(value = RunStopped.class, name = "run-stopped"),
            @JsonSubTypes.Type(value = RunCompleted.class, name = "run-completed"),
            @JsonSubTypes.Type(value = BudgetExtended.class, name = "budget-extended")
    })
    public sealed interface Event extends CborSerializable
            permits RunStarted, ProgressRecorded, ClockAdvanced, RunStopped, RunCompleted, BudgetExtended {
        /** Run time, summed over sessions, when the event happened. */
        long elapsedMillis();
    }

    public record RunStarted(RunSettings settings, long startedAtEpochMillis, long elapsedMillis) implements Event {
    }

    public record ProgressRecorded(IslandReport report, long elapsedMillis) implements Event {
    }

    public record ClockAdvanced(long elapsedMillis) implements Event {
    }

    public record RunStopped(String reason, long elapsedMillis) implements Event {
    }

    public record RunCompleted(String reason, long elapsedMillis) implements Event {
    }

    /**
     * The budget now has these totals (the next budget revision): the run runs again, and its early stop
     * counts from here.
     *
     * @param wallClockMillis the run-time budget over all sessions; 0 = no limit
     */
    public record BudgetExtended(long iterations, long wallClockMillis, long elapsedMillis) implements Event {
    }

    // ---- state ---------------------------------------------------------------------------------

    /**
     * @param evaluatedAtImprovement total evaluated candidates when the run's best last improved
     */
    public record State(Optional<RunSettings> settings, long startedAtEpochMillis, Map<Integer, IslandReport> islands,
                        Optional<BestSummary> best, long evaluatedAtImprovement, long elapsedMillis,
                        Optional<String> stopReason, Optional<String> completion) implements CborSerializable {

        public State {
            islands = Map.copyOf(islands);
        }

        static State empty() {
            return new State(Optional.empty(), 0, Map.of(), Optional.empty(), 0, 0, Optional.empty(), Optional.empty());
        }

        public long evaluated() {
            return islands.values().stream().mapToLong(IslandReport::evaluated).sum();
        }

        public boolean allIslandsFinished() {
            return settings.isPresent() && islands.size() == settings.get().islands()
                    && islands.values().stream().allMatch(r -> r.finished()
                    && r.budgetRevision() == settings.get().budgetRevision());
        }

        State apply(Event event) {
            if (event instanceof RunStarted e) {
                return new State(Optional.of(e.settings()), e.startedAtEpochMillis(), Map.of(), Optional.empty(), 0,
                        e.elapsedMillis(), Optional.empty(), Optional.empty());
            } else if (event instanceof ProgressRecorded e) {
                Map<Integer, IslandReport> next = new TreeMap<>(islands);
                next.put(e.report().islandNo(), e.report());
                State updated = new State(settings, startedAtEpochMillis, next, best, evaluatedAtImprovement,
                        e.elapsedMillis(), stopReason, completion);
                Optional<BestSummary> reported = e.report().best();
                if (reported.isEmpty()) {
                    return updated;
                }
                BestSummary candidate = reported.get();
                boolean improves = best.map(candidate::beats).orElse(true);
                boolean sameBest = best.map(b -> b.candidateId().equals(candidate.candidateId())).orElse(false);
                if (improves) {
                    return new State(settings, startedAtEpochMillis, next, reported, updated.evaluated(),
                            e.elapsedMillis(), stopReason, completion);
                } else if (sameBest) {
                    return new State(settings, startedAtEpochMillis, next, reported, evaluatedAtImprovement,
                            e.elapsedMillis(), stopReason, completion);
                }
                return updated;
            } else if (event instanceof ClockAdvanced e) {
                return new State(settings, startedAtEpochMillis, islands, best, evaluatedAtImprovement,
                        e.elapsedMillis(), stopReason, completion);
            } else if (event instanceof RunStopped e) {
                return new State(settings, startedAtEpochMillis, islands, best, evaluatedAtImprovement,
                        e.elapsedMillis(), Optional.of(e.reason()), completion);
            } else if (event instanceof RunCompleted e) {
                return new State(settings, startedAtEpochMillis, islands, best, evaluatedAtImprovement,
                        e.elapsedMillis(), stopReason, Optional.of(e.reason()));
            } else if (event instanceof BudgetExtended e) {
                return new State(settings.map(s -> s.extended(Optional.of(e.iterations()), Optional.of(e.wallClockMillis()))),
                        startedAtEpochMillis, islands, best, evaluated(), e.elapsedMillis(), Optional.empty(),
                        Optional.empty());
            }
            throw new IllegalArgumentException("unknown event " + event);
        }

        RunStatus status() {
            RunStatus.Phase phase = settings.isEmpty() ? RunStatus.Phase.NOT_STARTED
                    : completion.isPresent() ? RunStatus.Phase.COMPLETED
                    : stopReason.isPresent() ? RunStatus.Phase.STOPPING : RunStatus.Phase.RUNNING;
            return new RunStatus(phase, settings, List.copyOf(islands.values()), best, elapsedMillis,
                    stopReason.or(() -> completion));
        }
    }

    // ---- behavior ------------------------------------------------------------------------------

    private final BiConsumer<String, Island.Command> islands;
    private final RetentionCriteria retention;
    private final TimerScheduler<Command> timers;
    private final EntityHost<Command> host;
    private final ActorRef<Command> self;
    private final LifecycleLog.Where where;
    /** Run time of earlier sessions, and when this session began (the clock of a resumed run goes on). */
    private long elapsedBeforeSession = 0;
    private long sessionStartNanos = System.nanoTime();

    private Run(PersistenceId persistenceId, BiConsumer<String, Island.Command> islands, RetentionCriteria retention,
                Optional<RestartBackoff> backoff, TimerScheduler<Command> timers, EntityHost<Command> host,
                ActorRef<Command> self, LifecycleLog.Where where) {
        super(persistenceId, backoff.map(RestartBackoff::strategy));
        this.islands = islands;
        this.retention = retention;
        this.timers = timers;
        this.host = host;
        this.self = self;
        this.where = where;
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
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            elapsedBeforeSession = state.elapsedMillis();
            sessionStartNanos = System.nanoTime();
            if (state.settings().isPresent()) {
                LifecycleLog.info(where, "run recovered", "phase", state.status().phase(), "evaluated", state.evaluated(),
                        "elapsed", io.galapagos.protocol.Durations.format(Duration.ofMillis(state.elapsedMillis())));
            }
            if (state.settings().isPresent() && state.completion().isEmpty()) {
                timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
                wakeIslands(state);
            } else if (state.completion().isPresent()) {
                // a completed run woken by a message: it answers what is in its mailbox, then leaves
                host.passivate(self);
            }
        }).build();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Start.class, this::onStart)
                .onCommand(Resume.class, this::onResume)
                .onCommand(ExtendBudget.class, this::onExtendBudget)
                .onCommand(Stop.class, this::onStop)
                .onCommand(ReportProgress.class, this::onReportProgress)
                .onCommand(GetStatus.class, (state, get) -> Effect().none().thenRun(s -> {
                    if (s.settings().isEmpty()) {
                        host.passivate(self); // asked about a run that never started: nothing to keep
                    }
                    get.replyTo().tell(s.status());
                }))
                .onCommand(Tick.class, this::onTick)
                .onCommand(Passivated.class, this::onPassivated)
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    private long elapsedNow() {
        return elapsedBeforeSession + (System.nanoTime() - sessionStartNanos) / 1_000_000;
    }

    private Effect<Event, State> onStart(State state, Start start) {
        if (state.settings().isPresent()) {
            return Effect().none().thenRun(s -> {
                wakeIslands(s);
                start.replyTo().tell(StatusReply.success(s.status()));
            });
        }
        return Effect().persist(new RunStarted(start.settings(), System.currentTimeMillis(), 0)).thenRun(s -> {
            RunSettings settings = start.settings();
            LifecycleLog.info(where, "run started", "task", settings.taskId(), "islands", settings.islands(),
                    "iterations", settings.iterations());
            elapsedBeforeSession = 0;
            sessionStartNanos = System.nanoTime();
            timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
            wakeIslands(s);
            start.replyTo().tell(StatusReply.success(s.status()));
        });
    }

    private Effect<Event, State> onResume(State state, Resume resume) {
        if (state.settings().isEmpty()) {
            return Effect().none().thenRun(s -> {
                host.passivate(self);
                resume.replyTo().tell(StatusReply.error("the run has not started"));
            });
        }
        return Effect().none().thenRun(s -> {
            wakeIslands(s);
            resume.replyTo().tell(StatusReply.success(s.status()));
        });
    }

    private Effect<Event, State> onExtendBudget(State state, ExtendBudget extend) {
        if (state.settings().isEmpty()) {
            return Effect().none().thenRun(s -> extend.replyTo().tell(StatusReply.error("the run has not started")));
        }
        RunSettings settings = state.settings().get();
        long proposed = state.islands().values().stream().mapToLong(IslandReport::proposed).sum();
        long iterations = extend.iterations().orElse(settings.iterations());
        String problem = null;
        try {
            settings.extended(extend.iterations(), extend.wallClockMillis()).checkBudget();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        if (iterations < proposed) {
            problem = "the run has already proposed " + proposed + " candidates: the new iteration budget must be at least that";
        }
        if (problem != null) {
            String reason = problem;
            return Effect().none().thenRun(s -> extend.replyTo().tell(StatusReply.error(reason)));
        }
        return Effect().persist(new BudgetExtended(iterations, extend.wallClockMillis().orElse(settings.wallClockMillis()),
                elapsedNow())).thenRun(s -> {
            RunSettings extended = s.settings().orElseThrow();
            LifecycleLog.info(where, "run budget extended", "iterations", extended.iterations(),
                    "wall-clock", extended.wallClockMillis() == 0 ? "none"
                            : io.galapagos.protocol.Durations.format(Duration.ofMillis(extended.wallClockMillis())));
            timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
            wakeIslands(s);
            extend.replyTo().tell(StatusReply.success(s.status()));
        });
    }

    private Effect<Event, State> onStop(State state, Stop stop) {
        if (state.settings().isEmpty()) {
            return Effect().none().thenRun(s -> stop.replyTo().tell(StatusReply.error("the run has not started")));
        }
        if (state.stopReason().isPresent() || state.completion().isPresent()) {
            return Effect().none().thenRun(s -> stop.replyTo().tell(StatusReply.success(s.status())));
        }
        List<Event> events = new ArrayList<>();
        long now = elapsedNow();
        events.add(new RunStopped(stop.reason(), now));
        Optional<Budget> spent = decide(state.apply(events.get(0)), now, events);
        return Effect().persist(events).thenRun(s -> {
            logEnds(s, events, spent);
            afterPersist(s);
            stop.replyTo().tell(StatusReply.success(s.status()));
        });
    }

    private Effect<Event, State> onReportProgress(State state, ReportProgress progress) {
        IslandReport report = progress.report();
        IslandReport previous = state.islands().get(report.islandNo());
        if (state.completion().isPresent() && report.finished()
                && report.budgetRevision() == state.settings().orElseThrow().budgetRevision()) {
            // an island that woke after its run completed (it missed its retirement): it may leave too
            RunSettings settings = state.settings().get();
            return Effect().none().thenRun(s -> islands.accept(settings.islandId(report.islandNo()),
                    new Island.Retire(settings.budgetRevision())));
        }
        if (state.settings().isEmpty() || state.completion().isPresent() || report.equals(previous)
                || (previous != null && report.evaluated() < previous.evaluated())) {
            return Effect().none();
        }
        List<Event> events = new ArrayList<>();
        long now = elapsedNow();
        events.add(new ProgressRecorded(report, now));
        Optional<Budget> spent = decide(state.apply(events.get(0)), now, events);
        return Effect().persist(events).thenRun(s -> {
            logEnds(s, events, spent);
            afterPersist(s);
        });
    }

    private Effect<Event, State> onTick(State state, Tick tick) {
        if (state.settings().isEmpty() || state.completion().isPresent()) {
            return Effect().none();
        }
        long now = elapsedNow();
        List<Event> events = new ArrayList<>();
        Optional<Budget> spent = decide(state, now, events);
        if (events.isEmpty() && now - state.elapsedMillis() >= CLOCK_PERSIST_MILLIS) {
            events.add(new ClockAdvanced(now));
        }
        if (events.isEmpty()) {
            return Effect().none().thenRun(this::afterPersist);
        }
        return Effect().persist(events).thenRun(s -> {
            logEnds(s, events, spent);
            afterPersist(s);
        });
    }

    /** The run-wide budgets, as the lifecycle lines name them. */
    enum Budget {
        ITERATIONS("iterations"), USD("usd"), WALL_CLOCK("wall-clock");

        final String label;

        Budget(String label) {
            this.label = label;
        }
    }

    /** One line per stop and completion just persisted, and one for the budget that caused it. */
    private void logEnds(State state, List<Event> persisted, Optional<Budget> spent) {
        RunSettings settings = state.settings().orElseThrow();
        spent.ifPresent(budget -> LifecycleLog.info(where, "budget spent", "budget", budget.label,
                "limit", switch (budget) {
                    case ITERATIONS -> String.valueOf(settings.iterations());
                    case USD -> "$" + settings.generation().budgetUsd().orElse(0);
                    case WALL_CLOCK -> io.galapagos.protocol.Durations.format(Duration.ofMillis(settings.wallClockMillis()));
                }, "evaluated", state.evaluated()));
        for (Event event : persisted) {
            if (event instanceof RunStopped stopped) {
                LifecycleLog.info(where, "run stopped", "reason", stopped.reason(), "evaluated", state.evaluated());
            } else if (event instanceof RunCompleted completed) {
                LifecycleLog.info(where, "run completed", "reason", completed.reason(), "evaluated", state.evaluated(),
                        "best", state.best().map(BestSummary::score).map(String::valueOf).orElse("none"));
            }
        }
    }

    /** Adds a stop when a budget is spent, and the completion once every island has finished. */
    private static Optional<Budget> decide(State state, long now, List<Event> events) {
        RunSettings settings = state.settings().orElseThrow();
        Optional<String> stopped = state.stopReason();
        Optional<Budget> spent = Optional.empty();
        if (stopped.isEmpty()) {
            Optional<String> reason = Optional.empty();
            if (state.best().isPresent() && settings.targetScore().isPresent()
                    && state.best().get().score() >= settings.targetScore().get()) {
                reason = Optional.of("target score " + settings.targetScore().get() + " reached");
            } else if (settings.earlyStopAfter() > 0
                    && state.evaluated() - state.evaluatedAtImprovement() >= settings.earlyStopAfter()) {
                reason = Optional.of("no improvement in " + settings.earlyStopAfter() + " candidates");
            } else if (settings.wallClockMillis() > 0 && now >= settings.wallClockMillis()) {
                reason = Optional.of("wall-clock budget of " + io.galapagos.protocol.Durations.format(Duration.ofMillis(settings.wallClockMillis()))
                        + " spent");
                spent = Optional.of(Budget.WALL_CLOCK);
            }
            if (reason.isPresent()) {
                events.add(new RunStopped(reason.get(), now));
                stopped = reason;
            }
        }
        if (state.allIslandsFinished()) {
            boolean budgetSpent = state.islands().values().stream().anyMatch(IslandReport::budgetSpent);
            // an island that finished short of its share gave up after too many failed proposals in a row
            long gaveUp = state.islands().values().stream()
                    .filter(report -> report.evaluated() < settings.quota(report.islandNo())).count();
            String reason;
            if (budgetSpent) {
                reason = "USD budget of $" + settings.generation().budgetUsd().orElse(0) + " spent";
            } else if (gaveUp > 0) {
                reason = gaveUp + " of " + settings.islands() + " islands gave up after "
                        + settings.island().maxFailedProposalsInRow() + " failed proposals in a row ("
                        + state.evaluated() + " of " + settings.iterations() + " candidates evaluated)";
            } else {
                reason = "iteration budget spent";
            }
            if (stopped.isEmpty() && (budgetSpent || gaveUp == 0)) {
                spent = Optional.of(budgetSpent ? Budget.USD : Budget.ITERATIONS);
            }
            events.add(new RunCompleted(stopped.orElse(reason), now));
        }
        return spent;
    }

    private Effect<Event, State> onPassivated(State state, Passivated passivated) {
        return Effect().none().thenRun(s -> {
            if (s.settings().isPresent() && s.completion().isEmpty()) {
                host.wake(Tick.INSTANCE); // still going (a budget extension came first): start again at once
            }
        }).thenStop();
    }

    private void afterPersist(State state) {
        if (state.completion().isPresent()) {
            timers.cancel(Tick.INSTANCE);
            retire(state);
        } else if (state.stopReason().isPresent()) {
            stopIslands(state);
        } else {
            extendQuotas(state, false);
        }
    }

    private void wakeIslands(State state) {
        RunSettings settings = state.settings().orElseThrow();
        for (int n = 0; n < settings.islands(); n++) {
            islands.accept(settings.islandId(n), new Island.Start(settings, n));
        }
        if (state.stopReason().isPresent()) {
            stopIslands(state);
        } else {
            extendQuotas(state, true);
        }
    }

    /**
     * Gives the islands the extended budget: all of them on waking, on each tick those that still report
     * an earlier budget revision (a message may be lost). An island ignores a revision it has.
     */
    private void extendQuotas(State state, boolean all) {
        RunSettings settings = state.settings().orElseThrow();
        if (settings.budgetRevision() == 0) {
            return;
        }
        for (int n = 0; n < settings.islands(); n++) {
            IslandReport report = state.islands().get(n);
            if (all || (report != null && report.budgetRevision() < settings.budgetRevision())) {
                islands.accept(settings.islandId(n), new Island.ExtendQuota(settings));
            }
        }
    }

    /** The run has completed with its islands' final reports stored: the islands leave, then the run. */
    private void retire(State state) {
        RunSettings settings = state.settings().orElseThrow();
        for (int n = 0; n < settings.islands(); n++) {
            islands.accept(settings.islandId(n), new Island.Retire(settings.budgetRevision()));
        }
        host.passivate(self);
    }

    /** Tells every unfinished island to stop; repeated on each tick, since a message may be lost. */
    private void stopIslands(State state) {
        RunSettings settings = state.settings().orElseThrow();
        for (int n = 0; n < settings.islands(); n++) {
            IslandReport report = state.islands().get(n);
            if (report == null || !report.finished()) {
                islands.accept(settings.islandId(n), new Island.Stop(state.stopReason().orElseThrow()));
            }
        }
    }
}
