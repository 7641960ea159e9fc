package io.mcpagent.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** {@link Secrets#redact} masks exactly as {@link ReferenceSecrets#redact}, the masking before it was made cheaper. */
class SecretsSamenessTest {
    /** The repository, from this module's directory, where the tests run. */
    private static final Path REPOSITORY = Path.of("../..");
    /** Test sources whose string literals are texts the platform masks: the history's fixtures, the masking tests. */
    private static final List<String> TEST_SOURCES = List.of("bundles/api/src/test/java/io/mcpagent/api/security",
            "bundles/history/src/test/java", "bundles/core/src/test/java/io/mcpagent/core/internal/security",
            "bundles/console/src/test/java", "bundles/http/src/test/java", "bundles/mcp/src/test/java");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    private static final String[] SENSITIVE = {"api_key", "apiKey", "API-KEY", "access_key", "secretkey", "private-key",
        "password", "PassWord", "passwd", "passphrase", "secret", "SECRET", "token", "Token", "authorization",
        "Authorization", "credential", "credentials", "cookie", "Cookie", "key", "pass", "tokens", "tokenizer",
        "max_tokens", "password_hint", "secretary", "passwordless", "cookies", "apikey", "x-goog-api-key",
        "AWS_SECRET_ACCESS_KEY", "client.secret", "\u212Aey", "to\u212Aen", "\u017Fecret", "pa\u017F\u017Fword"};
    private static final String[] SEPARATORS = {"=", ":", " : ", " = ", ": ", "\":\"", "\": \"", "\\\":\\\"",
        "\\\": \\\"", "&", ",", ";", " ", "  ", "\n", "\t", "\r\n", ".", "-", "_", "/", "?", "#", "(", ")", "{", "}",
        "[", "]"};
    private static final String[] QUOTES = {"\"", "'", "\\\"", "\\", "\\\\", "\\n", "\\u0022", "`"};
    private static final String[] URLS = {"https://", "postgresql://app:s3cret@db:5432/history", "://", "@", "u:p@h",
        "http://example.org/path", "jdbc:h2:file:x;USER=sa;PASSWORD=s3cret", "a.b-c+d://x:y@z", "-http://u:pw@host",
        "_ftp://u:pw@host", "1a://u:pw@h", "S3://KEY:SECRET@bucket", "mailto:bob@example.org"};
    private static final String[] SHAPED = {"sk-proj-abcDEF1234567890xyz", "sk-ant-api03-ABCdef_1234567890-xyzXYZ",
        "sk-short", "ask-me", "AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", "AKIA1234", "ghp_" + "a".repeat(36),
        "gho_" + "Z9".repeat(16), "ghu_" + "b".repeat(30), "ghs_" + "C".repeat(31),
        "ghr_" + "d1".repeat(20), "ghx_" + "a".repeat(36), "github_pat_" + "B".repeat(40), "AIza" + "c".repeat(35),
        "aiza" + "c".repeat(35), "xoxb-1234567890-abcdef", "xoxz-1234567890",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjf",
        "eyJabc.eyJdef", "mcpa_yhkqg694_nmDu3fX-9qLw_Zk2Tn0bVc7uYp1sRa4eHgJi5oWdMx8", "mcpa_settings", "mcpa_"};
    private static final String[] BEARERS = {"Bearer ", "bearer ", "BEARER\t", "Bearer", "Basic ", "Token ", "Digest ",
        "bearers", "abearer ", "Bearer  abc.DEF-123_x/y+z==", "bearer mcp-BADHDRSECRET-555.", "Bearer credentials"};
    private static final String[] WORDS = {"hello", "the", "report", "shows", "apikey:list", "token:show",
        "password:letmein", "[redacted]", "\u00e9t\u00e9", "\u0130", "12345678", "a.b.c", "x-y-z", "==", "~", "+"};
    private static final String MASK_PIECE = "[redacted]";
    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_~+/=.-";

    @Test
    void theModulesCasesAndTheRepositorysTextsAreMaskedAsBefore() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String directory : TEST_SOURCES) {
            for (Path source : files(REPOSITORY.resolve(directory), ".java")) {
                Matcher literal = STRING_LITERAL.matcher(Files.readString(source));
                while (literal.find()) {
                    texts.add(unescape(literal.group(1)));
                }
            }
        }
        for (Path document : files(REPOSITORY, ".md")) {
            String text = Files.readString(document);
            texts.add(text);
            texts.addAll(text.lines().toList());
        }
        assertTrue(texts.size() > 10_000, "texts found: " + texts.size());
        texts.forEach(SecretsSamenessTest::assertMaskedAsBefore);
    }

    @Test
    void generatedMixesAreMaskedAsBefore() {
        Random random = new Random(20261205);
        for (int i = 0; i < 25_000; i++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + random.nextInt(16);
            for (int part = 0; part < parts; part++) {
                text.append(switch (random.nextInt(9)) {
                    case 0, 1 -> pick(random, SENSITIVE);
                    case 2, 3 -> pick(random, SEPARATORS);
                    case 4 -> pick(random, QUOTES);
                    case 5 -> pick(random, URLS);
                    case 6 -> pick(random, SHAPED);
                    case 7 -> pick(random, BEARERS);
                    default -> random.nextBoolean() ? pick(random, WORDS) : token(random);
                });
            }
            assertMaskedAsBefore(text.toString());
        }
    }

    /** Texts made of the pieces of URLs with a password, at every place a scheme may begin or end. */
    @Test
    void urlPiecesAreMaskedAsBefore() {
        String[] pieces = {"://", "@", ":", "/", " ", "a", "B", "1", "+", ".", "-", "_", "\"", "http", "u", "p",
            "\u00e9", "\u212A", "s3cret", "\t", MASK_PIECE};
        Random random = new Random(64);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int part = 1 + random.nextInt(14); part > 0; part--) {
                text.append(pick(random, pieces));
            }
            assertMaskedAsBefore(text.toString());
        }
    }

    /** Texts made of the pieces of JWTs, with runs of base64url characters holding several eyJ. */
    @Test
    void jwtPiecesAreMaskedAsBefore() {
        String[] pieces = {"eyJ", "eyJ", "abcde", "a", "Z9", "-", "_", ".", ".", " ", "\"", "x-eyJ", "eyJhbGciOi",
            "\u00e9", MASK_PIECE};
        Random random = new Random(1025);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int part = 1 + random.nextInt(16); part > 0; part--) {
                text.append(pick(random, pieces));
            }
            assertMaskedAsBefore(text.toString());
        }
    }

    @Test
    void longRunsAreMaskedAsBefore() {
        for (String text : new String[] {"a".repeat(5_000), "a".repeat(5_000) + "token=x", "\"" + "b".repeat(5_000)
                + "password\":\"x\"", "token".repeat(1_000) + ": y", "a.".repeat(2_000) + "https://u:p@h",
                "a.".repeat(2_000) + "://u:p@h a://b:c@d x://", "-".repeat(3_000) + "a://u:p@h",
                "x-".repeat(2_000) + "api-key=1", "\\\"" + "c".repeat(3_000) + "secret\\\":\\\"v\\\"",
                // JSON values as long as the reference's recursion takes: escapes, an escaped line end, none closed
                "{\"token\":\"" + "a\\\"b\\\\".repeat(60) + "\"}",
                "\"secret\":\"" + "x\\".repeat(150) + "\n\"secret\":\"y\"",
                "\"password\": \"" + "p\\\"".repeat(100) + "\"password\":\"" + "q".repeat(300),
                "eyJab-".repeat(500) + " eyJhbGciOi." + "eyJab-".repeat(500) + ".eyJ x-eyJabcde.eyJabcde.s",
                "eyJabcde.eyJab-".repeat(300) + ".eyJ-" + "eyJab-".repeat(300) + ".sig"}) {
            assertMaskedAsBefore(text);
        }
    }

    private static void assertMaskedAsBefore(String text) {
        assertEquals(ReferenceSecrets.redact(text), Secrets.redact(text), () -> "masking " + text);
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String token(Random random) {
        StringBuilder token = new StringBuilder();
        for (int length = 1 + random.nextInt(40); token.length() < length; ) {
            token.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
        }
        return token.toString();
    }

    private static List<Path> files(Path directory, String suffix) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(path -> path.toString().endsWith(suffix))
                    .filter(path -> !path.toString().contains("node_modules") && !path.toString().contains("target"))
                    .toList();
        }
    }

    /** A Java string literal's text: its n, t and r escapes as those characters, any other escaped one as itself. */
    private static String unescape(String literal) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length()) {
                char escaped = literal.charAt(++i);
                text.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> escaped;
                });
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
