package io.galapagos.deploy.engine;

import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.controller.report.RunHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a following client's output folder current while the run goes: new candidates go to
 * {@code candidates/}, {@code candidates.jsonl} and {@code history.csv} every few seconds, and {@code best/}
 * and the other result files are rewritten every {@code outputsEvery}, so a crashed run leaves recent
 * outputs. Each refresh reads what the journal added since the last (a {@link RunHistory.Reader}, which
 * keeps a long run's history small); the next one waits ten times as long as the refresh took, so a long
 * run does not spend its client on refreshing, but no more than {@link #MAX_PAUSE}, so a fast run's
 * outputs do not fall further behind with each refresh. The files written from the whole history wait
 * ten times as long as their last writing took, at least {@code outputsEvery}.
 */
public final class OutputRefresher implements AutoCloseable {

    /** The next refresh waits this many times the last one's duration, at least. */
    static final int PAUSE_PER_WORK = 10;

    /** The longest pause between two refreshes: the outputs lag the journal by about this much at most. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(OutputRefresher.class);

    private final Path out;
    private final RunTask task;
    private final Duration candidatesEvery;
    private final Duration outputsEvery;
    private final ScheduledExecutorService executor;
    /** Opened by the first refresh, on the refresher's thread. */
    private CandidateLog log;
    private final RunHistory.Reader reader;
    private final LifecycleLog.Where where;
    private boolean caughtUp;
    private long lastOutputsNanos;
    private long outputsPause;
    private volatile long lastRefreshMillis;

    private OutputRefresher(RunHistory.Reader reader, Path out, RunTask task, Duration candidatesEvery,
                            Duration outputsEvery, LifecycleLog.Where where) {
        this.out = out;
        this.task = task;
        this.candidatesEvery = candidatesEvery;
        this.outputsEvery = outputsEvery;
        this.where = where;
        this.reader = reader;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "galapagos-output-refresh");
            thread.setDaemon(true);
            return thread;
        });
        // close() ends refreshing at once rather than after the next pause
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = executor;
        this.lastOutputsNanos = System.nanoTime();
        this.outputsPause = outputsEvery.toNanos();
    }

    /**
     * Starts refreshing {@code out} from the run {@code reader} reads once {@code begin} completes: the first
     * refresh opens the candidate log and reads the journal from the start, which on a long run takes the
     * process's cores for seconds, so a resumed run's refreshes wait until it evaluates again.
     */
    public static OutputRefresher start(RunHistory.Reader reader, Path out, RunTask task, Duration candidatesEvery,
                                        Duration outputsEvery, LifecycleLog.Where where, CompletionStage<?> begin) {
        OutputRefresher refresher = new OutputRefresher(reader, out, task, candidatesEvery, outputsEvery, where);
        begin.whenComplete((done, error) -> refresher.schedule(0));
        return refresher;
    }

    /** Opens the candidate log, knowing the lines a previous process wrote; empty when that fails (tried again). */
    private boolean openLog() {
        if (log != null) {
            return true;
        }
        long opening = System.nanoTime();
        try {
            log = CandidateLog.open(out, task.programExtension());
        } catch (RuntimeException e) {
            LOG.debug("opening the candidate log in {} failed: {}", out, e.toString());
            return false;
        }
        // a resumed run's recovery of its outputs has parts: this one, and the first read below
        LifecycleLog.info(where, "candidate log opened", "millis", millisSince(opening));
        return true;
    }

    /** Whether the first refresh has opened the candidate log (tests). */
    boolean logOpened() {
        return log != null;
    }

    private void tick() {
        long start = System.nanoTime();
        boolean read = false;
        long outputsMillis = 0;
        try {
            if (!openLog()) {
                return;
            }
            // the log writes every failed proposal the history lists: the next read may count them instead
            RunHistory history = reader.readToWrite(Duration.ofMinutes(1));
            read = true;
            long readMillis = millisSince(start);
            int appended = log.append(history, candidate -> reader.full(candidate, Duration.ofMinutes(1)), true);
            if (!caughtUp) {
                caughtUp = true;
                LifecycleLog.info(where, "outputs caught up", "candidates", history.proposed(), "read-millis",
                        readMillis, "appended", appended, "millis", millisSince(start));
            }
            if (System.nanoTime() - lastOutputsNanos >= outputsPause) {
                long writing = System.nanoTime();
                task.writeOutputsWhileRunning(out, history);
                lastOutputsNanos = System.nanoTime();
                outputsMillis = millisSince(writing);
                // the page, chart and best/ are written from the whole history: less often as it grows
                outputsPause = Math.max(outputsEvery.toNanos(), PAUSE_PER_WORK * (lastOutputsNanos - writing));
            }
        } catch (RuntimeException e) {
            // the journal may be busy or the member leaving; the next tick or the summary writes the outputs
            LOG.debug("refreshing the outputs in {} failed: {}", out, e.toString());
        } finally {
            lastRefreshMillis = millisSince(start);
            // the whole-history writers have their own pause; a read that waited for an unreachable database
            // did no work: try again soon, not ten waits later
            long work = read ? lastRefreshMillis - outputsMillis : 0;
            schedule(nextPause(candidatesEvery.toMillis(), work));
        }
    }

    /**
     * The pause before the next refresh: ten times the work of this one, within {@code [every, MAX_PAUSE]}. A
     * refresh's work grows with what the journal added since the last, so an unbounded pause would let the
     * next refresh have even more to read and write, and the refresher fall further behind each time.
     */
    static long nextPause(long everyMillis, long workMillis) {
        return Math.max(everyMillis, Math.min(PAUSE_PER_WORK * workMillis, MAX_PAUSE.toMillis()));
    }

    private void schedule(long millis) {
        try {
            executor.schedule(this::tick, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed while refreshing: nothing more to do
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** How long the last refresh took, in milliseconds (read the history and write the files). */
    public long lastRefreshMillis() {
        return lastRefreshMillis;
    }

    /** Stops refreshing, waiting for a refresh under way: the summary then writes the final outputs alone. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.MINUTES)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
