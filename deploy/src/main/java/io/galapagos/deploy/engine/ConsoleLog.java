package io.galapagos.deploy.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

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
     */
    public static RunLog toRunFolder(Path outDir) {
        Path file = outDir.resolve(FILE);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new RunLog(file, () -> { });
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(consolePattern(root));
        encoder.start();
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
            }
        });
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
