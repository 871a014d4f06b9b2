package io.galapagos.simulators;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records as the published data files use them: comma separator, {@code "} quoting with
 * {@code ""} for a literal quote, quoted fields may hold commas and line breaks, {@code \n} or
 * {@code \r\n} end a record, and completely blank lines are skipped (as pandas does).
 */
public final class CsvReader {

    private CsvReader() {
    }

    /** All records of {@code text}, the header first; {@code source} names the file in error messages. */
    public static List<List<String>> parse(String text, String source) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int i = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            i = 1;
        }
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && field.length() == 0 && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                endRecord(records, record, field, fieldStarted);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
                line++;
            } else {
                field.append(c);
                fieldStarted = true;
            }
            i++;
        }
        if (quoted) {
            throw new WorkloadException(source + ": unterminated quoted field before line " + line);
        }
        endRecord(records, record, field, fieldStarted);
        return records;
    }

    private static void endRecord(List<List<String>> records, List<String> record, StringBuilder field,
                                  boolean fieldStarted) {
        if (record.isEmpty() && field.length() == 0 && !fieldStarted) {
            return; // blank line
        }
        record.add(field.toString());
        records.add(List.copyOf(record));
    }
}
