package io.mcpagent.mcp.internal.client;

import static io.mcpagent.mcp.internal.client.ScriptedTransport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.mcp.internal.CapturedLog;

/** Requests a server sends us are answered on threads of their own, but only so many at once. */
@Timeout(30)
class McpClientServerRequestTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aFloodOfSamplingRequestsStartsAtMostTheLimitAndRefusesTheRestAtOnce() throws Exception {
        int flood = 50;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger sampling = new AtomicInteger();
        ScriptedTransport transport = new ScriptedTransport(request -> {
            List<JsonNode> messages = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                messages.add(json("{'jsonrpc':'2.0','id':'s" + i + "','method':'sampling/createMessage','params':"
                        + "{'messages':[],'maxTokens':10}}"));
            }
            messages.add(json("{'jsonrpc':'2.0','id':" + request.get("id") + ",'result':{'content':[]}}"));
            return messages;
        });
        McpClient client = new McpClient("flooding", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, true, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() {
                    @Override
                    public JsonNode createMessage(JsonNode params) {
                        sampling.incrementAndGet();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return mapper.createObjectNode().put("role", "assistant");
                    }
                }, mapper);
        try {
            client.connect();
            client.callTool("flood", mapper.createObjectNode(), Duration.ofSeconds(5), Duration.ofSeconds(5));
            List<String> refused = transport.sent.stream().filter(sent -> sent.has("error"))
                    .map(sent -> sent.get("id").asText() + ": " + sent.path("error").path("message").asText()).toList();
            assertEquals(flood - McpClient.MAX_SERVER_REQUESTS, refused.size(), refused.toString());
            assertEquals("s49: too many requests: this client answers at most 16 requests of the server at once",
                    refused.get(refused.size() - 1));
        } finally {
            release.countDown();
        }
        while (transport.sent.stream().filter(sent -> sent.has("result")).count() < McpClient.MAX_SERVER_REQUESTS) {
            Thread.sleep(10); // the requests let through are answered once their model call returns
        }
        assertEquals(McpClient.MAX_SERVER_REQUESTS, sampling.get());
        client.close();
    }

    /**
     * An input the client refuses (its owner finds the elicitation malformed, -32602) is declined, a valid answer; the
     * round's other inputs are answered and the call retried, as a legacy server gets an error for that request only.
     */
    @Test
    void aRefusedElicitationInAnInputRequiredRoundIsDeclinedAndTheCallGoesOn() {
        ScriptedTransport transport = new ScriptedTransport(request -> {
            String id = request.get("id").toString();
            JsonNode params = request.path("params");
            if (request.path("method").asText().equals("server/discover")) {
                return List.of(json("{'jsonrpc':'2.0','id':" + id + ",'result':{'supportedVersions':['2026-07-28'],"
                        + "'capabilities':{'tools':{}},'serverInfo':{'name':'asking','version':'1'}}}"));
            }
            if (params.has("inputResponses")) {
                return List.of(json("{'jsonrpc':'2.0','id':" + id + ",'result':{'content':[{'type':'text','text':"
                        + "'answered'}]}}"));
            }
            return List.of(json("{'jsonrpc':'2.0','id':" + id + ",'result':{'resultType':'input_required',"
                    + "'inputRequests':{'bad':{'method':'elicitation/create','params':{'message':42}},"
                    + "'good':{'method':'elicitation/create','params':{'message':'Name?','requestedSchema':"
                    + "{'type':'object','properties':{}}}}}}}"));
        });
        McpClient client = new McpClient("asking", new ClientOptions("test", "1", "modern", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, true, 1 << 20), () -> transport,
                new McpClient.Callbacks() {
                    @Override
                    public JsonNode elicit(JsonNode params) {
                        if (!params.path("message").isTextual()) {
                            throw new McpRpcException("asking", "elicitation/create", -32602,
                                    "message must be a string, not number 42", null);
                        }
                        return json("{'action':'accept','content':{'name':'Ada'}}");
                    }
                }, mapper);
        client.connect();

        JsonNode result = client.callTool("ask", mapper.createObjectNode(), Duration.ofSeconds(5), Duration.ofSeconds(5));

        assertEquals("answered", result.path("content").path(0).path("text").asText());
        JsonNode retry = transport.sent.stream().filter(sent -> sent.path("params").has("inputResponses"))
                .findFirst().orElseThrow();
        assertEquals(json("{'bad':{'action':'decline'},'good':{'action':'accept','content':{'name':'Ada'}}}"),
                retry.path("params").path("inputResponses"));
        client.close();
    }

    /**
     * A call whose first round the server answered with input_required, closed before its next round goes out, is no
     * unsent call: the server may have begun its work, so it must not be sent to another server (a restarted one).
     */
    @Test
    void aCallClosedBetweenItsInputRequiredRoundsIsNotTakenForOneNeverSent() {
        AtomicInteger rounds = new AtomicInteger();
        ScriptedTransport transport = new ScriptedTransport(request -> {
            String id = request.get("id").toString();
            if (request.path("method").asText().equals("server/discover")) {
                return List.of(json("{'jsonrpc':'2.0','id':" + id + ",'result':{'supportedVersions':['2026-07-28'],"
                        + "'capabilities':{'tools':{}},'serverInfo':{'name':'asking','version':'1'}}}"));
            }
            rounds.incrementAndGet();
            return List.of(json("{'jsonrpc':'2.0','id':" + id + ",'result':{'resultType':'input_required',"
                    + "'inputRequests':{'name':{'method':'elicitation/create','params':{'message':'Name?',"
                    + "'requestedSchema':{'type':'object','properties':{}}}}}}}"));
        });
        McpClient[] client = new McpClient[1];
        client[0] = new McpClient("asking", new ClientOptions("test", "1", "modern", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, true, 1 << 20), () -> transport,
                new McpClient.Callbacks() {
                    @Override
                    public JsonNode elicit(JsonNode params) {
                        client[0].close("the server's configuration changed"); // as its owner stops meanwhile
                        return json("{'action':'accept','content':{}}");
                    }
                }, mapper);
        client[0].connect();

        McpException failure = assertThrows(McpException.class, () -> client[0].callTool("ask",
                mapper.createObjectNode(), Duration.ofSeconds(5), Duration.ofSeconds(5)));

        assertFalse(failure instanceof NotSentException, failure.toString());
        assertEquals("MCP server 'asking': tools/call not sent: the server's configuration changed (round 2 of the"
                + " call, whose earlier rounds the server answered)", failure.getMessage());
        assertEquals(1, rounds.get());
    }

    @Test
    void anInputRequiredRoundAskingMoreThanTheLimitIsRefusedBeforeAnyModelCall() {
        AtomicInteger sampling = new AtomicInteger();
        ScriptedTransport transport = new ScriptedTransport(request -> {
            String id = request.get("id").toString();
            if (request.path("method").asText().equals("server/discover")) {
                return List.of(json("{'jsonrpc':'2.0','id':" + id + ",'result':{'supportedVersions':['2026-07-28'],"
                        + "'capabilities':{'tools':{}},'serverInfo':{'name':'asking','version':'1'}}}"));
            }
            StringBuilder inputs = new StringBuilder();
            for (int i = 0; i <= McpClient.MAX_SERVER_REQUESTS; i++) {
                inputs.append(i == 0 ? "" : ",").append("'ask").append(i).append("':{'method':'sampling/createMessage',"
                        + "'params':{'messages':[],'maxTokens':10}}");
            }
            return List.of(json("{'jsonrpc':'2.0','id':" + id + ",'result':{'resultType':'input_required',"
                    + "'inputRequests':{" + inputs + "}}}"));
        });
        McpClient client = new McpClient("asking", new ClientOptions("test", "1", "modern", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, true, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() {
                    @Override
                    public JsonNode createMessage(JsonNode params) {
                        sampling.incrementAndGet();
                        return mapper.createObjectNode().put("role", "assistant");
                    }
                }, mapper);
        client.connect();
        McpException failure = assertThrows(McpException.class, () -> client.callTool("ask", mapper.createObjectNode(),
                Duration.ofSeconds(5), Duration.ofSeconds(5)));
        assertEquals("MCP server 'asking': tools/call returned input_required asking 17 inputs at once; this client"
                + " answers at most 16 per round", failure.getMessage());
        assertEquals(0, sampling.get());
        client.close();
    }

    @Test
    void aFailedAnswerIsLoggedWithItsCausesAndStackMasked() throws Exception {
        String token = "correct-horse-battery-staple";
        ScriptedTransport transport = new ScriptedTransport(request -> List.of(
                json("{'jsonrpc':'2.0','id':'s1','method':'sampling/createMessage','params':{'messages':[],"
                        + "'maxTokens':10}}"),
                json("{'jsonrpc':'2.0','id':" + request.get("id") + ",'result':{'content':[]}}")));
        McpClient client = new McpClient("sampling", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, true, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() {
                    @Override
                    public JsonNode createMessage(JsonNode params) {
                        throw new IllegalStateException("the provider failed",
                                new UncheckedIOException(new IOException("upstream answered 401 for " + token)));
                    }
                }, mapper).heldSecrets(List.of(token));
        CapturedLog logged = CapturedLog.start();
        try (logged) {
            client.connect();
            client.callTool("sample", mapper.createObjectNode(), Duration.ofSeconds(5), Duration.ofSeconds(5));
            while (transport.sent.stream().noneMatch(sent -> sent.has("error"))) {
                Thread.sleep(10); // answered, with an error, after the failure is logged
            }
        } finally {
            client.close();
        }
        String log = logged.text();
        assertTrue(log.contains("answering sampling/createMessage from MCP server 'sampling' failed:"
                + " java.lang.IllegalStateException: the provider failed"), log);
        assertTrue(log.contains("Caused by: java.io.UncheckedIOException: java.io.IOException: upstream answered 401 for"
                + " [redacted]"), "the causes: " + log);
        assertTrue(log.contains("at " + getClass().getName()), "where it failed: " + log);
        assertFalse(log.contains("battery"), log);
    }
}
