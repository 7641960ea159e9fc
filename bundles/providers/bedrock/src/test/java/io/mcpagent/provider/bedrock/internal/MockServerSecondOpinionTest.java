package io.mcpagent.provider.bedrock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockserver.llm.ParsedConversation;
import org.mockserver.llm.ParsedMessage;
import org.mockserver.llm.codec.BedrockConverseCodec;
import org.mockserver.llm.codec.BedrockEventStreamEncoder;
import org.mockserver.model.Completion;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.HttpResponse;
import org.mockserver.model.SseEvent;
import org.mockserver.model.StreamingPhysics;
import org.mockserver.model.ToolUse;
import org.mockserver.model.Usage;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;

/**
 * A second opinion from an independent implementation of the wire format: MockServer's Bedrock Converse codec encodes
 * answers that our adapter must read (plain, and streamed as frames of MockServer's own event-stream encoder), it
 * decodes the requests our adapter writes, and its event-stream decoder reads the frames our fake writes.
 */
class MockServerSecondOpinionTest {
    private static final String SONNET = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private final FakeBedrock fake = new FakeBedrock();
    private final BedrockConverseCodec codec = new BedrockConverseCodec();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of(SONNET, null, List.of(Message.user("weather?")));
    }

    private static Completion completion() {
        return Completion.completion().withText("Checking both cities.")
                .withToolCalls(ToolUse.toolUse("get_weather").withId("tooluse_01A").withArguments("{\"city\":\"Paris\"}"),
                        ToolUse.toolUse("get_weather").withId("tooluse_01B").withArguments("{\"city\":\"Rome\"}"))
                .withUsage(Usage.usage().withInputTokens(120).withOutputTokens(45));
    }

    @Test
    void readsMockServersPlainAnswer() {
        HttpResponse encoded = codec.encode(completion(), SONNET);
        fake.enqueue(fake.json(encoded.getStatusCode(), encoded.getBodyAsString()));
        assertAnswer(Configs.provider(fake.baseUri()).chat(hello()), encoded.getBodyAsString());
    }

    @Test
    void readsMockServersEventStreamAndAssemblesTheSameAnswer() {
        HttpResponse encoded = codec.encode(completion(), SONNET);
        fake.enqueue(fake.json(200, encoded.getBodyAsString()));
        ChatResponse plain = Configs.provider(fake.baseUri()).chat(hello());

        List<SseEvent> events = codec.encodeStreaming(completion(), SONNET, StreamingPhysics.streamingPhysics());
        List<byte[]> frames = new ArrayList<>();
        events.forEach(event -> frames.add(BedrockEventStreamEncoder.encodeEvent(event.getEvent(), event.getData())));
        fake.enqueue(fake.frames(frames));
        List<StreamEvent> seen = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri()).stream(hello(), seen::add);
        assertAnswer(streamed, String.join("\n", events.stream().map(e -> e.getEvent() + " " + e.getData()).toList()));
        assertEquals(plain.message(), streamed.message());
        assertEquals(plain.usage().inputTokens(), streamed.usage().inputTokens());
        assertEquals(plain.usage().outputTokens(), streamed.usage().outputTokens());
        assertTrue(seen.stream().anyMatch(StreamEvent.TextDelta.class::isInstance), "text deltas: " + seen);
        assertEquals(2, seen.stream().filter(StreamEvent.ToolCallStart.class::isInstance).count(), seen.toString());
        assertInstanceOf(StreamEvent.MessageEnd.class, seen.get(seen.size() - 1));
    }

    private static void assertAnswer(ChatResponse response, String wire) {
        List<Part> parts = response.message().parts();
        assertEquals(3, parts.size(), parts + " from " + wire);
        assertEquals("Checking both cities.", assertInstanceOf(TextPart.class, parts.get(0)).text());
        ToolCallPart paris = assertInstanceOf(ToolCallPart.class, parts.get(1));
        assertEquals("tooluse_01A", paris.callId());
        assertEquals("get_weather", paris.name());
        assertEquals("{\"city\":\"Paris\"}", paris.argumentsJson());
        assertEquals("{\"city\":\"Rome\"}", assertInstanceOf(ToolCallPart.class, parts.get(2)).argumentsJson());
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("tool_use", response.rawStopReason());
        assertEquals(120, response.usage().inputTokens());
        assertEquals(45, response.usage().outputTokens());
    }

    @Test
    void mockServerReadsTheRequestWeWrite() {
        List<Message> messages = List.of(
                Message.user("Weather in Paris and Rome?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("Checking."),
                        ToolCallPart.of("tooluse_01A", "get_weather", "{\"city\":\"Paris\"}"),
                        ToolCallPart.of("tooluse_01B", "get_weather", "{\"city\":\"Rome\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("tooluse_01A", "get_weather", List.of(TextPart.of("14C")), false))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("tooluse_01B", "get_weather", List.of(TextPart.of("timeout")), true))));
        ChatRequest request = new ChatRequest(SONNET, List.of(Instruction.of("Be terse.")), messages,
                List.of(new ToolSpec("get_weather", "Weather", null, false)), null, null, null, null, null, Map.of());
        fake.enqueueText("done", 1, 1);
        Configs.provider(fake.baseUri()).chat(request);

        ParsedConversation parsed = codec.decode(HttpRequest.request().withMethod("POST").withPath(fake.last().rawPath())
                .withBody(fake.last().body()));
        List<ParsedMessage> wire = parsed.getMessages();
        ParsedMessage system = wire.stream().filter(m -> m.getRole() == ParsedMessage.Role.SYSTEM).findFirst()
                .orElseThrow(() -> new AssertionError(wire.toString()));
        assertEquals("Be terse.", system.getTextContent());
        ParsedMessage assistant = wire.stream().filter(m -> m.getRole() == ParsedMessage.Role.ASSISTANT).findFirst().orElseThrow();
        assertEquals(List.of("tooluse_01A", "tooluse_01B"), assistant.getToolCalls().stream().map(ToolUse::getId).toList());
        assertEquals(List.of("get_weather", "get_weather"), assistant.getToolCalls().stream().map(ToolUse::getName).toList());
        Map<String, String> results = new HashMap<>();
        wire.forEach(m -> results.putAll(m.getToolResults()));
        assertEquals("14C", results.get("tooluse_01A"), wire.toString());
        assertEquals("timeout", results.get("tooluse_01B"));
    }

    @Test
    void mockServersDecoderReadsOurFakesFrames() {
        List<byte[]> frames = FakeBedrock.events(FakeBedrock.answer("end_turn", 3, 2, FakeBedrock.textBlock("Hello")));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        frames.forEach(stream::writeBytes);
        List<BedrockEventStreamEncoder.DecodedMessage> decoded = BedrockEventStreamEncoder.decode(stream.toByteArray());
        assertEquals(frames.size(), decoded.size(), "every frame's CRCs and lengths accepted");
        assertEquals("messageStart", decoded.get(0).getHeaders().get(":event-type"));
        assertEquals("event", decoded.get(0).getHeaders().get(":message-type"));
        assertTrue(decoded.get(1).getPayloadAsString().contains("\"delta\":{\"text\":\"Hello\"}"),
                new String(decoded.get(1).getPayload(), StandardCharsets.UTF_8));
        assertEquals("metadata", decoded.get(decoded.size() - 1).getHeaders().get(":event-type"));
    }
}
