package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.mcp.internal.CapturedLog;

/**
 * A server that never reads its stdin ({@code sleep}): once the pipe to it is full, a write blocks, deaf to
 * interrupts. A write, or a wait behind one, that outlives its timeout must get the server killed, which lets every
 * sender go, and close must still stop the process. Without that, each test below is held in a write (or behind one)
 * until its {@code @Timeout} fails it, in a thread of its own.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StdioTransportStdinTest {
    private static final String TIMED_OUT = "the server did not read its stdin; its process was killed";
    private static final String KILLED = "server process killed: it did not read its stdin within a message's timeout";

    private final ObjectMapper mapper = new ObjectMapper();
    private final ClosingInbound inbound = new ClosingInbound();
    private StdioTransport transport;
    private long pid;

    /** Kills the server first: without the fix, a close waiting for a blocked write would hold the test run. */
    @AfterEach
    void close() {
        if (transport != null) {
            ProcessHandle.of(transport.pid()).ifPresent(ProcessHandle::destroyForcibly);
            transport.close();
        }
    }

    private void startDeafServer() throws Exception {
        transport = new StdioTransport("deaf", new StdioTransport.Command(List.of("sleep", "1000"), Map.of(), null,
                Duration.ofMillis(200), 1 << 20), mapper);
        transport.start(inbound);
        pid = transport.pid();
    }

    /** A tools/call whose arguments are larger than any pipe buffer (64 KiB on Linux, at most 1 MiB). */
    private ObjectNode largeCall() {
        ObjectNode call = mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call");
        call.putObject("params").put("name", "echo").putObject("arguments").put("message", "x".repeat(4 << 20));
        return call;
    }

    private ObjectNode ping(int id) {
        return mapper.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", "ping");
    }

    private static Transport.Outgoing within(Duration timeout) {
        return new Transport.Outgoing(Map.of(), timeout);
    }

    /** A large message sent without timeout on a thread of its own, once that thread is held in the full pipe. */
    private CompletableFuture<String> blockedWriteWithoutTimeout() throws InterruptedException {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        StdioTransport deaf = transport;
        ObjectNode large = largeCall();
        Thread writer = Thread.ofPlatform().name("blocked-writer").start(() -> {
            try {
                deaf.send(large, Transport.Outgoing.NONE);
                outcome.complete("written");
            } catch (IOException e) {
                outcome.complete(e.getMessage());
            }
        });
        while (!outcome.isDone() && !inPipeWrite(writer)) {
            Thread.sleep(10);
        }
        return outcome;
    }

    /** The thread writes to the pipe: with 4 MiB for a pipe of at most 1 MiB that nobody reads, it stays there. */
    private static boolean inPipeWrite(Thread thread) {
        return Arrays.stream(thread.getStackTrace()).anyMatch(frame
                -> frame.getClassName().equals("java.io.FileOutputStream") && frame.getMethodName().startsWith("write"));
    }

    private void assertKilled() {
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive");
    }

    @Test
    void aWriteThatOutlivesItsTimeoutGetsTheServerKilledWhichEndsTheConnectionAndFailsTheSendsAfterIt()
            throws Exception {
        startDeafServer();

        SendingTimedOutException large = assertThrows(SendingTimedOutException.class,
                () -> transport.send(largeCall(), within(Duration.ofMillis(300))));

        assertEquals(TIMED_OUT, large.getMessage());
        assertKilled();
        assertEquals(KILLED, inbound.closed.get(20, TimeUnit.SECONDS).getMessage());
        IOException next = assertThrows(IOException.class, () -> transport.send(ping(2), within(Duration.ofSeconds(10))));
        assertFalse(next instanceof SendingTimedOutException, "it did not wait: " + next);
        assertEquals(KILLED, next.getMessage());
    }

    @Test
    void aSendWaitingBehindABlockedWriteGetsTheServerKilledAtItsOwnTimeoutWhichReleasesThatWriteToo()
            throws Exception {
        startDeafServer();
        CompletableFuture<String> blocked = blockedWriteWithoutTimeout();

        SendingTimedOutException behind = assertThrows(SendingTimedOutException.class,
                () -> transport.send(ping(2), within(Duration.ofMillis(300))));

        assertEquals(TIMED_OUT, behind.getMessage());
        assertEquals(KILLED, blocked.get(20, TimeUnit.SECONDS));
        assertKilled();
    }

    @Test
    void closeStopsAServerThatDoesNotReadWhileAWriteWithoutTimeoutIsHeldAndReleasesThatWrite() throws Exception {
        startDeafServer();
        CompletableFuture<String> blocked = blockedWriteWithoutTimeout();

        CapturedLog log = CapturedLog.start();
        try (log) {
            transport.close();
        }
        transport = null;

        assertTrue(log.text().contains("MCP server 'deaf' has not read its stdin for 200 ms (a write to it is under"
                + " way); sending SIGTERM, waiting up to 200 ms"), log.text());
        assertNotEquals("written", blocked.get(20, TimeUnit.SECONDS));
        assertKilled();
    }
    /**
     * A server killed for not reading its stdin is no longer open at once, while its stdout reader has yet to report
     * the end: here that reader is held delivering the server's one message. A health check asks isOpen() to tell a
     * ping that met the end of the connection from a failed one; it said open until the reader reported.
     */
    @Test
    void aKilledServerIsNotOpenWhileItsReaderHasYetToReportTheEnd() throws Exception {
        CountDownLatch delivering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Exception> closed = new CompletableFuture<>();
        Transport.Inbound heldReader = new Transport.Inbound() {
            @Override
            public void onMessage(JsonNode message) {
                delivering.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onSendFailed(JsonNode requestId, Exception failure) {
            }

            @Override
            public void onClosed(Exception cause) {
                closed.complete(cause);
            }
        };
        transport = new StdioTransport("deaf", new StdioTransport.Command(List.of("sh", "-c",
                "echo '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}'; exec sleep 1000"), Map.of(),
                null, Duration.ofMillis(200), 1 << 20), mapper);
        transport.start(heldReader);
        pid = transport.pid();
        try {
            assertTrue(delivering.await(20, TimeUnit.SECONDS), "the message was not delivered");
            assertTrue(transport.isOpen());

            assertThrows(SendingTimedOutException.class,
                    () -> transport.send(largeCall(), within(Duration.ofMillis(300))));

            assertFalse(closed.isDone(), "the reader reported the end");
            assertFalse(transport.isOpen());
        } finally {
            release.countDown();
        }
        assertEquals(KILLED, closed.get(20, TimeUnit.SECONDS).getMessage());
        assertFalse(transport.isOpen());
    }
}
