package io.galapagos.worker.sandbox;

import io.galapagos.protocol.Printable;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.compile.CandidateClasses;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's compiler: a few jailed JVMs ({@link CompilerChild}) that compile candidates' sources and
 * never run any, so they stay warm, and a cache of their results by source. The slots' children only
 * check and load the class files they are given; the bytecode check that decides what a candidate may
 * reach runs there, on the very bytes that are defined.
 */
final class SandboxCompiler implements AutoCloseable {

    /** Compiled sources kept: a candidate's class files are a few kilobytes; its source is at most max-source. */
    static final int CACHE_ENTRIES = 256;
    /**
     * Compiles a compiler JVM does with the client compiler only before a JVM with the optimising one
     * replaces it. Measured on Can't-Be-Late (CPU of the JVM per compile): client only 91, 68, 63 ms for
     * compiles 1-100, 101-200, 201-300, then 60; tiered 162, 112, 94, 72, 70, 64 ms for the first 600,
     * still falling. A short run's compilers stay quick; a long run's pay the optimiser's warm-up once.
     */
    static final int QUICK_COMPILES = 300;
    /** Most class files one compilation unit may produce before the reply is not believed. */
    private static final int MAX_CLASSES = 4096;

    private final SandboxSettings settings;
    private final Jail jail;
    private final ScheduledExecutorService timer;
    private final CompileCache cache;
    private final BlockingQueue<Process> idle = new LinkedBlockingQueue<>();
    private final List<Process> all = new ArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final SecureRandom nonces = new SecureRandom();
    /**
     * Every compiler JVM is started from this one thread, which lives as long as the pool: the jail kills a
     * process when the thread that started it ends (a short-lived thread would take its compiler with it).
     */
    private final ExecutorService launcher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sandbox-compiler-launcher");
        thread.setDaemon(true);
        launcherThread = thread;
        return thread;
    });
    private volatile Thread launcherThread;
    private volatile boolean closed;

    SandboxCompiler(SandboxSettings settings, Jail jail, int processes, ScheduledExecutorService timer) {
        this.settings = settings;
        this.jail = jail;
        this.timer = timer;
        this.cache = new CompileCache(CACHE_ENTRIES, fingerprint());
        for (int i = 0; i < processes; i++) {
            Process process = new Process();
            all.add(process);
            idle.add(process);
        }
    }

    /**
     * One compiler for every two slots. A compile (25-30 ms of CPU for Can't-Be-Late, warm) takes about as
     * long as a short evaluation in the child, so one compiler keeps two slots fed; a compiler JVM of its
     * own per slot paid its start and javac's warm-up twice. Can't-Be-Late's default run on 2 slots,
     * four rounds back to back: 9.9 / 10.1 / 11.8 / 11.0 s with one compiler against 12.9 / 11.0 / 12.5 /
     * 12.2 s with two. (When each compile took 80 ms or more, one shared compiler made the slots wait.)
     */
    static int processesFor(int slots) {
        return Math.max(1, (slots + 1) / 2);
    }

    /** The compiler's options and JDK, and every class path file by name, size and time. */
    private static String fingerprint() {
        StringBuilder print = new StringBuilder(CandidateCompiler.fingerprint());
        for (Path entry : ChildClassPath.entries()) {
            print.append('\n').append(entry);
            try {
                print.append(' ').append(Files.size(entry)).append(' ').append(Files.getLastModifiedTime(entry).toMillis());
            } catch (IOException e) {
                print.append(" unreadable");
            }
        }
        return print.toString();
    }

    /** Starts every compiler JVM in the background, so that the first candidates find them warm. */
    void warmInBackground() {
        launcher.execute(this::warm);
    }

    private void warm() {
        for (int i = 0; i < all.size() && !closed; i++) {
            Process process;
            try {
                process = idle.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                process.ensureStarted();
            } catch (IOException | RuntimeException e) {
                // the first candidate that needs it tries again and reports the failure
            } finally {
                idle.add(process);
            }
        }
    }

    /**
     * The class files of {@code source} or why there are none, from the cache or a compiler JVM. Blocks
     * while every compiler is busy; a compile gets the deadlines' {@code compile} time, then its JVM is killed.
     */
    Compilation compile(Task<?> task, String source) {
        CompileCache.Key key = cache.key(task.id(), source);
        var known = cache.find(key, task.id(), source);
        if (known.isPresent()) {
            return known.get();
        }
        Process process;
        try {
            process = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Compilation.Unavailable("the sandbox pool is closing");
        }
        try {
            Compilation compilation = process.compile(task.id(), source);
            cache.keep(key, task.id(), source, compilation);
            return compilation;
        } finally {
            idle.add(process);
        }
    }

    long cacheHits() {
        return cache.hits();
    }

    long cacheMisses() {
        return cache.misses();
    }

    /** Compiler JVMs started, the first of each included. */
    long started() {
        return started.get();
    }

    @Override
    public void close() {
        closed = true;
        launcher.shutdownNow();
        // without the lock: a slot may be waiting on a compile, which the kill ends
        all.forEach(Process::kill);
    }

    /** One compiler JVM, started when first needed and replaced after a failure or when worn. */
    private final class Process {
        private volatile ChildProcess child;
        private long busyMillis;
        /** Compiles this slot's JVMs did, all lives together: the first {@link #QUICK_COMPILES} run quick. */
        private long compiles;
        private boolean quick;

        synchronized void ensureStarted() throws IOException {
            if (closed) {
                throw new IOException("the sandbox pool is closed");
            }
            if (child != null && child.alive()) {
                return;
            }
            retire();
            started.incrementAndGet();
            boolean quickJit = compiles < QUICK_COMPILES;
            ChildProcess fresh = spawn(quickJit);
            ScheduledFuture<?> tooSlow = timer.schedule(fresh::kill, settings.startTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            var ready = fresh.readReply();
            tooSlow.cancel(false);
            if (ready.isEmpty() || !ChildProtocol.Reply.READY.equals(ready.get().type())) {
                fresh.kill();
                throw new IOException("the sandbox's compiler JVM did not become ready within "
                        + settings.startTimeout().toSeconds() + " s" + tail(fresh.diagnostics()));
            }
            child = fresh;
            quick = quickJit;
            busyMillis = 0;
        }

        private ChildProcess spawn(boolean quickJit) throws IOException {
            if (Thread.currentThread() == launcherThread) {
                return ChildProcess.startCompiler(settings, jail, quickJit);
            }
            try {
                return launcher.submit(() -> ChildProcess.startCompiler(settings, jail, quickJit)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the sandbox's compiler", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (RejectedExecutionException e) {
                throw new IOException("the sandbox pool is closed", e);
            }
        }

        void kill() {
            ChildProcess current = child;
            if (current != null) {
                current.kill();
            }
        }

        synchronized void retire() {
            ChildProcess current = child;
            child = null;
            if (current != null) {
                current.kill();
            }
        }

        synchronized Compilation compile(String taskId, String source) {
            try {
                ensureStarted();
            } catch (IOException | RuntimeException e) {
                return new Compilation.Unavailable(Printable.escape(String.valueOf(e.getMessage())));
            }
            ChildProcess current = child;
            long id = requestIds.incrementAndGet();
            String nonce = nonce();
            long begun = System.nanoTime();
            Duration deadline = settings.deadlines().compile();
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> kill = timer.schedule(() -> {
                expired.set(true);
                current.kill();
            }, deadline.toMillis(), TimeUnit.MILLISECONDS);
            Compilation compilation;
            try {
                current.send(new ChildProtocol.CompileRequest(id, nonce, taskId, source));
                compilation = read(current, id, nonce);
            } catch (IOException | RuntimeException e) {
                compilation = new Compilation.Unavailable("the compiler could not be reached: "
                        + Printable.escape(String.valueOf(e.getMessage())));
            } finally {
                kill.cancel(false);
            }
            busyMillis += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
            compiles++;
            if (expired.get()) {
                retire();
                return new Compilation.TimedOut(deadline);
            }
            // the kernel stops a JVM at its CPU-time limit: replace it at a quarter of it in wall time
            boolean worn = busyMillis >= settings.jail().limits().cpuTime().toMillis() / 4;
            // a long run's compiles go on in a JVM whose javac the optimising compiler makes faster
            boolean outgrown = quick && compiles >= QUICK_COMPILES;
            if (!compilation.cacheable() || worn || outgrown) {
                retire();
            }
            return compilation;
        }

        private Compilation read(ChildProcess current, long id, String nonce) {
            Object received = current.receiveCompiled();
            if (!(received instanceof ChildProtocol.CompileReply reply)) {
                String why = received instanceof ChildProcess.Received.Malformed malformed ? "it sent " + malformed.why()
                        : "its JVM died" + current.exitCode().map(code -> " (exit code " + code + ")").orElse("");
                return new Compilation.Unavailable("the compiler failed on this candidate: " + why
                        + tail(current.diagnostics()));
            }
            if (reply.id() != id || !nonce.equals(reply.nonce()) || reply.type() == null) {
                return new Compilation.Unavailable("the compiler answered another request");
            }
            List<CompilationException.Problem> problems = reply.problems() == null ? List.of() : reply.problems();
            return switch (reply.type()) {
                case ChildProtocol.CompileReply.CLASSES -> classes(reply);
                case ChildProtocol.CompileReply.ERRORS -> problems.isEmpty() || problems.contains(null)
                        ? new Compilation.Unavailable("the compiler reported a failure without its errors")
                        : new Compilation.Failed(problems);
                case ChildProtocol.CompileReply.TOO_DEEP -> new Compilation.TooDeep();
                case ChildProtocol.CompileReply.FAILED -> new Compilation.Unavailable("the compiler failed on this "
                        + "candidate: " + Printable.escape(problems.isEmpty() || problems.get(0) == null ? ""
                        : String.valueOf(problems.get(0).message())));
                default -> new Compilation.Unavailable("the compiler sent a reply of an unknown type");
            };
        }

        private Compilation classes(ChildProtocol.CompileReply reply) {
            Map<String, byte[]> classes = reply.classes();
            // whether the public class is among them is the child's to say, with the shape's message
            if (reply.publicClass() == null || classes == null || classes.size() > MAX_CLASSES
                    || classes.containsKey(null) || classes.containsValue(null)) {
                return new Compilation.Unavailable("the compiler sent class files that do not fit its source");
            }
            return new Compilation.Compiled(new CandidateClasses(reply.publicClass(), classes));
        }
    }

    private String nonce() {
        byte[] bytes = new byte[16];
        nonces.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String tail(String diagnostics) {
        if (diagnostics.isBlank()) {
            return "";
        }
        String text = diagnostics.length() > 1500 ? "..." + diagnostics.substring(diagnostics.length() - 1500) : diagnostics;
        return "; the JVM said:\n" + text;
    }
}
