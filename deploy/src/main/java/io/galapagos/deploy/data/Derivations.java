package io.galapagos.deploy.data;

import io.galapagos.simulators.prism.Model;
import io.galapagos.simulators.prism.PlacementCase;
import io.galapagos.simulators.prism.PlacementCases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Files of the data directory that the public repository holds only as code: the import writes them from the
 * evaluators' rules, in the byte layout of Python's {@code json.dumps(..., indent=1)}, then verifies their SHA-256
 * like every other file.
 */
final class Derivations {

    /** The single-region evaluator's choice of 30 evenly spaced traces per environment. */
    static final String SELECTED_TRACES = "selection: per env, the lexicographically sorted trace files of "
            + "cant-be-late/traces/<env>/, indices round(j*(n-1)/29) for j = 0..29 (evaluator.py build_trace_pool)";
    /** The prism evaluator generates its cases at run time; the project's port of that generator is exact. */
    static final String PRISM_CASES = "generated: evaluator.generate_test_gpu_models(num_tests=50) with numpy seed 42 "
            + "(PlacementCases.generate(42, 50))";

    private static final int TRACES_PER_ENV = 30;
    private static final String PRISM_GENERATOR = "evaluator.generate_test_gpu_models(num_tests=50), numpy legacy "
            + "RandomState seed 42; per test: gpu_num=randint(5,10); for j in range(2*gpu_num): "
            + "model_size=randint(10,30), req_rate=randint(1,10), slo=randint(5,10) (high exclusive)";

    private Derivations() {
    }

    /** The derived file's bytes, or a reason why it cannot be derived (yet) from {@code dataDir}. */
    static Result derive(String rule, Path dataDir) throws IOException {
        if (rule.equals(SELECTED_TRACES)) {
            return selectedTraces(dataDir.resolve("cant-be-late").resolve("traces"));
        }
        if (rule.equals(PRISM_CASES)) {
            return Result.of(pythonJson(prismCases()));
        }
        return Result.failed("no derivation named '" + rule + "' in this build");
    }

    /** Bytes, or why there are none. */
    record Result(Optional<byte[]> bytes, String problem) {
        static Result of(String text) {
            return new Result(Optional.of(text.getBytes(StandardCharsets.UTF_8)), "");
        }

        static Result failed(String problem) {
            return new Result(Optional.empty(), problem);
        }
    }

    private static Result selectedTraces(Path traces) throws IOException {
        if (!Files.isDirectory(traces)) {
            return Result.failed("needs the traces first: " + traces + " is missing");
        }
        Map<String, Object> selected = new LinkedHashMap<>();
        List<Path> envs;
        try (Stream<Path> s = Files.list(traces)) {
            envs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path env : envs) {
            List<String> names;
            try (Stream<Path> s = Files.list(env)) {
                names = s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
            }
            if (names.size() < TRACES_PER_ENV) {
                return Result.failed("needs " + TRACES_PER_ENV + " traces in " + env + ", found " + names.size());
            }
            List<Object> chosen = new ArrayList<>();
            int last = names.size() - 1;
            for (int j = 0; j < TRACES_PER_ENV; j++) {
                // j*last/29 is never exactly halfway for these sizes, so Python's round and Math.round agree
                chosen.add(names.get((int) Math.round(j * (double) last / (TRACES_PER_ENV - 1))));
            }
            selected.put(env.getFileName().toString(), chosen);
        }
        return Result.of(pythonJson(selected));
    }

    private static Map<String, Object> prismCases() {
        List<Object> cases = new ArrayList<>();
        for (PlacementCase c : PlacementCases.generate(42, PlacementCases.CASES)) {
            List<Object> models = new ArrayList<>();
            for (Model m : c.models()) {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("model_name", m.name());
                model.put("model_size", m.sizeGb());
                model.put("req_rate", m.requestRate());
                model.put("slo", m.slo());
                model.put("cur_gpu_id", m.currentGpu());
                models.add(model);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("gpu_num", c.gpuCount());
            one.put("models", models);
            cases.add(one);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generator", PRISM_GENERATOR);
        root.put("GPU_MEM_SIZE_GB", 80);
        root.put("test_cases", cases);
        return root;
    }

    /**
     * The text of a JSON object assigned to {@code name} in a source file ({@code NAME = '{...}'} or a dict
     * literal): from the first brace after the assignment to its matching brace.
     */
    static Optional<String> literal(String source, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^\\s*" + java.util.regex.Pattern.quote(name) + "\\s*=").matcher(source);
        if (!m.find()) {
            return Optional.empty();
        }
        int start = source.indexOf('{', m.end());
        if (start < 0) {
            return Optional.empty();
        }
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < source.length(); i++) {
            char c = source.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return Optional.of(source.substring(start, i + 1));
            }
        }
        return Optional.empty();
    }

    /** Python's {@code json.dumps(value, indent=1)} for maps, lists, strings and integers. */
    static String pythonJson(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(" ".repeat(depth + 1));
                string(out, e.getKey().toString());
                out.append(": ");
                write(out, e.getValue(), depth + 1);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append(" ".repeat(depth)).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append(" ".repeat(depth + 1));
                write(out, list.get(i), depth + 1);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append(" ".repeat(depth)).append(']');
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("no JSON form for " + value);
        }
    }

    /** Python's default {@code ensure_ascii} escaping. */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
