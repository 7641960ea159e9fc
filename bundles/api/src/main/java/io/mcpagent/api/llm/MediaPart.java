package io.mcpagent.api.llm;

import java.util.Objects;

/** An image, document, audio or video; {@code detail} is the provider's resolution hint where it has one. */
public record MediaPart(MediaKind kind, MediaSource source, String mimeType, String name, String detail) implements Part {
    public MediaPart {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
    }
}
