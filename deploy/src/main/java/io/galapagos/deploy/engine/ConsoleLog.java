package io.galapagos.deploy.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import com.typesafe.config.Config;
import io.galapagos.controller.lifecycle.LifecycleLog;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where log lines go. Servers ({@code node}) and one-shot commands keep the full lines on stderr. A run
 * ({@code run}, {@code resume}) keeps its console for its own lines: every WARN and ERROR of the embedded
 * node goes to {@code <out>/galapagos.log} with its stack trace, and the console shows ERRORs only, one
 * line each; while a run stops, the console shows none (the node's complaints about its own shutdown
 * are expected).
 */
public final class ConsoleLog {

    /** The name of the log file in a run's folder. */
    public static final String FILE = "galapagos.log";

    /** What the console shows of the log. */
    public enum Mode { FULL, BRIEF, QUIET }

    private static volatile Mode mode = Mode.FULL;

    /** How the full lines are written: as text, or one JSON object per line (galapagos.log.format). */
    public enum Format {
        TEXT, JSON;

        /** The format {@code galapagos.log.format} names; one line naming the key and the choices otherwise. */
        public static Format of(Config config) {
            return of(config.getString("galapagos.log.format"), "galapagos.log.format");
        }

        /** The format named {@code value}; {@code source} (a key or a flag) names it in the error. */
        public static Format of(String value, String source) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": unknown log format '" + value + "' (text or json)");
            }
        }
    }


    private ConsoleLog() {
    }

    /** A run's log file, attached until {@link #close()}. */
    public record RunLog(Path file, Runnable detach) implements AutoCloseable {
        @Override
        public void close() {
            detach.run();
        }
    }

    /**
     * Sends WARN and above to {@code <outDir>/galapagos.log} (appended to, so that a resumed run adds to it) and
     * leaves the console one line per ERROR, until the returned log is closed.
     * The lines are written in {@code format}, and the lifecycle lines of the run's node ({@link LifecycleLog})
     * go to the file too; the console's one line per ERROR stays text.
     */
    public static RunLog toRunFolder(Path outDir, Format format) {
        Path file = outDir.resolve(FILE);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new RunLog(file, () -> { });
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Encoder<ILoggingEvent> encoder = format == Format.JSON ? jsonEncoder(context) : textEncoder(context, consolePattern(root));
        Logger lifecycle = context.getLogger(LifecycleLog.LOGGER);
        Level lifecycleBefore = lifecycle.getLevel();
        lifecycle.setLevel(Level.INFO);
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("RUN_FOLDER " + file);
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        mode = Mode.BRIEF;
        return new RunLog(file, () -> {
            // a stopped or failed run stays quiet: what its node says while the process ends is no news
            if (mode == Mode.BRIEF) {
                mode = Mode.FULL;
                root.detachAppender(appender);
                appender.stop();
                lifecycle.setLevel(lifecycleBefore);
            }
        });
    }

    /**
     * A server's log ({@code galapagos node}): its lifecycle lines on, and every full line in {@code format}.
     * Called before the node starts, so that its first lines are in that format too.
     */
    public static void forNode(Format format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.getLogger(LifecycleLog.LOGGER).setLevel(Level.INFO);
        Appender<ILoggingEvent> console = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        // text keeps the pattern of logback.xml
        if (format == Format.JSON && console instanceof OutputStreamAppender<ILoggingEvent> stream) {
            stream.setEncoder(jsonEncoder(context));
        }
    }

    /** Names the node (its address) in every line from now on: the text pattern's [node], JSON's context properties. */
    public static void nameNode(String address) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.putProperty("node", address);
        }
    }

    /**
     * One JSON object per line: timestamp (epoch milliseconds), level, logger, thread, the formatted message,
     * the MDC (run, island, node of the lifecycle lines), their key/value fields, the logging context's
     * properties (the node) and a throwable, if any.
     */
    public static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithArguments(false);
        // the formatted message only: the raw one repeats it with {} in place of the values
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }

    private static PatternLayoutEncoder textEncoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /** Silences the console's log lines (a run that stops). */
    public static void quiet() {
        mode = Mode.QUIET;
    }

    /** The full pattern of the console appender, so that the file's lines read the same. */
    private static String consolePattern(Logger root) {
        Appender<ILoggingEvent> console = root.getAppender("STDERR");
        if (console instanceof OutputStreamAppender<ILoggingEvent> stream
                && stream.getEncoder() instanceof PatternLayoutEncoder encoder) {
            return encoder.getPattern();
        }
        return "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} - %msg%n";
    }

    /** Lets the full lines through until a run takes the console over. */
    public static final class Full extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            return mode == Mode.FULL ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }

    /** Lets a run's ERRORs through, as one line each. */
    public static final class Brief extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            return mode == Mode.BRIEF && event.getLevel().isGreaterOrEqual(Level.ERROR) ? FilterReply.NEUTRAL
                    : FilterReply.DENY;
        }
    }
}
