package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;

/**
 * OAuth met by the era probe and by a call, against a 2026-07-28 server that refuses requests without the token a1
 * (401 naming {@link #metadataUrl}): every request, or only tools/call.
 */
@Timeout(60)
class OAuthEraProbeTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    /** The era probe's cap (eraProbeTimeoutMs). */
    private static final Duration PROBE = Duration.ofMillis(300);
    /** Longer than {@link #PROBE}. */
    private static final long METADATA_HELD_MILLIS = 1500;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    /** Released by an initialize (the probe gave up: holding on would prove nothing more) or after the hold. */
    private final CountDownLatch metadataReleased = new CountDownLatch(1);
    private HttpServer server;
    private String base;
    private String metadataUrl;
    /** Whether only tools/call needs the token, so that the handshake goes through without OAuth. */
    private boolean onlyCallsGuarded;
    private McpClient client;

    @AfterEach
    void stop() {
        metadataReleased.countDown();
        if (client != null) {
            client.close();
        }
        server.stop(0);
        http.shutdownNow();
    }

    /**
     * The probe's sending waits for the challenge of its 401, whose protected-resource metadata is held past the probe's
     * cap: the server is still taken as modern, never asked to initialize. Before, the probe gave up after its cap and the
     * server was taken as legacy.
     */
    @Test
    void aServerWhoseChallengeOutlastsTheProbeCapIsStillModern() throws IOException {
        start(null);

        client.connect();

        assertTrue(client.isModern(), "taken as legacy; the server saw " + methods);
        assertEquals(List.of(), methods.stream().filter(m -> m.equals("initialize")).toList());
    }

    /**
     * A challenge naming metadata that is no URL fails the call with an McpException saying why and where, without
     * quoting what the server sent: such a URL may carry a secret.
     */
    @Test
    void aCallWhoseChallengeNamesMetadataThatIsNoUrlFailsWithAnMcpExceptionSayingWhy() throws IOException {
        start("not a url");
        onlyCallsGuarded = true;
        client.connect();

        McpException failure = assertThrows(McpException.class, () -> client.callTool("work",
                mapper.createObjectNode(), LONG, LONG));

        assertEquals("MCP server 'guarded': tools/call could not be sent over http: OAuth: a URL a server sent is"
                + " none: Illegal character in path at index 3", failure.getMessage());
    }

    private void start(String namedMetadata) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool()); // a held metadata request must not hold the others
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        metadataUrl = namedMetadata != null ? namedMetadata : base + "/.well-known/oauth-protected-resource";
        server.createContext("/mcp", this::mcp);
        server.createContext("/.well-known/oauth-protected-resource", exchange -> {
            try {
                metadataReleased.await(METADATA_HELD_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, "{\"resource\":\"" + base + "/mcp\",\"authorization_servers\":[\"" + base + "\"]}");
        });
        server.createContext("/.well-known/oauth-authorization-server", exchange -> reply(exchange, 200,
                "{\"issuer\":\"" + base + "\",\"token_endpoint\":\"" + base + "/token\"}"));
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            reply(exchange, 200, "{\"access_token\":\"a1\",\"expires_in\":3600}");
        });
        server.start();
        OAuthAuthorizer authorizer = new OAuthAuthorizer(new OAuthConfig("agent", null, null, null, null, null, null,
                true, LONG), mapper);
        client = new McpClient("guarded", new ClientOptions("test", "1", "auto", LONG, LONG, LONG, null, false, false,
                1 << 20, PROBE), () -> new StreamableHttpTransport("guarded", URI.create(base + "/mcp"), Map.of(), http,
                mapper, 1 << 20, LONG).authorizer(authorizer), new McpClient.Callbacks() { }, mapper);
    }

    private void mcp(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        String method = request.path("method").asText();
        if ((!onlyCallsGuarded || method.equals("tools/call"))
                && !"Bearer a1".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer resource_metadata=\"" + metadataUrl + "\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        methods.add(method);
        if (!request.has("id")) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
        }
        String result = switch (method) {
            case "server/discover" -> "{\"resultType\":\"complete\",\"supportedVersions\":[\"" + McpClient.MODERN_VERSION
                    + "\"],\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"g\",\"version\":\"1\"}}";
            case "initialize" -> {
                metadataReleased.countDown();
                yield "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"g\",\"version\":\"1\"}}";
            }
            default -> "{\"resultType\":\"complete\",\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}";
        };
        reply(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + result + "}");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
