package io.mcpagent.api.llm;

import java.util.Objects;

/** A system instruction, hoisted by each adapter to where its provider wants it (system, developer, systemInstruction). */
public record Instruction(String text, CacheHint cache) {
    public Instruction {
        Objects.requireNonNull(text, "text");
        cache = cache == null ? CacheHint.NONE : cache;
    }

    public static Instruction of(String text) {
        return new Instruction(text, CacheHint.NONE);
    }
}
