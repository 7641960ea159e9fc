package io.mcpagent.core.internal.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class ModelSelectorTest {
    @Test
    void aPriceReadsWithTwoDecimalsAtLeast() {
        assertEquals("0.40", ModelSelector.money(new BigDecimal("0.4")));
        assertEquals("0.075", ModelSelector.money(new BigDecimal("0.07500")));
        assertEquals("2.00", ModelSelector.money(new BigDecimal("2")));
        assertEquals("1200.00", ModelSelector.money(new BigDecimal("1.2E+3")));
        assertEquals("0.00", ModelSelector.money(BigDecimal.ZERO));
    }

    @Test
    void aPriceAProviderListsFarFromOneIsInENotationNotWrittenOutToItsLastZero() {
        // a provider's model list is read as it comes: setScale(2) or toPlainString would write out every zero
        assertEquals("1E-1000", ModelSelector.money(new BigDecimal("1e-1000")));
        assertEquals("1E+1000", ModelSelector.money(new BigDecimal("1e1000")));
    }
}
