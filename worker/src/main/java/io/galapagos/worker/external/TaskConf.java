package io.galapagos.worker.external;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.galapagos.simulators.Split;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Reads Galapagos's own layout: {@code galapagos-task.conf} (HOCON) in the task folder. */
final class TaskConf {

    private static final String FILE = TaskDirectory.CONF_FILE;
    private static final Set<String> KEYS = Set.of("id", "title", "problem", "problem-file", "language",
            "initial-program", "evaluator.command", "evaluator.mode", "interpreter", "splits", "score.metric",
            "score.higher-is-better", "feature-metric", "timeout", "ship", "environment", "toolchain", "stochastic",
            "repeats");

    private final Path root;
    private final Config config;

    private TaskConf(Path root, Config config) {
        this.root = root;
        this.config = config;
    }

    static TaskDirectory load(Path root) {
        Config config;
        try {
            // no includes and no environment: a task folder may come from anyone, and travels to other machines
            config = ConfigFactory.parseFile(root.resolve(FILE).toFile(), ConfigParseOptions.defaults()
                            .setSyntax(ConfigSyntax.CONF).setAllowMissing(false).setIncluder(new NoIncludes()))
                    .resolve(ConfigResolveOptions.noSystem());
        } catch (TaskDirectoryException e) {
            throw e;
        } catch (ConfigException e) {
            throw new TaskDirectoryException(FILE + ": " + oneLine(e.getMessage()));
        }
        return new TaskConf(root, config).read();
    }

    private TaskDirectory read() {
        Set<String> unknown = new TreeSet<>();
        config.entrySet().forEach(e -> {
            if (!KEYS.contains(e.getKey()) && !e.getKey().startsWith("baselines.")) {
                unknown.add(e.getKey());
            }
        });
        if (!unknown.isEmpty()) {
            throw new TaskDirectoryException(FILE + ": unknown keys " + String.join(", ", unknown) + " (known: "
                    + String.join(", ", new TreeSet<>(KEYS)) + ", baselines.<name>)");
        }
        String id = string("id", Optional.empty());
        if (!id.matches("[a-z0-9-]+")) {
            throw TaskDirectoryException.of(FILE, "id", "must match [a-z0-9-]+, got '" + id + "'");
        }
        String title = string("title", Optional.of(id));
        String language = string("language", Optional.empty());
        if (!language.matches("[a-z][a-z0-9]*")) {
            throw TaskDirectoryException.of(FILE, "language", "must be one lowercase word (python, java, cpp, ...), got '"
                    + language + "'");
        }
        String program = string("initial-program", Optional.empty());
        String initial = TaskDirectory.readProgram(root, program, FILE, "initial-program", true);
        Map<String, String> baselines = new LinkedHashMap<>();
        baselines.put("initial", initial);
        if (config.hasPath("baselines")) {
            ConfigObject object = get("baselines", () -> config.getObject("baselines"), "must be an object of name = file");
            for (String name : new TreeSet<>(object.keySet())) {
                String key = "baselines." + name;
                if (name.equals("initial")) {
                    throw TaskDirectoryException.of(FILE, key, "'initial' is the initial program's name");
                }
                ConfigValue value = object.get(name);
                if (value.valueType() != ConfigValueType.STRING) {
                    throw TaskDirectoryException.of(FILE, key, "must be a file name");
                }
                String file = (String) value.unwrapped();
                baselines.put(name, TaskDirectory.readProgram(root, file, FILE, key, false));
            }
        }
        List<String> command = strings("evaluator.command", Optional.empty());
        if (command.isEmpty() || command.stream().anyMatch(String::isBlank)) {
            throw TaskDirectoryException.of(FILE, "evaluator.command", "must be a non-empty list of strings");
        }
        String first = command.get(0);
        if (!first.equals(TaskDirectory.INTERPRETER_PLACEHOLDER) && first.contains("/") && !Path.of(first).isAbsolute()
                && !Files.isRegularFile(TaskDirectory.inside(root, first, FILE, "evaluator.command"))) {
            throw TaskDirectoryException.of(FILE, "evaluator.command", "no file '" + first + "' in " + root);
        }
        TaskDirectory.Mode mode = enumValue("evaluator.mode", TaskDirectory.Mode.ONCE);
        String interpreter = string("interpreter", Optional.of("python3"));
        List<String> splits = new ArrayList<>();
        for (String split : strings("splits", Optional.of(List.of("TRAIN")))) {
            try {
                splits.add(Split.parse(split).name());
            } catch (IllegalArgumentException e) {
                throw TaskDirectoryException.of(FILE, "splits", e.getMessage());
            }
        }
        if (splits.isEmpty() || splits.stream().distinct().count() != splits.size()) {
            throw TaskDirectoryException.of(FILE, "splits", "must be a non-empty list of distinct SMOKE, TRAIN, TEST");
        }
        String metric = string("score.metric", Optional.of("combined_score"));
        boolean higherIsBetter = !config.hasPath("score.higher-is-better")
                || get("score.higher-is-better", () -> config.getBoolean("score.higher-is-better"), "must be true or false");
        Optional<String> feature = config.hasPath("feature-metric")
                ? Optional.of(string("feature-metric", Optional.empty())) : Optional.empty();
        Duration timeout = config.hasPath("timeout")
                ? get("timeout", () -> config.getDuration("timeout"), "must be a duration such as 60s or 5m")
                : Duration.ofSeconds(60);
        if (timeout.isZero() || timeout.isNegative()) {
            throw TaskDirectoryException.of(FILE, "timeout", "must be positive");
        }
        List<String> ship = strings("ship", Optional.of(List.of("**")));
        if (ship.isEmpty()) {
            throw TaskDirectoryException.of(FILE, "ship", "must name at least one glob");
        }
        List<String> environment = strings("environment", Optional.of(List.of()));
        for (String name : environment) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw TaskDirectoryException.of(FILE, "environment", "'" + name + "' is not a variable name");
            }
        }
        List<String> toolchain = strings("toolchain", Optional.of(List.of()));
        if (toolchain.stream().anyMatch(String::isBlank)) {
            throw TaskDirectoryException.of(FILE, "toolchain", "must be a list of executable names or paths");
        }
        boolean stochastic = config.hasPath("stochastic")
                && get("stochastic", () -> config.getBoolean("stochastic"), "must be true or false");
        Optional<Integer> repeats = Optional.empty();
        if (config.hasPath("repeats")) {
            int k = get("repeats", () -> config.getInt("repeats"), "must be a whole number");
            if (!stochastic) {
                throw TaskDirectoryException.of(FILE, "repeats", "needs stochastic = true");
            }
            if (k < 2 || k > 100) {
                throw TaskDirectoryException.of(FILE, "repeats", "must be from 2 to 100 (evaluations of a would-be best in all), got " + k);
            }
            repeats = Optional.of(k);
        }
        String problem = problem();
        return new TaskDirectory(root, id, title, problem, language, Path.of(program).getFileName().toString(), initial,
                command, mode, interpreter, splits, metric, higherIsBetter, feature, baselines, timeout, ship,
                environment, toolchain, Optional.empty(), stochastic, repeats);
    }

    private String problem() {
        boolean inline = config.hasPath("problem");
        boolean file = config.hasPath("problem-file");
        if (inline == file) {
            throw TaskDirectoryException.of(FILE, "problem", "give exactly one of problem (markdown) and problem-file");
        }
        if (inline) {
            return string("problem", Optional.empty());
        }
        String name = string("problem-file", Optional.empty());
        Path path = TaskDirectory.inside(root, name, FILE, "problem-file");
        try {
            return Files.readString(path);
        } catch (java.io.IOException e) {
            throw TaskDirectoryException.of(FILE, "problem-file", "'" + name + "' cannot be read: " + e.getMessage());
        }
    }

    private String string(String key, Optional<String> fallback) {
        if (!config.hasPath(key)) {
            return fallback.orElseThrow(() -> TaskDirectoryException.of(FILE, key, "missing"));
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.STRING || ((String) value.unwrapped()).isBlank()) {
            throw TaskDirectoryException.of(FILE, key, "must be a non-empty string");
        }
        return ((String) value.unwrapped()).strip();
    }

    private List<String> strings(String key, Optional<List<String>> fallback) {
        if (!config.hasPath(key)) {
            return fallback.orElseThrow(() -> TaskDirectoryException.of(FILE, key, "must be a non-empty list of strings"));
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw TaskDirectoryException.of(FILE, key, "must be a list of strings");
        }
        List<String> strings = new ArrayList<>();
        for (ConfigValue element : config.getList(key)) {
            if (element.valueType() != ConfigValueType.STRING) {
                throw TaskDirectoryException.of(FILE, key, "must be a list of strings");
            }
            strings.add((String) element.unwrapped());
        }
        return strings;
    }

    private <E extends Enum<E>> E enumValue(String key, E fallback) {
        String text = string(key, Optional.of(fallback.name()));
        for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw TaskDirectoryException.of(FILE, key, "must be once or warm, got '" + text + "'");
    }

    private static <T> T get(String key, Supplier<T> read, String problem) {
        try {
            return read.get();
        } catch (ConfigException e) {
            throw TaskDirectoryException.of(FILE, key, problem);
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ");
    }

    /** Refuses {@code include}: a task's definition is this one file. */
    private static final class NoIncludes implements ConfigIncluder {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw new TaskDirectoryException(FILE + ": include '" + what + "': includes are not supported");
        }
    }
}
