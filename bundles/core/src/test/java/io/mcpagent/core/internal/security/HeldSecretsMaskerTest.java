package io.mcpagent.core.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.security.SecretHolder;

class HeldSecretsMaskerTest {
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
}
