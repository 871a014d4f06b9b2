package io.galapagos.worker.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.galapagos.simulators.DataSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One sandbox child JVM seen from the parent: starts it in the {@link Jail} with a heap cap and a
 * private temporary directory, exchanges protocol lines with it, and kills its whole process tree.
 */
final class ChildProcess {

    private static final int DIAGNOSTICS_CAP = 16 * 1024;

    /** The working directory inside a jail: a private tmpfs, gone with the child. */
    private static final Path JAILED_DIRECTORY = Path.of("/tmp");

    private final Process process;
    private final Optional<Path> directory;
    private final Optional<Path> dataDirectory;
    private final boolean confined;
    private final BufferedReader replies;
    private final OutputStream requests;
    private final StringBuilder diagnostics = new StringBuilder();
    private final long startedNanos;

    private ChildProcess(Process process, Optional<Path> directory, Optional<Path> dataDirectory, long startedNanos) {
        this.process = process;
        this.directory = directory;
        this.dataDirectory = dataDirectory;
        this.confined = directory.isEmpty();
        this.startedNanos = startedNanos;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = process.getOutputStream();
        Thread drain = new Thread(() -> drain(process.getErrorStream()), "sandbox-stderr-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Starts a child in the jail; it is usable once {@link #readReply()} has returned its ready line. It
     * sees the JDK, its class path and, if given, the data directory (read-only), and writes only to its
     * private directory.
     */
    static ChildProcess start(SandboxSettings settings, Jail jail, Optional<Path> dataDirectory) throws IOException {
        Path directory;
        if (jail.confined()) {
            directory = JAILED_DIRECTORY;  // a private tmpfs inside the jail
        } else {
            Path root = settings.workDirectory().orElse(Path.of(System.getProperty("java.io.tmpdir")));
            Files.createDirectories(root);
            directory = Files.createTempDirectory(root, "galapagos-sandbox-");
        }
        List<Path> classPath = ChildClassPath.entries();
        List<String> command = new ArrayList<>();
        command.add(Jail.javaExecutable());
        command.add("-Xmx" + settings.heapMegabytes() + "m");
        command.add("-Xms" + Math.min(64, settings.heapMegabytes()) + "m");
        // one core's worth of JVM threads per slot, and no files outside the private directory
        command.addAll(Jail.jvmOptions());
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-XX:-UsePerfData",
                "-XX:ErrorFile=" + directory.resolve("hs_err_%p.log"),
                "-Djava.io.tmpdir=" + directory, "-Duser.home=" + directory, "-Djava.awt.headless=true",
                "-Dfile.encoding=UTF-8"));
        command.addAll(settings.extraJvmOptions());
        command.addAll(List.of("-cp", classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                SandboxChild.class.getName(), Integer.toString(settings.outputCapBytes()),
                Integer.toString(settings.heapMegabytes())));
        List<Path> readOnly = new ArrayList<>(Jail.javaRuntime());
        readOnly.addAll(classPath);
        dataDirectory.ifPresent(readOnly::add);
        // nothing of the parent's environment: no API keys, no JAVA_TOOL_OPTIONS
        ProcessBuilder builder = jail.processBuilder(command, JailSpec.of(readOnly, directory,
                settings.jail().limits().forHeap(settings.heapMegabytes())));
        long started = System.nanoTime();
        try {
            return new ChildProcess(builder.start(), jail.confined() ? Optional.empty() : Optional.of(directory),
                    dataDirectory, started);
        } catch (IOException e) {
            if (!jail.confined()) {
                deleteTree(directory);
            }
            throw e;
        }
    }

    /** Whether this child can read the source's files: it was started with its directory bound, or unjailed. */
    boolean sees(DataSource source) {
        return !(source instanceof DataSource.Directory directory) || !confined
                || dataDirectory.equals(Optional.of(directory.root()));
    }

    long pid() {
        return process.pid();
    }

    long startedNanos() {
        return startedNanos;
    }

    boolean alive() {
        return process.isAlive();
    }

    void send(ChildProtocol.Request request) throws IOException {
        try {
            byte[] line = (ChildProtocol.JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            requests.write(line);
            requests.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next protocol line; anything else the JVM wrote to stdout goes to the diagnostics. Empty at EOF. */
    Optional<ChildProtocol.Reply> readReply() {
        try {
            String line;
            while ((line = replies.readLine()) != null) {
                if (line.startsWith("{\"type\"")) {
                    return Optional.of(ChildProtocol.JSON.readValue(line, ChildProtocol.Reply.class));
                }
                note(line);
            }
        } catch (IOException e) {
            note("reading the child's replies failed: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Kills the child and everything it started, and removes its directory. */
    void kill() {
        try (Stream<ProcessHandle> descendants = process.descendants()) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
        try {
            process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // nothing more can be done than SIGKILL
        }
        directory.ifPresent(ChildProcess::deleteTree);
    }

    /** Exit code once dead, for crash messages. */
    Optional<Integer> exitCode() {
        try {
            return Optional.of(process.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS).exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }

    /** The last lines the JVM wrote outside the protocol (stderr, stray stdout). */
    synchronized String diagnostics() {
        return diagnostics.toString().strip();
    }

    private synchronized void note(String line) {
        diagnostics.append(line).append('\n');
        if (diagnostics.length() > DIAGNOSTICS_CAP) {
            diagnostics.delete(0, diagnostics.length() - DIAGNOSTICS_CAP);
        }
    }

    private void drain(InputStream stderr) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                note(line);
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the directory lives under the temporary directory
        }
    }
}
