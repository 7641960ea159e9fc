package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigRangesTest {
    @Test
    void aValueInRangeIsGivenBack() {
        assertEquals(1, ConfigRanges.atLeast("maxConcurrent", 1, 1));
        assertEquals(86_400, ConfigRanges.within("openSeconds", 86_400, 0, 86_400));
        assertEquals(0.0, ConfigRanges.withinUnit("minimumScore", 0.0));
        assertEquals(1.0, ConfigRanges.withinUnit("minimumScore", 1.0));
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingThePropertyTheRangeAndTheValue() {
        assertEquals("maxConcurrent must be at least 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> ConfigRanges.atLeast("maxConcurrent", 0, 1)).getMessage());
        assertEquals("openSeconds must be within [0, 86400], was -5", assertThrows(IllegalArgumentException.class,
                () -> ConfigRanges.within("openSeconds", -5, 0, 86_400)).getMessage());
        assertEquals("openSeconds must be within [0, 86400], was 86401", assertThrows(IllegalArgumentException.class,
                () -> ConfigRanges.within("openSeconds", 86_401, 0, 86_400)).getMessage());
        assertEquals("minimumScore must be within [0, 1], was 2.0", assertThrows(IllegalArgumentException.class,
                () -> ConfigRanges.withinUnit("minimumScore", 2.0)).getMessage());
        assertEquals("minimumScore must be within [0, 1], was NaN", assertThrows(IllegalArgumentException.class,
                () -> ConfigRanges.withinUnit("minimumScore", Double.NaN)).getMessage());
    }

    @Test
    void aCostBudgetIsNoneOrFromTheSmallestTheHistoryKeepsToAbout1Point8e308() {
        for (String budget : List.of("0", "0.0000000001", "0.25", "1e308", "-1")) {
            BigDecimal value = new BigDecimal(budget);
            assertEquals(value, ConfigRanges.costBudgetUsd("maxCostUsd", value), budget);
        }
        assertEquals("maxCostUsd must be 0 (no limit) or within [0.0000000001, 1.8e308] US dollars, was"
                + " 0.00000000009", assertThrows(IllegalArgumentException.class, () -> ConfigRanges.costBudgetUsd(
                "maxCostUsd", new BigDecimal("0.00000000009"))).getMessage());
        // quoted in E notation: written out, either would be a billion digits
        assertEquals("maxCostUsd must be 0 (no limit) or within [0.0000000001, 1.8e308] US dollars, was"
                + " 1E-999999999", assertThrows(IllegalArgumentException.class, () -> ConfigRanges.costBudgetUsd(
                "maxCostUsd", new BigDecimal("1e-999999999"))).getMessage());
        assertEquals("maxCostUsd must be 0 (no limit) or within [0.0000000001, 1.8e308] US dollars, was"
                + " 1E+999999999", assertThrows(IllegalArgumentException.class, () -> ConfigRanges.costBudgetUsd(
                "maxCostUsd", new BigDecimal("1e999999999"))).getMessage());
    }

    @Test
    void aPriceIsFromZeroTo1000DollarsPerMillionTokensWithAtMostTenDecimalPlaces() {
        for (String price : List.of("0", "0.0000000001", "0.00875", "75", "1000", "1000.000000000000", "0E-999999999")) {
            BigDecimal value = new BigDecimal(price);
            assertEquals(value, ConfigRanges.pricePerMillionUsd("inputPrice", value), price);
        }
        for (String price : List.of("1e300", "1e999999999", "1000.0000000001", "-0.5", "1e-11", "1e-999999999",
                "1.00000000001")) {
            assertFalse(ConfigRanges.isPricePerMillionUsd(new BigDecimal(price)), price);
        }
        // quoted in E notation: written out, it would be a billion digits
        assertEquals("inputPrice must be within [0, 1000] US dollars per million tokens with at most 10 decimal"
                + " places, was 1E+999999999", assertThrows(IllegalArgumentException.class,
                () -> ConfigRanges.pricePerMillionUsd("inputPrice", new BigDecimal("1e999999999"))).getMessage());
    }
}
