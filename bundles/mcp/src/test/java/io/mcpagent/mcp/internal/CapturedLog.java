package io.mcpagent.mcp.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the tests' logger, slf4j-simple, writes from {@link #start()} until {@link #close()}: it writes to standard
 * error, which is a buffer meanwhile. {@code CapturedLog log = CapturedLog.start(); try (log) { ... }} lets the text
 * be read in the block (waiting for a line) and after it.
 */
public final class CapturedLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedLog() {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** What was logged since the start. */
    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Standard error is what it was before the start again. */
    @Override
    public void close() {
        System.setErr(original);
    }
}
