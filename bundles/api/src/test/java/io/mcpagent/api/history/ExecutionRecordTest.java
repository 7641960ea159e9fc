package io.mcpagent.api.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class ExecutionRecordTest {

    @Test
    void aCostIsRecordedRoundedHalfUpToTenPlacesWithinTheBoundEitherWay() {
        assertEquals(new BigDecimal("0.0000000002"), ExecutionRecord.recordedCost(new BigDecimal("0.00000000015")));
        assertEquals(new BigDecimal("0.0031500000"), ExecutionRecord.recordedCost(new BigDecimal("0.00315")));
        assertEquals(ExecutionRecord.MOST_COST_USD, ExecutionRecord.recordedCost(new BigDecimal("1E+999999999")),
                "saturated, without writing out its digits");
        assertEquals(ExecutionRecord.MOST_COST_USD.negate(), ExecutionRecord.recordedCost(new BigDecimal("-1E+20")));
        assertEquals(ExecutionRecord.MOST_COST_USD, ExecutionRecord.recordedCost(
                new BigDecimal("9999999999.99999999995")), "one that rounds past the bound is the bound");
    }
}
