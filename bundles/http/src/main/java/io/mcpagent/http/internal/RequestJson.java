package io.mcpagent.http.internal;

import java.io.IOException;
import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.mcpagent.api.runtime.ParserMessages;

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

    /**
     * {@code body} read by {@code reader} ({@link #MAPPER}'s or {@link #EXACT_NUMBERS}); null when it is empty. A body
     * that is not valid JSON is a 400 saying where (line and column), what the parser found and what to {@code send};
     * its {@code field} is the member it was in, when in one (a JSON pointer, e.g. {@code /task} of a task given
     * twice).
     */
    static JsonNode read(ObjectReader reader, byte[] body, String send) throws ApiError {
        try {
            return reader.readTree(body);
        } catch (JsonProcessingException e) {
            String message = "the body is not valid JSON" + at(e.getLocation()) + ": "
                    + ParserMessages.withoutSource(e.getOriginalMessage()) + "; send " + send;
            String member = e.getProcessor() instanceof JsonParser parser ? memberOf(parser, e) : "";
            throw member.isEmpty() ? ApiError.badRequest(message) : ApiError.invalid(member, message);
        } catch (IOException e) {
            throw ApiError.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    /**
     * The pointer of the member or element whose value (or name, given twice) the parser failed in; of their object or
     * array where it failed between two of them or after the last ({@code {"task":"hi",}}, or {@code {"task":"hi"}
     * cut short, is no mistake of {@code task}'s). The parser has read a member's value before it reports its name, so
     * only its words tell the two apart.
     */
    private static String memberOf(JsonParser parser, JsonProcessingException e) {
        JsonStreamContext context = parser.getParsingContext();
        String problem = String.valueOf(e.getOriginalMessage());
        boolean between = problem.contains("to start field name") || problem.contains("to separate Object entries")
                || problem.contains("to separate Array entries") || problem.contains("expected close marker");
        return (between && context.getParent() != null ? context.getParent() : context).pathAsPointer().toString();
    }

    /**
     * The whole number {@code node} is, from {@code min} to {@code max}; null when it is none (a fraction, a string)
     * or out of that range. JSON has one kind of number, so 30, 30.0 and 3e1 are one number: clients that write every
     * number with a point (Python's floats) send 30.0. Compared as a decimal before it is converted, so that a huge
     * exponent ({@code 1e1000000000}) is out of range at once, never expanded.
     */
    static Long wholeNumber(JsonNode node, long min, long max) {
        if (!node.isNumber() || ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue()))) {
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            return null;
        }
        BigDecimal whole = value.stripTrailingZeros();
        return whole.scale() > 0 ? null : whole.longValueExact();
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
