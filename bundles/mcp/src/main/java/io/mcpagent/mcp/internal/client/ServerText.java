package io.mcpagent.mcp.internal.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;

/**
 * Masks what a server wrote or answered (its output, an error body, a failure quoting them) before it is logged or
 * kept: a server may repeat the token it was given, as an HTTP server answering 500 with the request's headers does.
 */
public final class ServerText {
    private ServerText() {
    }

    /**
     * {@code text} with the values the server holds ({@code heldValues}: its credential headers, environment, OAuth
     * secret) replaced, longest first so a value holding another is masked whole, then the shapes
     * {@link Secrets#redact} knows; values shorter than {@link SecretMasker#MIN_LITERAL_LENGTH} stay, as the
     * platform's masker leaves them. Null stays null.
     */
    public static String masked(String text, Collection<String> heldValues) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String value : heldValues.stream().filter(Objects::nonNull)
                .filter(value -> value.length() >= SecretMasker.MIN_LITERAL_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            masked = masked.replace(value, Secrets.MASK);
        }
        return Secrets.redact(masked);
    }

    /**
     * A copy of {@code value} whose strings (values and field names) are {@link #masked(String, Collection)}: masking
     * each string, not the JSON text, keeps the JSON valid. Numbers, booleans and null stay.
     */
    public static JsonNode masked(JsonNode value, Collection<String> heldValues) {
        if (value.isTextual()) {
            return TextNode.valueOf(masked(value.textValue(), heldValues));
        }
        if (value.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            value.forEach(element -> copy.add(masked(element, heldValues)));
            return copy;
        }
        if (value.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            value.fields().forEachRemaining(field -> copy.set(masked(field.getKey(), heldValues),
                    masked(field.getValue(), heldValues)));
            return copy;
        }
        return value;
    }

    /**
     * A stand-in for {@code failure} that a log may print whole: each of its causes is kept with its stack trace, and
     * its message is the original's {@code toString()} {@link #masked(String, Collection) masked}. A failure quoting
     * what it was given (a provider's error repeating a key) shows where it came from, without the secret.
     */
    public static Throwable masked(Throwable failure, Collection<String> heldValues) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        MaskedFailure copy = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            copy = new MaskedFailure(masked(chain.get(i).toString(), heldValues), chain.get(i).getStackTrace(), copy);
        }
        return copy;
    }

    /** A masked failure: prints as the original did ({@code class: message}), with its stack trace. */
    private static final class MaskedFailure extends Exception {
        private static final long serialVersionUID = 1L;

        MaskedFailure(String maskedText, StackTraceElement[] stack, MaskedFailure cause) {
            super(maskedText, cause);
            setStackTrace(stack);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
