package io.galapagos.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
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
import java.util.concurrent.Callable;

/** {@code galapagos status}: counts and each island's best, read from the journal (also while running). */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Counts and island bests of a run.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "output directory of the run")
    Path out;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunHistory history;
        try {
            history = ResumeCommand.readHistory(out.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos status: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        Map<String, Object> report = report(history);
        PrintWriter console = spec.commandLine().getOut();
        if (json) {
            console.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            console.printf(Locale.ROOT, "task %s, %s%n", report.get("task"), report.get("state"));
            console.printf(Locale.ROOT, "proposed %s, evaluated %s, in flight %s, failed proposals %s%n",
                    report.get("proposed"), report.get("evaluated"), report.get("inFlight"), report.get("failedProposals"));
            console.printf(Locale.ROOT, "failed evaluations: %s%n", report.get("failures"));
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
        return 0;
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
