package io.mcpagent.example.provider.echo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.plugin.PluginHealth;

class EchoProviderTest {
    private final EchoProvider provider = EchoProvider.serving("e1", List.of("echo-1", "echo-2"), 4);

    @Test
    void answersTheLastUserMessagePrefixedWithTheDefaultModel() {
        ChatResponse response = provider.chat(ChatRequest.of(null, "be brief", List.of(Message.user("first"),
                Message.assistant("echo: first"), Message.user("second"))));
        assertEquals("echo: second", response.message().text());
        assertEquals("echo-1", response.model(), "the first model is the default");
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(PluginHealth.Status.UP, provider.health().status());
    }

    @Test
    void streamsTheSameAnswerInPiecesBetweenAStartAndAnEnd() {
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse response = provider.stream(ChatRequest.of("echo-2", null, List.of(Message.user("hello there"))),
                events::add);
        assertEquals("echo: hello there", response.message().text());
        assertEquals("echo-2", response.model());
        assertInstanceOf(StreamEvent.MessageStart.class, events.getFirst());
        List<String> pieces = events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text()).toList();
        assertEquals(List.of("echo", ": he", "llo ", "ther", "e"), pieces, "pieces of pieceChars characters");
        assertEquals(new StreamEvent.MessageEnd(StopReason.END_TURN, "end_turn"), events.getLast());
    }

    @Test
    void aModelItDoesNotServeIsAnInvalidRequestNamingThoseItServes() {
        ProviderException refused = assertThrows(ProviderException.class,
                () -> provider.chat(ChatRequest.of("gpt-5", null, List.of(Message.user("hi")))));
        assertEquals(Category.INVALID_REQUEST, refused.error().category());
        assertFalse(refused.error().retryable());
        assertEquals("provider 'e1' serves no model 'gpt-5'; it serves echo-1, echo-2", refused.error().message());
    }

    @Test
    void aRequestWithoutAUserMessageHasNothingToEcho() {
        ProviderException refused = assertThrows(ProviderException.class,
                () -> provider.chat(ChatRequest.of(null, null, List.of(Message.assistant("hi")))));
        assertEquals(Category.INVALID_REQUEST, refused.error().category());
        assertEquals("provider 'e1' has nothing to echo: the request has no user message", refused.error().message());
    }

    @Test
    void anInterruptedCallerIsCancelledAndKeepsItsFlag() {
        Thread.currentThread().interrupt();
        try {
            ProviderException cancelled = assertThrows(ProviderException.class,
                    () -> provider.chat(ChatRequest.of(null, null, List.of(Message.user("hi")))));
            assertEquals(Category.CANCELLED, cancelled.error().category());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is left for the caller");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aRefusedProviderIsDownServesNothingAndRefusesCallsWithItsProblem() {
        EchoProvider refused = EchoProvider.refused("e2", "misconfigured (etc/x.cfg.json): pieceChars must be ...");
        assertEquals(PluginHealth.down("misconfigured (etc/x.cfg.json): pieceChars must be ...").message(),
                refused.health().message());
        assertEquals(PluginHealth.Status.DOWN, refused.health().status());
        assertEquals(List.of(), refused.models());
        ProviderException failure = assertThrows(ProviderException.class,
                () -> refused.chat(ChatRequest.of(null, null, List.of(Message.user("hi")))));
        assertEquals("provider 'e2' is misconfigured (etc/x.cfg.json): pieceChars must be ...",
                failure.error().message());
    }
}
