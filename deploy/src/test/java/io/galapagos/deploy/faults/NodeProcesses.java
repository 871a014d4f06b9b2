package io.galapagos.deploy.faults;

import io.galapagos.deploy.Galapagos;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Child JVMs running {@code galapagos} commands on loopback, for fault tests: output captured to files
 * under {@code target/fault-tests}, killed with SIGKILL (their sandbox children too), and every child
 * stopped after each test. The output tails of every child are printed when a test fails.
 */
public final class NodeProcesses implements BeforeEachCallback, AfterEachCallback, TestWatcher {

    /** One child JVM. */
    /** A run's progress line: how many candidates it has evaluated. */
    private static final Pattern PROGRESS = Pattern.compile("running (\\d+)/");

    public static final class Child {
        private final String name;
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        Child(String name, Process process, Path stdout, Path stderr) {
            this.name = name;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        public String name() {
            return name;
        }

        public Process process() {
            return process;
        }

        public String stdout() {
            return read(stdout);
        }

        public String stderr() {
            return read(stderr);
        }

        /** SIGKILL to the node and to every process it started (its sandbox's child JVMs). */
        public void kill() {
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Sends a signal such as {@code STOP} or {@code CONT} to the node (not to its sandbox children). */
        public void signal(String signal) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
                if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * Waits until the run this child follows shows at least {@code evaluated} evaluations on its progress
         * line; fails at once when the child ends first.
         */
        public void awaitEvaluated(long evaluated, Duration timeout) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                Matcher progress = PROGRESS.matcher(stderr());
                long last = 0;
                while (progress.find()) {
                    last = Long.parseLong(progress.group(1));
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the run ended before it was stopped:\n" + stderr());
                }
                return last >= evaluated;
            });
        }

        /** Waits for the process to end by itself and returns its exit code. */
        public int awaitExit(Duration timeout) {
            await().atMost(timeout).until(() -> !process.isAlive());
            return process.exitValue();
        }

        String tail(int lines) {
            List<String> all = new ArrayList<>();
            all.addAll(read(stdout).lines().toList());
            all.add("-- stderr --");
            all.addAll(read(stderr).lines().toList());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final List<Child> children = new ArrayList<>();
    private Path directory = Path.of("target", "fault-tests");

    /** Free loopback ports, closed again at once (a child binds them a moment later). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where this test's output files go. */
    public Path directory() {
        return directory;
    }

    /** Starts {@code galapagos <arguments>} in a child JVM with this JVM's class path. */
    public Child start(String name, List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), Galapagos.class.getName()));
        command.addAll(arguments);
        try {
            Files.createDirectories(directory);
            Path stdout = directory.resolve(name + ".out");
            Path stderr = directory.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Child child = new Child(name, builder.start(), stdout, stderr);
            children.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the child's output holds {@code line}; fails early when it exits. */
    public static void awaitOutput(Child child, String line, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (child.stdout().contains(line)) {
                return true;
            }
            if (!child.process().isAlive()) {
                throw new AssertionError(child.name() + " exited with " + child.process().exitValue()
                        + " before printing '" + line + "':\n" + child.tail(60));
            }
            return false;
        });
    }

    public List<Child> children() {
        return List.copyOf(children);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        children.clear();
        directory = Path.of("target", "fault-tests", context.getRequiredTestClass().getSimpleName(),
                context.getRequiredTestMethod().getName());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (Child child : children) {
            System.err.println("==== " + child.name() + " (" + directory + ") ====\n" + child.tail(80));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Child child : children) {
            if (child.process().isAlive()) {
                child.kill();
            }
        }
    }
}
