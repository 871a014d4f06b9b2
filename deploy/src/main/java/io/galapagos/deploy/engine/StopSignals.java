package io.galapagos.deploy.engine;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM for a run: the first asks for a clean stop ({@link #requested()}), the
 * second, or a clean stop that overruns {@code grace}, ends the process at once. The JVM's own handling
 * would run every shutdown hook at the same time as the actor system still working, which printed pages
 * of stack traces and took seconds; handling the signals ourselves keeps the stop in order.
 */
public final class StopSignals implements AutoCloseable {

    /** A signal that stops a run, with the exit code a shell expects for it (128 + its number). */
    public enum Kind {
        INTERRUPT("INT", 130), TERMINATE("TERM", 143);

        private final String signal;
        private final int exitCode;

        Kind(String signal, int exitCode) {
            this.signal = signal;
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final CompletableFuture<Kind> requested = new CompletableFuture<>();
    private final List<Runnable> restore = new ArrayList<>();
    private final String atOnce;
    private final Duration grace;
    private final PrintStream err;

    private StopSignals(String atOnce, Duration grace, PrintStream err) {
        this.atOnce = atOnce;
        this.grace = grace;
        this.err = err;
    }

    /**
     * Takes over SIGINT and SIGTERM until {@link #close()}. {@code atOnce} is the line printed when the process
     * ends without a clean stop.
     */
    public static StopSignals install(String atOnce, Duration grace) {
        StopSignals signals = new StopSignals(atOnce, grace, System.err);
        for (Kind kind : Kind.values()) {
            try {
                Signal signal = new Signal(kind.signal);
                SignalHandler previous = Signal.handle(signal, s -> signals.received(kind));
                signals.restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                // a JVM run with -Xrs, or a platform without the signal: its default handling stays
            }
        }
        return signals;
    }

    /** Completes with the first signal received. */
    public CompletionStage<Kind> requested() {
        return requested;
    }

    private void received(Kind kind) {
        if (!requested.complete(kind)) {
            halt(requested.join().exitCode());
        }
        // a clean stop that overruns its grace ends the process anyway (the delayer's thread is a daemon)
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> halt(kind.exitCode()));
    }

    private void halt(int exitCode) {
        err.println(atOnce);
        err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(exitCode);
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
