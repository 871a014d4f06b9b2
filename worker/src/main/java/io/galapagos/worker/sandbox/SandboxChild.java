package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.WorkloadException;
import io.galapagos.simulators.compile.CandidateClasses;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CompiledCandidate;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Main class of a sandbox child JVM: reads requests from stdin, checks, loads and evaluates candidates
 * (their class files come from the pool's compiler, {@link CompilerChild}), writes replies to stdout.
 * The protocol keeps the original stdin/stdout; candidates see a capped
 * sink for System.out/err and an empty System.in, so nothing they print can corrupt the protocol.
 */
public final class SandboxChild {

    private static final int MAX_COMPILED = 8;
    private static final int MAX_FRAMES = 8;

    private final PrintStream protocol;
    private final CappedOutput prints;
    private final TaskRegistry tasks = TaskRegistry.load();
    private final Map<String, Evaluator<?>> evaluators = new HashMap<>();
    private final BytecodeCheck bytecode = BytecodeCheck.standard();
    private final Map<String, ClassLoader> apiLoaders = new HashMap<>();
    /** Class files received lately, by the digest of their bytes. */
    private final Map<String, CandidateClasses> compiled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CandidateClasses> eldest) {
            return size() > MAX_COMPILED;
        }
    };
    /** The bytecode check's verdict on compiled classes that are still kept. */
    private final Map<CandidateClasses, BytecodeCheck.Verdict> verdicts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CandidateClasses, BytecodeCheck.Verdict> eldest) {
            return size() > MAX_COMPILED;
        }
    };
    /** Loaded classes of candidates without static state, by their compiled classes (identity). */
    private final Map<CandidateClasses, CompiledCandidate<?>> stateless = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CandidateClasses, CompiledCandidate<?>> eldest) {
            return size() > MAX_COMPILED;
        }
    };
    private final ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "sandbox-child-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Thread evaluationThread = Thread.currentThread();
    /** The threads of the harness and the JVM, taken before any candidate ran: any other is the candidate's. */
    private Set<Thread> ownThreads = Set.of();

    /** The heap cap the parent set, for messages (the JVM's own figure leaves out a survivor space). */
    private final int heapMegabytes;

    private SandboxChild(PrintStream protocol, CappedOutput prints, int heapMegabytes) {
        this.heapMegabytes = heapMegabytes;
        this.protocol = protocol;
        this.prints = prints;
    }

    public static void main(String[] args) throws IOException {
        int outputCap = Integer.parseInt(args[0]);
        int heapMegabytes = Integer.parseInt(args[1]);
        // the reply channel is taken here, before any candidate class can load, and kept in a private field;
        // System.out and System.err become a capped sink that only feeds the feedback
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        BufferedReader requests = new BufferedReader(
                new InputStreamReader(new FileInputStream(FileDescriptor.in), StandardCharsets.UTF_8));
        CappedOutput prints = new CappedOutput(outputCap);
        PrintStream candidateOut = new PrintStream(prints, true, StandardCharsets.UTF_8);
        System.setOut(candidateOut);
        System.setErr(candidateOut);
        System.setIn(new ByteArrayInputStream(new byte[0]));

        SandboxChild child = new SandboxChild(protocol, prints, heapMegabytes);
        child.warmUp();
        child.send(ChildProtocol.Reply.ready(ProcessHandle.current().pid()));
        String line;
        while ((line = requests.readLine()) != null) {
            if (!line.isBlank()) {
                child.serve(ChildProtocol.REQUESTS.readValue(line, ChildProtocol.Request.class));
            }
        }
    }

    /** Loads the bytecode check's and the loader's classes before the first request, while idle. */
    private void warmUp() {
        try {
            CandidateClasses warm = new CandidateClasses("WarmUp", Map.of("WarmUp", warmUpClass()));
            bytecode.check(warm.classes(), Set.of());
            CandidateCompiler.load(warm, Runnable.class).get().run();
        } catch (CompilationException e) {
            throw new IllegalStateException("the sandbox cannot load a trivial class: " + e.getMessage(), e);
        }
        watchdog.prestartAllCoreThreads();
        ownThreads = Set.copyOf(liveThreads());
    }

    /** {@code public class WarmUp implements Runnable { public void run() { } }}, written without a compiler. */
    private static byte[] warmUpClass() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "WarmUp", null, "java/lang/Object",
                new String[]{"java/lang/Runnable"});
        MethodVisitor constructor = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        constructor.visitCode();
        constructor.visitVarInsn(Opcodes.ALOAD, 0);
        constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        constructor.visitInsn(Opcodes.RETURN);
        constructor.visitMaxs(0, 0);
        constructor.visitEnd();
        MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        run.visitInsn(Opcodes.RETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** Every live thread of this JVM that Java code can see. */
    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count;
        while ((count = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.asList(threads).subList(0, count);
    }

    /** Threads alive now that neither the JVM nor the harness started before the first candidate. */
    private int extraThreads() {
        int extra = 0;
        for (Thread thread : liveThreads()) {
            if (thread.isAlive() && !ownThreads.contains(thread)) {
                extra++;
            }
        }
        return extra;
    }

    private synchronized void send(ChildProtocol.Reply reply) throws IOException {
        protocol.println(ChildProtocol.REQUESTS.writeValueAsString(reply));
        protocol.flush();
        if (protocol.checkError()) {
            throw new IOException("the sandbox parent stopped reading");
        }
    }

    private void serve(ChildProtocol.Request request) throws IOException {
        prints.reset();
        try {
            run(request);
        } catch (RuntimeException | LinkageError e) {
            // a bug of the task or of the sandbox, not of the candidate: say so rather than die silently
            send(failure(request, request.cascade().get(0), EvaluationStatus.SANDBOX_CRASH,
                    "The sandbox failed while evaluating: " + e));
        }
    }

    private void run(ChildProtocol.Request request) throws IOException {
        Split first = request.cascade().get(0);
        Task<?> task = tasks.require(request.taskId());
        ScheduledFuture<?> stuck = watchdog.schedule(() -> reportStuck(request),
                request.softCompileMillis(), TimeUnit.MILLISECONDS);
        long compileNanos = 0;  // the pool's compiler made the class files; this child only checks and loads them
        CandidateClasses classes = known(new CandidateClasses(request.publicClass(), request.classes()));
        long bytecodeNanos;
        Supplier<?> candidate;
        try {
            // the bytecode decides what a candidate may reach; nothing of it is defined in this JVM before
            long checkStarted = System.nanoTime();
            BytecodeCheck.Verdict verdict = verdicts.computeIfAbsent(classes,
                    checked -> bytecode.check(checked.classes(), apiNames(task)));
            bytecodeNanos = System.nanoTime() - checkStarted;
            if (!verdict.passed()) {
                send(failure(request, first, EvaluationStatus.REJECTED,
                        "The candidate was rejected before it ran:\n" + verdict.message()));
                return;
            }
            candidate = candidates(task, classes);
        } catch (CompilationException e) {
            send(failure(request, first, EvaluationStatus.COMPILE_ERROR,
                    "The candidate does not have the required shape:\n" + e.getMessage()));
            return;
        } finally {
            stuck.cancel(false);
        }
        if (request.compileOnly()) {
            send(new ChildProtocol.Reply(ChildProtocol.Reply.COMPILED, request.id(), request.nonce(), first,
                    EvaluationStatus.OK, 0, Map.of(), "", List.of(), "", 0, 0, 0,
                    new ChildProtocol.Times(compileNanos, bytecodeNanos, 0)));
            return;
        }
        Evaluator<?> evaluator;
        try {
            evaluator = evaluator(task, request.data().toDataSource());
        } catch (WorkloadException e) {
            send(failure(request, first, EvaluationStatus.SANDBOX_CRASH,
                    "The workloads of task " + task.id() + " could not be loaded: " + e.getMessage()));
            return;
        }
        for (int i = 0; i < request.cascade().size(); i++) {
            Split split = request.cascade().get(i);
            stuck = watchdog.schedule(() -> reportStuck(request),
                    request.softDeadlinesMillis().get(i), TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            EvaluationReport report;
            try {
                report = evaluate(evaluator, candidate, split);
            } finally {
                stuck.cancel(false);
            }
            long splitNanos = System.nanoTime() - started;
            long elapsed = TimeUnit.NANOSECONDS.toMillis(splitNanos);
            System.out.flush();
            send(new ChildProtocol.Reply(ChildProtocol.Reply.SPLIT, request.id(), request.nonce(), split,
                    report.status(), report.score(), report.metrics(), report.feedback(),
                    request.details() ? report.runs() : List.of(), prints.text(), prints.total(), elapsed,
                    extraThreads(), i == 0 ? new ChildProtocol.Times(compileNanos, bytecodeNanos, splitNanos)
                    : new ChildProtocol.Times(0, 0, splitNanos)));
            if (!report.succeeded()) {
                return;
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private EvaluationReport evaluate(Evaluator evaluator, Supplier candidate, Split split) {
        try {
            return evaluator.evaluate(candidate, split);
        } catch (OutOfMemoryError e) {
            return EvaluationReport.failure(EvaluationStatus.MEMORY_EXCEEDED, "The candidate exhausted the sandbox heap ("
                    + heapMegabytes + " MB) on split " + split.label() + ": "
                    + e.getMessage() + ". Keep data structures bounded; do not accumulate per-tick history without limit.");
        } catch (StackOverflowError e) {
            return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR, "StackOverflowError on split "
                    + split.label() + ": the recursion never ends or is too deep. " + candidateFrames(e.getStackTrace())
                    + " Use a loop or bound the recursion depth.");
        } catch (VirtualMachineError e) {
            return EvaluationReport.failure(EvaluationStatus.SANDBOX_CRASH, "The sandbox JVM failed on split "
                    + split.label() + ": " + e);
        } catch (Throwable e) {
            // also checked exceptions thrown sneakily past the interface's signature
            return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR, "The candidate failed on split "
                    + split.label() + ": " + describeSafely(e));
        }
    }

    /** A candidate's exception may override toString to throw or never end: the deadline covers the latter. */
    private static String describeSafely(Throwable e) {
        try {
            return CandidateFailures.describe(e);
        } catch (RuntimeException | StackOverflowError again) {
            return e.getClass().getName() + " (its message could not be read: " + again.getClass().getName() + ")";
        }
    }

    /**
     * The one kept instance for these class files (equal names and bytes), so that the bytecode check's
     * verdict and a stateless candidate's loaded classes are found again for the same candidate; the
     * digest is of the bytes themselves, so no other candidate's verdict can stand for them.
     */
    private CandidateClasses known(CandidateClasses classes) {
        String digest = digest(classes);
        CandidateClasses kept = compiled.get(digest);
        if (kept != null && sameBytes(kept, classes)) {
            return kept;
        }
        compiled.put(digest, classes);
        return classes;
    }

    private static String digest(CandidateClasses classes) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        sha.update(classes.publicClass().getBytes(StandardCharsets.UTF_8));
        for (String name : new TreeSet<>(classes.classes().keySet())) {
            byte[] bytes = classes.classes().get(name);
            sha.update(ByteBuffer.allocate(2 * Integer.BYTES).putInt(name.length()).putInt(bytes.length).array());
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static boolean sameBytes(CandidateClasses a, CandidateClasses b) {
        if (!a.publicClass().equals(b.publicClass()) || !a.classes().keySet().equals(b.classes().keySet())) {
            return false;
        }
        return a.classes().entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.classes().get(e.getKey())));
    }

    /**
     * The candidate's classes, in a loader that sees only the task's API and the allow-listed JDK. A
     * candidate with static state gets fresh classes for every evaluation, and for every simulated run
     * where the task's original evaluator starts a process per run, so that nothing survives from one to
     * the next; one without (the usual case) has nothing to carry, and its loaded classes are kept, warm,
     * for the next evaluation of the same source.
     */
    private <C> Supplier<C> candidates(Task<C> task, CandidateClasses classes) throws CompilationException {
        ClassLoader visible = apiLoaders.computeIfAbsent(task.id(),
                id -> new CandidateApiLoader(task.candidateApiTypes(), CandidateAllowList.standard()));
        boolean stateful = StaticState.declaredBy(classes);
        if (!stateful) {
            @SuppressWarnings("unchecked")
            CompiledCandidate<C> kept = (CompiledCandidate<C>) stateless.get(classes);
            if (kept == null) {
                kept = CandidateCompiler.load(classes, task.candidateType(), visible);
                stateless.put(classes, kept);
            }
            return kept;
        }
        CompiledCandidate<C> fresh = CandidateCompiler.load(classes, task.candidateType(), visible);
        if (!task.isolatesRuns()) {
            return fresh;
        }
        return () -> {
            try {
                return CandidateCompiler.load(classes, task.candidateType(), visible).get();
            } catch (CompilationException e) {
                throw new IllegalStateException("the candidate loaded once and then no more: " + e.getMessage(), e);
            }
        };
    }

    private static Set<String> apiNames(Task<?> task) {
        Set<String> names = new HashSet<>();
        task.candidateApiTypes().forEach(type -> names.add(type.getName()));
        return names;
    }

    private Evaluator<?> evaluator(Task<?> task, DataSource source) {
        String key = task.id() + "\u0000" + source;
        Evaluator<?> known = evaluators.get(key);
        if (known == null) {
            known = task.evaluator(source);
            evaluators.put(key, known);
        }
        return known;
    }

    /** Runs on the watchdog thread when the deadline is near: says where the candidate is spinning. */
    private void reportStuck(ChildProtocol.Request request) {
        String where = candidateFrames(evaluationThread.getStackTrace());
        try {
            send(new ChildProtocol.Reply(ChildProtocol.Reply.STUCK, request.id(), request.nonce(), null,
                    EvaluationStatus.TIMEOUT, Double.NEGATIVE_INFINITY, Map.of(), where, List.of(), prints.text(),
                    prints.total(), 0, 0, ChildProtocol.Times.NONE));
        } catch (IOException e) {
            // the parent kills this JVM at the hard deadline either way
        }
    }

    /** {@code The candidate was at Loop.step(Loop.java:7) <- ...}: frames of classes in the unnamed package. */
    static String candidateFrames(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            if (!frame.getClassName().contains(".") && frames.size() < MAX_FRAMES) {
                frames.add(frame.toString());
            }
        }
        return frames.isEmpty() ? "" : "The candidate was at " + String.join(" <- ", frames) + ".";
    }

    private static ChildProtocol.Reply failure(ChildProtocol.Request request, Split split, EvaluationStatus status,
                                               String message) {
        return new ChildProtocol.Reply(ChildProtocol.Reply.SPLIT, request.id(), request.nonce(), split, status,
                Double.NEGATIVE_INFINITY, Map.of(), message, List.of(), "", 0, 0, 0, ChildProtocol.Times.NONE);
    }
}
