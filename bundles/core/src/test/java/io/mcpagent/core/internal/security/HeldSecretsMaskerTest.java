package io.mcpagent.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.security.SecretHolder;
import io.mcpagent.api.security.SecretMasker;

class HeldSecretsMaskerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HeldSecretsMasker masker = new HeldSecretsMasker();

    @Test
    void theValuesEveryHolderHoldsNowAreMaskedAsWellAsThePatterns() {
        List<String> providerKeys = new ArrayList<>(List.of("plain-PROVIDER-key"));
        SecretHolder mcpServer = () -> List.of("literal-XSECRET-777");
        SecretHolder provider = () -> providerKeys;
        masker.addHolder(mcpServer);
        masker.addHolder(provider);

        assertEquals("the header is [redacted], the key [redacted], and password=[redacted]",
                masker.mask("the header is literal-XSECRET-777, the key plain-PROVIDER-key, and password=hunter2"));
        providerKeys.set(0, "rotated-PROVIDER-key");
        assertEquals("old plain-PROVIDER-key, new [redacted]", masker.mask("old plain-PROVIDER-key, new rotated-PROVIDER-key"),
                "the holder is asked on each use: a rotated key is masked, and no copy of the old one is kept");

        masker.removeHolder(mcpServer);
        assertEquals("literal-XSECRET-777", masker.mask("literal-XSECRET-777"), "a holder that left holds nothing");
    }

    @Test
    void aStreamedTextIsShownInWholeLinesButNoneFromWhereAHeldValueStartsThatIsNotWholeOrThatTheCutWouldSplit() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
        masker.addHolder(() -> List.of(pem, "single-LINE-secret"));

        assertEquals(0, masker.showableLength("no line ends yet"));
        assertEquals("one\ntwo\n".length(), masker.showableLength("one\ntwo\nthr"));
        // the start of a held value at the end of the text: the text to come could complete it
        assertEquals("one\n".length(), masker.showableLength("one\nthe key: -----BEGIN PRIVATE KEY-----\nMIIE"));
        assertEquals("one\n".length(), masker.showableLength("one\nthe key: -----BEG"));
        // once the text differs from every held value, its lines are shown
        String differs = "one\nthe key: -----BEGIN PUBLIC KEY-----\nAAAA\n";
        assertEquals(differs.length(), masker.showableLength(differs + "BB"));
        // whole, it is held back while the cut would split it: its last line is not ended yet
        String whole = "one\nthe key: " + pem + " was it\nmore";
        assertEquals("one\n".length(), masker.showableLength("one\nthe key: " + pem + " was"));
        assertEquals(whole.length() - "more".length(), masker.showableLength(whole));
        assertEquals("one\nthe key: [redacted] was it\n",
                masker.mask(whole.substring(0, masker.showableLength(whole))));
        // a value that lies within a line is held back with its line, as the default does
        assertEquals("one\n".length(), masker.showableLength("one\nsingle-LINE-sec"));
        assertEquals("no holder\n".length(), new SecretMasker() {
            @Override
            public String mask(String text) {
                return text;
            }
        }.showableLength("no holder\nno line"), "without held values: whole lines");
    }

    @Test
    void shortValuesAreNotMaskedAndAValueHoldingAnotherIsMaskedWhole() {
        masker.addHolder(() -> List.of("admin", "token-ABCDEFGH", "token-ABCDEFGH-and-more", ""));
        assertEquals("admin sees [redacted] and [redacted]", masker.mask("admin sees token-ABCDEFGH-and-more and token-ABCDEFGH"));
    }

    @Test
    void aFailingHolderLeavesTheOthersAndThePatterns() {
        masker.addHolder(() -> {
            throw new IllegalStateException("credentials file unreadable");
        });
        masker.addHolder(() -> null);
        masker.addHolder(() -> List.of("literal-XSECRET-777"));
        assertEquals("[redacted] and Bearer [redacted]", masker.mask("literal-XSECRET-777 and Bearer abc123DEF456"));
        assertNull(masker.mask(null));
    }

    @Test
    void aValueWithAQuoteOrBackslashIsMaskedInJsonWhereItIsEscaped() throws Exception {
        String quoted = "pa\"ss-QUOTED-77";
        String backslashed = "C:\\keys\\BACKSLASH-88";
        String both = "mixed\"\\SECRET\n99";
        masker.addHolder(() -> List.of(quoted, backslashed, both));

        String record = JSON.writeValueAsString(Map.of("output", "the keys are " + quoted + ", " + backslashed
                + " and " + both));
        String masked = masker.mask(record);
        assertEquals("the keys are [redacted], [redacted] and [redacted]", JSON.readTree(masked).path("output")
                .asText(), masked);

        // a tool's arguments (JSON) in the detail of an event written as JSON: escaped twice
        String arguments = JSON.writeValueAsString(Map.of("header", quoted, "path", backslashed, "other", both));
        String event = JSON.writeValueAsString(Map.of("detail", "web/fetch " + arguments + " -> result: ok"));
        String maskedEvent = masker.mask(event);
        assertFalse(maskedEvent.contains("QUOTED") || maskedEvent.contains("BACKSLASH")
                || maskedEvent.contains("SECRET"), maskedEvent);
        JsonNode detailArguments = JSON.readTree(JSON.readTree(maskedEvent).path("detail").asText()
                .replaceFirst("^web/fetch ", "").replaceFirst(" -> result: ok$", ""));
        assertEquals(Map.of("header", "[redacted]", "path", "[redacted]", "other", "[redacted]"),
                JSON.convertValue(detailArguments, Map.class), "still JSON in JSON: " + maskedEvent);

        assertEquals("plain [redacted] text", masker.mask("plain " + quoted + " text"), "and as written");
    }
}
