package io.galapagos.simulators.txn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.WorkloadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads of each split.
 * <ul>
 *   <li>TRAIN: with a data directory the three published workloads {@code WORKLOAD_1..3} (the
 *   original evaluator's set); synthetic: one generated workload of each shape, 100 transactions.</li>
 *   <li>SMOKE: the first {@value #SMOKE_SIZE} transactions of each TRAIN workload.</li>
 *   <li>TEST (held out): two generated workloads of each shape, 100 transactions, from the seed
 *   {@code ~seed} (the bitwise complement; seed 42 with a data directory).</li>
 * </ul>
 */
public final class TxnWorkloads {

    static final int SIZE = 100;
    static final int SMOKE_SIZE = 10;
    static final String FOLDER = "txn-scheduling";
    static final List<String> PUBLISHED = List.of("WORKLOAD_1", "WORKLOAD_2", "WORKLOAD_3");

    private TxnWorkloads() {
    }

    public static Map<Split, List<Workload>> load(DataSource source) {
        WorkloadGenerator generator = new WorkloadGenerator();
        long seed;
        List<Workload> train;
        if (source instanceof DataSource.Directory dir) {
            seed = DataSource.DEFAULT_SEED;
            Path folder = dir.taskDirectory(FOLDER);
            train = new ArrayList<>();
            for (String name : PUBLISHED) {
                train.add(read(folder.resolve(name + ".json"), name));
            }
        } else {
            seed = ((DataSource.Synthetic) source).seed();
            train = generator.generate(seed, SIZE, "");
        }
        List<Workload> test = new ArrayList<>(generator.generate(~seed, SIZE, "test-a-"));
        test.addAll(generator.generate(~seed + 1, SIZE, "test-b-"));
        List<Workload> smoke = train.stream()
                .map(w -> new Workload(w.name() + "[0.." + SMOKE_SIZE + ")", w.transactions().subList(0, Math.min(SMOKE_SIZE, w.size()))))
                .toList();
        Map<Split, List<Workload>> splits = new EnumMap<>(Split.class);
        splits.put(Split.SMOKE, smoke);
        splits.put(Split.TRAIN, List.copyOf(train));
        splits.put(Split.TEST, List.copyOf(test));
        return splits;
    }

    /** Reads {@code {"txn0": "r-1 w-2 ...", ...}} keeping the file's key order (the transaction ids). */
    static Workload read(Path file, String name) {
        if (!Files.isRegularFile(file)) {
            throw new WorkloadException("missing workload file " + file);
        }
        List<Transaction> txns = new ArrayList<>();
        try (JsonParser parser = new ObjectMapper().getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new WorkloadException(file + ": expected a JSON object of transactions");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw new WorkloadException(file + ": transaction " + field + " is not a string");
                }
                txns.add(Transaction.parse(txns.size(), parser.getText()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new WorkloadException(file + ": " + e.getMessage(), e);
        }
        if (txns.isEmpty()) {
            throw new WorkloadException(file + ": no transactions");
        }
        return new Workload(name, txns);
    }
}
