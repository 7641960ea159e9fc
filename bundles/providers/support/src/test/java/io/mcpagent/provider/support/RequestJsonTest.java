package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;

class RequestJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void parsesJsonOfAnyKind() {
        assertEquals("{\"a\":[1,2]}", RequestJson.parse(json, "acme", "{\"a\": [1, 2]}", "the schema").toString());
        assertEquals("\"text\"", RequestJson.parse(json, "acme", "\"text\"", "the schema").toString());
    }

    @Test
    void refusesInvalidJsonWithTheParsersReasonButNotTheText() {
        ProviderError error = assertThrows(ProviderException.class,
                () -> RequestJson.parse(json, "acme", "{\"key\": sk-secret", "the input schema of tool 'x'")).error();

        assertEquals(Category.INVALID_REQUEST, error.category());
        assertFalse(error.retryable());
        assertEquals(true, error.message().startsWith("provider 'acme': the input schema of tool 'x' is not valid JSON: "),
                error.message());
        assertFalse(error.message().contains("sk-secret"), error.message());
    }

    @Test
    void refusesAnEmptyText() {
        ProviderError error = assertThrows(ProviderException.class,
                () -> RequestJson.parse(json, "acme", "  ", "providerExtras 'x'")).error();

        assertEquals("provider 'acme': providerExtras 'x' is empty", error.message());
    }

    @Test
    void argumentsThatAreAnObjectStayAnObject() {
        assertEquals("{\"path\":\"a.md\"}", RequestJson.argumentsObject(json, "{\"path\": \"a.md\"}").toString());
    }

    @Test
    void otherArgumentsTravelAsText() {
        assertEquals("{\"raw_arguments\":\"[1,2]\"}", RequestJson.argumentsObject(json, "[1,2]").toString());
        assertEquals("{\"raw_arguments\":\"{broken\"}", RequestJson.argumentsObject(json, "{broken").toString());
        assertEquals("{\"raw_arguments\":\"\"}", RequestJson.argumentsObject(json, "").toString());
    }
}
