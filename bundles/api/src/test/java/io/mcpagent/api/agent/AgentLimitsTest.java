package io.mcpagent.api.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.ConfigRanges;

class AgentLimitsTest {
    @Test
    void timesBeyondAHundredYearsAreRefusedSinceTheRunCouldNotComputeItsDeadline() {
        // before, taken: the tool loop's start.plus(maxTime) and a tool's deadline threw "long overflow"
        AgentLimits longest = AgentLimits.DEFAULTS.withBudget(0, null, ConfigRanges.LONGEST_TIME_BUDGET);
        assertEquals(ConfigRanges.LONGEST_TIME_BUDGET, longest.maxTime());

        IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                () -> AgentLimits.DEFAULTS.withBudget(0, null, Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals("maxTime must be positive and at most 36500 days, was 2562047788015215 h 30 min 7 s",
                time.getMessage());
        IllegalArgumentException tool = assertThrows(IllegalArgumentException.class, () -> new AgentLimits(10, 0,
                null, Duration.ofMinutes(1), ConfigRanges.LONGEST_TIME_BUDGET.plusSeconds(1)));
        assertEquals("toolTimeout must be positive and at most 36500 days, was 876000 h 1 s", tool.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentLimits.DEFAULTS.withBudget(0, null, Duration.ZERO));
    }
}
