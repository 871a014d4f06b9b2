package io.galapagos.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.report.RunOutputs;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.deploy.cluster.MemberTable;
import io.galapagos.simulators.ConstraintMetric;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code galapagos status}: counts and each island's best, read from the journal (also while running). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Counts and island bests of a run (of --out, or of the cluster's database with --cluster and "
                + "--run-id), and with --cluster the cluster's members; reads the database only.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--out", description = "output directory of the run")
    Optional<Path> out = Optional.empty();

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @CommandLine.Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--config", description = "with --cluster: HOCON file with the cluster's settings")
    Optional<Path> configFile = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (cluster.active()) {
            return ClusterCommands.status(cluster, configFile, json, spec.commandLine());
        }
        RunHistory history;
        try {
            cluster.checkEmbedded();
            if (out.isEmpty() || configFile.isPresent()) {
                throw new IllegalArgumentException(out.isEmpty() ? "missing --out (or --cluster with --run-id)"
                        : "--config needs --cluster");
            }
            Path outDir = out.get().toAbsolutePath().normalize();
            try {
                history = ResumeCommand.showHistory(outDir);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(outDir + " holds a journal that cannot be read ("
                        + e.getMessage() + "): it is empty or damaged");
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos status: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        print(Optional.of(history), RunComparison.baselines(out.get().toAbsolutePath().normalize()), Optional.empty(),
                json, spec.commandLine().getOut());
        return 0;
    }

    /** The cluster's members as the members table holds them; rows older than {@code staleAfter} are stale. */
    record ClusterView(List<MemberTable.Member> members, Duration staleAfter) {
    }

    /** Prints the report of the run's {@code history} and of the cluster's members, when there are. */
    static void print(Optional<RunHistory> run, Optional<ClusterView> cluster, boolean json, PrintWriter console)
            throws Exception {
        print(run, List.of(), cluster, json, console);
    }

    /** The same, with the baselines that the run's last summary evaluated (status evaluates nothing). */
    static void print(Optional<RunHistory> run, List<RunComparison.Row> baselines, Optional<ClusterView> cluster,
                      boolean json, PrintWriter console) throws Exception {
        Map<String, Object> report = run.map(history -> report(history, baselines)).orElseGet(LinkedHashMap::new);
        cluster.ifPresent(view -> report.put("cluster", clusterReport(view)));
        if (json) {
            console.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            console.flush();
            return;
        }
        if (run.isPresent()) {
            printRun(run.get(), baselines, report, console);
        }
        cluster.ifPresent(view -> printCluster(view, console));
        console.flush();
    }

    private static void printRun(RunHistory history, List<RunComparison.Row> baselines, Map<String, Object> report,
                                 PrintWriter console) {
        console.printf(Locale.ROOT, "task %s, %s%n", report.get("task"), report.get("state"));
        console.printf(Locale.ROOT, "proposed %s, evaluated %s%s, in flight %s, failed proposals %s (%s duplicates and %s "
                        + "near-duplicates not evaluated)%n", report.get("proposed"), report.get("evaluated"),
                Long.valueOf(0).equals(report.get("reEvaluations")) ? ""
                        : " (and " + report.get("reEvaluations") + " re-evaluations of would-be bests)",
                report.get("inFlight"), report.get("failedProposals"), report.get("duplicates"),
                report.get("nearDuplicates"));
        console.printf(Locale.ROOT, "failed evaluations: %s%n", report.get("failures"));
        if (report.get("constraints") instanceof Map<?, ?> constraints) {
            console.printf(Locale.ROOT, "constraints: %s on %s (programs within the limits rank first; bestExcess: how"
                    + " far an island's best goes past them)%n", constraints.get("mode"), constraints.get("metrics"));
        }
        history.isolations().forEach((isolation, count) ->
                console.printf(Locale.ROOT, "isolation of %d evaluations: %s%n", count, isolation));
        if (history.unjailed() > 0) {
            console.printf(Locale.ROOT, "WARNING: %d evaluations ran without an OS jail (galapagos.sandbox.isolation = "
                    + "none on their workers); their candidates could reach the workers' files and network%n",
                    history.unjailed());
        }
        history.settings().flatMap(s -> s.generation().llm()).ifPresent(llm ->
                console.printf(Locale.ROOT, "model choice: %s%n", llm.selection().key()));
        Map<String, RunHistory.Earned> earned = history.earned();
        history.spending().forEach((model, t) -> {
            RunHistory.Earned e = earned.getOrDefault(model, new RunHistory.Earned(0, 0, 0));
            console.printf(Locale.ROOT, "model %s: %d calls, %d prompt + %d completion tokens, $%.4f; "
                            + "%d of %d evaluated children beat their parent, by %.4g in all%n", model, t.calls(),
                    t.promptTokens(), t.completionTokens(), t.costUsd(), e.improved(), e.children(), e.improvement());
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> islands = (List<Map<String, Object>>) report.get("islands");
        for (Map<String, Object> island : islands) {
            console.printf(Locale.ROOT, "  %-10s best %-14s %s%s%s%n", island.get("island"),
                    island.getOrDefault("bestScore", "-"), island.getOrDefault("best", ""),
                    island.containsKey("bestExcess") ? " bestExcess " + island.get("bestExcess") : "",
                    island.get("bestSamples") instanceof Map<?, ?> n ? String.format(Locale.ROOT,
                            " ± %.2g standard error (sd %.2g, min %.6g, max %.6g, %s evaluations)",
                            n.get("standardError"), n.get("standardDeviation"), n.get("min"), n.get("max"),
                            n.get("evaluations")) : "");
        }
        if (report.get("front") instanceof Map<?, ?> front) {
            printFront(front, console);
        }
        if (history.best().isPresent()) {
            console.println();
            comparison(history, baselines).lines(String.valueOf(report.get("task"))).forEach(console::println);
        }
    }

    /**
     * The best next to the seed and its parent, as the history holds them (status evaluates nothing: a
     * TEST score not in the history shows as "-"), with the task's constraint metrics and the baselines
     * of the run's last summary.
     */
    static RunComparison comparison(RunHistory history, List<RunComparison.Row> baselines) {
        List<ConstraintMetric> constraints = history.settings()
                .flatMap(s -> TaskRegistry.load().find(s.taskId()))
                .map(Task::constraintMetrics).orElse(List.of());
        return RunComparison.of(history, constraints, baselines, Optional.empty(), Optional.empty());
    }

    private static void printCluster(ClusterView view, PrintWriter console) {
        Map<String, Object> cluster = clusterReport(view);
        console.printf(Locale.ROOT, "cluster: %d members (%d stale); dispatcher on %s; shard coordinators on %s%n",
                view.members().size(), ((List<?>) cluster.get("stale")).size(), cluster.get("dispatcher"),
                cluster.get("coordinators"));
        for (MemberTable.Member member : view.members()) {
            MemberTable.Report r = member.report();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-34s %-18s %-8s pid %d on %s, up since %s",
                    r.address(), String.join(",", r.roles()), r.status(), r.pid(), r.host(),
                    member.upSince().withNano(0).toInstant()));
            if (member.staleAfter(view.staleAfter())) {
                line.append(String.format(Locale.ROOT, ", STALE: last seen %d s ago", member.age().toSeconds()));
            }
            if (r.dispatcher()) {
                line.append(", dispatcher");
            }
            if (!r.coordinators().isEmpty()) {
                line.append(", coordinators ").append(String.join(",", r.coordinators()));
            }
            if (r.roles().contains("controller")) {
                line.append(", islands ").append(r.islands().isEmpty() ? "none" : String.join(" ", r.islands()));
            }
            console.println(line);
        }
    }

    /**
     * Members, the dispatcher's and the shard coordinators' host (as a member that is not stale
     * reports them; "unknown" when none does), islands per member, stale members.
     */
    static Map<String, Object> clusterReport(ClusterView view) {
        List<Map<String, Object>> members = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        String dispatcher = "unknown";
        String coordinators = "unknown";
        for (MemberTable.Member member : view.members()) {
            MemberTable.Report r = member.report();
            boolean isStale = member.staleAfter(view.staleAfter());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", r.address());
            row.put("roles", r.roles());
            row.put("status", r.status());
            row.put("host", r.host());
            row.put("pid", r.pid());
            row.put("upSince", member.upSince().toInstant().toString());
            row.put("lastSeenSecondsAgo", member.age().toSeconds());
            row.put("stale", isStale);
            row.put("dispatcher", r.dispatcher());
            row.put("coordinators", r.coordinators());
            row.put("islands", r.islands());
            members.add(row);
            if (isStale) {
                stale.add(r.address());
            } else {
                if (r.dispatcher()) {
                    dispatcher = r.address();
                }
                if (!r.coordinators().isEmpty()) {
                    coordinators = r.address();
                }
            }
        }
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("dispatcher", dispatcher);
        cluster.put("coordinators", coordinators);
        cluster.put("stale", stale);
        cluster.put("members", members);
        return cluster;
    }

    /** The Pareto front: one line per point, its objective values in the task's order, then its score. */
    private static void printFront(Map<?, ?> front, PrintWriter console) {
        List<?> objectives = (List<?>) front.get("objectives");
        List<?> points = (List<?>) front.get("points");
        console.printf(Locale.ROOT, "pareto front: %d points no evaluated program beats on every objective, the first "
                        + "program at each (best/front.json)%n", points.size());
        List<String> names = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-16s", "candidate"));
        for (Object o : objectives) {
            Map<?, ?> objective = (Map<?, ?>) o;
            names.add(String.valueOf(objective.get("name")));
            header.append(' ').append(objective.get("name")).append(" (").append(objective.get("direction")).append(')');
        }
        console.println(header.append("  score"));
        for (Object p : points) {
            Map<?, ?> point = (Map<?, ?>) p;
            Map<?, ?> values = (Map<?, ?>) point.get("objectives");
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-16s", point.get("candidate")));
            for (int i = 0; i < names.size(); i++) {
                int width = names.get(i).length() + ((Map<?, ?>) objectives.get(i)).get("direction").toString().length() + 3;
                line.append(String.format(Locale.ROOT, " %" + width + "s", number(values.get(names.get(i)))));
            }
            line.append("  ").append(number(point.get("score")));
            int equal = point.get("equal") instanceof List<?> others ? others.size() : 0;
            console.println(equal == 0 ? line : line.append(String.format(Locale.ROOT, " (+%d equal)", equal)));
        }
    }

    private static String number(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(value);
    }

    static Map<String, Object> report(RunHistory history, List<RunComparison.Row> baselines) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("task", history.settings().map(RunSettings::taskId).orElse("-"));
        report.put("state", history.completion().map(c -> "completed: " + c)
                .orElse(history.settings().isPresent() ? "not completed" : "not started"));
        report.put("iterations", history.settings().map(RunSettings::iterations).orElse(0L));
        report.put("proposed", history.proposed());
        report.put("evaluated", history.evaluatedCount());
        // a stochastic task's would-be bests evaluated again: they count against the iteration budget too
        report.put("reEvaluations", history.reEvaluations().values().stream().mapToLong(List::size).sum());
        report.put("inFlight", history.inFlight());
        report.put("failedProposals", history.failedProposals());
        report.put("duplicates", history.duplicates());
        report.put("nearDuplicates", history.nearDuplicates());
        report.put("failures", history.failures());
        report.put("isolation", history.isolations());
        report.put("spending", history.spending());
        Optional<Constraints> constraints = history.settings().map(s -> s.island().constraints()).filter(Constraints::active);
        constraints.ifPresent(c -> report.put("constraints", Map.of("mode", c.mode().label(),
                "metrics", List.copyOf(c.metrics().keySet()))));
        List<Map<String, Object>> islands = new ArrayList<>();
        history.settings().ifPresent(s -> {
            for (int n = 0; n < s.islands(); n++) {
                Map<String, Object> island = new LinkedHashMap<>();
                island.put("island", s.islandId(n));
                history.bestOf(s.islandId(n)).ifPresent(best -> {
                    island.put("best", best.candidateId());
                    island.put("bestScore", best.evaluation().get().score());
                    // a stochastic task: bestScore is the mean of these
                    history.samples(best.candidateId()).ifPresent(samples -> island.put("bestSamples",
                            RunComparison.samplesJson(samples)));
                    best.test().ifPresent(t -> island.put("testScore", t.score()));
                    if (constraints.isPresent()) {
                        history.constraintExcess(best.candidateId()).ifPresent(e -> island.put("bestExcess", e));
                    }
                });
                islands.add(island);
            }
        });
        report.put("islands", islands);
        Map<String, Object> front = RunOutputs.front(history, Optional.empty());
        if (!front.isEmpty()) {
            report.put("front", front);
        }
        if (history.best().isPresent()) {
            report.put("comparison", comparison(history, baselines).json());
        }
        return report;
    }
}
