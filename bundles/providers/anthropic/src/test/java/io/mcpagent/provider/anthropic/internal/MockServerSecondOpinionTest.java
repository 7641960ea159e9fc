package io.mcpagent.provider.anthropic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockserver.llm.ParsedConversation;
import org.mockserver.llm.ParsedMessage;
import org.mockserver.llm.codec.AnthropicCodec;
import org.mockserver.model.Completion;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.HttpResponse;
import org.mockserver.model.SseEvent;
import org.mockserver.model.StreamingPhysics;
import org.mockserver.model.ToolUse;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;

/**
 * A second opinion from an independent implementation of the wire format: MockServer's Anthropic codec encodes
 * answers (plain and streamed) that our adapter must read, and decodes the requests our adapter writes.
 */
class MockServerSecondOpinionTest {
    private final FakeAnthropic fake = new FakeAnthropic();
    private final AnthropicCodec codec = new AnthropicCodec();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("claude-sonnet-4-5", null, List.of(Message.user("weather?")));
    }

    private static Completion completion() {
        return Completion.completion().withText("Checking both cities.")
                .withReasoningText("Two cities, two calls.").withReasoningSignature("EqQBCgIYAhIM1gbcDa9GJwZA")
                .withToolCalls(ToolUse.toolUse("get_weather").withId("toolu_01A").withArguments("{\"city\":\"Paris\"}"),
                        ToolUse.toolUse("get_weather").withId("toolu_01B").withArguments("{\"city\":\"Rome\"}"))
                .withUsage(org.mockserver.model.Usage.usage().withInputTokens(120).withOutputTokens(45)
                        .withCachedInputTokens(1000).withCacheCreationTokens(30));
    }

    @Test
    void readsMockServersPlainAnswer() {
        HttpResponse encoded = codec.encode(completion(), "claude-sonnet-4-5");
        fake.enqueue(fake.json(encoded.getStatusCode(), encoded.getBodyAsString()));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertAnswer(response);
    }

    @Test
    void readsMockServersStreamAndAssemblesTheSameAnswer() {
        HttpResponse encoded = codec.encode(completion(), "claude-sonnet-4-5");
        fake.enqueue(fake.json(200, encoded.getBodyAsString()));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());

        List<SseEvent> sse = codec.encodeStreaming(completion(), "claude-sonnet-4-5", StreamingPhysics.streamingPhysics());
        List<String[]> events = new ArrayList<>();
        sse.forEach(event -> events.add(new String[] {event.getEvent(), event.getData()}));
        fake.enqueue(fake.events(events));
        List<StreamEvent> seen = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), seen::add);
        assertAnswer(streamed);
        assertEquals(plain.message(), streamed.message());
        assertEquals(plain.usage().inputTokens(), streamed.usage().inputTokens());
        assertEquals(plain.usage().outputTokens(), streamed.usage().outputTokens());
        assertTrue(seen.stream().filter(StreamEvent.TextDelta.class::isInstance).count() > 1, "incremental text: " + seen);
        assertInstanceOf(StreamEvent.MessageEnd.class, seen.get(seen.size() - 1));
    }

    private static void assertAnswer(ChatResponse response) {
        List<?> parts = response.message().parts();
        assertEquals(4, parts.size(), parts.toString());
        ReasoningPart reasoning = assertInstanceOf(ReasoningPart.class, parts.get(0));
        assertEquals("Two cities, two calls.", reasoning.text());
        assertEquals("EqQBCgIYAhIM1gbcDa9GJwZA", reasoning.signature());
        assertEquals("Checking both cities.", assertInstanceOf(TextPart.class, parts.get(1)).text());
        ToolCallPart paris = assertInstanceOf(ToolCallPart.class, parts.get(2));
        assertEquals("toolu_01A", paris.callId());
        assertEquals("{\"city\":\"Paris\"}", paris.argumentsJson());
        assertEquals("{\"city\":\"Rome\"}", assertInstanceOf(ToolCallPart.class, parts.get(3)).argumentsJson());
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("tool_use", response.rawStopReason());
        assertEquals(120 + 1000 + 30, response.usage().inputTokens(), "input plus cache reads and writes");
        assertEquals(1000, response.usage().cachedReadTokens());
        assertEquals(30, response.usage().cacheWriteTokens());
        assertEquals(45, response.usage().outputTokens());
    }

    @Test
    void mockServerReadsTheRequestWeWrite() {
        List<Message> messages = List.of(
                Message.user("Weather in Paris and Rome?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("Checking."),
                        ToolCallPart.of("toolu_01A", "get_weather", "{\"city\":\"Paris\"}"),
                        ToolCallPart.of("toolu_01B", "get_weather", "{\"city\":\"Rome\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("toolu_01A", "get_weather", List.of(TextPart.of("14C")), false))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("toolu_01B", "get_weather", List.of(TextPart.of("timeout")), true))));
        ChatRequest request = new ChatRequest("claude-sonnet-4-5", List.of(io.mcpagent.api.llm.Instruction.of("Be terse.")),
                messages, List.of(new ToolSpec("get_weather", "Weather", null, false)), null, null, null, null, null, Map.of());
        fake.enqueueText("done", 1, 1);
        Configs.provider(fake.baseUri(), "k").chat(request);

        ParsedConversation parsed = codec.decode(HttpRequest.request().withMethod("POST").withPath("/v1/messages")
                .withBody(fake.last().body()));
        List<ParsedMessage> wire = parsed.getMessages();
        List<ParsedMessage.Role> roles = wire.stream().map(ParsedMessage::getRole).toList();
        assertTrue(roles.contains(ParsedMessage.Role.SYSTEM), roles.toString());
        ParsedMessage system = wire.stream().filter(m -> m.getRole() == ParsedMessage.Role.SYSTEM).findFirst().orElseThrow();
        assertEquals("Be terse.", system.getTextContent());
        ParsedMessage assistant = wire.stream().filter(m -> m.getRole() == ParsedMessage.Role.ASSISTANT).findFirst().orElseThrow();
        assertEquals(List.of("toolu_01A", "toolu_01B"), assistant.getToolCalls().stream().map(ToolUse::getId).toList());
        assertEquals(List.of("get_weather", "get_weather"), assistant.getToolCalls().stream().map(ToolUse::getName).toList());
        Map<String, String> results = new java.util.HashMap<>();
        wire.forEach(m -> results.putAll(m.getToolResults()));
        assertEquals("14C", results.get("toolu_01A"), wire.toString());
        assertEquals("timeout", results.get("toolu_01B"));
    }
}
