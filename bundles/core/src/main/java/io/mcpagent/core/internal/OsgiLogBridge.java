package io.mcpagent.core.internal;

import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the entries of the OSGi Log Service (Apache Felix Log, feature core) to slf4j, that is into the runtime's
 * log file. Declarative Services, ConfigAdmin, MetaType and Felix HTTP log through the Log Service, and print to
 * stdout only while none is registered, so a component that fails to activate is reported in the log file, not on
 * the console. Only warnings and errors are written: Felix Log also records every bundle and service event at INFO
 * and DEBUG, whatever its level.
 */
@Component(service = {})
public final class OsgiLogBridge implements LogListener {

    private final LogReaderService reader;
    /** slf4j logger by name; the test's stands in for slf4j's static factory. */
    private final Function<String, org.slf4j.Logger> loggers;
    /** Sequence number of the last entry written; guarded by {@code this}. */
    private long lastWritten = -1;

    @Activate
    public OsgiLogBridge(@Reference LogReaderService reader) {
        this(reader, LoggerFactory::getLogger);
    }

    OsgiLogBridge(LogReaderService reader, Function<String, org.slf4j.Logger> loggers) {
        this.reader = reader;
        this.loggers = loggers;
        // Listening first, then the history (what was logged before this bundle started): entries the listener gets
        // meanwhile wait for the lock, and the sequence number drops those the history already held.
        synchronized (this) {
            reader.addLogListener(this);
            List<LogEntry> newestFirst = Collections.list(reader.getLog());
            Collections.reverse(newestFirst);
            newestFirst.forEach(this::write);
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public synchronized void logged(LogEntry entry) {
        write(entry);
    }

    private void write(LogEntry entry) {
        if (entry.getSequence() <= lastWritten || !LogLevel.WARN.implies(entry.getLogLevel())) {
            return;
        }
        lastWritten = entry.getSequence();
        org.slf4j.Logger log = loggers.apply(loggerName(entry));
        String message = entry.getMessage();
        Throwable exception = entry.getException();
        switch (entry.getLogLevel()) {
            case ERROR -> log.error(message, exception);
            case WARN -> log.warn(message, exception);
            // AUDIT records something that happened, not a problem
            case AUDIT -> log.info(message, exception);
            default -> throw new IllegalStateException("not written: " + entry.getLogLevel());
        }
    }

    /** The entry's logger (for DS: the component's class), or for a bundle's root logger the bundle's name. */
    private static String loggerName(LogEntry entry) {
        if (!Logger.ROOT_LOGGER_NAME.equals(entry.getLoggerName())) {
            return entry.getLoggerName();
        }
        Bundle bundle = entry.getBundle();
        return bundle == null || bundle.getSymbolicName() == null ? "osgi" : bundle.getSymbolicName();
    }
}
