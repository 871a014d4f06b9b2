package io.galapagos.worker;

import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.EvaluationTimeline;
import io.galapagos.protocol.WorkPulling;
import io.galapagos.protocol.WorkPulling.Job;
import io.galapagos.protocol.WorkPulling.ToDispatcher;
import io.galapagos.protocol.WorkPulling.ToWorker;
import io.galapagos.simulators.CandidateFailures;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker of one node: runs at most {@code slots} evaluations at once and pulls work from the
 * dispatcher only when a slot is free. It finds the dispatcher through the receptionist, announces
 * itself again on a timer (an announcement may be lost while the singleton moves), and keeps results
 * until a dispatcher is there to take them.
 */
public final class EvaluationWorker extends AbstractBehavior<ToWorker> {

    /** The dispatchers registered in the cluster changed. */
    record DispatchersChanged(Receptionist.Listing listing) implements ToWorker {
    }

    /** An evaluation of ours completed. */
    record EvaluationFinished(long jobId, EvaluationResult result) implements ToWorker {
    }

    /** Timer: tell the dispatcher again how many slots are free. */
    enum Announce implements ToWorker { INSTANCE }

    private final CandidateEvaluator evaluator;
    private final Map<Long, EvaluationRequest> running = new LinkedHashMap<>();
    private final List<WorkPulling.JobCompleted> undelivered = new ArrayList<>();
    private Optional<ActorRef<ToDispatcher>> dispatcher = Optional.empty();

    public static Behavior<ToWorker> create(CandidateEvaluator evaluator, Duration announceInterval) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            ActorRef<Receptionist.Listing> listings =
                    context.messageAdapter(Receptionist.Listing.class, DispatchersChanged::new);
            context.getSystem().receptionist().tell(Receptionist.subscribe(WorkPulling.DISPATCHER, listings));
            timers.startTimerWithFixedDelay(Announce.INSTANCE, announceInterval);
            return new EvaluationWorker(context, evaluator);
        }));
    }

    private EvaluationWorker(ActorContext<ToWorker> context, CandidateEvaluator evaluator) {
        super(context);
        this.evaluator = evaluator;
    }

    @Override
    public Receive<ToWorker> createReceive() {
        return newReceiveBuilder()
                .onMessage(DispatchersChanged.class, this::onDispatchersChanged)
                .onMessage(Job.class, this::onJob)
                .onMessage(EvaluationFinished.class, this::onEvaluationFinished)
                .onMessageEquals(Announce.INSTANCE, this::onAnnounce)
                .onSignal(PostStop.class, signal -> {
                    evaluator.close();
                    return this;
                })
                .build();
    }

    private Behavior<ToWorker> onDispatchersChanged(DispatchersChanged changed) {
        Optional<ActorRef<ToDispatcher>> next =
                changed.listing().getServiceInstances(WorkPulling.DISPATCHER).stream().findFirst();
        if (!next.equals(dispatcher)) {
            dispatcher = next;
            flushUndelivered();
            announce();
        }
        return this;
    }

    private Behavior<ToWorker> onJob(Job job) {
        if (running.size() >= evaluator.slots() || running.containsKey(job.jobId())) {
            dispatcher.ifPresent(d -> d.tell(new WorkPulling.JobRejected(getContext().getSelf(), job.jobId())));
            return this;
        }
        running.put(job.jobId(), job.request());
        EvaluationRequest request = job.request();
        EvaluationTimeline.mark(request.evaluationId(), EvaluationTimeline.Mark.HANDED_TO_WORKER);
        long started = System.nanoTime();
        getContext().pipeToSelf(evaluator.evaluate(request), (result, failure) -> new EvaluationFinished(job.jobId(),
                failure == null ? result : EvaluationResult.failure(request, EvaluationStatus.SANDBOX_CRASH,
                        "the sandbox failed: " + CandidateFailures.describe(failure),
                        (System.nanoTime() - started) / 1_000_000, getContext().getSelf().path().name())));
        return this;
    }

    private Behavior<ToWorker> onEvaluationFinished(EvaluationFinished finished) {
        running.remove(finished.jobId());
        EvaluationTimeline.mark(finished.result().evaluationId(), EvaluationTimeline.Mark.WORKER_DONE);
        undelivered.add(new WorkPulling.JobCompleted(getContext().getSelf(), finished.jobId(), finished.result()));
        flushUndelivered();
        announce();
        return this;
    }

    private Behavior<ToWorker> onAnnounce() {
        flushUndelivered();
        announce();
        return this;
    }

    private void flushUndelivered() {
        dispatcher.ifPresent(d -> {
            undelivered.forEach(d::tell);
            undelivered.clear();
        });
    }

    private void announce() {
        dispatcher.ifPresent(d -> d.tell(new WorkPulling.WorkerReady(getContext().getSelf(),
                evaluator.slots() - running.size(), List.copyOf(running.keySet()))));
    }
}
