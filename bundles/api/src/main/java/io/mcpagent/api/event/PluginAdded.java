package io.mcpagent.api.event;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.plugin.PluginInfo;

/** A plugin service appeared on the whiteboard. */
public record PluginAdded(PluginInfo plugin, Instant timestamp) implements ExecutionEvent {
    public PluginAdded {
        Objects.requireNonNull(plugin, "plugin");
        timestamp = timestamp == null ? Instant.now() : timestamp;
    }

    @Override
    public String type() {
        return "plugin.added";
    }
}
