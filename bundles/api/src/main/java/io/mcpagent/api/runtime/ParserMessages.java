package io.mcpagent.api.runtime;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Messages of a JSON parser made fit for whoever wrote the JSON (an operator, a client, a model): Jackson quotes each
 * location as "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 3, column: 8]",
 * which names the parser's internals, not the input.
 */
public final class ParserMessages {
    /** A location as Jackson quotes it inside a message. */
    private static final Pattern QUOTED_LOCATION = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");

    /**
     * The parser's own words for a rule of JSON, each with what it says in plain terms: Jackson names its classes and
     * features ("bound as `com.fasterxml.jackson.databind.JsonNode`", "enable `JsonReadFeature...` to allow"), which
     * say nothing to whoever wrote the JSON and cannot be enabled by them.
     */
    private static final List<Map.Entry<Pattern, String>> INTERNALS = List.of(
            Map.entry(Pattern.compile(" ?\\(bound as `[^`]*`\\)"), ""),
            Map.entry(Pattern.compile(": not allowed as per `DeserializationFeature\\.FAIL_ON_TRAILING_TOKENS`"),
                    ": a JSON text holds one value only"),
            Map.entry(Pattern.compile(": enable `JsonReadFeature\\.ALLOW_NON_NUMERIC_NUMBERS` to allow"),
                    ": JSON has no such number"),
            Map.entry(Pattern.compile(" ?\\(not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for"
                    + " parser\\)"), " JSON has no comments"),
            Map.entry(Pattern.compile("Name length \\(\\d+\\) exceeds the maximum allowed \\((\\d+)"),
                    "A member name exceeds the maximum length allowed \\($1"),
            Map.entry(Pattern.compile(", from `StreamReadConstraints\\.[^`]*`"), ""));

    private ParserMessages() {
    }

    /**
     * {@code message} with each location it quotes cut to its line and column, and the parser's names of its own
     * classes and features (since 1.24.1) put in plain words; null stays null.
     */
    public static String withoutSource(String message) {
        if (message == null) {
            return null;
        }
        String plain = QUOTED_LOCATION.matcher(message).replaceAll("line $1, column $2");
        for (Map.Entry<Pattern, String> internal : INTERNALS) {
            plain = internal.getKey().matcher(plain).replaceAll(internal.getValue());
        }
        return plain;
    }
}
