package io.galapagos.simulators.llmsql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable table of rendered cells. A missing cell has the empty text in a row's prompt string
 * and the text {@code nan} inside a merged cell, as in the original evaluator.
 */
public final class Table {

    private final String name;
    private final String[] columns;
    private final ColumnType[] types;
    private final String[][] cells; // row-major, null = missing

    Table(String name, List<String> columns, List<ColumnType> types, String[][] cells) {
        this.name = name;
        this.columns = columns.toArray(String[]::new);
        this.types = types.toArray(ColumnType[]::new);
        this.cells = cells;
        for (String[] row : cells) {
            if (row.length != this.columns.length) {
                throw new IllegalArgumentException("row of " + row.length + " cells in a table of " + this.columns.length + " columns");
            }
        }
    }

    public String name() {
        return name;
    }

    public int rowCount() {
        return cells.length;
    }

    public int columnCount() {
        return columns.length;
    }

    public List<String> columnNames() {
        return List.of(columns);
    }

    public String columnName(int column) {
        return columns[column];
    }

    public int columnIndex(String columnName) {
        return Arrays.asList(columns).indexOf(columnName);
    }

    public ColumnType columnType(int column) {
        return types[column];
    }

    public boolean isMissing(int row, int column) {
        return cells[row][column] == null;
    }

    /** The cell's text; {@code ""} when it is missing. */
    public String text(int row, int column) {
        String text = cells[row][column];
        return text == null ? "" : text;
    }

    /** The numeric value of a cell of an INT, FLOAT or BOOL column ({@code True} = 1); NaN when missing. */
    public double number(int row, int column) {
        String text = cells[row][column];
        if (text == null) {
            return Double.NaN;
        }
        switch (text) {
            case "True":
                return 1.0;
            case "False":
                return 0.0;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                return Double.parseDouble(text);
        }
    }

    /**
     * The table after merging each group of columns, in the given member order, into one string
     * column named by the members joined with {@code _} and appended at the end; the members
     * disappear, the other columns keep their order. A missing member contributes {@code nan}.
     */
    public Table merged(List<List<String>> groups) {
        List<String> names = new ArrayList<>(List.of(columns));
        List<ColumnType> kinds = new ArrayList<>(List.of(types));
        String[][] rows = new String[cells.length][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = cells[r].clone();
        }
        for (List<String> group : groups) {
            int[] members = new int[group.size()];
            Set<String> seen = new HashSet<>();
            for (int m = 0; m < members.length; m++) {
                members[m] = names.indexOf(group.get(m));
                if (members[m] < 0 || !seen.add(group.get(m))) {
                    throw new IllegalArgumentException("cannot merge " + group + ": no column '" + group.get(m) + "' (or named twice) in " + names);
                }
            }
            List<String> keptNames = new ArrayList<>();
            List<ColumnType> keptTypes = new ArrayList<>();
            List<Integer> kept = new ArrayList<>();
            for (int c = 0; c < names.size(); c++) {
                if (!seen.contains(names.get(c))) {
                    kept.add(c);
                    keptNames.add(names.get(c));
                    keptTypes.add(kinds.get(c));
                }
            }
            for (int r = 0; r < rows.length; r++) {
                StringBuilder text = new StringBuilder();
                for (int member : members) {
                    text.append(rows[r][member] == null ? "nan" : rows[r][member]);
                }
                String[] next = new String[kept.size() + 1];
                for (int k = 0; k < kept.size(); k++) {
                    next[k] = rows[r][kept.get(k)];
                }
                next[kept.size()] = text.toString();
                rows[r] = next;
            }
            keptNames.add(String.join("_", group));
            keptTypes.add(ColumnType.STRING);
            names = keptNames;
            kinds = keptTypes;
        }
        return new Table(name, names, kinds, rows);
    }
}
