package io.mcpagent.provider.scripted.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;

class ScriptedProviderTest {
    private static final String SCRIPT = """
            {"model": "scripted-1", "responses": [
              {"text": "Hello there, operator!", "usage": {"inputTokens": 10, "outputTokens": 4}},
              {"toolCalls": [{"name": "search", "arguments": {"query": "felix scr"}}, {"name": "fetch", "arguments": {"url": "x"}}]},
              {"json": {"ok": true}},
              {"error": {"category": "RATE_LIMITED", "message": "slow down"}}
            ]}""";

    private static ScriptedProvider provider(boolean loop) {
        return new ScriptedProvider("demo", Script.parse(SCRIPT, new ObjectMapper(), "demo.json"), loop);
    }

    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hi")));
    }

    @Test
    void replaysTheResponsesInOrderThenSaysTheScriptIsExhausted() {
        ScriptedProvider provider = provider(false);

        ChatResponse text = provider.chat(hello());
        assertEquals("Hello there, operator!", text.message().text());
        assertEquals(StopReason.END_TURN, text.stopReason());
        assertEquals(Usage.of(10, 4), text.usage());
        assertEquals("scripted-1", text.model());

        ChatResponse calls = provider.chat(hello());
        assertEquals(StopReason.TOOL_CALLS, calls.stopReason());
        List<ToolCallPart> toolCalls = calls.message().toolCalls();
        assertEquals(List.of("search", "fetch"), toolCalls.stream().map(ToolCallPart::name).toList());
        assertEquals("{\"query\":\"felix scr\"}", toolCalls.get(0).argumentsJson());
        assertEquals(2, toolCalls.stream().map(ToolCallPart::callId).distinct().count(), "distinct call ids");

        assertEquals("{\"ok\":true}", provider.chat(hello()).message().text());
        assertEquals(PluginHealth.Status.UP, provider.health().status());

        ProviderException limited = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.RATE_LIMITED, limited.error().category());
        assertEquals("slow down", limited.error().message());
        assertTrue(limited.error().retryable());
        assertEquals(PluginHealth.Status.DEGRADED, provider.health().status(), "every response replayed");

        ProviderException exhausted = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.INVALID_REQUEST, exhausted.error().category());
        assertTrue(exhausted.getMessage().contains("script exhausted"), exhausted.getMessage());
        assertEquals(PluginHealth.Status.DEGRADED, provider.health().status());
    }

    @Test
    void loopsWhenAskedTo() {
        ScriptedProvider provider = provider(true);
        for (int i = 0; i < 3; i++) {
            provider.chat(hello());
        }
        assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals("Hello there, operator!", provider.chat(hello()).message().text());
        assertEquals(PluginHealth.Status.UP, provider.health().status());
    }

    @Test
    void reportsOneModelWithEveryCapability() {
        List<ModelInfo> models = provider(false).models();
        assertEquals(1, models.size());
        assertEquals("scripted-1", models.get(0).id());
        assertEquals(EnumSet.allOf(ModelCapability.class), models.get(0).capabilities());
    }

    @Test
    void streamsTextInSeveralDeltasAndToolArgumentsInFragments() {
        ScriptedProvider provider = provider(false);
        List<StreamEvent> events = new ArrayList<>();

        ChatResponse text = provider.stream(hello(), events::add);

        List<String> deltas = events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text()).toList();
        assertTrue(deltas.size() > 1, "incremental: " + deltas);
        assertEquals(text.message().text(), String.join("", deltas));
        assertTrue(events.get(0) instanceof StreamEvent.MessageStart);
        assertEquals(new StreamEvent.UsageUpdate(Usage.of(10, 4)), events.get(events.size() - 2));
        assertEquals(new StreamEvent.MessageEnd(StopReason.END_TURN, "end_turn"), events.get(events.size() - 1));

        events.clear();
        ChatResponse calls = provider.stream(hello(), events::add);
        List<StreamEvent.ToolCallStart> starts = events.stream().filter(StreamEvent.ToolCallStart.class::isInstance)
                .map(StreamEvent.ToolCallStart.class::cast).toList();
        assertEquals(2, starts.size());
        List<StreamEvent.ToolCallArgsDelta> first = events.stream().filter(StreamEvent.ToolCallArgsDelta.class::isInstance)
                .map(StreamEvent.ToolCallArgsDelta.class::cast).filter(d -> d.blockIndex() == starts.get(0).blockIndex())
                .toList();
        assertTrue(first.size() > 1, "fragments: " + first);
        assertEquals(calls.message().toolCalls().get(0).argumentsJson(),
                first.stream().map(StreamEvent.ToolCallArgsDelta::argumentsFragment).collect(Collectors.joining()));
        assertEquals(2, events.stream().filter(StreamEvent.ToolCallEnd.class::isInstance).count());
    }

    @Test
    void aScriptedErrorEndsTheStreamWithAStreamError() {
        ScriptedProvider provider = provider(false);
        for (int i = 0; i < 3; i++) {
            provider.chat(hello());
        }
        List<StreamEvent> events = new ArrayList<>();

        assertThrows(ProviderException.class, () -> provider.stream(hello(), events::add));

        assertEquals(1, events.size());
        assertEquals(Category.RATE_LIMITED, ((StreamEvent.StreamError) events.get(0)).error().category());
    }

    /** A failed call that was still billed (an answer cut off or unusable after its generation), plain or streamed. */
    @Test
    void aScriptedErrorWithUsageIsAFailedCallThatWasBilled() {
        ScriptedProvider provider = new ScriptedProvider("billed", Script.parse("""
                {"responses": [{"error": {"category": "SERVER", "message": "the answer was cut off", "retryable": false},
                                "usage": {"inputTokens": 1000, "cachedReadTokens": 400, "outputTokens": 200}}]}""",
                new ObjectMapper(), "billed.json"), true);
        Usage billed = new Usage(1000, 400, 0, 0, 200, 0, 0, java.util.Map.of());

        ProviderException plain = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.SERVER, plain.error().category());
        assertEquals(billed, plain.billed());
        assertEquals("it billed 1200 tokens (1000 input, 200 output)", plain.billedText());

        List<StreamEvent> events = new ArrayList<>();
        ProviderException streamed = assertThrows(ProviderException.class, () -> provider.stream(hello(), events::add));
        assertEquals(billed, streamed.billed());
        assertEquals(List.of(new StreamEvent.UsageUpdate(billed), new StreamEvent.StreamError(streamed.error())), events,
                "the usage first, as a stream cut off after its usage reports it, then the error");
    }

    @Test
    void anInterruptedCallerIsCancelled() {
        ScriptedProvider provider = provider(false);
        Thread.currentThread().interrupt();
        try {
            ProviderException cancelled = assertThrows(ProviderException.class, () -> provider.chat(hello()));
            assertEquals(Category.CANCELLED, cancelled.error().category());
        } finally {
            Thread.interrupted();
        }
        assertEquals("Hello there, operator!", provider.chat(hello()).message().text(), "nothing was consumed");
    }

    @Test
    void aDelayedAnswerDoesNotHoldUpOtherCallsAndAnInterruptDuringItCancels() throws Exception {
        ScriptedProvider slow = new ScriptedProvider("slow", Script.parse(
                "{\"responses\": [{\"text\": \"late\", \"delayMs\": 60000}, {\"text\": \"quick\"}]}",
                new ObjectMapper(), "s.json"), false);
        AtomicReference<ProviderException> failure = new AtomicReference<>();
        Thread waiting = Thread.ofPlatform().start(() -> {
            try {
                slow.chat(hello());
            } catch (ProviderException e) {
                failure.set(e);
            }
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiting.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < end) {
            Thread.onSpinWait();
        }

        assertEquals("quick", slow.chat(hello()).message().text(), "the next call is not held up by the sleeping one");
        waiting.interrupt();
        waiting.join(5_000);
        assertEquals(Category.CANCELLED, failure.get().error().category(), "the sleeping call was cut short");
    }

    /** With the problem as its component words it, which the health shows and a call's error reads on from. */
    @Test
    void aBrokenProviderIsDownAndRefusesCallsNamingTheProblem() {
        String problem = "misconfigured (etc/io.mcpagent.provider.scripted~demo.cfg.json): script etc/scripts/x.json"
                + " does not exist";
        ScriptedProvider broken = ScriptedProvider.broken("demo", problem);

        assertEquals(PluginHealth.Status.DOWN, broken.health().status());
        assertEquals(problem, broken.health().message());
        ProviderException refused = assertThrows(ProviderException.class, () -> broken.chat(hello()));
        assertEquals(Category.INVALID_REQUEST, refused.error().category());
        assertEquals("scripted provider 'demo' is misconfigured (etc/io.mcpagent.provider.scripted~demo.cfg.json):"
                + " script etc/scripts/x.json does not exist", refused.error().message());
    }

    @Test
    void piecesSplitEvenlyAndKeepSurrogatePairsWhole() {
        assertEquals(List.of("ab", "cd", "ef"), ScriptedProvider.pieces("abcdef"));
        assertEquals(List.of("a"), ScriptedProvider.pieces("a"));
        assertEquals(List.of(""), ScriptedProvider.pieces(""));
        String emoji = "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02";
        assertEquals(List.of("\uD83D\uDE00", "\uD83D\uDE01", "\uD83D\uDE02"), ScriptedProvider.pieces(emoji));
    }
}
