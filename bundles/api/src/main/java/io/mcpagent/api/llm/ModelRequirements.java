package io.mcpagent.api.llm;

import java.util.List;
import java.util.Set;

/**
 * What a caller needs from a model: capabilities, a minimum context window, and what to prefer among those that
 * fit. {@code providerId} and {@code model} pin a choice (empty = any); {@code fallbackChain} lists provider ids to
 * try, in order, when the chosen one fails with a retryable error or its circuit is open, or, for a call naming no
 * provider, when none the router would choose by itself fits (empty = the configured default chain, then every other
 * fitting provider).
 */
public record ModelRequirements(Set<ModelCapability> capabilities, int minContextWindow, Preference preference,
                                String providerId, String model, List<String> fallbackChain) {

    /** COST: cheapest per token; QUALITY: the most capable (highest priced) model; SPEED: the provider that answered fastest recently. */
    public enum Preference { COST, SPEED, QUALITY }

    public static final ModelRequirements ANY = new ModelRequirements(Set.of(), 0, Preference.COST, null, null, List.of());

    public ModelRequirements {
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        preference = preference == null ? Preference.COST : preference;
        fallbackChain = fallbackChain == null ? List.of() : List.copyOf(fallbackChain);
    }

    public static ModelRequirements of(ModelCapability... capabilities) {
        return new ModelRequirements(Set.of(capabilities), 0, Preference.COST, null, null, List.of());
    }
}
