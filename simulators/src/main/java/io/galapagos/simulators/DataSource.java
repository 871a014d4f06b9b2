package io.galapagos.simulators;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a task's workloads come from: its seeded synthetic generator (the embedded default, no files
 * needed), or a data directory laid out like the published ADRS data ({@code <dir>/<task>/...}).
 */
public sealed interface DataSource permits DataSource.Synthetic, DataSource.Directory {

    /** Seed of the synthetic workloads when nobody asks for another. */
    long DEFAULT_SEED = 42L;

    static DataSource synthetic() {
        return new Synthetic(DEFAULT_SEED);
    }

    static DataSource directory(Path root) {
        return new Directory(root);
    }

    /** One line for humans: {@code synthetic (seed 42)} or {@code data directory /x/y}. */
    String describe();

    /** Workloads drawn from the task's seeded generator; same seed, same workloads, on any machine. */
    record Synthetic(long seed) implements DataSource {
        @Override
        public String describe() {
            return "synthetic (seed " + seed + ")";
        }
    }

    /** The published data, one sub-directory per task. */
    record Directory(Path root) implements DataSource {
        public Directory {
            root = root.toAbsolutePath().normalize();
        }

        /** The task's sub-directory; fails with a clear message when it is missing. */
        public Path taskDirectory(String name) {
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                throw new WorkloadException("data directory " + root + " has no '" + name + "' folder");
            }
            return dir;
        }

        @Override
        public String describe() {
            return "data directory " + root;
        }
    }
}
