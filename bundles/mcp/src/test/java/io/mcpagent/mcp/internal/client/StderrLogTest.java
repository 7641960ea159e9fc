package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.mcpagent.mcp.internal.CapturedLog;

/** A server writing hundreds of stderr lines a second filled the log in minutes; now at most 300 a minute are. */
class StderrLogTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final StderrLog log = new StderrLog(LoggerFactory.getLogger("io.mcpagent.mcp.server.chatty"), "chatty",
            now::get);

    @Test
    void pastThreeHundredLinesAMinuteTheRestAreCountedAndTheCountIsLoggedWhenTheMinuteIsOverAndAtTheEnd()
            throws Exception {
        String text;
        try (CapturedLog logged = CapturedLog.start()) {
            for (int i = 1; i <= 400; i++) {
                log.line("line " + i);
            }
            now.addAndGet(TimeUnit.SECONDS.toNanos(61));
            for (int i = 401; i <= 710; i++) {
                log.line("line " + i);
            }
            log.end();
            text = logged.text();
        }
        assertTrue(text.contains("line 300\n") || text.contains("line 300\r"), text);
        assertEquals(-1, text.indexOf("line 301"), "past the limit of the first minute");
        assertTrue(text.contains("MCP server 'chatty' wrote 100 more lines on stderr that were not logged: at most 300"
                + " a minute are (its last lines are in its health when it ends)"), text);
        assertTrue(text.contains("line 401") && text.contains("line 700"), "a new minute logs again");
        assertEquals(-1, text.indexOf("line 701"));
        assertTrue(text.contains("wrote 10 more lines on stderr"), "counted at the end: " + text);
        assertTrue(text.indexOf("wrote 100 more") < text.indexOf("line 401"), "the count comes as the minute ends");
    }

    @Test
    void aServerWithinTheLimitGetsEveryLineAndNoCount() throws Exception {
        String text;
        try (CapturedLog logged = CapturedLog.start()) {
            for (int i = 1; i <= 300; i++) {
                log.line("line " + i);
            }
            log.end();
            text = logged.text();
        }
        assertTrue(text.contains("line 300"), text);
        assertEquals(-1, text.indexOf("more lines on stderr"), text);
    }
}
