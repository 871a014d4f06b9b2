package io.galapagos.worker.external;

import io.galapagos.protocol.Printable;
import io.galapagos.worker.sandbox.BoundedLineReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One jailed evaluator process seen from the worker: bounded reads of its stdout, a capped tail of its log
 * (stdout lines that are not results, and stderr), a budget on everything it prints, and a kill of its whole
 * process tree.
 */
final class EvaluatorProcess {

    private final Process process;
    private final Optional<Path> hostDirectory;
    private final BoundedLineReader stdout;
    private final OutputStream stdin;
    private final int logCap;
    private final long maxOutput;
    private final AtomicLong printed = new AtomicLong();
    private final StringBuilder log = new StringBuilder();
    private volatile boolean killed;
    private volatile boolean flooded;

    EvaluatorProcess(Process process, Optional<Path> hostDirectory, int maxLine, int logCap, long maxOutput) {
        this.process = process;
        this.hostDirectory = hostDirectory;
        this.stdout = new BoundedLineReader(process.getInputStream(), maxLine);
        this.stdin = process.getOutputStream();
        this.logCap = logCap;
        this.maxOutput = maxOutput;
        Thread drain = new Thread(() -> drain(process.getErrorStream()), "external-evaluator-stderr-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    /** The next line of stdout, empty at its end (or once the process printed more than it may). */
    Optional<BoundedLineReader.Line> nextLine() {
        try {
            Optional<BoundedLineReader.Line> line = stdout.next();
            if (line.isPresent() && printed.addAndGet(line.get().bytes() + 1) > maxOutput) {
                flooded = true;
                kill();
                return Optional.empty();
            }
            return line;
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes one line to stdin; false when the process no longer reads. */
    boolean send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    boolean killed() {
        return killed;
    }

    /** Whether it printed more than its budget and was killed for it. */
    boolean flooded() {
        return flooded;
    }

    long printed() {
        return printed.get();
    }

    /** Its exit code, waiting at most a few seconds (its stdout has ended). */
    Optional<Integer> exitCode() {
        try {
            return Optional.of(process.onExit().get(5, TimeUnit.SECONDS).exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /** Kills it and everything it started (in a jail: its PID namespace), and removes its host directory. */
    void kill() {
        killed = true;
        try (Stream<ProcessHandle> descendants = process.descendants()) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // nothing more can be done than SIGKILL
        }
        hostDirectory.ifPresent(EvaluatorProcess::deleteTree);
    }

    /** Adds a stdout line that is not a result to the log. */
    void note(BoundedLineReader.Line line) {
        append(Printable.escape(line.text()) + (line.truncated() ? "..." : ""));
    }

    /** The log since the last {@link #clearLog()}: its last {@code logCap} characters, escaped. */
    synchronized String log() {
        return log.toString().strip();
    }

    synchronized void clearLog() {
        log.setLength(0);
        printed.set(0);
    }

    private synchronized void append(String line) {
        log.append(line).append('\n');
        if (log.length() > logCap) {
            log.delete(0, log.length() - logCap);
        }
    }

    private void drain(InputStream stderr) {
        try (stderr) {
            BoundedLineReader lines = new BoundedLineReader(stderr, logCap);
            Optional<BoundedLineReader.Line> line;
            while ((line = lines.next()).isPresent()) {
                append(Printable.escape(line.get().text()) + (line.get().truncated() ? "..." : ""));
                if (printed.addAndGet(line.get().bytes() + 1) > maxOutput) {
                    flooded = true;
                    kill();
                    return;
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the directory lives under the temporary directory
        }
    }
}
