package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.CapturedLog;

/** What a stdio server prints reaches the log masked: a server may print the token its environment gave it. */
@Timeout(60)
class StdioTransportLogTest {
    /** Lower-case words: no pattern takes it for a token, only the held value masks it. */
    private static final String TOKEN = "correct-horse-battery-staple";

    @Test
    void aNonJsonStdoutLineAndAStderrLineNamingTheTokenAreLoggedMasked() throws Exception {
        StdioTransport transport = new StdioTransport("chatty", new StdioTransport.Command(List.of("/bin/sh", "-c",
                "echo \"starting with $TOKEN\"; echo \"stderr says $TOKEN\" >&2; exit 3"), Map.of("TOKEN", TOKEN), null,
                Duration.ofSeconds(1), 1 << 20), new ObjectMapper());
        Run run = run(transport);
        // the end quotes the stderr line kept after it was logged: the log below is complete
        assertTrue(run.end().getMessage().endsWith("its last lines on stderr: stderr says [redacted]"),
                run.end().getMessage());
        assertTrue(run.log().contains("not JSON on stdout (ignored): starting with [redacted]"), run.log());
        assertTrue(run.log().contains("stderr says [redacted]"), run.log());
        assertFalse(run.log().contains("battery"), run.log());
    }

    @Test
    void aHarmlessInheritedValueSuchAsHomeStaysReadableWhileTheTokenIsMasked() throws Exception {
        String home = "/home/some-runtime-user";
        StdioTransport transport = new StdioTransport("paths", new StdioTransport.Command(List.of("/bin/sh", "-c",
                "echo \"cannot open $HOME/data with $TOKEN\" >&2; exit 3"), Map.of("TOKEN", TOKEN, "HOME", home), null,
                Duration.ofSeconds(1), 1 << 20, Set.of("HOME", "PATH")), new ObjectMapper());
        Run run = run(transport);
        assertTrue(run.end().getMessage().endsWith("cannot open /home/some-runtime-user/data with [redacted]"),
                run.end().getMessage());
        assertTrue(run.log().contains("cannot open /home/some-runtime-user/data with [redacted]"), run.log());
    }

    @Test
    void jsonLinesThatAreNoMessagesAreLoggedOnlyTheFirstFewTimes() throws Exception {
        StdioTransport transport = new StdioTransport("numbers", new StdioTransport.Command(List.of("/bin/sh", "-c",
                "for i in $(seq 1 20); do echo 42; done; exit 3"), Map.of(), null, Duration.ofSeconds(1), 1 << 20),
                new ObjectMapper());
        String log = run(transport).log();
        assertEquals(5, log.split("MCP server 'numbers' wrote", -1).length - 1, log);
        assertTrue(log.contains("MCP server 'numbers' wrote a line that is JSON but no message on stdout (ignored; further"
                + " ones are counted once a minute): 42"), log);
    }

    /** Only an array of messages is a batch: {@code [1,2,3]} was taken for three messages, and not logged. */
    @Test
    void arraysOfAnythingButMessagesAreLoggedAsNoMessages() throws Exception {
        StdioTransport transport = new StdioTransport("arrays", new StdioTransport.Command(List.of("/bin/sh", "-c",
                "echo '[1,2,3]'; echo '[]'; echo '[{\"jsonrpc\":\"2.0\",\"method\":\"x\"},4]'; exit 3"), Map.of(),
                null, Duration.ofSeconds(1), 1 << 20), new ObjectMapper());
        String log = run(transport).log();
        for (String array : List.of("[1,2,3]", "[]", "[{\"jsonrpc\":\"2.0\",\"method\":\"x\"},4]")) {
            assertTrue(log.contains("a line that is JSON but no message on stdout (ignored): " + array), log);
        }
    }

    @Test
    void aServerFloodingStderrHasItsLinesPastTheLimitCounted() throws Exception {
        StdioTransport transport = new StdioTransport("flood", new StdioTransport.Command(List.of("/bin/sh", "-c",
                "i=0; while [ $i -lt 400 ]; do i=$((i+1)); echo \"err $i\" >&2; done; exit 3"), Map.of(), null,
                Duration.ofSeconds(1), 1 << 20), new ObjectMapper());
        String counted = "MCP server 'flood' wrote 100 more lines on stderr that were not logged";
        String log;
        try (CapturedLog logged = CapturedLog.start()) {
            transport.start(new ClosingInbound());
            // the count comes as stderr ends, which the end of the process does not wait for on a busy machine
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!logged.text().contains(counted) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            log = logged.text();
        } finally {
            transport.close();
        }
        assertTrue(log.contains(counted), log);
        assertTrue(log.contains("err 300"), log);
        assertFalse(log.contains("err 301"), log);
    }

    private record Run(Exception end, String log) {
    }

    private static Run run(StdioTransport transport) throws Exception {
        Exception end;
        CapturedLog logged = CapturedLog.start();
        try (logged) {
            ClosingInbound inbound = new ClosingInbound();
            transport.start(inbound);
            end = inbound.closed.get(30, TimeUnit.SECONDS);
        } finally {
            transport.close();
        }
        return new Run(end, logged.text());
    }
}
