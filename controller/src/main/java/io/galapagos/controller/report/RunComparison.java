package io.galapagos.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.galapagos.simulators.ConstraintMetric;

import io.galapagos.controller.island.NoisyScore;

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

/**
 * The best program next to the seed, its parent and the baselines, with the task's constraint metrics
 * beside each score, and the warnings a reader must not miss: a best that is worse on TEST than the
 * seed or its parent, or that breaks the task's rules more often than the seed.
 *
 * @param constraints the task's constraint metrics, shown as {@code TRAIN/TEST} columns
 * @param rows        baselines, seed, the best's parent, the best (in that order; each when known)
 * @param bestSamples a stochastic task's best: the scores of its evaluations (its TRAIN score is their mean)
 */
public record RunComparison(List<ConstraintMetric> constraints, List<Row> rows, Optional<Row> best,
                            Optional<Row> seed, Optional<Row> parent, Optional<NoisyScore> bestSamples) {

    /** The last summary's comparison, in the run's folder. */
    public static final String FILE = "summary.json";

    /** How the label of a baseline's row starts: {@code baseline <name>}. */
    public static final String BASELINE = "baseline ";

    /** Width of the console the summary is written for. */
    public static final int COLUMNS = 80;

    public RunComparison {
        constraints = List.copyOf(constraints);
        rows = List.copyOf(rows);
    }

    /** One evaluation of a program on one split; a failed one has no score. */
    public record Outcome(String status, Optional<Double> score, Map<String, Double> metrics) {

        public Outcome {
            metrics = Map.copyOf(metrics);
        }

        public static Outcome of(RunHistory.Evaluation e) {
            return new Outcome(e.status().name(), e.status().succeeded() && Double.isFinite(e.score())
                    ? Optional.of(e.score()) : Optional.empty(), e.metrics());
        }

        String text() {
            return score.map(s -> String.format(Locale.ROOT, "%.6g", s)).orElse(status);
        }
    }

    /** A program of the comparison: {@code label} names it for the reader. */
    public record Row(String label, Optional<String> candidateId, Optional<Outcome> train, Optional<Outcome> test) {

        Optional<Double> metric(Optional<Outcome> split, String name) {
            return split.filter(o -> o.score().isPresent()).flatMap(o -> Optional.ofNullable(o.metrics().get(name)));
        }

        Optional<Double> testScore() {
            return test.flatMap(Outcome::score);
        }
    }

    /**
     * The comparison of a run's history.
     *
     * @param baselines the baselines, evaluated by the caller (none where it cannot evaluate)
     * @param seedTest  the seed's TEST outcome when the history has none (the caller evaluated it)
     * @param bestTest  the best's TEST outcome when the history has none
     */
    public static RunComparison of(RunHistory history, List<ConstraintMetric> constraints, List<Row> baselines,
                                   Optional<Outcome> seedTest, Optional<Outcome> bestTest) {
        List<Row> rows = new ArrayList<>(baselines);
        Optional<Row> seed = seedOf(history).map(s -> new Row("seed (initial program)", Optional.of(s.candidateId()),
                s.evaluation().map(Outcome::of), testOf(history, s).or(() -> seedTest)));
        seed.ifPresent(rows::add);
        Optional<RunHistory.Candidate> bestCandidate = history.best();
        Optional<Row> parent = bestCandidate.flatMap(RunHistory.Candidate::parentId)
                .flatMap(id -> history.candidates().stream().filter(c -> c.candidateId().equals(id)).findFirst())
                .filter(p -> !isSeed(p)) // every island's seed is the seed row's program
                .map(p -> new Row("parent " + p.candidateId(), Optional.of(p.candidateId()),
                        p.evaluation().map(Outcome::of), p.test().map(Outcome::of)));
        parent.ifPresent(rows::add);
        Optional<Row> best = bestCandidate.map(b -> new Row("best " + b.candidateId(), Optional.of(b.candidateId()),
                b.evaluation().map(Outcome::of), b.test().map(Outcome::of).or(() -> bestTest)));
        best.ifPresent(rows::add);
        return new RunComparison(constraints, rows, best, seed, parent,
                bestCandidate.flatMap(b -> history.samples(b.candidateId())));
    }

    /** The task's initial program as the history holds it: the first evaluated seed of an island. */
    public static Optional<RunHistory.Candidate> seedOf(RunHistory history) {
        return history.evaluated().stream().filter(RunComparison::isSeed).findFirst();
    }

    private static boolean isSeed(RunHistory.Candidate c) {
        return c.parentId().isEmpty() && c.sequence() == 0;
    }

    /** Whether the history holds the seed but no TEST score of it (the caller may evaluate one). */
    public static boolean seedNeedsTest(RunHistory history) {
        return seedOf(history).map(s -> testOf(history, s).isEmpty()).orElse(false);
    }

    /** Every island starts from the same seed: any island's test of it counts. */
    private static Optional<Outcome> testOf(RunHistory history, RunHistory.Candidate seed) {
        return history.evaluated().stream().filter(c -> isSeed(c) && c.code().equals(seed.code())
                && c.test().isPresent()).findFirst()
                .flatMap(RunHistory.Candidate::test).map(Outcome::of);
    }

    /** What the reader must not miss, one sentence each (not yet wrapped). */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (best.isEmpty()) {
            return warnings;
        }
        Row b = best.get();
        boolean bestIsSeed = seed.flatMap(Row::candidateId).equals(b.candidateId());
        if (!bestIsSeed && b.testScore().isPresent()) {
            double score = b.testScore().get();
            seed.flatMap(Row::testScore).filter(s -> score < s).ifPresent(s -> warnings.add(String.format(Locale.ROOT,
                    "the best scores %.6g on TEST, worse than the seed's %.6g", score, s)));
            parent.flatMap(p -> p.testScore().filter(s -> score < s).map(s -> String.format(Locale.ROOT,
                    "the best scores %.6g on TEST, worse than its parent %s's %.6g", score,
                    p.candidateId().orElse("?"), s))).ifPresent(warnings::add);
        }
        if (!bestIsSeed && seed.isPresent()) {
            for (ConstraintMetric metric : constraints) {
                List<String> worse = new ArrayList<>();
                compare(metric, "TRAIN", b.metric(b.train(), metric.name()),
                        seed.get().metric(seed.get().train(), metric.name()), worse);
                compare(metric, "TEST", b.metric(b.test(), metric.name()),
                        seed.get().metric(seed.get().test(), metric.name()), worse);
                if (!worse.isEmpty()) {
                    warnings.add("best has " + (metric.lowerIsBetter() ? "more " : "lower ") + metric.name()
                            + " than seed: " + String.join(", ", worse));
                }
            }
        }
        return warnings;
    }

    private static void compare(ConstraintMetric metric, String split, Optional<Double> best, Optional<Double> seed,
                                List<String> worse) {
        if (best.isPresent() && seed.isPresent() && metric.worse(best.get(), seed.get())) {
            worse.add(number(best.get()) + " vs " + number(seed.get()) + " " + split);
        }
    }

    /** The table and the warnings as console lines; {@code task} names the task in the header. */
    public List<String> lines(String task) {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-30s %12s %12s",
                cut("program (" + task + ")", 30), "TRAIN", "TEST"));
        constraints.forEach(m -> header.append(String.format(Locale.ROOT, " %15s", cut(m.name(), 15))));
        lines.add(header.toString());
        for (Row row : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-30s %12s %12s", cut(row.label(), 30),
                    row.train().map(Outcome::text).orElse("-"), row.test().map(Outcome::text).orElse("-")));
            for (ConstraintMetric m : constraints) {
                line.append(String.format(Locale.ROOT, " %15s",
                        row.metric(row.train(), m.name()).map(RunComparison::number).orElse("-") + "/"
                                + row.metric(row.test(), m.name()).map(RunComparison::number).orElse("-")));
            }
            lines.add(line.toString());
        }
        if (!constraints.isEmpty()) {
            lines.add("(constraint metrics as TRAIN/TEST; "
                    + (constraints.stream().allMatch(ConstraintMetric::lowerIsBetter) ? "lower is better)" : "see README)"));
        }
        bestSamples.ifPresent(n -> lines.addAll(wrap("(a stochastic task: the best's TRAIN is the " + spread(n) + ")")));
        warnings().forEach(w -> lines.addAll(wrap("WARNING: " + w)));
        return lines;
    }

    /** The comparison as JSON-ready values, for {@code status --json}. */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("constraintMetrics", constraints.stream().map(m -> Map.of("name", m.name(),
                "lowerIsBetter", m.lowerIsBetter())).toList());
        List<Map<String, Object>> programs = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> program = new LinkedHashMap<>();
            program.put("program", row.label());
            row.candidateId().ifPresent(id -> program.put("candidate", id));
            row.train().ifPresent(o -> program.put("train", outcomeJson(o)));
            row.test().ifPresent(o -> program.put("test", outcomeJson(o)));
            programs.add(program);
        }
        json.put("programs", programs);
        bestSamples.ifPresent(n -> json.put("bestSamples", samplesJson(n)));
        json.put("warnings", warnings());
        return json;
    }

    private Map<String, Object> outcomeJson(Outcome o) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", o.status());
        json.put("score", o.score().orElse(null));
        Map<String, Double> shown = new LinkedHashMap<>();
        constraints.forEach(m -> Optional.ofNullable(o.metrics().get(m.name())).ifPresent(v -> shown.put(m.name(), v)));
        json.put("constraints", shown);
        return json;
    }

    /**
     * Writes {@link #FILE}: the comparison as {@link #json()} gives it, so that {@code galapagos status},
     * which evaluates nothing, can show the baselines the summary evaluated.
     */
    public void write(Path out) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(FILE), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(json()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(FILE), e);
        }
    }

    /** The baselines of the last summary written to {@code out} (none when there is none, or it is unreadable). */
    public static List<Row> baselines(Path out) {
        Path file = out.resolve(FILE);
        List<Row> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        try {
            for (JsonNode program : new ObjectMapper().readTree(file.toFile()).path("programs")) {
                String label = program.path("program").asText();
                if (label.startsWith(BASELINE)) {
                    rows.add(new Row(label, Optional.empty(), outcome(program.path("train")),
                            outcome(program.path("test"))));
                }
            }
        } catch (IOException e) {
            return List.of(); // the summary is rewritten at the end of the next run or resume
        }
        return rows;
    }

    private static Optional<Outcome> outcome(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        node.path("constraints").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        JsonNode score = node.path("score");
        return Optional.of(new Outcome(node.path("status").asText(),
                score.isNumber() ? Optional.of(score.asDouble()) : Optional.empty(), metrics));
    }

    /** {@code mean of n evaluations, m ± standard error (sd, min, max)}, as the summary shows it. */
    public static String spread(NoisyScore samples) {
        return String.format(Locale.ROOT, "mean of %d evaluations, %.6g ± %.2g standard error (sd %.2g, min %.6g, "
                        + "max %.6g)", samples.count(), samples.mean(), samples.standardError(),
                samples.standardDeviation(), samples.min(), samples.max());
    }

    /** The samples and their spread as JSON-ready values, for {@code best/info.json} and {@code status --json}. */
    public static Map<String, Object> samplesJson(NoisyScore samples) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mean", samples.mean());
        json.put("standardError", samples.standardError());
        json.put("standardDeviation", samples.standardDeviation());
        json.put("min", samples.min());
        json.put("max", samples.max());
        json.put("evaluations", samples.count());
        json.put("scores", samples.samples());
        return json;
    }

    /** Splits a line at spaces so that none is longer than {@link #COLUMNS}; continuations are indented. */
    static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        String indent = "         ";
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > COLUMNS) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            } else if (line.length() > 0 && !line.toString().equals(indent)) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.4g", value);
    }
}
