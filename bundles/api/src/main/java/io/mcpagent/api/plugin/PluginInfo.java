package io.mcpagent.api.plugin;

import java.util.Map;
import java.util.Objects;

/**
 * What the platform knows about one registered plugin service: its identity, where it comes from, and its
 * {@code mcpagent.*} service properties as text.
 */
public record PluginInfo(String id, PluginKind kind, String version, String name, String description,
                         String bundleSymbolicName, String bundleVersion, long bundleId, long serviceId,
                         Map<String, String> properties) {

    public PluginInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        version = version == null ? "" : version;
        name = name == null || name.isBlank() ? id : name;
        description = description == null ? "" : description;
        bundleSymbolicName = bundleSymbolicName == null ? "" : bundleSymbolicName;
        bundleVersion = bundleVersion == null ? "" : bundleVersion;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
