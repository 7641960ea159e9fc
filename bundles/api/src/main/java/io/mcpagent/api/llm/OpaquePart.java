package io.mcpagent.api.llm;

import java.util.Objects;

/** A provider-specific block the neutral model does not cover (server tools, search results), kept as raw JSON text for replay to the same provider. */
public record OpaquePart(String provider, String rawJson) implements Part {
    public OpaquePart {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(rawJson, "rawJson");
    }
}
