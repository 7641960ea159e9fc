package io.mcpagent.core.internal;

import java.util.function.Function;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.LoggerFactory;

/**
 * Writes what our bundles log through java.util.logging (System.Logger), under the loggers named
 * {@value #NAMESPACE} and below, to slf4j, that is into the runtime's log. io.mcpagent.deploy.gate logs so: an import
 * of slf4j or of the Log Service would have their refresh restart it. Without this its messages reached only
 * data/log/framework.log, where operators do not look; they still go there too (the root logger's handler), also
 * while this bundle is away.
 */
@Component(service = {})
public final class JavaLoggingBridge {
    /** The java.util.logging logger whose records, and those of the loggers below it, are written. */
    static final String NAMESPACE = "io.mcpagent";

    /** Held: java.util.logging keeps loggers weakly, and a logger collected would take the handler with it. */
    private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(NAMESPACE);
    private final Handler handler;

    @Activate
    public JavaLoggingBridge() {
        this(LoggerFactory::getLogger);
    }

    /** @param loggers slf4j logger by name; the test's stands in for slf4j's static factory */
    JavaLoggingBridge(Function<String, org.slf4j.Logger> loggers) {
        handler = new ToSlf4j(loggers);
        logger.addHandler(handler);
    }

    @Deactivate
    void deactivate() {
        logger.removeHandler(handler);
    }

    private static final class ToSlf4j extends Handler {
        private final Function<String, org.slf4j.Logger> loggers;
        /** Only for its formatMessage: a record's parameters and resource bundle applied to its message. */
        private final Formatter messages = new SimpleFormatter();

        ToSlf4j(Function<String, org.slf4j.Logger> loggers) {
            this.loggers = loggers;
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            org.slf4j.Logger log = loggers.apply(record.getLoggerName());
            String message = messages.formatMessage(record);
            Throwable thrown = record.getThrown();
            int level = record.getLevel().intValue();
            if (level >= Level.SEVERE.intValue()) {
                log.error(message, thrown);
            } else if (level >= Level.WARNING.intValue()) {
                log.warn(message, thrown);
            } else if (level >= Level.INFO.intValue()) {
                log.info(message, thrown);
            } else if (level >= Level.FINE.intValue()) {
                log.debug(message, thrown);
            } else {
                log.trace(message, thrown);
            }
        }

        @Override
        public void flush() {
            // slf4j flushes by itself
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
