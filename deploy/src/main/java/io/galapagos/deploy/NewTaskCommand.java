package io.galapagos.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code galapagos new-task DIR --language L}: writes a task folder that runs as it is (a Python evaluator that
 * compiles the candidate where the language needs it, an initial program with EVOLVE-BLOCK markers), to be
 * changed into the researcher's own problem.
 */
@Command(name = "new-task", mixinStandardHelpOptions = true,
        description = "Write a working task folder (galapagos-task.conf, evaluate.py, an initial program) to start from.")
public final class NewTaskCommand implements Callable<Integer> {

    private static final String TEMPLATES = "/io/galapagos/deploy/newtask/";

    @Parameters(index = "0", paramLabel = "DIR", description = "the folder to create (absent or empty)")
    Path dir;

    @Option(names = "--language", required = true, paramLabel = "LANGUAGE",
            description = "language of the evolved program: python, java, c, cpp, rust")
    String language;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What each language needs: the program's file, the toolchain the jail must show, compile and run argv. */
    enum Language {
        PYTHON("program.py", "warm", List.of(), Optional.empty(), List.of("{python}", "{source}")),
        JAVA("Main.java", "once", List.of("javac", "java"),
                Optional.of(List.of("javac", "-J-Xmx256m", "-J-XX:CompressedClassSpaceSize=64m",
                        "-J-XX:ReservedCodeCacheSize=64m", "-J-XX:-UsePerfData", "-d", "{work}", "{source}")),
                List.of("java", "-Xmx256m", "-XX:CompressedClassSpaceSize=64m", "-XX:ReservedCodeCacheSize=64m",
                        "-XX:-UsePerfData", "-cp", "{work}", "Main")),
        C("program.c", "once", List.of("gcc"), Optional.of(List.of("gcc", "-O2", "-std=c11", "-o", "{binary}", "{source}", "-lm")),
                List.of("{binary}")),
        CPP("program.cpp", "once", List.of("g++"), Optional.of(List.of("g++", "-O2", "-std=c++17", "-o", "{binary}", "{source}")),
                List.of("{binary}")),
        // rustc links with the C compiler; naming gcc avoids /usr/bin/cc, an alternatives link the jail does not show
        RUST("program.rs", "once", List.of("rustc", "gcc"),
                Optional.of(List.of("rustc", "-O", "-C", "linker=gcc", "-o", "{binary}", "{source}")), List.of("{binary}"));

        final String programFile;
        final String mode;
        final List<String> toolchain;
        final Optional<List<String>> compile;
        final List<String> run;

        Language(String programFile, String mode, List<String> toolchain, Optional<List<String>> compile, List<String> run) {
            this.programFile = programFile;
            this.mode = mode;
            this.toolchain = toolchain;
            this.compile = compile;
            this.run = run;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Language> parse(String text) {
            return Arrays.stream(values()).filter(l -> l.label().equals(text)).findFirst();
        }
    }

    @Override
    public Integer call() {
        Optional<Language> parsed = Language.parse(language);
        if (parsed.isEmpty()) {
            return usage("unknown language '" + language + "' (one of " + Arrays.stream(Language.values())
                    .map(Language::label).collect(Collectors.joining(", ")) + ")");
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && (!Files.isDirectory(target) || !empty(target))) {
            return usage(target + " already exists and is not an empty directory");
        }
        Language lang = parsed.get();
        String id = id(target);
        try {
            Files.createDirectories(target);
            Files.writeString(target.resolve("galapagos-task.conf"), conf(lang, id));
            Files.writeString(target.resolve("evaluate.py"), template("evaluate.py").replace("{{ID}}", id)
                    .replace("{{COMPILE}}", lang.compile.map(NewTaskCommand::pythonList).orElse("None"))
                    .replace("{{RUN}}", pythonList(lang.run)).replace("{{SOURCE_NAME}}", lang.programFile));
            Files.writeString(target.resolve(lang.programFile), template(lang.programFile));
            Files.writeString(target.resolve("README.md"), readme(lang, id, target));
        } catch (IOException e) {
            spec.commandLine().getErr().println("galapagos new-task: writing " + target + " failed: " + e.getMessage());
            return Galapagos.EXIT_FAILED;
        }
        spec.commandLine().getOut().println("wrote " + target + " (" + lang.label() + "); try: galapagos evaluate --task-dir "
                + target + " --baseline initial");
        return 0;
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("galapagos new-task: " + message);
        return Galapagos.EXIT_USAGE;
    }

    private static String conf(Language lang, String id) {
        StringBuilder conf = new StringBuilder();
        conf.append("id = ").append(id).append('\n');
        conf.append("title = \"").append(id).append("\"\n");
        conf.append("problem = \"\"\"Reorder the integers read on standard input so that as many adjacent pairs as possible "
                + "are in non-decreasing order; print them on one line. Score: the fraction of such pairs.\"\"\"\n");
        conf.append("language = ").append(lang.label()).append('\n');
        conf.append("initial-program = ").append(lang.programFile).append('\n');
        if (!lang.toolchain.isEmpty()) {
            conf.append("# the compiler's installation is shown read-only to the evaluator, its directory leads the PATH\n");
            conf.append("toolchain = [").append(toolchain(lang).stream().map(t -> "\"" + t + "\"")
                    .collect(Collectors.joining(", "))).append("]\n");
        }
        conf.append("evaluator.command = [\"{interpreter}\", \"evaluate.py\"]\n");
        conf.append("evaluator.mode = ").append(lang.mode).append('\n');
        conf.append("splits = [SMOKE, TRAIN]\n");
        conf.append("timeout = ").append(lang == Language.JAVA || lang == Language.RUST ? "120s" : "60s").append('\n');
        return conf.toString();
    }

    /**
     * rustup's {@code rustc} is a proxy that needs the user's rustup home; the toolchain's own compiler, asked
     * for now, runs anywhere its directory is visible.
     */
    private static List<String> toolchain(Language lang) {
        if (lang != Language.RUST) {
            return lang.toolchain;
        }
        return Stream.concat(Stream.of(rustCompiler().orElse("rustc")), Stream.of("gcc")).toList();
    }

    private static Optional<String> rustCompiler() {
        try {
            Process process = new ProcessBuilder("rustc", "--print", "sysroot").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String text;
            try (InputStream in = process.getInputStream()) {
                text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            Path compiler = Path.of(text, "bin", "rustc");
            return process.exitValue() == 0 && Files.isExecutable(compiler) ? Optional.of(compiler.toString()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String readme(Language lang, String id, Path target) {
        return "# " + id + "\n\n"
                + "A task folder written by `galapagos new-task --language " + lang.label() + "`: `evaluate.py` "
                + (lang.compile.isPresent() ? "compiles `" + lang.programFile + "` inside the jail and runs it" : "runs `"
                + lang.programFile + "`") + " on seeded lists of numbers and scores how many adjacent pairs it prints in "
                + "order. Change `instances()` and `score()` in `evaluate.py`, the program and the `problem` of "
                + "`galapagos-task.conf` into your own problem.\n\n"
                + "Run it: `galapagos run --task-dir " + target + " --iterations 20`; one evaluation: "
                + "`galapagos evaluate --task-dir " + target + " --baseline initial`.\n";
    }

    private static String id(Path target) {
        Path name = target.getFileName();
        String id = name == null ? "" : name.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return id.isEmpty() ? "task" : id;
    }

    private static String pythonList(List<String> argv) {
        return argv.stream().map(a -> "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static boolean empty(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String template(String name) throws IOException {
        try (InputStream in = NewTaskCommand.class.getResourceAsStream(TEMPLATES + name)) {
            if (in == null) {
                throw new IllegalStateException("galapagos lacks its resource " + TEMPLATES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
