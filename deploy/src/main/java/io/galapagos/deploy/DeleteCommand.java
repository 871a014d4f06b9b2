package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.StoredRun;
import io.galapagos.worker.external.BundledTask;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code galapagos delete}: removes a finished run from a cluster's database (its events, snapshots and
 * state, and its task folder when no other run carries it), in one transaction. A run that may still
 * be going is refused.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Remove a completed or stopped run from the cluster's database (--cluster with --db-url and "
                + "--run-id): its events, snapshots and task folder; a running run is refused.")
public final class DeleteCommand implements Callable<Integer> {

    private static final List<String> TABLES = List.of("event_journal", "snapshot", "durable_state");

    @CommandLine.Mixin
    RunPlace place = new RunPlace();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config config;
        String runId;
        RunHistory history;
        try {
            if (!place.isCluster()) {
                throw new IllegalArgumentException(place.out.isPresent()
                        ? "a run folder is deleted as a folder (rm -r " + place.out.get() + ") once no run holds it"
                        : "missing --cluster with --db-url and --run-id");
            }
            runId = place.runId().orElseThrow(() -> new IllegalArgumentException("--cluster needs --run-id: which run to delete"));
            config = place.clusterConfig();
            history = StoredRun.read(config, runId);
            if (history.settings().isEmpty()) {
                throw new IllegalArgumentException("run not found: the cluster's database holds no run '" + runId + "'");
            }
            if (history.phase() == RunStatus.Phase.RUNNING) {
                throw new IllegalArgumentException("run '" + runId + "' has not completed and may still be running: "
                        + "wait for its end (galapagos status --cluster ... --run-id " + runId + ")");
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos delete: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("galapagos delete: " + e.getMessage());
            return Galapagos.EXIT_FAILED;
        }
        RunSettings settings = history.settings().get();
        List<String> ids = new ArrayList<>();
        ids.add(Run.ENTITY_TYPE + "|" + runId);
        for (int k = 0; k < settings.islands(); k++) {
            ids.add(Island.ENTITY_TYPE + "|" + settings.islandId(k));
        }
        try {
            Optional<String> bundle = BundledTask.bundleHash(settings.taskId());
            boolean bundleShared = false;
            if (bundle.isPresent()) {
                for (String other : StoredRun.runIds(config)) {
                    if (!other.equals(runId) && StoredRun.read(config, other).settings()
                            .map(s -> s.taskId().equals(settings.taskId())).orElse(false)) {
                        bundleShared = true;
                        break;
                    }
                }
            }
            long rows = delete(config, ids, bundleShared ? Optional.empty() : bundle);
            spec.commandLine().getOut().printf("deleted run %s: %d rows (its events, snapshots%s)%n", runId, rows,
                    bundle.isEmpty() ? "" : bundleShared ? "; its task folder stays, another run carries it"
                            : " and its task folder");
            return 0;
        } catch (SQLException | IllegalStateException e) {
            spec.commandLine().getErr().println("galapagos delete: cannot delete run '" + runId + "': "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return Galapagos.EXIT_FAILED;
        }
    }

    /** Deletes the rows of {@code ids} (and the bundle) in one transaction; the events' tags go with them. */
    private static long delete(Config config, List<String> ids, Optional<String> bundle) throws SQLException {
        try (Connection connection = DriverManager.getConnection(config.getString("galapagos.store.url"),
                config.getString("galapagos.store.user"), config.getString("galapagos.store.password"))) {
            connection.setAutoCommit(false);
            long rows = 0;
            try {
                for (String table : TABLES) {
                    try (PreparedStatement statement = connection.prepareStatement(
                            "DELETE FROM " + table + " WHERE persistence_id = ?")) {
                        for (String id : ids) {
                            statement.setString(1, id);
                            rows += statement.executeUpdate();
                        }
                    }
                }
                if (bundle.isPresent()) {
                    try (PreparedStatement statement = connection.prepareStatement(
                            "DELETE FROM galapagos_task_bundles WHERE hash = ?")) {
                        statement.setString(1, bundle.get());
                        rows += statement.executeUpdate();
                    }
                }
                connection.commit();
                return rows;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
