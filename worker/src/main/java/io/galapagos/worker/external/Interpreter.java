package io.galapagos.worker.external;

import io.galapagos.worker.sandbox.SandboxUnavailableException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The task's interpreter on this worker, found without running it, and the host paths a jail must show
 * (read-only) for it to run.
 *
 * @param executable the path the command uses: absolute, symlinks kept (a virtualenv's python finds its
 *                   {@code pyvenv.cfg} next to the path it was started as)
 * @param readOnly   its installation prefix (the directory above {@code bin/} of the resolved executable) and,
 *                   for a virtualenv, the virtualenv
 */
record Interpreter(Path executable, List<Path> readOnly) {

    private static final List<String> SYSTEM_PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");

    Interpreter {
        readOnly = List.copyOf(readOnly);
    }

    /**
     * A bare name is looked up on the worker's {@code PATH}, skipping scripts (pyenv and asdf shims only work
     * with the user's home directory, which the jail does not show); a path is taken relative to the task.
     */
    static Interpreter resolve(String name, Path taskRoot) {
        Path given;
        if (!name.contains("/")) {
            List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
            directories.addAll(SYSTEM_PATH);
            given = directories.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, name))
                    .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p) && !script(p)).findFirst()
                    .orElseThrow(() -> new SandboxUnavailableException("interpreter '" + name + "': no executable of "
                            + "that name on this worker's PATH (scripts such as pyenv shims do not count)"));
        } else {
            given = taskRoot.resolve(name).toAbsolutePath().normalize();
            if (!Files.isRegularFile(given) || !Files.isExecutable(given)) {
                throw new SandboxUnavailableException("interpreter '" + name + "': no executable at " + given);
            }
        }
        Path real;
        try {
            real = given.toRealPath();
        } catch (IOException e) {
            throw new SandboxUnavailableException("interpreter '" + name + "': " + given + " cannot be resolved");
        }
        Set<Path> readOnly = new LinkedHashSet<>();
        Path prefix = prefix(name, real);
        readOnly.add(prefix);
        readOnly.addAll(linkedConfiguration(prefix));
        Path venv = given.getParent().getParent();
        if (venv != null && Files.isRegularFile(venv.resolve("pyvenv.cfg"))) {
            readOnly.add(allowed(name, venv));
        }
        return new Interpreter(given.toAbsolutePath(), List.copyOf(readOnly));
    }

    /**
     * Targets outside the installation of the links in its {@code conf} folder: Debian's JDKs keep
     * {@code conf/security/java.security} under {@code /etc}, and javac and java fail without it.
     */
    private static List<Path> linkedConfiguration(Path prefix) {
        Path conf = prefix.resolve("conf");
        if (!Files.isDirectory(conf, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Set<Path> targets = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(conf, 4)) {
            files.filter(Files::isSymbolicLink).forEach(link -> {
                try {
                    Path target = link.toRealPath();
                    if (!target.startsWith(prefix)) {
                        targets.add(target);
                    }
                } catch (IOException e) {
                    // a dangling link (an optional package that is not installed) needs nothing bound
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        return List.copyOf(targets);
    }

    /** The installation prefix of {@code real}: {@code /usr} for {@code /usr/bin/python3.11}. */
    private static Path prefix(String name, Path real) {
        Path bin = real.getParent();
        Path prefix = bin.getFileName() != null && bin.getFileName().toString().equals("bin") && bin.getParent() != null
                ? bin.getParent() : bin;
        return allowed(name, prefix);
    }

    /** Refuses to show the root or a home directory: a jail sees installations, not a user's files. */
    private static Path allowed(String name, Path path) {
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        if (path.getParent() == null || home.startsWith(path) || path.equals(Path.of("/home"))) {
            throw new SandboxUnavailableException("interpreter '" + name + "': its installation " + path
                    + " would show a home directory or the whole file system to the jail; install it under its own prefix");
        }
        return path;
    }

    private static boolean script(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == '#' && head[1] == '!';
        } catch (IOException e) {
            return true;
        }
    }
}
