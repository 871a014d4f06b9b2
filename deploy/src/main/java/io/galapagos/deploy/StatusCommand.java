package io.galapagos.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code galapagos status}: counts and each island's best, read from the journal (also while running). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Counts and island bests of a run (of --out, or of the cluster with --cluster and --run-id).")
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
            history = ResumeCommand.readHistory(out.get().toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos status: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        print(history, json, Optional.empty(), spec.commandLine().getOut());
        return 0;
    }

    /** Prints the report of {@code history}, after the live status of the run's entity when there is one. */
    static void print(RunHistory history, boolean json, Optional<RunStatus> live, PrintWriter console) throws Exception {
        Map<String, Object> report = report(history);
        live.ifPresent(status -> report.put("live", status.phase().name().toLowerCase(Locale.ROOT) + ", "
                + status.evaluated() + " evaluated, " + status.inFlight() + " in flight"));
        if (json) {
            console.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            console.printf(Locale.ROOT, "task %s, %s%n", report.get("task"), report.get("state"));
            if (report.containsKey("live")) {
                console.printf(Locale.ROOT, "live: %s%n", report.get("live"));
            }
            console.printf(Locale.ROOT, "proposed %s, evaluated %s, in flight %s, failed proposals %s%n",
                    report.get("proposed"), report.get("evaluated"), report.get("inFlight"), report.get("failedProposals"));
            console.printf(Locale.ROOT, "failed evaluations: %s%n", report.get("failures"));
            history.isolations().forEach((isolation, count) ->
                    console.printf(Locale.ROOT, "isolation of %d evaluations: %s%n", count, isolation));
            if (history.unjailed() > 0) {
                console.printf(Locale.ROOT, "WARNING: %d evaluations ran without an OS jail (galapagos.sandbox.isolation = "
                        + "none on their workers); their candidates could reach the workers' files and network%n",
                        history.unjailed());
            }
            history.spending().forEach((model, t) -> console.printf(Locale.ROOT,
                    "model %s: %d calls, %d prompt + %d completion tokens, $%.4f%n", model, t.calls(), t.promptTokens(),
                    t.completionTokens(), t.costUsd()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> islands = (List<Map<String, Object>>) report.get("islands");
            for (Map<String, Object> island : islands) {
                console.printf(Locale.ROOT, "  %-10s best %-14s %s%n", island.get("island"),
                        island.getOrDefault("bestScore", "-"), island.getOrDefault("best", ""));
            }
        }
        console.flush();
    }

    static Map<String, Object> report(RunHistory history) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("task", history.settings().map(RunSettings::taskId).orElse("-"));
        report.put("state", history.completion().map(c -> "completed: " + c)
                .orElse(history.settings().isPresent() ? "not completed" : "not started"));
        report.put("iterations", history.settings().map(RunSettings::iterations).orElse(0L));
        report.put("proposed", history.proposed());
        report.put("evaluated", history.evaluated().size());
        report.put("inFlight", history.inFlight());
        report.put("failedProposals", history.failedProposals());
        report.put("failures", history.failures());
        report.put("isolation", history.isolations());
        report.put("spending", history.spending());
        List<Map<String, Object>> islands = new ArrayList<>();
        history.settings().ifPresent(s -> {
            for (int n = 0; n < s.islands(); n++) {
                Map<String, Object> island = new LinkedHashMap<>();
                island.put("island", s.islandId(n));
                history.bestOf(s.islandId(n)).ifPresent(best -> {
                    island.put("best", best.candidateId());
                    island.put("bestScore", best.evaluation().get().score());
                    best.test().ifPresent(t -> island.put("testScore", t.score()));
                });
                islands.add(island);
            }
        });
        report.put("islands", islands);
        return report;
    }
}
