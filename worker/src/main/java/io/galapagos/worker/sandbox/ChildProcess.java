package io.galapagos.worker.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.galapagos.protocol.Printable;
import io.galapagos.simulators.DataSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
    /** Longest protocol line the parent reads (a reply with one entry per run of a large split fits). */
    static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;
    /** Longest line of the child's stderr kept for diagnostics. */
    private static final int MAX_DIAGNOSTIC_LINE = 4 * 1024;

    /** The working directory inside a jail: a private tmpfs, gone with the child. */
    private static final Path JAILED_DIRECTORY = Path.of("/tmp");

    private final Process process;
    private final Optional<Path> directory;
    private final Optional<Path> dataDirectory;
    private final boolean confined;
    private final BoundedLineReader replies;
    private final OutputStream requests;
    private final StringBuilder diagnostics = new StringBuilder();
    private final long startedNanos;

    private ChildProcess(Process process, Optional<Path> directory, Optional<Path> dataDirectory, long startedNanos) {
        this.process = process;
        this.directory = directory;
        this.dataDirectory = dataDirectory;
        this.confined = directory.isEmpty();
        this.startedNanos = startedNanos;
        this.replies = new BoundedLineReader(process.getInputStream(), MAX_REPLY_BYTES);
        this.requests = process.getOutputStream();
        Thread drain = new Thread(() -> drain(process.getErrorStream()), "sandbox-stderr-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Starts a child in the jail; it is usable once {@link #readReply()} has returned its ready line. It
     * sees the JDK, its class path and, if given, the data directory (read-only), and writes only to its
     * private directory. With {@code quickJit} it runs the client compiler only ({@link #QUICK_JIT}, see
     * {@link ChildJit}).
     */
    static ChildProcess start(SandboxSettings settings, Jail jail, Optional<Path> dataDirectory, boolean quickJit)
            throws IOException {
        return start(settings, jail, dataDirectory, SandboxChild.class, childArguments(settings),
                quickJit ? QUICK_JIT : List.of());
    }

    /** Starts the pool's compiler in the jail: it sees the JDK and its class path, and no data. */
    static ChildProcess startCompiler(SandboxSettings settings, Jail jail) throws IOException {
        return startCompiler(settings, jail, false);
    }

    /**
     * The same; with {@code quickJit}, javac runs with the client compiler only ({@link #QUICK_JIT}), which
     * makes its first few hundred compiles cheaper than the optimising compiler's warm-up.
     */
    static ChildProcess startCompiler(SandboxSettings settings, Jail jail, boolean quickJit) throws IOException {
        return start(settings, jail, Optional.empty(), CompilerChild.class, List.of(),
                quickJit ? QUICK_JIT : List.of());
    }

    /** The JIT options of a quick compiler or child JVM. */
    static final List<String> QUICK_JIT = List.of("-XX:TieredStopAtLevel=1");

    private static ChildProcess start(SandboxSettings settings, Jail jail, Optional<Path> dataDirectory,
                                      Class<?> main, List<String> arguments, List<String> jvmOptions)
            throws IOException {
        Path directory;
        if (jail.confined()) {
            directory = JAILED_DIRECTORY;  // a private tmpfs inside the jail
        } else {
            Path root = settings.workDirectory().orElse(Path.of(System.getProperty("java.io.tmpdir")));
            Files.createDirectories(root);
            directory = Files.createTempDirectory(root, "galapagos-sandbox-");
        }
        List<Path> classPath = ChildClassPath.entries();
        Optional<Path> archive = ClassDataArchive.find(main);
        List<String> command = command(settings, directory, archive, main, arguments, jvmOptions);
        List<Path> readOnly = new ArrayList<>(Jail.javaRuntime());
        readOnly.addAll(classPath);
        archive.ifPresent(readOnly::add);
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

    /**
     * The JVM command of a child or compiler: its heap, one core's worth of JVM threads, no files outside
     * {@code directory}, and the class-data archive of {@code main} when there is one.
     */
    static List<String> command(SandboxSettings settings, Path directory, Optional<Path> archive, Class<?> main,
                                List<String> arguments) {
        return command(settings, directory, archive, main, arguments, List.of());
    }

    /** The same with {@code jvmOptions} before the configured extra options (which may override them). */
    static List<String> command(SandboxSettings settings, Path directory, Optional<Path> archive, Class<?> main,
                                List<String> arguments, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Jail.javaExecutable());
        command.add("-Xmx" + settings.heapMegabytes() + "m");
        command.add("-Xms" + Math.min(64, settings.heapMegabytes()) + "m");
        command.addAll(Jail.jvmOptions());
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-XX:-UsePerfData",
                "-XX:ErrorFile=" + directory.resolve("hs_err_%p.log"),
                "-Djava.io.tmpdir=" + directory, "-Duser.home=" + directory, "-Djava.awt.headless=true",
                "-Dfile.encoding=UTF-8"));
        archive.ifPresent(file -> command.add("-XX:SharedArchiveFile=" + file));
        command.addAll(jvmOptions);
        command.addAll(settings.extraJvmOptions());
        command.addAll(List.of("-cp", ChildClassPath.entries().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)), main.getName()));
        command.addAll(arguments);
        return command;
    }

    /** The arguments of {@link SandboxChild#main}. */
    static List<String> childArguments(SandboxSettings settings) {
        return List.of(Integer.toString(settings.outputCapBytes()), Integer.toString(settings.heapMegabytes()));
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

    /** Writes one request line ({@link ChildProtocol.Request} or {@link ChildProtocol.CompileRequest}). */
    void send(Object request) throws IOException {
        try {
            byte[] line = (ChildProtocol.REQUESTS.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            requests.write(line);
            requests.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the parent got from the child: a reply, the end of its output, or a line it cannot believe. */
    sealed interface Received permits Received.Reply, Received.End, Received.Malformed {
        record Reply(ChildProtocol.Reply reply) implements Received {
        }

        record End() implements Received {
        }

        /** Too long, not the protocol's JSON, or with fields the protocol does not have. */
        record Malformed(String why) implements Received {
        }
    }

    /**
     * The next protocol line; anything else the JVM wrote to stdout (it never starts with the protocol's
     * {@code {"type"}) goes to the diagnostics.
     */
    Received receive() {
        Object next = receive(ChildProtocol.Reply.class);
        return next instanceof ChildProtocol.Reply reply ? new Received.Reply(reply) : (Received) next;
    }

    /** The compiler's next reply; {@link Received.End} or {@link Received.Malformed} otherwise. */
    Object receiveCompiled() {
        return receive(ChildProtocol.CompileReply.class);
    }

    /** A {@code type} read from the next protocol line, or an {@link Received.End} or {@link Received.Malformed}. */
    private Object receive(Class<?> type) {
        try {
            Optional<BoundedLineReader.Line> next;
            while ((next = replies.next()).isPresent()) {
                BoundedLineReader.Line line = next.get();
                if (line.truncated()) {
                    return new Received.Malformed("a line of more than " + MAX_REPLY_BYTES + " bytes");
                }
                if (!line.text().startsWith("{\"type\"")) {
                    note(Printable.escape(abbreviate(line.text())));
                    continue;
                }
                try {
                    return ChildProtocol.REPLIES.readValue(line.text(), type);
                } catch (JsonProcessingException e) {
                    return new Received.Malformed("a reply that is not the protocol's: "
                            + Printable.escape(abbreviate(e.getOriginalMessage())));
                }
            }
        } catch (IOException e) {
            note("reading the child's replies failed: " + e.getMessage());
        }
        return new Received.End();
    }

    /** The next protocol reply, for the ready line; empty at the end or on anything malformed. */
    Optional<ChildProtocol.Reply> readReply() {
        Received received = receive();
        if (received instanceof Received.Malformed malformed) {
            note(malformed.why());
        }
        return received instanceof Received.Reply reply ? Optional.of(reply.reply()) : Optional.empty();
    }

    private static String abbreviate(String text) {
        return text.length() > MAX_DIAGNOSTIC_LINE ? text.substring(0, MAX_DIAGNOSTIC_LINE) + "..." : text;
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
        try (stderr) {
            BoundedLineReader lines = new BoundedLineReader(stderr, MAX_DIAGNOSTIC_LINE);
            Optional<BoundedLineReader.Line> line;
            while ((line = lines.next()).isPresent()) {
                note(Printable.escape(line.get().text()) + (line.get().truncated() ? "..." : ""));
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
