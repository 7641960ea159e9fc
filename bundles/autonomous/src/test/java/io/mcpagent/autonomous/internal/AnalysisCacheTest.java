package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class AnalysisCacheTest {
    private static final TaskAnalysis ANALYSIS =
            TestAnalyzer.analysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of(), 0.8, null, "a");

    private static AnalysisCacheKey key(String text) {
        return AnalysisCacheKey.of(Task.of(text));
    }

    @Test
    void aLargeCacheNeverHoldsMoreThanItsCapacity() {
        AnalysisCache cache = new AnalysisCache(1024);
        for (int i = 0; i < 10_000; i++) {
            cache.put(key("task " + i), ANALYSIS, cache.generation());
        }
        assertEquals(1024, cache.stats().size(), "every segment is full, none beyond its share");
    }

    @Test
    void aSegmentedCacheStillKeepsWhatIsUsed() {
        AnalysisCache cache = new AnalysisCache(1024);
        cache.put(key("hot"), ANALYSIS, cache.generation());
        for (int i = 0; i < 10_000; i++) {
            cache.get(key("hot"));
            cache.put(key("cold " + i), ANALYSIS, cache.generation());
        }
        assertSame(ANALYSIS, cache.get(key("hot")));
    }

    @Test
    void aValueComputedBeforeAnInvalidationIsRefused() {
        AnalysisCache cache = new AnalysisCache(16);
        long before = cache.generation();
        cache.put(key("kept"), ANALYSIS, before);

        cache.invalidate();
        cache.put(key("late"), ANALYSIS, before);

        assertNull(cache.get(key("kept")));
        assertNull(cache.get(key("late")));
        cache.put(key("late"), ANALYSIS, cache.generation());
        assertSame(ANALYSIS, cache.get(key("late")));
        assertEquals(1, cache.stats().hits());
        assertEquals(2, cache.stats().misses());
    }

    @Test
    void keysNormaliseWhitespaceOnly() {
        assertEquals(key("fix the bug"), key("\tfix  the\n\nbug  "));
        assertTrue(!key("Fix the bug").equals(key("fix the bug")), "case is kept");
        String clean = "already clean text";
        assertSame(clean, AnalysisCacheKey.normalise(clean));
        assertEquals("", AnalysisCacheKey.normalise(" \n "));
        assertEquals(new AnalysisCacheKey("default", "x", Map.of()), key(" x "));
    }

    @Test
    void aNegativeCapacityIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AnalysisCache(-1));
    }
}
