package io.galapagos.controller.island;

import io.galapagos.protocol.CborSerializable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An island's programs, MAP-Elites style: a grid over two features (code length and a task metric)
 * keeps the best program of each cell, and an elite archive keeps the best programs overall. A
 * program lives while it holds a cell or a place in the archive, so the population stays bounded.
 *
 * @param members  living programs by candidate id
 * @param cells    grid cell ({@code "lengthBin,metricBin"}) to the candidate holding it
 * @param archive  candidate ids of the elite archive, best first
 * @param length   observed range of code lengths (bins stretch with it)
 * @param metric   observed range of the feature metric
 * @param limits   the constraint limits, fixed by the first program inserted ({@link Constraints}); none when off
 * @param objectives how the archive and {@link #ranked()} order programs ({@link Objectives}); the grid cells and
 *                 {@link #best()} keep the scalar order
 */
public record Population(Map<String, Individual> members, Map<String, String> cells, List<String> archive,
                         Range length, Range metric, Constraints.Limits limits, Objectives objectives)
        implements CborSerializable {

    /** Observed minimum and maximum of a feature. */
    public record Range(double min, double max) implements CborSerializable {
        static final Range EMPTY = new Range(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);

        Range include(double value) {
            return new Range(Math.min(min, value), Math.max(max, value));
        }

        int bin(double value, int bins) {
            if (!(max > min)) {
                return 0;
            }
            int bin = (int) Math.floor((value - min) / (max - min) * bins);
            return Math.max(0, Math.min(bins - 1, bin));
        }
    }

    public static final Comparator<Individual> BEST_FIRST =
            Comparator.comparingDouble(Individual::score).reversed().thenComparing(Individual::candidateId);

    public Population {
        members = Map.copyOf(members);
        cells = Map.copyOf(cells);
        archive = List.copyOf(archive);
        // populations journalled before constraints existed rank by score alone
        limits = limits == null ? Constraints.Limits.NONE : limits;
        objectives = objectives == null ? Objectives.SCORE : objectives; // and before objectives, by score
    }

    /** A population ranked by score (the shape before objectives existed). */
    public Population(Map<String, Individual> members, Map<String, String> cells, List<String> archive,
                      Range length, Range metric, Constraints.Limits limits) {
        this(members, cells, archive, length, metric, limits, Objectives.SCORE);
    }

    public static Population empty() {
        return new Population(Map.of(), Map.of(), List.of(), Range.EMPTY, Range.EMPTY, Constraints.Limits.NONE);
    }

    /** Feasible programs first (see {@link Constraints}), then by score: the order of every choice here. */
    public Comparator<Individual> order() {
        return limits.bestFirst();
    }

    /** How far a program's metrics go past this population's constraint limits (0: feasible). */
    public double excess(Map<String, Double> metrics) {
        return limits.excess(metrics);
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    /** Whether this population holds the candidate or a program with the same code. */
    public boolean holds(Individual individual) {
        return members.containsKey(individual.candidateId())
                || members.values().stream().anyMatch(m -> m.code().equals(individual.code()));
    }

    /**
     * Living programs, best first (ties by candidate id, so the order is reproducible); in pareto mode the
     * non-dominated first ({@link Objectives#rank}).
     */
    public List<Individual> ranked() {
        return objectives.rank(members.values(), order());
    }

    /** The living programs no other living program dominates, best score first (pareto mode; else the best). */
    public List<Individual> front() {
        return objectives.front(members.values(), order());
    }

    public Optional<Individual> best() {
        return members.values().stream().min(order());
    }

    /** Programs of the elite archive, best first. */
    public List<Individual> elites() {
        return archive.stream().map(members::get).toList();
    }

    /** The programs holding grid cells, in cell order. */
    public List<Individual> cellHolders() {
        return cells.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> members.get(e.getValue())).toList();
    }

    /** This population with {@code individual} added where it earns a place (a cell or the archive), by score. */
    public Population insert(Individual individual, String featureMetric, int bins, int archiveSize) {
        return insert(individual, featureMetric, bins, archiveSize, Constraints.OFF, Objectives.SCORE);
    }

    /** The same, ranked by score within the constraint rules. */
    public Population insert(Individual individual, String featureMetric, int bins, int archiveSize,
                             Constraints constraints) {
        return insert(individual, featureMetric, bins, archiveSize, constraints, Objectives.SCORE);
    }

    /**
     * This population with {@code individual} added where it earns a place; the first program inserted
     * fixes the limits of {@code constraints}. A cell goes to the better program in the scalar order; the
     * archive keeps the first {@code archiveSize} programs as {@code newObjectives} rank them.
     */
    public Population insert(Individual individual, String featureMetric, int bins, int archiveSize,
                             Constraints constraints, Objectives newObjectives) {
        Constraints.Limits newLimits = isEmpty() ? constraints.limitsFrom(individual.metrics()) : limits;
        Comparator<Individual> order = newLimits.bestFirst();
        Range newLength = length.include(individual.code().length());
        Optional<Double> feature = Optional.ofNullable(individual.metrics().get(featureMetric));
        Range newMetric = feature.map(metric::include).orElse(metric);
        String cell = newLength.bin(individual.code().length(), bins) + ","
                + feature.map(v -> newMetric.bin(v, bins)).orElse(0);

        // the maps are built once, as the immutable maps the record keeps: an insert that changes no
        // membership (most, once the grid is full) keeps the members it had
        String id = individual.candidateId();
        String holder = cells.get(cell);
        Individual held = holder == null ? null : holder.equals(id) ? individual : members.get(holder);
        Map<String, String> newCells = holder == null || order.compare(individual, held) < 0
                ? withEntry(cells, cell, id) : cells;
        List<Individual> candidates = new ArrayList<>(archive.size() + 1);
        for (String member : archive) {
            candidates.add(member.equals(id) ? individual : members.get(member));
        }
        candidates.add(individual);
        List<Individual> ranked = newObjectives.rank(candidates, order);
        List<String> newArchive = ranked.stream().limit(archiveSize).map(Individual::candidateId).toList();

        Set<String> living = new HashSet<>(newCells.values());
        living.addAll(newArchive);
        boolean joins = living.contains(id);
        int kept = 0;
        for (String member : members.keySet()) {
            if (living.contains(member) && !member.equals(id)) {
                kept++;
            }
        }
        Map<String, Individual> all = members;
        if (joins || kept < members.size()) {
            @SuppressWarnings("unchecked")
            Map.Entry<String, Individual>[] entries = new Map.Entry[kept + (joins ? 1 : 0)];
            int i = 0;
            for (Map.Entry<String, Individual> member : members.entrySet()) {
                if (living.contains(member.getKey()) && !member.getKey().equals(id)) {
                    entries[i++] = member;
                }
            }
            if (joins) {
                entries[i] = Map.entry(id, individual);
            }
            all = Map.ofEntries(entries);
        }
        return new Population(all, newCells, newArchive, newLength, newMetric, newLimits, newObjectives);
    }

    /** {@code map} with {@code value} at {@code key}, built as an immutable map at once. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> withEntry(Map<String, String> map, String key, String value) {
        Map.Entry<String, String>[] entries = new Map.Entry[map.size() + (map.containsKey(key) ? 0 : 1)];
        int i = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (!entry.getKey().equals(key)) {
                entries[i++] = entry;
            }
        }
        entries[i] = Map.entry(key, value);
        return Map.ofEntries(entries);
    }

    /**
     * This population with a living program's score replaced (the mean of a stochastic task's repeated
     * evaluations): it keeps its cell, and the archive is ranked again.
     */
    public Population rescored(String candidateId, double score) {
        Individual member = members.get(candidateId);
        if (member == null) {
            return this;
        }
        Map<String, Individual> updated = new LinkedHashMap<>(members);
        updated.put(candidateId, member.withScore(score));
        List<Individual> ranked = new ArrayList<>(archive.stream().map(updated::get).toList());
        ranked.sort(limits.bestFirst());
        return new Population(updated, cells, ranked.stream().map(Individual::candidateId).toList(), length, metric,
                limits);
    }

    /** This population with the test score recorded on a living program. */
    public Population withTestScore(String candidateId, double testScore) {
        Individual member = members.get(candidateId);
        if (member == null) {
            return this;
        }
        Map<String, Individual> updated = new LinkedHashMap<>(members);
        updated.put(candidateId, member.withTestScore(testScore));
        return new Population(updated, cells, archive, length, metric, limits, objectives);
    }
}
