package io.galapagos.deploy.web;

import io.galapagos.controller.JournalWrites;
import io.galapagos.controller.dispatch.EvaluationDispatcher;
import io.galapagos.controller.report.RunHistory;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /metrics} in Prometheus's text format (version 0.0.4): what the runs this node follows have
 * evaluated and spent, the dispatcher's queue and workers, the sandbox's restarts and how long the
 * journal takes to confirm writes.
 */
final class Metrics {

    /** Evaluations per second are measured over this window. */
    static final long RATE_WINDOW_MILLIS = 60_000;

    private final Dashboard dashboard;
    private final Map<String, long[]> workerSamples = new ConcurrentHashMap<>();

    Metrics(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        Map<String, RunHistory> runs = new TreeMap<>();
        for (RunWatch watch : dashboard.watchList()) {
            watch.history().ifPresent(h -> runs.put(watch.runId(), h));
        }

        header(out, "galapagos_evaluations_total", "counter", "Evaluated candidates by run and status.");
        for (Map.Entry<String, RunHistory> run : runs.entrySet()) {
            Map<String, Long> byStatus = run.getValue().statuses();
            for (Map.Entry<String, Long> status : byStatus.entrySet()) {
                sample(out, "galapagos_evaluations_total", Map.of("run", run.getKey(), "status", status.getKey()),
                        status.getValue());
            }
        }
        header(out, "galapagos_evaluations_per_second", "gauge",
                "Evaluations per second over the last minute, all runs this node follows.");
        sample(out, "galapagos_evaluations_per_second", Map.of(), rate(runs.values(), System.currentTimeMillis()));

        header(out, "galapagos_failed_proposals_total", "counter", "Proposals that gave no candidate, by run.");
        runs.forEach((id, h) -> sample(out, "galapagos_failed_proposals_total", Map.of("run", id), h.failedProposals()));
        header(out, "galapagos_candidates_in_flight", "gauge", "Proposed candidates not evaluated yet, by run.");
        runs.forEach((id, h) -> sample(out, "galapagos_candidates_in_flight", Map.of("run", id), h.inFlight()));
        header(out, "galapagos_best_score", "gauge", "The best TRAIN score so far, by run.");
        runs.forEach((id, h) -> h.best().flatMap(RunHistory.Candidate::evaluation)
                .ifPresent(e -> sample(out, "galapagos_best_score", Map.of("run", id), e.score())));

        header(out, "galapagos_model_tokens_total", "counter", "Tokens of model calls by run, model and kind.");
        runs.forEach((id, h) -> h.spending().forEach((model, t) -> {
            sample(out, "galapagos_model_tokens_total", Map.of("run", id, "model", model, "kind", "prompt"), t.promptTokens());
            sample(out, "galapagos_model_tokens_total", Map.of("run", id, "model", model, "kind", "completion"),
                    t.completionTokens());
        }));
        header(out, "galapagos_model_cost_usd_total", "counter", "Dollars of model calls by run and model.");
        runs.forEach((id, h) -> h.spending().forEach((model, t) ->
                sample(out, "galapagos_model_cost_usd_total", Map.of("run", id, "model", model), t.costUsd())));
        header(out, "galapagos_model_calls_total", "counter", "Answered model calls by run and model.");
        runs.forEach((id, h) -> h.spending().forEach((model, t) ->
                sample(out, "galapagos_model_calls_total", Map.of("run", id, "model", model), t.calls())));

        Optional<EvaluationDispatcher.Stats> stats = dashboard.dispatcherStats();
        if (stats.isPresent()) {
            EvaluationDispatcher.Stats s = stats.get();
            gauge(out, "galapagos_dispatcher_queue_length", "Evaluations waiting for a worker.", s.queued());
            gauge(out, "galapagos_dispatcher_jobs_in_flight", "Evaluations running on workers.", s.running());
            gauge(out, "galapagos_dispatcher_workers", "Workers that asked the dispatcher for work.", s.workers());
            gauge(out, "galapagos_dispatcher_quarantined_workers", "Workers held back after missed deadlines.",
                    s.quarantinedWorkers());
            header(out, "galapagos_dispatcher_requeued_total", "counter",
                    "Jobs sent to another worker (since this dispatcher started).");
            sample(out, "galapagos_dispatcher_requeued_total", Map.of(), s.requeued());
        }
        dashboard.node().evaluator().ifPresent(evaluator -> {
            header(out, "galapagos_sandbox_restarts_total", "counter",
                    "Sandbox children of this node started in place of an earlier one.");
            sample(out, "galapagos_sandbox_restarts_total", Map.of(), evaluator.sandboxRestarts());
            gauge(out, "galapagos_sandbox_slots", "Evaluations this node runs at once.", evaluator.slots());
        });
        long up = 0;
        for (Member member : Cluster.get(dashboard.system()).state().getMembers()) {
            if (member.status() == MemberStatus.up()) {
                up++;
            }
        }
        gauge(out, "galapagos_cluster_members_up", "Cluster members that are Up, as this node sees them.", up);
        dashboard.node().engine().get().ifPresent(engine -> journal(out, engine.journalWrites().snapshot()));
        return out.toString();
    }

    private static void journal(StringBuilder out, JournalWrites.Snapshot writes) {
        String name = "galapagos_journal_write_seconds";
        header(out, name, "histogram", "Time from an island's command to the journal's confirmation of its events.");
        for (int k = 0; k < JournalWrites.BOUNDS_MILLIS.length; k++) {
            sample(out, name + "_bucket", Map.of("le", number(JournalWrites.BOUNDS_MILLIS[k] / 1000)), writes.cumulative(k));
        }
        sample(out, name + "_bucket", Map.of("le", "+Inf"), writes.count());
        sample(out, name + "_sum", Map.of(), writes.total().toNanos() / 1e9);
        sample(out, name + "_count", Map.of(), writes.count());
    }

    /**
     * Evaluations journalled within the last minute, per second; over a shorter time when the runs began
     * less than a minute ago. The journal's timestamps make it independent of how often it is scraped.
     */
    static double rate(Iterable<RunHistory> runs, long nowMillis) {
        long recent = 0;
        long earliest = nowMillis;
        for (RunHistory history : runs) {
            // the recent ones: a long run's history counts the others, which are older than a minute
            for (RunHistory.Candidate c : history.recent()) {
                long at = c.evaluation().get().timestampMillis();
                earliest = Math.min(earliest, at);
                if (nowMillis - at <= RATE_WINDOW_MILLIS) {
                    recent++;
                }
            }
        }
        long window = Math.min(RATE_WINDOW_MILLIS, nowMillis - earliest);
        return window <= 0 ? 0 : Math.round(recent * 1000.0 / window * 1000) / 1000.0;
    }

    /** A worker's results per second since the last sample at least ten seconds old. */
    double workerRate(String worker, long completed) {
        long now = System.currentTimeMillis();
        long[] earlier = workerSamples.computeIfAbsent(worker, w -> new long[]{now, completed});
        double rate = now - earlier[0] <= 0 ? 0 : Math.max(0, completed - earlier[1]) * 1000.0 / (now - earlier[0]);
        if (now - earlier[0] >= 10_000) {
            workerSamples.put(worker, new long[]{now, completed});
        }
        return Math.round(rate * 100) / 100.0;
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, "gauge", help);
        sample(out, name, Map.of(), value);
    }

    private static void sample(StringBuilder out, String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    /** Label values escape backslash, quote and newline, as the format asks. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
