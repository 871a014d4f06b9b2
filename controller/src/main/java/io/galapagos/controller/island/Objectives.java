package io.galapagos.controller.island;

import io.galapagos.protocol.CborSerializable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What an island optimises ({@code galapagos.islands.objectives}): {@code score} ranks programs by their
 * scalar score (and the constraint rules), as always; {@code pareto} ranks them by the task's objectives
 * (metrics with directions, see {@code Task.objectives()}): the non-dominated programs first, then the next
 * front, and so on; within a front the programs at the ends and in sparse stretches first (crowding
 * distance), then the scalar order. The island's and the run's best stay the best scalar score.
 *
 * @param mode      how programs are ranked
 * @param objectives the task's objectives, in the order outputs show them
 */
public record Objectives(Mode mode, List<Objective> objectives) implements CborSerializable {

    /** The name of the objective that is the scalar score rather than a metric. */
    public static final String SCORE_NAME = "score";

    public static final Objectives SCORE = new Objectives(Mode.SCORE, List.of(Objective.SCORE));

    /** How an island ranks its programs. */
    public enum Mode {
        SCORE, PARETO;

        /** {@code score} or {@code pareto}; throws naming the key otherwise. */
        public static Mode parse(String text) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(text.strip())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("galapagos.islands.objectives must be score or pareto, not '" + text + "'");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One objective: a metric of the evaluation, or the score ({@link #SCORE_NAME}).
     *
     * @param maximise whether more is better
     */
    public record Objective(String name, boolean maximise) implements CborSerializable {

        public static final Objective SCORE = new Objective(SCORE_NAME, true);

        /** {@code min} or {@code max}, as outputs show the direction. */
        public String direction() {
            return maximise ? "max" : "min";
        }

        /** The program's value for this objective; NaN when it does not report the metric. */
        public double valueOf(double score, Map<String, Double> metrics) {
            Double value = SCORE_NAME.equals(name) ? Double.valueOf(score) : metrics.get(name);
            return value == null ? Double.NaN : value;
        }
    }

    public Objectives {
        // settings journalled before objectives existed rank by score
        mode = mode == null ? Mode.SCORE : mode;
        objectives = objectives == null || objectives.isEmpty() ? List.of(Objective.SCORE) : List.copyOf(objectives);
    }

    /** The same mode over the task's objectives (none: the score). */
    public Objectives withObjectives(List<Objective> taskObjectives) {
        return new Objectives(mode, taskObjectives);
    }

    public boolean pareto() {
        return mode == Mode.PARETO;
    }

    /** The program's objective values by name, in declaration order. */
    public Map<String, Double> values(double score, Map<String, Double> metrics) {
        Map<String, Double> values = new LinkedHashMap<>();
        objectives.forEach(o -> values.put(o.name(), o.valueOf(score, metrics)));
        return values;
    }

    /**
     * The program's values turned so that more is better on every objective; a metric it does not report
     * (or reports as NaN) is the worst value there is.
     */
    public double[] point(double score, Map<String, Double> metrics) {
        double[] point = new double[objectives.size()];
        for (int i = 0; i < point.length; i++) {
            Objective o = objectives.get(i);
            double value = o.valueOf(score, metrics);
            point[i] = Double.isNaN(value) ? Double.NEGATIVE_INFINITY : o.maximise() ? value : -value;
        }
        return point;
    }

    /** Whether point {@code a} is at least as good as {@code b} on every objective and better on one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                return false;
            }
            better |= a[i] > b[i];
        }
        return better;
    }

    /**
     * The items in fronts: the non-dominated first, then those dominated only by the first, and so on
     * (equal points share a front). Within a front, items keep their order in {@code items}.
     */
    public static <T> List<List<T>> fronts(List<T> items, Function<T, double[]> point) {
        int n = items.size();
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = point.apply(items.get(i));
        }
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dominates.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (dominates(points[i], points[j])) {
                    dominates.get(i).add(j);
                    dominatedBy[j]++;
                } else if (dominates(points[j], points[i])) {
                    dominates.get(j).add(i);
                    dominatedBy[i]++;
                }
            }
        }
        List<List<T>> fronts = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (dominatedBy[i] == 0) {
                current.add(i);
            }
        }
        while (!current.isEmpty()) {
            List<Integer> next = new ArrayList<>();
            for (int i : current) {
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) {
                        next.add(j);
                    }
                }
            }
            next.sort(Comparator.naturalOrder());
            fronts.add(current.stream().map(items::get).toList());
            current = next;
        }
        return fronts;
    }

    /**
     * NSGA-II's crowding distance of each item of one front: infinite at the ends of every objective,
     * otherwise the sum over objectives of the gap between its neighbours, relative to the front's range.
     */
    public static <T> Map<T, Double> crowding(List<T> front, Function<T, double[]> point) {
        Map<T, Double> distance = new IdentityHashMap<>();
        front.forEach(t -> distance.put(t, 0.0));
        if (front.isEmpty()) {
            return distance;
        }
        int dimensions = point.apply(front.get(0)).length;
        for (int d = 0; d < dimensions; d++) {
            int k = d;
            List<T> sorted = new ArrayList<>(front);
            sorted.sort(Comparator.comparingDouble(t -> point.apply(t)[k])); // stable: ties keep the front's order
            double min = point.apply(sorted.get(0))[k];
            double max = point.apply(sorted.get(sorted.size() - 1))[k];
            distance.put(sorted.get(0), Double.POSITIVE_INFINITY);
            distance.put(sorted.get(sorted.size() - 1), Double.POSITIVE_INFINITY);
            double range = max - min;
            if (!(range > 0) || Double.isInfinite(range)) {
                continue;
            }
            for (int i = 1; i < sorted.size() - 1; i++) {
                double gap = point.apply(sorted.get(i + 1))[k] - point.apply(sorted.get(i - 1))[k];
                distance.merge(sorted.get(i), gap / range, Double::sum);
            }
        }
        return distance;
    }

    /**
     * The programs best first: in {@code score} mode by {@code scalar} alone; in {@code pareto} mode front by
     * front, within a front the larger crowding distance first, then {@code scalar}.
     */
    public List<Individual> rank(Collection<Individual> programs, Comparator<Individual> scalar) {
        List<Individual> ordered = new ArrayList<>(programs);
        ordered.sort(scalar);
        if (!pareto()) {
            return ordered;
        }
        Map<Individual, double[]> points = new IdentityHashMap<>();
        Function<Individual, double[]> point = i -> points.computeIfAbsent(i, p -> point(p.score(), p.metrics()));
        List<Individual> ranked = new ArrayList<>(ordered.size());
        for (List<Individual> front : fronts(ordered, point)) {
            Map<Individual, Double> crowding = crowding(front, point);
            List<Individual> sorted = new ArrayList<>(front);
            sorted.sort(Comparator.comparingDouble((Individual i) -> crowding.get(i)).reversed().thenComparing(scalar));
            ranked.addAll(sorted);
        }
        return ranked;
    }

    /** The non-dominated programs (see {@link #front(List, Function)}); in {@code score} mode the best alone. */
    public List<Individual> front(Collection<Individual> programs, Comparator<Individual> scalar) {
        List<Individual> ordered = new ArrayList<>(programs);
        ordered.sort(scalar);
        if (ordered.isEmpty() || !pareto()) {
            return ordered.isEmpty() ? ordered : List.of(ordered.get(0));
        }
        return front(ordered, i -> point(i.score(), i.metrics()));
    }

    /**
     * The items no other item dominates (equal points are all kept), best first on the first objective, then
     * the next; items of equal points keep their order in {@code items}. One sweep in that order: an item can
     * only be dominated by one before it, and then also by one of the front already found.
     */
    public static <T> List<T> front(List<T> items, Function<T, double[]> point) {
        Map<T, double[]> points = new IdentityHashMap<>();
        // -0.0 and 0.0 are equal to dominance, not to Arrays.compare: adding 0.0 makes every zero 0.0
        items.forEach(t -> points.put(t, Arrays.stream(point.apply(t)).map(v -> v + 0.0).toArray()));
        List<T> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Arrays.compare(points.get(b), points.get(a)));
        List<T> front = new ArrayList<>();
        for (T item : sorted) {
            double[] p = points.get(item);
            if (front.stream().noneMatch(f -> dominates(points.get(f), p))) {
                front.add(item);
            }
        }
        return front;
    }
}
