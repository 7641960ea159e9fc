package io.mcpagent.provider.gemini.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockserver.llm.ParsedConversation;
import org.mockserver.llm.ParsedMessage;
import org.mockserver.llm.codec.GeminiCodec;
import org.mockserver.model.Completion;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.HttpResponse;
import org.mockserver.model.SseEvent;
import org.mockserver.model.StreamingPhysics;
import org.mockserver.model.ToolUse;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Instruction;
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
 * A second opinion from an independent implementation of the wire format: MockServer's Gemini codec encodes
 * answers (plain and streamed) that our adapter must read, and decodes the requests our adapter writes.
 */
class MockServerSecondOpinionTest {
    private final FakeGemini fake = new FakeGemini();
    private final GeminiCodec codec = new GeminiCodec();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("gemini-2.5-flash", null, List.of(Message.user("weather?")));
    }

    private static Completion completion() {
        return Completion.completion().withText("Checking both cities.").withReasoningText("Two cities, two calls.")
                .withToolCalls(ToolUse.toolUse("get_weather").withId("fc_paris").withArguments("{\"city\":\"Paris\"}"),
                        ToolUse.toolUse("get_weather").withArguments("{\"city\":\"Rome\"}"))
                .withUsage(org.mockserver.model.Usage.usage().withInputTokens(120).withOutputTokens(45)
                        .withCachedInputTokens(100).withReasoningTokens(7));
    }

    @Test
    void readsMockServersPlainAnswer() {
        HttpResponse encoded = codec.encode(completion(), "gemini-2.5-flash");
        fake.enqueue(fake.json(encoded.getStatusCode(), encoded.getBodyAsString()));
        assertAnswer(Configs.provider(fake.baseUri(), "k").chat(hello()));
    }

    @Test
    void readsMockServersStreamAndAssemblesTheSameAnswer() {
        HttpResponse encoded = codec.encode(completion(), "gemini-2.5-flash");
        fake.enqueue(fake.json(200, encoded.getBodyAsString()));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());

        List<SseEvent> sse = codec.encodeStreaming(completion(), "gemini-2.5-flash", StreamingPhysics.streamingPhysics());
        fake.enqueue(fake.events(sse.stream().map(SseEvent::getData).toList()));
        List<StreamEvent> seen = new java.util.ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), seen::add);
        assertAnswer(streamed);
        assertEquals(plain.message().parts(), streamed.message().parts());
        assertEquals(plain.usage(), streamed.usage());
        assertTrue(seen.stream().filter(StreamEvent.TextDelta.class::isInstance).count() > 1, "incremental text: " + seen);
        assertInstanceOf(StreamEvent.MessageEnd.class, seen.get(seen.size() - 1));
    }

    private static void assertAnswer(ChatResponse response) {
        List<?> parts = response.message().parts();
        assertEquals(4, parts.size(), parts.toString());
        assertEquals("Two cities, two calls.", assertInstanceOf(ReasoningPart.class, parts.get(0)).text());
        assertEquals("Checking both cities.", assertInstanceOf(TextPart.class, parts.get(1)).text());
        ToolCallPart paris = assertInstanceOf(ToolCallPart.class, parts.get(2));
        assertEquals("fc_paris", paris.callId());
        assertEquals("{\"city\":\"Paris\"}", paris.argumentsJson());
        ToolCallPart rome = assertInstanceOf(ToolCallPart.class, parts.get(3));
        assertNull(rome.providerCallId());
        assertEquals("call_1", rome.callId(), "MockServer sends no responseId, so position alone names the call");
        assertEquals("{\"city\":\"Rome\"}", rome.argumentsJson());
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("STOP", response.rawStopReason());
        assertEquals(120, response.usage().inputTokens());
        assertEquals(100, response.usage().cachedReadTokens());
        assertEquals(45, response.usage().outputTokens(), "candidates plus thoughts");
        assertEquals(7, response.usage().reasoningTokens());
    }

    @Test
    void mockServerReadsTheRequestWeWrite() {
        List<Message> messages = List.of(
                Message.user("Weather and time in Paris?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("Checking."),
                        new ToolCallPart("fc_w", "fc_w", null, "get_weather", "{\"city\":\"Paris\"}", Map.of()),
                        ToolCallPart.of("call_1", "get_time", "{\"city\":\"Paris\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("call_1", "get_time", List.of(TextPart.of("timeout")), true))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("fc_w", "get_weather", List.of(TextPart.of("14C")), false))));
        ChatRequest request = new ChatRequest("gemini-2.5-flash", List.of(Instruction.of("Be terse.")), messages,
                List.of(new ToolSpec("get_weather", "Weather", null, false), new ToolSpec("get_time", "Time", null, false)),
                null, null, null, null, null, Map.of());
        fake.enqueueText("done", 1, 1);
        Configs.provider(fake.baseUri(), "k").chat(request);

        ParsedConversation parsed = codec.decode(HttpRequest.request().withMethod("POST")
                .withPath("/v1beta/models/gemini-2.5-flash:generateContent").withBody(fake.last().body()));
        List<ParsedMessage> wire = parsed.getMessages();
        assertEquals(List.of(ParsedMessage.Role.SYSTEM, ParsedMessage.Role.USER, ParsedMessage.Role.ASSISTANT, ParsedMessage.Role.TOOL),
                wire.stream().map(ParsedMessage::getRole).toList(), "a user turn of function responses reads as tool results");
        assertEquals("Be terse.", wire.get(0).getTextContent());
        ParsedMessage assistant = wire.get(2);
        assertEquals("Checking.", assistant.getTextContent());
        assertEquals(List.of("get_weather", "get_time"), assistant.getToolCalls().stream().map(ToolUse::getName).toList());
        assertEquals(List.of("{\"city\":\"Paris\"}", "{\"city\":\"Paris\"}"),
                assistant.getToolCalls().stream().map(ToolUse::getArguments).toList());
        // MockServer keys results by function name (it would hold one of two calls of the same tool)
        Map<String, String> results = wire.get(3).getToolResults();
        assertEquals("{\"output\":\"14C\"}", results.get("get_weather"), results.toString());
        assertEquals("{\"error\":\"timeout\"}", results.get("get_time"), results.toString());
    }
}
