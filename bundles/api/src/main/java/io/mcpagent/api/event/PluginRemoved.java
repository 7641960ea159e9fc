package io.mcpagent.api.event;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.plugin.PluginInfo;

/** A plugin service left the whiteboard (its bundle stopped, or its configuration was deleted). */
public record PluginRemoved(PluginInfo plugin, Instant timestamp) implements ExecutionEvent {
    public PluginRemoved {
        Objects.requireNonNull(plugin, "plugin");
        timestamp = timestamp == null ? Instant.now() : timestamp;
    }

    @Override
    public String type() {
        return "plugin.removed";
    }
}
