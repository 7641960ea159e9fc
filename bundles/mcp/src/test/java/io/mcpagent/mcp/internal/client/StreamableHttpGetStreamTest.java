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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A call that may make the server ask something goes out only once the server has answered the standalone GET stream.
 * A server may send a request it makes during a call (the conformance suite's elicitation does) on that stream, and
 * drops it while no GET stream is open, as the TypeScript SDK does: a call sent before the GET was answered waited for
 * its timeout. The handshake does not wait for the GET: a server slow to answer it would slow every handshake. Nor
 * does a call of a client that declared nothing the server could ask: it waited up to 2 s for nothing.
 */
@Timeout(30)
class StreamableHttpGetStreamTest {
    private static final Set<Thread.State> WAITING_OR_DONE =
            EnumSet.of(Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.TERMINATED);

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aToolCallRightAfterTheHandshakeGoesOutOnlyOnceTheGetStreamIsAnswered() throws Exception {
        assertEquals(List.of("GET answered", "call sent"), toolCallRightAfterTheHandshake(true));
    }

    /** A client that declared nothing the server could ask (no sampling, elicitation or roots) does not wait. */
    @Test
    void aToolCallOfAClientTheServerCannotAskAnythingDoesNotWaitForTheGetStream() throws Exception {
        assertEquals(List.of("call sent", "GET answered"), toolCallRightAfterTheHandshake(false));
    }

    /**
     * What happened, in order, when a tools/call was sent right after a handshake whose client declared a capability
     * the server could ask about ({@code serverMayAsk}) or none: the first GET is answered only once that call waits
     * for it or went out.
     */
    private List<String> toolCallRightAfterTheHandshake(boolean serverMayAsk) throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Thread> calling = new ArrayList<>(1);
        AtomicBoolean getAnswered = new AtomicBoolean();
        CountDownLatch getCame = new CountDownLatch(1);
        CannedHttpClient http = new CannedHttpClient(request -> {
            if (request.method().equals("GET") && getAnswered.compareAndSet(false, true)) {
                awaitWaitingOrDone(calling.getFirst());
                events.add("GET answered");
                getCame.countDown();
            } else if (request.method().equals("POST")) {
                events.add("call sent");
            }
            return new CannedHttpClient.Canned(200, "text/event-stream", "");
        });
        StreamableHttpTransport transport = transport(http);
        calling.add(Thread.ofPlatform().unstarted(() -> {
            try {
                transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call"),
                        Transport.Outgoing.NONE);
            } catch (java.io.IOException e) {
                events.add("call failed: " + e.getMessage());
            }
        }));

        try {
            transport.sessionEstablished(serverMayAsk);
            calling.getFirst().start();
            calling.getFirst().join();
            getCame.await(); // without waiting for it, the call went out first
        } finally {
            transport.close();
        }
        return events;
    }

    @Test
    void theHandshakeDoesNotWaitForTheGetStream() throws Exception {
        List<Thread.State> handshakeWhenTheGetCame = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch getCame = new CountDownLatch(1);
        List<Thread> handshake = new ArrayList<>(1);
        CannedHttpClient http = new CannedHttpClient(request -> {
            if (request.method().equals("GET") && handshakeWhenTheGetCame.isEmpty()) {
                // answered once the handshake waits for it or went on: a handshake waiting for it is seen waiting
                awaitWaitingOrDone(handshake.getFirst());
                handshakeWhenTheGetCame.add(handshake.getFirst().getState());
                getCame.countDown();
            }
            return new CannedHttpClient.Canned(200, "text/event-stream", "");
        });
        StreamableHttpTransport transport = transport(http);
        handshake.add(Thread.ofPlatform().unstarted(() -> transport.sessionEstablished(true)));

        try {
            handshake.getFirst().start();
            handshake.getFirst().join();
            getCame.await();
        } finally {
            transport.close();
        }

        assertEquals(List.of(Thread.State.TERMINATED), handshakeWhenTheGetCame);
    }

    private StreamableHttpTransport transport(CannedHttpClient http) {
        StreamableHttpTransport transport = new StreamableHttpTransport("elicits", URI.create("http://mcp.invalid/mcp"),
                Map.of(), http, mapper, 1 << 20, Duration.ofSeconds(5));
        transport.start(new ClosingInbound());
        return transport;
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
