package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;
import io.mcpagent.mcp.internal.client.auth.OAuthConfig;

/**
 * A call's timeout covers its sending: a tools/call refused with 401 fails within its own timeout while the OAuth
 * challenge of that 401 (or another call's, which it waits for) is held up, whose requests each have the ten-minute
 * OAuth timeout here. The challenge goes on, and its token serves the calls that follow, those refused meanwhile too.
 */
@Timeout(60)
class OAuthChallengeTimeoutTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    /** Far below {@link #LONG}, far above a short call's timeout on a loaded machine. */
    private static final long PROMPTLY_SECONDS = 20;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A thread per call: a call left blocked must not hold up the next test's. */
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    /** The protected-resource metadata is answered once this is counted down. */
    private final CountDownLatch metadataReleased = new CountDownLatch(1);
    private final CountDownLatch metadataAsked = new CountDownLatch(1);
    private final AtomicInteger metadataRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private HttpServer server;
    private OAuthAuthorizer authorizer;
    private McpClient client;

    @BeforeEach
    void connect() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool()); // a held metadata request must not hold the others
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/mcp", exchange -> mcp(exchange, base));
        server.createContext("/.well-known/oauth-protected-resource", exchange -> {
            metadataRequests.incrementAndGet();
            metadataAsked.countDown();
            try {
                metadataReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, "{\"resource\":\"" + base + "/mcp\",\"authorization_servers\":[\"" + base + "\"]}");
        });
        server.createContext("/.well-known/oauth-authorization-server", exchange -> reply(exchange, 200,
                "{\"issuer\":\"" + base + "\",\"token_endpoint\":\"" + base + "/token\"}"));
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            tokenRequests.incrementAndGet();
            reply(exchange, 200, "{\"access_token\":\"a1\",\"expires_in\":3600}");
        });
        server.start();
        authorizer = new OAuthAuthorizer(new OAuthConfig("agent", null, null, null, null, null, null, true, LONG),
                mapper);
        client = new McpClient("guarded", new ClientOptions("test", "1", "legacy", LONG, LONG, LONG, null, false, false,
                1 << 20), () -> new StreamableHttpTransport("guarded", java.net.URI.create(base + "/mcp"),
                java.util.Map.of(), http, mapper, 1 << 20, LONG).authorizer(authorizer),
                new McpClient.Callbacks() { }, mapper);
        client.connect();
    }

    @AfterEach
    void stop() {
        metadataReleased.countDown();
        client.close();
        server.stop(0);
        http.shutdownNow();
        calls.shutdownNow();
    }

    @Test
    void aCallMeetingA401FailsWithinItsTimeoutAndItsChallengeGoesOnForTheCallsThatFollow() throws Exception {
        CompletableFuture<JsonNode> call = callTool(Duration.ofMillis(500));

        assertFailsPromptly(call, "MCP server 'guarded': tools/call timed out after 500 ms while being sent: its OAuth"
                + " challenge (HTTP 401) was still under way");
        metadataReleased.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (authorizer.authorization().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("done", callTool(LONG).get(PROMPTLY_SECONDS, TimeUnit.SECONDS).path("content").path(0)
                .path("text").asText());
        assertEquals(1, metadataRequests.get(), "the call that followed met no challenge");
        assertEquals(1, tokenRequests.get());
    }

    @Test
    void aCallWaitingForAnotherCallsChallengeFailsWithinItsTimeoutAndStartsNone() throws Exception {
        CompletableFuture<JsonNode> patient = callTool(LONG);
        metadataAsked.await();

        CompletableFuture<JsonNode> hurried = callTool(Duration.ofMillis(500));

        assertFailsPromptly(hurried, "MCP server 'guarded': tools/call timed out after 500 ms while being sent: another"
                + " OAuth challenge of the server was still under way");
        metadataReleased.countDown();
        assertEquals("done", patient.get(PROMPTLY_SECONDS, TimeUnit.SECONDS).path("content").path(0).path("text")
                .asText());
        assertEquals(1, metadataRequests.get(), "the call that gave up started no challenge");
    }

    /**
     * Two calls refused with 401 while the first one's challenge is held up: the second waits for that challenge and is
     * sent again with its token, without a challenge of its own (it went through discovery and the token request again).
     */
    @Test
    void aCallRefusedWithTheTokenAChallengeReplacedMeanwhileIsRepeatedWithTheNewOne() throws Exception {
        CompletableFuture<JsonNode> first = callTool(LONG);
        metadataAsked.await();
        CompletableFuture<JsonNode> second = callTool(LONG);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (refusals.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2, refusals.get(), "both calls were refused before the challenge ended");

        metadataReleased.countDown();

        assertEquals("done", first.get(PROMPTLY_SECONDS, TimeUnit.SECONDS).path("content").path(0).path("text").asText());
        assertEquals("done", second.get(PROMPTLY_SECONDS, TimeUnit.SECONDS).path("content").path(0).path("text").asText());
        assertEquals(1, metadataRequests.get());
        assertEquals(1, tokenRequests.get());
    }

    private CompletableFuture<JsonNode> callTool(Duration timeout) {
        return CompletableFuture.supplyAsync(() -> client.callTool("work", mapper.createObjectNode(), timeout, timeout),
                calls);
    }

    private static void assertFailsPromptly(CompletableFuture<JsonNode> call, String message) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> call.get(PROMPTLY_SECONDS, TimeUnit.SECONDS));
        assertEquals(message, failure.getCause().getMessage());
    }

    /** A legacy server whose tools/call needs the token a1 (401 naming the metadata without it); no GET stream. */
    private void mcp(HttpExchange exchange, String base) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        String method = request.path("method").asText();
        if (!request.has("id")) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
        }
        if (method.equals("tools/call") && !"Bearer a1".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer resource_metadata=\"" + base
                    + "/.well-known/oauth-protected-resource\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            refusals.incrementAndGet();
            return;
        }
        String result = method.equals("initialize")
                ? "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"g\",\"version\":\"1\"}}"
                : "{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}";
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
