package io.mcpagent.provider.support;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ToolChoice;

/** What providers say about a request's {@link ToolChoice}, in words rather than as the record it is. */
public final class ToolChoices {
    private ToolChoices() {
    }

    /**
     * Refuses, before anything is sent, a request whose tool choice asks for a tool call (required, or a named tool)
     * while it offers no tools: servers differ in what they make of it (some drop the choice and answer in text),
     * so every provider refuses it the same way.
     *
     * @throws ProviderException INVALID_REQUEST {@code provider '<id>': }{@link #withoutTools}
     */
    public static void requireToolsForChoice(String providerId, ChatRequest request) {
        ToolChoice choice = request.toolChoice();
        if (request.tools().isEmpty() && (choice instanceof ToolChoice.Required || choice instanceof ToolChoice.Named)) {
            throw InvalidRequests.invalid(providerId, withoutTools(choice));
        }
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
