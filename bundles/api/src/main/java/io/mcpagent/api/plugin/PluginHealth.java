package io.mcpagent.api.plugin;

import java.time.Instant;
import java.util.Objects;

/** Health of one plugin at one moment, with a message that says what is wrong and what to do. */
public record PluginHealth(Status status, String message, Instant checkedAt) {

    public enum Status { UP, DEGRADED, DOWN, UNKNOWN }

    public PluginHealth {
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
        checkedAt = checkedAt == null ? Instant.now() : checkedAt;
    }

    public static PluginHealth up() {
        return new PluginHealth(Status.UP, "", Instant.now());
    }

    public static PluginHealth degraded(String message) {
        return new PluginHealth(Status.DEGRADED, message, Instant.now());
    }

    public static PluginHealth down(String message) {
        return new PluginHealth(Status.DOWN, message, Instant.now());
    }

    public static PluginHealth unknown(String message) {
        return new PluginHealth(Status.UNKNOWN, message, Instant.now());
    }
}
