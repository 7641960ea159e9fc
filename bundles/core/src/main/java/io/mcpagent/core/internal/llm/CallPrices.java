package io.mcpagent.core.internal.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.PriceTier;
import io.mcpagent.api.runtime.ConfigRanges;

/**
 * The prices per million tokens one call costs: the model's own, or those of the last price tier whose threshold the
 * call's input tokens exceed (long-context pricing), each cache price resolved. A cache price the model leaves out is
 * its input price (a one-hour write price: its write price); one a tier leaves out is the model's scaled as the input
 * price is. A null price is unknown.
 */
record CallPrices(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite,
                  BigDecimal cacheWrite1h) {

    static CallPrices of(ModelInfo model, long inputTokens) {
        BigDecimal input = model.inputPricePerMillion();
        BigDecimal write = orElse(model.cacheWritePricePerMillion(), input);
        CallPrices own = new CallPrices(input, model.outputPricePerMillion(),
                orElse(model.cacheReadPricePerMillion(), input), write, orElse(model.cacheWrite1hPricePerMillion(), write));
        PriceTier reached = null;
        for (PriceTier tier : model.priceTiers()) { // ordered by threshold
            if (inputTokens > tier.aboveInputTokens()) {
                reached = tier;
            }
        }
        if (reached == null) {
            return own;
        }
        return new CallPrices(reached.inputPricePerMillion(), reached.outputPricePerMillion(),
                orElse(reached.cacheReadPricePerMillion(), own.scaled(own.cacheRead, reached)),
                orElse(reached.cacheWritePricePerMillion(), own.scaled(own.cacheWrite, reached)),
                orElse(reached.cacheWrite1hPricePerMillion(), own.scaled(own.cacheWrite1h, reached)));
    }

    /** {@code price} times the tier's input price over this one; the tier's input price when that ratio is unknown. */
    private BigDecimal scaled(BigDecimal price, PriceTier tier) {
        if (price == null || input == null || input.signum() <= 0) {
            return tier.inputPricePerMillion();
        }
        // rounded to the places a configured price may have, so the router does not count it as out of range
        return price.multiply(tier.inputPricePerMillion())
                .divide(input, ConfigRanges.PRICE_DECIMAL_PLACES, RoundingMode.HALF_UP);
    }

    private static BigDecimal orElse(BigDecimal price, BigDecimal otherwise) {
        return price != null ? price : otherwise;
    }
}
