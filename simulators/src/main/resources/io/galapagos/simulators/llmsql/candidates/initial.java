import io.galapagos.simulators.llmsql.ColumnType;
import io.galapagos.simulators.llmsql.Reordering;
import io.galapagos.simulators.llmsql.Table;
import io.galapagos.simulators.llmsql.TableReorderer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Greedy Group Recursion (GGR, MLSys'25): repeatedly pick the value whose repetition saves the most
 * prompt characters, group the rows that hold it and move it to the front of those rows, recurse
 * into the group (column step) and the rest (row step); leaves are sorted lexicographically with
 * columns ordered by how much prefix they can share. Exactly the published seed's algorithm.
 */
public class GreedyGroupRecursion implements TableReorderer {

    // EVOLVE-BLOCK-START
    private static final long EARLY_STOP = 100000;
    private static final int ROW_STOP = 4;
    private static final int COL_STOP = 2;
    private static final int BASE = 2000;
    private static final double DISTINCT_THRESHOLD = 0.7;
    private static final String INDEX = "original_index";

    /** One cell: its source column (-1 for the row index), its value for comparing and counting, its text. */
    private static final class Cell {
        final int column;
        final int kind; // 0 number, 1 string, 2 missing
        final double number;
        final String text;
        final Object key; // equal keys = equal values in Python; null when missing
        final int length;

        Cell(int column, int kind, double number, String text, Object key, int length) {
            this.column = column;
            this.kind = kind;
            this.number = number;
            this.text = text;
            this.key = key;
            this.length = length;
        }
    }

    private static final class Row {
        final int id;
        final Cell[] cells;

        Row(int id, Cell[] cells) {
            this.id = id;
            this.cells = cells;
        }
    }

    private record Block(List<Row> rows, List<String> labels) {
    }

    private final Map<Object, Long> weights = new HashMap<>();

    @Override
    public Reordering reorder(Table table, List<List<String>> mergeGroups) {
        List<List<String>> merges = new ArrayList<>();
        if (!mergeGroups.isEmpty()) {
            double[] rawScores = columnScores(table);
            List<Integer> rank = byScore(rawScores, table.columnCount());
            for (List<String> group : mergeGroups) {
                List<String> members = new ArrayList<>(group);
                members.sort(Comparator.comparingInt(name -> rank.indexOf(table.columnIndex(name))));
                merges.add(members);
            }
        }
        Table merged = table.merged(merges);
        int n = merged.rowCount();
        double[] scores = columnScores(merged);
        List<Integer> kept = new ArrayList<>();
        List<Integer> discarded = new ArrayList<>();
        for (int c = 0; c < merged.columnCount(); c++) {
            if (distinct(merged, c) > n * DISTINCT_THRESHOLD) {
                discarded.add(c);
            } else {
                kept.add(c);
            }
        }
        discarded.sort((a, b) -> Double.compare(scores[b], scores[a]));

        List<String> labels = new ArrayList<>();
        for (int c : kept) {
            labels.add(merged.columnName(c));
        }
        labels.add(INDEX);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Cell[] cells = new Cell[kept.size() + 1];
            for (int k = 0; k < kept.size(); k++) {
                cells[k] = cell(merged, r, kept.get(k));
            }
            cells[kept.size()] = new Cell(-1, 0, r, Integer.toString(r), (long) r, Integer.toString(r).length());
            rows.add(new Row(r, cells));
        }
        for (Row row : rows) {
            for (Cell c : row.cells) {
                if (c.key != null && !weights.containsKey(c.key)) {
                    weights.put(c.key, weight(c));
                }
            }
        }
        Block sorted = fixed(new Block(rows, labels));
        Block result = split(sorted.rows(), sorted.labels());

        int recursionWidth = labels.size();
        List<Row> out = new ArrayList<>();
        for (Row row : result.rows()) {
            Cell[] cells = new Cell[recursionWidth - 1 + discarded.size()];
            System.arraycopy(row.cells, 0, cells, 0, recursionWidth - 1);
            for (int d = 0; d < discarded.size(); d++) {
                cells[recursionWidth - 1 + d] = cell(merged, row.id, discarded.get(d));
            }
            out.add(new Row(row.id, cells));
        }
        out.sort(GreedyGroupRecursion::compareRows);

        int[] rowOrder = new int[n];
        int[][] columnOrder = new int[n][];
        for (int i = 0; i < n; i++) {
            Row row = out.get(i);
            rowOrder[i] = row.id;
            columnOrder[i] = new int[row.cells.length];
            for (int k = 0; k < row.cells.length; k++) {
                columnOrder[i][k] = row.cells[k].column;
            }
        }
        return new Reordering(merges, rowOrder, columnOrder);
    }

    private Block split(List<Row> rows, List<String> labels) {
        if (rows.size() <= BASE) {
            return ggr(rows, labels, 0, 0);
        }
        int mid = rows.size() / 2;
        Block a = split(rows.subList(0, mid), labels);
        Block b = split(rows.subList(mid, rows.size()), labels);
        List<Row> joined = new ArrayList<>(a.rows());
        int[] position = new int[a.labels().size()];
        for (int i = 0; i < position.length; i++) {
            position[i] = b.labels().indexOf(a.labels().get(i));
        }
        for (Row row : b.rows()) {
            Cell[] cells = new Cell[position.length];
            for (int i = 0; i < position.length; i++) {
                cells[i] = row.cells[position[i]];
            }
            joined.add(new Row(row.id, cells));
        }
        return new Block(joined, a.labels());
    }

    private Block ggr(List<Row> rows, List<String> labels, int rowSteps, int columnSteps) {
        if (rows.isEmpty() || labels.isEmpty()) {
            return new Block(rows, labels);
        }
        if (rowSteps >= ROW_STOP || columnSteps >= COL_STOP) {
            return fixed(new Block(rows, labels));
        }
        Object mv = findMax(rows);
        if (mv == null) {
            return fixed(new Block(rows, labels));
        }
        List<Row> group = new ArrayList<>();
        List<Row> rest = new ArrayList<>();
        Map<Integer, Cell> heads = new HashMap<>();
        for (Row row : rows) {
            List<Cell> equal = new ArrayList<>();
            List<Cell> other = new ArrayList<>();
            for (Cell c : row.cells) {
                (mv.equals(c.key) ? equal : other).add(c);
            }
            if (equal.isEmpty()) {
                rest.add(row);
                continue;
            }
            heads.put(row.id, equal.get(0));
            List<Cell> tail = new ArrayList<>(equal.subList(1, equal.size()));
            tail.addAll(other);
            group.add(new Row(row.id, tail.toArray(new Cell[0])));
        }
        List<Row> result = new ArrayList<>();
        Block inner = ggr(group, labels.subList(1, labels.size()), rowSteps, columnSteps + 1);
        for (Row row : inner.rows()) {
            Cell[] cells = new Cell[row.cells.length + 1];
            cells[0] = heads.get(row.id);
            System.arraycopy(row.cells, 0, cells, 1, row.cells.length);
            result.add(new Row(row.id, cells));
        }
        result.addAll(ggr(rest, labels, rowSteps + 1, columnSteps).rows());
        if (rowSteps == 0 && columnSteps == 0) {
            return new Block(result, labels);
        }
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            positional.add(Integer.toString(i));
        }
        return new Block(result, positional);
    }

    /** The value whose repetition saves the most characters, first seen first on ties; null below EARLY_STOP. */
    private Object findMax(List<Row> rows) {
        Map<Object, long[]> counts = new LinkedHashMap<>();
        for (Row row : rows) {
            for (Cell c : row.cells) {
                if (c.key != null) {
                    counts.computeIfAbsent(c.key, k -> new long[1])[0]++;
                }
            }
        }
        Object best = null;
        long bestWeight = Long.MIN_VALUE;
        for (Map.Entry<Object, long[]> e : counts.entrySet()) {
            long w = weights.get(e.getKey()) * (e.getValue()[0] - 1);
            if (w > bestWeight) {
                bestWeight = w;
                best = e.getKey();
            }
        }
        return best == null || bestWeight < EARLY_STOP ? null : best;
    }

    /** Columns by score (row index last), then rows sorted lexicographically. */
    private static Block fixed(Block block) {
        List<Row> rows = block.rows();
        List<String> labels = block.labels();
        int width = labels.size();
        double[] score = new double[width];
        List<Integer> order = new ArrayList<>();
        int indexPosition = -1;
        for (int p = 0; p < width; p++) {
            if (labels.get(p).equals(INDEX)) {
                indexPosition = p;
                continue;
            }
            order.add(p);
            Set<Object> distinct = new HashSet<>();
            long length = 0;
            for (Row row : rows) {
                Cell c = row.cells[p];
                if (c.key != null) {
                    distinct.add(c.key);
                }
                length += c.length;
            }
            score[p] = score(distinct.size(), (double) length / rows.size(), rows.size());
        }
        if (indexPosition >= 0) {
            order.add(indexPosition);
        }
        order.sort((a, b) -> Double.compare(score[b], score[a]));
        List<String> newLabels = new ArrayList<>();
        for (int p : order) {
            newLabels.add(labels.get(p));
        }
        List<Row> permuted = new ArrayList<>();
        for (Row row : rows) {
            Cell[] cells = new Cell[width];
            for (int i = 0; i < width; i++) {
                cells[i] = row.cells[order.get(i)];
            }
            permuted.add(new Row(row.id, cells));
        }
        permuted.sort(GreedyGroupRecursion::compareRows);
        return new Block(permuted, newLabels);
    }

    private static double score(int distinct, double averageLength, int rowCount) {
        if (distinct == 0 || distinct == rowCount) {
            return 0.0;
        }
        return averageLength * averageLength * ((double) rowCount / distinct - 1);
    }

    private static double[] columnScores(Table table) {
        double[] scores = new double[table.columnCount()];
        int n = table.rowCount();
        for (int c = 0; c < table.columnCount(); c++) {
            long length = 0;
            for (int r = 0; r < n; r++) {
                length += cell(table, r, c).length;
            }
            scores[c] = score(distinct(table, c), (double) length / n, n);
        }
        return scores;
    }

    private static List<Integer> byScore(double[] scores, int columns) {
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            order.add(c);
        }
        order.sort((a, b) -> Double.compare(scores[b], scores[a]));
        return order;
    }

    private static int distinct(Table table, int column) {
        Set<Object> values = new HashSet<>();
        for (int r = 0; r < table.rowCount(); r++) {
            Object key = cell(table, r, column).key;
            if (key != null) {
                values.add(key);
            }
        }
        return values.size();
    }

    private static Cell cell(Table table, int row, int column) {
        ColumnType type = table.columnType(column);
        if (table.isMissing(row, column)) {
            return new Cell(column, 2, Double.NaN, "nan", null, 3);
        }
        String text = table.text(row, column);
        if (type == ColumnType.STRING) {
            return new Cell(column, 1, 0, text, text, text.codePointCount(0, text.length()));
        }
        double number = table.number(row, column);
        Object key;
        if (type == ColumnType.INT) {
            key = Long.parseLong(text);
        } else if (number == Math.rint(number) && Math.abs(number) < 9.2e18) {
            key = (long) number; // Python: 1 == 1.0 == True
        } else {
            key = number;
        }
        int length = type == ColumnType.BOOL ? 4 : text.length();
        return new Cell(column, 0, number, text, key, length);
    }

    private static long weight(Cell c) {
        if (c.kind == 0 && (c.text.equals("True") || c.text.equals("False"))) {
            return 16;
        }
        long length = c.kind == 1 ? c.length : c.text.length();
        return length * length;
    }

    private static int compareRows(Row a, Row b) {
        for (int i = 0; i < a.cells.length; i++) {
            int d = compareCells(a.cells[i], b.cells[i]);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static int compareCells(Cell a, Cell b) {
        if (a.kind != b.kind) {
            return Integer.compare(a.kind, b.kind);
        }
        if (a.kind == 0) {
            return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
        }
        if (a.kind == 1) {
            return a.text.compareTo(b.text);
        }
        return 0;
    }
    // EVOLVE-BLOCK-END
}
