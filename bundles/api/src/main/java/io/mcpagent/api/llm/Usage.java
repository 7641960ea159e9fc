package io.mcpagent.api.llm;

import java.util.HashMap;
import java.util.Map;

/**
 * Token usage, normalised: {@code inputTokens} includes cached tokens, {@code outputTokens} includes reasoning
 * tokens; {@code toolPromptTokens} are input beside {@code inputTokens}, not in it (Gemini's built-in tools' results).
 * {@code cacheWrite1hTokens} are those of {@code cacheWriteTokens} written to a cache kept for one hour rather than
 * five minutes (Anthropic's {@code ephemeral_1h_input_tokens}), which cost more (1.9). {@code raw} keeps the
 * provider's own counters by their names.
 */
public record Usage(long inputTokens, long cachedReadTokens, long cacheWriteTokens, long cacheWrite1hTokens,
                    long outputTokens, long reasoningTokens, long toolPromptTokens, Map<String, Long> raw) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, Map.of());
    /**
     * The most tokens a call is counted with, per counter (1.8): a thousand times the largest context window, so only
     * a wrong count reaches it, and small enough that sums of millions of such calls stay within a long.
     */
    public static final long MAX_COUNTED_TOKENS = 1_000_000_000_000L;

    public Usage {
        raw = raw == null ? Map.of() : Map.copyOf(raw);
    }

    /** A usage without one-hour cache writes, as before 1.9. */
    public Usage(long inputTokens, long cachedReadTokens, long cacheWriteTokens, long outputTokens,
                 long reasoningTokens, long toolPromptTokens, Map<String, Long> raw) {
        this(inputTokens, cachedReadTokens, cacheWriteTokens, 0, outputTokens, reasoningTokens, toolPromptTokens, raw);
    }

    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, 0, 0, outputTokens, 0, 0, Map.of());
    }

    /**
     * This usage as the platform counts and bills it (1.8): a provider's answer is outside input, and a negative count
     * would lower a run's costs and tokens below its budgets, a huge one make sums overflow. Each count is kept within
     * [0, {@link #MAX_COUNTED_TOKENS}] (the raw counters, the provider's own, as they are), and since 1.12
     * {@code cacheWrite1hTokens} within [0, {@code cacheWriteTokens}] as counted, since they are a part of the writes (as
     * the router prices them); this usage itself when every count already is.
     */
    public Usage counted() {
        long countedCacheWrites = count(cacheWriteTokens);
        Usage counted = new Usage(count(inputTokens), count(cachedReadTokens), countedCacheWrites,
                Math.clamp(cacheWrite1hTokens, 0, countedCacheWrites), count(outputTokens), count(reasoningTokens),
                count(toolPromptTokens), raw);
        return counted.equals(this) ? this : counted;
    }

    private static long count(long tokens) {
        return Math.clamp(tokens, 0, MAX_COUNTED_TOKENS);
    }

    /**
     * Every token the call is billed for, as token budgets count them: input, tool prompt and output (which includes
     * reasoning). Since 1.11 with {@code toolPromptTokens}, which are input beside {@code inputTokens}; before, a
     * budget did not count them.
     */
    public long totalTokens() {
        return saturatedSum(saturatedSum(inputTokens, toolPromptTokens), outputTokens);
    }

    /**
     * Sums two usages, e.g. across the calls of one execution; raw counters with the same name are added. A sum beyond
     * the range of a long stays at its end: a provider reporting huge counts must not turn a total negative.
     */
    public Usage plus(Usage other) {
        Map<String, Long> merged;
        if (other.raw.isEmpty() || raw.isEmpty()) {
            merged = raw.isEmpty() ? other.raw : raw; // both immutable already: summing runs once per model call
        } else {
            merged = new HashMap<>(raw);
            other.raw.forEach((k, v) -> merged.merge(k, v, Usage::saturatedSum));
        }
        return new Usage(saturatedSum(inputTokens, other.inputTokens),
                saturatedSum(cachedReadTokens, other.cachedReadTokens),
                saturatedSum(cacheWriteTokens, other.cacheWriteTokens),
                saturatedSum(cacheWrite1hTokens, other.cacheWrite1hTokens), saturatedSum(outputTokens, other.outputTokens),
                saturatedSum(reasoningTokens, other.reasoningTokens),
                saturatedSum(toolPromptTokens, other.toolPromptTokens), merged);
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        // it overflowed when both have the same sign and the sum has the other
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}
