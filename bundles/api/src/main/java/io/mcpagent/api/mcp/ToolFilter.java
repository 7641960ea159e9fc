package io.mcpagent.api.mcp;

import java.util.List;

/**
 * Which tools an agent may use. Patterns are {@code server/tool} globs ({@code *} matches any run of characters):
 * a tool is offered if {@code allow} is empty or one of its patterns matches, and no {@code deny} pattern matches.
 * Of a server named in {@code readOnlyServers} (plugin ids, since 1.1), only the tools it annotates
 * {@code readOnlyHint: true} are offered, unless it gives no tool a {@code readOnlyHint} at all: then there is
 * nothing to tell its reading tools by, and all of them are offered.
 */
public record ToolFilter(List<String> allow, List<String> deny, List<String> readOnlyServers) {
    public static final ToolFilter ALL = new ToolFilter(List.of(), List.of());

    public ToolFilter {
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
        readOnlyServers = readOnlyServers == null ? List.of() : List.copyOf(readOnlyServers);
    }

    /** A filter by globs alone. */
    public ToolFilter(List<String> allow, List<String> deny) {
        this(allow, deny, List.of());
    }
}
