package io.galapagos.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.StoredRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code galapagos runs}: the runs of a folder or of a cluster's database, one line each; reads the database only. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List the runs of --out, or of the cluster's database with --cluster: id, task, state, "
                + "progress, best, start and cost; reads the database only.")
public final class RunsCommand implements Callable<Integer> {

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @CommandLine.Mixin
    RunPlace place = new RunPlace();

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A run as the list shows it; {@code state} is the journal's phase, or {@code stopped} for an idle folder. */
    record Row(String id, RunHistory history, String state) {
    }

    @Override
    public Integer call() throws Exception {
        List<Row> rows = new ArrayList<>();
        try {
            if (place.isCluster()) {
                Config config = place.clusterConfig();
                try {
                    for (String id : StoredRun.runIds(config)) {
                        RunHistory history = StoredRun.read(config, id);
                        rows.add(new Row(id, history, state(history.phase())));
                    }
                } catch (IllegalStateException e) {
                    spec.commandLine().getErr().println("galapagos runs: " + e.getMessage());
                    return Galapagos.EXIT_FAILED;
                }
            } else {
                Path outDir = place.folder("missing --out (or --cluster with --db-url)");
                RunHistory history = RunPlace.folderHistory(outDir);
                // a folder's run goes on only while a process holds the folder
                String state = history.phase() == RunStatus.Phase.RUNNING && !RunFolderLock.held(outDir) ? "stopped"
                        : state(history.phase());
                rows.add(new Row(RunSession.RUN_ID, history, state));
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos runs: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        PrintWriter console = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            rows.forEach(row -> list.add(json(row)));
            console.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("runs", list)));
        } else {
            console.printf(Locale.ROOT, "%-28s %-20s %-10s %13s %12s  %-19s %10s%n", "run", "task", "state", "evaluated",
                    "best", "started (UTC)", "cost");
            rows.forEach(row -> console.println(line(row)));
        }
        console.flush();
        return 0;
    }

    private static String state(RunStatus.Phase phase) {
        return phase.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String line(Row row) {
        RunHistory h = row.history();
        String evaluated = h.evaluatedCount() + "/" + h.settings().map(s -> Long.toString(s.iterations())).orElse("-");
        String best = h.best().flatMap(RunHistory.Candidate::evaluation).map(e -> String.format(Locale.ROOT, "%.6g", e.score()))
                .orElse("-");
        String started = h.startedAtMillis().map(ms -> STARTED.format(Instant.ofEpochMilli(ms))).orElse("-");
        return String.format(Locale.ROOT, "%-28s %-20s %-10s %13s %12s  %-19s %10s", row.id(),
                h.settings().map(s -> shortTask(s.taskId())).orElse("-"), row.state(), evaluated, best, started,
                String.format(Locale.ROOT, "$%.4f", h.spending().values().stream().mapToDouble(t -> t.costUsd()).sum()));
    }

    /** A task folder's id without its content hash, which the JSON keeps. */
    private static String shortTask(String taskId) {
        int at = taskId.indexOf('@');
        return at < 0 ? taskId : taskId.substring(0, at);
    }

    private static Map<String, Object> json(Row row) {
        RunHistory h = row.history();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", row.id());
        map.put("task", h.settings().map(s -> s.taskId()).orElse(null));
        map.put("state", row.state());
        map.put("evaluated", h.evaluatedCount());
        map.put("proposed", h.proposed());
        map.put("iterations", h.settings().map(s -> s.iterations()).orElse(null));
        map.put("best", h.best().flatMap(RunHistory.Candidate::evaluation).map(e -> e.score()).orElse(null));
        map.put("bestCandidate", h.best().map(RunHistory.Candidate::candidateId).orElse(null));
        map.put("startedAt", h.startedAtMillis().map(ms -> Instant.ofEpochMilli(ms).toString()).orElse(null));
        map.put("elapsedMillis", h.elapsedMillis());
        map.put("completion", h.completion().orElse(null));
        map.put("costUsd", h.spending().values().stream().mapToDouble(t -> t.costUsd()).sum());
        return map;
    }
}
