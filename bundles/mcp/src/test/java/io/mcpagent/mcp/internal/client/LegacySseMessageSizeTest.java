package io.mcpagent.mcp.internal.client;

import static io.mcpagent.mcp.internal.client.StreamableHttpMessageSizeTest.inShortDataLines;
import static io.mcpagent.mcp.internal.client.StreamableHttpMessageSizeTest.oversizedContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.mcp.McpException;

/**
 * An event of the legacy HTTP+SSE stream over {@code maxMessageBytes}, whether one long data line or many short ones,
 * fails the call in flight in the words of the other transports, naming the setting to raise.
 */
@Timeout(30)
class LegacySseMessageSizeTest {
    private static final int MAX_MESSAGE_BYTES = 1024;
    private static final String TOO_LARGE = "MCP server 'big': connection lost: the server sent a message larger than"
            + " maxMessageBytes (1024 bytes); raise it in etc/io.mcpagent.mcp.server~big.cfg.json";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The events the server's stream sends next, each written whole. */
    private BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private HttpServer server;
    private McpClient client;

    @BeforeEach
    void connect() throws IOException {
        server = LegacySseServer.start(events, this::message);
        client = LegacySseServer.client("big", server, http, mapper, MAX_MESSAGE_BYTES,
                new McpClient.Callbacks() { });
        client.connect();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
        http.shutdownNow();
    }

    @Test
    void anOversizedEventNamesTheSettingToRaise() {
        McpException failure = assertThrows(McpException.class, () -> callTool("one-line"));
        assertEquals(TOO_LARGE, failure.getMessage());
    }

    @Test
    void anEventOfManyShortDataLinesOverTheLimitFailsInTheSameWords() {
        McpException failure = assertThrows(McpException.class, () -> callTool("many-lines"));
        assertEquals(TOO_LARGE, failure.getMessage());
    }

    /** A server made in the Web Console has no file: the place its transport is given is named instead. */
    @Test
    void theConfigurationTheTransportIsGivenIsNamedInstead() throws IOException {
        String place = "configuration io.mcpagent.mcp.server.1c2d (set through Configuration Admin, such as in the Web"
                + " Console, not by a file in etc/)";
        // a server and a queue of its own: the first client's stream, still served, would take the next event
        client.close();
        server.stop(0);
        events = new LinkedBlockingQueue<>();
        server = LegacySseServer.start(events, this::message);
        client = LegacySseServer.client("big", server, http, mapper, MAX_MESSAGE_BYTES, new McpClient.Callbacks() { },
                place);
        client.connect();

        McpException failure = assertThrows(McpException.class, () -> callTool("one-line"));
        assertEquals(TOO_LARGE.replace("etc/io.mcpagent.mcp.server~big.cfg.json", place), failure.getMessage());
    }

    private JsonNode callTool(String answeredAs) {
        return client.callTool(answeredAs, mapper.createObjectNode(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }


    /** A 2024-11-05 server: initialize is answered small; a tool call with a result over twice maxMessageBytes. */
    private void message(HttpExchange exchange) throws IOException {
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
        if (!request.has("id")) {
            return; // a notification
        }
        ObjectNode result = mapper.createObjectNode();
        String tool = request.path("params").path("name").asText();
        if (request.path("method").asText().equals("initialize")) {
            result.put("protocolVersion", request.path("params").path("protocolVersion").asText());
            result.putObject("capabilities");
            result.putObject("serverInfo").put("name", "big").put("version", "1");
        } else {
            result.set("content", oversizedContent(mapper, MAX_MESSAGE_BYTES));
        }
        ObjectNode response = mapper.createObjectNode().put("jsonrpc", "2.0")
                .<ObjectNode>set("id", request.get("id")).set("result", result);
        String data = tool.equals("many-lines") ? inShortDataLines(mapper, response)
                : mapper.writeValueAsString(response);
        events.add("event: message\ndata: " + data + "\n\n");
    }
}
