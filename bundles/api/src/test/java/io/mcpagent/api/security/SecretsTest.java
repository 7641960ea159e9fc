package io.mcpagent.api.security;

import static io.mcpagent.api.security.Secrets.MASK;
import static io.mcpagent.api.security.Secrets.redact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SecretsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void openAiAndAnthropicKeys() {
        assertEquals("keys " + MASK + " and " + MASK,
                redact("keys sk-proj-abcDEF1234567890xyz and sk-ant-api03-ABCdef_1234567890-xyzXYZ"));
    }

    @Test
    void wordsThatOnlyLookLikeKeysStay() {
        String text = "ask-me, sk-short, task-force-1234567890123456, desk-12345678901234567890";
        assertEquals(text, redact(text));
    }

    @Test
    void awsAccessKeyIds() {
        assertEquals("id " + MASK + ", session " + MASK, redact("id AKIAIOSFODNN7EXAMPLE, session ASIAY34FZKBOKMUTVV7A"));
    }

    @Test
    void otherWellKnownTokenShapes() {
        assertEquals(MASK, redact("ghp_" + "a".repeat(36)));
        assertEquals(MASK, redact("github_pat_" + "B".repeat(40)));
        assertEquals(MASK, redact("AIza" + "c".repeat(35)));
        assertEquals(MASK, redact("xoxb-1234567890-abcdef"));
        assertEquals("jwt " + MASK, redact("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    /** Every eyJ after a word boundary was tried to the end of its run: 100 KB of eyJaa- took 13 s. */
    @Test
    void longRunsOfJwtBeginnings() {
        String text = "eyJab-".repeat(20_000) + " eyJhbGciOi." + "eyJab-".repeat(20_000) + ". end";
        assertEquals(text, redact(text));
        assertEquals("eyJab-eyJcd x " + MASK + " y", redact("eyJab-eyJcd x eyJhbGciOi.eyJzdWIiOi.sig y"));
        assertEquals("xeyJab-" + MASK, redact("xeyJab-eyJhbGciOi.eyJzdWIiOi.sig"));
    }

    @Test
    void thePlatformsOwnApiKeys() {
        assertEquals("say hello; my platform key is " + MASK + ".",
                redact("say hello; my platform key is mcpa_yhkqg694_nmDu3fX-9qLw_Zk2Tn0bVc7uYp1sRa4eHgJi5oWdMx8."));
        assertEquals("key " + MASK, redact("key mcpa_ops_" + "A".repeat(43)));
        String notAKey = "mcpa_settings, mcpa_short_abc, see mcpa_";
        assertEquals(notAKey, redact(notAKey));
    }

    @Test
    void bearerTokens() {
        assertEquals("sent Bearer " + MASK + " to the API", redact("sent Bearer abc.DEF-123_x/y+z== to the API"));
        assertEquals("bearer " + MASK + ".", redact("bearer mcp-BADHDRSECRET-555."));
        assertEquals("Bearer " + MASK, redact("Bearer qWeRtYuIoPaSdFgHjKlZ"));
    }

    /** The word "bearer" in a sentence is followed by words, not tokens. */
    @Test
    void wordsAfterBearerStay() {
        for (String text : new String[] {"JWT bearer tokens are off because their configuration is refused",
                "send the key as a Bearer token.", "the bearer authentication scheme", "Bearer authorization-header",
                "a bearer of bad news", "Bearer credentials"}) {
            assertEquals(text, redact(text));
        }
    }

    @Test
    void keyValuePairs() {
        assertEquals("password=" + MASK + "&user=bob", redact("password=hunter2&user=bob"));
        assertEquals("api_key: " + MASK, redact("api_key: abc123"));
        assertEquals("X-Api-Key: " + MASK, redact("X-Api-Key: abc123"));
        assertEquals("x-goog-api-key=" + MASK, redact("x-goog-api-key=abc123"));
        assertEquals("token=\"" + MASK + "\"", redact("token=\"quoted-value\""));
        assertEquals("AWS_SECRET_ACCESS_KEY=" + MASK, redact("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG"));
        assertEquals("Authorization: " + MASK + " (rejected)", redact("Authorization: Basic dXNlcjpwYXNz (rejected)"));
        assertEquals("jdbc:h2:file:x;USER=sa;PASSWORD=" + MASK + ";MODE=PostgreSQL",
                redact("jdbc:h2:file:x;USER=sa;PASSWORD=s3cret;MODE=PostgreSQL"));
    }

    @Test
    void commandNamesAreNoPairs() {
        assertEquals("apikey:list", redact("apikey:list"));
        assertEquals("shell.denied apikey:revoke, token:show", redact("shell.denied apikey:revoke, token:show"));
        assertEquals("apikey:" + MASK, redact("apikey:Fw7LgF9"));
        assertEquals("password:" + MASK, redact("password:hunter2"));
        assertEquals("X-Api-Key:" + MASK, redact("X-Api-Key:abcdef"));
    }

    @Test
    void passwordsInUrls() {
        assertEquals("postgresql://app:" + MASK + "@db:5432/history", redact("postgresql://app:s3cret@db:5432/history"));
        assertEquals("see https://example.org/path", redact("see https://example.org/path"));
    }

    @Test
    void sensitiveJsonFieldsStayValidJson() throws Exception {
        String json = "{\"api_key\":\"abc\",\"apiKey\":\"def\",\"password\":\"p\\\"q\",\"client_secret\":\"s\","
                + "\"access_token\":\"t\",\"Authorization\":\"Basic xyz\",\"cookie\":\"session=1\","
                + "\"max_tokens\":100,\"tokenizer\":\"cl100k\",\"name\":\"ok\",\"password_hint\":\"a pet\"}";
        JsonNode redacted = MAPPER.readTree(redact(json));
        for (String field : new String[] {"api_key", "apiKey", "password", "client_secret", "access_token",
                "Authorization", "cookie"}) {
            assertEquals(MASK, redacted.get(field).asText(), field);
        }
        assertEquals(100, redacted.get("max_tokens").asInt());
        assertEquals("cl100k", redacted.get("tokenizer").asText());
        assertEquals("ok", redacted.get("name").asText());
        assertEquals("a pet", redacted.get("password_hint").asText());
    }

    /** The value's greedy loop recursed once per character: from 700 characters on, with -Xss512k, a stack overflow. */
    @Test
    void longJsonValues() {
        String pem = "-----BEGIN PRIVATE KEY-----\\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n".repeat(3_000);
        assertEquals("{\"private_key\":\"" + MASK + "\",\"n\":1}", redact("{\"private_key\":\"" + pem + "\",\"n\":1}"));
        String unclosed = "{\"token\":\"" + "x".repeat(100_000);
        assertEquals(unclosed, redact(unclosed));
    }

    @Test
    void jsonInsideAJsonString() throws Exception {
        String json = "{\"arguments\":\"{\\\"path\\\":\\\"/tmp\\\",\\\"password\\\":\\\"hunter2\\\"}\"}";
        JsonNode outer = MAPPER.readTree(redact(json));
        JsonNode inner = MAPPER.readTree(outer.get("arguments").asText());
        assertEquals("/tmp", inner.get("path").asText());
        assertEquals(MASK, inner.get("password").asText());
    }

    @Test
    void keyValuePairsInsideJsonStringsKeepTheEscapes() throws Exception {
        String json = "{\"log\":\"token=abc\\\"def\\nnext line\"}";
        assertEquals("token=" + MASK + "\"def\nnext line", MAPPER.readTree(redact(json)).get("log").asText());
    }

    @Test
    void ordinaryTextStays() {
        String text = "input tokens: 300, output tokens: 20; the secretary wrote a passwordless login guide; "
                + "{\"max_tokens\": 100}";
        assertEquals(text, redact(text));
    }

    @Test
    void redactingTwiceChangesNothingMore() {
        String text = "{\"apiKey\":\"x\"} password=y Bearer z sk-ant-api03-abcdefghijklmnop postgres://u:p@h/d";
        assertEquals(redact(text), redact(redact(text)));
    }

    @Test
    void nullAndEmpty() {
        assertNull(redact(null));
        assertEquals("", redact(""));
    }
}
