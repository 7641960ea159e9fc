package io.mcpagent.api.llm;

import java.util.Objects;

/** The model declined to answer; {@code text} is its explanation. */
public record RefusalPart(String text) implements Part {
    public RefusalPart {
        Objects.requireNonNull(text, "text");
    }
}
