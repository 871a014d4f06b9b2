package io.galapagos.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.galapagos.protocol.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses {@code galapagos.*} settings of a user's file that no module defines: a misspelt key would
 * otherwise be ignored in silence and the run would go on with the default. A key is known when the
 * defaults hold it. {@code pekko.*} and other libraries' settings are not checked: their trees are open by design.
 */
public final class KnownSettings {

    private static final String ROOT = "galapagos";
    private static final int MAX_SUGGESTION_DISTANCE = 3;

    /**
     * Keys that were twins of another and are gone: a file that still sets one is told which key now
     * says it, rather than the nearest spelling.
     */
    static final Map<String, String> REPLACED = Map.of(
            "galapagos.sandbox.slots", "galapagos.worker.slots",
            "galapagos.generation.prompt.top-programs", "galapagos.islands.top-programs",
            "galapagos.generation.prompt.inspirations", "galapagos.islands.inspirations",
            "galapagos.generation.prompt.recent-failures", "galapagos.islands.recent-failures");

    private KnownSettings() {
    }

    /**
     * @param user     the user's file as parsed, unresolved
     * @param defaults every module's defaults, resolved
     * @throws IllegalArgumentException naming the first unknown key, where it is, and the nearest known one
     */
    public static void check(Config user, Config defaults) {
        ConfigValue root = user.root().get(ROOT);
        if (root instanceof ConfigObject object) {
            check(object, List.of(ROOT), defaults);
        }
    }

    private static void check(ConfigObject object, List<String> at, Config defaults) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            List<String> keys = new ArrayList<>(at);
            keys.add(entry.getKey());
            String path = ConfigUtil.joinPath(keys);
            if (entry.getValue() instanceof ConfigObject inner && defaults.hasPathOrNull(path)) {
                check(inner, keys, defaults);
            } else if (REPLACED.containsKey(path)) {
                throw new IllegalArgumentException(path + " was replaced by " + REPLACED.get(path)
                        + where(entry.getValue()) + ": set that key instead");
            } else if (!defaults.hasPathOrNull(path)) {
                throw new IllegalArgumentException("unknown setting " + path + where(entry.getValue())
                        + suggestion(keys, defaults).map(s -> ": did you mean " + s + "?").orElse("")
                        + " (every galapagos.* key is listed in the reference.conf of its module)");
            }
        }
    }

    /**
     * Checks values that only make sense together: a job must outlast the sandbox's deadline plus a
     * child JVM's start, or the dispatcher would take a slow honest evaluation back and run it again.
     *
     * @param config the resolved configuration of a node that dispatches and evaluates (both roles)
     * @throws IllegalArgumentException naming both settings and their values
     */
    public static void checkRelated(Config config) {
        Duration job = config.getDuration("galapagos.dispatcher.job-timeout");
        Duration evaluation = config.getDuration("galapagos.sandbox.evaluation-timeout");
        Duration start = config.getDuration("galapagos.sandbox.start-timeout");
        if (job.compareTo(evaluation.plus(start)) < 0) {
            throw new IllegalArgumentException("galapagos.dispatcher.job-timeout (" + Durations.format(job)
                    + ") must be at least galapagos.sandbox.evaluation-timeout (" + Durations.format(evaluation)
                    + ") plus galapagos.sandbox.start-timeout (" + Durations.format(start) + "): otherwise a slow"
                    + " evaluation is taken back from its worker and run again");
        }
    }

    private static String where(ConfigValue value) {
        String description = value.origin().description();
        return description == null || description.isEmpty() ? "" : " (" + description + ")";
    }

    /** The sibling of the unknown key's name, among the defaults' keys, that is fewest edits away. */
    private static Optional<String> suggestion(List<String> keys, Config defaults) {
        List<String> parent = keys.subList(0, keys.size() - 1);
        String parentPath = ConfigUtil.joinPath(parent);
        if (!defaults.hasPath(parentPath) || !(defaults.getValue(parentPath) instanceof ConfigObject siblings)) {
            return Optional.empty();
        }
        String wrong = keys.get(keys.size() - 1).toLowerCase(Locale.ROOT);
        String nearest = null;
        int best = MAX_SUGGESTION_DISTANCE + 1;
        for (String candidate : siblings.keySet()) {
            int distance = distance(wrong, candidate.toLowerCase(Locale.ROOT));
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        if (nearest == null) {
            return Optional.empty();
        }
        List<String> suggested = new ArrayList<>(parent);
        suggested.add(nearest);
        return Optional.of(ConfigUtil.joinPath(suggested));
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
