package io.galapagos.simulators.eplb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.simulators.WorkloadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the original evaluator's {@code expert-load.json}: {@code {"load_history": [{"logical_expert_load":
 * [[layer][expert]]}, ...]}}, summing consecutive groups of {@value #REBALANCE_INTERVAL} entries into
 * windows (the last may be shorter), as the original does.
 */
final class ExpertLoadFile {

    static final String FILE = "expert-load.json";
    static final int REBALANCE_INTERVAL = 100;

    private ExpertLoadFile() {
    }

    static long[][][] windows(Path taskDirectory) {
        Path file = taskDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new WorkloadException("missing " + file + " (the expert load history of the original evaluator)");
        }
        JsonNode history;
        try {
            history = new ObjectMapper().readTree(file.toFile()).path("load_history");
        } catch (IOException e) {
            throw new WorkloadException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!history.isArray() || history.isEmpty()) {
            throw new WorkloadException(file + ": load_history must be a non-empty array");
        }
        int entries = history.size();
        int windows = (entries + REBALANCE_INTERVAL - 1) / REBALANCE_INTERVAL;
        long[][][] result = new long[windows][][];
        for (int i = 0; i < entries; i++) {
            JsonNode layers = history.get(i).path("logical_expert_load");
            if (!layers.isArray() || layers.size() == 0) {
                throw new WorkloadException(file + ": load_history[" + i + "] has no logical_expert_load");
            }
            int w = i / REBALANCE_INTERVAL;
            if (result[w] == null) {
                result[w] = new long[layers.size()][layers.get(0).size()];
            }
            for (int l = 0; l < layers.size(); l++) {
                JsonNode experts = layers.get(l);
                if (l >= result[w].length || experts.size() != result[w][l].length) {
                    throw new WorkloadException(file + ": load_history[" + i + "] does not have the shape of the first entry");
                }
                for (int e = 0; e < experts.size(); e++) {
                    result[w][l][e] += experts.get(e).asLong();
                }
            }
        }
        if (windows < 2) {
            throw new WorkloadException(file + ": needs at least two windows of " + REBALANCE_INTERVAL + " entries");
        }
        return result;
    }
}
