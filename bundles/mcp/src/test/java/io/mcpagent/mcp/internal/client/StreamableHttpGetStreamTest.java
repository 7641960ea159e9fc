package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The handshake goes on only once the server has answered the standalone GET stream. A server may send a request it
 * makes during a call (the conformance suite's elicitation does) on that stream, and drops it while no GET stream is
 * open, as the TypeScript SDK does: a call sent before the GET was answered waited for its timeout.
 */
@Timeout(30)
class StreamableHttpGetStreamTest {
    private static final Set<Thread.State> WAITING_OR_DONE =
            EnumSet.of(Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.TERMINATED);

    @Test
    void theHandshakeGoesOnOnlyOnceTheGetStreamIsAnswered() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Thread> handshake = new ArrayList<>(1);
        CannedHttpClient http = new CannedHttpClient(request -> {
            if (request.method().equals("GET") && events.isEmpty()) {
                // answered only once the handshake waits for it or went on: without the wait, it went on first
                awaitWaitingOrDone(handshake.getFirst());
                events.add("GET answered");
            }
            return new CannedHttpClient.Canned(200, "text/event-stream", "");
        });
        StreamableHttpTransport transport = new StreamableHttpTransport("elicits", URI.create("http://mcp.invalid/mcp"),
                Map.of(), http, new ObjectMapper(), 1 << 20, Duration.ofSeconds(5));
        transport.start(new ClosingInbound());
        handshake.add(Thread.ofPlatform().unstarted(() -> {
            transport.sessionEstablished();
            events.add("handshake went on");
        }));

        try {
            handshake.getFirst().start();
            handshake.getFirst().join();
        } finally {
            transport.close();
        }

        assertEquals(List.of("GET answered", "handshake went on"), events);
    }

    private static void awaitWaitingOrDone(Thread thread) {
        try {
            while (!WAITING_OR_DONE.contains(thread.getState())) {
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
