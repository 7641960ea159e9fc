package io.mcpagent.mcp.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.simple.SimpleLogger;

/**
 * What the tests' logger, slf4j-simple, writes from {@link #start()} until {@link #close()}: it writes to standard
 * error, which is a buffer meanwhile. {@code CapturedLog log = CapturedLog.start(); try (log) { ... }} lets the text
 * be read in the block (waiting for a line) and after it.
 */
public final class CapturedLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    /** The logger whose debug lines are written meanwhile, and its level before; null when none is. */
    private final SimpleLogger debugged;
    private final int levelBefore;

    private CapturedLog(SimpleLogger debugged) {
        this.debugged = debugged;
        this.levelBefore = debugged == null ? 0 : level(debugged, Level.DEBUG.toInt());
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    public static CapturedLog start() {
        return new CapturedLog(null);
    }

    /**
     * As {@link #start()}, with the debug lines of the logger of {@code type} written too until {@link #close()}: the
     * tests run at slf4j-simple's default level, info, so that no test's output is full of debug lines.
     */
    public static CapturedLog startWithDebugOf(Class<?> type) {
        return new CapturedLog((SimpleLogger) LoggerFactory.getLogger(type));
    }

    /** What was logged since the start. */
    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Standard error, and the level of the logger made to write debug lines, are what they were before the start. */
    @Override
    public void close() {
        System.setErr(original);
        if (debugged != null) {
            level(debugged, levelBefore);
        }
    }

    /**
     * Sets the level of {@code logger} to {@code value} and returns the one it had: slf4j-simple fixes it when the
     * logger is made and has no setter, so its field is set.
     */
    private static int level(SimpleLogger logger, int value) {
        try {
            Field level = SimpleLogger.class.getDeclaredField("currentLogLevel");
            level.setAccessible(true);
            int before = level.getInt(logger);
            level.setInt(logger, value);
            return before;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("slf4j-simple has no field currentLogLevel to set a logger's level", e);
        }
    }
}
