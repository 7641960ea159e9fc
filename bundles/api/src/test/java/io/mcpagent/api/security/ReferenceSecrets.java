package io.mcpagent.api.security;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Secrets} as it was before its patterns were checked for before running them and its key names were matched
 * without backtracking, kept to show that {@link Secrets#redact} still masks exactly as this did
 * ({@link SecretsSamenessTest}).
 */
final class ReferenceSecrets {
    /** What a secret is replaced by. */
    static final String MASK = "[redacted]";

    /** A name that says its value is a secret; it must end the key, so {@code max_tokens} and {@code tokenizer} pass. */
    private static final String SENSITIVE_WORD = "(?:api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key"
            + "|password|passwd|passphrase|secret|token|authorization|credentials?|cookie)";
    private static final String KEY = "[A-Za-z0-9_.-]*" + SENSITIVE_WORD;

    /** {@code "apiKey": "value"}; the value may hold escaped characters. */
    private static final Pattern JSON_FIELD = Pattern.compile(
            "(\"" + KEY + "\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*(\")", Pattern.CASE_INSENSITIVE);
    /** The same inside a JSON string that holds JSON: {@code \"apiKey\": \"value\"}. */
    private static final Pattern ESCAPED_JSON_FIELD = Pattern.compile(
            "(\\\\\"" + KEY + "\\\\\"\\s*:\\s*\\\\\")(?:.*?)(\\\\\")", Pattern.CASE_INSENSITIVE);
    /** {@code password=x}, {@code x-api-key: x}, {@code Authorization: Bearer x}, {@code token="x"}; the value ends
     *  at white space, a quote, a separator ({@code & , ;}) or a backslash (so escapes in JSON text stay intact). */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?<![A-Za-z0-9_.-])(" + KEY + ")(\\s*[=:]\\s*)([\"']?)(?:(?:Bearer|Basic|Token|Digest)\\s+)?"
                    + "[^\\s\"'&,;\\\\]+", Pattern.CASE_INSENSITIVE);
    /**
     * A Gogo command such as {@code apikey:list}: a lower-case scope, a colon and a lower-case function, nothing around
     * the colon. {@link #KEY_VALUE} would take it for a pair and mask the function, so an audit entry's command would
     * read {@code apikey:[redacted]}. The price: a lower-case secret of letters only written right after such a colon
     * ({@code password:letmein}) stays; with a digit, a capital, a space or {@code =} it is masked.
     */
    private static final Pattern COMMAND_NAME = Pattern.compile("[a-z]+:[a-z]+");
    /** The word {@code Bearer} and what follows it but a full stop; {@link #TOKEN_LIKE} decides whether that is a token. */
    private static final Pattern BEARER = Pattern.compile("\\b(Bearer\\s+)([A-Za-z0-9._~+/-]*[A-Za-z0-9_~+/-]=*)", Pattern.CASE_INSENSITIVE);
    /**
     * A bearer token, not a word: at least 8 characters with a digit, one of {@code _ ~ + / =}, or a capital after a
     * small letter, as random tokens have; so "JWT bearer tokens are off" stays. The price: a bearer token of only
     * small letters (or hyphenated words) is not masked by this pattern.
     */
    private static final Pattern TOKEN_LIKE = Pattern.compile("(?=.{8,}).*(?:[0-9_~+/=]|[a-z][A-Z]).*");
    /** {@code scheme://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[a-z][a-z0-9+.-]*://[^\\s/@:\"]+:)[^\\s/@\"]+(@)",
            Pattern.CASE_INSENSITIVE);
    private static final List<Pattern> SHAPED_KEYS = List.of(
            Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"),                        // OpenAI, Anthropic (sk-ant-...)
            Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),                 // AWS access key ids
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}"),                   // GitHub tokens
            Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{30,}"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),                        // Google API keys
            Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}"),                 // Slack tokens
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+"), // JWTs
            Pattern.compile("\\bmcpa_[A-Za-z0-9]+_[A-Za-z0-9_-]{16,}"));      // this platform's API keys

    private ReferenceSecrets() {
    }

    /** The text with its secrets masked; null stays null. */
    static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = JSON_FIELD.matcher(text).replaceAll("$1" + MASK + "$2");
        result = ESCAPED_JSON_FIELD.matcher(result).replaceAll("$1" + MASK + "$2");
        result = KEY_VALUE.matcher(result).replaceAll(pair -> COMMAND_NAME.matcher(pair.group()).matches()
                ? Matcher.quoteReplacement(pair.group()) : "$1$2$3" + MASK);
        result = BEARER.matcher(result).replaceAll(bearer -> TOKEN_LIKE.matcher(bearer.group(2)).matches()
                ? "$1" + MASK : Matcher.quoteReplacement(bearer.group()));
        result = URL_PASSWORD.matcher(result).replaceAll("$1" + MASK + "$2");
        for (Pattern shape : SHAPED_KEYS) {
            result = shape.matcher(result).replaceAll(MASK);
        }
        return result;
    }
}
