package io.galapagos.simulators.compile;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles one candidate compilation unit in memory (no files on disk) and loads it in a class
 * loader of its own, whose parent sees the task's types. Diagnostics carry line numbers so that a
 * model can act on them.
 *
 * <p>One instance keeps javac's file manager, which holds only what it read of the class path and the
 * JDK, for all its compilations (opening them again cost most of a warm compile); every compilation
 * gets a compiler task of its own and writes its class files to a map of its own, so that nothing of
 * one candidate reaches the next. Compilations of one instance run one at a time.
 */
public final class CandidateCompiler {

    private static final Pattern PUBLIC_CLASS =
            Pattern.compile("(?m)^\\s*public\\s+(?:final\\s+|abstract\\s+)*class\\s+([A-Za-z_$][A-Za-z0-9_$]*)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([A-Za-z0-9_.$]+)\\s*;");

    /** The Java version candidates are written in: its language and its API. */
    static final int CANDIDATE_RELEASE = 17;

    /** Every option that changes the class files, besides the class path and the JDK (see {@link #fingerprint()}). */
    private static final List<String> OPTIONS = options(Runtime.version().feature());

    /**
     * javac's options on a JDK of version {@code jdkFeature}. On the candidates' own release no {@code --release}
     * is needed: the language, the class-file version and the API are the JDK's. There javac compiles against
     * the JDK's own modules, which its file manager keeps open between compilations, where {@code --release}
     * reads the API from {@code ct.sym} again for every compilation (a warm compile of Can't-Be-Late's seed took
     * two to three times as long with it). A newer JDK compiles with {@code --release} to the same language and API.
     */
    static List<String> options(int jdkFeature) {
        List<String> options = new ArrayList<>(List.of("-proc:none", "-g:source,lines", "-nowarn", "-Xlint:none",
                "-encoding", "UTF-8"));
        if (jdkFeature != CANDIDATE_RELEASE) {
            options.addAll(List.of("--release", Integer.toString(CANDIDATE_RELEASE)));
        }
        return List.copyOf(options);
    }

    private final JavaCompiler javac;
    private final StandardJavaFileManager standard;
    /** The class path {@link #standard} was last given; it changes only with the candidate type's origin. */
    private String classPath = "";

    public CandidateCompiler() {
        javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime: run Galapagos on a JDK, not a JRE");
        }
        standard = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    }

    /**
     * What, besides the source and the class path, decides the class files this compiler makes: its
     * options and the JDK's version. A cache of compilations keys on it.
     */
    public static String fingerprint() {
        return String.join(" ", OPTIONS) + " on " + Runtime.version();
    }

    /**
     * Compiles {@code source}, whose one public top-level class must implement {@code type} and have
     * a public no-argument constructor.
     */
    public <T> CompiledCandidate<T> compile(String source, Class<T> type) throws CompilationException {
        return load(compileToBytes(source, type), type);
    }

    /**
     * Compiles {@code source} against {@code type}'s class path without loading anything, so that the
     * class files can be checked first; {@link #load} then makes the candidate.
     */
    public synchronized CandidateClasses compileToBytes(String source, Class<?> type) throws CompilationException {
        String className = publicClassName(source);
        String binaryName = packageName(source).map(p -> p + "." + className).orElse(className);
        String[] lines = source.split("\n", -1);

        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        useClassPath(classPathFor(type));
        InMemoryFileManager files = new InMemoryFileManager(standard);
        JavaFileObject unit = new SourceFile(className, source);
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, files, diagnostics, OPTIONS, null, List.of(unit)).call();
        if (!ok) {
            List<CompilationException.Problem> problems = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                long line = Math.max(d.getLineNumber(), 0);
                String code = line > 0 && line <= lines.length ? lines[(int) line - 1] : null;
                problems.add(new CompilationException.Problem(line, Math.max(d.getColumnNumber(), 0),
                        d.getMessage(Locale.ROOT), code));
            }
            if (problems.isEmpty()) {
                problems.add(new CompilationException.Problem(0, 0, "compilation failed: " + out, null));
            }
            throw new CompilationException(problems);
        }
        return new CandidateClasses(binaryName, files.classes);
    }

    /**
     * Defines {@code compiled} in a class loader of its own, whose parent is {@code type}'s loader, and
     * checks that its public class implements {@code type} and has a public no-argument constructor.
     */
    public static <T> CompiledCandidate<T> load(CandidateClasses compiled, Class<T> type) throws CompilationException {
        return load(compiled, type, type.getClassLoader());
    }

    /**
     * Defines {@code compiled} in a new class loader of its own whose parent is {@code visible}: every
     * call makes fresh classes, with fresh static fields. {@code visible} must resolve {@code type}.
     */
    public static <T> CompiledCandidate<T> load(CandidateClasses compiled, Class<T> type, ClassLoader visible)
            throws CompilationException {
        String className = compiled.simpleName();
        ClassLoader loader = new CandidateClassLoader(compiled.classes(), visible);
        Class<?> loaded;
        try {
            loaded = Class.forName(compiled.publicClass(), false, loader);
        } catch (ClassNotFoundException e) {
            throw shapeProblem("the public class " + className + " was not produced by the compiler");
        }
        if (!type.isAssignableFrom(loaded)) {
            throw shapeProblem("class " + className + " must implement " + type.getSimpleName());
        }
        if (Modifier.isAbstract(loaded.getModifiers())) {
            throw shapeProblem("class " + className + " must not be abstract");
        }
        try {
            Constructor<? extends T> constructor = loaded.asSubclass(type).getConstructor();
            return new CompiledCandidate<>(className, constructor);
        } catch (NoSuchMethodException e) {
            throw shapeProblem("class " + className + " needs a public no-argument constructor");
        }
    }

    private static CompilationException shapeProblem(String message) {
        return new CompilationException(List.of(new CompilationException.Problem(0, 0, message, null)));
    }

    /** Name of the first public top-level class, or {@code Candidate} so that javac reports the problem. */
    static String publicClassName(String source) {
        Matcher m = PUBLIC_CLASS.matcher(source);
        return m.find() ? m.group(1) : "Candidate";
    }

    private static java.util.Optional<String> packageName(String source) {
        Matcher m = PACKAGE.matcher(source);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private void useClassPath(String entries) {
        if (entries.equals(classPath)) {
            return;
        }
        List<File> files = new ArrayList<>();
        for (String entry : entries.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                files.add(new File(entry));
            }
        }
        try {
            standard.setLocation(StandardLocation.CLASS_PATH, files);
        } catch (IOException e) {
            throw new UncheckedIOException("the compiler cannot use the class path " + entries, e);
        }
        classPath = entries;
    }

    /** This JVM's class path plus wherever the task's types were loaded from (surefire, custom loaders). */
    private static String classPathFor(Class<?> type) {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        addCodeSource(entries, type);
        for (Class<?> iface : type.getInterfaces()) {
            addCodeSource(entries, iface);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void addCodeSource(Set<String> entries, Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return;
        }
        try {
            entries.add(Path.of(source.getLocation().toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file location: the class path has to do
        }
    }

    private static final class SourceFile extends SimpleJavaFileObject {
        private final String source;

        SourceFile(String className, String source) {
            super(URI.create("string:///" + className + Kind.SOURCE.extension), Kind.SOURCE);
            this.source = source;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
        }
    }

    private static final class ClassFile extends SimpleJavaFileObject {
        private final String name;
        private final Map<String, byte[]> sink;

        ClassFile(String name, Map<String, byte[]> sink) {
            super(URI.create("bytes:///" + name.replace('.', '/') + Kind.CLASS.extension), Kind.CLASS);
            this.name = name;
            this.sink = sink;
        }

        @Override
        public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
                @Override
                public void close() {
                    sink.put(name, toByteArray());
                }
            };
        }
    }

    private static final class InMemoryFileManager extends ForwardingJavaFileManager<JavaFileManager> {
        final Map<String, byte[]> classes = new HashMap<>();

        InMemoryFileManager(JavaFileManager delegate) {
            super(delegate);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            return new ClassFile(className, classes);
        }
    }

    private static final class CandidateClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        CandidateClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("candidate", parent);
            this.classes = Map.copyOf(classes);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
