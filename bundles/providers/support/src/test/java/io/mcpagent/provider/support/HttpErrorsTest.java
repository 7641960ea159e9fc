package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class HttpErrorsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anErrorBodyIsParsedWhenItIsJsonAndIsNullWhenNot() {
        assertEquals("overloaded", HttpErrors.json(json, "{\"error\":{\"type\":\"overloaded\"}}")
                .path("error").path("type").asText());
        assertTrue(HttpErrors.json(json, "[{\"error\":{}}]").isArray(), "Gemini's errors come as an array");
        assertNull(HttpErrors.json(json, null));
        assertNull(HttpErrors.json(json, "  "));
        assertNull(HttpErrors.json(json, "<html>502 Bad Gateway</html>"));
        assertNull(HttpErrors.json(json, "{\"error\":"));
    }

    @Test
    void anObjectIsAskedForItIsNullForOtherJson() {
        assertEquals("x", HttpErrors.object(json, "{\"message\":\"x\"}").path("message").asText());
        assertNull(HttpErrors.object(json, "[1]"));
        assertNull(HttpErrors.object(json, "\"text\""));
        assertNull(HttpErrors.object(json, "not json"));
    }
}
