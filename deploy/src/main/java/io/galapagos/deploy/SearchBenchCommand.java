package io.galapagos.deploy;

import io.galapagos.deploy.bench.SearchBenchmark;
import io.galapagos.simulators.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code galapagos bench search}: the search's efficacy, the offline engine's best TRAIN and TEST scores and
 * its constraint metrics (Can't-Be-Late: deadline misses) for a few budgets, seeds and configuration variants,
 * next to the seed program and the task's baselines.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Best TRAIN/TEST and deadline misses of offline-engine runs per budget, seed and configuration"
                + " variant, next to the seed and the baselines.",
                "Each variant and seed is one run, extended from budget to budget with 'resume --iterations'."})
public final class SearchBenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--task", defaultValue = "cant-be-late", description = "a built-in task. Default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "published data laid out like adrs-data (e.g. ../shared/adrs-data)")
    Path dataDir;

    @Option(names = "--evaluations", defaultValue = "200,1000", paramLabel = "N[,N...]",
            description = "budgets (evaluated candidates). Default: ${DEFAULT-VALUE}.")
    String evaluations;

    @Option(names = "--seeds", defaultValue = "1,2,3", paramLabel = "S[,S...]", description = "Default: ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--variant", paramLabel = "NAME[:galapagos.KEY=VALUE[,...]]",
            description = {"a configuration to measure (repeatable). Default: baseline (the defaults),",
                    "constraints:galapagos.islands.constraints=initial,",
                    "no-near-dup:galapagos.islands.near-duplicate-similarity=1"})
    List<String> variants = new ArrayList<>();

    @Option(names = "--islands", description = "islands per run; default: galapagos.islands.count")
    Optional<Integer> islands = Optional.empty();

    @Option(names = "--out", paramLabel = "FILE", description = "also write the table to FILE (rewritten after each row)")
    Optional<Path> out = Optional.empty();

    @Option(names = "--work", paramLabel = "DIR",
            description = "where the runs' folders and logs go (new or empty); default: a temporary directory")
    Optional<Path> work = Optional.empty();

    /** The flags as a benchmark's setup, without running anything. */
    SearchBenchmark.Setup setup(Path folder) {
        List<Long> budgets = positiveList("--evaluations", evaluations);
        List<Long> seedList = list("--seeds", seeds);
        List<SearchBenchmark.Variant> chosen = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String text : variants) {
            SearchBenchmark.Variant variant = SearchBenchmark.Variant.parse(text);
            if (!names.add(variant.name())) {
                throw new IllegalArgumentException("--variant " + variant.name() + " is given twice");
            }
            chosen.add(variant);
        }
        if (chosen.isEmpty()) {
            chosen.addAll(SearchBenchmark.DEFAULT_VARIANTS);
        }
        if (islands.filter(n -> n < 1).isPresent()) {
            throw new IllegalArgumentException("--islands must be positive, not " + islands.get());
        }
        if (TaskRegistry.load().find(task).isEmpty()) {
            throw new IllegalArgumentException("unknown task '" + task + "' (see 'galapagos tasks')");
        }
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("--data-dir " + dataDir + " is not a directory");
        }
        return new SearchBenchmark.Setup(task, dataDir.toAbsolutePath().normalize(), budgets, seedList,
                List.copyOf(chosen), islands, folder);
    }

    @Override
    public Integer call() throws Exception {
        SearchBenchmark.Setup setup;
        Path folder;
        try {
            if (work.isPresent() && Files.exists(work.get()) && !emptyDirectory(work.get())) {
                throw new IllegalArgumentException("--work " + work.get() + " is not an empty directory");
            }
            setup = setup(Path.of("."));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        folder = work.isPresent() ? Files.createDirectories(work.get()) : Files.createTempDirectory("galapagos-bench-search");
        setup = new SearchBenchmark.Setup(setup.task(), setup.dataDir(), setup.evaluations(), setup.seeds(),
                setup.variants(), setup.islands(), folder.toAbsolutePath().normalize());
        PrintWriter console = spec.commandLine().getOut();
        console.printf("galapagos bench search: %s, offline engine, evaluations %s, seeds %s; runs in %s%n", setup.task(),
                setup.evaluations(), setup.seeds(), setup.folder());
        setup.variants().forEach(v -> console.printf("  variant %s: %s%n", v.name(), v.describe()));
        console.println(SearchBenchmark.HEADER);
        console.flush();
        List<SearchBenchmark.Row> rows = new ArrayList<>();
        SearchBenchmark.Result result = new SearchBenchmark(setup).run(row -> {
            rows.add(row);
            console.println(SearchBenchmark.line(row));
            console.flush();
            out.ifPresent(file -> write(file, SearchBenchmark.table(new SearchBenchmark.Result(List.copyOf(rows), Map.of()))));
        });
        List<String> table = SearchBenchmark.table(result);
        console.println();
        table.subList(result.rows().size() + 1, table.size()).forEach(console::println);
        console.flush();
        out.ifPresent(file -> write(file, table));
        return result.rows().stream().allMatch(r -> r.note().isEmpty()) ? 0 : Galapagos.EXIT_FAILED;
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    static List<Long> list(String flag, String text) {
        List<Long> values = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                values.add(Long.parseLong(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " must be whole numbers separated by commas, not '" + text + "'");
            }
        }
        if (values.size() != new LinkedHashSet<>(values).size()) {
            throw new IllegalArgumentException(flag + " names a value twice: '" + text + "'");
        }
        return List.copyOf(values);
    }

    static List<Long> positiveList(String flag, String text) {
        List<Long> values = list(flag, text);
        if (values.stream().anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(flag + " must be positive, not '" + text + "'");
        }
        return values;
    }

    private static boolean emptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("galapagos bench search: " + message);
        return Galapagos.EXIT_USAGE;
    }
}
