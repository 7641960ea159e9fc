package io.mcpagent.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Masks secrets in text that is stored or shown to readers (the history, live execution events, console progress,
 * the LLM router's error texts): the shapes {@link Secrets#redact} knows, and the values every registered
 * {@link SecretHolder} holds now, replaced literally by {@link Secrets#MASK}, as written and as they read inside JSON
 * text (a quote or backslash escaped, once in a JSON string, twice in a JSON string holding JSON), so masking JSON
 * masks them too and leaves it JSON. Values shorter than
 * {@value #MIN_LITERAL_LENGTH} characters are not replaced: masking every {@code admin} or {@code 1234} in a text
 * would mangle it, and so short a value protects little.
 *
 * @since 1.4
 */
@ProviderType
public interface SecretMasker {
    /** The shortest held value that is masked literally. */
    int MIN_LITERAL_LENGTH = 8;

    /** The text with its secrets masked; null stays null. */
    String mask(String text);

    /**
     * How many of the first characters of {@code unfinished}, text still being written (a streamed answer), can be
     * masked and shown now: whole lines, so that a secret's shape, which lies within a line, is masked whole; and
     * none from the line where a held value starts that the text to come could complete, or that this cut would
     * split (a PEM key spans lines), so that no part of it is shown before it can be masked whole. Show the rest
     * once the text is finished.
     * <p>
     * This default, for a masker that holds no values, answers the whole lines.
     *
     * @since 1.7
     */
    default int showableLength(String unfinished) {
        return unfinished.lastIndexOf('\n') + 1;
    }

    /**
     * {@code masker}, or masking by pattern alone ({@link Secrets#redact}) when it is null: for the optional reference
     * of a bundle that masks text while the platform's masker is not there.
     */
    static SecretMasker orPatterns(SecretMasker masker) {
        return masker != null ? masker : Secrets::redact;
    }
}
