package io.galapagos.simulators.prism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.WorkloadException;
import io.galapagos.simulators.PythonRandom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The placement cases of each split.
 * <ul>
 *   <li>TRAIN: 50 cases; with a data directory read from {@code prism/test_cases_seed42.json}, else
 *   generated from the seed (seed 42, the default, regenerates that file exactly).</li>
 *   <li>SMOKE: the first {@value #SMOKE_CASES} TRAIN cases.</li>
 *   <li>TEST (held out): 50 cases generated from {@code seed + 1} (43 with a data directory).</li>
 * </ul>
 */
public final class PlacementCases {

    public static final int CASES = 50;
    static final int SMOKE_CASES = 3;
    static final String FILE = "test_cases_seed42.json";

    private PlacementCases() {
    }

    public static Map<Split, List<PlacementCase>> load(DataSource source) {
        long seed;
        List<PlacementCase> train;
        if (source instanceof DataSource.Directory dir) {
            seed = 42;
            train = read(dir.taskDirectory("prism").resolve(FILE));
        } else {
            seed = ((DataSource.Synthetic) source).seed();
            train = generate(seed, CASES);
        }
        Map<Split, List<PlacementCase>> splits = new EnumMap<>(Split.class);
        splits.put(Split.SMOKE, train.subList(0, Math.min(SMOKE_CASES, train.size())));
        splits.put(Split.TRAIN, train);
        splits.put(Split.TEST, generate(seed + 1, CASES));
        return splits;
    }

    /**
     * The original {@code generate_test_gpu_models}: numpy legacy {@code np.random.seed(seed)}, then
     * per case {@code gpu_num = randint(5, 10)} and per model {@code randint(10, 30)},
     * {@code randint(1, 10)}, {@code randint(5, 10)} (high exclusive) for size, rate and SLO.
     */
    public static List<PlacementCase> generate(long seed, int count) {
        PythonRandom mt = PythonRandom.initGenrand(seed);
        List<PlacementCase> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int gpus = mt.numpyRandint(5, 10);
            List<Model> models = new ArrayList<>(2 * gpus);
            for (int j = 0; j < 2 * gpus; j++) {
                int size = mt.numpyRandint(10, 30);
                int rate = mt.numpyRandint(1, 10);
                int slo = mt.numpyRandint(5, 10);
                models.add(new Model("model_" + j, size, rate, slo, j));
            }
            cases.add(new PlacementCase(i, gpus, models));
        }
        return List.copyOf(cases);
    }

    static List<PlacementCase> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WorkloadException("missing placement cases " + file);
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            JsonNode memory = root.path("GPU_MEM_SIZE_GB");
            if (!memory.isMissingNode() && memory.asInt() != PlacementPolicy.GPU_MEMORY_GB) {
                throw new WorkloadException(file + ": GPU memory " + memory + " GB, the task assumes "
                        + PlacementPolicy.GPU_MEMORY_GB);
            }
            List<PlacementCase> cases = new ArrayList<>();
            for (JsonNode c : root.path("test_cases")) {
                List<Model> models = new ArrayList<>();
                for (JsonNode m : c.path("models")) {
                    models.add(new Model(text(m, "model_name", file), integer(m, "model_size", file),
                            integer(m, "req_rate", file), integer(m, "slo", file), integer(m, "cur_gpu_id", file)));
                }
                cases.add(new PlacementCase(cases.size(), integer(c, "gpu_num", file), models));
            }
            if (cases.isEmpty()) {
                throw new WorkloadException(file + ": no test_cases");
            }
            return List.copyOf(cases);
        } catch (IOException e) {
            throw new WorkloadException(file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isInt()) {
            throw new WorkloadException(file + ": field " + field + " missing or not an integer in " + node);
        }
        return v.intValue();
    }

    private static String text(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new WorkloadException(file + ": field " + field + " missing or not a string in " + node);
        }
        return v.textValue();
    }
}
