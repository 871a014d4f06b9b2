package io.galapagos.worker.sandbox;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How candidate processes are jailed: by bubblewrap (the default), or not at all, which only the
 * configuration can ask for ({@code galapagos.sandbox.isolation = none}).
 *
 * @param isolation {@link Isolation#BWRAP} or {@link Isolation#NONE}
 * @param bwrap     the bubblewrap executable; a bare name is looked up on the {@code PATH}
 * @param prlimit   util-linux's {@code prlimit}, which sets the resource limits; a bare name is looked up likewise
 * @param limits    resource limits of every jailed process
 */
public record JailSettings(Isolation isolation, Path bwrap, Path prlimit, Limits limits) {

    /** Whether candidates run in an OS jail. */
    public enum Isolation {
        BWRAP, NONE;

        static Isolation parse(Config config, String key) {
            String value = config.getString(key);
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(config.origin(), key, "must be bwrap or none, not '" + value + "'");
            }
        }
    }

    /**
     * Per-process limits (setrlimit through {@code prlimit}).
     *
     * @param addressSpaceBeyondHeapBytes virtual memory a child JVM may map beyond its heap (code cache,
     *                                    class metadata, thread stacks, malloc arenas); a process without a
     *                                    heap gets just this
     * @param cpuTime                     CPU time of one process over its whole life (a child serves many requests)
     * @param processes                   processes and threads (RLIMIT_NPROC; counts every process of the
     *                                    worker's user, and is not enforced at all when the worker runs as root)
     * @param openFiles                   open file descriptors
     * @param fileSizeBytes               largest file a process may write
     * @param workDirectoryBytes          size of the private tmpfs that is the process's working directory
     */
    public record Limits(long addressSpaceBeyondHeapBytes, Duration cpuTime, int processes, int openFiles,
                         long fileSizeBytes, long workDirectoryBytes) {

        public Limits {
            positive("addressSpaceBeyondHeapBytes", addressSpaceBeyondHeapBytes);
            positive("cpuTime", cpuTime.toSeconds());
            positive("processes", processes);
            positive("openFiles", openFiles);
            positive("fileSizeBytes", fileSizeBytes);
            positive("workDirectoryBytes", workDirectoryBytes);
        }

        /** The limits of one process whose heap is capped at {@code heapMegabytes} (0: no heap of ours). */
        public JailSpec.Limits forHeap(int heapMegabytes) {
            return new JailSpec.Limits(heapMegabytes * 1024L * 1024L + addressSpaceBeyondHeapBytes, cpuTime.toSeconds(),
                    processes, openFiles, fileSizeBytes, workDirectoryBytes);
        }

        static Limits fromConfig(Config c) {
            return new Limits(c.getBytes("address-space-beyond-heap"), c.getDuration("cpu-time"), c.getInt("processes"),
                    c.getInt("open-files"), c.getBytes("file-size"), c.getBytes("work-directory-size"));
        }

        private static void positive(String name, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }

    /** The jail of the worker's {@code reference.conf}, the one source of its defaults (for tests and benches). */
    public static JailSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference().getConfig("galapagos.sandbox"));
    }

    /** Reads {@code isolation}, {@code bwrap}, {@code prlimit} and {@code limits} of {@code galapagos.sandbox}. */
    public static JailSettings fromConfig(Config sandbox) {
        return new JailSettings(Isolation.parse(sandbox, "isolation"), Path.of(sandbox.getString("bwrap")),
                Path.of(sandbox.getString("prlimit")), Limits.fromConfig(sandbox.getConfig("limits")));
    }

    public JailSettings withIsolation(Isolation value) {
        return new JailSettings(value, bwrap, prlimit, limits);
    }

    public JailSettings withBwrap(Path value) {
        return new JailSettings(isolation, value, prlimit, limits);
    }

    public JailSettings withLimits(Limits value) {
        return new JailSettings(isolation, bwrap, prlimit, value);
    }
}
