package io.mcpagent.provider.support;

import io.mcpagent.api.llm.ToolChoice;

/** What providers say about a request's {@link ToolChoice}, in words rather than as the record it is. */
public final class ToolChoices {
    private ToolChoices() {
    }

    /**
     * The refusal of a request whose tool choice asks for a tool call (required, or a named tool) while it offers no
     * tools, e.g. {@code the tool choice asks for a call of the tool 'search', but the request offers no tools}.
     */
    public static String withoutTools(ToolChoice choice) {
        String asked = choice instanceof ToolChoice.Named named ? "a call of the tool '" + named.name() + "'"
                : "a tool call";
        return "the tool choice asks for " + asked + ", but the request offers no tools";
    }
}
