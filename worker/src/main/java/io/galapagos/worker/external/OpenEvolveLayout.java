package io.galapagos.worker.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads OpenEvolve's layout: {@code initial_program.<ext>}, {@code evaluator.py} with {@code evaluate(program_path)}
 * (and optionally {@code evaluate_stage1/2/3}), and an optional {@code config.yaml}. The evaluator runs through the
 * shipped runner {@code galapagos_openevolve}, warm, on TRAIN only.
 */
final class OpenEvolveLayout {

    static final String EVALUATOR = "evaluator.py";
    static final String RUNNER_MODULE = "galapagos_openevolve";
    private static final String PROGRAM_STEM = "initial_program.";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("py", "python"),
            Map.entry("java", "java"), Map.entry("c", "c"), Map.entry("h", "c"), Map.entry("cpp", "cpp"),
            Map.entry("cc", "cpp"), Map.entry("cxx", "cpp"), Map.entry("hpp", "cpp"), Map.entry("rs", "rust"),
            Map.entry("go", "go"), Map.entry("js", "javascript"), Map.entry("mjs", "javascript"),
            Map.entry("ts", "typescript"), Map.entry("rb", "ruby"), Map.entry("jl", "julia"), Map.entry("sh", "shell"),
            Map.entry("kt", "kotlin"), Map.entry("scala", "scala"), Map.entry("r", "r"), Map.entry("lua", "lua"),
            Map.entry("cu", "cuda"), Map.entry("m", "matlab"), Map.entry("hs", "haskell"), Map.entry("php", "php"),
            Map.entry("swift", "swift"), Map.entry("sql", "sql"));

    private OpenEvolveLayout() {
    }

    static TaskDirectory load(Path root) {
        List<Path> programs;
        try (Stream<Path> entries = Files.list(root)) {
            programs = entries.filter(p -> p.getFileName().toString().startsWith(PROGRAM_STEM) && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TaskDirectoryException(root + ": cannot be listed: " + e.getMessage());
        }
        if (programs.isEmpty()) {
            throw new TaskDirectoryException(root + ": neither " + TaskDirectory.CONF_FILE + " nor OpenEvolve's "
                    + PROGRAM_STEM + "<ext> and " + EVALUATOR);
        }
        if (programs.size() > 1) {
            throw new TaskDirectoryException(PROGRAM_STEM + "*: more than one initial program: " + programs.stream()
                    .map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
        }
        String programFile = programs.get(0).getFileName().toString();
        String extension = programFile.substring(PROGRAM_STEM.length()).toLowerCase(Locale.ROOT);
        String language = LANGUAGES.getOrDefault(extension, extension.replaceAll("[^a-z0-9]", ""));
        if (language.isEmpty()) {
            throw new TaskDirectoryException(programFile + ": the extension names no language");
        }
        String initial = TaskDirectory.readProgram(root, programFile, programFile, "initial program", false);
        Path evaluator = root.resolve(EVALUATOR);
        if (!Files.isRegularFile(evaluator)) {
            throw new TaskDirectoryException(EVALUATOR + ": missing (OpenEvolve's layout needs " + PROGRAM_STEM
                    + "<ext> and " + EVALUATOR + ")");
        }
        try {
            if (Files.readAllLines(evaluator).stream().noneMatch(l -> l.matches("\\s*(async\\s+)?def\\s+evaluate\\s*\\(.*"))) {
                throw new TaskDirectoryException(EVALUATOR + ": evaluate: no def evaluate(program_path)");
            }
        } catch (IOException e) {
            throw new TaskDirectoryException(EVALUATOR + ": cannot be read: " + e.getMessage());
        }
        Path yaml = root.resolve(OpenEvolveConfig.FILE);
        OpenEvolveConfig config = Files.isRegularFile(yaml) ? OpenEvolveConfig.parse(yaml) : OpenEvolveConfig.defaults();
        String name = root.getFileName() == null ? "task" : root.getFileName().toString();
        String problem = config.systemMessage().filter(m -> !m.isBlank()).orElse("Improve the " + language
                + " program " + programFile + "; " + EVALUATOR + " scores it (combined_score, higher is better).");
        List<String> command = new ArrayList<>(List.of(TaskDirectory.INTERPRETER_PLACEHOLDER, "-m", RUNNER_MODULE,
                EVALUATOR));
        if (config.cascadeEvaluation()) {
            command.add("--cascade=" + config.cascadeThresholds().stream().map(String::valueOf)
                    .collect(Collectors.joining(",")));
        }
        return new TaskDirectory(root, TaskDirectory.sanitizedId(name), name, problem, language, programFile, initial,
                command, TaskDirectory.Mode.WARM, "python3", List.of("TRAIN"), "combined_score", true, Optional.empty(),
                Map.of("initial", initial), config.evaluatorTimeout().orElse(DEFAULT_TIMEOUT), List.of("**"), List.of(),
                List.of(), Optional.of(config), false, Optional.empty());
    }
}
