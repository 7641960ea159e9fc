package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.CapturedLog;
import io.mcpagent.mcp.internal.TestPeers;

/** The shutdown ladder says what it waits for and for how long, so that a slow stop of the runtime explains itself. */
class StdioTransportCloseTest {
    private static final String LOGGER = "io.mcpagent.mcp.internal.client.StdioTransport - ";
    /** Tells the test it is ready (its handlers are installed) with one JSON line. */
    private static final String READY = "process.stdout.write(JSON.stringify({jsonrpc: '2.0', method: 'ready'}) + '\\n');";

    private StdioTransport transport;

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    /** Starts the script as a server and waits until it said it is ready. */
    private long start(String serverId, String script) throws Exception {
        transport = new StdioTransport(serverId, new StdioTransport.Command(List.of(TestPeers.node(), "-e", script),
                Map.of(), null, Duration.ofSeconds(1), 1 << 20), new ObjectMapper());
        CountDownLatch ready = new CountDownLatch(1);
        transport.start(new Transport.Inbound() {
            @Override
            public void onMessage(JsonNode message) {
                ready.countDown();
            }

            @Override
            public void onSendFailed(JsonNode requestId, Exception failure) {
            }

            @Override
            public void onClosed(Exception cause) {
            }
        });
        assertTrue(ready.await(30, TimeUnit.SECONDS), "the script did not start");
        return transport.pid();
    }

    @Test
    void aServerThatIgnoresStdinEofAndSigtermIsWaitedForAsSaidThenKilled() throws Exception {
        long pid = start("stubborn", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); " + READY);

        String logged = loggedWhile(transport::close);
        transport = null;

        assertTrue(logged.contains("INFO " + LOGGER + "MCP server 'stubborn' has not exited 500 ms after its stdin"
                + " closed; waiting up to 500 ms more, then SIGTERM and up to 1000 ms, then SIGKILL (at most 2000 ms"
                + " in all)"), logged);
        assertTrue(logged.contains("INFO " + LOGGER + "MCP server 'stubborn' did not exit within 1000 ms of its stdin"
                + " closing; sending SIGTERM, waiting up to 1000 ms"), logged);
        assertTrue(logged.contains("WARN " + LOGGER + "MCP server 'stubborn' ignored SIGTERM for 1000 ms; killing it"),
                logged);
        // SIGKILL is not waited for by close; the process is gone once the kernel has reaped it
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive");
    }

    /**
     * The JVM exiting runs the transport's shutdown hook beside the framework's, whose stop closes the transport: the
     * hook leaves the process to that close, and kills it only when it is left behind. It killed it at once (exit
     * code 137, logged as a lost connection on every stop of the runtime).
     */
    @Test
    void theRuntimeExitingLeavesTheProcessToTheStopOfItsBundleAndKillsItOnlyWhenLeftBehind() throws Exception {
        long pid = start("graceful", "process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); "
                + READY);
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        Thread hook = Thread.ofPlatform().start(transport::runtimeExiting);
        assertThrows(TimeoutException.class, () -> server.onExit().get(500, TimeUnit.MILLISECONDS),
                "not killed at once");
        transport.close();
        transport = null;
        hook.join(10_000);
        assertFalse(hook.isAlive(), "the hook ends with the process");

        long leftBehind = start("left", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); " + READY);
        transport.runtimeExiting(); // its bundle never stops: killed once the ladder's time is over
        ProcessHandle.of(leftBehind).ifPresent(handle -> handle.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertFalse(ProcessHandle.of(leftBehind).map(ProcessHandle::isAlive).orElse(false), "left behind, killed");
    }

    @Test
    void aServerThatExitsOnStdinEofIsNotWaitedForAndNothingIsSaid() throws Exception {
        start("polite", "process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); " + READY);

        String logged = loggedWhile(transport::close);
        transport = null;

        assertEquals("", logged);
    }

    /** What the logger wrote while {@code action} ran. */
    private static String loggedWhile(Runnable action) {
        CapturedLog logged = CapturedLog.start();
        try (logged) {
            action.run();
        }
        return logged.text();
    }
}
