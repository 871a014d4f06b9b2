package io.galapagos.worker.sandbox;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Limits and shape of a {@link SandboxPool}.
 *
 * @param slots                  child JVMs, i.e. evaluations that run at once
 * @param heapMegabytes          heap cap of each child ({@code -Xmx}); exhausting it is {@code MEMORY_EXCEEDED}
 * @param evaluationTimeout      wall-clock deadline of one request (compile and every split of its cascade)
 * @param maxEvaluationsPerChild a child is replaced after this many requests
 * @param outputCapBytes         what a candidate prints beyond this many bytes is dropped
 * @param maxSourceBytes         larger candidate sources are rejected before anything runs
 * @param startTimeout           how long a new child may take to become ready
 * @param jail                   how children are jailed (bubblewrap, or none) and their resource limits
 * @param extraJvmOptions        more options for the child JVMs (after the ones the pool sets)
 * @param workDirectory          where the children's private directories go when there is no jail; the system's
 *                               temporary directory by default (a jailed child has a private tmpfs)
 * @param deadlines              how each split's deadline derives from the initial program's time
 */
public record SandboxSettings(
        int slots,
        int heapMegabytes,
        Duration evaluationTimeout,
        int maxEvaluationsPerChild,
        int outputCapBytes,
        int maxSourceBytes,
        Duration startTimeout,
        JailSettings jail,
        List<String> extraJvmOptions,
        Optional<Path> workDirectory,
        Deadlines deadlines) {

    /**
     * A split's deadline is {@code multiple} times the initial program's time on it (measured once per
     * task and data source), at least {@code floor}, at most the evaluation timeout; compiling gets
     * {@code compile} on top of the first split's. Without {@code calibrate} every split gets the
     * evaluation timeout.
     */
    public record Deadlines(boolean calibrate, double multiple, Duration floor, Duration compile) {
        public Deadlines {
            if (!(multiple >= 1) || Double.isInfinite(multiple)) {
                throw new IllegalArgumentException("deadlines.multiple must be at least 1, got " + multiple);
            }
            if (floor.isNegative() || floor.isZero() || compile.isNegative() || compile.isZero()) {
                throw new IllegalArgumentException("deadlines.floor and deadlines.compile must be positive");
            }
        }

        static Deadlines fromConfig(Config c) {
            return new Deadlines(c.getBoolean("calibrate"), c.getDouble("multiple"), c.getDuration("floor"),
                    c.getDuration("compile"));
        }
    }

    public SandboxSettings {
        positive("slots", slots);
        positive("heapMegabytes", heapMegabytes);
        positive("maxEvaluationsPerChild", maxEvaluationsPerChild);
        positive("outputCapBytes", outputCapBytes);
        positive("maxSourceBytes", maxSourceBytes);
        if (evaluationTimeout.isNegative() || evaluationTimeout.isZero()) {
            throw new IllegalArgumentException("evaluationTimeout must be positive, got " + evaluationTimeout);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
        }
        extraJvmOptions = List.copyOf(extraJvmOptions);
    }

    /** The settings of the worker's {@code reference.conf}, the one source of their defaults (for tests and benches). */
    public static SandboxSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    /**
     * Reads {@code galapagos.sandbox}, with one child per slot of {@code galapagos.worker.slots}; the keys
     * and their defaults are in the worker's {@code reference.conf}.
     */
    public static SandboxSettings fromConfig(Config root) {
        Config c = root.getConfig("galapagos.sandbox");
        String work = c.getString("work-directory");
        return new SandboxSettings(
                workerSlots(root),
                (int) (c.getBytes("heap").longValue() / (1024 * 1024)),
                c.getDuration("evaluation-timeout"),
                c.getInt("max-evaluations-per-child"),
                (int) c.getBytes("output-cap").longValue(),
                (int) c.getBytes("max-source").longValue(),
                c.getDuration("start-timeout"),
                JailSettings.fromConfig(c),
                c.getStringList("extra-jvm-options"),
                work.isBlank() ? Optional.empty() : Optional.of(Path.of(work)),
                Deadlines.fromConfig(c.getConfig("deadlines")));
    }

    /**
     * The evaluations a worker runs at once, {@code galapagos.worker.slots}; 0 means one per core.
     *
     * @throws IllegalArgumentException naming the key when it is negative
     */
    public static int workerSlots(Config root) {
        int slots = root.getInt("galapagos.worker.slots");
        if (slots < 0) {
            throw new IllegalArgumentException("galapagos.worker.slots must be 0 (one per core) or positive, not " + slots);
        }
        return slots == 0 ? Runtime.getRuntime().availableProcessors() : slots;
    }

    public SandboxSettings withSlots(int value) {
        return new SandboxSettings(value, heapMegabytes, evaluationTimeout, maxEvaluationsPerChild, outputCapBytes,
                maxSourceBytes, startTimeout, jail, extraJvmOptions, workDirectory, deadlines);
    }

    public SandboxSettings withHeapMegabytes(int value) {
        return new SandboxSettings(slots, value, evaluationTimeout, maxEvaluationsPerChild, outputCapBytes,
                maxSourceBytes, startTimeout, jail, extraJvmOptions, workDirectory, deadlines);
    }

    public SandboxSettings withEvaluationTimeout(Duration value) {
        return new SandboxSettings(slots, heapMegabytes, value, maxEvaluationsPerChild, outputCapBytes,
                maxSourceBytes, startTimeout, jail, extraJvmOptions, workDirectory, deadlines);
    }

    public SandboxSettings withMaxEvaluationsPerChild(int value) {
        return new SandboxSettings(slots, heapMegabytes, evaluationTimeout, value, outputCapBytes,
                maxSourceBytes, startTimeout, jail, extraJvmOptions, workDirectory, deadlines);
    }

    public SandboxSettings withOutputCapBytes(int value) {
        return new SandboxSettings(slots, heapMegabytes, evaluationTimeout, maxEvaluationsPerChild, value,
                maxSourceBytes, startTimeout, jail, extraJvmOptions, workDirectory, deadlines);
    }

    public SandboxSettings withMaxSourceBytes(int value) {
        return new SandboxSettings(slots, heapMegabytes, evaluationTimeout, maxEvaluationsPerChild, outputCapBytes,
                value, startTimeout, jail, extraJvmOptions, workDirectory, deadlines);
    }

    public SandboxSettings withJail(JailSettings value) {
        return new SandboxSettings(slots, heapMegabytes, evaluationTimeout, maxEvaluationsPerChild, outputCapBytes,
                maxSourceBytes, startTimeout, value, extraJvmOptions, workDirectory, deadlines);
    }

    public SandboxSettings withExtraJvmOptions(List<String> value) {
        return new SandboxSettings(slots, heapMegabytes, evaluationTimeout, maxEvaluationsPerChild, outputCapBytes,
                maxSourceBytes, startTimeout, jail, value, workDirectory, deadlines);
    }

    public SandboxSettings withDeadlines(Deadlines value) {
        return new SandboxSettings(slots, heapMegabytes, evaluationTimeout, maxEvaluationsPerChild, outputCapBytes,
                maxSourceBytes, startTimeout, jail, extraJvmOptions, workDirectory, value);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
