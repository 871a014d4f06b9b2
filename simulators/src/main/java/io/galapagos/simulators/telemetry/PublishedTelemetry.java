package io.galapagos.simulators.telemetry;

import io.galapagos.simulators.CsvReader;
import io.galapagos.simulators.WorkloadException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the published Abilene snapshots ({@code telemetry-repair/evaluation_data.csv}) the way the
 * original evaluator builds its interfaces (telemetry-repair.md T2-T4).
 */
final class PublishedTelemetry {

    static final String FILE = "evaluation_data.csv";
    private static final String EGRESS = "_egress_to_";
    private static final String INGRESS = "_ingress_from_";
    private static final Pattern ENTRY = Pattern.compile("'([^']*)'\\s*:\\s*([^,}]+)");

    private PublishedTelemetry() {
    }

    static List<NetworkSnapshot> load(Path taskDirectory) {
        Path file = taskDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new WorkloadException("missing " + file + " (the published telemetry snapshots)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkloadException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<List<String>> records = CsvReader.parse(text, file.toString());
        if (records.size() < 2) {
            throw new WorkloadException(file + " has no snapshots");
        }
        List<String> header = records.get(0);
        int timestampColumn = header.indexOf("timestamp");
        List<NetworkSnapshot> snapshots = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> record = records.get(r);
            if (record.size() != header.size()) {
                throw new WorkloadException(file + ": record " + r + " has " + record.size() + " fields, the header "
                        + header.size());
            }
            String when = timestampColumn >= 0 ? " (" + record.get(timestampColumn) + ")" : "";
            snapshots.add(snapshot("row " + (r - 1) + when, header, record));
        }
        return snapshots;
    }

    private static NetworkSnapshot snapshot(String label, List<String> header, List<String> record) {
        Map<String, Builder> interfaces = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            boolean egress = name.contains(EGRESS);
            if (!name.startsWith("low_") || !(egress || name.contains(INGRESS))) {
                continue;
            }
            Map<String, String> cell = literalDict(record.get(c));
            OptionalDouble truth = number(cell.get("ground_truth"));
            if (!cell.containsKey("ground_truth")) {
                continue;
            }
            String body = name.replace("low_", "");
            String separator = egress ? EGRESS : INGRESS;
            int at = body.indexOf(separator);
            String local = body.substring(0, at);
            String remote = body.substring(at + separator.length());
            if (local.isEmpty() || remote.isEmpty()) {
                continue;
            }
            Builder b = interfaces.computeIfAbsent(local + "_to_" + remote, id -> new Builder(id, local, remote));
            OptionalDouble perturbed = number(cell.get("perturbed"));
            double value = perturbed.isPresent() ? perturbed.getAsDouble() : truth.orElse(0.0);
            if (egress) {
                b.tx = value;
                b.trueTx = truth;
            } else {
                b.rx = value;
                b.trueRx = truth;
            }
        }
        List<ReferenceInterface> result = new ArrayList<>();
        for (Builder b : interfaces.values()) {
            result.add(b.build());
        }
        return new NetworkSnapshot(label, result);
    }

    /** {@code {'ground_truth': 12.748, 'perturbed': 12.748, 'corrected': None}} as key to literal text. */
    static Map<String, String> literalDict(String cell) {
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(cell);
        while (m.find()) {
            entries.put(m.group(1), m.group(2).trim());
        }
        return entries;
    }

    private static OptionalDouble number(String literal) {
        if (literal == null || literal.equals("None")) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(literal));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty(); // the original skips cells it cannot parse
        }
    }

    private static final class Builder {
        final String id;
        final String local;
        final String remote;
        double rx;
        double tx;
        OptionalDouble trueRx = OptionalDouble.empty();
        OptionalDouble trueTx = OptionalDouble.empty();

        Builder(String id, String local, String remote) {
            this.id = id;
            this.local = local;
            this.remote = remote;
        }

        ReferenceInterface build() {
            InterfaceCounters counters = new InterfaceCounters("up", rx, tx, remote + "_to_" + local, local, remote);
            // a missing ground truth falls back to the measured value, as in the original
            return new ReferenceInterface(id, counters, trueRx.orElse(rx), trueTx.orElse(tx));
        }
    }
}
