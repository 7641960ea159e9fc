package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;

/**
 * An authorization server the protected-resource metadata names that is no http(s) URL with a host is refused with a
 * failure naming it, its query masked. A bare name or "https:/x" failed with a bare NullPointerException, and a name
 * with an underscore and a port was asked for its metadata at a bracketed "IPv6" origin.
 */
class OAuthIssuerTest {
    private volatile String issuer;
    private HttpServer server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startResourceServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/oauth-protected-resource", exchange -> reply(exchange,
                "{\"resource\":\"" + base + "/mcp\",\"authorization_servers\":["
                        + JsonNodeFactory.instance.textNode(issuer) + "]}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "foo|foo",
            "https:/x|https:/x",
            "https://auth_server:8443/tenant1|https://auth_server:8443/tenant1",
            "ftp://as.example/?key=s3cret|ftp://as.example/?key=[redacted]",
            "https://as example|(no URL: Illegal character in authority at index 10)"})
    void anIssuerThatIsNoHttpUrlWithAHostIsRefusedNamingIt(String declared, String shown) {
        issuer = declared;
        OAuthAuthorizer authorizer = new OAuthAuthorizer(new OAuthConfig("agent", null, null, null, null, null, null,
                true, Duration.ofMinutes(1)), new ObjectMapper());

        IOException failure = assertThrows(IOException.class, () -> authorizer.challenge(401, "Bearer", null,
                URI.create(base + "/mcp"), new HttpExchanges(http), Duration.ofMinutes(1)));

        assertEquals("the authorization server issuer " + shown + " is no http(s) URL with a host; refusing to use it",
                failure.getMessage());
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
