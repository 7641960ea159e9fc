package io.mcpagent.api.llm;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/** A model a provider instance serves, with its capabilities, context size and prices in USD per million tokens (null when unknown). */
public record ModelInfo(String id, Set<ModelCapability> capabilities, int contextWindow,
                        BigDecimal inputPricePerMillion, BigDecimal outputPricePerMillion) {
    public ModelInfo {
        Objects.requireNonNull(id, "id");
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    }
}
