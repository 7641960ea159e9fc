package io.mcpagent.api.llm;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An answer from {@link LlmRouter#route}: the response, the provider instance and model that gave it, its cost
 * (USD at the configured prices; zero when unknown) and how many providers were tried ({@code 1} = no fallback).
 * Since 1.18 also what the whole call billed ({@link #billedUsage()}, {@link #billedCost()}): the answer and every
 * attempt before it that failed after its provider billed it (a stream cut short, a malformed answer).
 */
public record RoutedResponse(ChatResponse response, String providerId, String model, BigDecimal cost, int attempts,
                             Usage billedUsage, BigDecimal billedCost) {
    public RoutedResponse {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(providerId, "providerId");
        cost = cost == null ? BigDecimal.ZERO : cost;
        billedUsage = billedUsage == null ? response.usage() : billedUsage;
        billedCost = billedCost == null ? cost : billedCost;
    }

    /** An answer whose call billed nothing but the answer itself (the constructor before 1.18). */
    public RoutedResponse(ChatResponse response, String providerId, String model, BigDecimal cost, int attempts) {
        this(response, providerId, model, cost, attempts, null, null);
    }
}
