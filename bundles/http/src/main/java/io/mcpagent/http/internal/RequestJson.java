package io.mcpagent.http.internal;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How the routes read request bodies: one JSON value with nothing after it, and no member given twice (of
 * {@code {"task":"a","task":"b"}} one would be dropped unseen).
 */
final class RequestJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * For bodies passed on to someone else (a tool's arguments): numbers stay as written. Read as doubles,
     * {@code 1e400} would reach the server as the string "Infinity" and {@code 0.1000000000000000000001} as 0.1.
     */
    static final ObjectReader EXACT_NUMBERS = MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    private RequestJson() {
    }
}
