package io.mcpagent.provider.bedrock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;

/** Answers, plain and streamed, as neutral responses and events. */
class BedrockResponseTest {
    private static final String SONNET = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private final FakeBedrock fake = new FakeBedrock();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of(SONNET, null, List.of(Message.user("hello")));
    }

    /** Reasoning with its signature, text, two tool uses, cache usage. */
    private static ObjectNode rich() {
        ObjectNode answer = FakeBedrock.answer("tool_use", 100, 80,
                FakeBedrock.reasoning("The user wants two cities; call the tool twice.", "EqQBCgIYAhIM1gbcDa9GJwZA"),
                FakeBedrock.textBlock("Checking the weather."),
                FakeBedrock.toolUse("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "get_weather", "{\"city\":\"Paris\",\"units\":{\"temp\":\"c\"}}"),
                FakeBedrock.toolUse("tooluse_4Bv2cJzmSZCkW9xGwUOvGA", "get_weather", "{\"city\":\"Rome\"}"));
        ((ObjectNode) answer.get("usage")).put("cacheReadInputTokens", 300).put("cacheWriteInputTokens", 20)
                .put("totalTokens", 500).putArray("cacheDetails");
        return answer;
    }

    @Test
    void aRichAnswerMapsPartByPart() {
        fake.enqueue(fake.converse(rich()));
        ChatResponse response = Configs.provider(fake.baseUri()).chat(hello());
        assertEquals(SONNET, response.model(), "Converse answers name no model: the one asked");
        assertEquals(FakeBedrock.REQUEST_ID, response.requestId());
        assertEquals(FakeBedrock.REQUEST_ID, response.id());
        assertEquals(Role.ASSISTANT, response.message().role());
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("tool_use", response.rawStopReason());
        assertNull(response.rateLimits(), "Bedrock sends no rate-limit headers");
        assertTrue(response.rawJson().contains("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q"));

        List<Part> parts = response.message().parts();
        assertEquals(4, parts.size(), parts.toString());
        ReasoningPart reasoning = assertInstanceOf(ReasoningPart.class, parts.get(0));
        assertEquals(new ReasoningPart("bedrock", SONNET, "The user wants two cities; call the tool twice.", null,
                "EqQBCgIYAhIM1gbcDa9GJwZA", null, false), reasoning);
        assertEquals(TextPart.of("Checking the weather."), parts.get(1));
        assertEquals(new ToolCallPart("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", null, "get_weather",
                "{\"city\":\"Paris\",\"units\":{\"temp\":\"c\"}}", Map.of()), parts.get(2));
        assertEquals("{\"city\":\"Rome\"}", assertInstanceOf(ToolCallPart.class, parts.get(3)).argumentsJson());

        assertEquals(100 + 300 + 20, response.usage().inputTokens(), "input plus cache reads and writes");
        assertEquals(300, response.usage().cachedReadTokens());
        assertEquals(20, response.usage().cacheWriteTokens());
        assertEquals(80, response.usage().outputTokens());
        assertEquals(Map.of("inputTokens", 100L, "outputTokens", 80L, "totalTokens", 500L, "cacheReadInputTokens", 300L,
                "cacheWriteInputTokens", 20L, "metrics.latencyMs", 812L), response.usage().raw());
    }

    @Test
    void theAnswerFeedsTheNextTurn() {
        fake.enqueue(fake.converse(rich()));
        ChatResponse first = Configs.provider(fake.baseUri()).chat(hello());
        List<Message> next = new ArrayList<>(List.of(Message.user("hello"), first.message()));
        for (ToolCallPart call : first.message().toolCalls()) {
            next.add(Message.of(Role.TOOL, List.of(new ToolResultPart(call.callId(), call.name(), List.of(TextPart.of("14C")), false))));
        }
        fake.enqueueText("done", 1, 1);
        Configs.provider(fake.baseUri()).chat(new ChatRequest(SONNET, List.of(), next,
                List.of(new ToolSpec("get_weather", "w", null, false)), null, null, null, null, null, Map.of()));
        assertEquals(rich().path("output").path("message").path("content").toString(),
                fake.last().json().path("messages").get(1).path("content").toString(),
                "the assistant turn goes back exactly as Bedrock gave it, reasoning signature included");
    }

    @ParameterizedTest
    @CsvSource({"end_turn,END_TURN", "max_tokens,MAX_TOKENS", "stop_sequence,STOP_SEQUENCE",
            "guardrail_intervened,CONTENT_FILTERED", "content_filtered,CONTENT_FILTERED",
            "model_context_window_exceeded,CONTEXT_WINDOW_EXCEEDED", "malformed_model_output,ERROR",
            "malformed_tool_use,ERROR", "tool_use,END_TURN", "something_new,OTHER"})
    void stopReasonsAreNormalisedAndKeptRaw(String raw, StopReason expected) {
        fake.enqueue(fake.converse(FakeBedrock.answer(raw, 1, 1, FakeBedrock.textBlock("x"))));
        ChatResponse response = Configs.provider(fake.baseUri()).chat(hello());
        assertEquals(expected, response.stopReason(), "tool_use without a tool call is a plain end of turn");
        assertEquals(raw, response.rawStopReason());
    }

    @Test
    void citedTextRedactedReasoningAndUnknownBlocks() {
        ObjectNode cited = FakeBedrock.JSON.createObjectNode();
        ObjectNode content = cited.putObject("citationsContent");
        content.putArray("content").addObject().put("text", "Paris is 14C.");
        ObjectNode citation = content.putArray("citations").addObject().put("title", "Weather report");
        citation.putArray("sourceContent").addObject().put("text", "Paris: 14 degrees");
        ObjectNode redacted = FakeBedrock.JSON.createObjectNode();
        redacted.putObject("reasoningContent").put("redactedContent", "c2VjcmV0IHRob3VnaHRz");
        ObjectNode unknown = FakeBedrock.JSON.createObjectNode();
        unknown.putObject("searchResult").put("source", "kb://1");
        fake.enqueue(fake.converse(FakeBedrock.answer("end_turn", 5, 5, redacted, cited, unknown)));
        List<Part> parts = Configs.provider(fake.baseUri()).chat(hello()).message().parts();
        assertEquals(List.of(new ReasoningPart("bedrock", SONNET, null, null, null, "c2VjcmV0IHRob3VnaHRz", true),
                TextPart.of("Paris is 14C."), new CitationPart("Weather report", null, "Paris: 14 degrees"),
                new OpaquePart("bedrock", "{\"searchResult\":{\"source\":\"kb://1\"}}")), parts);
    }

    @Test
    void aStreamedAnswerGivesIncrementalEventsAndTheSameResponse() {
        fake.enqueue(fake.converse(rich()));
        ChatResponse plain = Configs.provider(fake.baseUri()).chat(hello());
        fake.enqueue(fake.converse(rich()));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri()).stream(hello(), events::add);

        assertEquals(plain.message(), streamed.message());
        assertEquals(plain.usage(), streamed.usage());
        assertEquals(plain.stopReason(), streamed.stopReason());
        assertEquals(plain.rawStopReason(), streamed.rawStopReason());
        assertEquals(plain.requestId(), streamed.requestId());
        assertNotNull(plain.rawJson());
        assertNull(streamed.rawJson(), "the body as received is the plain answer's; a stream has none, and its answer is not written out again");

        assertEquals(new StreamEvent.MessageStart(FakeBedrock.REQUEST_ID, SONNET), events.get(0));
        assertEquals("The user wants two cities; call the tool twice.", events.stream()
                .filter(StreamEvent.ReasoningDelta.class::isInstance).map(e -> ((StreamEvent.ReasoningDelta) e).text())
                .collect(Collectors.joining()));
        assertTrue(events.stream().filter(StreamEvent.TextDelta.class::isInstance).count() > 1, "incremental text");
        assertTrue(events.contains(new StreamEvent.ToolCallStart(2, "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "get_weather")));
        assertEquals("{\"city\":\"Paris\",\"units\":{\"temp\":\"c\"}}", events.stream()
                .filter(e -> e instanceof StreamEvent.ToolCallArgsDelta delta && delta.blockIndex() == 2)
                .map(e -> ((StreamEvent.ToolCallArgsDelta) e).argumentsFragment()).collect(Collectors.joining()));
        assertTrue(events.contains(new StreamEvent.ToolCallEnd(3)));
        assertTrue(events.contains(new StreamEvent.BlockEnd(1)));
        assertInstanceOf(StreamEvent.UsageUpdate.class, events.get(events.size() - 2), "usage arrives after messageStop");
        assertEquals(new StreamEvent.MessageEnd(StopReason.TOOL_CALLS, "tool_use"), events.get(events.size() - 1),
                "the MessageEnd is the last event");
    }

    /** Usage {@code inputTokens}, {@code cacheWriteInputTokens} and {@code outputTokens}, with its total. */
    private static ObjectNode withCacheWrites(int inputTokens, int cacheWrites, int outputTokens) {
        ObjectNode answer = FakeBedrock.answer("end_turn", inputTokens, outputTokens, FakeBedrock.textBlock("ok"));
        ((ObjectNode) answer.get("usage")).put("cacheReadInputTokens", 0).put("cacheWriteInputTokens", cacheWrites)
                .put("totalTokens", inputTokens + cacheWrites + outputTokens);
        return answer;
    }

    /**
     * An OpenAI model's ConverseStream reports {@code inputTokens} with the cache writes in it (bifrost PR 6942 measured
     * 4995 with 4993 written, where the plain call said 2): the neutral input is that number, not its sum with the
     * writes, and the stream counts what the plain call counts.
     */
    @ParameterizedTest
    @CsvSource({"openai.gpt-5.6-sol", "us.openai.gpt-5.6-terra",
            "arn:aws:bedrock:us-east-1::foundation-model/openai.gpt-5.5"})
    void anOpenAiStreamCountsItsCacheWritesOnce(String model) {
        ChatRequest request = ChatRequest.of(model, null, List.of(Message.user("hello")));
        fake.enqueue(fake.converse(withCacheWrites(2, 4993, 19)));
        ChatResponse plain = Configs.provider(fake.baseUri()).chat(request);
        fake.enqueue(fake.frames(FakeBedrock.events(withCacheWrites(4995, 4993, 19))));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri()).stream(request, events::add);

        assertEquals(4995, plain.usage().inputTokens());
        assertEquals(4995, streamed.usage().inputTokens(), "the writes are counted once");
        assertEquals(4993, streamed.usage().cacheWriteTokens());
        assertEquals(19, streamed.usage().outputTokens());
        assertEquals(4995L, streamed.usage().raw().get("inputTokens"), "the raw counter as reported");
        assertEquals(new StreamEvent.UsageUpdate(streamed.usage()), events.get(events.size() - 2));
    }

    /** The documented sum stays for other families' streams, and for an OpenAI count too small to hold the cache's. */
    @ParameterizedTest
    @CsvSource({SONNET + ",2,4995", "openai.gpt-5.6-sol,2,4995", "openai.gpt-5.6-sol,4992,9985",
            "amazon.nova-pro-v1:0,4995,9988"})
    void otherStreamsAddTheCacheCountsToTheInput(String model, int inputTokens, long expected) {
        fake.enqueue(fake.frames(FakeBedrock.events(withCacheWrites(inputTokens, 4993, 19))));
        ChatResponse streamed = Configs.provider(fake.baseUri())
                .stream(ChatRequest.of(model, null, List.of(Message.user("hello"))), e -> { });
        assertEquals(expected, streamed.usage().inputTokens());
    }

    /** {@code cacheDetails} says which writes went to a one-hour cache, which costs more; plain and streamed. */
    @Test
    void theOneHourCacheWritesComeFromCacheDetails() {
        ObjectNode answer = withCacheWrites(10, 120, 5);
        ArrayNode details = ((ObjectNode) answer.get("usage")).putArray("cacheDetails");
        details.addObject().put("ttl", "1h").put("inputTokens", 100);
        details.addObject().put("ttl", "5m").put("inputTokens", 20);
        fake.enqueue(fake.converse(answer));
        ChatResponse plain = Configs.provider(fake.baseUri()).chat(hello());
        fake.enqueue(fake.frames(FakeBedrock.events(answer)));
        ChatResponse streamed = Configs.provider(fake.baseUri()).stream(hello(), e -> { });

        for (ChatResponse response : List.of(plain, streamed)) {
            assertEquals(130, response.usage().inputTokens());
            assertEquals(120, response.usage().cacheWriteTokens());
            assertEquals(100, response.usage().cacheWrite1hTokens());
            assertEquals(100L, response.usage().raw().get("cacheDetails.1h.inputTokens"));
            assertEquals(20L, response.usage().raw().get("cacheDetails.5m.inputTokens"));
        }
    }

    @Test
    void aStreamWithoutMetadataStillEndsAndInvalidToolJsonIsKeptAsText() {
        List<byte[]> frames = new ArrayList<>(FakeBedrock.events(FakeBedrock.answer("tool_use", 1, 1,
                FakeBedrock.toolUse("tooluse_1", "get_weather", "{}"))));
        frames.remove(frames.size() - 1);
        ObjectNode broken = FakeBedrock.JSON.createObjectNode();
        broken.putObject("toolUse").put("input", "{\"city\": \"Pa");
        frames.set(2, FakeBedrock.delta(0, broken));
        fake.enqueue(fake.frames(frames));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse response = Configs.provider(fake.baseUri()).stream(hello(), events::add);
        assertEquals("{\"city\": \"Pa", response.message().toolCalls().get(0).argumentsJson(),
                "the exact text the model produced");
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals(0, response.usage().totalTokens());
        assertInstanceOf(StreamEvent.MessageEnd.class, events.get(events.size() - 1));
    }

    @Test
    void streamedRedactedReasoningAndCitations() {
        ObjectNode redacted = FakeBedrock.JSON.createObjectNode();
        redacted.putObject("reasoningContent").put("redactedContent", "c2VjcmV0");
        List<byte[]> frames = new ArrayList<>(FakeBedrock.events(FakeBedrock.answer("end_turn", 1, 1, redacted,
                FakeBedrock.textBlock("Paris is 14C."))));
        ObjectNode citation = FakeBedrock.JSON.createObjectNode();
        citation.putObject("citation").put("title", "Weather report").putArray("sourceContent").addObject()
                .put("text", "Paris: 14 degrees");
        int stopOfText = frames.size() - 3;
        frames.add(stopOfText, FakeBedrock.delta(1, citation));
        fake.enqueue(fake.frames(frames));
        List<Part> parts = Configs.provider(fake.baseUri()).stream(hello(), e -> { }).message().parts();
        assertEquals(List.of(new ReasoningPart("bedrock", SONNET, null, null, null, "c2VjcmV0", true),
                TextPart.of("Paris is 14C."), new CitationPart("Weather report", null, "Paris: 14 degrees")), parts);
    }
}
