package io.mcpagent.api.mcp;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A known MCP server that can be installed: what it is for ({@code category}, {@code capabilities},
 * {@code keywords}, {@code priority} 0..100, higher preferred), and how to start it. An npm-packaged server names
 * {@code npmPackage} and a pinned {@code npmVersion}; {@code args} follow the package's binary. A server started
 * by another command names {@code command} with its {@code args}; an HTTP server names {@code url}.
 * {@code requiredEnv} lists the environment variables it needs (API keys, tokens), never their values.
 */
public record CatalogEntry(String id, String name, String description, String category, List<String> capabilities,
                           List<String> keywords, int priority, String npmPackage, String npmVersion, String command,
                           List<String> args, List<String> requiredEnv, String url, String homepage) {

    /** Catalog ids double as server names and plugin ids, so they are kept simple. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    public CatalogEntry {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("catalog id '" + id + "' must match " + ID.pattern());
        }
        name = name == null || name.isBlank() ? id : name;
        description = description == null ? "" : description;
        category = category == null ? "other" : category;
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
        if (priority < 0 || priority > 100) {
            throw new IllegalArgumentException("catalog entry '" + id + "': priority " + priority + " not in 0..100");
        }
        args = args == null ? List.of() : List.copyOf(args);
        requiredEnv = requiredEnv == null ? List.of() : List.copyOf(requiredEnv);
        if (npmPackage == null && command == null && url == null) {
            throw new IllegalArgumentException("catalog entry '" + id + "' needs npmPackage, command or url");
        }
    }
}
