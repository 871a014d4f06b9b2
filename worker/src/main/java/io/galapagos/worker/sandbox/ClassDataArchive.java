package io.galapagos.worker.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The class-data archives (AppCDS) of the sandbox's JVMs, made when the application is packaged: a child
 * or a compiler that maps its archive starts with the harness's and the JDK's classes already parsed and
 * verified. They lie in the folder that holds the application's {@code lib} folder. Without one, or with
 * one older than a jar of the class path, the JVMs start without it, and the pool says so once.
 *
 * <p>The archive is made by the harness alone (a child that starts, warms up and ends without a request),
 * never by a candidate, and the jail binds it read-only.
 */
public final class ClassDataArchive {

    private static final Set<String> NOTED = ConcurrentHashMap.newKeySet();
    private static final long DUMP_TIMEOUT_SECONDS = 180;

    private ClassDataArchive() {
    }

    static String fileName(Class<?> main) {
        return main == CompilerChild.class ? "sandbox-compiler.jsa" : "sandbox-child.jsa";
    }

    /** The archive for JVMs whose main class is {@code main}, when the packaged application has a usable one. */
    static Optional<Path> find(Class<?> main) {
        Optional<Path> folder = folder(ChildClassPath.entries());
        if (folder.isEmpty()) {
            return Optional.empty();  // not the packaged application (tests, an IDE): there is nothing to map
        }
        Path archive = folder.get().resolve(fileName(main));
        Optional<String> problem = problem(archive, ChildClassPath.entries());
        if (problem.isPresent()) {
            if (NOTED.add(archive.toString())) {
                System.err.println("galapagos: sandbox JVMs start without a class-data archive (slower): " + problem.get()
                        + "; './mvnw package' makes it");
                System.err.flush();
            }
            return Optional.empty();
        }
        return Optional.of(archive);
    }

    /** The folder that holds {@code lib}, when the harness comes from a jar in {@code lib}. */
    static Optional<Path> folder(List<Path> classPath) {
        if (classPath.isEmpty()) {
            return Optional.empty();
        }
        Path harness = classPath.get(0);
        Path lib = harness.getParent();
        if (!harness.toString().endsWith(".jar") || lib == null || lib.getFileName() == null
                || !"lib".equals(lib.getFileName().toString()) || lib.getParent() == null) {
            return Optional.empty();
        }
        return Optional.of(lib.getParent());
    }

    /** Why the archive cannot be used with this class path, if it cannot. */
    static Optional<String> problem(Path archive, List<Path> classPath) {
        try {
            if (!Files.isRegularFile(archive)) {
                return Optional.of(archive + " is missing");
            }
            long made = Files.getLastModifiedTime(archive).toMillis();
            for (Path entry : classPath) {
                if (Files.getLastModifiedTime(entry).toMillis() > made) {
                    return Optional.of(archive + " is older than " + entry.getFileName());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(archive + " cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Run when the application is packaged, with the folder that holds {@code lib}: writes the archives of
     * the sandbox child and of the compiler. A failure leaves the application working, only slower to start
     * its sandbox JVMs, so it is reported and the build goes on.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: ClassDataArchive <folder that holds lib>");
            System.exit(2);
        }
        Path folder = Path.of(args[0]).toAbsolutePath().normalize();
        SandboxSettings settings = SandboxSettings.defaults();
        for (Class<?> main : List.of(SandboxChild.class, CompilerChild.class)) {
            Path archive = folder.resolve(fileName(main));
            Files.deleteIfExists(archive);
            Path work = Files.createTempDirectory("galapagos-cds-");
            List<String> command = new ArrayList<>(ChildProcess.command(settings, work, Optional.empty(), main,
                    main == SandboxChild.class ? ChildProcess.childArguments(settings) : List.of()));
            command.add(1, "-XX:ArchiveClassesAtExit=" + archive);
            command.add(2, "-Xlog:cds=off,cds+dynamic=off");
            // no request: the harness warms up, says it is ready, reads the end of its input and exits
            Process process = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            boolean ended = process.waitFor(DUMP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            if (!ended || process.exitValue() != 0 || !Files.isRegularFile(archive)) {
                System.err.println("galapagos: no class-data archive for " + main.getSimpleName()
                        + "; sandbox JVMs will start without it");
            }
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
