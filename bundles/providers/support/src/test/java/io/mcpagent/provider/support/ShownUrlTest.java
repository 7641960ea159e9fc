package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

class ShownUrlTest {

    @Test
    void userInfoAndFragmentGoAndQueryValuesAreMasked() {
        assertEquals("https://example.com:8443/mcp?access_token=[redacted]&[redacted]&empty=[redacted]",
                ShownUrl.of(URI.create("https://bob:URLPASS-123@example.com:8443/mcp?access_token=QSECRET-42&BARE&empty=#f")));
    }

    @Test
    void aUrlWithoutSecretsStaysAsItIs() {
        assertEquals("http://127.0.0.1:3001/mcp", ShownUrl.of(URI.create("http://127.0.0.1:3001/mcp")));
        assertEquals("http://host", ShownUrl.of(URI.create("http://host")));
    }

    @Test
    void anOpaqueUriShowsOnlyItsScheme() {
        assertEquals("mailto:[redacted]", ShownUrl.of(URI.create("mailto:someone@example.com")));
    }
}
