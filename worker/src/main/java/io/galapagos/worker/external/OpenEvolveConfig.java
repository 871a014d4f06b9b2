package io.galapagos.worker.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an OpenEvolve {@code config.yaml} says that maps to Galapagos's run settings; every other leaf key is
 * listed in {@link #unsupportedKeys()} so that the command line can warn about it once.
 *
 * @param cascadeEvaluation  OpenEvolve's default is true
 * @param cascadeThresholds  OpenEvolve's default is {@code [0.5, 0.75, 0.9]}
 * @param unsupportedKeys    leaf key paths ({@code llm.api_key}, {@code llm.models[0].api_base}) Galapagos ignores
 */
public record OpenEvolveConfig(
        Optional<Integer> maxIterations,
        Optional<Long> randomSeed,
        Optional<Integer> numIslands,
        List<Model> models,
        Optional<String> apiBase,
        Optional<Double> temperature,
        Optional<Integer> maxTokens,
        Optional<Boolean> diffBasedEvolution,
        Optional<String> systemMessage,
        Optional<Duration> evaluatorTimeout,
        boolean cascadeEvaluation,
        List<Double> cascadeThresholds,
        List<String> unsupportedKeys) {

    static final String FILE = "config.yaml";
    private static final List<Double> DEFAULT_THRESHOLDS = List.of(0.5, 0.75, 0.9);
    /** Leaf paths read here; {@code llm.models[i].name|weight} and the cascade thresholds are read as lists. */
    private static final Set<String> READ = Set.of("max_iterations", "random_seed", "database.num_islands",
            "llm.api_base", "llm.temperature", "llm.max_tokens", "diff_based_evolution", "prompt.system_message",
            "evaluator.timeout", "evaluator.cascade_evaluation", "llm.primary_model", "llm.primary_model_weight",
            "llm.secondary_model", "llm.secondary_model_weight");

    /** One model of OpenEvolve's ensemble and its sampling weight. */
    public record Model(String name, double weight) {
    }

    public OpenEvolveConfig {
        models = List.copyOf(models);
        cascadeThresholds = List.copyOf(cascadeThresholds);
        unsupportedKeys = List.copyOf(unsupportedKeys);
    }

    /** The configuration OpenEvolve uses without a {@code config.yaml}. */
    static OpenEvolveConfig defaults() {
        return new OpenEvolveConfig(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true,
                DEFAULT_THRESHOLDS, List.of());
    }

    static OpenEvolveConfig parse(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new TaskDirectoryException(FILE + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults();
        }
        if (!root.isObject()) {
            throw new TaskDirectoryException(FILE + ": must be a mapping of keys");
        }
        List<String> unsupported = new ArrayList<>();
        leaves(root, "", unsupported);
        List<Model> models = new ArrayList<>();
        JsonNode listed = root.path("llm").path("models");
        if (listed.isArray()) {
            for (int i = 0; i < listed.size(); i++) {
                JsonNode model = listed.get(i);
                String key = "llm.models[" + i + "]";
                if (!model.path("name").isTextual()) {
                    throw TaskDirectoryException.of(FILE, key + ".name", "must be a model name");
                }
                models.add(new Model(model.get("name").asText(), number(model.path("weight"), key + ".weight").orElse(1.0)));
            }
        } else {
            text(root.path("llm").path("primary_model"), "llm.primary_model").ifPresent(name -> models.add(new Model(name,
                    number(root.path("llm").path("primary_model_weight"), "llm.primary_model_weight").orElse(1.0))));
            text(root.path("llm").path("secondary_model"), "llm.secondary_model").ifPresent(name -> models.add(new Model(
                    name, number(root.path("llm").path("secondary_model_weight"), "llm.secondary_model_weight").orElse(0.0))));
        }
        List<Double> thresholds = DEFAULT_THRESHOLDS;
        JsonNode cascade = root.path("evaluator").path("cascade_thresholds");
        if (!cascade.isMissingNode() && !cascade.isNull()) {
            if (!cascade.isArray()) {
                throw TaskDirectoryException.of(FILE, "evaluator.cascade_thresholds", "must be a list of numbers");
            }
            thresholds = new ArrayList<>();
            for (int i = 0; i < cascade.size(); i++) {
                thresholds.add(number(cascade.get(i), "evaluator.cascade_thresholds[" + i + "]").orElseThrow(() ->
                        TaskDirectoryException.of(FILE, "evaluator.cascade_thresholds", "must be a list of numbers")));
            }
        }
        Optional<Duration> timeout = number(root.path("evaluator").path("timeout"), "evaluator.timeout")
                .map(seconds -> Duration.ofMillis(Math.round(seconds * 1000)));
        if (timeout.isPresent() && (timeout.get().isZero() || timeout.get().isNegative())) {
            throw TaskDirectoryException.of(FILE, "evaluator.timeout", "must be a positive number of seconds");
        }
        return new OpenEvolveConfig(
                integer(root.path("max_iterations"), "max_iterations").map(Long::intValue),
                integer(root.path("random_seed"), "random_seed"),
                integer(root.path("database").path("num_islands"), "database.num_islands").map(Long::intValue),
                models,
                text(root.path("llm").path("api_base"), "llm.api_base"),
                number(root.path("llm").path("temperature"), "llm.temperature"),
                integer(root.path("llm").path("max_tokens"), "llm.max_tokens").map(Long::intValue),
                bool(root.path("diff_based_evolution"), "diff_based_evolution"),
                text(root.path("prompt").path("system_message"), "prompt.system_message"),
                timeout,
                bool(root.path("evaluator").path("cascade_evaluation"), "evaluator.cascade_evaluation").orElse(true),
                thresholds,
                unsupported);
    }

    /** Every leaf path that is neither read here nor part of a list read here. */
    private static void leaves(JsonNode node, String path, List<String> unsupported) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                leaves(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), unsupported);
            }
        } else if (path.equals("llm.models") && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode model = node.get(i);
                if (!model.isObject()) {
                    throw TaskDirectoryException.of(FILE, "llm.models[" + i + "]", "must be a mapping with name and weight");
                }
                String prefix = "llm.models[" + i + "]";
                model.fieldNames().forEachRemaining(name -> {
                    if (!name.equals("name") && !name.equals("weight")) {
                        unsupported.add(prefix + "." + name);
                    }
                });
            }
        } else if (!path.equals("evaluator.cascade_thresholds") && !READ.contains(path) && !node.isNull()) {
            unsupported.add(path);
        }
    }

    private static Optional<Double> number(JsonNode node, String key) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw TaskDirectoryException.of(FILE, key, "must be a number");
        }
        return Optional.of(node.asDouble());
    }

    private static Optional<Long> integer(JsonNode node, String key) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw TaskDirectoryException.of(FILE, key, "must be an integer");
        }
        return Optional.of(node.asLong());
    }

    private static Optional<String> text(JsonNode node, String key) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw TaskDirectoryException.of(FILE, key, "must be a string");
        }
        return Optional.of(node.asText());
    }

    private static Optional<Boolean> bool(JsonNode node, String key) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw TaskDirectoryException.of(FILE, key, "must be true or false");
        }
        return Optional.of(node.asBoolean());
    }
}
