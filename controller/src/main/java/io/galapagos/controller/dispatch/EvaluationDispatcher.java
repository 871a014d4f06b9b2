package io.galapagos.controller.dispatch;

import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.protocol.CborSerializable;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.WorkPulling;
import io.galapagos.protocol.WorkPulling.Job;
import io.galapagos.protocol.WorkPulling.JobCompleted;
import io.galapagos.protocol.WorkPulling.JobRejected;
import io.galapagos.protocol.WorkPulling.ToDispatcher;
import io.galapagos.protocol.WorkPulling.ToWorker;
import io.galapagos.protocol.WorkPulling.WorkerReady;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Hands evaluations to workers that ask for them (a cluster singleton). It watches every worker and
 * keeps a deadline per job: the job of a worker that dies or stays silent goes back to the queue, and
 * an evaluation that failed {@code maxAttempts} workers is quarantined with {@code SANDBOX_CRASH}. A
 * worker that misses {@code workerQuarantineAfter} deadlines in a row (alive, but its sandbox hangs)
 * gets no jobs for {@code workerQuarantine}. The jobs of a worker whose node the failure detector marks
 * unreachable go back to the queue at once, without waiting for the node's removal; a result it sends
 * after all counts once, by evaluation id. Such a move counts as a failed attempt only once the node is
 * removed: a detector that flaps under load never quarantines a candidate.
 * Submissions are idempotent by evaluation id; results go to {@code deliver} (the islands, through
 * sharding). Its queue is not persistent: islands submit their unevaluated candidates again after a
 * recovery and on a timer.
 */
public final class EvaluationDispatcher extends AbstractBehavior<ToDispatcher> {

    /** Evaluate this (islands send it; a second submission of a known evaluation is ignored). */
    public record Submit(EvaluationRequest request) implements ToDispatcher {
    }

    /** Counters for status displays and tests. */
    public record GetStats(ActorRef<Stats> replyTo) implements ToDispatcher {
    }

    /**
     * @param quarantined        evaluations given up as {@code SANDBOX_CRASH}
     * @param quarantinedWorkers workers that get no jobs now because they missed their deadlines
     * @param startedAtMillis    when this dispatcher started (a new one after the singleton moved)
     * @param perWorker          each worker's jobs, in the order the workers first asked for work
     */
    public record Stats(int queued, int running, int workers, long completed, long requeued, long quarantined,
                        int quarantinedWorkers, long startedAtMillis, List<WorkerLoad> perWorker)
            implements CborSerializable {

        public Stats {
            perWorker = List.copyOf(perWorker);
        }
    }

    /**
     * One worker as this dispatcher sees it.
     *
     * @param address   the worker's actor path (its node's address and name)
     * @param busy      jobs it runs for this dispatcher now
     * @param free      slots it said were free, less the jobs on their way to it
     * @param completed results it delivered to this dispatcher
     */
    public record WorkerLoad(String address, int busy, int free, long completed, boolean quarantined)
            implements CborSerializable {
    }

    record JobOverdue(long jobId) implements ToDispatcher {
    }

    record WorkerTerminated(ActorRef<ToWorker> worker) implements ToDispatcher {
    }

    /** The failure detector lost the node at {@code address} (from the cluster; tests send it). */
    record NodeUnreachable(Address address) implements ToDispatcher {
    }

    /** The node at {@code address} answers heartbeats again. */
    record NodeReachable(Address address) implements ToDispatcher {
    }

    private record Queued(EvaluationRequest request, int attempts, String lastFailure) {
    }

    private record Running(EvaluationRequest request, int attempts, ActorRef<ToWorker> worker) {
    }

    private static final class WorkerSlots {
        int free;
        final Set<Long> assigned = new HashSet<>();
        /** Deadlines missed since the worker last delivered a result in time. */
        int missedInARow;
        boolean everQuarantined;
        long quarantinedUntilNanos;
        long completed;
        /** On a node the failure detector lost: its jobs went back to the queue, it gets no new ones. */
        boolean unreachable;
        /** Evaluations moved off this worker when its node became unreachable. */
        final Set<String> movedAway = new HashSet<>();

        boolean quarantined(long nowNanos) {
            return everQuarantined && nowNanos - quarantinedUntilNanos < 0;
        }
    }

    private final DispatcherSettings settings;
    private final Consumer<EvaluationResult> deliver;
    private final TimerScheduler<ToDispatcher> timers;
    private final LinkedHashMap<String, Queued> queue = new LinkedHashMap<>();
    private final Map<Long, Running> running = new HashMap<>();
    private final Map<String, Long> runningByEvaluation = new HashMap<>();
    private final LinkedHashMap<ActorRef<ToWorker>, WorkerSlots> workers = new LinkedHashMap<>();
    private final Set<Address> unreachableNodes = new HashSet<>();
    /** Results of recent evaluations: a resubmission (an island that crashed before it stored one) gets it again. */
    private final LinkedHashMap<String, EvaluationResult> completedRecently = new LinkedHashMap<>();
    /** Metric names of remembered results, one instance each; bounded, for a task that names metrics anew. */
    private final Map<String, String> metricNames = new HashMap<>();
    private static final int MAX_SHARED_NAMES = 10_000;
    /** Jobs given up at their deadline: a late failure of one of them is the worker's, not the candidate's. */
    private final LinkedHashMap<Long, String> overdueJobs = new LinkedHashMap<>();
    /** Job ids start at a random point, so that a new dispatcher never mistakes an old job's result for one of its own. */
    private long nextJobId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 62);
    private long completed;
    private long requeued;
    private long quarantined;
    private final long startedAtMillis = System.currentTimeMillis();
    private final LifecycleLog.Where where;

    /** A dispatcher that learns of lost nodes only through {@link NodeUnreachable} messages sent to it. */
    public static Behavior<ToDispatcher> create(DispatcherSettings settings, Consumer<EvaluationResult> deliver) {
        return create(settings, deliver, false);
    }

    /** A dispatcher in a cluster: it follows the failure detector's view of every node. */
    public static Behavior<ToDispatcher> clustered(DispatcherSettings settings, Consumer<EvaluationResult> deliver) {
        return create(settings, deliver, true);
    }

    private static Behavior<ToDispatcher> create(DispatcherSettings settings, Consumer<EvaluationResult> deliver,
                                                 boolean followReachability) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            context.getSystem().receptionist().tell(Receptionist.register(WorkPulling.DISPATCHER, context.getSelf()));
            if (followReachability) {
                ActorRef<ClusterEvent.ReachabilityEvent> reachability = context.messageAdapter(
                        ClusterEvent.ReachabilityEvent.class, event -> event instanceof ClusterEvent.UnreachableMember
                                ? new NodeUnreachable(event.member().address())
                                : new NodeReachable(event.member().address()));
                Cluster.get(context.getSystem()).subscriptions()
                        .tell(Subscribe.create(reachability, ClusterEvent.ReachabilityEvent.class));
            }
            return new EvaluationDispatcher(context, settings, deliver, timers);
        }));
    }

    private EvaluationDispatcher(ActorContext<ToDispatcher> context, DispatcherSettings settings,
                                 Consumer<EvaluationResult> deliver, TimerScheduler<ToDispatcher> timers) {
        super(context);
        this.settings = settings;
        this.deliver = deliver;
        this.timers = timers;
        this.where = LifecycleLog.Where.node(context.getSystem());
        // a singleton: this line on a new node means the dispatcher moved (its queue refills from the islands)
        LifecycleLog.info(where, "dispatcher started");
    }

    @Override
    public Receive<ToDispatcher> createReceive() {
        return newReceiveBuilder()
                .onMessage(Submit.class, this::onSubmit)
                .onMessage(WorkerReady.class, this::onWorkerReady)
                .onMessage(JobCompleted.class, this::onJobCompleted)
                .onMessage(JobRejected.class, this::onJobRejected)
                .onMessage(JobOverdue.class, this::onJobOverdue)
                .onMessage(WorkerTerminated.class, this::onWorkerTerminated)
                .onMessage(NodeUnreachable.class, this::onNodeUnreachable)
                .onMessage(NodeReachable.class, this::onNodeReachable)
                .onMessage(GetStats.class, this::onGetStats)
                .onSignal(PostStop.class, signal -> {
                    LifecycleLog.info(where, "dispatcher stopped", "queued", queue.size(), "running", running.size());
                    return this;
                })
                .build();
    }

    private Behavior<ToDispatcher> onSubmit(Submit submit) {
        String id = submit.request().evaluationId();
        EvaluationResult known = completedRecently.get(id);
        if (known != null) {
            deliver.accept(known);
        } else if (!queue.containsKey(id) && !runningByEvaluation.containsKey(id)) {
            queue.put(id, new Queued(submit.request(), 0, ""));
            dispatch();
        }
        return this;
    }

    private Behavior<ToDispatcher> onWorkerReady(WorkerReady ready) {
        WorkerSlots slots = workers.get(ready.worker());
        if (slots == null) {
            slots = new WorkerSlots();
            slots.unreachable = unreachableNodes.contains(ready.worker().path().address());
            workers.put(ready.worker(), slots);
            getContext().watchWith(ready.worker(), new WorkerTerminated(ready.worker()));
            LifecycleLog.info(where, "worker joined", "worker", address(ready.worker()), "free-slots", ready.freeSlots(),
                    "workers", workers.size());
        }
        Set<Long> onTheirWay = new HashSet<>(slots.assigned);
        onTheirWay.removeAll(ready.runningJobs());
        slots.free = Math.max(0, ready.freeSlots() - onTheirWay.size());
        dispatch();
        return this;
    }

    private Behavior<ToDispatcher> onJobCompleted(JobCompleted done) {
        WorkerSlots slots = workers.get(done.worker());
        if (slots != null) {
            slots.assigned.remove(done.jobId());
        }
        EvaluationResult result = done.result();
        Running job = running.get(done.jobId());
        boolean overdue = overdueJobs.remove(done.jobId()) != null;
        if (job != null && job.request().evaluationId().equals(result.evaluationId())) {
            finish(done.jobId(), job);
            if (slots != null) {
                slots.missedInARow = 0;
                slots.completed++;
            }
        } else if (completedRecently.containsKey(result.evaluationId())) {
            return this;
        } else if (overdue && !result.succeeded()) {
            // the sandbox of a worker that missed its deadline gave up too; the requeued attempt decides
            return this;
        } else {
            // a job this dispatcher did not hand out (it took over) or already requeued: the result counts,
            // and the attempt that may run again elsewhere is no longer awaited (its result will be ignored)
            queue.remove(result.evaluationId());
            Long again = runningByEvaluation.get(result.evaluationId());
            if (again != null) {
                Running duplicate = running.get(again);
                finish(again, duplicate);
                WorkerSlots other = workers.get(duplicate.worker());
                if (other != null) {
                    other.assigned.remove(again);
                }
            }
        }
        remember(result);
        completed++;
        deliver.accept(result);
        return this;
    }

    private Behavior<ToDispatcher> onJobRejected(JobRejected rejected) {
        WorkerSlots slots = workers.get(rejected.worker());
        if (slots != null) {
            slots.assigned.remove(rejected.jobId());
            slots.free = 0;
        }
        Running job = running.get(rejected.jobId());
        if (job != null) {
            LifecycleLog.info(where.island(job.request().islandId()), "job requeued", "job", rejected.jobId(),
                    "candidate", job.request().candidateId(), "reason", "the worker had no free slot",
                    "worker", address(rejected.worker()));
            finish(rejected.jobId(), job);
            queue.put(job.request().evaluationId(), new Queued(job.request(), job.attempts(), ""));
            dispatch();
        }
        return this;
    }

    private Behavior<ToDispatcher> onJobOverdue(JobOverdue overdue) {
        Running job = running.get(overdue.jobId());
        if (job != null) {
            WorkerSlots slots = workers.get(job.worker());
            if (slots != null) {
                slots.assigned.remove(overdue.jobId());
                slots.missedInARow++;
                if (settings.workerQuarantineAfter() > 0 && slots.missedInARow >= settings.workerQuarantineAfter()
                        && !slots.quarantined(System.nanoTime())) {
                    slots.everQuarantined = true;
                    slots.quarantinedUntilNanos = System.nanoTime() + settings.workerQuarantine().toNanos();
                    LifecycleLog.warn(where, "worker quarantined", "worker", address(job.worker()),
                            "for", settings.workerQuarantine().toSeconds() + "s",
                            "reason", "missed " + slots.missedInARow + " job deadlines in a row");
                }
            }
            overdueJobs.put(overdue.jobId(), job.request().evaluationId());
            Iterator<Long> oldest = overdueJobs.keySet().iterator();
            while (overdueJobs.size() > settings.rememberedResults() && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
            finish(overdue.jobId(), job);
            failed(overdue.jobId(), job, "no result within " + settings.jobTimeout().toSeconds() + " s");
            dispatch();
        }
        return this;
    }

    private Behavior<ToDispatcher> onWorkerTerminated(WorkerTerminated terminated) {
        WorkerSlots slots = workers.remove(terminated.worker());
        if (slots != null) {
            LifecycleLog.warn(where, "worker left", "worker", address(terminated.worker()),
                    "running-jobs", slots.assigned.size(), "workers", workers.size());
            for (Long jobId : new ArrayList<>(slots.assigned)) {
                Running job = running.get(jobId);
                if (job != null) {
                    finish(jobId, job);
                    failed(jobId, job, "the worker " + terminated.worker().path().name() + " died");
                }
            }
            for (String evaluationId : slots.movedAway) {
                countFailedAttempt(evaluationId, "the worker " + terminated.worker().path().name() + " died");
            }
            dispatch();
        }
        return this;
    }

    private Behavior<ToDispatcher> onNodeUnreachable(NodeUnreachable lost) {
        unreachableNodes.add(lost.address());
        workers.forEach((worker, slots) -> {
            if (!slots.unreachable && worker.path().address().equals(lost.address())) {
                slots.unreachable = true;
                LifecycleLog.warn(where, "worker unreachable", "worker", address(worker),
                        "running-jobs", slots.assigned.size());
                for (Long jobId : new ArrayList<>(slots.assigned)) {
                    Running job = running.get(jobId);
                    if (job != null) {
                        finish(jobId, job);
                        EvaluationRequest request = job.request();
                        LifecycleLog.warn(where.island(request.islandId()), "job requeued", "job", jobId,
                                "candidate", request.candidateId(), "reason", "the worker's node is unreachable",
                                "worker", address(worker));
                        requeued++;
                        queue.put(request.evaluationId(), new Queued(request, job.attempts(), "unreachable"));
                        slots.movedAway.add(request.evaluationId());
                    }
                }
                slots.assigned.clear();
                // what it has free is unknown until it says so again
                slots.free = 0;
            }
        });
        dispatch();
        return this;
    }

    private Behavior<ToDispatcher> onNodeReachable(NodeReachable back) {
        unreachableNodes.remove(back.address());
        workers.forEach((worker, slots) -> {
            if (slots.unreachable && worker.path().address().equals(back.address())) {
                slots.unreachable = false;
                slots.movedAway.clear();
                LifecycleLog.info(where, "worker reachable again", "worker", address(worker));
            }
        });
        return this;
    }

    private Behavior<ToDispatcher> onGetStats(GetStats get) {
        long now = System.nanoTime();
        int quarantinedWorkers = (int) workers.values().stream().filter(w -> w.quarantined(now)).count();
        List<WorkerLoad> perWorker = new ArrayList<>();
        ActorRefResolver resolver = ActorRefResolver.get(getContext().getSystem());
        workers.forEach((worker, slots) -> perWorker.add(new WorkerLoad(resolver.toSerializationFormat(worker),
                slots.assigned.size(), slots.free, slots.completed, slots.quarantined(now))));
        get.replyTo().tell(new Stats(queue.size(), running.size(), workers.size(), completed, requeued, quarantined,
                quarantinedWorkers, startedAtMillis, perWorker));
        return this;
    }

    /** A worker as the lifecycle lines name it: with its node's address, also when it runs on this node. */
    private String address(ActorRef<ToWorker> worker) {
        return ActorRefResolver.get(getContext().getSystem()).toSerializationFormat(worker);
    }

    private void finish(long jobId, Running job) {
        timers.cancel(jobId);
        running.remove(jobId);
        runningByEvaluation.remove(job.request().evaluationId());
    }

    /** A job that failed its worker: queued again, or quarantined after too many attempts. */
    private void failed(long jobId, Running job, String why) {
        int attempts = job.attempts() + 1;
        EvaluationRequest request = job.request();
        LifecycleLog.Where island = where.island(request.islandId());
        if (attempts >= settings.maxAttempts()) {
            quarantine(request, attempts, why);
        } else {
            LifecycleLog.warn(island, "job requeued", "job", jobId, "candidate", request.candidateId(),
                    "attempt", attempts, "reason", why, "worker", address(job.worker()));
            requeued++;
            queue.put(request.evaluationId(), new Queued(request, attempts, why));
        }
    }

    /** Gives the evaluation up: its result is a {@code SANDBOX_CRASH} that names the last failure. */
    private void quarantine(EvaluationRequest request, int attempts, String why) {
        LifecycleLog.warn(where.island(request.islandId()), "candidate quarantined", "candidate", request.candidateId(),
                "attempts", attempts, "reason", why);
        quarantined++;
        EvaluationResult crash = EvaluationResult.failure(request, EvaluationStatus.SANDBOX_CRASH,
                "quarantined: the evaluation failed " + attempts + " workers (last: " + why + ")", 0, "dispatcher");
        remember(crash);
        deliver.accept(crash);
    }

    /** An attempt of an evaluation already moved elsewhere turned out failed: its worker's node is gone. */
    private void countFailedAttempt(String evaluationId, String why) {
        Queued queued = queue.get(evaluationId);
        Long jobId = runningByEvaluation.get(evaluationId);
        if (queued != null && queued.attempts() + 1 >= settings.maxAttempts()) {
            queue.remove(evaluationId);
            quarantine(queued.request(), queued.attempts() + 1, why);
        } else if (queued != null) {
            queue.put(evaluationId, new Queued(queued.request(), queued.attempts() + 1, why));
        } else if (jobId != null) {
            Running again = running.get(jobId);
            running.put(jobId, new Running(again.request(), again.attempts() + 1, again.worker()));
        }
    }

    private void remember(EvaluationResult result) {
        completedRecently.put(result.evaluationId(), withSharedNames(result));
        Iterator<String> oldest = completedRecently.keySet().iterator();
        while (completedRecently.size() > settings.rememberedResults() && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * The result with metric names shared with the results remembered before it: a task may report
     * hundreds of metrics, each name a new string per result, which made up half of what thousands of
     * remembered results took.
     */
    private EvaluationResult withSharedNames(EvaluationResult result) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        result.metrics().forEach((name, value) -> metrics.put(sharedName(name), value));
        return new EvaluationResult(result.evaluationId(), result.candidateId(), result.islandId(), result.purpose(),
                result.status(), result.score(), metrics, result.feedback(), result.split(), result.elapsedMillis(),
                result.worker(), result.isolation());
    }

    private String sharedName(String name) {
        String known = metricNames.get(name);
        if (known != null) {
            return known;
        }
        if (metricNames.size() < MAX_SHARED_NAMES) {
            metricNames.put(name, name);
        }
        return name;
    }

    private void dispatch() {
        if (queue.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<ActorRef<ToWorker>> ready = new ArrayList<>();
        workers.forEach((worker, slots) -> {
            if (!slots.quarantined(now) && !slots.unreachable) {
                ready.add(worker);
            }
        });
        boolean sent = true;
        // one job per worker per round, so that work spreads over the workers
        while (sent && !queue.isEmpty()) {
            sent = false;
            for (ActorRef<ToWorker> worker : ready) {
                WorkerSlots slots = workers.get(worker);
                if (slots.free <= 0 || queue.isEmpty()) {
                    continue;
                }
                Iterator<Queued> first = queue.values().iterator();
                Queued next = first.next();
                first.remove();
                long jobId = nextJobId++;
                running.put(jobId, new Running(next.request(), next.attempts(), worker));
                runningByEvaluation.put(next.request().evaluationId(), jobId);
                slots.free--;
                slots.assigned.add(jobId);
                timers.startSingleTimer(jobId, new JobOverdue(jobId), settings.jobTimeout());
                worker.tell(new Job(jobId, next.request()));
                sent = true;
            }
        }
    }
}
