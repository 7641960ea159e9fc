package io.mcpagent.api.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * {@code llm.fallback}: a model call to {@code providerId}/{@code model} failed ({@code category}, {@code message})
 * and the LLM router tries {@code nextProviderId}/{@code nextModel} instead; {@code executionId} is null outside
 * executions. {@code pinnedProviderId} is the provider the caller pinned (null when it pinned none): such a call
 * falls back only along the fallback chain, and whoever answers it answers instead of the pinned provider.
 * {@code duration} (1.15) is how long the call to {@code providerId} took before it failed, the time the fallback cost;
 * zero when it was not called (skipped for its open circuit).
 */
public record LlmFallbackEvent(Instant timestamp, String executionId, String providerId, String model,
                               ProviderError.Category category, String message, String nextProviderId,
                               String nextModel, String pinnedProviderId, Duration duration) implements ExecutionEvent {
    public static final String TYPE = "llm.fallback";

    /** A fallback from a provider that was not called, or whose call took no time that is known (before 1.15). */
    public LlmFallbackEvent(Instant timestamp, String executionId, String providerId, String model,
                            ProviderError.Category category, String message, String nextProviderId, String nextModel,
                            String pinnedProviderId) {
        this(timestamp, executionId, providerId, model, category, message, nextProviderId, nextModel, pinnedProviderId,
                Duration.ZERO);
    }

    public LlmFallbackEvent {
        duration = duration == null || duration.isNegative() ? Duration.ZERO : duration;
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(nextProviderId, "nextProviderId");
        Objects.requireNonNull(nextModel, "nextModel");
        message = message == null ? "" : message;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * The fallback in a sentence, e.g. {@code LLM call to a/m1 failed (SERVER: upstream 503); falling back to b/m2},
     * plus {@code  along the fallback chain of the pinned provider a} when the caller pinned one.
     */
    public String describe() {
        return "LLM call to " + providerId + "/" + model + " failed (" + category
                + (message.isBlank() ? "" : ": " + message) + "); falling back to " + nextProviderId + "/" + nextModel
                + (pinnedProviderId == null ? "" : " along the fallback chain of the pinned provider " + pinnedProviderId);
    }
}
