package io.galapagos.controller.report;

import io.galapagos.controller.generation.CostTracker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pictures and the page of a run for a reader: {@code progress.svg}, each island's best TRAIN score
 * over the run's evaluations with the baselines as horizontal lines and the TEST scores of the bests
 * next to them, on a scale that the best lines fill; and {@code report.html}, one self-contained page
 * (no script, no file beside it) with that picture, the comparison with the seed and the baselines,
 * the islands, failures, spending, the best program and the top candidates, to mail or archive.
 */
public final class RunReport {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#17becf"};
    private static final int WIDTH = 820;
    private static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 34;
    private static final int BOTTOM = 50;
    private static final int TICKS = 5;
    private static final int TOP_CANDIDATES = 20;

    private RunReport() {
    }

    /** A point of a picture: the evaluation's position in the run and a score. */
    private record Point(double x, double y) {
    }

    /**
     * Each island's best TRAIN score so far, a step line over the run's evaluations; the bests' TEST
     * scores as hollow circles; the baselines' TRAIN scores as dashed lines. The vertical range is the
     * best lines' (failed and poor children, or a far baseline, would squash them flat): a TEST score or
     * a baseline outside it is named at the side with its value and where it lies.
     */
    public static String svg(RunHistory history, List<RunComparison.Row> baselines) {
        Map<String, List<Point>> best = new TreeMap<>();
        Map<String, List<Point>> tests = new TreeMap<>();
        Map<String, Double> bestSoFar = new LinkedHashMap<>();
        Map<String, RunHistory.Candidate> listed = new HashMap<>();
        history.candidates().forEach(c -> listed.put(c.candidateId(), c));
        RunHistory.Progress progress = history.progress();
        long x = progress.evaluations();
        progress.steps().forEach((island, steps) -> {
            for (RunHistory.Step step : steps) {
                Double before = bestSoFar.put(island, step.score());
                List<Point> line = best.computeIfAbsent(island, k -> new ArrayList<>());
                if (before != null) {
                    line.add(new Point(step.x(), before)); // a step: level until this evaluation, then up
                }
                line.add(new Point(step.x(), step.score()));
                Optional.ofNullable(listed.get(step.candidateId())).flatMap(RunHistory.Candidate::test)
                        .filter(t -> t.status().succeeded() && Double.isFinite(t.score()))
                        .ifPresent(t -> tests.computeIfAbsent(island, k -> new ArrayList<>()).add(new Point(step.x(), t.score())));
            }
        });
        double maxX = Math.max(1, x);
        best.forEach((island, line) -> line.add(new Point(maxX, bestSoFar.get(island))));
        Map<String, Double> baselineScores = new LinkedHashMap<>();
        for (RunComparison.Row row : baselines) {
            row.train().flatMap(RunComparison.Outcome::score).filter(Double::isFinite)
                    .ifPresent(score -> baselineScores.put(row.label(), score));
        }
        // the range is the best lines': TEST scores and baselines outside it are named at its edge instead
        List<Double> ys = new ArrayList<>();
        best.values().forEach(line -> line.forEach(p -> ys.add(p.y())));
        if (ys.isEmpty()) {
            ys.addAll(baselineScores.values());
        }
        double low = ys.stream().mapToDouble(d -> d).min().orElse(0);
        double high = ys.stream().mapToDouble(d -> d).max().orElse(1);
        double pad = high > low ? (high - low) * 0.06 : Math.max(Math.abs(high) * 0.01, 1e-9);
        low -= pad;
        high += pad;

        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double yLow = low;
        double yHigh = high;
        java.util.function.DoubleUnaryOperator px = v -> LEFT + v / maxX * plotW;
        java.util.function.DoubleUnaryOperator py = v -> TOP + plotH - (v - yLow) / (yHigh - yLow) * plotH;

        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        String title = history.settings().map(s -> s.taskId()).orElse("run");
        svg.append(format("<text x=\"%d\" y=\"20\" font-size=\"13\">%s: best TRAIN score per island over the run;"
                + " circles: the TEST score of each new best</text>%n", LEFT, escape(title)));
        svg.append(format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, TOP, plotW, plotH));
        for (int t = 0; t <= TICKS; t++) {
            double value = low + (high - low) * t / TICKS;
            double y = py.applyAsDouble(value);
            svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, y, LEFT + plotW, y));
            svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, tick(value, high - low)));
            long evaluations = Math.round(maxX * t / TICKS);
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    px.applyAsDouble(evaluations), TOP + plotH + 16, evaluations));
        }
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">evaluations</text>%n", LEFT + plotW / 2, HEIGHT - 12));
        int legend = 0;
        for (Map.Entry<String, Double> baseline : baselineScores.entrySet()) {
            double value = baseline.getValue();
            String where = value > high ? " \u2191 above" : value < low ? " \u2193 below" : "";
            if (where.isEmpty()) {
                double y = py.applyAsDouble(value);
                svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#777\""
                        + " stroke-dasharray=\"6 4\"/>%n", LEFT, y, LEFT + plotW, y));
            }
            svg.append(format("<text x=\"%d\" y=\"%d\" fill=\"#555\">%s %s %s%s</text>%n", WIDTH - RIGHT + 10,
                    TOP + 14 + 16 * legend++, where.isEmpty() ? "- -" : "", escape(baseline.getKey()), number(value), where));
        }
        int i = 0;
        for (String island : best.keySet()) {
            String colour = COLOURS[i++ % COLOURS.length];
            String points = best.get(island).stream()
                    .map(p -> format("%.1f,%.1f", px.applyAsDouble(p.x()), py.applyAsDouble(p.y())))
                    .collect(Collectors.joining(" "));
            svg.append(format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour, points));
            for (Point test : tests.getOrDefault(island, List.of())) {
                if (test.y() < low || test.y() > high) {
                    continue; // named in the legend
                }
                svg.append(format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"white\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                        px.applyAsDouble(test.x()), py.applyAsDouble(test.y()), colour));
            }
            List<Point> islandTests = tests.getOrDefault(island, List.of());
            String test = islandTests.isEmpty() ? "" : " (TEST " + number(islandTests.get(islandTests.size() - 1).y()) + ")";
            svg.append(format("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s best %s%s</text>%n", WIDTH - RIGHT + 10,
                    TOP + 14 + 16 * legend++, colour, escape(island), number(bestSoFar.get(island)), escape(test)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The page: everything above, the picture inline, in one file. */
    public static String html(RunHistory history, RunComparison comparison, String svg) {
        String task = history.settings().map(s -> s.taskId()).orElse("-");
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape("Galapagos run: " + task)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
                .append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}")
                .append(".warning{color:#a00;font-weight:bold}\n</style>\n</head>\n<body>\n");
        page.append("<h1>").append(escape(task)).append("</h1>\n<p>");
        history.settings().ifPresent(s -> page.append("run ").append(escape(s.runId())).append(", ")
                .append(s.islands()).append(" islands, seed ").append(s.seed()).append(", "));
        page.append(escape(history.completion().map(c -> "completed: " + c).orElse("not completed"))).append(", ")
                .append(history.evaluatedCount()).append(" evaluated, ").append(history.inFlight())
                .append(" in flight, ").append(history.failedProposals()).append(" failed proposals, ")
                .append(escape(io.galapagos.protocol.Durations.formatMillis(history.elapsedMillis()))).append("</p>\n");
        for (String warning : comparison.warnings()) {
            page.append("<p class=\"warning\">WARNING: ").append(escape(warning)).append("</p>\n");
        }
        page.append(svg.replaceFirst("^<svg ", "<svg style=\"max-width:100%;height:auto\" "));
        comparisonTable(comparison, page);
        islandsTable(history, page);
        failures(history, page);
        spending(history.spending(), page);
        history.best().ifPresent(best -> {
            page.append("<h2>Best program: ").append(escape(best.candidateId())).append("</h2>\n");
            List<String> lineage = history.lineage(best.candidateId());
            page.append("<p>lineage: ").append(escape(String.join(" \u2190 ", lineage))).append("</p>\n");
            page.append("<pre>").append(escape(best.code())).append("</pre>\n");
        });
        topCandidates(history, page);
        page.append("</body>\n</html>\n");
        return page.toString();
    }

    private static void comparisonTable(RunComparison comparison, StringBuilder page) {
        page.append("<h2>Best against the seed and the baselines</h2>\n<table>\n<tr><th>program</th><th>candidate</th>"
                + "<th>TRAIN</th><th>TEST</th>");
        comparison.constraints().forEach(m -> page.append("<th>").append(escape(m.name())).append(" TRAIN/TEST</th>"));
        page.append("</tr>\n");
        for (RunComparison.Row row : comparison.rows()) {
            page.append("<tr><td>").append(escape(row.label())).append("</td><td>")
                    .append(escape(row.candidateId().orElse(""))).append("</td><td class=\"n\">")
                    .append(outcome(row.train())).append("</td><td class=\"n\">").append(outcome(row.test())).append("</td>");
            comparison.constraints().forEach(m -> page.append("<td class=\"n\">")
                    .append(metric(row.train(), m.name())).append(" / ").append(metric(row.test(), m.name())).append("</td>"));
            page.append("</tr>\n");
        }
        page.append("</table>\n");
    }

    private static void islandsTable(RunHistory history, StringBuilder page) {
        page.append("<h2>Islands</h2>\n<table>\n<tr><th>island</th><th>evaluated</th><th>best</th><th>TRAIN</th>"
                + "<th>TEST</th></tr>\n");
        Map<String, Long> evaluated = history.evaluatedPerIsland();
        for (Map.Entry<String, Long> island : evaluated.entrySet()) {
            Optional<RunHistory.Candidate> best = history.bestOf(island.getKey());
            page.append("<tr><td>").append(escape(island.getKey())).append("</td><td class=\"n\">").append(island.getValue())
                    .append("</td><td>").append(escape(best.map(RunHistory.Candidate::candidateId).orElse("-")))
                    .append("</td><td class=\"n\">").append(best.flatMap(RunHistory.Candidate::evaluation)
                            .map(e -> number(e.score())).orElse("-"))
                    .append("</td><td class=\"n\">").append(best.flatMap(RunHistory.Candidate::test)
                            .map(e -> number(e.score())).orElse("-")).append("</td></tr>\n");
        }
        page.append("</table>\n");
    }

    private static void failures(RunHistory history, StringBuilder page) {
        page.append("<h2>Failures</h2>\n<table>\n<tr><th>failed evaluations by status</th><th>count</th></tr>\n");
        history.failures().forEach((status, count) -> page.append("<tr><td>").append(escape(status))
                .append("</td><td class=\"n\">").append(count).append("</td></tr>\n"));
        page.append("<tr><td>failed proposals</td><td class=\"n\">").append(history.failedProposals())
                .append("</td></tr>\n</table>\n");
        Map<String, Long> reasons = history.proposalFailureReasons();
        if (!reasons.isEmpty()) {
            page.append("<table>\n<tr><th>reason of failed proposals</th><th>count</th></tr>\n");
            reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP_CANDIDATES)
                    .forEach(r -> page.append("<tr><td>").append(escape(r.getKey())).append("</td><td class=\"n\">")
                            .append(r.getValue()).append("</td></tr>\n"));
            page.append("</table>\n");
        }
    }

    private static void spending(Map<String, CostTracker.ModelTotals> spending, StringBuilder page) {
        if (spending.isEmpty()) {
            return;
        }
        page.append("<h2>Spending</h2>\n<table>\n<tr><th>model</th><th>calls</th><th>prompt tokens</th>"
                + "<th>completion tokens</th><th>USD</th></tr>\n");
        spending.forEach((model, t) -> page.append("<tr><td>").append(escape(model)).append("</td><td class=\"n\">")
                .append(t.calls()).append("</td><td class=\"n\">").append(t.promptTokens()).append("</td><td class=\"n\">")
                .append(t.completionTokens()).append("</td><td class=\"n\">").append(format("%.4f", t.costUsd()))
                .append("</td></tr>\n"));
        page.append("</table>\n");
    }

    private static void topCandidates(RunHistory history, StringBuilder page) {
        List<RunHistory.Candidate> top = history.evaluated().stream()
                .filter(c -> c.succeeded() && Double.isFinite(c.evaluation().orElseThrow().score()))
                .sorted(Comparator.comparingDouble((RunHistory.Candidate c) -> c.evaluation().orElseThrow().score())
                        .reversed().thenComparing(RunHistory.Candidate::candidateId))
                .limit(TOP_CANDIDATES).toList();
        page.append("<h2>Top ").append(top.size()).append(" candidates</h2>\n<table>\n<tr><th>candidate</th><th>parent</th>"
                + "<th>generator</th><th>TRAIN</th><th>TEST</th><th>change</th></tr>\n");
        for (RunHistory.Candidate c : top) {
            page.append("<tr><td>").append(escape(c.candidateId())).append("</td><td>")
                    .append(escape(c.parentId().orElse(""))).append("</td><td>").append(escape(c.generator()))
                    .append("</td><td class=\"n\">").append(number(c.evaluation().orElseThrow().score()))
                    .append("</td><td class=\"n\">").append(c.test().map(t -> number(t.score())).orElse(""))
                    .append("</td><td>").append(escape(firstLine(c.summary()))).append("</td></tr>\n");
        }
        page.append("</table>\n");
    }

    private static String outcome(Optional<RunComparison.Outcome> outcome) {
        return outcome.map(o -> o.score().map(RunReport::number).orElse(escape(o.status()))).orElse("-");
    }

    private static String metric(Optional<RunComparison.Outcome> outcome, String name) {
        return outcome.flatMap(o -> Optional.ofNullable(o.metrics().get(name))).map(RunReport::number).orElse("-");
    }

    private static String number(double value) {
        return Double.isFinite(value) ? format("%.6g", value) : String.valueOf(value);
    }

    /** A tick label with enough digits to tell neighbouring ticks of a span apart. */
    private static String tick(double value, double span) {
        int digits = span > 0 ? Math.max(0, 2 - (int) Math.floor(Math.log10(span / TICKS))) : 4;
        return format("%." + Math.min(digits, 8) + "f", value);
    }

    static String firstLine(String text) {
        String line = text == null ? "" : text.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
