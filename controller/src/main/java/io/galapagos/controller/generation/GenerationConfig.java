package io.galapagos.controller.generation;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Reads {@code galapagos.generation}, checked at once: a bad model entry, URL or budget is one clear
 * message at start, not a failure in the middle of a run. What a run journals is {@link #from} (its
 * models, prompt and budget); how a node calls models is {@link #calls}, read again from the node's
 * configuration whenever it builds a generator.
 */
public final class GenerationConfig {

    private static final String KEY = "galapagos.generation";

    private GenerationConfig() {
    }

    public static GenerationSettings from(Config root) {
        try {
            Config g = root.getConfig(KEY);
            String llm = g.getString("llm").trim().toLowerCase(Locale.ROOT);
            OptionalDouble budget = optionalDouble(g, "budget-usd");
            ModelSelection.parse(g.getString("model-choice"), KEY + ".model-choice"); // checked for offline runs too
            if (llm.equals("offline")) {
                return new GenerationSettings(GenerationSettings.Mode.OFFLINE, Optional.empty(), budget).check();
            }
            if (!llm.equals("openai")) {
                throw new IllegalArgumentException(KEY + ".llm: expected offline or openai, not '" + llm + "'");
            }
            calls(root); // a bad timeout, concurrency, retry or circuit key is one line naming it, at start too
            URI apiBase = uri(g.getString("api-base"), KEY + ".api-base");
            Optional<String> keyEnv = keyEnv(g.getString("api-key-env"));
            List<ModelSettings> models = models(g.getList("models"), apiBase, keyEnv,
                    ModelSettings.Defaults.fromConfig(g.getConfig("model-defaults")));
            if (models.isEmpty()) {
                throw new IllegalArgumentException("--llm openai needs at least one --model (or " + KEY + ".models)");
            }
            LlmSpec spec = new LlmSpec(models.stream().map(ModelSettings::spec).toList(),
                    prompt(g.getConfig("prompt"), format(g.getString("format"))),
                    ModelSelection.parse(g.getString("model-choice"), KEY + ".model-choice"));
            GenerationSettings settings = new GenerationSettings(GenerationSettings.Mode.OPENAI, Optional.of(spec), budget)
                    .check();
            return settings;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** How this node calls models: {@code retry}, {@code circuit}, {@code model-defaults} and the model entries. */
    public static ModelCalls calls(Config root) {
        try {
            Config g = root.getConfig(KEY);
            ModelSettings.Defaults defaults = ModelSettings.Defaults.fromConfig(g.getConfig("model-defaults"));
            positive(KEY + ".model-defaults.request-timeout", defaults.requestTimeout());
            positive(KEY + ".model-defaults.reasoning-request-timeout", defaults.reasoningRequestTimeout());
            atLeastOne(KEY + ".model-defaults.max-concurrency", defaults.maxConcurrency());
            Map<String, ModelCalls.Entry> entries = new HashMap<>();
            for (ConfigValue value : g.getList("models")) {
                if (value.valueType() == ConfigValueType.OBJECT && ((ConfigObject) value).toConfig().hasPath("name")) {
                    Config m = ((ConfigObject) value).toConfig();
                    String name = m.getString("name");
                    String at = KEY + ".models." + name;
                    Optional<Duration> timeout = m.hasPath("request-timeout")
                            ? Optional.of(positive(at + ".request-timeout", m.getDuration("request-timeout")))
                            : Optional.empty();
                    OptionalInt concurrency = m.hasPath("max-concurrency")
                            ? OptionalInt.of(atLeastOne(at + ".max-concurrency", m.getInt("max-concurrency")))
                            : OptionalInt.empty();
                    entries.put(name, new ModelCalls.Entry(
                            m.hasPath("api-base") ? Optional.of(uri(m.getString("api-base"), at + ".api-base")) : Optional.empty(),
                            m.hasPath("api-key-env") ? Optional.of(keyEnv(m.getString("api-key-env"))) : Optional.empty(),
                            timeout, concurrency));
                }
            }
            return new ModelCalls(defaults, entries, retry(g.getConfig("retry")), circuit(g.getConfig("circuit")));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, not " + value);
        }
        return value;
    }

    private static int atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
        return value;
    }

    /** {@code galapagos.generation} of the controller's {@code reference.conf}: the one source of the defaults. */
    private static Config reference() {
        return ConfigFactory.defaultReference().getConfig(KEY);
    }

    static PromptSettings defaultPrompt() {
        Config g = reference();
        return prompt(g.getConfig("prompt"), format(g.getString("format")));
    }

    static RetryPolicy defaultRetry() {
        return retry(reference().getConfig("retry"));
    }

    static EndpointCircuit.Settings defaultCircuit() {
        return circuit(reference().getConfig("circuit"));
    }

    static ModelCalls defaultCalls() {
        return calls(ConfigFactory.defaultReference());
    }

    /**
     * One entry of {@code --model}: {@code NAME} or {@code NAME:WEIGHT}. The weight is the part after
     * the last colon when it is a number, so that {@code qwen2.5-coder:7b} stays a name.
     */
    public static ModelChoice parseModel(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon > 0) {
            try {
                double weight = Double.parseDouble(s.substring(colon + 1));
                if (!(weight > 0) || Double.isInfinite(weight)) {
                    throw new IllegalArgumentException("model " + s + ": the weight must be a positive number");
                }
                return new ModelChoice(s.substring(0, colon), OptionalDouble.of(weight));
            } catch (NumberFormatException notAWeight) {
                // a tag such as :7b belongs to the name
            }
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty model name");
        }
        return new ModelChoice(s, OptionalDouble.empty());
    }

    /** A model as named on the command line, with its weight if one was given. */
    public record ModelChoice(String name, OptionalDouble weight) {
    }

    private static List<ModelSettings> models(ConfigList list, URI apiBase, Optional<String> keyEnv,
                                              ModelSettings.Defaults defaults) {
        List<ModelSettings> models = new ArrayList<>();
        List<OptionalDouble> weights = new ArrayList<>();
        for (ConfigValue value : list) {
            if (value.valueType() == ConfigValueType.STRING) {
                ModelChoice choice = parseModel((String) value.unwrapped());
                models.add(ModelSettings.of(choice.name(), apiBase, keyEnv, defaults));
                weights.add(choice.weight());
            } else if (value.valueType() == ConfigValueType.OBJECT) {
                Config m = ((ConfigObject) value).toConfig();
                ModelSettings model = model(m, apiBase, keyEnv, defaults);
                models.add(model);
                weights.add(optionalDouble(m, "weight"));
            } else {
                throw new IllegalArgumentException(KEY + ".models: each entry is \"NAME[:WEIGHT]\" or an object with a name,"
                        + " not " + value.render());
            }
        }
        long weighted = weights.stream().filter(OptionalDouble::isPresent).count();
        if (weighted != 0 && weighted != weights.size()) {
            throw new IllegalArgumentException("give every model a weight or none (none: "
                    + (models.size() == 2 ? "80/20 between the first and the second" : "equal shares") + ")");
        }
        List<Double> shares = ModelEnsemble.defaultWeights(models.size());
        List<ModelSettings> weightedModels = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            weightedModels.add(models.get(i).withWeight(weights.get(i).orElse(shares.get(i))));
        }
        long distinct = weightedModels.stream().map(ModelSettings::name).distinct().count();
        if (distinct != weightedModels.size()) {
            throw new IllegalArgumentException(KEY + ".models: a model is named twice");
        }
        return weightedModels;
    }

    private static ModelSettings model(Config m, URI apiBase, Optional<String> keyEnv, ModelSettings.Defaults defaults) {
        if (!m.hasPath("name")) {
            throw new IllegalArgumentException(KEY + ".models: an entry has no name");
        }
        String name = m.getString("name");
        URI base = m.hasPath("api-base") ? uri(m.getString("api-base"), KEY + ".models." + name + ".api-base") : apiBase;
        Optional<String> env = m.hasPath("api-key-env") ? keyEnv(m.getString("api-key-env")) : keyEnv;
        ModelSettings model = ModelSettings.of(name, base, env, defaults);
        if (m.hasPath("reasoning")) {
            boolean reasoning = m.getBoolean("reasoning");
            model = new ModelSettings(model.name(), model.weight(), model.baseUrl(), model.apiKeyEnv(),
                    reasoning ? OptionalDouble.empty() : model.temperature(), reasoning ? OptionalDouble.empty() : model.topP(),
                    model.maxTokens(), model.requestTimeout(), model.maxConcurrency(), model.inputUsdPerMillion(),
                    model.outputUsdPerMillion(), reasoning);
        }
        if (m.hasPath("temperature") || m.hasPath("top-p")) {
            model = model.withSampling(m.hasPath("temperature") ? optionalDouble(m, "temperature") : model.temperature(),
                    m.hasPath("top-p") ? optionalDouble(m, "top-p") : model.topP());
        }
        model = model.withLimits(m.hasPath("max-tokens") ? m.getInt("max-tokens") : model.maxTokens(),
                m.hasPath("request-timeout") ? m.getDuration("request-timeout") : model.requestTimeout(),
                m.hasPath("max-concurrency") ? m.getInt("max-concurrency") : model.maxConcurrency());
        if (m.hasPath("input-usd-per-million") || m.hasPath("output-usd-per-million")) {
            model = model.withPrices(m.hasPath("input-usd-per-million") ? m.getDouble("input-usd-per-million")
                            : model.inputUsdPerMillion(),
                    m.hasPath("output-usd-per-million") ? m.getDouble("output-usd-per-million") : model.outputUsdPerMillion());
        }
        return model;
    }

    private static PromptSettings prompt(Config p, AnswerFormat format) {
        return new PromptSettings(format, p.getBoolean("problem-statement"), p.getBoolean("candidate-api"),
                p.getInt("max-parent-code-chars"), p.getBoolean("parent-metrics"), p.getInt("max-feedback-chars"),
                p.getInt("max-program-chars"), p.getInt("max-failure-chars"), variants(p.getConfig("variants")),
                summaryEvery(p.getInt("summary-every"))).check();
    }

    private static PromptVariants variants(Config v) {
        String key = KEY + ".prompt.variants";
        for (String name : v.root().keySet()) {
            if (java.util.Arrays.stream(PromptVariant.values()).noneMatch(variant -> variant.key().equals(name))) {
                throw new IllegalArgumentException(key + "." + name + ": no such variant (expected improve, fix and crossover)");
            }
        }
        return new PromptVariants(weight(v, "improve", key), weight(v, "fix", key), weight(v, "crossover", key)).check(key);
    }

    private static double weight(Config variants, String name, String key) {
        try {
            return variants.getDouble(name);
        } catch (ConfigException.WrongType e) {
            throw new IllegalArgumentException(key + "." + name + ": expected a weight >= 0, not '"
                    + variants.getValue(name).unwrapped() + "'");
        }
    }

    private static int summaryEvery(int every) {
        if (every < 0) {
            throw new IllegalArgumentException(KEY + ".prompt.summary-every: expected 0 (off) or a count of proposals, not "
                    + every);
        }
        return every;
    }

    private static RetryPolicy retry(Config r) {
        return new RetryPolicy(r.getInt("max-attempts"), r.getDuration("initial-backoff"), r.getDuration("max-backoff"),
                r.getDouble("jitter"), r.getDuration("max-retry-after"));
    }

    private static EndpointCircuit.Settings circuit(Config c) {
        return new EndpointCircuit.Settings(c.getInt("failure-threshold"), c.getDuration("cooldown"),
                c.getDuration("max-cooldown"));
    }

    private static AnswerFormat format(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("diff")) {
            return AnswerFormat.DIFF;
        }
        if (s.equals("full-rewrite")) {
            return AnswerFormat.FULL_REWRITE;
        }
        throw new IllegalArgumentException(KEY + ".format: expected diff or full-rewrite, not '" + text + "'");
    }

    /** The name of the key's environment variable; {@code none} or empty for keyless local servers. */
    private static Optional<String> keyEnv(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        if (!s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--api-key-env takes the NAME of an environment variable (e.g."
                    + " OPENAI_API_KEY), not '" + (s.length() > 8 ? s.substring(0, 4) + "..." : s) + "'");
        }
        return Optional.of(s);
    }

    private static URI uri(String text, String key) {
        try {
            URI uri = URI.create(text.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(key + ": expected an http(s) URL, not '" + text + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(key)) {
                throw e;
            }
            throw new IllegalArgumentException(key + ": not a URL: '" + text + "'");
        }
    }

    private static OptionalDouble optionalDouble(Config c, String path) {
        if (!c.hasPath(path)) {
            return OptionalDouble.empty();
        }
        String text = c.getString(path).trim();
        if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("false") || text.equalsIgnoreCase("none")) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(KEY + "." + path + ": expected a number or off, not '" + text + "'");
        }
    }
}
