package io.galapagos.protocol;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

import java.util.List;

/**
 * The pull protocol between the evaluation dispatcher (a cluster singleton) and the evaluation
 * workers: a worker announces its free sandbox slots, the dispatcher sends at most that many jobs,
 * the worker reports each result and announces itself again. The dispatcher finds no worker by
 * itself; workers find the dispatcher through the receptionist.
 */
public final class WorkPulling {

    /** Under this key the dispatcher registers with the receptionist. */
    public static final ServiceKey<ToDispatcher> DISPATCHER = ServiceKey.create(ToDispatcher.class, "galapagos-dispatcher");

    private WorkPulling() {
    }

    /** What the dispatcher understands (the dispatcher adds its own commands). */
    public interface ToDispatcher extends CborSerializable {
    }

    /** What a worker understands (the worker adds its own commands). */
    public interface ToWorker extends CborSerializable {
    }

    /**
     * A worker has {@code freeSlots} free slots and is running {@code runningJobs}; jobs the
     * dispatcher sent that are in neither are still on their way.
     */
    public record WorkerReady(ActorRef<ToWorker> worker, int freeSlots, List<Long> runningJobs) implements ToDispatcher {
        public WorkerReady {
            runningJobs = List.copyOf(runningJobs);
        }
    }

    /** The result of a job; also sent to a new dispatcher that never heard of the job. */
    public record JobCompleted(ActorRef<ToWorker> worker, long jobId, EvaluationResult result) implements ToDispatcher {
    }

    /** The worker had no free slot for this job; the dispatcher queues it again without counting an attempt. */
    public record JobRejected(ActorRef<ToWorker> worker, long jobId) implements ToDispatcher {
    }

    /** One evaluation to run. */
    public record Job(long jobId, EvaluationRequest request) implements ToWorker {
    }
}
