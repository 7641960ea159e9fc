package io.mcpagent.mcp.internal.conformance;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.mcp.internal.client.ClientOptions;
import io.mcpagent.mcp.internal.client.LegacySseTransport;
import io.mcpagent.mcp.internal.client.McpClient;
import io.mcpagent.mcp.internal.client.SessionDeletes;
import io.mcpagent.mcp.internal.client.StreamableHttpTransport;
import io.mcpagent.mcp.internal.client.ToolInfo;
import io.mcpagent.mcp.internal.client.Transport;
import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;

/**
 * Drives our client the way the official conformance suite expects: {@code <command> <server-url>}, the scenario
 * in {@code MCP_CONFORMANCE_SCENARIO}, the era in {@code MCP_CONFORMANCE_PROTOCOL_VERSION} (alpha suite), data in
 * {@code MCP_CONFORMANCE_CONTEXT}. Exits 0 when the scenario's steps ran, 1 with the reason otherwise.
 */
public final class ConformanceClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ConformanceClient() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ConformanceClient <server-url>");
            System.exit(2);
        }
        try {
            run(URI.create(args[args.length - 1]), System.getenv());
            System.exit(0);
        } catch (RuntimeException e) {
            System.err.println("conformance client failed: " + e);
            System.exit(1);
        }
    }

    static void run(URI url, Map<String, String> env) {
        String scenario = env.getOrDefault("MCP_CONFORMANCE_SCENARIO", "");
        String version = env.get("MCP_CONFORMANCE_PROTOCOL_VERSION");
        String era = version == null ? "auto" : McpClient.MODERN_VERSION.equals(version) ? "modern" : "legacy";
        ObjectMapper mapper = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        SessionDeletes sessionDeletes = new SessionDeletes();
        ClientOptions options = new ClientOptions("mcp-agent-conformance", "0.1.0", era, TIMEOUT, TIMEOUT,
                Duration.ofSeconds(60), null, false, true, 1 << 24);
        McpClient.TransportFactory transports = new McpClient.TransportFactory() {
            @Override
            public Transport primary() {
                return new StreamableHttpTransport("conformance", url, Map.of(), http, mapper, 1 << 24, TIMEOUT)
                        .authorizer(new OAuthAuthorizer(OAuthConfig.fromConformanceContext(context(env, mapper)), mapper))
                        .sessionDeletes(sessionDeletes);
            }

            @Override
            public Transport fallback() {
                return new LegacySseTransport("conformance", url, Map.of(), http, mapper, 1 << 24, TIMEOUT);
            }
        };
        McpClient.Callbacks callbacks = new McpClient.Callbacks() {
            @Override
            public JsonNode elicit(JsonNode params) {
                ObjectNode result = mapper.createObjectNode();
                result.put("action", "accept");
                ObjectNode content = result.putObject("content");
                params.path("requestedSchema").path("properties").properties().forEach(property -> {
                    if (property.getValue().has("default")) {
                        content.set(property.getKey(), property.getValue().get("default"));
                    }
                });
                return result;
            }
        };
        try (McpClient client = new McpClient("conformance", options, transports, callbacks, mapper)) {
            client.connect();
            List<ToolInfo> tools = client.listTools();
            if (scenario.equals("initialize") || scenario.equals("json-schema-ref-no-deref")) {
                return; // these scenarios check the handshake and that listing does not dereference schemas
            }
            if (scenario.equals("json-schema-2020-12-preservation")) {
                echoSchema(client, tools, mapper);
                return;
            }
            JsonNode toolCalls = context(env, mapper).path("toolCalls");
            if (toolCalls.isArray() && !toolCalls.isEmpty()) {
                for (JsonNode call : toolCalls) {
                    client.callTool(call.path("name").asText(), call.path("arguments"), TIMEOUT, Duration.ofSeconds(60));
                }
            } else {
                for (ToolInfo tool : tools) {
                    client.callTool(tool.name(), arguments(tool, mapper), TIMEOUT, Duration.ofSeconds(60));
                }
            }
            if (scenario.equals("http-standard-headers")) {
                exerciseResourcesAndPrompts(client, mapper);
            }
        } finally {
            shutDownAfterSessionDeletes(http, sessionDeletes);
        }
    }

    /**
     * As the runtime's MCP servers do: the client is shut down once the session DELETE sent on close is done, at most
     * {@link StreamableHttpTransport#SESSION_DELETE_TIMEOUT}. Shut down at once, it refused the DELETE not yet sent.
     */
    private static void shutDownAfterSessionDeletes(HttpClient http, SessionDeletes sessionDeletes) {
        try {
            sessionDeletes.await(StreamableHttpTransport.SESSION_DELETE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.shutdownNow();
        }
    }

    /** Hands the focal tool's inputSchema back unchanged, so the scenario sees which keywords we kept. */
    private static void echoSchema(McpClient client, List<ToolInfo> tools, ObjectMapper mapper) {
        ToolInfo focal = tools.stream().filter(t -> t.name().equals("json_schema_2020_12_tool")).findFirst()
                .orElseThrow(() -> new IllegalStateException("scenario tool json_schema_2020_12_tool not listed"));
        ObjectNode arguments = mapper.createObjectNode();
        arguments.set("schema", focal.inputSchema());
        client.callTool("json_schema_echo", arguments, TIMEOUT, Duration.ofSeconds(60));
    }

    private static JsonNode context(Map<String, String> env, ObjectMapper mapper) {
        String context = env.get("MCP_CONFORMANCE_CONTEXT");
        try {
            return context == null ? mapper.createObjectNode() : mapper.readTree(context);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("MCP_CONFORMANCE_CONTEXT is not JSON: " + e.getMessage(), e);
        }
    }

    private static void exerciseResourcesAndPrompts(McpClient client, ObjectMapper mapper) {
        for (JsonNode resource : client.call("resources/list", mapper.createObjectNode()).path("resources")) {
            client.call("resources/read", mapper.createObjectNode().put("uri", resource.path("uri").asText()));
        }
        for (JsonNode prompt : client.call("prompts/list", mapper.createObjectNode()).path("prompts")) {
            ObjectNode params = mapper.createObjectNode().put("name", prompt.path("name").asText());
            ObjectNode arguments = params.putObject("arguments");
            for (JsonNode argument : prompt.path("arguments")) {
                if (argument.path("required").asBoolean(false)) {
                    arguments.put(argument.path("name").asText(), "test");
                }
            }
            client.call("prompts/get", params);
        }
    }

    /** Values for the required inputs; {@code a}/{@code b} get 2 and 3 as the tools_call scenarios expect. */
    static ObjectNode arguments(ToolInfo tool, ObjectMapper mapper) {
        ObjectNode arguments = mapper.createObjectNode();
        JsonNode properties = tool.inputSchema().path("properties");
        for (JsonNode required : tool.inputSchema().path("required")) {
            String name = required.asText();
            JsonNode schema = properties.path(name);
            switch (schema.path("type").asText("string")) {
                case "number", "integer" -> arguments.put(name, name.equals("b") ? 3 : name.equals("a") ? 2 : 1);
                case "boolean" -> arguments.put(name, true);
                case "object" -> arguments.putObject(name);
                case "array" -> arguments.putArray(name);
                default -> arguments.put(name, schema.has("enum") ? schema.path("enum").get(0).asText() : "test");
            }
        }
        return arguments;
    }

}
