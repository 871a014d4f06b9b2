package io.galapagos.deploy.bench;

import io.galapagos.protocol.EvaluationTimeline;
import io.galapagos.protocol.EvaluationTimeline.Mark;
import io.galapagos.protocol.EvaluationTimeline.Span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Collects the {@link EvaluationTimeline} of every evaluation of a run and turns it into one row per
 * phase: the island's proposal, its persistence, the dispatcher, the worker's checks, compile, sandbox
 * and simulation, and the result's way back into the journal. The phases of an evaluation add up to its
 * time from the generator call to the persisted result.
 */
public final class EvaluationBreakdown implements EvaluationTimeline.Recorder {

    /** One row of the breakdown, in the order an evaluation passes through them. */
    public enum Phase {
        GENERATION("proposal: generator call"),
        ISLAND_MAILBOX("proposal: generator answer to island"),
        PROPOSAL_PERSISTENCE("proposal: persisting CandidateProposed"),
        DISPATCH_WAIT("dispatch wait: submitted to worker"),
        STATIC_CHECK("worker: static source check"),
        SANDBOX_QUEUE("worker: waiting for a sandbox slot"),
        COMPILE("compilation (warm compiler JVM or its cache)"),
        BYTECODE_CHECK("child: bytecode check"),
        SIMULATION("child: simulation (evaluator)"),
        CHILD_ROUND_TRIP("sandbox round trip minus in-child time"),
        WORKER_OTHER("worker: rest (actor, result mapping)"),
        RESULT_DELIVERY("result delivery: worker to island"),
        EVALUATION_PERSISTENCE("result: persisting CandidateEvaluated");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Mark[] MARKS = Mark.values();
    private static final Span[] SPANS = Span.values();
    private static final long UNSET = Long.MIN_VALUE;

    private final Map<String, AtomicLongArray> marks = new ConcurrentHashMap<>();
    private final Map<String, AtomicLongArray> spans = new ConcurrentHashMap<>();

    @Override
    public void mark(String evaluationId, Mark mark, long nanoTime) {
        // the first time counts: a resubmission or a duplicate result does not move a phase
        marks.computeIfAbsent(evaluationId, id -> unset(MARKS.length)).compareAndSet(mark.ordinal(), UNSET, nanoTime);
    }

    @Override
    public void span(String evaluationId, Span span, long nanos) {
        spans.computeIfAbsent(evaluationId, id -> unset(SPANS.length)).compareAndSet(span.ordinal(), UNSET, nanos);
    }

    private static AtomicLongArray unset(int length) {
        long[] values = new long[length];
        Arrays.fill(values, UNSET);
        return new AtomicLongArray(values);
    }

    /**
     * The phases of each evaluation that went all the way from a generator call to a persisted result; the
     * others (duplicates, the initial program, held-out tests, those still in flight) are left out.
     */
    public List<Map<Phase, Long>> completed() {
        List<Map<Phase, Long>> done = new ArrayList<>();
        marks.forEach((id, stamps) -> {
            long[] at = new long[MARKS.length];
            for (int i = 0; i < at.length; i++) {
                at[i] = stamps.get(i);
                if (at[i] == UNSET) {
                    return;
                }
            }
            AtomicLongArray measured = spans.get(id);
            long[] inWorker = new long[SPANS.length];
            for (int i = 0; i < inWorker.length && measured != null; i++) {
                inWorker[i] = Math.max(0, measured.get(i) == UNSET ? 0 : measured.get(i));
            }
            done.add(phases(at, inWorker));
        });
        return done;
    }

    private static Map<Phase, Long> phases(long[] at, long[] inWorker) {
        Map<Phase, Long> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.GENERATION, between(at, Mark.GENERATION_STARTED, Mark.GENERATED));
        phases.put(Phase.ISLAND_MAILBOX, between(at, Mark.GENERATED, Mark.PROPOSAL_RECEIVED));
        phases.put(Phase.PROPOSAL_PERSISTENCE, between(at, Mark.PROPOSAL_RECEIVED, Mark.SUBMITTED));
        phases.put(Phase.DISPATCH_WAIT, between(at, Mark.SUBMITTED, Mark.HANDED_TO_WORKER));
        long worker = between(at, Mark.HANDED_TO_WORKER, Mark.WORKER_DONE);
        long sandbox = 0;
        for (Span span : SPANS) {
            long nanos = inWorker[span.ordinal()];
            phases.put(Phase.valueOf(span.name()), nanos);
            sandbox += nanos;
        }
        phases.put(Phase.WORKER_OTHER, Math.max(0, worker - sandbox));
        phases.put(Phase.RESULT_DELIVERY, between(at, Mark.WORKER_DONE, Mark.RESULT_ARRIVED));
        phases.put(Phase.EVALUATION_PERSISTENCE, between(at, Mark.RESULT_ARRIVED, Mark.EVALUATION_PERSISTED));
        return phases;
    }

    private static long between(long[] at, Mark from, Mark to) {
        return Math.max(0, at[to.ordinal()] - at[from.ordinal()]);
    }

    /**
     * The table of a run that took {@code wallNanos} with at most {@code inFlight} candidates in flight
     * at once (islands times in-flight per island).
     */
    public Table table(long wallNanos, int inFlight) {
        return Table.of(completed(), wallNanos, inFlight);
    }

    /**
     * One phase over all evaluations, in milliseconds.
     *
     * @param share of the run's in-flight capacity ({@code inFlight} times the wall time) that this phase held
     */
    public record Row(String label, double mean, double p50, double p95, double share) {
    }

    /**
     * @param evaluations  evaluations measured
     * @param wallMillis   the run's wall time
     * @param inFlight     candidates the run keeps in flight at most
     * @param rows         one per {@link Phase}, in order
     * @param total        the whole way, generator call to persisted result
     */
    public record Table(int evaluations, double wallMillis, int inFlight, List<Row> rows, Row total) {

        static Table of(List<Map<Phase, Long>> evaluations, long wallNanos, int inFlight) {
            if (wallNanos <= 0 || inFlight < 1) {
                throw new IllegalArgumentException("a breakdown needs a positive wall time and in-flight count");
            }
            double capacity = (double) wallNanos * inFlight;
            List<Row> rows = new ArrayList<>();
            long[] totals = new long[evaluations.size()];
            for (Phase phase : Phase.values()) {
                long[] values = new long[evaluations.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = evaluations.get(i).get(phase);
                    totals[i] += values[i];
                }
                rows.add(row(phase.label(), values, capacity));
            }
            return new Table(evaluations.size(), wallNanos / 1e6, inFlight, List.copyOf(rows),
                    row("total: generator call to persisted result", totals, capacity));
        }

        private static Row row(String label, long[] nanos, double capacity) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (long n : sorted) {
                sum += n;
            }
            double mean = sorted.length == 0 ? 0 : sum / sorted.length / 1e6;
            return new Row(label, mean, percentile(sorted, 50) / 1e6, percentile(sorted, 95) / 1e6, sum / capacity);
        }

        /** Nearest rank: the smallest value that at least {@code p} percent of the values do not exceed. */
        static double percentile(long[] sorted, int p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }

        /** Wall time per evaluation, in milliseconds. */
        public double wallPerEvaluation() {
            return evaluations == 0 ? 0 : wallMillis / evaluations;
        }

        public double evaluationsPerSecond() {
            return evaluations * 1000.0 / wallMillis;
        }

        /** The table as Markdown, as the README shows it. */
        public String markdown() {
            StringBuilder out = new StringBuilder();
            out.append("| phase | mean ms | p50 ms | p95 ms | share |\n|---|---:|---:|---:|---:|\n");
            for (Row row : rows) {
                out.append(line(row));
            }
            out.append(line(total));
            out.append(String.format(Locale.ROOT, "| rest of the capacity (start-up, seeds, idle) | | | | %.1f%% |%n",
                    100 * Math.max(0, 1 - total.share())));
            return out.toString();
        }

        private static String line(Row row) {
            return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.1f%% |%n", row.label(), row.mean(), row.p50(),
                    row.p95(), 100 * row.share());
        }
    }
}
