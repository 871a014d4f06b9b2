package io.galapagos.controller.report;

import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.island.Objectives;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Writes a run's results into its output directory: best program, history table and progress chart. */
public final class RunOutputs {

    private static final Pattern PUBLIC_CLASS =
            Pattern.compile("(?m)^\\s*public\\s+(?:final\\s+|abstract\\s+)*class\\s+([A-Za-z_$][A-Za-z0-9_$]*)");

    private RunOutputs() {
    }

    /**
     * {@code best/<Class>.java}, {@code best/info.json}, {@code history.csv}, {@code progress.svg} and
     * {@code report.html} (see {@link RunReport}), {@code failed-proposals.csv} (every proposal that gave
     * no candidate, with its reason) and {@code spending.json} (tokens and dollars per model). The picture
     * and the page show the baselines of the last summary in {@code out}, if there is one.
     */
    public static void write(Path out, RunHistory history) {
        write(out, history, Optional.empty());
    }

    /**
     * The same, with the best program under {@code programFile} (a task folder's program, in its own
     * language) instead of {@code <Class>.java}.
     */
    public static void write(Path out, RunHistory history, Optional<String> programFile) {
        write(out, history, programFile, RunComparison.of(history, List.of(), RunComparison.baselines(out),
                Optional.empty(), Optional.empty()));
    }

    /** The same, with the comparison (baselines, constraint metrics, TEST scores) the page shows. */
    public static void write(Path out, RunHistory history, Optional<String> programFile, RunComparison comparison) {
        write(out, history, programFile, comparison, true);
    }

    /**
     * The same, leaving {@code history.csv} and {@code failed-proposals.csv} as they are when {@code table} is
     * false: while a run goes, its {@link CandidateLog} appends their lines, and the history it is written from
     * may hold only the rows a reader keeps (see {@link RunHistory.Reader}).
     */
    public static void write(Path out, RunHistory history, Optional<String> programFile, RunComparison comparison,
                             boolean table) {
        try {
            Files.createDirectories(out);
            if (table) {
                Files.writeString(out.resolve(HISTORY_FILE), historyCsv(history), StandardCharsets.UTF_8);
            }
            List<RunComparison.Row> baselines = comparison.rows().stream()
                    .filter(row -> row.label().startsWith(RunComparison.BASELINE)).toList();
            String svg = RunReport.svg(history, baselines);
            Files.writeString(out.resolve("progress.svg"), svg, StandardCharsets.UTF_8);
            Files.writeString(out.resolve("report.html"), RunReport.html(history, comparison, svg), StandardCharsets.UTF_8);
            if (table) {
                Files.writeString(out.resolve(FAILED_PROPOSALS_FILE), failedProposalsCsv(history), StandardCharsets.UTF_8);
            }
            Files.writeString(out.resolve("spending.json"), spendingJson(history), StandardCharsets.UTF_8);
            if (history.best().isPresent()) {
                RunHistory.Candidate best = history.best().get();
                Path dir = Files.createDirectories(out.resolve("best"));
                Files.writeString(dir.resolve(programFile.orElse(className(best.code()) + ".java")), best.code(),
                        StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("info.json"), infoJson(history, best), StandardCharsets.UTF_8);
                if (history.paretoObjectives().isPresent()) {
                    writeFront(dir, history, programFile);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + out, e);
        }
    }

    /** The folder under {@code best/} that holds the code of the front's programs, one folder per program. */
    public static final String FRONT_DIR = "front";

    /**
     * {@code best/front.json}: the run's objectives and its Pareto front ({@link RunHistory#frontPoints()}), one
     * program per point with its objective values and the file of its code under {@code best/front/}, which
     * is written anew each time (a program that left the front leaves no file behind).
     */
    static void writeFront(Path best, RunHistory history, Optional<String> programFile) throws IOException {
        Path folder = best.resolve(FRONT_DIR);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.writeString(best.resolve("front.json"), frontJson(history, programFile), StandardCharsets.UTF_8);
        for (RunHistory.FrontPoint point : history.frontPoints()) {
            RunHistory.Candidate c = point.program();
            if (!c.code().isEmpty()) {
                Path file = best.resolve(frontFile(c, programFile));
                Files.createDirectories(file.getParent());
                Files.writeString(file, c.code(), StandardCharsets.UTF_8);
            }
        }
    }

    /** Where a front program's code is, relative to {@code best/}. */
    static String frontFile(RunHistory.Candidate c, Optional<String> programFile) {
        return FRONT_DIR + "/" + c.candidateId().replaceAll("[^A-Za-z0-9._-]", "_") + "/"
                + programFile.orElse(className(c.code()) + ".java");
    }

    static String frontJson(RunHistory history, Optional<String> programFile) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(front(history, programFile));
    }

    /**
     * The run's Pareto front as {@code best/front.json}, {@code galapagos status --json} and the dashboard give
     * it: {@code objectives} (name, direction {@code min}/{@code max}) and {@code points}, one per distinct
     * point: its program (candidate, island, score), the objective values, {@code code} (the program's file
     * under {@code best/}) and {@code equal} (the other programs at the same point). Empty in {@code score} mode.
     */
    public static Map<String, Object> front(RunHistory history, Optional<String> programFile) {
        Optional<Objectives> pareto = history.paretoObjectives();
        if (pareto.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> front = new LinkedHashMap<>();
        front.put("objectives", pareto.get().objectives().stream().map(o -> {
            Map<String, Object> objective = new LinkedHashMap<>();
            objective.put("name", o.name());
            objective.put("direction", o.direction());
            return objective;
        }).toList());
        front.put("points", history.frontPoints().stream().map(p -> {
            RunHistory.Candidate c = p.program();
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("candidate", c.candidateId());
            point.put("island", c.island());
            point.put("score", finite(c.evaluation().orElseThrow().score()));
            point.put("objectives", finiteMap(p.values()));
            point.put("code", frontFile(c, programFile));
            point.put("equal", p.equal().stream().map(RunHistory.Candidate::candidateId).toList());
            return point;
        }).toList());
        return front;
    }

    public static String className(String code) {
        Matcher m = PUBLIC_CLASS.matcher(code);
        return m.find() ? m.group(1) : "Candidate";
    }

    static String infoJson(RunHistory history, RunHistory.Candidate best) throws IOException {
        RunHistory.Evaluation train = best.evaluation().orElseThrow();
        Map<String, Object> info = new LinkedHashMap<>();
        history.settings().ifPresent(s -> {
            info.put("run", s.runId());
            info.put("task", s.taskId());
            info.put("seed", s.seed());
        });
        info.put("candidate", best.candidateId());
        info.put("island", best.island());
        info.put("class", className(best.code()));
        info.put("score", finite(train.score()));
        info.put("split", train.split());
        info.put("metrics", finiteMap(train.metrics()));
        // a stochastic task's best: score is the mean of these evaluations
        history.samples(best.candidateId()).ifPresent(n -> info.put("samples", RunComparison.samplesJson(n)));
        best.test().ifPresent(t -> {
            info.put("testScore", finite(t.score()));
            info.put("testMetrics", finiteMap(t.metrics()));
        });
        info.put("generator", best.generator());
        info.put("summary", best.summary());
        info.put("lineage", history.lineage(best.candidateId()));
        info.put("feedback", train.feedback());
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info);
    }

    private static Object finite(double value) {
        return Double.isFinite(value) ? value : String.valueOf(value);
    }

    private static Map<String, Object> finiteMap(Map<String, Double> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, finite(v)));
        return out;
    }

    public static final String FAILED_PROPOSALS_FILE = "failed-proposals.csv";

    /** The first line of {@code failed-proposals.csv}. */
    static final String FAILED_PROPOSALS_HEADER =
            "island,sequence,parent,generator,kind,prompt_tokens,completion_tokens,cost_usd,variant,reason";

    static String failedProposalsCsv(RunHistory history) {
        StringBuilder csv = new StringBuilder(FAILED_PROPOSALS_HEADER).append('\n');
        for (RunHistory.FailedProposal f : history.proposalFailures()) {
            appendFailedProposalRow(csv, f);
        }
        return csv.toString();
    }

    /** The line of {@code failed-proposals.csv} of a proposal that gave no candidate. */
    static void appendFailedProposalRow(StringBuilder csv, RunHistory.FailedProposal f) {
        csv.append(f.island()).append(',').append(f.sequence()).append(',').append(f.parentId()).append(',')
                .append(quote(f.generator())).append(',').append(f.kind().key()).append(',')
                .append(f.usage().promptTokens()).append(',').append(f.usage().completionTokens()).append(',')
                .append(usd(f.usage().costUsd())).append(',').append(f.variant().map(PromptVariant::key).orElse(""))
                .append(',').append(quote(f.reason())).append('\n');
    }

    static String spendingJson(RunHistory history) throws IOException {
        Map<String, CostTracker.ModelTotals> perModel = history.spending();
        CostTracker.ModelTotals total = perModel.values().stream()
                .reduce(CostTracker.ModelTotals.NONE, CostTracker.ModelTotals::plus);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("calls", total.calls());
        json.put("promptTokens", total.promptTokens());
        json.put("completionTokens", total.completionTokens());
        json.put("costUsd", total.costUsd());
        history.settings().ifPresent(s -> s.generation().budgetUsd().ifPresent(b -> json.put("budgetUsd", b)));
        json.put("models", perModel);
        history.settings().flatMap(s -> s.generation().llm())
                .ifPresent(llm -> json.put("modelChoice", llm.selection().key()));
        json.put("earned", history.earned());
        json.put("earnedByVariant", history.earnedByVariant());
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
    }

    private static String usd(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    public static final String HISTORY_FILE = "history.csv";

    /** The first line of {@code history.csv}. */
    static final String HISTORY_HEADER = "order,candidate,island,sequence,parent,generator,status,score,split,test_score,"
            + "elapsed_ms,worker,summary,metrics,prompt_tokens,completion_tokens,cost_usd,variant";

    static String historyCsv(RunHistory history) {
        StringBuilder csv = new StringBuilder(HISTORY_HEADER).append('\n');
        int order = 0;
        for (RunHistory.Candidate c : history.evaluated()) {
            appendHistoryRow(csv, ++order, c);
            for (RunHistory.ReEvaluation r : history.reEvaluations().getOrDefault(c.candidateId(), List.of())) {
                appendReEvaluationRow(csv, ++order, c, r);
            }
        }
        return csv.toString();
    }

    /** The generator column of a re-evaluation's row: it proposed nothing, it measured a would-be best again. */
    public static final String RE_EVALUATION = "re-evaluation";

    /**
     * The line of {@code history.csv} of re-evaluation {@code r} of a stochastic task's candidate {@code c}: the
     * candidate's id and place, generator {@value #RE_EVALUATION}, no tokens.
     */
    static void appendReEvaluationRow(StringBuilder csv, int order, RunHistory.Candidate c, RunHistory.ReEvaluation r) {
        csv.append(order).append(',').append(c.candidateId()).append(',').append(c.island()).append(',')
                .append(c.sequence()).append(',').append(c.parentId().orElse("")).append(',').append(RE_EVALUATION)
                .append(',').append(r.status()).append(',').append(number(r.score())).append(',').append(r.split())
                .append(",,").append(r.elapsedMillis()).append(',').append(quote(r.worker())).append(',')
                .append("re-evaluation ").append(r.repeat()).append(",,0,0,").append(usd(0)).append('\n');
    }

    /** The line of {@code history.csv} of an evaluated candidate, the {@code order}-th evaluated. */
    static void appendHistoryRow(StringBuilder csv, int order, RunHistory.Candidate c) {
        RunHistory.Evaluation e = c.evaluation().orElseThrow();
        csv.append(order).append(',').append(c.candidateId()).append(',').append(c.island()).append(',')
                .append(c.sequence()).append(',').append(c.parentId().orElse("")).append(',')
                .append(quote(c.generator())).append(',').append(e.status()).append(',').append(number(e.score()))
                .append(',').append(e.split()).append(',')
                .append(c.test().map(t -> number(t.score())).orElse("")).append(',').append(e.elapsedMillis())
                .append(',').append(quote(e.worker())).append(',').append(quote(c.summary())).append(',')
                .append(quote(e.metrics().entrySet().stream().map(m -> m.getKey() + "=" + number(m.getValue()))
                        .collect(Collectors.joining(";")))).append(',').append(c.usage().promptTokens())
                .append(',').append(c.usage().completionTokens()).append(',').append(usd(c.usage().costUsd()))
                .append(',').append(c.variant().map(PromptVariant::key).orElse("")).append('\n');
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "";
    }

    private static String quote(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.contains(",") || flat.contains("\"") ? "\"" + flat.replace("\"", "\"\"") + "\"" : flat;
    }
}
