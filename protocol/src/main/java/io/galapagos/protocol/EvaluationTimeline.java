package io.galapagos.protocol;

import java.util.Objects;

/**
 * Where an evaluation's time goes inside this JVM, for {@code galapagos bench engine --breakdown}: the
 * island, the dispatcher, the worker and the sandbox report what they did to a recorder that a benchmark
 * installs. Nothing is recorded, and nothing crosses a node or enters the journal, unless one is installed.
 */
public final class EvaluationTimeline {

    /** A moment in an evaluation's life, stamped with {@link System#nanoTime()} where it happens. */
    public enum Mark {
        /** The island asked its generator for the proposal. */
        GENERATION_STARTED,
        /** The generator answered (on the generator's thread). */
        GENERATED,
        /** The island took the answer from its mailbox and began to persist the proposal. */
        PROPOSAL_RECEIVED,
        /** The proposal is in the journal; the island submits the request to the dispatcher now. */
        SUBMITTED,
        /** A worker took the job from the dispatcher. */
        HANDED_TO_WORKER,
        /** The worker's evaluator answered; the result goes back to the dispatcher now. */
        WORKER_DONE,
        /** The island took the result from its mailbox and began to persist it. */
        RESULT_ARRIVED,
        /** The result is in the journal. */
        EVALUATION_PERSISTED
    }

    /** A duration measured inside the worker, some of it in the sandbox's child JVM. */
    public enum Span {
        /** The source check on the worker, before the candidate is queued for a slot. */
        STATIC_CHECK,
        /** From the request's arrival at the sandbox to a slot taking it, without the static check. */
        SANDBOX_QUEUE,
        /** The compiler in the child (a source compiled before is taken from its cache). */
        COMPILE,
        /** The bytecode allow-list check in the child. */
        BYTECODE_CHECK,
        /** The splits' simulations in the child, as the child timed them. */
        SIMULATION,
        /** The slot's whole exchange with its child minus the three in-child spans above. */
        CHILD_ROUND_TRIP
    }

    /** Where marks and spans go; called from many threads at once. */
    public interface Recorder {
        void mark(String evaluationId, Mark mark, long nanoTime);

        void span(String evaluationId, Span span, long nanos);
    }

    private static final Recorder OFF = new Recorder() {
        @Override
        public void mark(String evaluationId, Mark mark, long nanoTime) {
        }

        @Override
        public void span(String evaluationId, Span span, long nanos) {
        }
    };

    // one per JVM: the phases happen in actors and pools that a benchmark cannot hand a recorder to
    private static volatile Recorder recorder = OFF;

    private EvaluationTimeline() {
    }

    public static void mark(String evaluationId, Mark mark) {
        Recorder current = recorder;
        if (current != OFF) {
            current.mark(evaluationId, mark, System.nanoTime());
        }
    }

    public static void span(String evaluationId, Span span, long nanos) {
        Recorder current = recorder;
        if (current != OFF) {
            current.span(evaluationId, span, nanos);
        }
    }

    /** Records into {@code into} until the returned handle is closed. */
    public static Installed install(Recorder into) {
        Objects.requireNonNull(into, "into");
        synchronized (EvaluationTimeline.class) {
            if (recorder != OFF) {
                throw new IllegalStateException("an evaluation timeline recorder is installed already");
            }
            recorder = into;
        }
        return () -> {
            synchronized (EvaluationTimeline.class) {
                if (recorder == into) {
                    recorder = OFF;
                }
            }
        };
    }

    /** An installed recorder; closing it stops the recording. */
    public interface Installed extends AutoCloseable {
        @Override
        void close();
    }
}
