package io.galapagos.controller.lifecycle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects the lifecycle lines logged while it is open, with their MDC. */
public final class LifecycleLines implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(LifecycleLog.LOGGER);
    private final Level before = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LifecycleLines() {
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    /** Every line so far. */
    public List<ILoggingEvent> all() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The lines whose message starts with {@code event} (followed by a field or nothing). */
    public List<ILoggingEvent> of(String event) {
        return all().stream().filter(e -> e.getFormattedMessage().equals(event)
                || e.getFormattedMessage().startsWith(event + " ")).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(before);
    }
}
