package io.galapagos.controller.island;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.galapagos.controller.EntityHost;
import io.galapagos.controller.RestartBackoff;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.FailedAttempt;
import io.galapagos.controller.generation.GeneratorHealth;
import io.galapagos.controller.generation.LiteralSearch;
import io.galapagos.controller.generation.LiteralTuner;
import io.galapagos.controller.generation.ModelBandit;
import io.galapagos.controller.generation.ModelSelection;
import io.galapagos.controller.generation.Program;
import io.galapagos.controller.generation.PromptPlan;
import io.galapagos.controller.generation.PromptSettings;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.generation.SourceLanguage;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.run.BestSummary;
import io.galapagos.controller.run.IslandReport;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.CborSerializable;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationRequest.Purpose;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.EvaluationTimeline;
import io.galapagos.protocol.Printable;
import io.galapagos.protocol.WorkPulling;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One island of a run: an event-sourced, sharded entity (id {@code <run>/<n>}) that keeps a fixed
 * number of candidates in generation or evaluation, replaces each as it completes, keeps the
 * survivors in a MAP-Elites population, sends migrants to its ring neighbour and reports its counters
 * to the run. After a crash it replays its journal and submits every unevaluated candidate again;
 * results that arrive twice are ignored by candidate id.
 *
 * <p>Results and generator answers are journalled as they arrive (on a node, those that arrive during a
 * journal write together, in the next write; a candidate is submitted only once its proposal is journalled)
 * but change the island only in proposal order, and each
 * proposal is chosen at a fixed point of that order (see {@link Sequencing}), so a seed gives the same
 * run whatever the number of workers, the load or the order in which results come back.
 */
public final class Island extends EventSourcedBehavior<Island.Command, Island.Event, Island.State> {

    /**
     * The entity type's name, which starts every persistence id of its journal ({@code Island|<id>}); a
     * constant, so that readers of the journal need not load this behaviour.
     */
    public static final String ENTITY_TYPE = "Island";
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, ENTITY_TYPE);

    /** How the reason of a proposal that repeats an earlier candidate starts; the candidate's id follows. */
    public static final String DUPLICATE = "duplicate of ";

    /** How the reason of a proposal nearly the same as a program shown with it starts; the program's id follows. */
    public static final String NEAR_DUPLICATE = "near-duplicate of ";

    /**
     * The common pool, for work off the island's thread. Not named as such: {@code CompletableFuture} swaps the
     * common pool itself (named or not) for a new thread per task when the machine has fewer than 3 cores.
     */
    private static final java.util.concurrent.Executor COMMON_POOL =
            task -> java.util.concurrent.ForkJoinPool.commonPool().execute(task);

    /** Longest feedback text kept in the journal per evaluation. */
    static final int MAX_FEEDBACK = 4000;

    public static void init(ActorSystem<?> system, IslandEnvironment environment, RetentionCriteria retention,
                            RestartBackoff backoff, String role) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(),
                        PersistenceId.of(entity.getEntityTypeKey().name(), entity.getEntityId()), environment, retention,
                        Optional.of(backoff), EntityHost.sharded(sharding, entity)))
                .withStopMessage(Passivated.INSTANCE)
                .withRole(role));
    }

    /** An island without sharding (tests): it stops on a journal failure. */
    public static Behavior<Command> create(String islandId, PersistenceId persistenceId, IslandEnvironment environment,
                                           RetentionCriteria retention) {
        return create(islandId, persistenceId, environment, retention, Optional.empty(), EntityHost.unsharded());
    }

    /** @param backoff how the island restarts after a journal failure; empty: it stops (Pekko's default) */
    public static Behavior<Command> create(String islandId, PersistenceId persistenceId, IslandEnvironment environment,
                                           RetentionCriteria retention, Optional<RestartBackoff> backoff,
                                           EntityHost<Command> host) {
        return Behaviors.withTimers(timers -> Behaviors.setup(context -> {
            ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
                    listing -> new DispatchersChanged(listing.getServiceInstances(WorkPulling.DISPATCHER)));
            context.getSystem().receptionist().tell(Receptionist.subscribe(WorkPulling.DISPATCHER, listings));
            return new Island(islandId, persistenceId, environment, retention, backoff, context, timers, host);
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

    /**
     * The run has completed and stored this island's final report of budget revision {@code budgetRevision}:
     * a finished island passivates, leaving memory and the remembered entities; its journal stays.
     */
    public record Retire(int budgetRevision) implements Command {
    }

    /** The run's budget was extended (a later budget revision): propose again up to the new quota. */
    public record ExtendQuota(RunSettings settings) implements Command {
    }

    /** A worker's result, delivered by the dispatcher through sharding. */
    public record EvaluationArrived(EvaluationResult result) implements Command {
    }

    /** The migrants the upstream neighbour sent when its evaluated count reached {@code epoch} times the interval. */
    public record MigrantsOffered(String fromIsland, int epoch, List<Individual> programs) implements Command {
        public MigrantsOffered {
            programs = List.copyOf(programs);
        }
    }

    /** The upstream neighbour will never reach {@code epoch} (it finished or stopped): wait for nothing from it. */
    public record NoMoreMigrants(String fromIsland, int epoch) implements Command {
    }

    /** The downstream neighbour waits for the migrants of {@code epoch}; asked again on a timer until answered. */
    public record MigrantsWanted(String byIsland, int epoch) implements Command {
    }

    /**
     * The downstream neighbour has stored the migrants of {@code epoch} in its journal: it never asks for
     * them, or for an earlier epoch's, again.
     */
    public record MigrantsReceived(String byIsland, int epoch) implements Command {
    }

    /**
     * A generator's answer for proposal {@code sequence}, with what was worked out off the island's thread:
     * its program's {@link CodeFingerprint}, and the program shown with the proposal that it repeats
     * exactly or nearly, if any (see {@link RepeatCheck}).
     */
    record ProposalReady(long sequence, Proposal proposal, Optional<Long> fingerprint, Optional<Repeat> shownRepeat)
            implements Command {

        ProposalReady(long sequence, Proposal proposal, Optional<Long> fingerprint) {
            this(sequence, proposal, fingerprint, Optional.empty());
        }
    }

    /** Timer: report counters to the run if they changed, and propose if a generator was paused. */
    enum ReportTick implements Command { INSTANCE }

    /** Timer: submit every unevaluated candidate again (the dispatcher ignores those it knows). */
    enum ResubmitTick implements Command { INSTANCE }

    /**
     * To self when a journal write completes: it comes behind the results that waited for the write (the
     * island's stash) and journals them all in one write (see {@link #onEvaluationArrived}).
     */
    enum WriteResults implements Command { INSTANCE }

    /** Sharding's stop message: a retired island stops; one that still has work asks to be started again. */
    enum Passivated implements Command { INSTANCE }

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
            @JsonSubTypes.Type(value = MigrantsArrived.class, name = "migrants-arrived"),
            @JsonSubTypes.Type(value = UpstreamEnded.class, name = "upstream-ended"),
            @JsonSubTypes.Type(value = IslandStopped.class, name = "island-stopped"),
            @JsonSubTypes.Type(value = QuotaExtended.class, name = "quota-extended"),
            @JsonSubTypes.Type(value = RepeatsRequested.class, name = "repeats-requested"),
            @JsonSubTypes.Type(value = CandidateReEvaluated.class, name = "candidate-re-evaluated")
    })
    public sealed interface Event extends CborSerializable permits Seeded, CandidateProposed, ProposalFailed,
            CandidateEvaluated, BestChanged, TestEvaluated, MigrantsAccepted, MigrantsArrived, UpstreamEnded, MigrantsDelivered,
            IslandStopped, QuotaExtended, RepeatsRequested, CandidateReEvaluated {
    }

    public record Seeded(RunSettings settings, int islandNo) implements Event {
    }

    /**
     * @param parentId    empty for the seed (the task's initial program)
     * @param generator   {@code initial}, {@code offline} or a model name
     * @param fingerprint the program's {@link CodeFingerprint}; empty in journals of earlier versions
     * @param variant     what the model's prompt asked for; empty for the seed, offline and tuned children and
     *                    in journals before variants
     */
    public record CandidateProposed(String candidateId, long sequence, String code, Optional<String> parentId,
                                    String generator, String summary, Usage usage, Optional<Long> fingerprint,
                                    Optional<PromptVariant> variant)
            implements Event {

        public CandidateProposed {
            fingerprint = fingerprint == null ? Optional.empty() : fingerprint;
            variant = variant == null ? Optional.empty() : variant;
        }

        public CandidateProposed(String candidateId, long sequence, String code, Optional<String> parentId,
                                 String generator, String summary, Usage usage, Optional<Long> fingerprint) {
            this(candidateId, sequence, code, parentId, generator, summary, usage, fingerprint, Optional.empty());
        }

        public CandidateProposed(String candidateId, long sequence, String code, Optional<String> parentId,
                                 String generator, String summary, Usage usage) {
            this(candidateId, sequence, code, parentId, generator, summary, usage,
                    Optional.of(CodeFingerprint.of(code)));
        }
    }

    /**
     * @param callFailed the model was not called or did not answer (see {@link Proposal.Failed#callFailed()})
     * @param repeats    the earlier program the proposal repeats, when that is why it was not evaluated
     * @param variant    what the model's prompt asked for (see {@link CandidateProposed#variant()})
     */
    public record ProposalFailed(long sequence, String parentId, String generator, String reason, Usage usage,
                                 boolean callFailed, Optional<Repeat> repeats, Optional<PromptVariant> variant)
            implements Event {

        /** Why a proposal gave no candidate, as outputs name it ({@link #key()}). */
        public enum Kind {
            /** The model was not called or did not answer. */
            CALL,
            /** The answer gave no usable program. */
            ANSWER,
            /** The program was evaluated before, up to layout and comments. */
            DUPLICATE,
            /** The program is nearly one evaluated before. */
            NEAR_DUPLICATE;

            public String key() {
                return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            }
        }

        public ProposalFailed {
            repeats = repeats == null ? Optional.empty() : repeats; // journals before format 5
            variant = variant == null ? Optional.empty() : variant;
        }

        public ProposalFailed(long sequence, String parentId, String generator, String reason, Usage usage,
                              boolean callFailed, Optional<Repeat> repeats) {
            this(sequence, parentId, generator, reason, usage, callFailed, repeats, Optional.empty());
        }

        public ProposalFailed(long sequence, String parentId, String generator, String reason, Usage usage,
                              boolean callFailed) {
            this(sequence, parentId, generator, reason, usage, callFailed, Optional.empty());
        }

        public Kind kind() {
            return kind(callFailed, repeats);
        }

        public static Kind kind(boolean callFailed, Optional<Repeat> repeats) {
            if (repeats.isPresent()) {
                return repeats.get().exact() ? Kind.DUPLICATE : Kind.NEAR_DUPLICATE;
            }
            return callFailed ? Kind.CALL : Kind.ANSWER;
        }
    }

    /**
     * The earlier program a proposal repeats: a candidate of the island (evaluated or in evaluation) or a
     * program shown with the proposal (a migrant included), the same up to layout and comments
     * ({@code exact}) or with a {@link CodeSimilarity} of at least {@code galapagos.islands.near-duplicate-similarity}.
     *
     * @param earlierScore that program's score when the island knew it as the proposal was chosen
     */
    public record Repeat(String candidateId, boolean exact, double similarity, Optional<Double> earlierScore)
            implements CborSerializable {

        public Repeat {
            earlierScore = earlierScore == null ? Optional.empty() : earlierScore;
        }
    }

    /** Persisted as the result arrives; it changes the population only in its proposal's turn (see {@link Sequencing}). */
    public record CandidateEvaluated(String candidateId, EvaluationStatus status, double score,
                                     Map<String, Double> metrics, String feedback, String split, long elapsedMillis,
                                     String worker, Optional<String> isolation) implements Event {
    }

    /**
     * Persisted when the candidate's result is applied in sequence order, so every run of a seed has the same;
     * on a stochastic task, when its re-evaluations are in and the noise rule lets it displace the best.
     *
     * @param excess  how far it goes past the island's constraint limits (0 in journals before constraints)
     * @param samples a stochastic task's scores of the candidate ({@code score} is their mean); empty otherwise
     */
    public record BestChanged(String candidateId, double score, double excess, List<Double> samples)
            implements Event {

        public BestChanged {
            samples = samples == null ? List.of() : List.copyOf(samples); // journals before format 7
        }

        public BestChanged(String candidateId, double score, double excess) {
            this(candidateId, score, excess, List.of());
        }

        public BestChanged(String candidateId, double score) {
            this(candidateId, score, 0);
        }
    }

    /**
     * A stochastic task's candidate would become the island's best on its first score: {@code reEvaluations}
     * more evaluations of its program are due before the island decides; they count against the budget now.
     *
     * @param excess how far its first evaluation went past the island's constraint limits
     */
    public record RepeatsRequested(String candidateId, int reEvaluations, double excess) implements Event {
    }

    /** Re-evaluation {@code repeat} (1, 2, ...) of a candidate under repeats: one more sample of its score. */
    public record CandidateReEvaluated(String candidateId, int repeat, EvaluationStatus status, double score,
                                       String split, long elapsedMillis, String worker, Optional<String> isolation)
            implements Event {
    }

    /** The held-out TEST result of an island best, recorded next to its TRAIN score. */
    public record TestEvaluated(String candidateId, EvaluationStatus status, double score, Map<String, Double> metrics)
            implements Event {
    }

    /** Migrants inserted as they arrived: written by earlier versions, still replayed. */
    public record MigrantsAccepted(String fromIsland, List<Individual> programs) implements Event {
    }

    /** The upstream neighbour's migrants of {@code epoch}, inserted at this island's own point of that epoch. */
    public record MigrantsArrived(String fromIsland, int epoch, List<Individual> programs) implements Event {
    }

    /** The upstream neighbour reaches no epoch from {@code epoch} on: this island stops waiting for it. */
    public record UpstreamEnded(String fromIsland, int epoch) implements Event {
    }

    /**
     * The downstream neighbour stored this island's migrants up to {@code epoch}: those of the epochs this
     * island has also passed are no longer kept (they would grow every snapshot with the run's length).
     */
    public record MigrantsDelivered(int epoch) implements Event {
    }

    public record IslandStopped(String reason) implements Event {
    }

    /** The island works with the run's extended budget: no longer stopped, and with a fresh count of failures. */
    public record QuotaExtended(RunSettings settings) implements Event {
    }

    // ---- state ---------------------------------------------------------------------------------

    /**
     * A proposed candidate waiting for its evaluation.
     *
     * @param call   the model call that proposed it, which its outcome rewards; empty for the seed, offline
     *               children and snapshots of earlier versions
     * @param origin what made it, for the island's {@link Lessons}; empty for the seed and earlier snapshots
     */
    public record Pending(String code, Optional<String> parentId, Optional<ModelBandit.Call> call,
                          Optional<Lessons.Origin> origin)
            implements CborSerializable {

        public Pending {
            call = call == null ? Optional.empty() : call;
            origin = origin == null ? Optional.empty() : origin;
        }

        public Pending(String code, Optional<String> parentId, Optional<ModelBandit.Call> call) {
            this(code, parentId, call, Optional.empty());
        }

        public Pending(String code, Optional<String> parentId) {
            this(code, parentId, Optional.empty());
        }
    }

    /**
     * A stochastic task's candidate whose re-evaluations are due: its program and the scores in so far.
     *
     * @param evaluations its evaluations in all, the first included
     * @param samples     the scores of those that succeeded, by evaluation (0: the first)
     * @param failed      the re-evaluations that did not succeed
     * @param excess      how far its first evaluation went past the island's constraint limits
     */
    public record Repeating(String code, int evaluations, Map<Integer, Double> samples, List<Integer> failed,
                            double excess) implements CborSerializable {

        public Repeating {
            samples = Map.copyOf(samples);
            failed = List.copyOf(failed);
        }

        static Repeating start(String code, int evaluations, double firstScore, double excess) {
            return new Repeating(code, evaluations, Map.of(0, firstScore), List.of(), excess);
        }

        boolean arrived(int repeat) {
            return samples.containsKey(repeat) || failed.contains(repeat) || repeat < 1 || repeat >= evaluations;
        }

        Repeating with(CandidateReEvaluated e) {
            if (e.status().succeeded() && Double.isFinite(e.score())) {
                Map<Integer, Double> next = new HashMap<>(samples);
                next.put(e.repeat(), e.score());
                return new Repeating(code, evaluations, next, failed, excess);
            }
            List<Integer> next = new ArrayList<>(failed);
            next.add(e.repeat());
            return new Repeating(code, evaluations, samples, next, excess);
        }

        boolean complete() {
            return samples.size() + failed.size() >= evaluations;
        }

        /** The scores of the evaluations that succeeded, first evaluation first. */
        NoisyScore score() {
            return new NoisyScore(new TreeMap<>(samples).values().stream().toList());
        }
    }

    /**
     * How sequence {@code s} ended, kept until every earlier sequence has ended: an evaluation (with the
     * candidate it belongs to), a failed proposal, or neither (cancelled by a stop).
     */
    public record Resolved(Optional<Pending> candidate, Optional<CandidateEvaluated> evaluated,
                           Optional<ProposalFailed> failed) implements CborSerializable {
        static final Resolved CANCELLED = new Resolved(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * What makes a seeded run the same run under any timing: outcomes change the population, the best
     * and the failure counters strictly in sequence order, a proposal is chosen right after the
     * outcome {@code inFlight} places before it was applied, and migrants enter at fixed points.
     *
     * @param nextToApply    the first sequence whose outcome has not been applied
     * @param issued         sequences below it were chosen (proposed, failed or due)
     * @param waiting        outcomes that arrived before their turn
     * @param due            proposals chosen but not answered by the generator yet (asked again after a crash)
     * @param epochsApplied  migration epochs passed (migrants inserted, or none will come)
     * @param sent           the migrants this island offered its downstream neighbour, per epoch
     * @param inbox          the upstream neighbour's migrants per epoch, until their epoch comes
     * @param upstreamEndsAt the upstream neighbour reaches no epoch from this one on
     * @param firstProposed  the first candidate (its sequence) with each program, by {@link CodeFingerprint}
     */
    public record Sequencing(long nextToApply, long issued, Map<Long, Resolved> waiting,
                             Map<Long, ProposalRequest> due, int epochsApplied, Map<Integer, List<Individual>> sent,
                             Map<Integer, List<Individual>> inbox, Optional<Integer> upstreamEndsAt,
                             @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = ProgramFingerprints.Json.class)
                             Map<Long, Long> firstProposed)
            implements CborSerializable {

        public Sequencing {
            firstProposed = firstProposed == null ? ProgramFingerprints.EMPTY : ProgramFingerprints.of(firstProposed);
            waiting = waiting == null ? SequenceMap.empty() : SequenceMap.of(waiting);
            due = due == null ? SequenceMap.empty() : SequenceMap.of(due);
            sent = sent == null ? Map.of() : Map.copyOf(sent);
            inbox = inbox == null ? Map.of() : Map.copyOf(inbox);
            upstreamEndsAt = upstreamEndsAt == null ? Optional.empty() : upstreamEndsAt;
        }

        /** After the seed (sequence 0) was proposed. */
        static Sequencing start() {
            return new Sequencing(0, 1, Map.of(), Map.of(), 0, Map.of(), Map.of(), Optional.empty(), Map.of());
        }

        Sequencing withWaiting(long sequence, Resolved outcome) {
            Map<Long, Resolved> next = SequenceMap.of(waiting).with(sequence, outcome);
            return new Sequencing(nextToApply, issued, next, due, epochsApplied, sent, inbox, upstreamEndsAt,
                    firstProposed);
        }

        Sequencing applied(long sequence) {
            Map<Long, Resolved> next = SequenceMap.of(waiting).without(sequence);
            return new Sequencing(sequence + 1, issued, next, due, epochsApplied, sent, inbox, upstreamEndsAt,
                    firstProposed);
        }

        Sequencing withDue(long sequence, ProposalRequest request) {
            Map<Long, ProposalRequest> next = SequenceMap.of(due).with(sequence, request);
            return new Sequencing(nextToApply, Math.max(issued, sequence + 1), waiting, next, epochsApplied, sent,
                    inbox, upstreamEndsAt, firstProposed);
        }

        Sequencing answered(long sequence) {
            Map<Long, ProposalRequest> next = SequenceMap.of(due).without(sequence);
            return new Sequencing(nextToApply, Math.max(issued, sequence + 1), waiting, next, epochsApplied, sent,
                    inbox, upstreamEndsAt, firstProposed);
        }

        Sequencing withSent(int epoch, List<Individual> programs) {
            Map<Integer, List<Individual>> next = new HashMap<>(sent);
            next.put(epoch, List.copyOf(programs));
            return new Sequencing(nextToApply, issued, waiting, due, epochsApplied, next, inbox, upstreamEndsAt,
                    firstProposed);
        }

        Sequencing withInbox(int epoch, List<Individual> programs) {
            Map<Integer, List<Individual>> next = new HashMap<>(inbox);
            next.put(epoch, List.copyOf(programs));
            return new Sequencing(nextToApply, issued, waiting, due, epochsApplied, sent, next, upstreamEndsAt,
                    firstProposed);
        }

        /** Forgets the migrants sent for epochs up to {@code epoch} that this island has passed too. */
        Sequencing delivered(int epoch) {
            int upTo = Math.min(epoch, epochsApplied);
            Map<Integer, List<Individual>> next = new HashMap<>(sent);
            next.keySet().removeIf(e -> e <= upTo);
            return new Sequencing(nextToApply, issued, waiting, due, epochsApplied, next, inbox, upstreamEndsAt,
                    firstProposed);
        }

        /** Whether {@link #delivered} of {@code epoch} would forget anything. */
        boolean keepsDelivered(int epoch) {
            int upTo = Math.min(epoch, epochsApplied);
            return sent.keySet().stream().anyMatch(e -> e <= upTo);
        }

        Sequencing passed(int epoch) {
            Map<Integer, List<Individual>> next = new HashMap<>(inbox);
            next.remove(epoch);
            return new Sequencing(nextToApply, issued, waiting, due, epoch, sent, next, upstreamEndsAt,
                    firstProposed);
        }

        /** Records the fingerprint of candidate {@code sequence}'s code, unless an earlier candidate had it. */
        Sequencing proposed(long fingerprint, long sequence) {
            if (firstProposed.containsKey(fingerprint)) {
                return this;
            }
            Map<Long, Long> next = ProgramFingerprints.of(firstProposed).with(fingerprint, sequence);
            return new Sequencing(nextToApply, issued, waiting, due, epochsApplied, sent, inbox, upstreamEndsAt, next);
        }

        /**
         * The earlier candidate with the same program as proposal {@code sequence}, evaluated or still in
         * evaluation. The island decides only once every earlier proposal was answered, so the answer is
         * the same whenever the proposals happen to arrive.
         */
        Optional<Long> duplicateOf(long fingerprint, long sequence) {
            Long first = firstProposed.get(fingerprint);
            return first != null && first < sequence ? Optional.of(first) : Optional.empty();
        }

        /** Whether a proposal before {@code sequence} has not been answered yet. */
        boolean answerDueBefore(long sequence) {
            return SequenceMap.of(due).anyBelow(sequence);
        }

        Sequencing upstreamEnds(int epoch) {
            int from = upstreamEndsAt.map(e -> Math.min(e, epoch)).orElse(epoch);
            return new Sequencing(nextToApply, issued, waiting, due, epochsApplied, sent, inbox, Optional.of(from),
                    firstProposed);
        }
    }

    /**
     * @param nextSequence  the next proposal number (0 is the seed)
     * @param evaluated     evaluations applied (in sequence order)
     * @param failedInRow   applied proposals that failed since the last that gave a candidate
     * @param pending       proposed, not yet evaluated candidates (resubmitted after recovery)
     * @param pendingTests  island bests waiting for their TEST evaluation, with their code
     * @param spending      tokens and dollars of this island's model calls, per model
     * @param order         the in-order application of outcomes, proposals and migrants
     * @param lessons       what worked and what failed, for the prompt variants and the summary
     * @param repeating     a stochastic task's would-be bests whose re-evaluations are due (resubmitted after recovery)
     */
    public record State(Optional<RunSettings> settings, int islandNo, long nextSequence, long proposed,
                        long evaluated, long failedProposals, int failedInRow, Map<String, Pending> pending,
                        Map<String, String> pendingTests, Population population, Optional<BestSummary> best,
                        List<FailedAttempt> recentFailures, Map<String, Long> failures, Optional<String> stopped,
                        Map<String, CostTracker.ModelTotals> spending, Sequencing order, Tuning tuning,
                        ModelBandit.Earnings earnings, Lessons lessons, Map<String, Repeating> repeating)
            implements CborSerializable {

        public State {
            repeating = repeating == null ? Map.of() : Map.copyOf(repeating); // snapshots before format 7
            spending = Map.copyOf(spending);
            pending = Map.copyOf(pending);
            pendingTests = Map.copyOf(pendingTests);
            recentFailures = List.copyOf(recentFailures);
            failures = Map.copyOf(failures);
            // a snapshot of an earlier version: what it has in flight is applied as it arrives, what follows in order
            order = order == null ? new Sequencing(nextSequence, nextSequence, Map.of(), Map.of(), 0, Map.of(),
                    Map.of(), Optional.empty(), Map.of()) : order;
            tuning = tuning == null ? Tuning.IDLE : tuning; // a snapshot from before tuning existed
            earnings = earnings == null ? ModelBandit.Earnings.NONE : earnings; // snapshots before model-choice
            lessons = lessons == null ? Lessons.NONE : lessons; // snapshots before prompt variants
        }

        static State empty() {
            return new State(Optional.empty(), 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), Population.empty(),
                    Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of(), Sequencing.start(), Tuning.IDLE, ModelBandit.Earnings.NONE, Lessons.NONE, Map.of());
        }

        public String islandId() {
            return settings.orElseThrow().islandId(islandNo);
        }

        public long quota() {
            return settings.map(s -> s.quota(islandNo)).orElse(0L);
        }

        /** The island whose migrants this one receives (it sends to {@link RunSettings#neighbourOf}). */
        public String upstream() {
            RunSettings run = settings.orElseThrow();
            return run.islandId((islandNo - 1 + run.islands()) % run.islands());
        }

        /** Sequences chosen and not applied yet (proposals due, in evaluation, or waiting for their turn). */
        long outstanding() {
            long older = 0;
            for (String id : pending.keySet()) {
                if (sequenceOf(id) < order.nextToApply()) {
                    older++;
                }
            }
            return order.issued() - order.nextToApply() + older;
        }

        /** Whether the island may still choose proposals, now or after what is outstanding. */
        private boolean mayContinue() {
            return settings.isPresent() && stopped.isEmpty() && !population.isEmpty() && evaluated < quota()
                    && failedInRow < settings.get().island().maxFailedProposalsInRow();
        }

        private boolean mayIssue() {
            return mayContinue() && outstanding() < settings.get().island().inFlight()
                    && evaluated + outstanding() < quota();
        }

        /** Whether anything is left to apply or propose: while so, the island waits for its upstream's migrants. */
        boolean hasWorkLeft() {
            return outstanding() > 0 || mayContinue();
        }

        /** The migration epoch this island waits for before it applies or proposes anything more. */
        public Optional<Integer> awaitedEpoch() {
            Optional<Integer> epoch = migrationEpoch();
            return epoch.isPresent() && stopped.isEmpty() && hasWorkLeft() ? epoch : Optional.empty();
        }

        /** Whether this island will never offer the migrants of {@code epoch}. */
        boolean neverReaches(int epoch) {
            return settings.isPresent() && !order.sent().containsKey(epoch) && !hasWorkLeft();
        }

        /** The next epoch when the evaluated count has reached it; none without migration. */
        private Optional<Integer> migrationEpoch() {
            RunSettings run = settings.orElseThrow();
            if (run.islands() < 2 || run.island().migrationRate() == 0) {
                return Optional.empty();
            }
            int epoch = order.epochsApplied() + 1;
            return evaluated >= (long) epoch * run.island().migrationInterval() ? Optional.of(epoch) : Optional.empty();
        }

        State apply(Event event) {
            State next = record(event);
            return next.settings.isPresent() ? next.drain() : next;
        }

        private State record(Event event) {
            if (event instanceof Seeded e) {
                return new State(Optional.of(e.settings()), e.islandNo(), 0, 0, 0, 0, 0, Map.of(), Map.of(),
                        Population.empty(), Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of(),
                        Sequencing.start(), Tuning.IDLE, ModelBandit.Earnings.NONE, Lessons.NONE, Map.of());
            } else if (event instanceof CandidateProposed e) {
                State chosen = issuedUpTo(e.sequence());
                Map<String, Pending> next = with(pending, e.candidateId(), new Pending(e.code(), e.parentId(),
                        chosen.modelCall(e.sequence(), e.generator(), e.usage()), chosen.origin(e)));
                Sequencing order = chosen.order.answered(e.sequence());
                if (e.fingerprint().isPresent()) {
                    order = order.proposed(e.fingerprint().get(), e.sequence());
                }
                return new State(settings, islandNo, Math.max(nextSequence, e.sequence() + 1), proposed + 1, evaluated,
                        failedProposals, failedInRow, next, pendingTests, population, best, recentFailures, failures,
                        stopped, spent(e.generator(), e.usage()), order, tuning, earnings, lessons, repeating);
            } else if (event instanceof ProposalFailed e) {
                State chosen = issuedUpTo(e.sequence());
                State counted = new State(settings, islandNo, Math.max(nextSequence, e.sequence() + 1), proposed,
                        evaluated, failedProposals + 1, failedInRow, pending, pendingTests, population, best,
                        recentFailures, failures, stopped, spent(e.generator(), e.usage()),
                        chosen.order.answered(e.sequence()), tuning, earnings, lessons, repeating);
                return counted.resolve(e.sequence(), new Resolved(Optional.empty(), Optional.empty(), Optional.of(e)));
            } else if (event instanceof CandidateEvaluated e) {
                Pending candidate = pending.get(e.candidateId());
                if (candidate == null) {
                    return this;
                }
                return withPending(without(pending, e.candidateId())).resolve(sequenceOf(e.candidateId()),
                        new Resolved(Optional.of(candidate), Optional.of(e), Optional.empty()));
            } else if (event instanceof BestChanged e) {
                Map<String, String> tests = pendingTests;
                Optional<Individual> member = Optional.ofNullable(population.members().get(e.candidateId()));
                // a stochastic task's first best is told again with the mean of its repeats: tested once
                Optional<BestSummary> same = best.filter(b -> b.candidateId().equals(e.candidateId()));
                if (settings.orElseThrow().testBest() && member.isPresent() && same.isEmpty()) {
                    tests = new LinkedHashMap<>(pendingTests);
                    tests.put(e.candidateId(), member.get().code());
                }
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                        pending, tests, population,
                        Optional.of(new BestSummary(e.candidateId(), islandId(), e.score(),
                                same.flatMap(BestSummary::testScore), e.excess(), e.samples())),
                        recentFailures, failures, stopped, spending, order, tuning, earnings, lessons, repeating);
            } else if (event instanceof RepeatsRequested e) {
                Individual member = population.members().get(e.candidateId());
                if (member == null || repeating.containsKey(e.candidateId())) {
                    return this;
                }
                Map<String, Repeating> next = new LinkedHashMap<>(repeating);
                next.put(e.candidateId(), Repeating.start(member.code(), e.reEvaluations() + 1, member.score(),
                        e.excess()));
                // the re-evaluations count against the budget when they are asked for, at a point of the proposal order
                return new State(settings, islandNo, nextSequence, proposed, evaluated + e.reEvaluations(),
                        failedProposals, failedInRow, pending, pendingTests, population, best, recentFailures,
                        failures, stopped, spending, order, tuning, earnings, lessons, next);
            } else if (event instanceof CandidateReEvaluated e) {
                Repeating was = repeating.get(e.candidateId());
                if (was == null || was.arrived(e.repeat())) {
                    return this;
                }
                Repeating now = was.with(e);
                Map<String, Repeating> next = new LinkedHashMap<>(repeating);
                Population nextPopulation = population;
                if (now.complete()) {
                    next.remove(e.candidateId());
                    // parents and migrants are chosen by the mean too, not by a lucky first score
                    nextPopulation = population.rescored(e.candidateId(), now.score().mean());
                } else {
                    next.put(e.candidateId(), now);
                }
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals,
                        failedInRow, pending, pendingTests, nextPopulation, best, recentFailures, failures, stopped,
                        spending, order, tuning, earnings, lessons, next);
            } else if (event instanceof TestEvaluated e) {
                Map<String, String> tests = new LinkedHashMap<>(pendingTests);
                tests.remove(e.candidateId());
                Optional<BestSummary> newBest = best.map(b -> b.candidateId().equals(e.candidateId())
                        ? new BestSummary(b.candidateId(), b.island(), b.score(), Optional.of(e.score()), b.excess(),
                        b.samples()) : b);
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                        pending, tests, population.withTestScore(e.candidateId(), e.score()), newBest, recentFailures,
                        failures, stopped, spending, order, tuning, earnings, lessons, repeating);
            } else if (event instanceof MigrantsAccepted e) {
                return withPopulation(insertAll(population, e.programs()), order);
            } else if (event instanceof MigrantsArrived e) {
                return withPopulation(population, order.withInbox(e.epoch(), e.programs()));
            } else if (event instanceof UpstreamEnded e) {
                return withPopulation(population, order.upstreamEnds(e.epoch()));
            } else if (event instanceof MigrantsDelivered e) {
                return withPopulation(population, order.delivered(e.epoch()));
            } else if (event instanceof IslandStopped e) {
                State stoppedNow = new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals,
                        failedInRow, pending, pendingTests, population, best, recentFailures, failures,
                        Optional.of(e.reason()), spending, order, tuning, earnings, lessons, repeating);
                // proposals not answered yet are dropped: nothing more is proposed after a stop
                for (long sequence : new TreeSet<>(order.due().keySet())) {
                    stoppedNow = stoppedNow.withPopulation(stoppedNow.population, stoppedNow.order.answered(sequence))
                            .resolve(sequence, Resolved.CANCELLED);
                }
                return stoppedNow;
            } else if (event instanceof QuotaExtended e) {
                // proposals go on from the next free sequence once drain() sees room under the new quota
                return new State(Optional.of(e.settings()), islandNo, nextSequence, proposed, evaluated, failedProposals,
                        0, pending, pendingTests, population, best, recentFailures, failures, Optional.empty(), spending,
                        order, tuning, earnings, lessons, repeating);
            }
            throw new IllegalArgumentException("unknown event " + event);
        }

        /**
         * Applies, in sequence order, every outcome whose turn has come; inserts the upstream's migrants
         * at each epoch; chooses the next proposals right after each outcome. Stops at a gap or at an
         * epoch whose migrants have not arrived.
         */
        private State drain() {
            State s = this;
            while (true) {
                Optional<Integer> epoch = s.migrationEpoch();
                if (epoch.isPresent()) {
                    int e = epoch.get();
                    if (!s.order.sent().containsKey(e)) {
                        List<Individual> top = s.population.ranked().stream()
                                .limit(s.settings.orElseThrow().island().migrationRate()).toList();
                        s = s.withPopulation(s.population, s.order.withSent(e, top));
                        continue;
                    }
                    if (s.order.inbox().containsKey(e)) {
                        s = s.withPopulation(s.insertAll(s.population, s.order.inbox().get(e)), s.order.passed(e));
                        continue;
                    }
                    if (s.order.upstreamEndsAt().map(end -> end <= e).orElse(false) || s.stopped.isPresent()) {
                        s = s.withPopulation(s.population, s.order.passed(e));
                        continue;
                    }
                    return s;
                }
                while (s.mayIssue()) {
                    s = s.issue(s.order.issued());
                }
                Resolved next = s.order.waiting().get(s.order.nextToApply());
                if (next == null) {
                    return s;
                }
                long sequence = s.order.nextToApply();
                s = s.applyOutcome(next).tuned(sequence, next);
                s = s.withPopulation(s.population, s.order.applied(sequence));
            }
        }

        /** Chooses proposal {@code sequence}: its parent and the programs shown with it, from the population now. */
        private State issue(long sequence) {
            RunSettings run = settings.orElseThrow();
            SplittableRandom random = new SplittableRandom(SeededRandom.derive(run.seed(), islandNo, sequence));
            TuningSettings tuningSettings = run.island().tuning();
            Tuning tuningNow = tuning.started(population, evaluated, tuningSettings);
            if (tuningNow.proposes()) {
                // one point of an episode at a time: the next is chosen once this one's score is applied
                ProposalRequest request = new ProposalRequest(run.taskId(), islandId(), sequence, random.nextLong(),
                        tuningNow.episode().orElseThrow().target(), List.of(), List.of(), List.of(),
                        Optional.of(tuningNow.step(tuningSettings)), Optional.empty());
                return withTuning(tuningNow.proposing(sequence)).withPopulation(population,
                        order.withDue(sequence, request));
            }
            return withTuning(tuningNow).chosen(sequence, random);
        }

        private State chosen(long sequence, SplittableRandom random) {
            RunSettings run = settings.orElseThrow();
            Selection selection = Selection.choose(population, run.island(), random);
            long seed = random.nextLong();
            Optional<String> model = Optional.empty();
            ModelBandit.Earnings nextEarnings = earnings;
            if (run.generation().llm().map(l -> l.selection() == ModelSelection.BANDIT).orElse(false)) {
                model = ModelBandit.choose(run.generation().models(), earnings, random.split());
                nextEarnings = model.map(earnings::chosen).orElse(earnings);
            }
            Individual parent = selection.parent();
            PromptPlan plan = PromptPlan.IMPROVE;
            Lessons nextLessons = lessons;
            if (run.generation().llm().isPresent()) {
                PromptSettings prompt = run.generation().llm().get().prompt();
                VariantChoice choice = VariantChoice.choose(prompt.variants(), parent, population, lessons, random.split());
                plan = choice.plan();
                parent = choice.parent();
                nextLessons = plan.failedChild().map(c -> lessons.fixing(c.candidateId())).orElse(lessons);
                PromptPlan.SearchSummary summary = lessons.summary(failures);
                if (prompt.summaryEvery() > 0 && sequence % prompt.summaryEvery() == 0 && !summary.isEmpty()) {
                    plan = plan.withSummary(summary);
                }
            }
            ProposalRequest request = new ProposalRequest(run.taskId(), islandId(), sequence, seed,
                    parent.asProgram(), programs(selection.inspirations()),
                    programs(selection.topPrograms()), recentFailures, Optional.empty(), model, plan);
            return withPopulation(population, order.withDue(sequence, request)).withEarnings(nextEarnings)
                    .withLessons(nextLessons);
        }

        /** A journal of an earlier version may hold a proposal that was never chosen here: choose the gap now. */
        private State issuedUpTo(long sequence) {
            State s = this;
            while (s.order.issued() < sequence && !s.population.isEmpty()) {
                s = s.issue(s.order.issued());
            }
            return s;
        }

        private State resolve(long sequence, Resolved outcome) {
            if (sequence < order.nextToApply()) {
                return applyOutcome(outcome).tuned(sequence, outcome); // in flight when an earlier version wrote its snapshot
            }
            return withPopulation(population, order.withWaiting(sequence, outcome));
        }

        private State applyOutcome(Resolved outcome) {
            if (outcome.evaluated().isPresent()) {
                CandidateEvaluated e = outcome.evaluated().get();
                Pending candidate = outcome.candidate().orElseThrow();
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
                ModelBandit.Earnings nextEarnings = earnings;
                if (candidate.call().isPresent()) {
                    ModelBandit.Call call = candidate.call().get();
                    // a child that failed its evaluation, or whose parent the island no longer knew, earns nothing
                    double gain = e.status().succeeded() && call.parentScore().isPresent()
                            ? e.score() - call.parentScore().get() : 0;
                    nextEarnings = earnings.outcome(call.model(), gain, call.costUsd());
                }
                return new State(settings, islandNo, nextSequence, proposed, evaluated + 1, failedProposals, 0,
                        pending, pendingTests, nextPopulation, best, nextFailures, byStatus, stopped, spending, order, tuning,
                        nextEarnings, lessons.evaluated(e.candidateId(), candidate, e,
                                settings.orElseThrow().island().recentFailures()), repeating);
            } else if (outcome.failed().isPresent()) {
                ProposalFailed e = outcome.failed().get();
                // a call that failed is the endpoint's fault, not the answer's: nothing to learn, no reason to give up
                return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals,
                        e.callFailed() ? failedInRow : failedInRow + 1, pending, pendingTests, population, best,
                        e.callFailed() ? recentFailures
                                : remember(new FailedAttempt(islandId() + "/" + e.sequence(), e.reason())),
                        failures, stopped, spending, order, tuning,
                        isModel(e.generator()) ? earnings.outcome(e.generator(), 0, e.usage().costUsd()) : earnings,
                        lessons.proposalFailed(e), repeating);
            }
            return this;
        }

        /** Records the outcome of sequence {@code sequence} in the tuning episode if it is the episode's point. */
        private State tuned(long sequence, Resolved outcome) {
            if (!tuning.awaits(sequence)) {
                return this;
            }
            int max = settings.orElseThrow().island().tuning().maxEvaluations();
            Tuning next;
            if (outcome.evaluated().isPresent()) {
                CandidateEvaluated e = outcome.evaluated().get();
                next = tuning.scored(e.status().succeeded() ? e.score() : LiteralSearch.FAILED, max, evaluated);
            } else if (outcome.failed().flatMap(ProposalFailed::repeats).isPresent()) {
                // the point is a program evaluated before, not again: its score when the island knew it
                next = tuning.scored(outcome.failed().get().repeats().get().earlierScore().orElse(LiteralSearch.FAILED),
                        max, evaluated);
            } else {
                next = tuning.ended(evaluated); // the tuner found no further point, or the island stopped
            }
            return withTuning(next);
        }

        private State withTuning(Tuning nextTuning) {
            return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                    pending, pendingTests, population, best, recentFailures, failures, stopped, spending, order,
                    nextTuning, earnings, lessons, repeating);
        }

        private State withPopulation(Population nextPopulation, Sequencing nextOrder) {
            return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                    pending, pendingTests, nextPopulation, best, recentFailures, failures, stopped, spending, nextOrder, tuning, earnings, lessons, repeating);
        }

        private State withLessons(Lessons next) {
            return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                    pending, pendingTests, population, best, recentFailures, failures, stopped, spending, order, tuning,
                    earnings, next, repeating);
        }

        private State withEarnings(ModelBandit.Earnings next) {
            return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                    pending, pendingTests, population, best, recentFailures, failures, stopped, spending, order, tuning, next, lessons, repeating);
        }

        /** Whether {@code generator} is a model of the run's ensemble: its outcomes are its earnings. */
        private boolean isModel(String generator) {
            return settings.map(run -> run.generation().models().stream().anyMatch(m -> m.name().equals(generator)))
                    .orElse(false);
        }

        /** What made candidate {@code e}: its generator, idea, the variant of a model's prompt and its parent's score. */
        private Optional<Lessons.Origin> origin(CandidateProposed e) {
            Optional<ProposalRequest> request = Optional.ofNullable(order.due().get(e.sequence()));
            return Optional.of(new Lessons.Origin(e.generator(), e.summary(), e.variant(),
                    request.map(r -> r.parent().score())));
        }

        /** The model call behind candidate {@code sequence}, measured against the parent its request showed. */
        private Optional<ModelBandit.Call> modelCall(long sequence, String generator, Usage usage) {
            if (!isModel(generator)) {
                return Optional.empty();
            }
            Optional<Double> parentScore = Optional.ofNullable(order.due().get(sequence))
                    .map(request -> request.parent().score());
            return Optional.of(new ModelBandit.Call(generator, parentScore, usage.costUsd()));
        }

        /** {@code map} with {@code value} at {@code key}, built as an immutable map at once (not copied twice). */
        @SuppressWarnings("unchecked")
        private static <K, V> Map<K, V> with(Map<K, V> map, K key, V value) {
            Map.Entry<K, V>[] entries = new Map.Entry[map.size() + 1];
            int i = 0;
            for (Map.Entry<K, V> entry : map.entrySet()) {
                if (!entry.getKey().equals(key)) {
                    entries[i++] = entry;
                }
            }
            entries[i++] = Map.entry(key, value);
            return Map.ofEntries(i == entries.length ? entries : java.util.Arrays.copyOf(entries, i));
        }

        /** {@code map} without {@code key}, built as an immutable map at once. */
        @SuppressWarnings("unchecked")
        private static <K, V> Map<K, V> without(Map<K, V> map, K key) {
            if (!map.containsKey(key)) {
                return map;
            }
            Map.Entry<K, V>[] entries = new Map.Entry[map.size() - 1];
            int i = 0;
            for (Map.Entry<K, V> entry : map.entrySet()) {
                if (!entry.getKey().equals(key)) {
                    entries[i++] = entry;
                }
            }
            return Map.ofEntries(entries);
        }

        private State withPending(Map<String, Pending> nextPending) {
            return new State(settings, islandNo, nextSequence, proposed, evaluated, failedProposals, failedInRow,
                    nextPending, pendingTests, population, best, recentFailures, failures, stopped, spending, order, tuning, earnings, lessons, repeating);
        }

        private Population insertAll(Population into, List<Individual> migrants) {
            Population next = into;
            for (Individual migrant : migrants) {
                if (!next.holds(migrant)) {
                    next = insert(next, migrant);
                }
            }
            return next;
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
            return into.insert(individual, run.featureMetric(), run.island().gridBins(), run.island().archiveSize(),
                    run.island().constraints(), run.island().objectives());
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
            boolean finished = settings.isPresent() && !hasWorkLeft() && generating == 0 && pending.isEmpty()
                    && pendingTests.isEmpty() && repeating.isEmpty();
            return new IslandReport(islandNo, proposed, evaluated, failedProposals, failures,
                    pending.size() + repeating.size(), best,
                    finished, spending, generatorStatus, settings.map(RunSettings::budgetRevision).orElse(0));
        }
    }

    /** The proposal number of a candidate id {@code <run>/<island>/<sequence>}. */
    static long sequenceOf(String candidateId) {
        return Long.parseLong(candidateId, candidateId.lastIndexOf('/') + 1, candidateId.length(), 10);
    }

    private static List<Program> programs(List<Individual> individuals) {
        return individuals.stream().map(Individual::asProgram).toList();
    }

    // ---- behavior ------------------------------------------------------------------------------

    private final String islandId;
    private final IslandEnvironment environment;
    private final RetentionCriteria retention;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final EntityHost<Command> host;
    /** State changes of the decision at hand, for the event handler (see {@link Transitions}). */
    private final Transitions transitions = new Transitions();
    /** The dispatchers of the last receptionist listing; empty until the first one. */
    private Optional<Set<ActorRef<WorkPulling.ToDispatcher>>> knownDispatchers = Optional.empty();
    /** Due proposals asked of the generator and not answered yet; after a crash they are asked again. */
    private final Set<Long> generating = new HashSet<>();
    /** Answers that came before an earlier proposal's: they wait for it (see {@link #onProposalReady}). */
    private final java.util.TreeMap<Long, ProposalReady> held = new java.util.TreeMap<>();
    /** Whether a {@link WriteResults} is on its way: results handled until it comes wait for it in {@link #unwritten}. */
    private boolean groupingResults;
    /** Selection results handled and not journalled yet, in arrival order; their candidates are still pending. */
    private final Map<String, CandidateEvaluated> unwritten = new LinkedHashMap<>();
    /** Generator answers handled while {@link #groupingResults}, by sequence: decided and journalled with the results. */
    private final java.util.TreeMap<Long, ProposalReady> unwrittenProposals = new java.util.TreeMap<>();
    private Optional<SolutionGenerator> generator = Optional.empty();
    private Optional<IslandReport> lastReport = Optional.empty();
    /** The epoch last asked of the upstream neighbour; asked again on every report tick while awaited. */
    private Optional<Integer> askedEpoch = Optional.empty();
    /** Why the generator cannot propose now (paused endpoint, budget); empty while it can. */
    private String generatorStatus = "";
    private boolean budgetStopSent;
    private final LifecycleLog.Where where;
    /** The generator's last state as the lifecycle lines told it: a pause and its end are one line each. */
    private GeneratorHealth.Status loggedGenerator = GeneratorHealth.Status.READY;
    /** Whether the island's "finished" line was written (or, after a recovery, was due before it). */
    private boolean finishedLogged;

    private Island(String islandId, PersistenceId persistenceId, IslandEnvironment environment,
                   RetentionCriteria retention, Optional<RestartBackoff> backoff, ActorContext<Command> context,
                   TimerScheduler<Command> timers, EntityHost<Command> host) {
        super(persistenceId, backoff.map(RestartBackoff::strategy));
        this.host = host;
        this.islandId = islandId;
        this.environment = environment;
        this.retention = retention;
        this.context = context;
        this.timers = timers;
        this.where = LifecycleLog.Where.node(context.getSystem()).island(islandId);
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
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted)
                // passivated, handed over to another node, or its node leaves: it starts again where messaged
                .onSignal(PostStop.instance(), state -> LifecycleLog.info(where, "island entity stopped",
                        "pending", state.pending().size()))
                .build();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Start.class, this::onStart)
                .onCommand(Stop.class, this::onStop)
                .onCommand(ExtendQuota.class, this::onExtendQuota)
                .onCommand(Retire.class, this::onRetire)
                .onCommand(Passivated.class, this::onPassivated)
                .onCommand(EvaluationArrived.class, this::onEvaluationArrived)
                .onCommand(WriteResults.class, this::onWriteResults)
                .onCommand(MigrantsOffered.class, this::onMigrantsOffered)
                .onCommand(NoMoreMigrants.class, this::onNoMoreMigrants)
                .onCommand(MigrantsWanted.class, this::onMigrantsWanted)
                .onCommand(MigrantsReceived.class, this::onMigrantsReceived)
                .onCommand(ProposalReady.class, this::onProposalReady)
                .onCommand(ReportTick.class, this::onReportTick)
                .onCommand(ResubmitTick.class, this::onResubmitTick)
                .onCommand(DispatchersChanged.class, this::onDispatchersChanged)
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(transitions::apply);
    }

    /**
     * The state changes worked out while deciding a write (the answers of a group, the outcomes it lets be
     * applied), kept until Pekko applies the same events to the same states right after the command, so that
     * each event of a live island is applied once: {@link State#apply} is a pure function of the state and
     * the event, both immutable, so an identical pair gives the identical result. Replays find nothing here.
     */
    static final class Transitions {
        private record Transition(State from, State to) {
        }

        private final java.util.IdentityHashMap<Event, Transition> known = new java.util.IdentityHashMap<>();

        /** Forgets the last write's changes: a new decision starts. */
        void clear() {
            known.clear();
        }

        /** {@code state} with {@code event} applied, remembered for the event handler. */
        State applyAndKeep(State state, Event event) {
            State to = apply(state, event);
            known.put(event, new Transition(state, to));
            return to;
        }

        /** {@code state} with {@code event} applied: the one worked out before if it started from this same state. */
        State apply(State state, Event event) {
            Transition transition = known.get(event);
            return transition != null && transition.from() == state ? transition.to() : state.apply(event);
        }
    }

    private void onRecoveryCompleted(State state) {
        // after a journal failure the entity restarts in this same object: what it asked and told is
        // forgotten, so that due proposals are asked again (a lost answer would stall them) and the run hears all
        generating.clear();
        held.clear();
        groupingResults = false;
        transitions.clear();
        unwritten.clear(); // their candidates are pending: submitted again below, and the dispatcher answers again
        unwrittenProposals.clear(); // their sequences are still due: asked of the generator again below
        lastReport = Optional.empty();
        askedEpoch = Optional.empty();
        if (state.settings().isEmpty()) {
            return;
        }
        finishedLogged = state.report(0, "").finished();
        LifecycleLog.info(where, "island recovered", "proposed", state.proposed(), "evaluated", state.evaluated(),
                "pending", state.pending().size(), "stopped", state.stopped().isPresent());
        state.pending().keySet().forEach(id -> submitSelection(state, id));
        state.pendingTests().keySet().forEach(id -> submitTest(state, id));
        state.repeating().keySet().forEach(id -> submitRepeats(state, id));
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
        SourceLanguage language = generator.orElseGet(() -> {
            SolutionGenerator made = environment.generator(settings, start.islandNo(), Map.of());
            generator = Optional.of(made);
            return made;
        }).language();
        for (int k = 0; k < seeds.size(); k++) {
            boolean initial = settings.seedPrograms().isEmpty();
            events.add(new CandidateProposed(settings.islandId(start.islandNo()) + "/" + k, k, seeds.get(k),
                    Optional.empty(), initial ? "initial" : "seed",
                    initial ? "the initial program" : "a best program of the run this one branched from", Usage.NONE,
                    Optional.of(CodeFingerprint.of(seeds.get(k), language))));
        }
        return Effect().persist(events)
                .thenRun(s -> {
                    LifecycleLog.info(where, "island started", "seeds", seeds.size(),
                            "quota", s.settings().orElseThrow().quota(s.islandNo()));
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
        LifecycleLog.info(where, "island stopping", "reason", stop.reason(), "pending", state.pending().size());
        return persistInOrder(state, List.of(new IslandStopped(stop.reason())));
    }

    private Effect<Event, State> onRetire(State state, Retire retire) {
        boolean finished = state.settings().isPresent() && state.report(generating.size(), generatorStatus).finished()
                && state.settings().get().budgetRevision() == retire.budgetRevision();
        if (!finished) {
            return Effect().none(); // the budget was extended since, or the run is ahead of a message: keep going
        }
        return Effect().none().thenRun(s -> {
            timers.cancelAll();
            host.passivate(context.getSelf());
        });
    }

    private Effect<Event, State> onPassivated(State state, Passivated passivated) {
        return Effect().none().thenRun(s -> {
            if (s.settings().isPresent() && !s.report(generating.size(), generatorStatus).finished()) {
                host.wake(ReportTick.INSTANCE); // work came in after the retirement (a budget extension)
            }
        }).thenStop();
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
        // in-memory flags only: the island reports at once and may stop for its budget again
        budgetStopSent = false;
        lastReport = Optional.empty();
        return persistInOrder(state, List.of(new QuotaExtended(extend.settings())));
    }

    private Effect<Event, State> onEvaluationArrived(State state, EvaluationArrived arrived) {
        EvaluationResult result = arrived.result();
        if (result.purpose() == Purpose.REPEAT) {
            return onRepeatArrived(state, result);
        }
        if (result.purpose() == Purpose.HELD_OUT_TEST) {
            if (!state.pendingTests().containsKey(result.candidateId())) {
                return Effect().none();
            }
            return Effect().persist(new TestEvaluated(result.candidateId(), result.status(), result.score(),
                    result.metrics())).thenRun(s -> afterChange(s, true));
        }
        if (!state.pending().containsKey(result.candidateId()) || unwritten.containsKey(result.candidateId())) {
            return Effect().none();
        }
        EvaluationTimeline.mark(result.evaluationId(), EvaluationTimeline.Mark.RESULT_ARRIVED);
        CandidateEvaluated evaluated = new CandidateEvaluated(result.candidateId(), result.status(), result.score(),
                result.metrics(), truncate(result.feedback()), result.split(), result.elapsedMillis(), result.worker(),
                result.isolation());
        if (groupingResults) {
            // group commit: the results that waited for the last write go into one write together. One lost
            // with the island (a crash, a passivation) is evaluated again: its candidate is still pending.
            unwritten.put(result.candidateId(), evaluated);
            return Effect().none();
        }
        return persistInOrder(state, List.of(evaluated));
    }

    private Effect<Event, State> onWriteResults(State state, WriteResults write) {
        groupingResults = false;
        transitions.clear();
        List<Event> events = new ArrayList<>();
        // answers in sequence order, each decided on the state with the ones before it (a repeat within the group)
        State decided = state;
        int left = unwrittenProposals.size();
        for (ProposalReady ready : unwrittenProposals.values()) {
            Optional<Event> event = decideProposal(decided, ready);
            left--;
            if (event.isPresent() && left > 0) { // the last one's state is not needed: a copy saved
                events.add(event.get());
                decided = transitions.applyAndKeep(decided, event.get());
            } else {
                event.ifPresent(events::add);
            }
        }
        boolean answered = !unwrittenProposals.isEmpty();
        unwrittenProposals.clear();
        for (CandidateEvaluated e : unwritten.values()) {
            if (state.pending().containsKey(e.candidateId())) {
                events.add(e);
            }
        }
        unwritten.clear();
        if (events.isEmpty()) {
            return answered ? Effect().none().thenRun(s -> afterChange(s, true)) : Effect().none();
        }
        return persistDecided(state, events);
    }

    /**
     * After a journal write: the results that arrived during it (now unstashed behind it) wait for one
     * {@link WriteResults}, sent now so that it comes after them.
     */
    private void groupResultsThatWaited() {
        if (environment.groupsResults() && !groupingResults) {
            groupingResults = true;
            context.getSelf().tell(WriteResults.INSTANCE);
        }
    }

    /**
     * One more sample of a candidate under repeats, journalled as it arrives (a repeat that arrives twice is
     * ignored); with the last, the noise rule decides whether the candidate displaces the island's best.
     */
    private Effect<Event, State> onRepeatArrived(State state, EvaluationResult result) {
        Repeating repeating = state.repeating().get(result.candidateId());
        java.util.OptionalInt repeat = EvaluationRequest.repeatOf(result.evaluationId());
        if (repeating == null || repeat.isEmpty() || repeating.arrived(repeat.getAsInt())) {
            return Effect().none();
        }
        CandidateReEvaluated sample = new CandidateReEvaluated(result.candidateId(), repeat.getAsInt(),
                result.status(), result.score(), result.split(), result.elapsedMillis(), result.worker(),
                result.isolation());
        List<Event> events = new ArrayList<>(List.of(sample));
        Repeating now = repeating.with(sample);
        if (now.complete()) {
            decide(state, result.candidateId(), now).ifPresent(events::add);
            LifecycleLog.info(where, "repeats done", "candidate", result.candidateId(), "score", now.score(),
                    "new best", events.size() > 1);
        }
        return persistInOrder(state, events);
    }

    /**
     * Whether a candidate whose repeats are all in becomes (or, as the island's first best, stays) the best,
     * with the mean of its samples: a lower constraint excess wins, and on the same excess the
     * {@link NoisyScore} rule, which asks its mean to lead by more than the noise. A candidate that failed a
     * re-evaluation does not displace the best.
     */
    static Optional<BestChanged> decide(State state, String candidateId, Repeating done) {
        NoisyScore score = done.score();
        BestChanged changed = new BestChanged(candidateId, score.mean(), done.excess(), score.samples());
        Optional<BestSummary> best = state.best();
        if (best.isEmpty() || best.get().candidateId().equals(candidateId)) {
            return Optional.of(changed);
        }
        BestSummary current = best.get();
        if (!done.failed().isEmpty() || done.excess() > current.excess()) {
            return Optional.empty();
        }
        if (done.excess() < current.excess()) {
            return Optional.of(changed);
        }
        Noise noise = state.settings().orElseThrow().island().noise();
        NoisyScore theirs = current.samples().isEmpty() ? NoisyScore.of(current.score())
                : new NoisyScore(current.samples());
        return score.against(theirs, noise.reEvaluations(), noise.standardErrors()) == NoisyScore.Verdict.DISPLACES
                ? Optional.of(changed) : Optional.empty();
    }

    private Effect<Event, State> onMigrantsOffered(State state, MigrantsOffered offered) {
        if (state.settings().isEmpty() || !offered.fromIsland().equals(state.upstream())
                || offered.epoch() <= state.order().epochsApplied()
                || state.order().inbox().containsKey(offered.epoch())) {
            return Effect().none();
        }
        return persistInOrder(state, List.of(new MigrantsArrived(offered.fromIsland(), offered.epoch(),
                offered.programs())));
    }

    private Effect<Event, State> onNoMoreMigrants(State state, NoMoreMigrants none) {
        if (state.settings().isEmpty() || !none.fromIsland().equals(state.upstream())
                || state.order().upstreamEndsAt().map(e -> e <= none.epoch()).orElse(false)) {
            return Effect().none();
        }
        return persistInOrder(state, List.of(new UpstreamEnded(none.fromIsland(), none.epoch())));
    }

    /** Answers from the journal, so a restarted island gives its neighbour what it offered before the crash. */
    private Effect<Event, State> onMigrantsWanted(State state, MigrantsWanted wanted) {
        return Effect().none().thenRun(s -> {
            if (s.settings().isEmpty()) {
                return; // the neighbour asks again once the run has started this island
            }
            List<Individual> sent = s.order().sent().get(wanted.epoch());
            if (sent != null) {
                environment.tellIsland(wanted.byIsland(), new MigrantsOffered(islandId, wanted.epoch(), sent));
            } else if (s.neverReaches(wanted.epoch())) {
                environment.tellIsland(wanted.byIsland(), new NoMoreMigrants(islandId, wanted.epoch()));
            }
        });
    }

    private Effect<Event, State> onMigrantsReceived(State state, MigrantsReceived received) {
        if (state.settings().isEmpty()
                || !received.byIsland().equals(state.settings().get().neighbourOf(state.islandNo()))
                || !state.order().keepsDelivered(received.epoch())) {
            return Effect().none();
        }
        return Effect().persist(new MigrantsDelivered(received.epoch()));
    }

    private Effect<Event, State> onProposalReady(State state, ProposalReady ready) {
        if (groupingResults) {
            // group commit, as for results: the answers that waited for the last write go into one write. One
            // lost with the island is asked of the generator again: its sequence is still due
            unwrittenProposals.put(ready.sequence(), ready);
            return Effect().none();
        }
        Optional<Event> decided = decideProposal(state, ready);
        if (decided.isEmpty()) {
            // held for an earlier answer, or answered before a crash or dropped by a stop
            return state.order().due().containsKey(ready.sequence()) ? Effect().none()
                    : Effect().none().thenRun(s -> afterChange(s, true));
        }
        if (decided.get() instanceof CandidateProposed proposed) {
            String candidateId = proposed.candidateId();
            String evaluationId = EvaluationRequest.evaluationId(candidateId, Purpose.SELECTION);
            long writeStart = System.nanoTime();
            return Effect().persist(decided.get())
                    .thenRun(s -> {
                        environment.journalled(System.nanoTime() - writeStart);
                        groupResultsThatWaited();
                        EvaluationTimeline.mark(evaluationId, EvaluationTimeline.Mark.SUBMITTED);
                        submitSelection(s, candidateId);
                        afterChange(s, false);
                    });
        }
        return persistInOrder(state, List.of(decided.get()));
    }

    /**
     * What a generator's answer makes, decided on {@code state}: a candidate, or a failed proposal (a repeat
     * included); none when it waits for an earlier proposal's answer (held) or its sequence is no longer due.
     */
    private Optional<Event> decideProposal(State state, ProposalReady ready) {
        ProposalRequest request = state.order().due().get(ready.sequence());
        if (request != null && state.order().answerDueBefore(ready.sequence())) {
            // whether it repeats an earlier proposal is decided once all of them are known, whatever their timing
            held.put(ready.sequence(), ready);
            return Optional.empty();
        }
        generating.remove(ready.sequence());
        if (request == null) {
            return Optional.empty();
        }
        String parentId = request.parent().candidateId();
        Proposal proposal = ready.proposal();
        if (proposal instanceof Proposal.Code code) {
            long fingerprint = ready.fingerprint().orElseGet(() -> CodeFingerprint.of(code.code(), language(state)));
            Optional<Repeat> repeat = state.order().duplicateOf(fingerprint, ready.sequence())
                    .map(earlier -> RepeatCheck.exact(state.islandId() + "/" + earlier, request))
                    .or(ready::shownRepeat);
            if (repeat.isPresent()) {
                // the same program is evaluated (or in evaluation) with its result in the history: not again, and
                // not against the budget; it counts towards max-failed-proposals-in-a-row, so a generator that
                // only repeats itself still ends the island
                return Optional.of(new ProposalFailed(ready.sequence(), parentId, code.generator(),
                        RepeatCheck.reason(repeat.get()), code.usage(), false, repeat,
                        variantOf(state, request, code.generator())));
            }
            String candidateId = state.islandId() + "/" + ready.sequence();
            EvaluationTimeline.mark(EvaluationRequest.evaluationId(candidateId, Purpose.SELECTION),
                    EvaluationTimeline.Mark.PROPOSAL_RECEIVED);
            return Optional.of(new CandidateProposed(candidateId, ready.sequence(), code.code(),
                    Optional.of(parentId), code.generator(), code.summary(), code.usage(),
                    Optional.of(fingerprint), variantOf(state, request, code.generator())));
        }
        Proposal.Failed failed = (Proposal.Failed) proposal;
        return Optional.of(new ProposalFailed(ready.sequence(), parentId, failed.generator(),
                truncate(failed.reason()), failed.usage(), failed.callFailed(), Optional.empty(),
                variantOf(state, request, failed.generator())));
    }

    /** The variant of a model's prompt; none for offline and tuned children, which no prompt made. */
    private static Optional<PromptVariant> variantOf(State state, ProposalRequest request, String generator) {
        return request.tuning().isEmpty() && state.isModel(generator)
                ? Optional.of(request.plan().variant()) : Optional.empty();
    }

    /**
     * Persists events that may let outcomes be applied, each {@link BestChanged} they cause right behind
     * them; then tests the new bests and offers the migrants of epochs just reached.
     */
    private Effect<Event, State> persistInOrder(State state, List<Event> arrived) {
        transitions.clear();
        return persistDecided(state, arrived);
    }

    /** {@link #persistInOrder}, reusing the state changes {@link #transitions} kept of this decision. */
    private Effect<Event, State> persistDecided(State state, List<Event> arrived) {
        List<Event> events = withBestChanges(state, arrived, transitions);
        boolean improved = events.stream().anyMatch(e -> e instanceof BestChanged || e instanceof RepeatsRequested);
        long writeStart = System.nanoTime();
        return Effect().persist(events).thenRun(s -> {
            environment.journalled(System.nanoTime() - writeStart);
            groupResultsThatWaited();
            for (Event event : events) {
                if (event instanceof CandidateProposed p && s.pending().containsKey(p.candidateId())) {
                    String evaluationId = EvaluationRequest.evaluationId(p.candidateId(), Purpose.SELECTION);
                    EvaluationTimeline.mark(evaluationId, EvaluationTimeline.Mark.SUBMITTED);
                    submitSelection(s, p.candidateId());
                }
                if (event instanceof CandidateEvaluated e) {
                    EvaluationTimeline.mark(EvaluationRequest.evaluationId(e.candidateId(), Purpose.SELECTION),
                            EvaluationTimeline.Mark.EVALUATION_PERSISTED);
                }
                if (event instanceof BestChanged b && s.pendingTests().containsKey(b.candidateId())) {
                    submitTest(s, b.candidateId());
                }
                if (event instanceof RepeatsRequested r && s.repeating().containsKey(r.candidateId())) {
                    submitRepeats(s, r.candidateId());
                }
                if (event instanceof MigrantsArrived m) {
                    environment.tellIsland(m.fromIsland(), new MigrantsReceived(islandId, m.epoch()));
                }
            }
            s.order().sent().forEach((epoch, programs) -> {
                if (!state.order().sent().containsKey(epoch)) {
                    environment.tellIsland(s.settings().orElseThrow().neighbourOf(s.islandNo()),
                            new MigrantsOffered(islandId, epoch, programs));
                }
            });
            afterChange(s, improved || s.stopped().isPresent());
        });
    }

    /** {@code arrived}, followed by a {@link BestChanged} for each applied outcome that beats the island's best. */
    static List<Event> withBestChanges(State state, List<Event> arrived) {
        return withBestChanges(state, arrived, new Transitions());
    }

    /** The same, applying the events through {@code transitions}, which keeps the states for the event handler. */
    static List<Event> withBestChanges(State state, List<Event> arrived, Transitions transitions) {
        // the evaluations that arrive now; those that waited for their turn are looked up where they wait
        Map<Long, CandidateEvaluated> evaluations = new HashMap<>();
        List<Long> appliedNow = new ArrayList<>();
        State after = state;
        for (Event event : arrived) {
            if (event instanceof CandidateEvaluated e && after.pending().containsKey(e.candidateId())) {
                long sequence = sequenceOf(e.candidateId());
                evaluations.put(sequence, e);
                if (sequence < after.order().nextToApply()) {
                    appliedNow.add(sequence); // in flight when an earlier version wrote its snapshot
                }
            }
            long before = after.order().nextToApply();
            after = transitions.applyAndKeep(after, event);
            for (long sequence = before; sequence < after.order().nextToApply(); sequence++) {
                appliedNow.add(sequence);
            }
        }
        List<Event> events = new ArrayList<>(arrived);
        Optional<BestSummary> best = state.best();
        Noise noise = state.settings().map(s -> s.island().noise()).orElse(Noise.OFF);
        // the limits are fixed by the island's first program, applied before any later outcome
        Population population = after.population();
        for (long sequence : appliedNow) {
            CandidateEvaluated e = evaluations.get(sequence);
            if (e == null) {
                Resolved waited = state.order().waiting().get(sequence);
                e = waited == null ? null : waited.evaluated().orElse(null);
            }
            if (e != null && e.status().succeeded() && Double.isFinite(e.score())) {
                BestSummary candidate = new BestSummary(e.candidateId(), "", e.score(), Optional.empty(),
                        population.excess(e.metrics()));
                if (!best.map(candidate::beats).orElse(true)) {
                    continue;
                }
                if (!noise.active()) {
                    events.add(new BestChanged(e.candidateId(), e.score(), candidate.excess()));
                    best = Optional.of(candidate);
                    continue;
                }
                // a stochastic task: one score may be luck, so the rule decides once the repeats are in; the
                // island's first best is its best at once (there is nothing to compare it with) and repeated too
                if (best.isEmpty()) {
                    events.add(new BestChanged(e.candidateId(), e.score(), candidate.excess(), List.of(e.score())));
                    best = Optional.of(candidate);
                }
                events.add(new RepeatsRequested(e.candidateId(), noise.reEvaluations(), candidate.excess()));
            }
        }
        return events;
    }

    private Effect<Event, State> onReportTick(State state, ReportTick tick) {
        return Effect().none().thenRun(s -> {
            askedEpoch = Optional.empty(); // a lost request or a restarted neighbour: ask again
            afterChange(s, true);
        });
    }

    private Effect<Event, State> onResubmitTick(State state, ResubmitTick tick) {
        return Effect().none().thenRun(s -> {
            s.pending().keySet().forEach(id -> submitSelection(s, id));
            s.pendingTests().keySet().forEach(id -> submitTest(s, id));
            s.repeating().keySet().forEach(id -> submitRepeats(s, id));
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

    /** Timers run while the island has work; a finished island has nothing to report or resubmit. */
    private void keepTimers(boolean finished) {
        if (finished) {
            timers.cancelAll();
        } else if (!timers.isTimerActive(ReportTick.INSTANCE)) {
            // the node's intervals, not the journal's: an operator may change them and resume
            timers.startTimerWithFixedDelay(ReportTick.INSTANCE, environment.timers().progressInterval());
            timers.startTimerWithFixedDelay(ResubmitTick.INSTANCE, environment.timers().resubmitInterval());
        }
    }

    /**
     * Asks the generator for the due proposals and the upstream neighbour for awaited migrants, then
     * reports changed counters to the run: at once when {@code urgent} (a new best, a stop, a timer
     * tick) or finished; reporting every evaluation would double the run's journal writes.
     */
    private void afterChange(State state, boolean urgent) {
        if (state.settings().isEmpty()) {
            return;
        }
        releaseHeld(state);
        propose(state);
        Optional<Integer> awaited = state.awaitedEpoch();
        if (awaited.isPresent() && !awaited.equals(askedEpoch)) {
            environment.tellIsland(state.upstream(), new MigrantsWanted(islandId, awaited.get()));
        }
        askedEpoch = awaited;
        IslandReport report = state.report(generating.size(), generatorStatus);
        keepTimers(report.finished());
        if (report.finished() && !finishedLogged) {
            finishedLogged = true;
            LifecycleLog.info(where, "island finished", "proposed", report.proposed(), "evaluated", report.evaluated(),
                    "best", report.best().map(BestSummary::score).map(String::valueOf).orElse("none"));
        } else if (!report.finished()) {
            finishedLogged = false; // an extended budget: the island will finish again
        }
        boolean changed = lastReport.map(r -> !r.equals(report)).orElse(true);
        if (changed && (urgent || report.finished() || lastReport.isEmpty())) {
            lastReport = Optional.of(report);
            environment.tellRun(state.settings().get().runId(), new Run.ReportProgress(report));
        }
    }

    /**
     * Hands the held answers back to the island, in sequence order, up to the first proposal still
     * unanswered by the generator: each is decided after those before it were journalled.
     */
    private void releaseHeld(State state) {
        while (!held.isEmpty()) {
            long first = held.firstKey();
            boolean waits = state.order().due().keySet().stream().anyMatch(s -> s < first && !held.containsKey(s));
            if (waits) {
                return;
            }
            context.getSelf().tell(held.pollFirstEntry().getValue());
        }
    }

    /** The language of the island's programs, as its generator proposes them. */
    private SourceLanguage language(State state) {
        return generator(state).language();
    }

    private SolutionGenerator generator(State state) {
        return this.generator.orElseGet(() -> {
            SolutionGenerator made = environment.generator(state.settings().orElseThrow(), state.islandNo(),
                    state.spending());
            this.generator = Optional.of(made);
            return made;
        });
    }

    /** Asks the generator for every due proposal; when each was chosen does not depend on when it answers. */
    private void propose(State state) {
        RunSettings settings = state.settings().orElseThrow();
        if (state.stopped().isPresent() || generating.containsAll(state.order().due().keySet())) {
            return; // nothing to ask: a finished or stopped island builds no generator (nor its model client)
        }
        SolutionGenerator generator = generator(state);
        SourceLanguage language = generator.language();
        double nearDuplicate = settings.island().nearDuplicateSimilarity();
        for (Map.Entry<Long, ProposalRequest> due : state.order().due().entrySet()) { // in sequence order
            long sequence = due.getKey();
            ProposalRequest request = due.getValue();
            boolean tuning = request.tuning().isPresent();
            if (generating.contains(sequence) || state.stopped().isPresent()
                    || !tuning && !generatorReady(state, generator)) {
                continue;
            }
            generating.add(sequence);
            String evaluationId = EvaluationRequest.evaluationId(state.islandId() + "/" + sequence, Purpose.SELECTION);
            EvaluationTimeline.mark(evaluationId, EvaluationTimeline.Mark.GENERATION_STARTED);
            CompletionStage<Proposal> answer;
            try {
                // a tuning point is derived from the episode's recorded scores, not asked of the generator
                answer = tuning ? CompletableFuture.supplyAsync(() -> LiteralTuner.propose(request, language),
                        COMMON_POOL) : generator.propose(request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.completedFuture(new Proposal.Failed("the generator threw " + e, "unknown", Usage.NONE));
            }
            // the fingerprints parse programs: on the thread that completes the answer, not the island's
            CompletionStage<ProposalReady> ready = answer.thenApply(proposal -> {
                EvaluationTimeline.mark(evaluationId, EvaluationTimeline.Mark.GENERATED);
                if (!(proposal instanceof Proposal.Code code)) {
                    return new ProposalReady(sequence, proposal, Optional.empty());
                }
                long fingerprint = CodeFingerprint.of(code.code(), language);
                // a tuning point is a near-duplicate of its program by design: only an exact repeat is refused
                return new ProposalReady(sequence, proposal, Optional.of(fingerprint), tuning ? Optional.empty()
                        : RepeatCheck.shown(code.code(), fingerprint, request, language, nearDuplicate));
            });
            context.pipeToSelf(ready, (done, failure) -> failure == null ? done : new ProposalReady(sequence,
                    new Proposal.Failed("the generator failed: " + (failure instanceof CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure), "unknown", Usage.NONE),
                    Optional.empty()));
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
        if (health.status() != loggedGenerator) {
            if (health.status() == GeneratorHealth.Status.PAUSED) {
                LifecycleLog.warn(where, "generator paused", "reason", health.reason());
            } else if (health.isReady()) {
                LifecycleLog.info(where, "generator resumed");
            }
            loggedGenerator = health.status();
        }
        if (health.status() == GeneratorHealth.Status.BUDGET_EXHAUSTED && !budgetStopSent
                && state.stopped().isEmpty()) {
            LifecycleLog.info(where, "budget spent", "budget", "usd", "reason", health.reason());
            budgetStopSent = true;
            context.getSelf().tell(new Stop(health.reason()));
        }
        return health.isReady();
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

    /** Submits the re-evaluations of a candidate under repeats that have not arrived; the dispatcher ignores those it knows. */
    private void submitRepeats(State state, String candidateId) {
        RunSettings settings = state.settings().orElseThrow();
        Repeating repeating = state.repeating().get(candidateId);
        for (int repeat = 1; repeat < repeating.evaluations(); repeat++) {
            if (!repeating.arrived(repeat)) {
                environment.submit(new EvaluationRequest(EvaluationRequest.repeatId(candidateId, repeat), candidateId,
                        islandId, settings.taskId(), repeating.code(), Optional.empty(), settings.cascade(),
                        settings.dataDirectory(), settings.dataSeed(), Purpose.REPEAT));
            }
        }
    }

    private void submitTest(State state, String candidateId) {
        RunSettings settings = state.settings().orElseThrow();
        environment.submit(new EvaluationRequest(EvaluationRequest.evaluationId(candidateId, Purpose.HELD_OUT_TEST),
                candidateId, islandId, settings.taskId(), state.pendingTests().get(candidateId), Optional.empty(),
                List.of("TEST"), settings.dataDirectory(), settings.dataSeed(), Purpose.HELD_OUT_TEST));
    }

    /** Feedback and reasons quote candidates and models: escaped before the journal, prompts and files see them. */
    static String truncate(String text) {
        String safe = Printable.escape(text);
        return safe.length() <= MAX_FEEDBACK ? safe : safe.substring(0, MAX_FEEDBACK) + " [...]";
    }
}
