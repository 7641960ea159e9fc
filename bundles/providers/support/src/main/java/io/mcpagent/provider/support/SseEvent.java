package io.mcpagent.provider.support;

import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One dispatched server-sent event; {@code id} is the stream's last event id at dispatch (may be null). */
public record SseEvent(String id, String event, String data) {
    /**
     * The data as a JSON object, as a provider's stream event must be. Data that is not JSON, or JSON of another type,
     * fails with what {@code malformed} makes of {@code <what> is not JSON (<the parser's reason>)} or
     * {@code <what> is not a JSON object} and the data: the family's error of a malformed event.
     *
     * @param what how the family's errors name the event, e.g. {@code a stream event 'message_start'}
     * @since 2.19
     */
    public JsonNode jsonObject(ObjectMapper json, String what,
                               BiFunction<String, String, ? extends RuntimeException> malformed) {
        JsonNode parsed;
        try {
            parsed = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw malformed.apply(MalformedAnswers.notJson(what, e), data);
        }
        if (parsed == null || !parsed.isObject()) {
            throw malformed.apply(what + " is not a JSON object", data);
        }
        return parsed;
    }
}
