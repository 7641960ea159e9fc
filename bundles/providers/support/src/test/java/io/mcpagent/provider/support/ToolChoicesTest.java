package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ToolChoice;
import io.mcpagent.api.llm.ToolSpec;

class ToolChoicesTest {
    private static final ToolSpec SEARCH = new ToolSpec("search", "", null, false);

    private static ChatRequest request(List<ToolSpec> tools, ToolChoice choice) {
        return new ChatRequest("m", List.of(), List.of(Message.user("hi")), tools, choice, null, null, null, null,
                Map.of());
    }

    @Test
    void aChoiceThatNeedsAToolIsRefusedWhenNoneIsOffered() {
        ProviderError required = assertThrows(ProviderException.class,
                () -> ToolChoices.requireToolsForChoice("acme", request(List.of(), new ToolChoice.Required()))).error();
        assertEquals(Category.INVALID_REQUEST, required.category());
        assertEquals("provider 'acme': the tool choice asks for a tool call, but the request offers no tools",
                required.message());

        ProviderError named = assertThrows(ProviderException.class,
                () -> ToolChoices.requireToolsForChoice("acme", request(List.of(), new ToolChoice.Named("search"))))
                .error();
        assertEquals("provider 'acme': the tool choice asks for a call of the tool 'search', but the request offers"
                + " no tools", named.message());
    }

    @Test
    void aChoiceThatNeedsNoToolOrHasOneIsLetThrough() {
        ToolChoices.requireToolsForChoice("acme", request(List.of(), new ToolChoice.Auto()));
        ToolChoices.requireToolsForChoice("acme", request(List.of(), new ToolChoice.None()));
        ToolChoices.requireToolsForChoice("acme", request(List.of(SEARCH), new ToolChoice.Required()));
        ToolChoices.requireToolsForChoice("acme", request(List.of(SEARCH), new ToolChoice.Named("search")));
    }
}
