package io.mcpagent.api.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProviderExceptionTest {
    private static final ProviderError MALFORMED = ProviderError.of(ProviderError.Category.SERVER, "malformed answer");

    @Test
    void billedTextSaysTheCountedTokensAndTheCost() {
        assertEquals("it billed 1200 tokens (1000 input, 200 output), 0.0042 USD",
                new ProviderException(MALFORMED, null, Usage.of(1000, 200), new BigDecimal("0.00420")).billedText());
        assertEquals("it billed 1350 tokens (1000 input, 300 tool prompt, 50 output)",
                new ProviderException(MALFORMED, null, new Usage(1000, 0, 0, 50, 0, 300, Map.of())).billedText(),
                "a provider's own exception knows no prices: no cost is said");
        assertEquals("it billed 5 tokens (0 input, 5 output)",
                new ProviderException(MALFORMED, null, Usage.of(-7, 5), BigDecimal.ZERO).billedText(),
                "counted as the platform counts them");
    }

    @Test
    void billedTextIsEmptyForAFailureThatBilledNothing() {
        assertEquals("", new ProviderException(MALFORMED).billedText());
        assertEquals("", new ProviderException(MALFORMED, null, Usage.NONE, BigDecimal.ZERO).billedText());
    }
}
