package io.galapagos.deploy.engine;

import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.controller.report.RunHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a following client's output folder current while the run goes: new candidates go to
 * {@code candidates/}, {@code candidates.jsonl} and {@code history.csv} every few seconds, and {@code best/}
 * and the other result files are rewritten every {@code outputsEvery}, so a crashed run leaves recent
 * outputs. Each refresh reads what the journal added since the last (a {@link RunHistory.Reader}, which
 * keeps a long run's history small); the next one waits at least ten times as long as the refresh took,
 * so a long run does not spend its client on refreshing.
 */
public final class OutputRefresher implements AutoCloseable {

    /** The next refresh waits this many times the last one's duration, at least. */
    static final int PAUSE_PER_WORK = 10;

    private static final Logger LOG = LoggerFactory.getLogger(OutputRefresher.class);

    private final Path out;
    private final RunTask task;
    private final Duration candidatesEvery;
    private final Duration outputsEvery;
    private final ScheduledExecutorService executor;
    private final CandidateLog log;
    private final RunHistory.Reader reader;
    private final LifecycleLog.Where where;
    private boolean caughtUp;
    private long lastOutputsNanos;
    private volatile long lastRefreshMillis;

    private OutputRefresher(RunHistory.Reader reader, Path out, RunTask task, Duration candidatesEvery,
                            Duration outputsEvery, LifecycleLog.Where where) {
        this.out = out;
        this.task = task;
        this.candidatesEvery = candidatesEvery;
        this.outputsEvery = outputsEvery;
        this.where = where;
        long opening = System.nanoTime();
        this.log = CandidateLog.open(out, task.programExtension());
        // a resumed run's recovery time has parts: this one, and the first read below
        LifecycleLog.info(where, "candidate log opened", "millis", millisSince(opening));
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
    }

    /** Starts refreshing {@code out} from the run {@code reader} reads, the first time after {@code candidatesEvery}. */
    public static OutputRefresher start(RunHistory.Reader reader, Path out, RunTask task,
                                        Duration candidatesEvery, Duration outputsEvery, LifecycleLog.Where where) {
        OutputRefresher refresher = new OutputRefresher(reader, out, task, candidatesEvery, outputsEvery, where);
        refresher.executor.schedule(refresher::tick, candidatesEvery.toMillis(), TimeUnit.MILLISECONDS);
        return refresher;
    }

    private void tick() {
        long start = System.nanoTime();
        boolean read = false;
        try {
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
            if (System.nanoTime() - lastOutputsNanos >= outputsEvery.toNanos()) {
                task.writeOutputsWhileRunning(out, history);
                lastOutputsNanos = System.nanoTime();
            }
        } catch (RuntimeException e) {
            // the journal may be busy or the member leaving; the next tick or the summary writes the outputs
            LOG.debug("refreshing the outputs in {} failed: {}", out, e.toString());
        }
        lastRefreshMillis = (System.nanoTime() - start) / 1_000_000;
        // a read that waited for an unreachable database did no work: try again soon, not ten waits later
        long next = read ? Math.max(candidatesEvery.toMillis(), PAUSE_PER_WORK * lastRefreshMillis)
                : candidatesEvery.toMillis();
        try {
            executor.schedule(this::tick, next, TimeUnit.MILLISECONDS);
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
