package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.TaskBrief;
import io.galapagos.deploy.bundle.BundleStore;
import io.galapagos.worker.external.BundleCache;
import io.galapagos.worker.external.BundledTask;
import io.galapagos.worker.external.TaskBundle;
import io.galapagos.worker.external.TaskBundleException;
import io.galapagos.worker.external.TaskDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The task folders of runs as every node sees them: stored once in the run's database at submission,
 * unpacked into this machine's bundle cache on first use, and read from there by workers (the evaluator),
 * controllers (the brief a model or the mutation engine works from) and clients (the summary's baselines).
 */
public final class TaskFolders {

    private TaskFolders() {
    }

    /**
     * Packs {@code task}'s shipped files into the bundle a run carries; its hash is part of the run's task id.
     *
     * @throws IllegalArgumentException in one line when the folder is over the cap
     */
    public static TaskBundle pack(Config config, TaskDirectory task) {
        try {
            return TaskBundle.pack(task.root(), task.shippedFiles(), TaskBundle.limit(config));
        } catch (TaskBundleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Stores the bundle in the run's database (once per content). */
    public static void put(Config config, TaskBundle bundle) {
        EngineConfig.Store store = EngineConfig.from(config).store();
        try {
            new BundleStore(store.url(), store.user(), store.password()).put(bundle);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the task folder in the run's database: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The folder of a run's task, unpacked on this machine; empty for a built-in task. */
    public static Optional<TaskDirectory> load(Config config, String taskId) {
        Optional<String> hash = BundledTask.bundleHash(taskId);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        EngineConfig.Store store = EngineConfig.from(config).store();
        BundleStore bundles = new BundleStore(store.url(), store.user(), store.password());
        try {
            Path root = BundleCache.fromConfig(config).resolve(hash.get(), () -> {
                try {
                    return bundles.get(hash.get()).orElseThrow(() -> new IllegalStateException(
                            "the run's database holds no task folder " + hash.get() + " (task " + taskId + ")"));
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot fetch the task folder " + hash.get() + ": "
                            + e.getMessage().lines().findFirst().orElse(""), e);
                }
            });
            return Optional.of(TaskDirectory.load(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TaskBundleException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** What a prompt and the mutation engine know of a folder task. */
    public static TaskBrief brief(String taskId, TaskDirectory task) {
        return TaskBrief.external(taskId, task.problemStatement(), task.programFileName(), task.language());
    }
}
