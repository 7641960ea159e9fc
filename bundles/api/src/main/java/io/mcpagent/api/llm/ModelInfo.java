package io.mcpagent.api.llm;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A model a provider instance serves, with its capabilities, context size and prices in USD per million tokens (null
 * when unknown). The cache prices are for input tokens read from, and written to, the provider's prompt cache
 * ({@link Usage#cachedReadTokens()}, {@link Usage#cacheWriteTokens()}); null when unknown, and those tokens then cost
 * the input price (1.7). {@code cacheWrite1hPricePerMillion} is for the writes to a cache kept one hour
 * ({@link Usage#cacheWrite1hTokens()}); null when unknown, and they then cost the cache write price (1.9).
 * {@code priceTiers}, ordered by their threshold, price the calls with longer prompts (1.10): a call costs the prices of
 * the last tier whose {@link PriceTier#aboveInputTokens()} its input tokens exceed, else these.
 */
public record ModelInfo(String id, Set<ModelCapability> capabilities, int contextWindow,
                        BigDecimal inputPricePerMillion, BigDecimal outputPricePerMillion,
                        BigDecimal cacheReadPricePerMillion, BigDecimal cacheWritePricePerMillion,
                        BigDecimal cacheWrite1hPricePerMillion, List<PriceTier> priceTiers) {
    public ModelInfo {
        Objects.requireNonNull(id, "id");
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        priceTiers = priceTiers == null ? List.of()
                : priceTiers.stream().sorted(Comparator.comparingLong(PriceTier::aboveInputTokens)).toList();
    }

    /** A model priced alike for every prompt length, as before 1.10. */
    public ModelInfo(String id, Set<ModelCapability> capabilities, int contextWindow,
                     BigDecimal inputPricePerMillion, BigDecimal outputPricePerMillion,
                     BigDecimal cacheReadPricePerMillion, BigDecimal cacheWritePricePerMillion,
                     BigDecimal cacheWrite1hPricePerMillion) {
        this(id, capabilities, contextWindow, inputPricePerMillion, outputPricePerMillion, cacheReadPricePerMillion,
                cacheWritePricePerMillion, cacheWrite1hPricePerMillion, List.of());
    }

    /** A model without a one-hour cache write price, as before 1.9. */
    public ModelInfo(String id, Set<ModelCapability> capabilities, int contextWindow,
                     BigDecimal inputPricePerMillion, BigDecimal outputPricePerMillion,
                     BigDecimal cacheReadPricePerMillion, BigDecimal cacheWritePricePerMillion) {
        this(id, capabilities, contextWindow, inputPricePerMillion, outputPricePerMillion, cacheReadPricePerMillion,
                cacheWritePricePerMillion, null, List.of());
    }

    /** A model without cache prices: cached input tokens cost the input price. */
    public ModelInfo(String id, Set<ModelCapability> capabilities, int contextWindow,
                     BigDecimal inputPricePerMillion, BigDecimal outputPricePerMillion) {
        this(id, capabilities, contextWindow, inputPricePerMillion, outputPricePerMillion, null, null, null, List.of());
    }
}
