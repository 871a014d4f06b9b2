package io.galapagos.worker.sandbox;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.noop.NoopCandidate;
import io.galapagos.worker.sandbox.BytecodeCheck.Verdict;
import io.galapagos.worker.sandbox.BytecodeCheck.Violation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

// integration lane: slow, compiles and checks some eighty candidates
@Tag("integration")
class BytecodeCheckTest {

    private static final CandidateCompiler COMPILER = new CandidateCompiler();
    private static final Set<String> NOOP_API = apiTypes(NoopCandidate.class);

    private final BytecodeCheck check = BytecodeCheck.standard();

    // ---- shipped candidates ----------------------------------------------------------------------

    static Stream<Arguments> shippedCandidates() {
        return TaskRegistry.load().all().stream().flatMap(task -> task.baselines().stream()
                .map(baseline -> Arguments.of(task.id() + "/" + baseline.name(), task, baseline)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedCandidates")
    void everyShippedCandidatePasses(String name, Task<?> task, Baseline baseline) throws CompilationException {
        Map<String, byte[]> classes = COMPILER.compileToBytes(baseline.source(), task.candidateType()).classes();

        Verdict verdict = check.check(classes, apiTypes(task.candidateType()));

        assertThat(verdict.violations()).as(verdict.message()).isEmpty();
    }

    @Test
    void everyTaskShipsCandidates() {
        assertThat(shippedCandidates().count()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void ordinaryJavaCompilesToAllowedBytecode() throws CompilationException {
        String source = String.join("\n",
                "import java.util.*;",
                "import java.util.function.*;",
                "import java.util.stream.*;",
                "import java.math.BigDecimal;",
                "import java.math.RoundingMode;",
                "public class Ordinary implements io.galapagos.simulators.noop.NoopCandidate {",
                "    enum Mode { FAST, SLOW }",
                "    record Pair(String name, int weight) implements Comparable<Pair> {",
                "        public int compareTo(Pair other) { return Integer.compare(weight, other.weight); }",
                "    }",
                "    static final class Box<T> { T value; Box(T value) { this.value = value; } }",
                "    static final class Resource implements AutoCloseable { public void close() { } }",
                "    private final Random random = new Random(42);",
                "    private final Map<String, List<Integer>> seen = new TreeMap<>();",
                "    private Mode mode = Mode.FAST;",
                "    public double value() {",
                "        assert mode != null : \"mode \" + mode;",
                "        List<Pair> pairs = new ArrayList<>(List.of(new Pair(\"a\", 2), new Pair(\"b\", 1)));",
                "        pairs.sort(Comparator.comparingInt(Pair::weight).thenComparing(Pair::name));",
                "        Collections.sort(pairs);",
                "        int total = 0;",
                "        for (Pair p : pairs) { total += p.weight(); }",
                "        Integer boxed = total; boxed++;",
                "        Map<String, Integer> byName = pairs.stream().collect(Collectors.toMap(Pair::name, Pair::weight));",
                "        double avg = IntStream.rangeClosed(1, 10).mapToDouble(i -> i * 1.5).average().orElse(0);",
                "        String joined = pairs.stream().map(Pair::toString).collect(Collectors.joining(\",\"));",
                "        String label = switch (mode) { case FAST -> \"f\"; case SLOW -> \"s\"; };",
                "        switch (label) { case \"f\": total += 1; break; case \"s\": total += 2; break; default: break; }",
                "        Runnable local = new Runnable() { public void run() { seen.computeIfAbsent(\"x\", k -> new ArrayList<>()).add(1); } };",
                "        local.run();",
                "        class Counter { int n; void inc() { n++; } }",
                "        Counter counter = new Counter(); counter.inc();",
                "        Box<String> box = new Box<>(String.format(Locale.ROOT, \"%.2f %s %d\", avg, joined, total));",
                "        try (Resource r = new Resource()) {",
                "            Integer.parseInt(box.value);",
                "        } catch (NumberFormatException | IllegalStateException e) {",
                "            total += e.getMessage() == null ? 0 : 1;",
                "        }",
                "        int[] grid = new int[3]; int[][] matrix = new int[2][2]; long[] copy = new long[4];",
                "        System.arraycopy(grid, 0, matrix[0], 0, 2);",
                "        Arrays.sort(grid); int[] cloned = grid.clone();",
                "        Deque<Integer> deque = new ArrayDeque<>(); deque.push(1);",
                "        PriorityQueue<Pair> queue = new PriorityQueue<>(Comparator.comparing(Pair::name).reversed()); queue.addAll(pairs);",
                "        BigDecimal money = BigDecimal.valueOf(avg).setScale(2, RoundingMode.HALF_UP);",
                "        Optional<Pair> first = pairs.stream().filter(p -> p.weight() > 1).findFirst();",
                "        Function<Integer, Integer> twice = x -> x * 2; BiFunction<Integer, Integer, Integer> add = Integer::sum;",
                "        Supplier<List<String>> fresh = ArrayList::new;",
                "        System.out.println(\"total=\" + total + \" \" + money + \" \" + first.map(Pair::name).orElse(\"-\") + twice.apply(add.apply(1, 2)) + fresh.get());",
                "        System.err.printf(\"%d%n\", sum(1, 2, 3));",
                "        if (mode.ordinal() > 5 || getClass().getSimpleName().isEmpty()) throw new IllegalArgumentException(\"never\");",
                "        long now = System.nanoTime() + random.nextInt(3) + Math.round(Math.sqrt(2));",
                "        return total + byName.size() + cloned.length + copy.length + (now > 0 ? 0 : 1) + Mode.valueOf(\"SLOW\").ordinal() + Mode.values().length;",
                "    }",
                "    private static int sum(int... values) { int s = 0; for (int v : values) s += v; return s; }",
                "    @Override public String toString() { return \"Ordinary\" + hashCode() + equals(this); }",
                "}",
                "");

        Verdict verdict = verdict(source);

        assertThat(verdict.violations()).as(verdict.message()).isEmpty();
    }

    // ---- hostile candidates ------------------------------------------------------------------------

    /** A candidate whose value() runs {@code statements}; the statements start on line 4. */
    private static String inValue(String statements) {
        return "public class Evil implements io.galapagos.simulators.noop.NoopCandidate {\n"
                + "    public double value() {\n"
                + "        try {\n"
                + statements + "\n"
                + "        } catch (Exception e) {\n"
                + "            throw new RuntimeException(e);\n"
                + "        }\n"
                + "        return 0;\n"
                + "    }\n"
                + "}\n";
    }

    /** A candidate with more members next to value(). */
    private static String withMembers(String members) {
        return "public class Evil implements io.galapagos.simulators.noop.NoopCandidate {\n"
                + "    public double value() { return 0; }\n"
                + members + "\n"
                + "}\n";
    }

    static Stream<Arguments> hostileCandidates() {
        return Stream.of(
                Arguments.of("new Thread", inValue("new Thread(() -> { }).start();"), "java.lang.Thread.<init>"),
                Arguments.of("Thread.start", inValue("Thread t = null; t.start();"), "java.lang.Thread.start"),
                Arguments.of("parallel stream on a List", inValue("java.util.List<Integer> l = new java.util.ArrayList<>(); l.parallelStream().count();"),
                        "java.util.List.parallelStream"),
                Arguments.of("parallel stream on an ArrayList", inValue("java.util.ArrayList<Integer> l = new java.util.ArrayList<>(); l.parallelStream().count();"),
                        "java.util.ArrayList.parallelStream"),
                Arguments.of("stream made parallel", inValue("java.util.stream.IntStream.range(0, 9).parallel().sum();"),
                        "java.util.stream.IntStream.parallel"),
                Arguments.of("Arrays.parallelSort", inValue("java.util.Arrays.parallelSort(new int[] {3, 1});"), "java.util.Arrays.parallelSort"),
                Arguments.of("CompletableFuture.runAsync", inValue("java.util.concurrent.CompletableFuture.runAsync(() -> { });"),
                        "java.util.concurrent.CompletableFuture.runAsync"),
                Arguments.of("SubmissionPublisher", inValue("new java.util.concurrent.SubmissionPublisher<String>().submit(\"x\");"),
                        "java.util.concurrent.SubmissionPublisher.<init>"),
                Arguments.of("Executors", inValue("java.util.concurrent.Executors.newSingleThreadExecutor();"),
                        "java.util.concurrent.Executors.newSingleThreadExecutor"),
                Arguments.of("ForkJoinPool.commonPool", inValue("java.util.concurrent.ForkJoinPool.commonPool().execute(() -> { });"),
                        "java.util.concurrent.ForkJoinPool.commonPool"),
                Arguments.of("Runtime.exec", inValue("Runtime.getRuntime().exec(\"ls\");"), "java.lang.Runtime.exec"),
                Arguments.of("ProcessBuilder", inValue("new ProcessBuilder(\"ls\").start();"), "java.lang.ProcessBuilder.<init>"),
                Arguments.of("Class.forName", inValue("Class.forName(\"java.lang.System\");"), "java.lang.Class.forName"),
                Arguments.of("getDeclaredFields", inValue("getClass().getDeclaredFields();"), "java.lang.Class.getDeclaredFields"),
                Arguments.of("getMethod", inValue("getClass().getMethod(\"value\");"), "java.lang.Class.getMethod"),
                Arguments.of("MethodHandles.lookup", inValue("java.lang.invoke.MethodHandles.lookup();"), "java.lang.invoke.MethodHandles.lookup"),
                Arguments.of("Thread::new as a Supplier", inValue("java.util.function.Supplier<Thread> s = Thread::new; s.get();"),
                        "java.lang.Thread.<init>"),
                Arguments.of("System::getenv as a Function", inValue("java.util.function.Function<String, String> f = System::getenv; f.apply(\"KEY\");"),
                        "java.lang.System.getenv"),
                Arguments.of("System.getProperty", inValue("System.getProperty(\"user.home\");"), "java.lang.System.getProperty"),
                Arguments.of("System.getenv", inValue("System.getenv(\"OPENAI_API_KEY\");"), "java.lang.System.getenv"),
                Arguments.of("System.exit", inValue("System.exit(0);"), "java.lang.System.exit"),
                Arguments.of("System.setOut", inValue("System.setOut(System.err);"), "java.lang.System.setOut"),
                Arguments.of("Integer.getInteger", inValue("Integer.getInteger(\"x\");"), "java.lang.Integer.getInteger"),
                Arguments.of("String.intern, a JVM-wide pool", inValue("String.valueOf(7).intern();"), "java.lang.String.intern"),
                Arguments.of("FileOutputStream on /proc/self/fd/1", inValue("new java.io.FileOutputStream(\"/proc/self/fd/1\").write(1);"),
                        "java.io.FileOutputStream.<init>"),
                Arguments.of("Files.readString", inValue("java.nio.file.Files.readString(java.nio.file.Path.of(\"/etc/passwd\"));"),
                        "java.nio.file.Files.readString"),
                Arguments.of("DocumentBuilderFactory", inValue("javax.xml.parsers.DocumentBuilderFactory.newInstance();"),
                        "javax.xml.parsers.DocumentBuilderFactory.newInstance"),
                Arguments.of("TransformerFactory", inValue("javax.xml.transform.TransformerFactory.newInstance();"),
                        "javax.xml.transform.TransformerFactory.newInstance"),
                Arguments.of("ToolProvider", inValue("javax.tools.ToolProvider.getSystemJavaCompiler();"),
                        "javax.tools.ToolProvider.getSystemJavaCompiler"),
                Arguments.of("javax.script", inValue("new javax.script.ScriptEngineManager().getEngineByName(\"js\");"),
                        "javax.script.ScriptEngineManager.<init>"),
                Arguments.of("Socket", inValue("new java.net.Socket(\"example.org\", 80).close();"), "java.net.Socket.<init>"),
                Arguments.of("URL", inValue("new java.net.URL(\"http://example.org\").openStream();"), "java.net.URL.<init>"),
                Arguments.of("scala.sys.process", inValue("scala.sys.process.Process$.MODULE$.apply(\"ls\").run();"),
                        "scala.sys.process.Process$.MODULE$"),
                Arguments.of("Jackson ObjectMapper", inValue("new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(this);"),
                        "com.fasterxml.jackson.databind.ObjectMapper.<init>"),
                Arguments.of("ThreadLocal", inValue("new ThreadLocal<String>().set(\"x\");"), "java.lang.ThreadLocal.<init>"),
                Arguments.of("Object.wait", inValue("Object lock = new Object(); synchronized (lock) { lock.wait(); }"), "java.lang.Object.wait"),
                Arguments.of("Cleaner", inValue("java.lang.ref.Cleaner.create();"), "java.lang.ref.Cleaner.create"),
                Arguments.of("Timer", inValue("new java.util.Timer().schedule(new java.util.TimerTask() { public void run() { } }, 1L);"),
                        "java.util.Timer.<init>"),
                Arguments.of("ThreadLocalRandom", inValue("java.util.concurrent.ThreadLocalRandom.current().nextInt();"),
                        "java.util.concurrent.ThreadLocalRandom.current"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCandidates")
    void hostileCandidateIsRejectedNamingWhatItUses(String name, String source, String forbidden) throws CompilationException {
        Verdict verdict = verdict(source);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.violations()).as(verdict.message())
                .anySatisfy(v -> {
                    assertThat(v.forbidden()).isEqualTo(forbidden);
                    assertThat(v.className()).isEqualTo("Evil");
                    assertThat(v.line()).isBetween(4, 6);
                    assertThat(v.reason()).isNotBlank();
                });
        assertThat(verdict.message()).contains(forbidden);
    }

    @Test
    void violationNamesClassMethodAndLine() throws CompilationException {
        Verdict verdict = verdict(inValue("System.getenv(\"OPENAI_API_KEY\");"));

        assertThat(verdict.violations()).containsExactly(new Violation("Evil", "value", 4, "java.lang.System.getenv",
                "environment variables are not available to candidates"));
        assertThat(verdict.message()).contains("line 4 (Evil.value): java.lang.System.getenv is not allowed");
    }

    @Test
    void newThreadIsReportedOnceAsItsConstructor() throws CompilationException {
        Verdict verdict = verdict(inValue("new Thread();"));

        assertThat(verdict.violations()).extracting(Violation::forbidden).containsExactly("java.lang.Thread.<init>");
        assertThat(verdict.violations().get(0).reason()).contains("simulator's thread");
    }

    @Test
    void parallelStreamInheritedByTheCandidatesOwnListIsRejected() throws CompilationException {
        Verdict verdict = verdict(withMembers(
                "    static final class Jobs extends java.util.ArrayList<Integer> {\n"
                        + "        long spread() { return this.parallelStream().count(); }\n"
                        + "    }\n"));

        assertThat(verdict.violations()).extracting(Violation::forbidden).contains("Evil$Jobs.parallelStream");
        assertThat(verdict.violations()).extracting(Violation::where).contains("spread");
    }

    @Test
    void downcastToTheSimulatorIsRejected() throws CompilationException {
        String source = String.join("\n",
                "package io.galapagos.simulators.cantbelate;",
                "public class Peek implements SpotStrategy {",
                "    public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {",
                "        if ((Object) env instanceof SingleRegionSimulator) { return ClusterType.SPOT; }",
                "        return ClusterType.ON_DEMAND;",
                "    }",
                "}",
                "");
        Map<String, byte[]> classes = COMPILER.compileToBytes(source, io.galapagos.simulators.cantbelate.SpotStrategy.class).classes();

        Verdict verdict = check.check(classes, apiTypes(io.galapagos.simulators.cantbelate.SpotStrategy.class));

        assertThat(verdict.violations()).extracting(Violation::forbidden)
                .containsExactly("io.galapagos.simulators.cantbelate.SingleRegionSimulator");
        assertThat(verdict.violations().get(0).reason()).contains("task's API");
    }

    @Test
    void waitOnTheCandidatesOwnMonitorIsRejected() throws CompilationException {
        Verdict verdict = verdict(inValue("wait(10);"));

        assertThat(verdict.violations()).extracting(Violation::forbidden).containsExactly("java.lang.Object.wait");
    }

    @Test
    void synchronizedBlockIsRejected() throws CompilationException {
        Verdict verdict = verdict(inValue("synchronized (System.out) { System.out.println(); }"));

        assertThat(verdict.violations()).extracting(Violation::forbidden).containsExactly("synchronized block");
    }

    @Test
    void assignmentToAnotherClassesFieldIsRejected() {
        Map<String, byte[]> classes = crafted(method -> {
            method.visitInsn(Opcodes.ACONST_NULL);
            method.visitFieldInsn(Opcodes.PUTSTATIC, "java/lang/System", "out", "Ljava/io/PrintStream;");
        });

        assertThat(check.check(classes, NOOP_API).violations()).extracting(Violation::forbidden)
                .containsExactly("assignment to java.lang.System.out");
    }

    @Test
    void finalizerIsRejected() throws CompilationException {
        Verdict verdict = verdict(withMembers("    @Override protected void finalize() { }\n"));

        assertThat(verdict.violations()).extracting(Violation::forbidden).containsExactly("finalize()");
        assertThat(verdict.violations().get(0).where()).isEqualTo("finalize");
    }

    @Test
    void nativeMethodIsRejected() throws CompilationException {
        Verdict verdict = verdict(withMembers("    private static native long peek(long address);\n"));

        assertThat(verdict.violations()).extracting(Violation::forbidden).containsExactly("native method peek");
    }

    @Test
    void classLoaderSubclassIsRejected() throws CompilationException {
        Verdict verdict = verdict(withMembers(
                "    static final class Loader extends ClassLoader {\n"
                        + "        Class<?> define(byte[] b) { return defineClass(null, b, 0, b.length); }\n"
                        + "    }\n"));

        assertThat(verdict.violations()).extracting(Violation::forbidden)
                .contains("java.lang.ClassLoader", "java.lang.ClassLoader.<init>", "java.lang.ClassLoader.defineClass");
    }

    @Test
    void unsafeIsRejected() {
        Map<String, byte[]> classes = crafted(method -> {
            method.visitMethodInsn(Opcodes.INVOKESTATIC, "sun/misc/Unsafe", "getUnsafe", "()Lsun/misc/Unsafe;", false);
            method.visitInsn(Opcodes.POP);
        });

        assertThat(check.check(classes, NOOP_API).violations()).extracting(Violation::forbidden)
                .containsExactly("sun.misc.Unsafe.getUnsafe");
    }

    @Test
    void h2HelperIsRejected() {
        Map<String, byte[]> classes = crafted(method -> {
            method.visitLdcInsn("java.lang.Runtime");
            method.visitLdcInsn("getRuntime");
            method.visitMethodInsn(Opcodes.INVOKESTATIC, "org/h2/util/Utils", "callStaticMethod",
                    "(Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/Object;", false);
            method.visitInsn(Opcodes.POP);
        });

        assertThat(check.check(classes, NOOP_API).violations()).extracting(Violation::forbidden)
                .containsExactly("org.h2.util.Utils.callStaticMethod");
    }

    @Test
    void invokeDynamicWithAnotherBootstrapIsRejected() {
        Handle bootstrap = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps", "invoke",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;Ljava/lang/invoke/MethodHandle;[Ljava/lang/Object;)Ljava/lang/Object;",
                false);
        Map<String, byte[]> classes = crafted(method -> {
            method.visitInvokeDynamicInsn("exit", "()V", bootstrap);
        });

        assertThat(check.check(classes, NOOP_API).violations()).extracting(Violation::forbidden)
                .containsExactly("invokedynamic with bootstrap java.lang.invoke.ConstantBootstraps.invoke");
    }

    @Test
    void lambdaBootstrapWithAForbiddenTargetIsRejected() {
        Handle bootstrap = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory", "metafactory",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                        + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
                false);
        Handle exit = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        Map<String, byte[]> classes = crafted(method -> {
            method.visitInvokeDynamicInsn("accept", "()Ljava/util/function/IntConsumer;", bootstrap,
                    org.objectweb.asm.Type.getType("(I)V"), exit, org.objectweb.asm.Type.getType("(I)V"));
            method.visitInsn(Opcodes.POP);
        });

        assertThat(check.check(classes, NOOP_API).violations()).extracting(Violation::forbidden)
                .containsExactly("java.lang.System.exit");
    }

    @Test
    void methodHandleConstantIsRejected() {
        Map<String, byte[]> classes = crafted(method -> {
            method.visitLdcInsn(new Handle(Opcodes.H_INVOKESTATIC, "java/lang/Math", "abs", "(I)I", false));
            method.visitInsn(Opcodes.POP);
        });

        assertThat(check.check(classes, NOOP_API).violations()).extracting(Violation::forbidden)
                .containsExactly("method handle constant java.lang.Math.abs");
    }

    @Test
    void classNamedLikeALibraryClassIsRejected() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "scala/sys/process/Process", null, "java/lang/Object", null);
        writer.visitEnd();

        Verdict verdict = check.check(Map.of("scala.sys.process.Process", writer.toByteArray()), NOOP_API);

        assertThat(verdict.violations()).extracting(Violation::forbidden).containsExactly("scala.sys.process.Process");
    }

    @Test
    void unreadableClassFileIsRejected() {
        Verdict verdict = check.check(Map.of("Evil", new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1}), NOOP_API);

        assertThat(verdict.passed()).isFalse();
    }

    /** No timing is asserted: the surefire report shows what 200 checks of a 370-line candidate cost. */
    @Test
    void aTypicalCandidateIsCheckedQuickly() throws CompilationException {
        Task<?> task = TaskRegistry.load().require("llm-sql");
        Map<String, byte[]> classes = COMPILER.compileToBytes(task.initialProgram().source(), task.candidateType()).classes();
        Set<String> api = apiTypes(task.candidateType());
        for (int i = 0; i < 200; i++) {
            assertThat(check.check(classes, api).passed()).isTrue();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Verdict verdict(String source) throws CompilationException {
        return check.check(COMPILER.compileToBytes(source, NoopCandidate.class).classes(), NOOP_API);
    }

    /** A hand-written candidate class {@code Crafted} whose value() runs {@code body}, then returns 0. */
    private static Map<String, byte[]> crafted(Consumer<MethodVisitor> body) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "Crafted", null, "java/lang/Object",
                new String[] {"io/galapagos/simulators/noop/NoopCandidate"});
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, "value", "()D", null, null);
        method.visitCode();
        body.accept(method);
        method.visitInsn(Opcodes.DCONST_0);
        method.visitInsn(Opcodes.DRETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return Map.of("Crafted", writer.toByteArray());
    }

    /**
     * The task's API as the binary names of the candidate interface and every io.galapagos type
     * reachable through public signatures (generic arguments included), transitively.
     */
    static Set<String> apiTypes(Class<?> candidateType) {
        Set<Class<?>> found = new LinkedHashSet<>();
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(candidateType));
        while (!pending.isEmpty()) {
            Class<?> type = pending.pop();
            if (!found.add(type)) {
                continue;
            }
            List<Type> mentioned = new java.util.ArrayList<>();
            for (Method method : type.getMethods()) {
                mentioned.add(method.getGenericReturnType());
                mentioned.addAll(List.of(method.getGenericParameterTypes()));
            }
            for (Field field : type.getFields()) {
                mentioned.add(field.getGenericType());
            }
            for (Type t : mentioned) {
                classesIn(t, pending);
            }
        }
        Set<String> names = new LinkedHashSet<>();
        found.forEach(c -> names.add(c.getName()));
        return names;
    }

    private static void classesIn(Type type, Deque<Class<?>> sink) {
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getName().startsWith("io.galapagos.")) {
                sink.push(element);
            }
        } else if (type instanceof ParameterizedType p) {
            classesIn(p.getRawType(), sink);
            for (Type argument : p.getActualTypeArguments()) {
                classesIn(argument, sink);
            }
        } else if (type instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).forEach(b -> classesIn(b, sink));
        } else if (type instanceof GenericArrayType a) {
            classesIn(a.getGenericComponentType(), sink);
        }
    }
}
