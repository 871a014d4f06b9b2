package io.galapagos.simulators.llmsql;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.CpuTimer;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.WorkloadException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times the candidate's reordering of each table and scores the prefix-cache hit rate of the
 * result. Score = 0.95 · mean hit rate + 0.05 · (12 − min(12, mean runtime in s)) / 12, the
 * original's formula, with the means over the tables of the split. The runtime is the thread's CPU
 * time, the median of {@link CpuTimer#REPEATS} calls (the original times one call's wall clock), so
 * that the same program scores the same however busy the machine is. The total of hits depends only on
 * the multiset of row strings (hits = characters minus the nodes of their trie), so the row order
 * matters to no score, only each row's column order and the merges do.
 *
 * <p>Splits with a data directory: TRAIN is the original evaluation (every published table that is
 * present, in full, in file order); TEST each table cut into four contiguous quarters scored as
 * tables of their own (no other data exists to hold out; a policy must find reuse without the full
 * table's repeats); SMOKE the first 300 rows of the first table.
 * Synthetic: TRAIN two review tables of 4,000 and 3,000 rows, TEST two more from other streams,
 * SMOKE one of 300 rows.
 */
final class LlmSqlEvaluator implements Evaluator<TableReorderer> {

    /** The original's datasets, in its order, with their merge groups (llm-sql.md L1). */
    static final Map<String, List<List<String>>> PUBLISHED = publishedDatasets();
    static final int SMOKE_ROWS = 300;
    static final int TEST_PARTS = 4;
    private static final double RUNTIME_CAP_SECONDS = 12.0;

    private final DataSource source;
    private final Map<Split, List<Dataset>> datasets;

    private LlmSqlEvaluator(DataSource source, Map<Split, List<Dataset>> datasets) {
        this.source = source;
        this.datasets = datasets;
    }

    private static Map<String, List<List<String>>> publishedDatasets() {
        Map<String, List<List<String>>> files = new LinkedHashMap<>();
        files.put("movies.csv", List.of(List.of("movieinfo", "movietitle", "rottentomatoeslink")));
        files.put("beer.csv", List.of(List.of("beer/beerId", "beer/name")));
        files.put("BIRD.csv", List.of(List.of("PostId", "Body")));
        files.put("PDMX.csv", List.of(List.of("path", "metadata"),
                List.of("hasmetadata", "isofficial", "isuserpublisher", "isdraft", "hasannotations", "subsetall")));
        files.put("products.csv", List.of(List.of("product_title", "parent_asin")));
        return files;
    }

    static LlmSqlEvaluator load(DataSource source) {
        Map<Split, List<Dataset>> datasets = new EnumMap<>(Split.class);
        if (source instanceof DataSource.Directory directory) {
            Path dir = directory.taskDirectory(LlmSqlTask.ID);
            List<Dataset> train = new ArrayList<>();
            for (Map.Entry<String, List<List<String>>> file : PUBLISHED.entrySet()) {
                Path path = dir.resolve(file.getKey());
                if (Files.isRegularFile(path)) {
                    train.add(new Dataset(file.getKey(), read(path), file.getValue()));
                }
            }
            if (train.isEmpty()) {
                throw new WorkloadException(dir + " holds none of " + PUBLISHED.keySet());
            }
            List<Dataset> test = new ArrayList<>();
            for (Dataset d : train) {
                int n = d.table().rowCount();
                for (int q = 0; q < TEST_PARTS; q++) {
                    int from = (int) ((long) n * q / TEST_PARTS);
                    int to = (int) ((long) n * (q + 1) / TEST_PARTS);
                    test.add(new Dataset(d.name() + " (rows " + from + ".." + (to - 1) + ")", slice(d.table(), from, to),
                            d.mergeGroups()));
                }
            }
            datasets.put(Split.TRAIN, List.copyOf(train));
            datasets.put(Split.TEST, List.copyOf(test));
            Dataset first = train.get(0);
            datasets.put(Split.SMOKE, List.of(new Dataset(first.name() + " (first " + SMOKE_ROWS + " rows)",
                    head(first.table(), SMOKE_ROWS), first.mergeGroups())));
        } else {
            long seed = ((DataSource.Synthetic) source).seed();
            datasets.put(Split.TRAIN, List.of(SyntheticTables.reviews("reviews-a", seed ^ 0x5A11L, 4000),
                    SyntheticTables.reviews("reviews-b", seed ^ 0x5A12L, 3000)));
            datasets.put(Split.TEST, List.of(SyntheticTables.reviews("reviews-c", seed ^ 0x5A13L, 4000),
                    SyntheticTables.reviews("reviews-d", seed ^ 0x5A14L, 3000)));
            datasets.put(Split.SMOKE, List.of(SyntheticTables.reviews("reviews-smoke", seed ^ 0x5A10L, SMOKE_ROWS)));
        }
        return new LlmSqlEvaluator(source, datasets);
    }

    private static Table read(Path path) {
        try {
            return TableReader.read(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new WorkloadException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Table head(Table table, int rows) {
        return slice(table, 0, Math.min(rows, table.rowCount()));
    }

    private static Table slice(Table table, int from, int to) {
        int[] order = new int[to - from];
        for (int i = 0; i < order.length; i++) {
            order[i] = from + i;
        }
        return rows(table, order);
    }

    private static Table rows(Table table, int[] order) {
        String[][] cells = new String[order.length][table.columnCount()];
        List<ColumnType> types = new ArrayList<>();
        for (int c = 0; c < table.columnCount(); c++) {
            types.add(table.columnType(c));
        }
        for (int r = 0; r < order.length; r++) {
            for (int c = 0; c < table.columnCount(); c++) {
                cells[r][c] = table.isMissing(order[r], c) ? null : table.text(order[r], c);
            }
        }
        return new Table(table.name(), table.columnNames(), types, cells);
    }

    List<Dataset> datasets(Split split) {
        return datasets.get(split);
    }

    @Override
    public int runCount(Split split) {
        return datasets.get(split).size();
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends TableReorderer> candidates, Split split) {
        List<Map<String, Object>> runs = new ArrayList<>();
        double hitRateSum = 0.0;
        double runtimeSum = 0.0;
        for (Dataset dataset : datasets.get(split)) {
            Reordering reordering;
            double seconds;
            List<String> violations = new ArrayList<>();
            try {
                // CPU time, median of repeats: the runtime term must not move with the machine's load.
                // The answer is copied right after the first call, before a later call could change it.
                CpuTimer.Timed<Reordering> timed = CpuTimer.median(CpuTimer.REPEATS,
                        () -> candidates.get().reorder(dataset.table(), dataset.mergeGroups()),
                        returned -> copy(returned, violations));
                seconds = timed.seconds();
                reordering = timed.result();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                        dataset.name() + ": reorder threw " + CandidateFailures.describe(e), List.of(), runs);
            }
            Table merged = violations.isEmpty() ? validate(dataset, reordering, violations) : dataset.table();
            if (!violations.isEmpty()) {
                return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION,
                        dataset.name() + ": the reordering is not valid: " + String.join("; ", violations), violations, runs);
            }
            PrefixHits hits = score(merged, reordering);
            hitRateSum += hits.hitRate();
            runtimeSum += seconds;
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("dataset", dataset.name());
            run.put("rows", merged.rowCount());
            run.put("columns", merged.columnCount());
            run.put("hits", hits.hits());
            run.put("characters", hits.total());
            run.put("hitRate", hits.hitRate());
            run.put("rowsWithoutHit", hits.rowsWithoutHit());
            run.put("runtimeSeconds", seconds);
            runs.add(run);
        }
        int n = runs.size();
        double hitRate = hitRateSum / n;
        double runtime = runtimeSum / n;
        double score = 0.95 * hitRate + 0.05 * (RUNTIME_CAP_SECONDS - Math.min(RUNTIME_CAP_SECONDS, runtime)) / RUNTIME_CAP_SECONDS;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("hitRate", hitRate);
        metrics.put("runtimeSeconds", runtime);
        return new EvaluationReport(EvaluationStatus.OK, score, metrics, feedback(split, runs, hitRate, runtime, score),
                List.of(), runs);
    }

    /**
     * The candidate's answer read once into the evaluator's own lists and arrays, element types checked:
     * its lists may be its own classes, which could answer differently to the check and to the scoring.
     * Missing parts stay {@code null} for {@link #validate}, which names them.
     */
    static Reordering copy(Reordering returned, List<String> violations) {
        if (returned == null) {
            return null;
        }
        List<List<String>> merges = null;
        List<?> groups = returned.merges();
        if (groups != null) {
            merges = new ArrayList<>();
            for (Object group : groups) {
                if (group == null) {
                    merges.add(null);
                    continue;
                }
                if (!(group instanceof List<?> members)) {
                    violations.add("merges holds a " + group.getClass().getName() + ", not a list of column names");
                    return null;
                }
                List<String> names = new ArrayList<>();
                for (Object member : members) {
                    if (!(member instanceof String name)) {
                        violations.add("merge group " + merges.size() + " holds " + member + ", not a column name");
                        return null;
                    }
                    names.add(name);
                }
                merges.add(List.copyOf(names));
            }
        }
        int[][] columnOrder = returned.columnOrder() == null ? null : returned.columnOrder().clone();
        for (int r = 0; columnOrder != null && r < columnOrder.length; r++) {
            columnOrder[r] = columnOrder[r] == null ? null : columnOrder[r].clone();
        }
        return new Reordering(merges == null ? null : java.util.Collections.unmodifiableList(merges),
                returned.rowOrder() == null ? null : returned.rowOrder().clone(), columnOrder);
    }

    /** The merged table the reordering refers to, once every part of it is a proper permutation. */
    private static Table validate(Dataset dataset, Reordering reordering, List<String> violations) {
        if (reordering == null || reordering.merges() == null || reordering.rowOrder() == null
                || reordering.columnOrder() == null) {
            violations.add("reorder returned null or a Reordering with a null part");
            return dataset.table();
        }
        List<List<String>> groups = dataset.mergeGroups();
        if (reordering.merges().size() != groups.size()) {
            violations.add("merges has " + reordering.merges().size() + " groups, the task asks for " + groups.size() + ": " + groups);
            return dataset.table();
        }
        for (int g = 0; g < groups.size(); g++) {
            List<String> given = reordering.merges().get(g);
            if (given == null || given.size() != groups.get(g).size() || !new HashSet<>(given).equals(new HashSet<>(groups.get(g)))) {
                violations.add("merge group " + g + " must hold exactly the columns " + groups.get(g) + " in some order, got " + given);
            }
        }
        if (!violations.isEmpty()) {
            return dataset.table();
        }
        Table merged = dataset.table().merged(reordering.merges());
        int rows = merged.rowCount();
        int columns = merged.columnCount();
        if (!isPermutation(reordering.rowOrder(), rows)) {
            violations.add("rowOrder must be a permutation of the " + rows + " row indices 0.." + (rows - 1)
                    + " (length " + reordering.rowOrder().length + ", each row exactly once)");
        }
        if (reordering.columnOrder().length != rows) {
            violations.add("columnOrder must have one entry per row: " + reordering.columnOrder().length + " for " + rows + " rows");
        } else {
            int bad = 0;
            int first = -1;
            for (int r = 0; r < rows; r++) {
                if (!isPermutation(reordering.columnOrder()[r], columns)) {
                    bad++;
                    first = first < 0 ? r : first;
                }
            }
            if (bad > 0) {
                violations.add(bad + " column orders are not permutations of the " + columns + " column indices (first at output row "
                        + first + ": " + Arrays.toString(reordering.columnOrder()[first]) + ")");
            }
        }
        return merged;
    }

    private static boolean isPermutation(int[] order, int n) {
        if (order == null || order.length != n) {
            return false;
        }
        boolean[] seen = new boolean[n];
        for (int i : order) {
            if (i < 0 || i >= n || seen[i]) {
                return false;
            }
            seen[i] = true;
        }
        return true;
    }

    private static PrefixHits score(Table merged, Reordering reordering) {
        PrefixHits hits = new PrefixHits();
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < merged.rowCount(); i++) {
            int source = reordering.rowOrder()[i];
            row.setLength(0);
            for (int c : reordering.columnOrder()[i]) {
                row.append(merged.text(source, c));
            }
            hits.add(row.toString());
        }
        return hits;
    }

    private static String feedback(Split split, List<Map<String, Object>> runs, double hitRate, double runtime, double score) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%s: score %.5f = 0.95 * mean hit rate %.5f + 0.05 * runtime term (mean %.3f s of 12 s).%n",
                split.label(), score, hitRate, runtime));
        List<Map<String, Object>> worstFirst = new ArrayList<>(runs);
        worstFirst.sort((a, b) -> Double.compare((double) a.get("hitRate"), (double) b.get("hitRate")));
        for (Map<String, Object> run : worstFirst) {
            text.append(String.format(Locale.ROOT, "- %s (%d rows x %d columns): hit rate %.5f (%d of %d characters reused),"
                            + " %d rows share no prefix with any earlier row, %.3f s%n",
                    run.get("dataset"), (int) run.get("rows"), (int) run.get("columns"), (double) run.get("hitRate"),
                    (long) run.get("hits"), (long) run.get("characters"), (long) run.get("rowsWithoutHit"),
                    (double) run.get("runtimeSeconds")));
        }
        return text.toString();
    }
}
