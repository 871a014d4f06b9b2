package io.galapagos.deploy.cluster;

import io.galapagos.deploy.Galapagos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A {@code galapagos node} in a child JVM on the test class path. Its stdout lines are collected, its
 * stderr goes to a log file; {@link #awaitUp} waits for the one line a node prints once it is Up.
 */
public final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Path log;

    private NodeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone; what it printed is kept
            }
        }, "node-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code galapagos <args>} in a child JVM; stderr goes to {@code log}. */
    public static NodeProcess start(Path log, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // the application's logging (to stderr), not the tests' (to stdout): stdout is the node's own lines
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), Galapagos.class.getName()));
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new NodeProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port that was free a moment ago on loopback. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the node's "up at" line and returns it. */
    public String awaitUp(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .failFast("the node exited with " + (process.isAlive() ? "" : process.exitValue()) + ", see " + log,
                        () -> !process.isAlive())
                .until(() -> lines.stream().anyMatch(l -> l.startsWith("galapagos node: up at ")));
        return lines.stream().filter(l -> l.startsWith("galapagos node: up at ")).findFirst().orElseThrow();
    }

    public List<String> stdout() {
        return List.copyOf(lines);
    }

    public Process process() {
        return process;
    }

    /** SIGTERM: the node leaves the cluster gracefully; returns its exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the node did not stop within " + timeout + " after SIGTERM, see " + log);
        }
        return process.exitValue();
    }

    /** SIGKILL, if it still runs. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
