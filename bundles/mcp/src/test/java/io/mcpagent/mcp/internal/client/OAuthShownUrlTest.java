package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;

/**
 * The failures of an OAuth challenge name the URLs they concern with their query values masked: the MCP server's URL
 * may carry a token in its query ({@code ?api_key=}), and so may an endpoint of the authorization server. They were
 * quoted whole, and the failure goes into the call's error and the server's health.
 */
class OAuthShownUrlTest {
    private static final String SECRET = "k3y-4711";

    private final HttpClient http = HttpClient.newHttpClient();
    /** What the token endpoint does: answer with this status, or hang up without a response when 0. */
    private volatile int tokenStatus = 503;
    private HttpServer server;
    private String base;
    private OAuthAuthorizer authorizer;

    @BeforeEach
    void startAuthorizationServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/oauth-protected-resource", exchange -> reply(exchange, 200,
                "{\"resource\":\"" + base + "/mcp\",\"authorization_servers\":[\"" + base + "\"]}"));
        server.createContext("/.well-known/oauth-authorization-server", exchange -> reply(exchange, 200,
                "{\"issuer\":\"" + base + "\",\"token_endpoint\":\"" + base + "/token?tenant_key=" + SECRET + "\"}"));
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (tokenStatus == 0) {
                exchange.close(); // no status line: the client's request fails
                return;
            }
            reply(exchange, tokenStatus, "{\"error\":\"temporarily_unavailable\"}");
        });
        server.start();
        authorizer = new OAuthAuthorizer(new OAuthConfig("agent", null, null, null, null, null, null, true,
                Duration.ofMinutes(1)), new ObjectMapper());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    @Test
    void aResourceMismatchNamesTheServerWithItsQueryMasked() {
        IOException failure = assertThrows(IOException.class, () -> challenge(base + "/other?api_key=" + SECRET));

        assertEquals("protected resource metadata names resource " + base + "/mcp, which does not match the server "
                + base + "/other?api_key=[redacted]; refusing to authorize", failure.getMessage());
    }

    @Test
    void aRefusedTokenRequestNamesTheTokenEndpointWithItsQueryMasked() {
        IOException failure = assertThrows(IOException.class, () -> challenge(base + "/mcp"));

        assertEquals("token request (client_credentials) to " + base + "/token?tenant_key=[redacted] failed: HTTP 503"
                + " temporarily_unavailable", failure.getMessage());
    }

    @Test
    void aTokenRequestThatFailsInTransportNamesItsUrlWithTheQueryMasked() {
        tokenStatus = 0;

        IOException failure = assertThrows(IOException.class, () -> challenge(base + "/mcp"));

        String expected = "OAuth request to " + base + "/token?tenant_key=[redacted] failed: ";
        assertTrue(failure.getMessage().startsWith(expected), failure.getMessage());
        assertFalse(failure.getMessage().contains(SECRET), failure.getMessage());
    }

    private boolean challenge(String mcpServerUrl) throws IOException {
        return authorizer.challenge(401, "Bearer", null, URI.create(mcpServerUrl), new HttpExchanges(http),
                Duration.ofMinutes(1));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
