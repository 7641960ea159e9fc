package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

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

    static byte[] readBounded(InputStream in, String serverId, int maxMessageBytes) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(maxMessageBytes + 1);
            if (bytes.length > maxMessageBytes) {
                throw new MessageTooLargeException(serverId, maxMessageBytes);
            }
            return bytes;
        }
    }

    /** An event-stream reader whose oversized event fails as an oversized JSON body or stdio line does. */
    static SseDecoder sseDecoder(InputStream in, String serverId, int maxMessageBytes) {
        return new SseDecoder(in, maxMessageBytes, () -> new MessageTooLargeException(serverId, maxMessageBytes));
    }

    static String snippet(InputStream in) {
        try (in) {
            return new String(in.readNBytes(2048), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
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
