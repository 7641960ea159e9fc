package io.mcpagent.api.llm;

import java.util.HashMap;
import java.util.Map;

/**
 * Token usage, normalised: {@code inputTokens} includes cached tokens, {@code outputTokens} includes reasoning
 * tokens. {@code raw} keeps the provider's own counters by their names.
 */
public record Usage(long inputTokens, long cachedReadTokens, long cacheWriteTokens, long outputTokens,
                    long reasoningTokens, long toolPromptTokens, Map<String, Long> raw) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, Map.of());

    public Usage {
        raw = raw == null ? Map.of() : Map.copyOf(raw);
    }

    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, 0, 0, outputTokens, 0, 0, Map.of());
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** Sums two usages, e.g. across the calls of one execution; raw counters with the same name are added. */
    public Usage plus(Usage other) {
        Map<String, Long> merged;
        if (other.raw.isEmpty() || raw.isEmpty()) {
            merged = raw.isEmpty() ? other.raw : raw; // both immutable already: summing runs once per model call
        } else {
            merged = new HashMap<>(raw);
            other.raw.forEach((k, v) -> merged.merge(k, v, Long::sum));
        }
        return new Usage(inputTokens + other.inputTokens, cachedReadTokens + other.cachedReadTokens,
                cacheWriteTokens + other.cacheWriteTokens, outputTokens + other.outputTokens,
                reasoningTokens + other.reasoningTokens, toolPromptTokens + other.toolPromptTokens, merged);
    }
}
