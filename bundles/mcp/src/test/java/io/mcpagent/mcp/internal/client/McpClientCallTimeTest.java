package io.mcpagent.mcp.internal.client;

import static io.mcpagent.mcp.internal.client.ScriptedTransport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.mcp.McpException;

/**
 * A call's time is shared by all it takes: the rounds of an input_required call, and the new handshake of an expired
 * session with the call sent again after it. Each of those got a fresh timeout before.
 */
@Timeout(30)
class McpClientCallTimeTest {
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(5);

    private final ObjectMapper mapper = new ObjectMapper();
    private McpClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /**
     * A 2026-07-28 server answers every round of a call with input_required again, each after 150 ms: the call ends at
     * its cap of 500 ms in all, instead of getting 500 ms per round until the rounds run out.
     */
    @Test
    void theRoundsOfAnInputRequiredCallShareItsCap() {
        SlowServer server = new SlowServer(request -> switch (request.path("method").asText()) {
            case "server/discover" -> new SlowServer.Reply(0, result(request, "{'supportedVersions':['2026-07-28'],"
                    + "'capabilities':{'tools':{}},'serverInfo':{'name':'asking','version':'1'}}"));
            default -> new SlowServer.Reply(150, result(request, "{'resultType':'input_required','inputRequests':{'name':"
                    + "{'method':'elicitation/create','params':{'message':'Name?','requestedSchema':{'type':'object',"
                    + "'properties':{}}}}}}"));
        });
        client = client("modern", server);
        client.connect();

        McpException failure = assertThrows(McpException.class, () -> client.callTool("ask", mapper.createObjectNode(),
                Duration.ofMillis(400), Duration.ofMillis(500)));

        assertEquals("MCP server 'slow': tools/call timed out after 500 ms in all", failure.getMessage());
    }

    /**
     * The session expires as the call is sent; the new handshake and the call sent again are each answered after 300
     * ms: together they take more than the call's 500 ms, and the call times out instead of getting 500 ms anew.
     */
    @Test
    void theCallSentAgainAfterItsSessionExpiredGetsWhatIsLeftOfItsTime() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger initializes = new AtomicInteger();
        SlowServer server = new SlowServer(request -> switch (request.path("method").asText()) {
            case "initialize" -> new SlowServer.Reply(initializes.incrementAndGet() == 1 ? 0 : 300, initialized(request));
            default -> {
                if (calls.incrementAndGet() == 1) {
                    throw new SessionExpiredException("session s1 no longer known to the server (HTTP 404)");
                }
                yield new SlowServer.Reply(300, result(request, "{'content':[]}"));
            }
        });
        client = client("legacy", server);
        client.connect();

        McpException failure = assertThrows(McpException.class, () -> client.callTool("work", mapper.createObjectNode(),
                Duration.ofMillis(500), Duration.ofMillis(500)));

        assertTrue(failure.getMessage().startsWith("MCP server 'slow': tools/call timed out after 500 ms"),
                failure.getMessage());
        assertEquals(2, initializes.get());
    }

    /**
     * The new handshake of a session that expired under a call is never answered: the call fails within its own 300
     * ms, saying why, not after initTimeout (5 s).
     */
    @Test
    void theNewHandshakeOfAnExpiredSessionIsBoundedByWhatIsLeftOfTheCallsTime() {
        AtomicInteger initializes = new AtomicInteger();
        SlowServer server = new SlowServer(request -> switch (request.path("method").asText()) {
            case "initialize" -> initializes.incrementAndGet() == 1 ? new SlowServer.Reply(0, initialized(request)) : null;
            default -> throw new SessionExpiredException("session s1 no longer known to the server (HTTP 404)");
        });
        client = client("legacy", server);
        client.connect();

        McpException failure = assertThrows(McpException.class, () -> client.callTool("work", mapper.createObjectNode(),
                Duration.ofMillis(300), Duration.ofMillis(300)));

        assertTrue(failure.getMessage().startsWith("MCP server 'slow': tools/call: its session expired, and a new one"
                + " could not be initialized: initialize timed out after "), failure.getMessage());
    }

    /**
     * The new handshake of a session that expired under a call is refused: the client, left without a session, is no
     * longer connected and reports the connection lost, saying why, so that its owner connects anew. Before, it stayed
     * connected and sent the next call without a session.
     */
    @Test
    void aSessionThatCannotBeRenewedLeavesTheClientDisconnectedSayingWhy() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger initializes = new AtomicInteger();
        SlowServer server = new SlowServer(request -> switch (request.path("method").asText()) {
            case "initialize" -> new SlowServer.Reply(0, initializes.incrementAndGet() == 1 ? initialized(request)
                    : json("{'jsonrpc':'2.0','id':" + request.get("id") + ",'error':{'code':-32603,'message':"
                            + "'no more sessions'}}"));
            default -> {
                calls.incrementAndGet();
                throw new SessionExpiredException("session s1 no longer known to the server (HTTP 404)");
            }
        });
        BlockingQueue<Exception> disconnects = new LinkedBlockingQueue<>();
        client = client("legacy", server, disconnects::add);
        client.connect();

        McpException failure = assertThrows(McpException.class, () -> client.callTool("work", mapper.createObjectNode(),
                Duration.ofSeconds(5), Duration.ofSeconds(5)));

        assertTrue(failure.getMessage().startsWith("MCP server 'slow': tools/call: its session expired, and a new one"
                + " could not be initialized: initialize"), failure.getMessage());
        assertFalse(client.isConnected());
        assertEquals(List.of(failure.getMessage()), disconnects.stream().map(Exception::getMessage).toList());
        assertThrows(McpException.class, () -> client.callTool("work", mapper.createObjectNode(),
                Duration.ofSeconds(5), Duration.ofSeconds(5)));
        assertEquals(1, calls.get(), "no call goes out without a session");
    }

    private McpClient client(String era, Transport transport) {
        return client(era, transport, cause -> { });
    }

    private McpClient client(String era, Transport transport, Consumer<Exception> disconnected) {
        return new McpClient("slow", new ClientOptions("test", "1", era, INIT_TIMEOUT, INIT_TIMEOUT, INIT_TIMEOUT,
                null, false, true, 1 << 20), () -> transport, new McpClient.Callbacks() {
                    @Override
                    public JsonNode elicit(JsonNode params) {
                        return json("{'action':'decline'}");
                    }

                    @Override
                    public void onDisconnected(Exception cause) {
                        disconnected.accept(cause);
                    }
                }, mapper);
    }

    private static JsonNode result(ObjectNode request, String result) {
        return json("{'jsonrpc':'2.0','id':" + request.get("id") + ",'result':" + result + "}");
    }

    private static JsonNode initialized(ObjectNode request) {
        return result(request, "{'protocolVersion':'2025-06-18','capabilities':{'tools':{}},'serverInfo':{'name':"
                + "'slow','version':'1'}}");
    }

    /**
     * A server answering each request with what its script gives (null: never), after the reply's delay, on a thread
     * of its own; the script may find the session expired.
     */
    private static final class SlowServer implements Transport {
        interface Script {
            Reply answer(ObjectNode request) throws SessionExpiredException;
        }

        record Reply(long delayMillis, JsonNode message) {
        }

        private final Script script;
        private volatile Inbound inbound;

        SlowServer(Script script) {
            this.script = script;
        }

        @Override
        public void start(Inbound value) {
            inbound = value;
        }

        @Override
        public Exchange send(ObjectNode message, Outgoing outgoing) throws SessionExpiredException {
            if (!message.has("id") || !message.has("method")) {
                return Exchange.DONE; // notifications and our answers to the server's requests
            }
            Reply reply = script.answer(message);
            if (reply != null) {
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(reply.delayMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    inbound.onMessage(reply.message());
                });
            }
            return Exchange.DONE;
        }

        @Override
        public String kind() {
            return "slow";
        }

        @Override
        public void close() {
        }
    }
}
