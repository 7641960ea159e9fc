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
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;

/**
 * The protected-resource and authorization-server metadata are fetched once per connection, not on every challenge: a
 * challenge on the same connection (its transport's exchanges) refreshes the token with the discovery it has; a new
 * connection, or the challenge after one that failed, discovers anew.
 */
class OAuthDiscoveryTest {
    private final HttpClient http = HttpClient.newHttpClient();
    /** Every request, as "METHOD path" (the token requests with their grant). */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int refreshStatus = 200;
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
                "{\"issuer\":\"" + base + "\",\"token_endpoint\":\"" + base + "/token\"}"));
        server.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean refresh = form.contains("grant_type=refresh_token");
            requests.add("POST /token " + (refresh ? "refresh" : "client_credentials"));
            reply(exchange, refresh ? refreshStatus : 200,
                    "{\"access_token\":\"a" + requests.size() + "\",\"refresh_token\":\"r1\",\"expires_in\":3600}");
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
    void theMetadataIsFetchedOncePerConnectionAndAgainAfterAFailedChallenge() throws Exception {
        HttpExchanges connection = new HttpExchanges(http);
        assertTrue(challenge(connection));
        assertEquals(List.of("GET /.well-known/oauth-protected-resource", "GET /.well-known/oauth-authorization-server",
                "POST /token client_credentials"), requests);
        requests.clear();

        assertTrue(challenge(connection));
        assertTrue(challenge(connection));
        assertEquals(List.of("POST /token refresh", "POST /token refresh"), requests, "discovered once per connection");
        requests.clear();

        HttpExchanges reconnected = new HttpExchanges(http);
        assertTrue(challenge(reconnected));
        assertEquals(List.of("GET /.well-known/oauth-protected-resource", "GET /.well-known/oauth-authorization-server",
                "POST /token refresh"), requests, "a new connection discovers anew");
        requests.clear();

        refreshStatus = 503;
        assertThrows(IOException.class, () -> challenge(reconnected));
        refreshStatus = 200;
        assertTrue(challenge(reconnected));
        assertEquals(List.of("POST /token refresh", "GET /.well-known/oauth-protected-resource",
                "GET /.well-known/oauth-authorization-server", "POST /token refresh"), requests,
                "the challenge after a failed one discovers anew");
    }

    /**
     * A challenge naming a resource_metadata that is no URL fails as an IOException, which fails its call as the other
     * failures of what the servers sent do: it threw an IllegalArgumentException, which the call passed on as it was.
     */
    @Test
    void aChallengeNamingMetadataThatIsNoUrlFailsAsAnIOException() {
        IOException failure = assertThrows(IOException.class, () -> authorizer.challenge(401,
                "Bearer resource_metadata=\"not a url\"", null, URI.create(base + "/mcp"), new HttpExchanges(http),
                Duration.ofMinutes(1)));
        assertEquals("OAuth: a URL a server sent is none: Illegal character in path at index 3", failure.getMessage());
        assertEquals(List.of(), requests);
    }

    /** A 401 from the MCP server at {@code /mcp} to a request with the current token, met on {@code connection}. */
    private boolean challenge(HttpExchanges connection) throws IOException {
        return authorizer.challenge(401, "Bearer resource_metadata=\"" + base + "/.well-known/oauth-protected-resource\"",
                authorizer.authorization().orElse(null), URI.create(base + "/mcp"), connection, Duration.ofMinutes(1));
    }

    private void reply(HttpExchange exchange, int status, String body) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/token")) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
