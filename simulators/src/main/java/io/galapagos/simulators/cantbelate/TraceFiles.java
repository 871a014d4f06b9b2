package io.galapagos.simulators.cantbelate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.simulators.WorkloadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the published trace files: {@code {"metadata":{"gap_seconds":600},"data":[0,1,...],"prices":[...]}}. */
final class TraceFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceFiles() {
    }

    /** Reads one trace; {@code name} is how reports refer to it. */
    static SpotTrace read(Path file, String name) {
        JsonNode root = readJson(file);
        JsonNode gap = root.path("metadata").path("gap_seconds");
        if (!gap.canConvertToInt() || !gap.isIntegralNumber() || gap.intValue() <= 0) {
            throw new WorkloadException("trace file " + file + ": metadata.gap_seconds must be a positive integer");
        }
        JsonNode data = root.path("data");
        if (!data.isArray() || data.isEmpty()) {
            throw new WorkloadException("trace file " + file + ": 'data' must be a non-empty array of 0/1 values");
        }
        boolean[] available = new boolean[data.size()];
        for (int k = 0; k < available.length; k++) {
            JsonNode v = data.get(k);
            if (!v.isIntegralNumber()) {
                throw new WorkloadException("trace file " + file + ": data[" + k + "] is " + v + ", not an integer");
            }
            // 0 means spot available; any other value means preempted, as in the original simulator.
            available[k] = v.longValue() == 0;
        }
        double price = SpotTrace.DEFAULT_SPOT_PRICE;
        JsonNode prices = root.get("prices");
        if (prices != null) {
            if (!prices.isArray() || prices.isEmpty() || !prices.get(0).isNumber()
                    || !Double.isFinite(prices.get(0).doubleValue()) || prices.get(0).doubleValue() < 0) {
                throw new WorkloadException("trace file " + file
                        + ": 'prices' must be an array whose first element is a price in $/h");
            }
            price = prices.get(0).doubleValue();
        }
        return new SpotTrace(name, gap.intValue(), available, price);
    }

    static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WorkloadException("missing workload file " + file);
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new WorkloadException("workload file " + file + " is not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new WorkloadException("workload file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Integer stems of the {@code <i>.json} files in {@code dir}, ascending. */
    static List<Integer> numberedTraces(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new WorkloadException("missing trace folder " + dir);
        }
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9]{1,9}\\.json"))
                    .forEach(n -> found.add(Integer.parseInt(n.substring(0, n.length() - ".json".length()))));
        } catch (IOException e) {
            throw new WorkloadException("cannot list trace folder " + dir + ": " + e.getMessage(), e);
        }
        found.sort(null);
        return found;
    }
}
