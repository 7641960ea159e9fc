package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Calls meeting the renewal of an expired legacy session over Streamable HTTP wait for it and go out with the new
 * session: one sent during it went out without a session (refused by the server), one whose expiry came during it
 * initialized a session of its own, replacing the one the first renewal made, and one whose expiry came after it
 * dropped the new session; a late answer under the old session that repeated its id put the old session back.
 */
@Timeout(30)
class McpClientSessionRenewalTest {
    private static final Duration TIME = Duration.ofSeconds(10);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Runs the calls made alongside the test's own, each in a thread of its own (they block until answered). */
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger initializes = new AtomicInteger();
    private final CountDownLatch renewalArrived = new CountDownLatch(1);
    private final CountDownLatch renewalAnswered = new CountDownLatch(1);
    private final CountDownLatch heldCallArrived = new CountDownLatch(1);
    private final CountDownLatch newSessionUsed = new CountDownLatch(1);
    /** What the server waits for before it answers 'held' that its session expired. */
    private CountDownLatch heldExpiryAnsweredAfter = renewalArrived;
    /** 'held' is answered with a result under the first session, repeating its id, rather than with its expiry. */
    private boolean heldAnsweredUnderItsSession;
    /** "tool@session" of every tools/call the server got. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private McpClient client;

    @AfterEach
    void stop() {
        renewalAnswered.countDown();
        newSessionUsed.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(0);
        }
        http.shutdownNow();
        callers.shutdownNow();
    }

    /**
     * 'held' is sent with the first session, whose expiry the server answers only once the new initialize arrived;
     * 'first' meets the expiry and renews; 'during' is called while that renewal waits for its answer. All three are
     * answered under the one new session.
     */
    @Test
    void callsMeetingARenewalWaitForItAndGoOutWithTheNewSession() throws Exception {
        start();
        CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> call("held"), callers);
        heldCallArrived.await();
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> call("first"), callers);
        renewalArrived.await();
        CompletableFuture<Void> duringWaits = new CompletableFuture<>();
        CompletableFuture<String> during = new CompletableFuture<>();
        Thread waiting = Thread.ofPlatform().unstarted(() -> {
            try {
                during.complete(call("during"));
            } catch (RuntimeException e) {
                during.completeExceptionally(e);
            }
        });
        client.onAwaitingRenewal(() -> {
            if (Thread.currentThread() == waiting) {
                duringWaits.complete(null);
            }
        });
        waiting.start();
        // released once 'during' waits for the renewal, or (without the wait) went out without a session and failed
        CompletableFuture.anyOf(duringWaits, during).exceptionally(failed -> null).get();
        renewalAnswered.countDown();

        assertEquals("done under s2", first.get(TIME.toSeconds(), TimeUnit.SECONDS));
        assertEquals("done under s2", held.get(TIME.toSeconds(), TimeUnit.SECONDS));
        assertEquals("done under s2", during.get(TIME.toSeconds(), TimeUnit.SECONDS));
        assertEquals(2, initializes.get(), "one renewal");
        assertEquals(List.of("during@s2", "first@s1", "first@s2", "held@s1", "held@s2"),
                calls.stream().sorted().toList());
    }

    /**
     * 'held' is sent with the first session, whose expiry the server answers only once a call came with the new one:
     * that late expiry of the old session leaves the new one in place, and 'held' goes out again with it. Before, it
     * dropped the new session: 'held' failed (its session "expired again right after initialize") and the next call
     * initialized a third one.
     */
    @Test
    void aLateExpiryOfTheOldSessionLeavesTheNewOneInPlace() throws Exception {
        heldExpiryAnsweredAfter = newSessionUsed;
        renewalAnswered.countDown(); // the renewal is answered at once
        start();
        CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> call("held"), callers);
        heldCallArrived.await();
        assertEquals("done under s2", call("first"));
        assertEquals("done under s2", held.get(TIME.toSeconds(), TimeUnit.SECONDS));
        assertEquals("done under s2", call("after"));
        assertEquals(2, initializes.get(), "one renewal");
        assertEquals(List.of("held@s1", "first@s1", "first@s2", "held@s2", "after@s2"), calls);
    }

    /**
     * 'held' is sent with the first session and answered with a result, repeating that session's id as SDK servers do
     * on every response, only once a call came with the new one: the late answer does not put the old session back.
     * Before, it did: 'after' went out with the expired session, and its expiry initialized a third one.
     */
    @Test
    void aLateAnswerRepeatingTheOldSessionIdLeavesTheNewOneInPlace() throws Exception {
        heldExpiryAnsweredAfter = newSessionUsed;
        heldAnsweredUnderItsSession = true;
        renewalAnswered.countDown(); // the renewal is answered at once
        start();
        CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> call("held"), callers);
        heldCallArrived.await();
        assertEquals("done under s2", call("first"));
        assertEquals("done under s1", held.get(TIME.toSeconds(), TimeUnit.SECONDS));
        assertEquals("done under s2", call("after"));
        assertEquals(2, initializes.get(), "one renewal");
        assertEquals(List.of("held@s1", "first@s1", "first@s2", "after@s2"), calls);
    }

    private String call(String tool) {
        JsonNode result = client.callTool(tool, mapper.createObjectNode(), TIME, TIME);
        return result.path("content").path(0).path("text").asText();
    }

    private void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/mcp", this::handle);
        server.start();
        client = new McpClient("renewing", new ClientOptions("test", "1", "legacy", TIME, TIME, TIME, null, false, false,
                1 << 20), () -> new StreamableHttpTransport("renewing", java.net.URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + "/mcp"), Map.of(), http, mapper, 1 << 20, TIME),
                new McpClient.Callbacks() { }, mapper);
        client.connect();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
        JsonNode id = request.get("id");
        switch (request.path("method").asText()) {
            case "initialize" -> {
                int count = initializes.incrementAndGet();
                if (count == 2) {
                    renewalArrived.countDown();
                    awaitQuietly(renewalAnswered);
                }
                exchange.getResponseHeaders().set("Mcp-Session-Id", "s" + count);
                reply(exchange, id, "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"r\",\"version\":\"1\"}}");
            }
            case "tools/call" -> {
                String tool = request.path("params").path("name").asText();
                calls.add(tool + "@" + session);
                if (session == null) {
                    answer(exchange, 400, "Bad Request: No valid session ID provided");
                } else if (session.equals("s1")) {
                    if (tool.equals("held")) {
                        heldCallArrived.countDown();
                        awaitQuietly(heldExpiryAnsweredAfter);
                        if (heldAnsweredUnderItsSession) {
                            exchange.getResponseHeaders().set("Mcp-Session-Id", session);
                            reply(exchange, id, "{\"content\":[{\"type\":\"text\",\"text\":\"done under s1\"}]}");
                            return;
                        }
                    }
                    answer(exchange, 404, "Session not found");
                } else {
                    newSessionUsed.countDown();
                    reply(exchange, id, "{\"content\":[{\"type\":\"text\",\"text\":\"done under " + session + "\"}]}");
                }
            }
            default -> reply(exchange, null, null);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** A JSON-RPC result, or 202 for a notification. */
    private static void reply(HttpExchange exchange, JsonNode id, String result) throws IOException {
        if (id == null || result == null) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
        }
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
