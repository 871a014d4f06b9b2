package io.galapagos.worker.sandbox;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import io.galapagos.protocol.EvolveBlocks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a candidate's source before anything runs: its shape, its size, the EVOLVE-BLOCK rule and a
 * deny list of APIs. Purely syntactic (no symbol resolution), so it errs on the side of refusing:
 * a false alarm costs one proposal, a miss would cost the sandbox's first line of defence.
 */
public final class StaticCheck {

    /** The rules, each with the reason a model reads next to the offending line. */
    public enum Rule {
        SIZE("size", "the source is too large"),
        SHAPE("shape", "a candidate is one compilation unit with exactly one public top-level class"),
        INTERFACE("interface", "the public class must implement the task's candidate interface"),
        CONSTRUCTOR("constructor", "the public class needs a public no-argument constructor"),
        EVOLVE_BLOCK("evolve-block", "only the lines between // EVOLVE-BLOCK-START and // EVOLVE-BLOCK-END may change"),
        FILES("files", "candidates may not touch files, paths or the console; keep state in fields"),
        NETWORK("network", "candidates may not use the network"),
        PROCESSES("processes", "candidates may not start, inspect or control processes (Runtime, ProcessBuilder)"),
        THREADS("threads", "candidates run on the simulator's thread: no threads, executors, timers, parallel streams or finalizers"),
        REFLECTION("reflection", "reflection, method handles and deserialization are not allowed"),
        CLASS_LOADING("class-loading", "candidates may not load classes, resources or services"),
        EXIT("exit", "a candidate may not stop the JVM; return a value instead"),
        ENVIRONMENT("environment", "environment variables and system properties are not available to candidates"),
        UNSAFE("unsafe", "sun.misc.Unsafe, JDK internals and the security manager are off limits"),
        NATIVE("native", "native code, libraries and desktop APIs are not allowed"),
        STANDARD_STREAMS("standard-streams", "candidates may print to System.out and System.err but not read stdin or replace the streams");

        private final String id;
        private final String reason;

        Rule(String id, String reason) {
            this.id = id;
            this.reason = reason;
        }

        public String id() {
            return id;
        }

        public String reason() {
            return reason;
        }
    }

    /** One problem: where, which rule, and what exactly was found. */
    public record Violation(int line, Rule rule, String found) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + found + " (rule " + rule.id() + ": " + rule.reason() + ")";
        }
    }

    /**
     * The verdict. {@code unparseable} carries the parser's problem when the source is not valid Java:
     * the compiler then gives the diagnostics (and the candidate is never run).
     */
    public record Verdict(List<Violation> violations, Optional<String> unparseable) {
        public Verdict {
            violations = List.copyOf(violations);
        }

        public boolean passed() {
            return violations.isEmpty() && unparseable.isEmpty();
        }

        /** The text of a {@code REJECTED} outcome. */
        public String message() {
            return "The candidate was rejected before it ran:\n"
                    + violations.stream().map(v -> "- " + v).collect(Collectors.joining("\n"));
        }
    }

    private static final int MAX_REPORTED = 10;

    /** Package prefixes refused wherever they appear: imports and qualified names. */
    private static final Map<String, Rule> PACKAGES = Map.ofEntries(
            Map.entry("java.nio.file", Rule.FILES),
            Map.entry("java.nio.channels", Rule.FILES),
            Map.entry("java.util.prefs", Rule.FILES),
            Map.entry("java.util.logging", Rule.FILES),
            Map.entry("java.util.jar", Rule.FILES),
            Map.entry("java.util.zip", Rule.FILES),
            Map.entry("java.net", Rule.NETWORK),
            Map.entry("javax.net", Rule.NETWORK),
            Map.entry("java.rmi", Rule.NETWORK),
            Map.entry("javax.naming", Rule.NETWORK),
            Map.entry("java.sql", Rule.NETWORK),
            Map.entry("javax.sql", Rule.NETWORK),
            Map.entry("java.lang.reflect", Rule.REFLECTION),
            Map.entry("java.lang.invoke", Rule.REFLECTION),
            Map.entry("java.beans", Rule.REFLECTION),
            Map.entry("java.lang.instrument", Rule.CLASS_LOADING),
            Map.entry("javax.script", Rule.CLASS_LOADING),
            Map.entry("javax.tools", Rule.CLASS_LOADING),
            Map.entry("java.lang.management", Rule.PROCESSES),
            Map.entry("javax.management", Rule.PROCESSES),
            Map.entry("sun", Rule.UNSAFE),
            Map.entry("com.sun", Rule.UNSAFE),
            Map.entry("jdk", Rule.UNSAFE),
            Map.entry("java.awt", Rule.NATIVE),
            Map.entry("javax.swing", Rule.NATIVE),
            Map.entry("javax.sound", Rule.NATIVE),
            Map.entry("javax.print", Rule.NATIVE),
            Map.entry("java.lang.foreign", Rule.NATIVE));

    /** Type names refused by simple name, qualified or not (the check cannot resolve imports of the same name). */
    private static final Map<String, Rule> TYPES = Map.ofEntries(
            Map.entry("File", Rule.FILES), Map.entry("Files", Rule.FILES), Map.entry("Path", Rule.FILES),
            Map.entry("Paths", Rule.FILES), Map.entry("FileSystem", Rule.FILES), Map.entry("FileSystems", Rule.FILES),
            Map.entry("FileInputStream", Rule.FILES), Map.entry("FileOutputStream", Rule.FILES),
            Map.entry("FileReader", Rule.FILES), Map.entry("FileWriter", Rule.FILES),
            Map.entry("RandomAccessFile", Rule.FILES), Map.entry("FileDescriptor", Rule.FILES),
            Map.entry("FileChannel", Rule.FILES), Map.entry("Console", Rule.FILES),
            Map.entry("PrintStream", Rule.FILES), Map.entry("PrintWriter", Rule.FILES),
            Map.entry("Formatter", Rule.FILES), Map.entry("Scanner", Rule.FILES),
            Map.entry("ZipFile", Rule.FILES), Map.entry("JarFile", Rule.FILES), Map.entry("FileHandler", Rule.FILES),
            Map.entry("Socket", Rule.NETWORK), Map.entry("ServerSocket", Rule.NETWORK),
            Map.entry("DatagramSocket", Rule.NETWORK), Map.entry("MulticastSocket", Rule.NETWORK),
            Map.entry("URL", Rule.NETWORK), Map.entry("URLConnection", Rule.NETWORK),
            Map.entry("HttpURLConnection", Rule.NETWORK), Map.entry("HttpClient", Rule.NETWORK),
            Map.entry("InetAddress", Rule.NETWORK), Map.entry("InetSocketAddress", Rule.NETWORK),
            Map.entry("SocketChannel", Rule.NETWORK), Map.entry("ServerSocketChannel", Rule.NETWORK),
            Map.entry("DatagramChannel", Rule.NETWORK), Map.entry("NetworkInterface", Rule.NETWORK),
            Map.entry("Runtime", Rule.PROCESSES), Map.entry("ProcessBuilder", Rule.PROCESSES),
            Map.entry("Process", Rule.PROCESSES), Map.entry("ProcessHandle", Rule.PROCESSES),
            Map.entry("Thread", Rule.THREADS), Map.entry("ThreadGroup", Rule.THREADS),
            Map.entry("Executors", Rule.THREADS), Map.entry("Executor", Rule.THREADS),
            Map.entry("ExecutorService", Rule.THREADS), Map.entry("ScheduledExecutorService", Rule.THREADS),
            Map.entry("ThreadPoolExecutor", Rule.THREADS), Map.entry("ScheduledThreadPoolExecutor", Rule.THREADS),
            Map.entry("ForkJoinPool", Rule.THREADS), Map.entry("ForkJoinTask", Rule.THREADS),
            Map.entry("RecursiveTask", Rule.THREADS), Map.entry("RecursiveAction", Rule.THREADS),
            Map.entry("CompletableFuture", Rule.THREADS), Map.entry("FutureTask", Rule.THREADS),
            Map.entry("ThreadFactory", Rule.THREADS), Map.entry("Timer", Rule.THREADS),
            Map.entry("TimerTask", Rule.THREADS), Map.entry("Cleaner", Rule.THREADS),
            Map.entry("Method", Rule.REFLECTION), Map.entry("Field", Rule.REFLECTION),
            Map.entry("Constructor", Rule.REFLECTION), Map.entry("AccessibleObject", Rule.REFLECTION),
            Map.entry("Proxy", Rule.REFLECTION), Map.entry("InvocationHandler", Rule.REFLECTION),
            Map.entry("MethodHandles", Rule.REFLECTION), Map.entry("MethodHandle", Rule.REFLECTION),
            Map.entry("MethodType", Rule.REFLECTION), Map.entry("VarHandle", Rule.REFLECTION),
            Map.entry("LambdaMetafactory", Rule.REFLECTION), Map.entry("ObjectInputStream", Rule.REFLECTION),
            Map.entry("ClassLoader", Rule.CLASS_LOADING), Map.entry("URLClassLoader", Rule.CLASS_LOADING),
            Map.entry("SecureClassLoader", Rule.CLASS_LOADING), Map.entry("ServiceLoader", Rule.CLASS_LOADING),
            Map.entry("ModuleLayer", Rule.CLASS_LOADING),
            Map.entry("Unsafe", Rule.UNSAFE), Map.entry("SecurityManager", Rule.UNSAFE),
            Map.entry("ProcessEnvironment", Rule.ENVIRONMENT));

    /** Method names refused on any receiver: the entry points of reflection, class loading and parallelism. */
    private static final Map<String, Rule> METHODS = Map.ofEntries(
            Map.entry("forName", Rule.REFLECTION), Map.entry("getDeclaredMethod", Rule.REFLECTION),
            Map.entry("getDeclaredMethods", Rule.REFLECTION), Map.entry("getMethod", Rule.REFLECTION),
            Map.entry("getMethods", Rule.REFLECTION), Map.entry("getDeclaredField", Rule.REFLECTION),
            Map.entry("getDeclaredFields", Rule.REFLECTION), Map.entry("getField", Rule.REFLECTION),
            Map.entry("getFields", Rule.REFLECTION), Map.entry("getDeclaredConstructor", Rule.REFLECTION),
            Map.entry("getDeclaredConstructors", Rule.REFLECTION), Map.entry("getConstructor", Rule.REFLECTION),
            Map.entry("getConstructors", Rule.REFLECTION), Map.entry("getRecordComponents", Rule.REFLECTION),
            Map.entry("getEnclosingMethod", Rule.REFLECTION), Map.entry("setAccessible", Rule.REFLECTION),
            Map.entry("trySetAccessible", Rule.REFLECTION), Map.entry("newInstance", Rule.REFLECTION),
            Map.entry("privateLookupIn", Rule.REFLECTION),
            Map.entry("getClassLoader", Rule.CLASS_LOADING), Map.entry("getSystemClassLoader", Rule.CLASS_LOADING),
            Map.entry("getPlatformClassLoader", Rule.CLASS_LOADING), Map.entry("loadClass", Rule.CLASS_LOADING),
            Map.entry("defineClass", Rule.CLASS_LOADING), Map.entry("getResource", Rule.CLASS_LOADING),
            Map.entry("getResources", Rule.CLASS_LOADING), Map.entry("getResourceAsStream", Rule.CLASS_LOADING),
            Map.entry("getModule", Rule.CLASS_LOADING),
            Map.entry("parallelStream", Rule.THREADS), Map.entry("parallel", Rule.THREADS));

    /** Members of {@code System} refused, by the rule they break. */
    private static final Map<String, Rule> SYSTEM_MEMBERS = Map.ofEntries(
            Map.entry("exit", Rule.EXIT),
            Map.entry("getenv", Rule.ENVIRONMENT), Map.entry("getProperty", Rule.ENVIRONMENT),
            Map.entry("getProperties", Rule.ENVIRONMENT), Map.entry("setProperty", Rule.ENVIRONMENT),
            Map.entry("setProperties", Rule.ENVIRONMENT), Map.entry("clearProperty", Rule.ENVIRONMENT),
            Map.entry("load", Rule.NATIVE), Map.entry("loadLibrary", Rule.NATIVE),
            Map.entry("mapLibraryName", Rule.NATIVE),
            Map.entry("setOut", Rule.STANDARD_STREAMS), Map.entry("setErr", Rule.STANDARD_STREAMS),
            Map.entry("setIn", Rule.STANDARD_STREAMS), Map.entry("in", Rule.STANDARD_STREAMS),
            Map.entry("console", Rule.FILES), Map.entry("inheritedChannel", Rule.NETWORK),
            Map.entry("setSecurityManager", Rule.UNSAFE), Map.entry("getSecurityManager", Rule.UNSAFE),
            Map.entry("getLogger", Rule.FILES));

    /** Static members elsewhere that read system properties. */
    private static final Set<String> PROPERTY_READERS = Set.of("Integer.getInteger", "Long.getLong", "Boolean.getBoolean");

    private final Class<?> candidateType;
    private final int maxSourceBytes;

    public StaticCheck(Class<?> candidateType, int maxSourceBytes) {
        this.candidateType = candidateType;
        this.maxSourceBytes = maxSourceBytes;
    }

    public Verdict check(String source, Optional<String> parentSource) {
        int bytes = source.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxSourceBytes) {
            return new Verdict(List.of(new Violation(0, Rule.SIZE,
                    "the source has " + bytes + " bytes, the limit is " + maxSourceBytes)), Optional.empty());
        }
        List<Violation> found = new ArrayList<>();
        parentSource.ifPresent(parent -> evolveBlockViolation(parent, source).ifPresent(found::add));

        ParserConfiguration config = new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
                .setPreprocessUnicodeEscapes(true);
        ParseResult<CompilationUnit> parsed = new JavaParser(config).parse(source);
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            String problem = parsed.getProblems().stream().findFirst().map(StaticCheck::describe).orElse("not valid Java");
            return new Verdict(found, Optional.of(problem));
        }
        CompilationUnit unit = parsed.getResult().get();
        shape(unit, found);
        deniedApis(unit, found);
        List<Violation> distinct = found.stream().distinct()
                .sorted(Comparator.comparingInt(Violation::line)).limit(MAX_REPORTED).toList();
        return new Verdict(distinct, Optional.empty());
    }

    private static String describe(Problem problem) {
        String where = problem.getLocation().flatMap(l -> l.getBegin().getRange())
                .map(r -> "line " + r.begin.line + ", column " + r.begin.column + ": ").orElse("");
        String message = problem.getMessage();
        int newline = message.indexOf('\n');
        return where + (newline < 0 ? message : message.substring(0, newline));
    }

    private void shape(CompilationUnit unit, List<Violation> found) {
        List<TypeDeclaration<?>> publicTypes = unit.getTypes().stream().filter(TypeDeclaration::isPublic).toList();
        if (publicTypes.size() != 1) {
            found.add(new Violation(publicTypes.size() > 1 ? line(publicTypes.get(1)) : 1, Rule.SHAPE,
                    "found " + publicTypes.size() + " public top-level types"));
            return;
        }
        TypeDeclaration<?> type = publicTypes.get(0);
        if (!(type instanceof ClassOrInterfaceDeclaration) || ((ClassOrInterfaceDeclaration) type).isInterface()) {
            found.add(new Violation(line(type), Rule.SHAPE, type.getNameAsString() + " is not a class"));
            return;
        }
        ClassOrInterfaceDeclaration declaration = (ClassOrInterfaceDeclaration) type;
        if (declaration.isAbstract()) {
            found.add(new Violation(line(type), Rule.SHAPE, "class " + declaration.getNameAsString() + " is abstract"));
        }
        boolean implementsCandidate = declaration.getImplementedTypes().stream()
                .map(ClassOrInterfaceType::getNameWithScope)
                .anyMatch(this::namesCandidateType);
        if (!implementsCandidate) {
            found.add(new Violation(line(type), Rule.INTERFACE, "class " + declaration.getNameAsString()
                    + " does not implement " + candidateType.getSimpleName()));
        }
        List<ConstructorDeclaration> constructors = declaration.getConstructors();
        boolean noArgument = constructors.isEmpty() || constructors.stream()
                .anyMatch(c -> c.isPublic() && c.getParameters().isEmpty());
        if (!noArgument) {
            found.add(new Violation(line(constructors.get(0)), Rule.CONSTRUCTOR,
                    "class " + declaration.getNameAsString() + " has no public constructor without arguments"));
        }
    }

    private boolean namesCandidateType(String name) {
        String canonical = candidateType.getCanonicalName();
        return name.equals(candidateType.getSimpleName()) || name.equals(canonical) || canonical.endsWith("." + name);
    }

    private static void deniedApis(CompilationUnit unit, List<Violation> found) {
        for (ImportDeclaration imported : unit.getImports()) {
            String name = imported.getNameAsString();
            packageRule(name).ifPresent(rule -> found.add(new Violation(line(imported), rule, "import " + name)));
            String last = lastSegment(name);
            if (!imported.isAsterisk()) {
                Optional.ofNullable(TYPES.get(last)).ifPresent(rule ->
                        found.add(new Violation(line(imported), rule, "import " + name)));
            }
            if (imported.isStatic()) {
                String owner = imported.isAsterisk() ? last : lastSegment(withoutLastSegment(name));
                if ("System".equals(owner)) {
                    Rule rule = imported.isAsterisk() ? Rule.STANDARD_STREAMS
                            : SYSTEM_MEMBERS.getOrDefault(last, null);
                    if (rule != null) {
                        found.add(new Violation(line(imported), rule, "import static " + name));
                    }
                }
            }
        }
        for (Node node : unit.findAll(Node.class)) {
            if (node instanceof ClassOrInterfaceType) {
                ClassOrInterfaceType type = (ClassOrInterfaceType) node;
                typeName(node, type.getNameWithScope(), type.getNameAsString(), found);
            } else if (node instanceof NameExpr) {
                String name = ((NameExpr) node).getNameAsString();
                typeName(node, name, name, found);
            } else if (node instanceof FieldAccessExpr) {
                FieldAccessExpr access = (FieldAccessExpr) node;
                typeName(node, access.toString(), access.getNameAsString(), found);
                member(node, access.getScope(), access.getNameAsString(), found);
            } else if (node instanceof MethodCallExpr) {
                MethodCallExpr call = (MethodCallExpr) node;
                String name = call.getNameAsString();
                Optional.ofNullable(METHODS.get(name)).ifPresent(rule ->
                        found.add(new Violation(line(node), rule, "call of " + name + "()")));
                call.getScope().ifPresent(scope -> member(node, scope, name, found));
            } else if (node instanceof MethodReferenceExpr) {
                MethodReferenceExpr reference = (MethodReferenceExpr) node;
                String name = reference.getIdentifier();
                Optional.ofNullable(METHODS.get(name)).ifPresent(rule ->
                        found.add(new Violation(line(node), rule, "reference to " + name)));
                member(node, reference.getScope(), name, found);
            } else if (node instanceof MethodDeclaration) {
                MethodDeclaration method = (MethodDeclaration) node;
                if (method.hasModifier(Modifier.Keyword.NATIVE)) {
                    found.add(new Violation(line(node), Rule.NATIVE, "native method " + method.getNameAsString()));
                }
                if (method.getNameAsString().equals("finalize") && method.getParameters().isEmpty()) {
                    found.add(new Violation(line(node), Rule.THREADS, "finalize() runs on the finalizer thread"));
                }
            }
        }
    }

    /** A (possibly qualified) name in a type or expression position. */
    private static void typeName(Node node, String qualified, String simple, List<Violation> found) {
        if (qualified.contains(".")) {
            packageRule(qualified).ifPresent(rule -> found.add(new Violation(line(node), rule, qualified)));
        }
        Optional.ofNullable(TYPES.get(simple)).ifPresent(rule -> found.add(new Violation(line(node), rule, qualified)));
    }

    /** {@code System.exit}, {@code java.lang.System.in}, {@code Integer.getInteger}, ... */
    private static void member(Node node, Expression scope, String name, List<Violation> found) {
        String owner = lastSegment(scope.toString());
        if ("System".equals(owner)) {
            Optional.ofNullable(SYSTEM_MEMBERS.get(name)).ifPresent(rule ->
                    found.add(new Violation(line(node), rule, "System." + name)));
        }
        if (PROPERTY_READERS.contains(owner + "." + name)) {
            found.add(new Violation(line(node), Rule.ENVIRONMENT, owner + "." + name));
        }
    }

    private static Optional<Rule> packageRule(String qualified) {
        return PACKAGES.entrySet().stream()
                .filter(e -> qualified.equals(e.getKey()) || qualified.startsWith(e.getKey() + "."))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String withoutLastSegment(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    private static int line(Node node) {
        return node.getBegin().map(p -> p.line).orElse(0);
    }

    /** The shared EVOLVE-BLOCK rule ({@link EvolveBlocks}): the candidate may change only its parent's blocks. */
    static Optional<Violation> evolveBlockViolation(String parent, String candidate) {
        return EvolveBlocks.check(parent, candidate).map(r -> new Violation(r.line(), Rule.EVOLVE_BLOCK, r.message()));
    }
}
