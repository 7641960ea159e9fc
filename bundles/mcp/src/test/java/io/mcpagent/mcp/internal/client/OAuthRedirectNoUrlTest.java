package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
 * An authorization redirect whose Location is no URL fails the challenge naming why and where, not the Location: it
 * carries the authorization code. The failure quoted it whole ("OAuth: Illegal character in query at index 59:
 * http://...?code=..."), and it goes into the call's error and the server's health.
 */
class OAuthRedirectNoUrlTest {
    private static final String CODE = "c0de-4711";

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;
    private String base;

    @BeforeEach
    void startAuthorizationServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/oauth-protected-resource", exchange -> reply(exchange, 200,
                "{\"resource\":\"" + base + "/mcp\",\"authorization_servers\":[\"" + base + "\"]}"));
        server.createContext("/.well-known/oauth-authorization-server", exchange -> reply(exchange, 200,
                "{\"issuer\":\"" + base + "\",\"authorization_endpoint\":\"" + base + "/authorize\","
                        + "\"token_endpoint\":\"" + base + "/token\",\"code_challenge_methods_supported\":[\"S256\"]}"));
        server.createContext("/authorize", exchange -> {
            // '{' may not stand in a query: no URL, with the code before it
            exchange.getResponseHeaders().set("Location",
                    OAuthConfig.DEFAULT_REDIRECT_URI + "?code=" + CODE + "&state={broken}");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    @Test
    void aRedirectThatIsNoUrlFailsNamingWhyAndWhereNotTheCode() {
        OAuthAuthorizer authorizer = new OAuthAuthorizer(new OAuthConfig("agent", null, null, null, null, null, null,
                false, Duration.ofMinutes(1)), new ObjectMapper());

        IOException failure = assertThrows(IOException.class, () -> authorizer.challenge(401, "Bearer", null,
                URI.create(base + "/mcp"), new HttpExchanges(http), Duration.ofMinutes(1)));

        int index = (OAuthConfig.DEFAULT_REDIRECT_URI + "?code=" + CODE + "&state=").length();
        assertEquals("OAuth: a URL a server sent is none: Illegal character in query at index " + index,
                failure.getMessage());
        assertNull(failure.getCause(), "the cause's message quotes the Location whole");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
