package io.galapagos.worker.external;

import com.typesafe.config.Config;
import io.galapagos.worker.sandbox.JailSettings;
import io.galapagos.worker.sandbox.JailSpec;
import io.galapagos.worker.sandbox.SandboxSettings;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Limits and shape of an {@link ExternalEvaluator}: {@code galapagos.sandbox.external} plus the jail of
 * {@code galapagos.sandbox} (defaults in the worker's {@code reference.conf}).
 *
 * @param slots                     evaluations at once (warm: evaluator processes)
 * @param addressSpaceBytes         RLIMIT_AS of every evaluator process
 * @param workDirectoryBytes        size of the tmpfs holding a process's copy of the task folder
 * @param outputCapBytes            evaluator log kept for feedback (its last bytes); also caps feedback and artifacts
 * @param maxResultLineBytes        longest result line read
 * @param maxOutputBytes            an evaluation printing more (stdout and stderr) is killed
 * @param maxSourceBytes            larger candidates are rejected
 * @param maxEvaluationsPerProcess  a warm process is replaced after this many evaluations
 * @param jail                      isolation, bubblewrap, prlimit and the other limits
 * @param workDirectory             where the host-side directories go (staging copy, candidates, unjailed work
 *                                  directories); the system's temporary directory when empty
 */
public record ExternalSettings(
        int slots,
        long addressSpaceBytes,
        long workDirectoryBytes,
        int outputCapBytes,
        int maxResultLineBytes,
        long maxOutputBytes,
        int maxSourceBytes,
        int maxEvaluationsPerProcess,
        JailSettings jail,
        Optional<Path> workDirectory) {

    public ExternalSettings {
        positive("slots", slots);
        positive("addressSpaceBytes", addressSpaceBytes);
        positive("workDirectoryBytes", workDirectoryBytes);
        positive("outputCapBytes", outputCapBytes);
        positive("maxResultLineBytes", maxResultLineBytes);
        positive("maxOutputBytes", maxOutputBytes);
        positive("maxSourceBytes", maxSourceBytes);
        positive("maxEvaluationsPerProcess", maxEvaluationsPerProcess);
    }

    /** Reads {@code galapagos.sandbox.external} and the jail settings of {@code galapagos.sandbox}. */
    public static ExternalSettings fromConfig(Config config) {
        Config sandbox = config.getConfig("galapagos.sandbox");
        Config c = sandbox.getConfig("external");
        int slots = c.getInt("slots");
        String workDirectory = sandbox.getString("work-directory");
        return new ExternalSettings(slots > 0 ? slots : SandboxSettings.workerSlots(config),
                c.getBytes("address-space"), c.getBytes("work-directory-size"), intBytes(c, "output-cap"),
                intBytes(c, "max-result-line"), c.getBytes("max-output"), intBytes(c, "max-source"),
                c.getInt("max-evaluations-per-process"), JailSettings.fromConfig(sandbox),
                workDirectory.isBlank() ? Optional.empty() : Optional.of(Path.of(workDirectory)));
    }

    /** The limits of one evaluator process. */
    JailSpec.Limits limits() {
        JailSettings.Limits limits = jail.limits();
        return new JailSpec.Limits(addressSpaceBytes, limits.cpuTime().toSeconds(), limits.processes(),
                limits.openFiles(), limits.fileSizeBytes(), workDirectoryBytes);
    }

    public ExternalSettings withSlots(int value) {
        return new ExternalSettings(value, addressSpaceBytes, workDirectoryBytes, outputCapBytes, maxResultLineBytes,
                maxOutputBytes, maxSourceBytes, maxEvaluationsPerProcess, jail, workDirectory);
    }

    public ExternalSettings withJail(JailSettings value) {
        return new ExternalSettings(slots, addressSpaceBytes, workDirectoryBytes, outputCapBytes, maxResultLineBytes,
                maxOutputBytes, maxSourceBytes, maxEvaluationsPerProcess, value, workDirectory);
    }

    public ExternalSettings withAddressSpace(long bytes) {
        return new ExternalSettings(slots, bytes, workDirectoryBytes, outputCapBytes, maxResultLineBytes,
                maxOutputBytes, maxSourceBytes, maxEvaluationsPerProcess, jail, workDirectory);
    }

    public ExternalSettings withMaxOutput(long bytes) {
        return new ExternalSettings(slots, addressSpaceBytes, workDirectoryBytes, outputCapBytes, maxResultLineBytes,
                bytes, maxSourceBytes, maxEvaluationsPerProcess, jail, workDirectory);
    }

    private static int intBytes(Config c, String key) {
        return Math.toIntExact(c.getBytes(key));
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
