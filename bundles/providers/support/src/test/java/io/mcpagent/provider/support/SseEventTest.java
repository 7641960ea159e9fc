package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@link SseEvent#jsonObject}: a provider's stream event as JSON, or the family's error of a malformed event. */
class SseEventTest {
    private final ObjectMapper json = new ObjectMapper();

    private String failure(String data) {
        return assertThrows(IllegalStateException.class, () -> new SseEvent(null, "delta", data)
                .jsonObject(json, "a stream event 'delta'", (what, raw) -> new IllegalStateException(what + " | " + raw)))
                .getMessage();
    }

    @Test
    void anObjectIsReturned() {
        assertEquals("x", new SseEvent(null, "delta", "{\"text\":\"x\"}")
                .jsonObject(json, "a stream event 'delta'", (what, raw) -> new IllegalStateException(what))
                .path("text").asText());
    }

    @Test
    void whatIsNoJsonObjectIsTheFamilysErrorWithTheData() {
        assertEquals("a stream event 'delta' is not JSON (Unexpected end-of-input within/between Object entries)"
                + " | {\"text\":", failure("{\"text\":"));
        assertEquals("a stream event 'delta' is not a JSON object | \"text\"", failure("\"text\""));
        assertEquals("a stream event 'delta' is not a JSON object | ", failure(""));
    }
}
