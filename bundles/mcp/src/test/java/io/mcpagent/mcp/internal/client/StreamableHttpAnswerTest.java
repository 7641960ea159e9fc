package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.mcp.McpException;

/**
 * A Streamable HTTP server answering a request with a JSON body that does not hold its response fails the call at
 * once, saying what it answered, instead of leaving it to time out.
 */
@Timeout(30)
class StreamableHttpAnswerTest {
    private final ObjectMapper mapper = new ObjectMapper();

    /** A client whose server answers initialize properly and tools/call with {@code body}. */
    private McpClient connected(String body) {
        CannedHttpClient http = new CannedHttpClient(request -> {
            if (!request.method().equals("POST")) {
                return new CannedHttpClient.Canned(405, "text/plain", ""); // no GET stream; DELETE of the session
            }
            String sent = body(request);
            if (sent.contains("\"initialize\"")) {
                return new CannedHttpClient.Canned(200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
            }
            return sent.contains("\"tools/call\"") ? new CannedHttpClient.Canned(200, "application/json", body)
                    : new CannedHttpClient.Canned(202, "application/json", "");
        });
        McpClient client = new McpClient("answers", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(20), null, false, false, 1 << 20),
                () -> new StreamableHttpTransport("answers", URI.create("http://mcp.invalid/mcp"), Map.of(), http, mapper,
                        1 << 20, Duration.ofSeconds(20)), new McpClient.Callbacks() { }, mapper);
        client.connect();
        return client;
    }

    private static String body(HttpRequest request) {
        StringBuilder text = new StringBuilder();
        request.bodyPublisher().orElseThrow().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.nio.ByteBuffer item) {
                text.append(java.nio.charset.StandardCharsets.UTF_8.decode(item));
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        return text.toString();
    }

    private String failure(String body) {
        McpClient client = connected(body);
        try {
            return assertThrows(McpException.class, () -> client.callTool("echo", mapper.createObjectNode(),
                    Duration.ofSeconds(20), Duration.ofSeconds(20))).getMessage();
        } finally {
            client.close();
        }
    }

    @Test
    void jsonThatIsNoJsonRpcMessageFailsTheCallAtOnce() {
        assertEquals("MCP server 'answers': tools/call: the server answered HTTP 200 with '{\"foo\":1}', not the JSON-RPC"
                + " response to request 2", failure("{\"foo\":1}"));
    }

    @Test
    void theResponseToAnotherRequestFailsTheCallAtOnce() {
        assertEquals("MCP server 'answers': tools/call: the server answered HTTP 200 with"
                + " '{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}', not the JSON-RPC response to request 2",
                failure("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}"));
    }

    @Test
    void aBodyThatIsNotJsonIsNamedAsSuchNotAsASendFailure() {
        assertEquals("MCP server 'answers': tools/call: the server answered HTTP 200 with 'this is not json', not JSON",
                failure("this is not json"));
    }

    @Test
    void anEmptyBodyFailsTheCallAtOnce() {
        assertEquals("MCP server 'answers': tools/call: the server answered HTTP 200 with an empty body, not JSON",
                failure(""));
    }

    @Test
    void theResponseInABatchIsTaken() throws IOException {
        McpClient client = connected("[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]}}]");
        JsonNode result = client.callTool("echo", mapper.createObjectNode(), Duration.ofSeconds(20), Duration.ofSeconds(20));
        assertEquals("{\"content\":[]}", result.toString());
        client.close();
    }
}
