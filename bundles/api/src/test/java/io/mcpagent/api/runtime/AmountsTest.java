package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class AmountsTest {
    @Test
    void anAmountReadsInPlainDigitsWithoutTrailingZeros() {
        assertEquals("0.25", Amounts.text(new BigDecimal("0.2500")));
        assertEquals("1200", Amounts.text(new BigDecimal("1.2E+3")));
        assertEquals("0", Amounts.text(new BigDecimal("0.000")));
        assertEquals("0.0000000001", Amounts.text(new BigDecimal("1E-10")));
        assertEquals("-0.5", Amounts.text(new BigDecimal("-0.50")));
        assertEquals("0." + "0".repeat(30) + "1", Amounts.text(new BigDecimal("1E-31")));
        assertEquals("1" + "0".repeat(30), Amounts.text(new BigDecimal("1E+30")));
    }

    @Test
    void anAmountFarFromOneIsInENotationRatherThanWrittenOutToItsLastZero() {
        assertEquals("1E-32", Amounts.text(new BigDecimal("1E-32")));
        assertEquals("1E-999999999", Amounts.text(new BigDecimal("1e-999999999")));
        assertEquals("1.5E+999999999", Amounts.text(new BigDecimal("1.5e999999999")));
        assertEquals("1E+31", Amounts.text(new BigDecimal("1E+31")));
    }
}
