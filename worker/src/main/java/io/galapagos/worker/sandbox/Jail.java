package io.galapagos.worker.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The OS jail every candidate process runs in: {@code prlimit} sets its resource limits, then bubblewrap
 * gives it new user, PID, network, IPC, UTS and cgroup namespaces, uid and gid 65534, no capabilities,
 * no terminal, read-only binds of the system's libraries and of what the {@link JailSpec} names, a
 * private tmpfs as its working directory and a read-only root; it dies with its parent.
 *
 * <p>{@code --die-with-parent} is the kernel's parent-death signal, which fires when the <em>thread</em>
 * that started the process ends: start jailed processes from threads that outlive them.
 *
 * <p>Made by {@link #probe}, which runs a jailed {@code java -version} once; without a jail it refuses,
 * unless the settings say {@code isolation = none}.
 */
public final class Jail {

    /** The user and group a jailed process runs as (nobody). */
    static final int UID = 65534;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_PROBE_OUTPUT = 4096;
    private static final String NONE = "none (galapagos.sandbox.isolation = none: candidates run without an OS jail)";
    private static final String BWRAP = "bwrap (uid 65534; new user, pid, net, ipc and uts namespaces; "
            + "read-only binds; private tmpfs; rlimits)";

    private final Optional<Path> bwrap;
    private final Optional<Path> prlimit;
    /** Symlinks to recreate inside (merged-usr {@code /lib -> usr/lib}), link to target. */
    private final Map<Path, String> systemLinks;
    /** System library directories, bound read-only at their own path. */
    private final List<Path> systemDirectories;

    private Jail(Optional<Path> bwrap, Optional<Path> prlimit) {
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        Map<Path, String> links = new TreeMap<>();
        List<Path> directories = new ArrayList<>();
        if (bwrap.isPresent()) {
            systemLibraries(links, directories);
        }
        this.systemLinks = Map.copyOf(links);
        this.systemDirectories = List.copyOf(directories);
    }

    /**
     * The jail the settings ask for, tried by running a jailed {@code java -version}; with
     * {@code isolation = none} an unconfined one.
     *
     * @throws SandboxUnavailableException when no jail can be made; its message is one line with the fix
     */
    public static Jail probe(JailSettings settings) {
        if (settings.isolation() == JailSettings.Isolation.NONE) {
            return new Jail(Optional.empty(), Optional.empty());
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new SandboxUnavailableException("bubblewrap needs Linux, this is " + System.getProperty("os.name"));
        }
        Path bwrap = executable(settings.bwrap())
                .orElseThrow(() -> new SandboxUnavailableException("no bubblewrap executable at " + where(settings.bwrap())));
        Path prlimit = executable(settings.prlimit())
                .orElseThrow(() -> new SandboxUnavailableException("no prlimit executable (util-linux) at "
                        + where(settings.prlimit())));
        Jail jail = new Jail(Optional.of(bwrap), Optional.of(prlimit));
        jail.tryJava(settings.limits());
        return jail;
    }

    /** Whether processes are jailed; false only for {@code isolation = none}. */
    public boolean confined() {
        return bwrap.isPresent();
    }

    /** What outcomes and status report: {@code bwrap (...)} or {@code none (...)}. */
    public String description() {
        return confined() ? BWRAP : NONE;
    }

    /**
     * A process builder for {@code command} in this jail: the environment is the spec's and nothing
     * else; standard streams are pipes unless the caller redirects them.
     */
    public ProcessBuilder processBuilder(List<String> command, JailSpec spec) {
        ProcessBuilder builder;
        if (confined()) {
            builder = new ProcessBuilder(command(command, spec));
            builder.environment().clear();
        } else {
            builder = new ProcessBuilder(command).directory(spec.workDirectory().toFile());
            builder.environment().clear();
            builder.environment().putAll(spec.environment());
        }
        return builder;
    }

    /** The full command line that runs {@code command} jailed: {@code prlimit ... -- bwrap ... -- command}. */
    List<String> command(List<String> command, JailSpec spec) {
        if (!confined()) {
            return List.copyOf(command);
        }
        JailSpec.Limits limits = spec.limits();
        String work = spec.workDirectory().toString();
        List<String> line = new ArrayList<>(List.of(prlimit.orElseThrow().toString(),
                "--as=" + limits.addressSpaceBytes(), "--cpu=" + limits.cpuSeconds(), "--nproc=" + limits.processes(),
                "--nofile=" + limits.openFiles(), "--fsize=" + limits.fileSizeBytes(), "--core=0", "--"));
        if (spec.nobodyOnHost() && HostUser.ROOT) {
            line.addAll(List.of(HostUser.setpriv().toString(), "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "--"));
        }
        line.addAll(List.of(bwrap.orElseThrow().toString(),
                "--unshare-all", "--unshare-user", "--disable-userns", "--uid", Integer.toString(UID), "--gid",
                Integer.toString(UID), "--hostname", "sandbox", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev",
                "--size", Long.toString(limits.workDirectoryBytes()), "--tmpfs", work));
        systemLinks.forEach((link, target) -> line.addAll(List.of("--symlink", target, link.toString())));
        binds(spec.readOnly()).forEach((inside, host) -> line.addAll(List.of("--ro-bind", host.toString(), inside.toString())));
        // bwrap's root and /dev are writable tmpfs until remounted; only the work directory stays writable
        line.addAll(List.of("--remount-ro", "/dev", "--remount-ro", "/", "--chdir", work, "--clearenv"));
        new TreeMap<>(spec.environment()).forEach((name, value) -> line.addAll(List.of("--setenv", name, value)));
        line.add("--");
        line.addAll(command);
        return line;
    }

    /**
     * Inside path to host path of every read-only bind: the system libraries and the spec's paths, each
     * at its absolute path; a path covered by a bind of an ancestor is left out. Paths that do not exist
     * are skipped.
     */
    private Map<Path, Path> binds(List<Path> readOnly) {
        TreeMap<Path, Path> binds = new TreeMap<>();
        for (Path directory : systemDirectories) {
            binds.put(directory, directory);
        }
        for (Path path : readOnly) {
            Path absolute = path.toAbsolutePath().normalize();
            Path real;
            try {
                real = absolute.toRealPath();
            } catch (IOException e) {
                continue;
            }
            // a path under one of the jail's own symlinks (/lib -> usr/lib) is bound where the link leads
            boolean underLink = systemLinks.keySet().stream().anyMatch(absolute::startsWith);
            binds.put(underLink ? real : absolute, real);
        }
        TreeMap<Path, Path> needed = new TreeMap<>();
        binds.forEach((inside, host) -> {
            boolean covered = needed.entrySet().stream().anyMatch(e -> inside.startsWith(e.getKey())
                    && e.getValue().resolve(e.getKey().relativize(inside)).equals(host));
            if (!covered) {
                needed.put(inside, host);
            }
        });
        return needed;
    }

    /**
     * The JDK this JVM runs on, as read-only paths: its home (symlinks resolved) and the targets of the
     * symlinks inside it that lead out of it (Debian keeps the JDK's configuration under /etc).
     */
    public static List<Path> javaRuntime() {
        return JavaRuntime.PATHS;
    }

    /**
     * Options every jailed JVM needs: by default a JVM reserves 1 GiB for compressed class metadata and
     * 240 MiB for compiled code, which the address space limit would refuse.
     */
    public static List<String> jvmOptions() {
        return List.of("-XX:CompressedClassSpaceSize=64m", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=256m");
    }

    /** The java launcher inside {@link #javaRuntime()}. */
    public static String javaExecutable() {
        return JavaRuntime.HOME.resolve("bin").resolve("java").toString();
    }

    /** Whether this JVM runs as root, and util-linux's {@code setpriv}, which leaves root before the jail. */
    private static final class HostUser {
        static final boolean ROOT = root();

        private static boolean root() {
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                        .anyMatch(l -> l.substring(4).strip().split("\\s+")[0].equals("0"));
            } catch (IOException e) {
                return false;
            }
        }

        static Path setpriv() {
            return executable(Path.of("setpriv")).orElseThrow(() -> new SandboxUnavailableException(
                    "no setpriv executable (util-linux) on the PATH, needed to leave root before the jail"));
        }
    }

    private static final class JavaRuntime {
        static final Path HOME = realHome();
        static final List<Path> PATHS = paths();

        private static Path realHome() {
            try {
                return Path.of(System.getProperty("java.home")).toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("java.home cannot be resolved", e);
            }
        }

        private static List<Path> paths() {
            Set<Path> paths = new LinkedHashSet<>();
            paths.add(HOME);
            try (Stream<Path> files = Files.walk(HOME)) {
                files.filter(Files::isSymbolicLink).forEach(link -> {
                    try {
                        Path target = link.toRealPath();
                        if (!target.startsWith(HOME)) {
                            paths.add(target);
                        }
                    } catch (IOException e) {
                        // a dangling link (an optional package that is not installed) needs nothing bound
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("the JDK at " + HOME + " cannot be listed", e);
            }
            return List.copyOf(paths);
        }
    }

    /**
     * The directories that hold the dynamic loader and the shared libraries, and the merged-usr
     * symlinks that lead to them ({@code /lib -> usr/lib} on Debian since bookworm).
     */
    private static void systemLibraries(Map<Path, String> links, List<Path> directories) {
        List<String> candidates = List.of("/lib", "/lib64", "/lib32", "/usr/lib64", "/usr/lib32",
                "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu",
                "/lib/aarch64-linux-gnu");
        for (String name : candidates) {
            Path path = Path.of(name);
            try {
                if (Files.isSymbolicLink(path)) {
                    links.put(path, Files.readSymbolicLink(path).toString());
                } else if (Files.isDirectory(path) && path.toRealPath().equals(path)) {
                    directories.add(path);
                }
            } catch (IOException e) {
                // not there on this system
            }
        }
    }

    /** Runs {@code java -version} in this jail; throws with the reason when it does not work. */
    private void tryJava(JailSettings.Limits limits) {
        Path output = null;
        try {
            output = Files.createTempFile("galapagos-jail-probe", ".txt");
            List<String> java = new ArrayList<>(List.of(javaExecutable(), "-Xmx64m", "-XX:-UsePerfData"));
            java.addAll(jvmOptions());
            java.add("-version");
            ProcessBuilder builder = processBuilder(java,
                    JailSpec.of(javaRuntime(), Path.of("/tmp"), limits.forHeap(64)))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                            new File("/dev/null")));
            Process process = builder.start();
            if (!process.waitFor(PROBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SandboxUnavailableException("a jailed 'java -version' did not finish within "
                        + PROBE_TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new SandboxUnavailableException("a jailed 'java -version' failed (exit code " + process.exitValue()
                        + "): " + head(output) + " (if the limits are too small, raise galapagos.sandbox.limits)");
            }
        } catch (IOException e) {
            throw new SandboxUnavailableException("starting " + bwrap.orElseThrow() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted while probing bubblewrap");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file
                }
            }
        }
    }

    private static String head(Path output) throws IOException {
        try (InputStream in = Files.newInputStream(output)) {
            String text = new String(in.readNBytes(MAX_PROBE_OUTPUT), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "no output" : text.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse(text);
        }
    }

    /** An executable at the path, or (for a bare name) the first one on the {@code PATH}. */
    private static Optional<Path> executable(Path configured) {
        if (configured.getNameCount() == 1 && !configured.isAbsolute()) {
            List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
            directories.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
            return directories.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, configured.toString()))
                    .filter(Files::isExecutable).findFirst().map(p -> p.toAbsolutePath().normalize());
        }
        return Files.isExecutable(configured) ? Optional.of(configured.toAbsolutePath().normalize()) : Optional.empty();
    }

    private static String where(Path configured) {
        return configured.getNameCount() == 1 && !configured.isAbsolute()
                ? "'" + configured + "' on the PATH" : configured.toString();
    }
}
