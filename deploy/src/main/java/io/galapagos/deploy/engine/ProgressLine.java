package io.galapagos.deploy.engine;

import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.run.IslandReport;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.protocol.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one-line view of a running search: {@code running 37/200 | ETA 1m 18s | best -0.1575 | failed 3 | ...}.
 * Fields have a priority: on a terminal the line keeps the most important ones, short forms first, within
 * its width; elsewhere it has them all in full.
 */
public final class ProgressLine {

    /** The width of a progress line on a terminal: one column less than 80, so the cursor never wraps. */
    public static final int TERMINAL_WIDTH = 79;

    private static final String SEPARATOR = " | ";

    private ProgressLine() {
    }

    /** One field, in its full and its short form (the same text when it has no shorter one). */
    private record Field(int order, String full, String brief) {
    }

    /**
     * The line for {@code status}, with {@code rate} evaluations per second in this session, no longer
     * than {@code width} characters.
     */
    public static String render(RunStatus status, double rate, int width) {
        long target = status.settings().map(RunSettings::iterations).orElse(0L);
        String phase = status.phase().name().toLowerCase(Locale.ROOT);
        // fields in priority order; `order` is where each stands on the line
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(0, phase + " " + status.evaluated() + "/" + target + " evaluated",
                phase + " " + status.evaluated() + "/" + target));
        eta(status, rate, target).ifPresent(eta -> fields.add(new Field(1, "ETA " + eta, "ETA " + eta)));
        status.best().ifPresent(b -> fields.add(new Field(2, "best " + number(b.score())
                + b.testScore().map(t -> " (test " + number(t) + ")").orElse(""), "best " + number(b.score()))));
        failures(status).ifPresent(fields::add);
        fields.add(new Field(4, String.format(Locale.ROOT, "%.1f eval/s", rate), String.format(Locale.ROOT, "%.1f/s", rate)));
        fields.add(new Field(5, "in flight " + status.inFlight(), "in flight " + status.inFlight()));
        wallClockLeft(status).ifPresent(left -> fields.add(new Field(6, "wall clock " + left + " left", left + " left")));
        spending(status).ifPresent(fields::add);
        status.islands().stream().map(IslandReport::generator).filter(g -> !g.isEmpty()).findFirst()
                .ifPresent(g -> fields.add(new Field(8, g, g.length() > 24 ? g.substring(0, 23) + "~" : g)));
        return fit(fields, width);
    }

    /** Keeps fields in priority order while their short forms fit, then lengthens them while the line still fits. */
    private static String fit(List<Field> byPriority, int width) {
        List<Field> kept = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        int length = -SEPARATOR.length();
        for (Field field : byPriority) {
            int added = SEPARATOR.length() + field.brief().length();
            if (kept.isEmpty() || length + added <= width) {
                kept.add(field);
                texts.add(field.brief());
                length += added;
            }
        }
        for (int n = 0; n < kept.size(); n++) {
            int longer = kept.get(n).full().length() - texts.get(n).length();
            if (longer > 0 && length + longer <= width) {
                texts.set(n, kept.get(n).full());
                length += longer;
            }
        }
        List<Integer> positions = new ArrayList<>();
        for (int n = 0; n < kept.size(); n++) {
            positions.add(n);
        }
        positions.sort((a, b) -> Integer.compare(kept.get(a).order(), kept.get(b).order()));
        String line = positions.stream().map(texts::get).collect(Collectors.joining(SEPARATOR));
        return line.length() > width ? line.substring(0, Math.max(0, width - 1)) + "~" : line;
    }

    private static Optional<String> eta(RunStatus status, double rate, long target) {
        if (status.phase() != RunStatus.Phase.RUNNING || rate <= 0 || target <= status.evaluated()) {
            return Optional.empty();
        }
        double seconds = (target - status.evaluated()) / rate;
        return Optional.of(Durations.format(Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2.0))));
    }

    /** Failed proposals and failed evaluations by status: {@code failed 3 (2 proposals, 1 TIMEOUT)}. */
    private static Optional<Field> failures(RunStatus status) {
        long proposals = status.failedProposals();
        Map<String, Long> evaluations = status.failures();
        long total = proposals + evaluations.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return Optional.of(new Field(3, "failed 0", "failed 0"));
        }
        List<String> parts = new ArrayList<>();
        if (proposals > 0) {
            parts.add(proposals + (proposals == 1 ? " proposal" : " proposals"));
        }
        evaluations.forEach((kind, n) -> parts.add(n + " " + kind));
        return Optional.of(new Field(3, "failed " + total + " (" + String.join(", ", parts) + ")", "failed " + total));
    }

    private static Optional<String> wallClockLeft(RunStatus status) {
        return status.settings().map(RunSettings::wallClockMillis).filter(budget -> budget > 0)
                .map(budget -> Durations.formatMillis(budget - status.elapsedMillis()));
    }

    private static Optional<Field> spending(RunStatus status) {
        CostTracker.ModelTotals spent = status.spent();
        Optional<Double> budget = status.settings().flatMap(s -> s.generation().budgetUsd().isPresent()
                ? Optional.of(s.generation().budgetUsd().getAsDouble()) : Optional.empty());
        if (spent.calls() == 0 && budget.isEmpty()) {
            return Optional.empty();
        }
        String dollars = String.format(Locale.ROOT, "$%.4f", spent.costUsd())
                + budget.map(b -> String.format(Locale.ROOT, " of $%.2f", b)).orElse("");
        return Optional.of(new Field(7, dollars + ", " + (spent.promptTokens() + spent.completionTokens()) + " tokens",
                dollars));
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.5g", value);
    }
}
