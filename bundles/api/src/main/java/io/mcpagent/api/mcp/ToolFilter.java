package io.mcpagent.api.mcp;

import java.util.List;

/**
 * Which tools an agent may use. Patterns are {@code server/tool} globs ({@code *} matches any run of characters):
 * a tool is offered if {@code allow} is empty or one of its patterns matches, and no {@code deny} pattern matches.
 */
public record ToolFilter(List<String> allow, List<String> deny) {
    public static final ToolFilter ALL = new ToolFilter(List.of(), List.of());

    public ToolFilter {
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
    }
}
