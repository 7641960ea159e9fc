package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.nullable;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;

class OsgiLogBridgeTest {
    private final List<String> written = new ArrayList<>();
    private final LogReaderService reader = mock(LogReaderService.class);
    private final AtomicReference<LogListener> listener = new AtomicReference<>();

    OsgiLogBridgeTest() {
        doAnswer(call -> {
            listener.set(call.getArgument(0));
            return null;
        }).when(reader).addLogListener(any());
    }

    @Test
    void entriesLoggedBeforeTheBridgeStartedAreWrittenOldestFirst() {
        IllegalStateException failure = new IllegalStateException("constructor threw");
        LogEntry first = entry(1, LogLevel.WARN, "io.example.Component", "first", null);
        LogEntry second = entry(2, LogLevel.ERROR, "io.example.Component", "[test.failing(3)] : activation failed",
                failure);
        history(second, first);

        new OsgiLogBridge(reader, this::recorder);

        assertEquals(List.of("WARN io.example.Component first null",
                "ERROR io.example.Component [test.failing(3)] : activation failed " + failure), written);
    }

    @Test
    void warningsAndErrorsLoggedLaterAreWrittenAndOnesAlsoInTheHistoryOnlyOnce() {
        LogEntry old = entry(7, LogLevel.ERROR, "a.B", "in the history and delivered", null);
        history(old);
        new OsgiLogBridge(reader, this::recorder);

        listener.get().logged(old);
        listener.get().logged(entry(8, LogLevel.WARN, "a.B", "later", null));
        listener.get().logged(entry(9, LogLevel.AUDIT, "a.B", "audit", null));
        listener.get().logged(entry(10, LogLevel.INFO, "Events.Bundle.a", "BundleEvent STARTED", null));
        listener.get().logged(entry(11, LogLevel.DEBUG, "a.B", "debug", null));
        listener.get().logged(entry(12, LogLevel.TRACE, "a.B", "trace", null));

        assertEquals(List.of("ERROR a.B in the history and delivered null", "WARN a.B later null",
                "INFO a.B audit null"), written);
    }

    @Test
    void aBundlesRootLoggerIsWrittenUnderTheBundlesName() {
        history(entry(1, LogLevel.ERROR, Logger.ROOT_LOGGER_NAME, "scr itself", null));

        new OsgiLogBridge(reader, this::recorder);

        assertEquals(List.of("ERROR org.apache.felix.scr scr itself null"), written);
    }

    @Test
    void stopsListeningWhenDeactivated() {
        history();
        OsgiLogBridge bridge = new OsgiLogBridge(reader, this::recorder);

        bridge.deactivate();

        verify(reader).removeLogListener(listener.get());
    }

    private void history(LogEntry... newestFirst) {
        when(reader.getLog()).thenReturn(Collections.enumeration(List.of(newestFirst)));
    }

    private static LogEntry entry(long sequence, LogLevel level, String loggerName, String message,
            Throwable exception) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("org.apache.felix.scr");
        LogEntry entry = mock(LogEntry.class);
        when(entry.getSequence()).thenReturn(sequence);
        when(entry.getLogLevel()).thenReturn(level);
        when(entry.getLoggerName()).thenReturn(loggerName);
        when(entry.getMessage()).thenReturn(message);
        when(entry.getException()).thenReturn(exception);
        when(entry.getBundle()).thenReturn(bundle);
        return entry;
    }

    /** An slf4j logger that records "LEVEL name message exception". */
    private org.slf4j.Logger recorder(String name) {
        org.slf4j.Logger logger = mock(org.slf4j.Logger.class);
        doAnswer(call -> record("ERROR", name, call.getArguments())).when(logger).error(any(String.class),
                nullable(Throwable.class));
        doAnswer(call -> record("WARN", name, call.getArguments())).when(logger).warn(any(String.class),
                nullable(Throwable.class));
        doAnswer(call -> record("INFO", name, call.getArguments())).when(logger).info(any(String.class),
                nullable(Throwable.class));
        doAnswer(call -> record("DEBUG", name, call.getArguments())).when(logger).debug(any(String.class),
                nullable(Throwable.class));
        doAnswer(call -> record("TRACE", name, call.getArguments())).when(logger).trace(any(String.class),
                nullable(Throwable.class));
        return logger;
    }

    private Object record(String level, String name, Object[] arguments) {
        written.add(level + " " + name + " " + arguments[0] + " " + arguments[1]);
        return null;
    }
}
