package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.SseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What both HTTP transports share: configured headers, bounded body reads, SSE event decoding. */
final class HttpSupport {
    /** Headers the transports set themselves; configuration may not override them. */
    private static final Set<String> RESERVED = Set.of("content-type", "accept", "mcp-session-id",
            "mcp-protocol-version", "last-event-id", "content-length", "host", "connection");

    private HttpSupport() {
    }

    static void addConfiguredHeaders(HttpRequest.Builder builder, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (!RESERVED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                builder.header(name, value);
            }
        });
    }

    /** The body, refused when it is over {@code maxMessageBytes}, which is raised {@code configuredIn}. */
    static byte[] readBounded(InputStream in, String configuredIn, int maxMessageBytes) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(maxMessageBytes + 1);
            if (bytes.length > maxMessageBytes) {
                throw new MessageTooLargeException(configuredIn, maxMessageBytes);
            }
            return bytes;
        }
    }

    /** An event-stream reader whose oversized event fails as an oversized JSON body or stdio line does. */
    static SseDecoder sseDecoder(InputStream in, String configuredIn, int maxMessageBytes) {
        return new SseDecoder(in, maxMessageBytes, () -> new MessageTooLargeException(configuredIn, maxMessageBytes));
    }

    static String snippet(InputStream in) {
        try (in) {
            return new String(in.readNBytes(2048), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * {@link #snippet(InputStream)} within {@code timeout}, for a caller that waits for it: a server that sends an
     * error's headers and then stalls must not hold the caller past its call's timeout. A late body is closed and the
     * snippet says it is missing.
     */
    static String snippet(InputStream in, Duration timeout) throws InterruptedIOException {
        return snippet(in, System.nanoTime() + timeout.toNanos(), timeout);
    }

    /**
     * As {@link #snippet(InputStream, Duration)}, until {@code deadline} ({@link System#nanoTime()}), the end of the
     * {@code timeout} the sending had in all, which a missing body names.
     */
    static String snippet(InputStream in, long deadline, Duration timeout) throws InterruptedIOException {
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> snippet(in),
                task -> Thread.ofVirtual().name("mcp-http-error-body").start(task));
        try {
            return read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            closeQuietly(in);
            return "(the body did not arrive within " + timeout.toMillis() + " ms)";
        } catch (InterruptedException e) {
            closeQuietly(in);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading an HTTP error body");
        } catch (ExecutionException e) {
            // snippet(in) throws nothing
            throw new IllegalStateException("reading an error body failed", e.getCause());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // its reader ends either way
        }
    }

    static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("content-type").orElse("").toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses an event's data as one message or a batch; null for data that is not JSON (logged by the caller). */
    static JsonNode parseEventData(ObjectMapper mapper, SseEvent event) {
        if (!"message".equals(event.event()) || event.data().isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(event.data());
        } catch (IOException e) {
            return null;
        }
    }
}
