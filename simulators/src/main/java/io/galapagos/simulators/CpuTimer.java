package io.galapagos.simulators;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Times a candidate's call for a score's time term so that the same program scores (nearly) the same:
 * the calling thread's CPU time, not wall-clock time, so that other processes on the machine do not
 * count, and the median of a few repeats, so that one slow call (class loading, JIT, a GC) does not.
 */
public final class CpuTimer {

    /** Calls per measurement; the median of three drops one outlier either way. */
    public static final int REPEATS = 3;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTimer() {
    }

    /**
     * The first call's result and the median CPU seconds of {@code repeats} calls. Each call should start
     * from fresh state (a new candidate instance, a copy of the input); a call that throws ends the
     * measurement with its exception.
     */
    public static <T> Timed<T> median(int repeats, Callable<T> call) throws Exception {
        return median(repeats, call, Function.identity());
    }

    /**
     * As {@link #median(int, Callable)}, with the first call's result passed through {@code keep} right
     * after that call, untimed: the evaluator's own copy, taken before a later call of the candidate
     * could change what the first one returned.
     */
    public static <T, R> Timed<R> median(int repeats, Callable<T> call, Function<? super T, R> keep) throws Exception {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        R first = null;
        long[] nanos = new long[repeats];
        for (int i = 0; i < repeats; i++) {
            long started = cpuNanos();
            T result = call.call();
            nanos[i] = cpuNanos() - started;
            if (i == 0) {
                first = keep.apply(result);
            }
        }
        Arrays.sort(nanos);
        return new Timed<>(first, nanos[repeats / 2] / 1e9);
    }

    /** The current thread's CPU time, or its wall-clock time where the JVM cannot measure CPU time. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** A call's result and its CPU seconds. */
    public record Timed<T>(T result, double seconds) {
    }
}
