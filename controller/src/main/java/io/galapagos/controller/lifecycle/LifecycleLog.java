package io.galapagos.controller.lifecycle;

import io.galapagos.protocol.Printable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Optional;

/**
 * One log line per lifecycle event of a run, an island, a worker or the dispatcher, on the logger
 * {@value #LOGGER}: a short message with {@code key=value} fields, and the run, the island and the node
 * in the MDC ({@value #RUN}, {@value #ISLAND}, {@value #NODE}), so that an operator can filter the lines
 * of one run across every node. Callers log from command handlers or after a persist, never from an
 * event handler, so that a recovery replay does not repeat a line.
 */
public final class LifecycleLog {

    /** The logger's name; the node and run commands turn its INFO lines on. */
    public static final String LOGGER = "galapagos.lifecycle";
    public static final String RUN = "run";
    public static final String ISLAND = "island";
    public static final String NODE = "node";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** Where a line comes from: the node, and the run and island when there is one. */
    public record Where(String node, Optional<String> run, Optional<String> island) {

        /** The node of {@code system}, by its address ({@code pekko://galapagos@host:port}). */
        public static Where node(ActorSystem<?> system) {
            return new Where(system.address().toString(), Optional.empty(), Optional.empty());
        }

        public Where run(String runId) {
            return new Where(node, Optional.of(runId), island);
        }

        /** An island {@code <run>/<n>}: its run is the id up to the last slash. */
        public Where island(String islandId) {
            int slash = islandId.lastIndexOf('/');
            return new Where(node, slash > 0 ? Optional.of(islandId.substring(0, slash)) : run, Optional.of(islandId));
        }
    }

    private LifecycleLog() {
    }

    /** An INFO line: {@code event} followed by the {@code key=value} pairs of {@code fields} (key, value, ...). */
    public static void info(Where where, String event, Object... fields) {
        log(Level.INFO, where, event, fields);
    }

    /** A WARN line, for events an operator may have to act on (a worker gone, a job requeued). */
    public static void warn(Where where, String event, Object... fields) {
        log(Level.WARN, where, event, fields);
    }

    private static void log(Level level, Where where, String event, Object... fields) {
        if (!LOG.isEnabledForLevel(level)) {
            return;
        }
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in key, value pairs: " + fields.length + " given");
        }
        StringBuilder message = new StringBuilder(event);
        LoggingEventBuilder line = LOG.atLevel(level);
        for (int i = 0; i < fields.length; i += 2) {
            String key = String.valueOf(fields[i]);
            String value = value(fields[i + 1]);
            message.append(' ').append(key).append('=').append(quoted(value));
            line = line.addKeyValue(key, value);
        }
        // the MDC is the thread's: set for this line only, and whatever was there before put back
        String[] keys = {NODE, RUN, ISLAND};
        String[] values = {where.node(), where.run().orElse(null), where.island().orElse(null)};
        String[] before = new String[keys.length];
        for (int k = 0; k < keys.length; k++) {
            before[k] = MDC.get(keys[k]);
            put(keys[k], values[k]);
        }
        try {
            line.log(message.toString());
        } finally {
            for (int k = 0; k < keys.length; k++) {
                put(keys[k], before[k]);
            }
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** One line, whatever a reason quoted (a candidate's or a model's text): newlines and controls escaped. */
    private static String value(Object value) {
        String text = value instanceof Optional<?> optional ? optional.map(String::valueOf).orElse("")
                : String.valueOf(value);
        return Printable.escape(text).replace("\n", "\\n").replace("\r", "\\r").replace("\t", " ");
    }

    private static String quoted(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=')) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
