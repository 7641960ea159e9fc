package io.mcpagent.history.internal;

import io.mcpagent.api.security.Secrets;

/** Keeps stored text within its column: longer text is cut and ends with a marker. */
final class Text {
    /** The most characters kept of a task, output, error or step detail. */
    static final int MAX_LONG = 65_536;
    static final String TRUNCATED = "… (truncated)";

    private Text() {
    }

    /** {@code text} if it has at most {@code max} characters, else its start followed by {@value #TRUNCATED}, {@code max}
     *  characters in all. */
    static String cap(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int keep = Math.max(0, max - TRUNCATED.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        return text.substring(0, keep) + TRUNCATED;
    }

    /** Redacted, then capped at {@link #MAX_LONG}: masking first, so a cut never leaves half a secret unmasked. */
    static String safe(String text) {
        return safe(text, MAX_LONG);
    }

    /** Redacted, then capped at {@code max}. */
    static String safe(String text, int max) {
        return cap(Secrets.redact(text), max);
    }
}
