package io.mcpagent.api.autonomous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.ConfigRanges;

class AutonomousOptionsTest {
    @Test
    void aTimeBudgetBeyondAHundredYearsIsRefusedSinceTheExecutionCouldNotScheduleItsEnd() {
        // before, taken: the orchestrator's budget timer took maxTime.toNanos(), which overflows past 292 years
        assertEquals(ConfigRanges.LONGEST_TIME_BUDGET,
                AutonomousOptions.DEFAULTS.withBudget(0, null, ConfigRanges.LONGEST_TIME_BUDGET).maxTime());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AutonomousOptions.DEFAULTS.withBudget(0, null, Duration.ofDays(365L * 300)));
        assertEquals("maxTime must be positive and at most 36500 days, was 2628000 h", refused.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AutonomousOptions.DEFAULTS.withBudget(0, null, Duration.ofSeconds(-1)));
    }
}
