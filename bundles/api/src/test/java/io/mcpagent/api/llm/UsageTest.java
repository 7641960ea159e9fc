package io.mcpagent.api.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;

import org.junit.jupiter.api.Test;

class UsageTest {
    @Test
    void sumsAddTheCountsAndTheRawCountersOfTheSameName() {
        Usage sum = new Usage(10, 2, 1, 5, 3, 4, Map.of("input_tokens", 7L, "a", 1L))
                .plus(new Usage(1, 1, 1, 1, 1, 1, Map.of("input_tokens", 3L, "b", 2L)));
        assertEquals(new Usage(11, 3, 2, 6, 4, 5, Map.of("input_tokens", 10L, "a", 1L, "b", 2L)), sum);
        assertEquals(22, sum.totalTokens(), "11 in, 5 tool prompt, 6 out");
    }

    @Test
    void theTotalCountsEveryBilledTokenWithTheToolPromptTokensButNoCountTwice() {
        // Gemini: 1000 prompt (200 of them cached), 300 of built-in tools' results beside them, 50 out of which 20 thoughts
        Usage gemini = new Usage(1000, 200, 0, 50, 20, 300, Map.of());
        assertEquals(1350, gemini.totalTokens());
        assertEquals(Long.MAX_VALUE, new Usage(1, 0, 0, 1, 0, Long.MAX_VALUE, Map.of()).totalTokens());
    }

    @Test
    void oneHourCacheWritesAreSummedAndCountedLikeTheOtherCounts() {
        Usage sum = new Usage(100, 10, 30, 20, 5, 0, 0, Map.of()).plus(new Usage(50, 0, 10, 10, 5, 0, 0, Map.of()));
        assertEquals(new Usage(150, 10, 40, 30, 10, 0, 0, Map.of()), sum);
        assertEquals(0, new Usage(100, 10, 30, 5, 0, 0, Map.of()).cacheWrite1hTokens(), "the constructor before 1.9");
        assertEquals(new Usage(1, 0, 2, 0, 3, 0, 0, Map.of()), new Usage(1, 0, 2, -4, 3, 0, 0, Map.of()).counted());
    }

    @Test
    void countedKeepsTheOneHourCacheWritesWithinTheCacheWritesTheyArePartOf() {
        assertEquals(new Usage(10, 0, 2, 2, 3, 0, 0, Map.of()), new Usage(10, 0, 2, 5, 3, 0, 0, Map.of()).counted());
        assertEquals(new Usage(10, 0, 0, 0, 3, 0, 0, Map.of()), new Usage(10, 0, -1, 5, 3, 0, 0, Map.of()).counted(),
                "within the writes as counted");
        long most = Usage.MAX_COUNTED_TOKENS;
        assertEquals(new Usage(0, 0, most, most, 0, 0, 0, Map.of()),
                new Usage(0, 0, Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, 0, Map.of()).counted());
        Usage fine = new Usage(10, 0, 5, 5, 3, 0, 0, Map.of());
        assertSame(fine, fine.counted(), "all of the writes kept one hour");
    }

    @Test
    void sumsBeyondTheRangeOfALongStopAtItsEndsInsteadOfWrappingAround() {
        long max = Long.MAX_VALUE;
        Usage huge = new Usage(max, max, max, max, max, max, Map.of("output_tokens", max, "credit", Long.MIN_VALUE));
        Usage sum = huge.plus(huge);
        assertEquals(new Usage(max, max, max, max, max, max,
                Map.of("output_tokens", max, "credit", Long.MIN_VALUE)), sum, "a raw counter summed twice");
        assertEquals(max, sum.totalTokens());
        assertEquals(max, Usage.of(max, 1).totalTokens());
        assertEquals(Long.MIN_VALUE, Usage.of(Long.MIN_VALUE, -1).totalTokens());
    }

    @Test
    void countedKeepsEachCountWithinZeroToATrillionAndIsTheUsageItselfWhenItAlreadyIs() {
        Usage wrong = new Usage(-1, Long.MAX_VALUE, 2, Long.MIN_VALUE, Usage.MAX_COUNTED_TOKENS + 1, 3,
                Map.of("credit", -7L));
        assertEquals(new Usage(0, Usage.MAX_COUNTED_TOKENS, 2, 0, Usage.MAX_COUNTED_TOKENS, 3, Map.of("credit", -7L)),
                wrong.counted(), "the raw counters are the provider's own, kept as they are");
        Usage fine = new Usage(10, 2, 1, 5, 3, Usage.MAX_COUNTED_TOKENS, Map.of());
        assertSame(fine, fine.counted());
    }
}
