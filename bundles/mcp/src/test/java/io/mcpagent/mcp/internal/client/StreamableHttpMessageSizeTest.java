package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.mcp.McpException;

/**
 * An answer over {@code maxMessageBytes} fails the call with the same words whether the Streamable HTTP server sends
 * it as a JSON body or as an event of an SSE stream, and the words are those of the stdio transport.
 */
@Timeout(30)
class StreamableHttpMessageSizeTest {
    private static final int MAX_MESSAGE_BYTES = 1024;
    private static final String TOO_LARGE = "MCP server 'big': tools/call: the server sent a message larger than"
            + " maxMessageBytes (1024 bytes); raise it in etc/io.mcpagent.mcp.server~big.cfg.json";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;
    private McpClient client;

    @BeforeEach
    void connect() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::handle);
        server.start();
        client = client(null);
        client.connect();
    }

    /** A client of the server whose configuration is changed {@code configuredIn}; its file when null. */
    private McpClient client(String configuredIn) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
        return new McpClient("big", new ClientOptions("test", "1", "modern", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, MAX_MESSAGE_BYTES),
                () -> {
                    StreamableHttpTransport transport = new StreamableHttpTransport("big", url, Map.of(), http, mapper,
                            MAX_MESSAGE_BYTES, Duration.ofSeconds(5));
                    return configuredIn == null ? transport : transport.configuredIn(configuredIn);
                },
                new McpClient.Callbacks() { }, mapper);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
        http.shutdownNow();
    }

    @Test
    void anOversizedJsonBodyNamesTheSettingToRaise() {
        McpException failure = assertThrows(McpException.class, () -> callTool("json"));
        assertEquals(TOO_LARGE, failure.getMessage());
    }

    @Test
    void anOversizedEventOfAnSseAnswerNamesTheSettingToRaiseInTheSameWords() {
        McpException failure = assertThrows(McpException.class, () -> callTool("sse"));
        assertEquals(TOO_LARGE, failure.getMessage());
    }

    @Test
    void anSseEventOfManyShortDataLinesOverTheLimitFailsInTheSameWords() {
        McpException failure = assertThrows(McpException.class, () -> callTool("sse-lines"));
        assertEquals(TOO_LARGE, failure.getMessage());
    }

    /** A server made in the Web Console has no file: the place its transport is given is named, body or event. */
    @Test
    void theConfigurationTheTransportIsGivenIsNamedInstead() {
        String place = "configuration io.mcpagent.mcp.server.1c2d (set through Configuration Admin, such as in the Web"
                + " Console, not by a file in etc/)";
        client.close();
        client = client(place);
        client.connect();
        for (String answeredAs : List.of("json", "sse")) {
            McpException failure = assertThrows(McpException.class, () -> callTool(answeredAs));
            assertEquals(TOO_LARGE.replace("etc/io.mcpagent.mcp.server~big.cfg.json", place), failure.getMessage());
        }
    }

    private JsonNode callTool(String answeredAs) {
        return client.callTool(answeredAs, mapper.createObjectNode(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** A tool result's content of over twice {@code maxMessageBytes}, in many small parts. */
    static ArrayNode oversizedContent(ObjectMapper mapper, int maxMessageBytes) {
        ArrayNode content = mapper.createArrayNode();
        for (int i = 0; i < 2 * maxMessageBytes / 16; i++) {
            content.addObject().put("type", "text").put("text", "x".repeat(16));
        }
        return content;
    }

    /**
     * The message as the data of one event, pretty-printed one short line per data line: valid JSON once the lines
     * are joined, and no line anywhere near the limit.
     */
    static String inShortDataLines(ObjectMapper mapper, JsonNode message) throws IOException {
        String[] lines = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(message).split("\n");
        for (String line : lines) {
            if (line.length() > 64) {
                throw new AssertionError("a data line of " + line.length() + " bytes: " + line);
            }
        }
        return String.join("\ndata: ", lines);
    }

    /** A 2026-07-28 server: discover is answered small; a tool call with a result over twice maxMessageBytes. */
    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        ObjectNode result = mapper.createObjectNode().put("resultType", "complete");
        String method = request.path("method").asText();
        if (method.equals("server/discover")) {
            result.putArray("supportedVersions").add(McpClient.MODERN_VERSION);
            result.putObject("capabilities");
            result.putObject("serverInfo").put("name", "big").put("version", "1");
        } else {
            result.set("content", oversizedContent(mapper, MAX_MESSAGE_BYTES));
        }
        String tool = request.path("params").path("name").asText();
        ObjectNode response = mapper.createObjectNode().put("jsonrpc", "2.0")
                .<ObjectNode>set("id", request.get("id")).set("result", result);
        byte[] answer = mapper.writeValueAsBytes(response);
        boolean asEvent = tool.startsWith("sse");
        if (asEvent) {
            String data = tool.equals("sse-lines") ? inShortDataLines(mapper, response)
                    : new String(answer, StandardCharsets.UTF_8);
            answer = ("event: message\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", asEvent ? "text/event-stream" : "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }
}
