package io.mcpagent.api.llm;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A model's prices, in USD per million tokens, for a call whose prompt is longer than {@code aboveInputTokens}
 * ({@link Usage#inputTokens()}, cached tokens included) (1.10): long-context pricing, such as Gemini 2.5 Pro's above
 * 200K prompt tokens, where every token of the call, input and output, costs more. A cache price left null is the
 * model's own cache price scaled as the input price is (this tier's input price over the model's), which is how
 * Anthropic, Google and OpenAI price cached tokens of long prompts.
 */
public record PriceTier(long aboveInputTokens, BigDecimal inputPricePerMillion, BigDecimal outputPricePerMillion,
                        BigDecimal cacheReadPricePerMillion, BigDecimal cacheWritePricePerMillion,
                        BigDecimal cacheWrite1hPricePerMillion) {
    public PriceTier {
        if (aboveInputTokens < 0) {
            throw new IllegalArgumentException("aboveInputTokens must not be negative, was " + aboveInputTokens);
        }
        Objects.requireNonNull(inputPricePerMillion, "inputPricePerMillion");
        Objects.requireNonNull(outputPricePerMillion, "outputPricePerMillion");
    }

    /** A tier with the input and output prices only: its cache prices are the model's, scaled. */
    public PriceTier(long aboveInputTokens, BigDecimal inputPricePerMillion, BigDecimal outputPricePerMillion) {
        this(aboveInputTokens, inputPricePerMillion, outputPricePerMillion, null, null, null);
    }
}
