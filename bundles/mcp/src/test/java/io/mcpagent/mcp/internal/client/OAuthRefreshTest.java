package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;

/**
 * The refresh token outlives a refresh that did not reach the authorization server's decision: one aborted with its
 * connection or failed in transport is tried again at the next challenge; only the server's refusal (RFC 6749 5.2)
 * makes the authorizer authorize anew. The client-credentials grant stands for that new authorization here.
 */
class OAuthRefreshTest {
    private static final String CHALLENGE_AFTER = "Bearer resource_metadata=\"%s/.well-known/oauth-protected-resource\"";

    private final HttpClient http = HttpClient.newHttpClient();
    /** The grant of each token request, in order. */
    private final List<String> grants = new CopyOnWriteArrayList<>();
    /** Answers a refresh; the client-credentials grant always gets access token a1 and refresh token r1. */
    private volatile Function<HttpExchange, Reply> refreshes;
    private HttpServer server;
    private String base;
    private OAuthAuthorizer authorizer;

    private record Reply(int status, String body) {
    }

    @BeforeEach
    void startAuthorizationServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool()); // a held refresh must not hold the others
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/oauth-protected-resource", exchange -> reply(exchange, new Reply(200,
                "{\"resource\":\"" + base + "/mcp\",\"authorization_servers\":[\"" + base + "\"]}")));
        server.createContext("/.well-known/oauth-authorization-server", exchange -> reply(exchange, new Reply(200,
                "{\"issuer\":\"" + base + "\",\"token_endpoint\":\"" + base + "/token\"}")));
        server.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String grant = URLDecoder.decode(form.replaceAll(".*grant_type=([^&]*).*", "$1"), StandardCharsets.UTF_8);
            grants.add(grant);
            reply(exchange, grant.equals("refresh_token") ? refreshes.apply(exchange)
                    : new Reply(200, "{\"access_token\":\"a1\",\"refresh_token\":\"r1\",\"expires_in\":3600}"));
        });
        server.start();
        authorizer = new OAuthAuthorizer(new OAuthConfig("agent", null, null, null, null, null, null, true,
                Duration.ofMinutes(10)), new ObjectMapper());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    @Test
    void aRefreshAbortedWithItsConnectionKeepsTheRefreshToken() throws Exception {
        CountDownLatch refreshing = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        refreshes = exchange -> {
            refreshing.countDown();
            try {
                released.await(); // no answer until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Reply(500, "");
        };
        try {
            assertTrue(challenge(new HttpExchanges(http)));
            HttpExchanges closing = new HttpExchanges(http);
            CompletableFuture<Boolean> aborted = CompletableFuture.supplyAsync(() -> {
                try {
                    return challenge(closing);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Thread.ofVirtual()::start);
            refreshing.await();
            closing.abortAll(); // as a failed health check or a reconnect closes the connection

            ExecutionException failure = assertThrows(ExecutionException.class, () -> aborted.get(30, TimeUnit.SECONDS));
            assertTrue(failure.getCause().getMessage().contains("aborted"), failure.getCause().toString());
        } finally {
            released.countDown();
        }
        refreshes = exchange -> new Reply(200, "{\"access_token\":\"a2\",\"expires_in\":3600}");

        assertTrue(challenge(new HttpExchanges(http)));
        assertEquals(List.of("client_credentials", "refresh_token", "refresh_token"), grants);
        assertEquals(Optional.of("Bearer a2"), authorizer.authorization());
    }

    @Test
    void aRefreshTheAuthorizationServerFailedToAnswerKeepsTheRefreshToken() throws Exception {
        refreshes = exchange -> new Reply(503, "");
        assertTrue(challenge(new HttpExchanges(http)));

        IOException failure = assertThrows(IOException.class, () -> challenge(new HttpExchanges(http)));
        assertTrue(failure.getMessage().contains("HTTP 503"), failure.getMessage());
        refreshes = exchange -> new Reply(200, "{\"access_token\":\"a2\",\"expires_in\":3600}");
        assertTrue(challenge(new HttpExchanges(http)));
        assertEquals(List.of("client_credentials", "refresh_token", "refresh_token"), grants);
        assertEquals(Optional.of("Bearer a2"), authorizer.authorization());
    }

    /**
     * A 200 without an access_token is no token response (RFC 6749 5.1) and no refusal (5.2): a proxy's page, say. The
     * refresh token is kept, and the failure says what was missing, naming the fields but not their values, which may
     * be tokens. Before, it said "HTTP 200" and nothing more.
     */
    @Test
    void aRefreshAnsweredWithoutAnAccessTokenKeepsTheRefreshTokenAndSaysWhatIsMissing() throws Exception {
        refreshes = exchange -> new Reply(200, "{\"token_type\":\"Bearer\",\"id_token\":\"secret-id-token\"}");
        assertTrue(challenge(new HttpExchanges(http)));

        IOException failure = assertThrows(IOException.class, () -> challenge(new HttpExchanges(http)));
        assertTrue(failure.getMessage().endsWith("failed: HTTP 200 without an access_token (its fields: token_type,"
                + " id_token)"), failure.getMessage());
        refreshes = exchange -> new Reply(200, "{\"access_token\":\"a2\",\"expires_in\":3600}");
        assertTrue(challenge(new HttpExchanges(http)));
        assertEquals(List.of("client_credentials", "refresh_token", "refresh_token"), grants);
        assertEquals(Optional.of("Bearer a2"), authorizer.authorization());
    }

    @Test
    void aRefreshTokenTheAuthorizationServerRefusesIsDroppedForANewAuthorization() throws Exception {
        refreshes = exchange -> new Reply(400, "{\"error\":\"invalid_grant\"}");
        assertTrue(challenge(new HttpExchanges(http)));

        assertTrue(challenge(new HttpExchanges(http)));
        assertEquals(List.of("client_credentials", "refresh_token", "client_credentials"), grants);
        refreshes = exchange -> new Reply(200, "{\"access_token\":\"a2\",\"expires_in\":3600}");
        assertTrue(challenge(new HttpExchanges(http)));
        assertEquals("refresh_token", grants.get(3), "the new authorization's refresh token is used");
    }

    /** A 401 from the MCP server at {@code /mcp}, met on {@code exchanges}. */
    private boolean challenge(HttpExchanges exchanges) throws IOException {
        return authorizer.challenge(401, CHALLENGE_AFTER.formatted(base), authorizer.authorization().orElse(null),
                URI.create(base + "/mcp"), exchanges, Duration.ofMinutes(1));
    }

    private static void reply(HttpExchange exchange, Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
