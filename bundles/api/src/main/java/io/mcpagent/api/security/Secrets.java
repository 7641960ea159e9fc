package io.mcpagent.api.security;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in text that is stored or shown to readers (the history's tasks, outputs, errors, step details and
 * JSON; live execution events) by {@value #MASK}:
 * values of sensitive JSON fields and {@code key=value} / {@code key: value} pairs, token-like text after {@code Bearer},
 * passwords in URLs, and keys with a recognisable shape (OpenAI/Anthropic {@code sk-}, AWS {@code AKIA}/{@code ASIA},
 * GitHub, Google {@code AIza}, Slack {@code xox?-}, JWTs, and this platform's own {@code mcpa_<id>_<secret>}). JSON stays valid JSON: only the inside of a string is
 * replaced. It errs on the side of masking: a field named {@code token} that held no secret is masked too.
 */
public final class Secrets {
    /** What a secret is replaced by. */
    public static final String MASK = "[redacted]";

    /** A name that says its value is a secret; it must end the key, so {@code max_tokens} and {@code tokenizer} pass. */
    private static final String SENSITIVE_WORD = "(?:api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key"
            + "|password|passwd|passphrase|secret|token|authorization|credentials?|cookie)";
    /**
     * A run of name characters ending with a sensitive word. Every pattern follows it with a character that cannot be
     * in the run ({@code "}, {@code \}, white space, {@code =} or {@code :}), so the run is taken whole and never given
     * back, and the word is looked for once, at its end ({@code [A-Za-z0-9_.-]*} followed by the word gave back the run
     * a character at a time and tried every word at each). The words' last two letters are looked for first: the
     * look for a whole word tries each of its lengths.
     */
    private static final String KEY = "[A-Za-z0-9_.-]*+(?<=ey|rd|wd|se|ie|et|en|on|al|ls)(?<=" + SENSITIVE_WORD + ")";
    /** How the sensitive words end, in lower case: a key name ends with one of them. */
    private static final Words KEY_NAME_ENDINGS = new Words("key", "password", "passwd", "passphrase", "secret",
            "token", "authorization", "credential", "credentials", "cookie");
    /** What {@code \s} matches in the patterns. */
    private static final String WHITE_SPACE = " \t\n\u000B\f\r";

    /**
     * {@code "apiKey": "value"}; the value may hold escaped characters. Its loop is possessive: a greedy loop over a
     * group recurses once per character and overflowed the stack on a value of 700 characters (the distribution runs
     * with {@code -Xss512k}); giving characters back could never put an unescaped {@code "} next, so nothing is lost.
     */
    private static final Pattern JSON_FIELD = Pattern.compile(
            "(\"" + KEY + "\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*+(\")", Pattern.CASE_INSENSITIVE);
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
    private static final Words BEARER_CLUE = new Words("bearer");
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
    /** Where {@link #URL_PASSWORD}'s scheme may begin: a letter after a word boundary. */
    private static final Pattern SCHEME_START = Pattern.compile("\\b[a-z]", Pattern.CASE_INSENSITIVE);
    /** A JSON Web Token: header and payload (JSON objects, so {@code eyJ} in base64url) and signature. */
    private static final Pattern JWT = Pattern.compile(
            "\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+");
    /** Where a {@link #JWT} may begin. */
    private static final Pattern JWT_START = Pattern.compile("\\beyJ");
    private static final List<Shape> SHAPED_KEYS = List.of(
            new Shape("\\bsk-[A-Za-z0-9_-]{16,}", "sk-"),                    // OpenAI, Anthropic (sk-ant-...)
            new Shape("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b", "AKIA", "ASIA"),     // AWS access key ids
            new Shape("\\bgh[pousr]_[A-Za-z0-9]{30,}", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"), // GitHub tokens
            new Shape("\\bgithub_pat_[A-Za-z0-9_]{30,}", "github_pat_"),
            new Shape("\\bAIza[0-9A-Za-z_-]{35}", "AIza"),                    // Google API keys
            new Shape("\\bxox[abprs]-[A-Za-z0-9-]{10,}", "xox"),             // Slack tokens
            new Shape(List.of("eyJ"), Secrets::maskJwts),                  // JWTs
            new Shape("\\bmcpa_[A-Za-z0-9]+_[A-Za-z0-9_-]{16,}", "mcpa_"));  // this platform's API keys

    /** A key shape's masking and the literal text every match begins with, looked for before masking. */
    private record Shape(List<String> prefixes, UnaryOperator<String> masking) {
        Shape(String regex, String... prefixes) {
            this(List.of(prefixes), maskingAll(Pattern.compile(regex)));
        }

        private static UnaryOperator<String> maskingAll(Pattern pattern) {
            return text -> pattern.matcher(text).replaceAll(MASK);
        }

        boolean mayMatch(String text) {
            return prefixes.stream().anyMatch(text::contains);
        }
    }

    private Secrets() {
    }

    /** The text with its secrets masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // Each pattern runs only on a text that holds what every match of it holds (most texts hold no secret); the
        // checks look at the text as the patterns before left it, so the result is that of running them all.
        String result = text;
        if (holdsKeyName(result)) {
            if (result.indexOf('"') >= 0) {
                result = JSON_FIELD.matcher(result).replaceAll("$1" + MASK + "$2");
            }
            if (result.contains("\\\"")) {
                result = ESCAPED_JSON_FIELD.matcher(result).replaceAll("$1" + MASK + "$2");
            }
            if (result.indexOf('=') >= 0 || result.indexOf(':') >= 0) {
                result = KEY_VALUE.matcher(result).replaceAll(pair -> COMMAND_NAME.matcher(pair.group()).matches()
                        ? Matcher.quoteReplacement(pair.group()) : "$1$2$3" + MASK);
            }
        }
        if (BEARER_CLUE.in(result, end -> true)) {
            result = BEARER.matcher(result).replaceAll(bearer -> TOKEN_LIKE.matcher(bearer.group(2)).matches()
                    ? "$1" + MASK : Matcher.quoteReplacement(bearer.group()));
        }
        if (result.indexOf('@') >= 0) {
            result = maskUrlPasswords(result);
        }
        for (Shape shape : SHAPED_KEYS) {
            if (shape.mayMatch(result)) {
                result = shape.masking().apply(result);
            }
        }
        return result;
    }

    /**
     * {@link #URL_PASSWORD}'s passwords masked, its matches looked for from each {@code ://}. Its scheme is the whole
     * run of scheme characters before {@code ://} from any letter after a word boundary in that run, so the first such
     * letter stands for all of them: it matches if any does. Left to itself the pattern tried every such letter in
     * turn, each to the end of the run, which took seconds in a 50 KB run of {@code a.a.a.}.
     */
    private static String maskUrlPasswords(String text) {
        Matcher url = URL_PASSWORD.matcher(text).useTransparentBounds(true);
        Matcher schemeStart = SCHEME_START.matcher(text).useTransparentBounds(true);
        StringBuilder masked = new StringBuilder();
        int copied = 0;
        for (int separator = text.indexOf("://"); separator >= 0; separator = text.indexOf("://", separator + 1)) {
            int start = separator;
            while (start > copied && isSchemeCharacter(text.charAt(start - 1))) {
                start--;
            }
            while (start < separator && !schemeStart.region(start, text.length()).lookingAt()) {
                start++;
            }
            if (start < separator && url.region(start, text.length()).lookingAt()) {
                masked.append(text, copied, url.end(1)).append(MASK).append('@');
                copied = url.end();
            }
        }
        return copied == 0 ? text : masked.append(text, copied, text.length()).toString();
    }

    /**
     * {@link #JWT}s masked, tried once per run of base64url characters: from its first {@code eyJ} after a word
     * boundary. The header goes to the end of the run, so a later such {@code eyJ} in the run reaches the same end
     * and fares the same, or had been masked with the first. Left to itself the pattern tried each of them to the end
     * of the run, which took 13 s in 100 KB of {@code eyJaa-}.
     */
    private static String maskJwts(String text) {
        Matcher jwt = JWT.matcher(text).useTransparentBounds(true);
        Matcher jwtStart = JWT_START.matcher(text).useTransparentBounds(true);
        StringBuilder masked = new StringBuilder();
        int copied = 0;
        for (int start = text.indexOf("eyJ"); start >= 0; start = text.indexOf("eyJ", start)) {
            if (!jwtStart.region(start, text.length()).lookingAt()) {
                start++;
            } else if (jwt.region(start, text.length()).lookingAt()) {
                masked.append(text, copied, start).append(MASK);
                copied = start = jwt.end();
            } else {
                while (start < text.length() && isBase64UrlCharacter(text.charAt(start))) {
                    start++;
                }
            }
        }
        return copied == 0 ? text : masked.append(text, copied, text.length()).toString();
    }

    /** {@code [A-Za-z0-9_-]}. */
    private static boolean isBase64UrlCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    /** {@code [a-z0-9+.-]} as {@link #URL_PASSWORD} reads it, ignoring the case of ASCII letters only. */
    private static boolean isSchemeCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-';
    }

    /**
     * Whether the text holds a key name as the patterns take it: a sensitive word's ending right before {@code "},
     * {@code \} or, after any white space, {@code =} or {@code :}. So {@code "inputTokens": 300} and
     * {@code max_tokens=100}, frequent in events, are passed over without running the patterns.
     */
    private static boolean holdsKeyName(String text) {
        return KEY_NAME_ENDINGS.in(text, end -> {
            int next = end;
            while (next < text.length() && WHITE_SPACE.indexOf(text.charAt(next)) >= 0) {
                next++;
            }
            return next < text.length() && "\"\\=:".indexOf(text.charAt(next)) >= 0;
        });
    }

    /** Lower-case words looked for in any case, and which pairs of ASCII letters they begin with. */
    private static final class Words {
        private final List<String> words;
        private final boolean[] beginnings = new boolean[128 * 128];

        Words(String... words) {
            this.words = List.of(words);
            for (String word : words) {
                beginnings[word.charAt(0) << 7 | word.charAt(1)] = true;
            }
        }

        /**
         * Whether the text holds one of the words, where {@code endsWell} takes the index after it. The patterns
         * ignore the case of ASCII letters only; {@link String#regionMatches(boolean, int, String, int, int)} ignores
         * more, which can only run a pattern for nothing. Each pair of characters is first looked up among the words'
         * beginnings: most texts have many words to pass over.
         */
        boolean in(String text, IntPredicate endsWell) {
            for (int i = 0; i + 1 < text.length(); i++) {
                // a lower-case ASCII letter for either case of it; no other character becomes one
                int first = text.charAt(i) | 0x20;
                int second = text.charAt(i + 1) | 0x20;
                if (first < 128 && second < 128 && beginnings[first << 7 | second]) {
                    for (String word : words) {
                        if (text.regionMatches(true, i, word, 0, word.length()) && endsWell.test(i + word.length())) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }
}
