package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;

class AnswerTextTest {
    private final ObjectMapper json = new ObjectMapper();
    private final Function<String, ProviderException> malformed =
            what -> new ProviderException(ProviderError.of(Category.SERVER, "a block's " + what));

    private String text(String block) throws Exception {
        return AnswerText.of(json.readTree(block), "text", malformed);
    }

    @Test
    void aStringIsTheTextAndNoneOrNullIsEmpty() throws Exception {
        assertEquals("Hello", text("{\"text\":\"Hello\"}"));
        assertEquals("", text("{}"));
        assertEquals("", text("{\"text\":null}"));
    }

    @Test
    void anyOtherTypeIsMalformedNamingTheFieldAndTheType() throws Exception {
        Map<String, String> kinds = Map.of("{\"a\":1}", "object", "[\"x\"]", "array", "5", "number", "true", "boolean");
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            JsonNode block = json.readTree("{\"text\":" + kind.getKey() + "}");
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> AnswerText.of(block, "text", malformed));
            assertEquals("a block's text is a JSON " + kind.getValue() + ", not a string", failure.error().message());
        }
    }
}
