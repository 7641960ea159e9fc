package io.mcpagent.api.runtime;

import java.util.regex.Pattern;

/**
 * Messages of a JSON parser made fit for whoever wrote the JSON (an operator, a client, a model): Jackson quotes each
 * location as "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 3, column: 8]",
 * which names the parser's internals, not the input.
 */
public final class ParserMessages {
    /** A location as Jackson quotes it inside a message. */
    private static final Pattern QUOTED_LOCATION = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");

    private ParserMessages() {
    }

    /** {@code message} with each location it quotes cut to its line and column; null stays null. */
    public static String withoutSource(String message) {
        return message == null ? null : QUOTED_LOCATION.matcher(message).replaceAll("line $1, column $2");
    }
}
