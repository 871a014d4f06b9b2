package io.galapagos.simulators.llmsql;

import io.galapagos.simulators.CsvReader;
import io.galapagos.simulators.WorkloadException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a CSV table with pandas' {@code read_csv} defaults: its NA tokens and column type inference (llm-sql.md L2). */
final class TableReader {

    private static final Set<String> NA_TOKENS = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN",
            "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null", "None");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|Inf|INF|infinity|Infinity)");
    private static final Set<String> BOOLS = Set.of("True", "TRUE", "true", "False", "FALSE", "false");

    private TableReader() {
    }

    static Table read(String name, String text) {
        List<List<String>> records = CsvReader.parse(text, name);
        if (records.isEmpty()) {
            throw new WorkloadException(name + " is empty");
        }
        List<String> header = records.get(0);
        int columns = header.size();
        int rows = records.size() - 1;
        for (int r = 1; r <= rows; r++) {
            if (records.get(r).size() != columns) {
                throw new WorkloadException(name + ": record " + r + " has " + records.get(r).size()
                        + " fields, the header " + columns);
            }
        }
        String[][] cells = new String[rows][columns];
        List<ColumnType> types = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            ColumnType type = infer(records, c);
            types.add(type);
            for (int r = 0; r < rows; r++) {
                cells[r][c] = render(records.get(r + 1).get(c), type);
            }
        }
        return new Table(name, header, types, cells);
    }

    private static ColumnType infer(List<List<String>> records, int column) {
        boolean allInt = true;
        boolean allFloat = true;
        boolean allBool = true;
        boolean anyNa = false;
        for (int r = 1; r < records.size(); r++) {
            String field = records.get(r).get(column);
            if (NA_TOKENS.contains(field)) {
                anyNa = true;
                allBool = false;
                continue;
            }
            if (allInt && !(INTEGER.matcher(field).matches() && fitsLong(field))) {
                allInt = false;
            }
            if (allFloat && !FLOAT.matcher(field).matches()) {
                allFloat = false;
            }
            if (allBool && !BOOLS.contains(field)) {
                allBool = false;
            }
        }
        if (allInt && !anyNa) {
            return ColumnType.INT;
        }
        if (allFloat) {
            return ColumnType.FLOAT;
        }
        return allBool ? ColumnType.BOOL : ColumnType.STRING;
    }

    private static boolean fitsLong(String field) {
        try {
            Long.parseLong(field.startsWith("+") ? field.substring(1) : field);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String render(String field, ColumnType type) {
        if (type != ColumnType.STRING && NA_TOKENS.contains(field)) {
            return null;
        }
        switch (type) {
            case INT:
                return Long.toString(Long.parseLong(field.startsWith("+") ? field.substring(1) : field));
            case FLOAT:
                return pythonRepr(Double.parseDouble(field.toLowerCase().replace("infinity", "inf").replace("inf", "Infinity")));
            case BOOL:
                return field.equalsIgnoreCase("true") ? "True" : "False";
            default:
                return NA_TOKENS.contains(field) ? null : field;
        }
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String pythonRepr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // decimal exponent of the first digit
        String sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
