package io.mcpagent.benchmarks.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A model speaking OpenAI's Chat Completions wire format (non-streaming) on 127.0.0.1: a request whose messages hold
 * no tool result is answered with one {@code get_weather} tool call, a request holding the tool result with the
 * final text. Both answers are fixed bytes, so the server costs the same for every client. Requests are handled on
 * the server's dispatcher thread (one connection in flight per client is all the benchmark needs).
 */
final class FakeOpenAiServer implements AutoCloseable {
    static final String PATH = "/v1/chat/completions";
    private static final Pattern TOOL_RESULT = Pattern.compile("\"role\"\\s*:\\s*\"tool\"");

    static final byte[] TOOL_CALL_ANSWER = ("{\"id\":\"chatcmpl-bench-1\",\"object\":\"chat.completion\","
            + "\"created\":1764000000,\"model\":\"" + Weather.MODEL + "\",\"choices\":[{\"index\":0,\"message\":{"
            + "\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_bench_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"" + Weather.TOOL + "\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
            + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":61,\"completion_tokens\":15,"
            + "\"total_tokens\":76}}").getBytes(StandardCharsets.UTF_8);
    static final byte[] FINAL_ANSWER = ("{\"id\":\"chatcmpl-bench-2\",\"object\":\"chat.completion\","
            + "\"created\":1764000001,\"model\":\"" + Weather.MODEL + "\",\"choices\":[{\"index\":0,\"message\":{"
            + "\"role\":\"assistant\",\"content\":\"" + Weather.ANSWER + "\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":92,\"completion_tokens\":12,\"total_tokens\":104}}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final AtomicLong toolCallAnswers = new AtomicLong();
    private final AtomicLong finalAnswers = new AtomicLong();
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private volatile boolean recording;

    FakeOpenAiServer() throws IOException {
        // The JDK server writes headers and body separately: without TCP_NODELAY, Nagle plus the client's delayed ACK
        // would add tens of milliseconds to an answer. Read when the server class first loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext(PATH, this::handle);
        server.setExecutor(null);
        server.start();
    }

    /** The base URL clients are configured with, ending in /v1. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    String chatUrl() {
        return baseUrl() + "/chat/completions";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            clientPorts.add(exchange.getRemoteAddress().getPort());
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (recording) {
                recorded.add(body);
            }
            byte[] answer;
            if (TOOL_RESULT.matcher(body).find()) {
                answer = FINAL_ANSWER;
                finalAnswers.incrementAndGet();
            } else {
                answer = TOOL_CALL_ANSWER;
                toolCallAnswers.incrementAndGet();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("x-request-id", "req-bench");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** Starts keeping request bodies (cleared). */
    void record() {
        recorded.clear();
        recording = true;
    }

    /** Stops keeping request bodies and returns those kept since {@link #record()}. */
    List<String> stopRecording() {
        recording = false;
        return List.copyOf(recorded);
    }

    /** How many connections clients opened (distinct client ports seen): keep-alive keeps this near one per client. */
    int connections() {
        return clientPorts.size();
    }

    long toolCallAnswers() {
        return toolCallAnswers.get();
    }

    long finalAnswers() {
        return finalAnswers.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
