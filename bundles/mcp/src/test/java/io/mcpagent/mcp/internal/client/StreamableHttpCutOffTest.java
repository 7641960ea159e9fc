package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.client.HangingHttpServer.Held;
import io.mcpagent.mcp.internal.client.HangingHttpServer.Reply;
import io.mcpagent.mcp.internal.client.HangingHttpServer.Request;

/**
 * A call over Streamable HTTP that the client's close cuts off (a failed health check, a changed or removed
 * configuration) fails at once with the reason, wherever its exchange stands, and the HTTP exchange is aborted: the
 * server sees the connection closed. The request timeout is ten minutes, so failing within the seconds these tests
 * wait can only be the cut-off. Likewise a call's own timeout ends it whatever the server does not answer.
 */
@Timeout(60)
class StreamableHttpCutOffTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);
    /** Far below {@link #REQUEST_TIMEOUT}, far above what a cut-off takes on a loaded machine. */
    private static final long PROMPTLY_SECONDS = 20;
    private static final String REASON = "the server's configuration changed";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A thread per call: a call left blocked must not hold up the next test's. */
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private HangingHttpServer server;
    /** Whether the server answers notifications/cancelled (202) or leaves it without response headers. */
    private volatile boolean cancellationsTaken = true;
    /** The params of each notifications/cancelled the server got. */
    private final BlockingQueue<JsonNode> cancellations = new LinkedBlockingQueue<>();
    /** Whether the session DELETE gets its response headers and part of its body, or no headers. */
    private volatile boolean deleteHalfAnswered;
    /** Whether discover declares tools.listChanged, for which the client keeps subscriptions/listen open. */
    private volatile boolean listChanged;
    private McpClient client;

    @BeforeEach
    void connect() throws IOException {
        server = new HangingHttpServer(this::reply);
        client = new McpClient("slow", new ClientOptions("test", "1", "modern", Duration.ofSeconds(5),
                REQUEST_TIMEOUT, REQUEST_TIMEOUT, null, false, false, 1 << 20),
                this::transport, new McpClient.Callbacks() { }, mapper);
        client.connect();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
        http.shutdownNow();
        calls.shutdownNow();
    }

    @Test
    void aCallWaitingForTheResponseHeadersIsCutOffWithTheReasonAndItsRequestAborted() throws Exception {
        CompletableFuture<JsonNode> call = callTool("silent");
        Held post = server.held.take();
        assertEquals("POST", post.request().method());

        client.close(REASON);

        assertCutOff(call);
        post.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aJsonBodyBeingReadIsClosedWhenTheTransportCloses() throws Exception {
        StreamableHttpTransport transport = transport();
        transport.start(new ClosingInbound());
        // sent directly, so that the test knows the headers arrived: send returns once they did
        transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call")
                .set("params", mapper.createObjectNode().put("name", "half-json")), Transport.Outgoing.NONE);
        Held post = server.held.take();

        transport.close();

        post.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aCallWhoseJsonBodyStallsEndsAtItsTimeout() throws Exception {
        CompletableFuture<JsonNode> call = callTool("half-json", Duration.ofMillis(300));
        Held post = server.held.take();

        assertFailsPromptly(call, "MCP server 'slow': tools/call timed out after 300 ms without an answer");
        post.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A server answering with JSON sends its response headers with its answer: one that does not come within the call's
     * time fails the call as any answer that does not come does, and the server is told (notifications/cancelled).
     * Before, the request's own timeout said "could not be sent over http: request timed out", and nothing was
     * cancelled.
     */
    @Test
    void aCallWhoseResponseHeadersDoNotComeEndsAtItsTimeoutAndIsCancelled() throws Exception {
        CompletableFuture<JsonNode> call = callTool("silent", Duration.ofMillis(300));
        Held post = server.held.take();

        assertFailsPromptly(call, "MCP server 'slow': tools/call timed out after 300 ms without an answer");
        post.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        assertEquals("timeout", cancellations.poll(PROMPTLY_SECONDS, TimeUnit.SECONDS).path("reason").asText());
    }

    @Test
    void aCallWhoseErrorBodyStallsEndsAtItsTimeout() throws Exception {
        CompletableFuture<JsonNode> call = callTool("error-stall", Duration.ofMillis(300));
        Held post = server.held.take();

        assertFailsPromptly(call, "MCP server 'slow': tools/call could not be sent over http: HTTP 502: (the body did"
                + " not arrive within 300 ms)");
        post.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aCallThatTimesOutIsNotHeldByAServerThatDoesNotTakeItsCancellation() throws Exception {
        cancellationsTaken = false;
        CompletableFuture<JsonNode> call = callTool("open-stream", Duration.ofMillis(300));

        assertFailsPromptly(call, "MCP server 'slow': tools/call timed out after 300 ms without an answer");
    }

    @Test
    void aCallWhoseStreamIsBeingResumedIsCutOffWithTheReasonAndTheResumingRequestAborted() throws Exception {
        CompletableFuture<JsonNode> call = callTool("resumed");
        Held get = server.held.take();
        assertEquals("GET", get.request().method());
        assertEquals("1", get.request().header("Last-Event-ID"));

        client.close(REASON);

        assertCutOff(call);
        get.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aCallWhoseStreamIsBeingResumedEndsAtItsTimeoutAndTheResumingRequestIsAborted() throws Exception {
        // the stream asks to be resumed at once: the GET is under way long before the call's second is over
        CompletableFuture<JsonNode> call = callTool("resumed", Duration.ofSeconds(1));
        Held get = server.held.take();
        assertEquals("GET", get.request().method());

        assertFailsPromptly(call, "MCP server 'slow': tools/call timed out after 1000 ms without an answer");
        get.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void theStandaloneGetStreamStillWaitingForItsHeadersIsAbortedOnClose() throws Exception {
        StreamableHttpTransport transport = transport();
        transport.start(new ClosingInbound());
        // the handshake opens the GET stream, whose headers never come
        CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> transport.sessionEstablished(true), calls);
        Held get = server.held.take();
        assertEquals("GET", get.request().method());

        transport.close();

        get.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        handshake.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void theSubscriptionStreamIsAbortedOnClose() throws Exception {
        listChanged = true;
        McpClient listening = new McpClient("slow", new ClientOptions("test", "1", "modern", Duration.ofSeconds(5),
                REQUEST_TIMEOUT, REQUEST_TIMEOUT, null, false, false, 1 << 20),
                this::transport, new McpClient.Callbacks() { }, mapper);
        listening.connect();
        Held listen = server.held.take();
        assertEquals("subscriptions/listen", mapper.readTree(listen.request().body()).path("method").asText());

        listening.close(REASON);

        listen.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * While the gate is shut, the HTTP client's tasks wait and no request gets anywhere: a close() that waited for the
     * session DELETE would wait for good, as for a server that never answers it.
     */
    @Test
    void closeDoesNotWaitForTheSessionDelete() throws Exception {
        ExecutorService gatedTasks = Executors.newVirtualThreadPerTaskExecutor();
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
        HttpClient gated = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(task -> {
            CountDownLatch shut = gate.get();
            gatedTasks.execute(() -> {
                awaitUninterruptibly(shut);
                task.run();
            });
        }).build();
        try {
            StreamableHttpTransport transport = new StreamableHttpTransport("slow", server.url(), Map.of(), gated,
                    mapper, 1 << 20, Duration.ofSeconds(5));
            transport.start(new ClosingInbound());
            transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
                    .set("params", mapper.createObjectNode()), Transport.Outgoing.NONE);
            CountDownLatch shut = new CountDownLatch(1);
            gate.set(shut);

            transport.close();
            shut.countDown();

            Held delete = server.held.take();
            assertEquals("DELETE", delete.request().method());
            assertEquals("s-1", delete.request().header("Mcp-Session-Id"));
        } finally {
            gated.shutdownNow();
            gatedTasks.shutdownNow();
        }
    }

    /**
     * A request's timeout covers its response headers only: a server that answered those of the session DELETE and
     * then trickled its body held the DELETE, and its thread, for as long as it liked. The whole exchange is bounded.
     */
    @Test
    void theSessionDeleteIsGivenUpWhenItsBodyDoesNotEndWithinItsTimeout() throws Exception {
        deleteHalfAnswered = true;
        SessionDeletes deletes = new SessionDeletes();
        StreamableHttpTransport transport = transport().sessionDeletes(deletes);
        transport.start(new ClosingInbound());
        transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
                .set("params", mapper.createObjectNode()), Transport.Outgoing.NONE);

        transport.close();

        Held delete = server.held.take();
        assertEquals("DELETE", delete.request().method());
        delete.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        assertTrue(deletes.await(Duration.ofSeconds(PROMPTLY_SECONDS)), "the DELETE's thread ended");
    }

    /** An OAuth-protected server refuses a DELETE without the token (401) and keeps the session. */
    @Test
    void theSessionDeleteCarriesTheCredentialsOfTheOtherRequests() throws Exception {
        StreamableHttpTransport transport = transport().authorizer(new Authorizer() {
            @Override
            public Optional<String> authorization() {
                return Optional.of("Bearer t-1");
            }

            @Override
            public boolean challenge(int status, String wwwAuthenticate, String sentAuthorization, URI resource,
                                     HttpExchanges exchanges, Duration wait) {
                return false;
            }
        });
        transport.start(new ClosingInbound());
        transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
                .set("params", mapper.createObjectNode()), Transport.Outgoing.NONE);

        transport.close();

        Held delete = server.held.take();
        assertEquals("DELETE", delete.request().method());
        assertEquals("Bearer t-1", delete.request().header("Authorization"));
    }

    private StreamableHttpTransport transport() {
        return new StreamableHttpTransport("slow", server.url(), Map.of(), http, mapper, 1 << 20, Duration.ofSeconds(5));
    }

    private CompletableFuture<JsonNode> callTool(String name) {
        return callTool(name, REQUEST_TIMEOUT);
    }

    private CompletableFuture<JsonNode> callTool(String name, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> client.callTool(name, mapper.createObjectNode(), timeout,
                REQUEST_TIMEOUT), calls);
    }

    private static void assertCutOff(CompletableFuture<JsonNode> call) {
        Throwable cause = assertFailsPromptly(call, "MCP server 'slow': the call was cut off: " + REASON);
        assertInstanceOf(io.mcpagent.api.mcp.McpException.class, cause);
    }

    /** The call fails well before its request timeout, saying {@code message}; its cause, for further checks. */
    private static Throwable assertFailsPromptly(CompletableFuture<JsonNode> call, String message) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> call.get(PROMPTLY_SECONDS, TimeUnit.SECONDS));
        assertEquals(message, failure.getCause().getMessage());
        return failure.getCause();
    }

    /**
     * A 2026-07-28 server: discover is answered (declaring tools.listChanged when {@link #listChanged}); initialize
     * gets an empty answer that starts session s-1 (as a legacy server would), tool "silent" never gets response
     * headers, "half-json" gets headers and part of its body, "error-stall" the same for a 502, "open-stream" (and
     * subscriptions/listen) an event stream that stays open without an event, "resumed" an event stream that ends with
     * no answer; a GET (resuming it) or a DELETE gets no headers.
     */
    private Reply reply(Request request) {
        if (request.method().equals("DELETE") && deleteHalfAnswered) {
            return new Reply(Reply.head(200, "text/plain", 100) + "gone", true);
        }
        if (!request.method().equals("POST")) {
            return Reply.silence();
        }
        JsonNode message;
        try {
            message = mapper.readTree(request.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode id = message.get("id");
        if (id == null) {
            if (message.path("method").asText().equals("notifications/cancelled")) {
                cancellations.add(message.path("params"));
            }
            return cancellationsTaken || !message.path("method").asText().equals("notifications/cancelled")
                    ? Reply.accepted() : Reply.silence();
        }
        return switch (message.path("method").asText() + " " + message.path("params").path("name").asText()) {
            case "server/discover " -> Reply.json("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"resultType\":"
                    + "\"complete\",\"supportedVersions\":[\"" + McpClient.MODERN_VERSION + "\"],\"capabilities\":"
                    + (listChanged ? "{\"tools\":{\"listChanged\":true}}" : "{}")
                    + ",\"serverInfo\":{\"name\":\"slow\",\"version\":\"1\"}}}");
            case "initialize " -> new Reply("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Mcp-Session-Id: s-1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false);
            case "subscriptions/listen " -> new Reply(Reply.head(200, "text/event-stream", -1), true);
            case "tools/call silent" -> Reply.silence();
            case "tools/call error-stall" -> new Reply("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 100\r\nConnection: close\r\n\r\nupstream", true);
            case "tools/call open-stream" -> new Reply(Reply.head(200, "text/event-stream", -1), true);
            case "tools/call half-json" -> new Reply(Reply.head(200, "application/json", 1000)
                    + "{\"jsonrpc\":\"2.0\",\"id\":" + id, true);
            case "tools/call resumed" -> new Reply(Reply.head(200, "text/event-stream", -1)
                    + "id: 1\nretry: 0\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                    + "\"params\":{\"level\":\"info\",\"data\":\"working\"}}\n\n", false);
            default -> Reply.json("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":"
                    + "\"no such method\"}}");
        };
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
