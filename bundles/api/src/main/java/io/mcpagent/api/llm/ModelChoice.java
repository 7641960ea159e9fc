package io.mcpagent.api.llm;

import java.util.Objects;

/** A provider instance and one of its models, with why it was chosen. */
public record ModelChoice(String providerId, String model, String reason) {
    public ModelChoice {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(model, "model");
        reason = reason == null ? "" : reason;
    }
}
