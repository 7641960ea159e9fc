package io.mcpagent.api.llm;

import java.time.Instant;
import java.util.Objects;

/**
 * Why the router ranks a provider after every other fitting one: a call to it was refused in a way retrying does
 * not mend ({@code AUTH}, {@code PERMISSION}, {@code QUOTA_EXHAUSTED}). {@code since} is the first refusal of its
 * current registration; {@code category} and {@code message} are those of the latest (secrets masked).
 */
public record ProviderRefusal(Instant since, ProviderError.Category category, String message) {
    public ProviderRefusal {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(category, "category");
        message = message == null ? "" : message;
    }
}
