package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class AnswerJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyCounterIsKeptByItsDottedPathAndAFractionIsRounded() throws Exception {
        Map<String, Long> counters = AnswerJson.counters(json.readTree("""
                {"prompt_tokens": 12, "billed_units": {"input_tokens": 37.0, "output_tokens": 4.6},
                 "prompt_tokens_details": {"cached_tokens": 3, "note": "x", "list": [1]}, "flag": true}"""));

        assertEquals(Map.of("prompt_tokens", 12L, "billed_units.input_tokens", 37L, "billed_units.output_tokens", 5L,
                "prompt_tokens_details.cached_tokens", 3L), counters);
    }

    @Test
    void anythingButAnObjectHasNoCounters() throws Exception {
        assertEquals(Map.of(), AnswerJson.counters(null));
        assertEquals(Map.of(), AnswerJson.counters(json.readTree("[1, 2]")));
        assertEquals(Map.of(), AnswerJson.counters(json.readTree("7")));
    }

    @Test
    void aPartIsWrittenAsJsonText() throws Exception {
        assertEquals("{\"a\":[1,\"b\"]}", AnswerJson.write(json, json.readTree("{ \"a\" : [1, \"b\"] }")));
    }
}
