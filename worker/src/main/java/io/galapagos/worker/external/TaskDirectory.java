package io.galapagos.worker.external;

import io.galapagos.protocol.EvolveBlocks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A task that a researcher brings as a folder: an evaluator in any language and an initial program, described
 * by {@code galapagos-task.conf} or by OpenEvolve's layout ({@code initial_program.*}, {@code evaluator.py},
 * optional {@code config.yaml}). See the README's "Task directories".
 *
 * @param root             the folder, absolute and normalized
 * @param id               lowercase {@code [a-z0-9-]+}
 * @param problemStatement markdown shown to the model
 * @param language         lowercase word: python, java, c, cpp, rust, go, javascript, ...
 * @param programFileName  the initial program's file name; a candidate is handed to the evaluator under this name
 * @param evaluatorCommand argv as written; {@code {interpreter}} stands for the interpreter
 * @param interpreter      a bare name looked up on the worker's {@code PATH}, or a path (relative to the folder)
 * @param splits           names of {@link io.galapagos.simulators.Split}s, upper case
 * @param higherIsBetter   when false, Galapagos's score is the metric negated
 * @param baselines        name to source; the first entry is {@code initial}
 * @param timeout          wall-clock deadline of one split
 * @param ship             globs (relative to the folder) of the files that travel with the task
 * @param environment      names of the worker's environment variables the evaluator sees
 * @param toolchain        executables (names on the worker's {@code PATH}, or paths) the evaluator runs besides the
 *                         interpreter, e.g. a compiler: the jail shows their installations read-only and their
 *                         directories lead the evaluator's {@code PATH}
 * @param openEvolve       the parsed {@code config.yaml} of an OpenEvolve layout
 * @param stochastic       the evaluator may score the same program differently each time: would-be bests are
 *                         re-evaluated ({@code galapagos.islands.noise})
 * @param repeats          evaluations of a would-be best in all, when the folder says; else the configured count
 */
public record TaskDirectory(
        Path root,
        String id,
        String title,
        String problemStatement,
        String language,
        String programFileName,
        String initialProgram,
        List<String> evaluatorCommand,
        Mode mode,
        String interpreter,
        List<String> splits,
        String scoreMetric,
        boolean higherIsBetter,
        Optional<String> featureMetric,
        Map<String, String> baselines,
        Duration timeout,
        List<String> ship,
        List<String> environment,
        List<String> toolchain,
        Optional<OpenEvolveConfig> openEvolve,
        boolean stochastic,
        Optional<Integer> repeats) {

    /** The file that marks Galapagos's own layout. */
    public static final String CONF_FILE = "galapagos-task.conf";
    /** What {@code evaluatorCommand} elements may say instead of the interpreter's path. */
    public static final String INTERPRETER_PLACEHOLDER = "{interpreter}";
    /** Initial programs and baselines larger than this are refused: they go into every prompt. */
    static final long MAX_PROGRAM_BYTES = 1024 * 1024;

    /** How the evaluator runs: a process per candidate and split, or one long-lived process per slot. */
    public enum Mode {
        ONCE, WARM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TaskDirectory {
        evaluatorCommand = List.copyOf(evaluatorCommand);
        splits = List.copyOf(splits);
        baselines = Collections.unmodifiableMap(new LinkedHashMap<>(baselines));
        ship = List.copyOf(ship);
        environment = List.copyOf(environment);
        toolchain = List.copyOf(toolchain);
    }

    /**
     * Reads the folder: {@code galapagos-task.conf} if there is one, OpenEvolve's layout otherwise.
     *
     * @throws TaskDirectoryException with one line naming the file and the key
     */
    public static TaskDirectory load(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new TaskDirectoryException(root + ": not a directory");
        }
        if (Files.isRegularFile(root.resolve(CONF_FILE))) {
            return TaskConf.load(root);
        }
        return OpenEvolveLayout.load(root);
    }

    /**
     * The files that travel with the task, relative to the root and sorted: regular files that a {@code ship}
     * glob matches. A path with a component that starts with a dot ({@code .git}, {@code .env}) is shipped only
     * when a glob that matches it names a dot component itself; a symbolic link only when it leads to a
     * regular file inside the folder.
     */
    public List<Path> shippedFiles() {
        List<Glob> globs = ship.stream().map(Glob::new).toList();
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("the task directory " + root + " cannot be resolved", e);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(p -> !p.equals(root)).forEach(path -> {
                Path relative = root.relativize(path);
                if (!shippable(path, realRoot)) {
                    return;
                }
                boolean dotted = false;
                for (Path part : relative) {
                    dotted |= part.toString().startsWith(".");
                }
                boolean hidden = dotted;
                if (globs.stream().anyMatch(g -> g.matches(relative) && (!hidden || g.namesDotComponent()))) {
                    files.add(relative);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the task directory " + root + " cannot be listed", e);
        }
        Collections.sort(files);
        return List.copyOf(files);
    }

    private static boolean shippable(Path path, Path realRoot) {
        if (!Files.isSymbolicLink(path)) {
            return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
        }
        try {
            Path target = path.toRealPath();
            return target.startsWith(realRoot) && Files.isRegularFile(target);
        } catch (IOException e) {
            return false;
        }
    }

    private record Glob(PathMatcher matcher, boolean namesDotComponent) {
        Glob(String glob) {
            this(FileSystems.getDefault().getPathMatcher("glob:" + glob),
                    Stream.of(glob.split("/")).anyMatch(part -> part.startsWith(".")));
        }

        boolean matches(Path relative) {
            return matcher.matches(relative);
        }
    }

    /** The folder name made into an id: lower case, runs of anything but {@code [a-z0-9]} become one dash. */
    static String sanitizedId(String name) {
        String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return id.isEmpty() ? "task" : id;
    }

    /** A program file of the folder as text; {@code file} and {@code key} name it in errors. */
    static String readProgram(Path root, String relative, String file, String key, boolean needsBlock) {
        Path path = inside(root, relative, file, key);
        if (!Files.isRegularFile(path)) {
            throw TaskDirectoryException.of(file, key, "no file '" + relative + "' in " + root);
        }
        String text;
        try {
            if (Files.size(path) > MAX_PROGRAM_BYTES) {
                throw TaskDirectoryException.of(file, key, "'" + relative + "' is larger than " + MAX_PROGRAM_BYTES + " bytes");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TaskDirectoryException.of(file, key, "'" + relative + "' cannot be read as UTF-8 text: " + e.getMessage());
        }
        if (needsBlock) {
            blocksOrRefuse(text, "'" + relative + "'").ifPresent(problem -> {
                throw TaskDirectoryException.of(file, key, problem);
            });
        }
        return text;
    }

    /** A relative path that stays inside the folder. */
    static Path inside(Path root, String relative, String file, String key) {
        Path path = root.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !path.startsWith(root)) {
            throw TaskDirectoryException.of(file, key, "'" + relative + "' must be a path inside the task directory");
        }
        return path;
    }

    /**
     * What keeps {@code text} from being an initial program by the shared EVOLVE-BLOCK rule, if anything.
     *
     * @param whose names the program in the reason, e.g. {@code 'program.py'} or {@code --initial x.py}
     */
    public static Optional<String> blocksOrRefuse(String text, String whose) {
        try {
            EvolveBlocks.of(text, whose);
            return Optional.empty();
        } catch (EvolveBlocks.MalformedException e) {
            return Optional.of(e.malformed().problem() == EvolveBlocks.Problem.NO_BLOCK
                    ? whose + " must contain an " + EvolveBlocks.START + " line and an " + EvolveBlocks.END
                            + " line: only the lines between them evolve"
                    : e.getMessage());
        }
    }
}
