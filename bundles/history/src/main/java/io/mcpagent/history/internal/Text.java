package io.mcpagent.history.internal;

import java.util.regex.Pattern;

import io.mcpagent.api.security.SecretMasker;

/** Keeps stored text within its column (longer text is cut and ends with a marker) and its secrets masked. */
final class Text {
    /** The most characters kept of a task, output, error or step detail. */
    static final int MAX_LONG = 65_536;
    static final String TRUNCATED = "… (truncated)";
    private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\R\\s*");

    private final SecretMasker masker;

    /** @param masker masks the configured secrets and the shapes of secrets in text before it is stored */
    Text(SecretMasker masker) {
        this.masker = masker;
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

    /**
     * {@code text} on one line, each line break with the white space around it one space: for a problem and a log line
     * (H2 puts the statement of its message on a line of its own).
     */
    static String oneLine(String text) {
        return LINE_BREAK.matcher(text).replaceAll(" ");
    }

    /** Redacted, then capped at {@link #MAX_LONG}: masking first, so a cut never leaves half a secret unmasked. */
    String safe(String text) {
        return safe(text, MAX_LONG);
    }

    /** Redacted, then capped at {@code max}. */
    String safe(String text, int max) {
        return cap(mask(text), max);
    }

    /** Masked, not capped: for JSON, which a cut would break. */
    String mask(String text) {
        return masker.mask(text);
    }
}
