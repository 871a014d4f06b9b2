package io.galapagos.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.galapagos.controller.report.RunComparison;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How well the search itself does: the offline engine on one task (Can't-Be-Late by default) for a few
 * budgets and seeds, once per variant of the configuration, each run a {@code galapagos run} child whose
 * {@code summary.json} gives the best's TRAIN and TEST scores and constraint metrics. Each variant and seed
 * is one run: started at the smallest budget, then extended with {@code galapagos resume --iterations} to the
 * next (same seed, same run: the first evaluations stay as they were), so every budget's row is measured.
 */
public final class SearchBenchmark {

    /** A configuration to measure: its name and the {@code galapagos.*} keys it sets (none: the defaults). */
    public record Variant(String name, Map<String, String> overrides) {

        public Variant {
            overrides = Map.copyOf(new LinkedHashMap<>(overrides));
        }

        /**
         * {@code NAME} or {@code NAME:KEY=VALUE[,KEY=VALUE...]}; every key under {@code galapagos.}.
         *
         * @throws IllegalArgumentException with one line naming what is wrong
         */
        public static Variant parse(String text) {
            int colon = text.indexOf(':');
            String name = (colon < 0 ? text : text.substring(0, colon)).strip();
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("--variant '" + text + "': the name must be letters, digits, '.', '_' or '-'");
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            if (colon >= 0) {
                for (String pair : text.substring(colon + 1).split(",")) {
                    int eq = pair.indexOf('=');
                    String key = eq < 0 ? "" : pair.substring(0, eq).strip();
                    String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
                    if (!key.startsWith("galapagos.") || value.isEmpty()) {
                        throw new IllegalArgumentException("--variant '" + text + "': expected galapagos.KEY=VALUE, not '"
                                + pair + "'");
                    }
                    overrides.put(key, value);
                }
            }
            return new Variant(name, overrides);
        }

        /** The overrides as a HOCON file for {@code run --config}. */
        String hocon() {
            StringBuilder text = new StringBuilder();
            overrides.forEach((key, value) -> text.append(key).append(" = ")
                    .append(ConfigFactory.parseString("v = " + value).getValue("v").render(ConfigRenderOptions.concise()))
                    .append('\n'));
            return text.toString();
        }

        public String describe() {
            return overrides.isEmpty() ? "defaults" : String.join(", ", overrides.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }

    /** The variants measured when none is given: the defaults, constraints on, the near-duplicate check off. */
    public static final List<Variant> DEFAULT_VARIANTS = List.of(
            new Variant("baseline", Map.of()),
            new Variant("constraints", Map.of("galapagos.islands.constraints", "initial")),
            new Variant("no-near-dup", Map.of("galapagos.islands.near-duplicate-similarity", "1")));

    /** A program's TRAIN and TEST score and constraint metrics, as a summary gives them. */
    public record Scores(OptionalDouble train, OptionalDouble test, Map<String, Double> trainConstraints,
                         Map<String, Double> testConstraints) {
        static final Scores NONE = new Scores(OptionalDouble.empty(), OptionalDouble.empty(), Map.of(), Map.of());
    }

    /** One measured run; {@code best} is empty when the run gave no summary. */
    public record Row(String variant, long evaluations, long seed, Optional<String> bestId, Scores best,
                      double seconds, String note) {
    }

    /** What a run's summary says about its best, its seed and the task's baselines. */
    public record Summary(Optional<String> bestId, Scores best, Map<String, Scores> references) {
    }

    /** What to run. */
    public record Setup(String task, Path dataDir, List<Long> evaluations, List<Long> seeds, List<Variant> variants,
                        Optional<Integer> islands, Path folder) {
    }

    /** Told of each row as it is measured. */
    public interface Listener {
        void measured(Row row);
    }

    private final Setup setup;

    public SearchBenchmark(Setup setup) {
        this.setup = setup;
    }

    /**
     * Runs every variant and seed at the smallest budget, then extends each to the next budget, and so on:
     * the short rows of every variant come first.
     *
     * @return the rows in the order measured, and the references (seed, baselines) of the first summary
     */
    public Result run(Listener listener) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        Map<String, Scores> references = new LinkedHashMap<>();
        List<Long> budgets = setup.evaluations().stream().sorted().toList();
        for (int b = 0; b < budgets.size(); b++) {
            for (Long seed : setup.seeds()) {
                for (Variant variant : setup.variants()) {
                    Path out = setup.folder().resolve(variant.name() + "-seed" + seed);
                    List<String> arguments = new ArrayList<>();
                    Path config = setup.folder().resolve(variant.name() + ".conf");
                    Files.writeString(config, variant.hocon(), StandardCharsets.UTF_8);
                    if (b == 0) {
                        arguments.addAll(List.of("run", "--task", setup.task(), "--data-dir", setup.dataDir().toString(),
                                "--seed", String.valueOf(seed), "--config", config.toString()));
                        setup.islands().ifPresent(n -> arguments.addAll(List.of("--islands", String.valueOf(n))));
                    } else {
                        arguments.add("resume"); // the run's journalled settings hold the variant's keys
                    }
                    arguments.addAll(List.of("--iterations", String.valueOf(budgets.get(b)), "--out", out.toString(),
                            "--no-http"));
                    long start = System.nanoTime();
                    String log = variant.name() + "-seed" + seed + "-" + budgets.get(b);
                    Process process = new ProcessBuilder(GalapagosProcess.command(List.of(), arguments))
                            .redirectOutput(setup.folder().resolve(log + ".out").toFile())
                            .redirectError(setup.folder().resolve(log + ".err").toFile())
                            .start();
                    int exit;
                    try {
                        exit = process.waitFor();
                    } catch (InterruptedException e) {
                        GalapagosProcess.kill(process);
                        throw e;
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Optional<Summary> summary = readSummary(out);
                    String note = exit == 0 ? "" : "exit " + exit + ", see " + log + ".err";
                    Row row = new Row(variant.name(), budgets.get(b), seed, summary.flatMap(Summary::bestId),
                            summary.map(Summary::best).orElse(Scores.NONE), seconds, note);
                    if (references.isEmpty()) {
                        summary.ifPresent(s -> references.putAll(s.references()));
                    }
                    rows.add(row);
                    listener.measured(row);
                }
            }
        }
        return new Result(rows, references);
    }

    /** The rows, and the seed's and baselines' scores of the first summary. */
    public record Result(List<Row> rows, Map<String, Scores> references) {
    }

    /** The best, the seed and the baselines of {@code out}'s {@code summary.json}; empty when there is none. */
    static Optional<Summary> readSummary(Path out) {
        Path file = out.resolve(RunComparison.FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Optional<String> bestId = Optional.empty();
        Scores best = Scores.NONE;
        Map<String, Scores> references = new LinkedHashMap<>();
        for (JsonNode program : json.path("programs")) {
            String label = program.path("program").asText();
            Scores scores = new Scores(score(program.path("train")), score(program.path("test")),
                    constraints(program.path("train")), constraints(program.path("test")));
            if (label.startsWith("best ")) {
                bestId = Optional.of(program.path("candidate").asText(label.substring(5)));
                best = scores;
            } else if (label.startsWith("seed") || label.startsWith("baseline ")) {
                references.put(label, scores);
            }
        }
        return Optional.of(new Summary(bestId, best, references));
    }

    private static OptionalDouble score(JsonNode outcome) {
        JsonNode score = outcome.path("score");
        return score.isNumber() ? OptionalDouble.of(score.asDouble()) : OptionalDouble.empty();
    }

    private static Map<String, Double> constraints(JsonNode outcome) {
        Map<String, Double> values = new LinkedHashMap<>();
        outcome.path("constraints").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
        return values;
    }

    // ---- the table ------------------------------------------------------------------------------

    public static final String HEADER = String.format(Locale.ROOT, "%-14s %11s %5s %11s %11s %13s %8s  %s", "variant",
            "evaluations", "seed", "best TRAIN", "best TEST", "misses TR/TE", "run s", "best");

    /** One row of the table; the constraint column sums the task's constraint metrics as TRAIN/TEST. */
    public static String line(Row row) {
        return String.format(Locale.ROOT, "%-14s %11d %5d %11s %11s %13s %8.0f  %s", row.variant(), row.evaluations(),
                row.seed(), figure(row.best().train()), figure(row.best().test()), constraintText(row.best()),
                row.seconds(), row.bestId().orElse("-") + (row.note().isEmpty() ? "" : " (" + row.note() + ")"));
    }

    /** A reference program (the seed, a baseline) in the table's columns. */
    static String referenceLine(String label, Scores scores) {
        return String.format(Locale.ROOT, "%-32s %11s %11s %13s", label, figure(scores.train()), figure(scores.test()),
                constraintText(scores));
    }

    /** Per variant and budget: the mean best TRAIN and TEST over the seeds measured, and the constraint counts summed. */
    static List<String> means(List<Row> rows) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        // a run that gave no summary is left out: n counts the runs measured
        rows.stream().filter(r -> r.best().train().isPresent())
                .forEach(r -> groups.computeIfAbsent(r.variant() + "\u0000" + r.evaluations(), k -> new ArrayList<>()).add(r));
        List<String> lines = new ArrayList<>();
        for (List<Row> group : groups.values()) {
            Row first = group.get(0);
            OptionalDouble train = group.stream().filter(r -> r.best().train().isPresent())
                    .mapToDouble(r -> r.best().train().getAsDouble()).average();
            OptionalDouble test = group.stream().filter(r -> r.best().test().isPresent())
                    .mapToDouble(r -> r.best().test().getAsDouble()).average();
            double missesTrain = group.stream().mapToDouble(r -> sum(r.best().trainConstraints())).sum();
            double missesTest = group.stream().mapToDouble(r -> sum(r.best().testConstraints())).sum();
            lines.add(String.format(Locale.ROOT, "%-14s %11d %5s %11s %11s %13s", first.variant(), first.evaluations(),
                    "n=" + group.size(), figure(train), figure(test),
                    whole(missesTrain) + "/" + whole(missesTest)));
        }
        return lines;
    }

    /** The whole table: rows, means over seeds, and the references. */
    public static List<String> table(Result result) {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        result.rows().forEach(r -> lines.add(line(r)));
        lines.add("");
        lines.add("means over the seeds (n of them; misses summed):");
        lines.addAll(means(result.rows()));
        lines.add("");
        lines.add("references (the first run's summary):");
        result.references().forEach((label, scores) -> lines.add(referenceLine(label, scores)));
        return lines;
    }

    private static String constraintText(Scores scores) {
        if (scores.trainConstraints().isEmpty() && scores.testConstraints().isEmpty()) {
            return "-";
        }
        return (scores.trainConstraints().isEmpty() ? "-" : whole(sum(scores.trainConstraints()))) + "/"
                + (scores.testConstraints().isEmpty() ? "-" : whole(sum(scores.testConstraints())));
    }

    private static double sum(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String whole(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String figure(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.3f", value.getAsDouble()) : "-";
    }
}
