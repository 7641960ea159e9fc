package io.mcpagent.api.task;

import java.util.Map;
import java.util.Objects;

/** A task in plain words, the tenant it runs for, and free-form attributes (hints from the caller). */
public record Task(String text, String tenant, Map<String, String> attributes) {
    public Task {
        Objects.requireNonNull(text, "text");
        tenant = tenant == null || tenant.isBlank() ? "default" : tenant;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static Task of(String text) {
        return new Task(text, null, Map.of());
    }
}
