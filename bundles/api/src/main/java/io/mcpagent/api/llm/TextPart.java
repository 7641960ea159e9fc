package io.mcpagent.api.llm;

import java.util.Objects;

public record TextPart(String text, CacheHint cache) implements Part {
    public TextPart {
        Objects.requireNonNull(text, "text");
        cache = cache == null ? CacheHint.NONE : cache;
    }

    public static TextPart of(String text) {
        return new TextPart(text, CacheHint.NONE);
    }
}
