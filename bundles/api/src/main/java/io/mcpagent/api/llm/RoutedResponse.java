package io.mcpagent.api.llm;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An answer from {@link LlmRouter#route}: the response, the provider instance and model that gave it, its cost
 * (USD at the configured prices; zero when unknown) and how many providers were tried ({@code 1} = no fallback).
 */
public record RoutedResponse(ChatResponse response, String providerId, String model, BigDecimal cost, int attempts) {
    public RoutedResponse {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(providerId, "providerId");
        cost = cost == null ? BigDecimal.ZERO : cost;
    }
}
