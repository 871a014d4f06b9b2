package io.galapagos.worker.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one jailed process may see and use.
 *
 * @param readOnly         host paths (directories or files) visible read-only at the same path; the jail
 *                         adds the system's library directories itself
 * @param workDirectory    the working directory, also {@code HOME} and {@code TMPDIR}: in a jail a fresh
 *                         private tmpfs mounted at this path; without a jail this host directory, which the
 *                         caller creates and removes
 * @param environment      the whole environment of the process
 * @param limits           its resource limits
 * @param nobodyOnHost     enter the jail as uid 65534 on the host too when the worker runs as root: the
 *                         kernel never enforces the process limit for root, so without this a fork bomb
 *                         reaches the host's pid limit; every host path bound must then be world-readable
 */
public record JailSpec(List<Path> readOnly, Path workDirectory, Map<String, String> environment, Limits limits,
                       boolean nobodyOnHost) {

    public JailSpec(List<Path> readOnly, Path workDirectory, Map<String, String> environment, Limits limits) {
        this(readOnly, workDirectory, environment, limits, false);
    }

    public JailSpec {
        readOnly = List.copyOf(readOnly);
        environment = Map.copyOf(environment);
        if (!workDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the work directory must be absolute, got " + workDirectory);
        }
    }

    /**
     * A process with only {@code PATH}, {@code LANG}, {@code HOME}, {@code TMPDIR}, {@code PWD} and
     * {@code MALLOC_ARENA_MAX} in its environment ({@code PWD} because bubblewrap always sets it to the
     * working directory). glibc reserves 64 MiB of address space per malloc arena, up to eight arenas per
     * host core: under the address space limit, the threads of a JVM or of a threaded evaluator on a busy
     * machine would exhaust it with arenas they barely use, so two arenas it is.
     */
    public static JailSpec of(List<Path> readOnly, Path workDirectory, Limits limits) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/bin:/bin");
        environment.put("LANG", "C.UTF-8");
        environment.put("HOME", workDirectory.toString());
        environment.put("TMPDIR", workDirectory.toString());
        environment.put("PWD", workDirectory.toString());
        environment.put("MALLOC_ARENA_MAX", "2");
        return new JailSpec(readOnly, workDirectory, environment, limits);
    }

    public JailSpec withEnvironment(Map<String, String> value) {
        return new JailSpec(readOnly, workDirectory, value, limits, nobodyOnHost);
    }

    public JailSpec withNobodyOnHost() {
        return new JailSpec(readOnly, workDirectory, environment, limits, true);
    }

    /**
     * Resource limits of one process, applied with {@code prlimit}.
     *
     * @param addressSpaceBytes  virtual memory (RLIMIT_AS)
     * @param cpuSeconds         CPU seconds (RLIMIT_CPU)
     * @param processes          processes and threads of the user (RLIMIT_NPROC; not enforced for root)
     * @param openFiles          file descriptors (RLIMIT_NOFILE)
     * @param fileSizeBytes      largest file written (RLIMIT_FSIZE)
     * @param workDirectoryBytes size of the private tmpfs
     */
    public record Limits(long addressSpaceBytes, long cpuSeconds, int processes, int openFiles, long fileSizeBytes,
                         long workDirectoryBytes) {
    }
}
