package io.mcpagent.provider.anthropic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;

/** Answers, plain and streamed, as neutral responses and events. */
class AnthropicResponseTest {
    private final FakeAnthropic fake = new FakeAnthropic();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("claude-sonnet-4-5", null, List.of(Message.user("hello")));
    }

    /** A rich answer: thinking, text with a citation, a server tool, two tool calls, cache usage. */
    private static ObjectNode rich() {
        ObjectNode text = FakeAnthropic.textBlock("Checking the weather.");
        ObjectNode server = FakeAnthropic.JSON.createObjectNode().put("type", "server_tool_use").put("id", "srvtoolu_01")
                .put("name", "web_search");
        server.putObject("input").put("query", "paris weather");
        ObjectNode message = FakeAnthropic.message("tool_use", 100, 80,
                FakeAnthropic.thinking("The user wants two cities; call the tool twice.", "EqQBCgIYAhIM1gbcDa9GJwZA"),
                text, server,
                FakeAnthropic.toolUse("toolu_01A", "get_weather", "{\"city\":\"Paris\",\"units\":{\"temp\":\"c\"}}"),
                FakeAnthropic.toolUse("toolu_01B", "get_weather", "{\"city\":\"Rome\"}"));
        ((ObjectNode) message.get("usage")).put("cache_creation_input_tokens", 20).put("cache_read_input_tokens", 300)
                .putObject("cache_creation").put("ephemeral_5m_input_tokens", 20).put("ephemeral_1h_input_tokens", 0);
        ((ObjectNode) message.get("usage")).put("service_tier", "standard");
        return message;
    }

    @Test
    void cacheWritesToTheOneHourCacheAreCountedApart() throws Exception {
        Usage usage = AnthropicAnswers.usage(FakeAnthropic.JSON.readTree("""
                {"input_tokens": 50, "cache_creation_input_tokens": 3000, "cache_read_input_tokens": 400,
                 "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000},
                 "output_tokens": 70}"""));
        assertEquals(50 + 3000 + 400, usage.inputTokens());
        assertEquals(3000, usage.cacheWriteTokens());
        assertEquals(2000, usage.cacheWrite1hTokens(), "the one-hour writes, which cost more");
        assertEquals(0, AnthropicAnswers.usage(FakeAnthropic.JSON.readTree("""
                {"input_tokens": 50, "cache_creation_input_tokens": 3000, "output_tokens": 70}""")).cacheWrite1hTokens(),
                "no split: every write at the five-minute price, the API's default");
    }

    @Test
    void aRichAnswerMapsPartByPart() {
        fake.enqueue(fake.message(rich()));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", response.id());
        assertEquals("claude-sonnet-4-5-20250929", response.model());
        assertEquals(Role.ASSISTANT, response.message().role());
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("tool_use", response.rawStopReason());
        assertEquals("req_fake_1", response.requestId());
        assertTrue(response.rawJson().contains("msg_01XFDUDYJgAACzvnptvVoYEL"));

        var parts = response.message().parts();
        assertEquals(5, parts.size(), parts.toString());
        ReasoningPart reasoning = assertInstanceOf(ReasoningPart.class, parts.get(0));
        assertEquals("anthropic", reasoning.provider());
        assertEquals("The user wants two cities; call the tool twice.", reasoning.text());
        assertEquals("EqQBCgIYAhIM1gbcDa9GJwZA", reasoning.signature());
        assertEquals("Checking the weather.", assertInstanceOf(TextPart.class, parts.get(1)).text());
        OpaquePart opaque = assertInstanceOf(OpaquePart.class, parts.get(2));
        assertTrue(opaque.rawJson().contains("\"server_tool_use\""), opaque.rawJson());
        ToolCallPart first = assertInstanceOf(ToolCallPart.class, parts.get(3));
        assertEquals("toolu_01A", first.callId());
        assertEquals("toolu_01A", first.providerCallId());
        assertEquals("get_weather", first.name());
        assertEquals("{\"city\":\"Paris\",\"units\":{\"temp\":\"c\"}}", first.argumentsJson());
        assertEquals("{\"city\":\"Rome\"}", assertInstanceOf(ToolCallPart.class, parts.get(4)).argumentsJson());

        Usage usage = response.usage();
        assertEquals(100 + 20 + 300, usage.inputTokens(), "input_tokens excludes cache reads and writes");
        assertEquals(300, usage.cachedReadTokens());
        assertEquals(20, usage.cacheWriteTokens());
        assertEquals(80, usage.outputTokens());
        assertEquals(100L, usage.raw().get("input_tokens"));
        assertEquals(20L, usage.raw().get("cache_creation.ephemeral_5m_input_tokens"));

        assertEquals(50L, response.rateLimits().requestLimit());
        assertEquals(49L, response.rateLimits().requestsRemaining());
        assertEquals(Instant.parse("2026-11-24T10:00:00Z"), response.rateLimits().requestsReset());
        assertEquals(79000L, response.rateLimits().tokensRemaining());
        assertEquals(39000L, response.rateLimits().inputTokensRemaining());
        assertEquals(16000L, response.rateLimits().outputTokensRemaining());
    }

    @Test
    void theStreamGivesTheSameAnswerAsThePlainCall() {
        fake.enqueue(fake.message(rich()));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());
        fake.enqueue(fake.message(rich()));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), events::add);

        assertEquals(plain.message(), streamed.message(), "same parts, signatures and tool calls");
        assertEquals(plain.usage(), streamed.usage());
        assertEquals(plain.stopReason(), streamed.stopReason());
        assertEquals(plain.rawStopReason(), streamed.rawStopReason());
        assertEquals(plain.id(), streamed.id());
        assertEquals(plain.model(), streamed.model());
        assertEquals("req_fake_1", streamed.requestId());
        assertEquals(plain.rateLimits(), streamed.rateLimits());
        assertNotNull(plain.rawJson());
        assertNull(streamed.rawJson(), "the body as received is the plain answer's; a stream has none, and its answer is not written out again");

        assertEquals(new StreamEvent.MessageStart("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929"), events.get(0));
        assertInstanceOf(StreamEvent.UsageUpdate.class, events.get(1));
        String reasoning = events.stream().filter(StreamEvent.ReasoningDelta.class::isInstance)
                .map(e -> ((StreamEvent.ReasoningDelta) e).text()).collect(Collectors.joining());
        assertEquals("The user wants two cities; call the tool twice.", reasoning);
        assertTrue(events.stream().filter(StreamEvent.ReasoningDelta.class::isInstance).count() > 1, "incremental");
        String text = events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text()).collect(Collectors.joining());
        assertEquals("Checking the weather.", text);
        assertTrue(events.contains(new StreamEvent.ToolCallStart(3, "toolu_01A", "get_weather")), events.toString());
        assertTrue(events.contains(new StreamEvent.ToolCallStart(4, "toolu_01B", "get_weather")));
        String arguments = events.stream().filter(e -> e instanceof StreamEvent.ToolCallArgsDelta d && d.blockIndex() == 3)
                .map(e -> ((StreamEvent.ToolCallArgsDelta) e).argumentsFragment()).collect(Collectors.joining());
        assertEquals("{\"city\":\"Paris\",\"units\":{\"temp\":\"c\"}}", arguments);
        assertTrue(events.contains(new StreamEvent.ToolCallEnd(3)));
        assertTrue(events.contains(new StreamEvent.BlockEnd(1)));
        StreamEvent.UsageUpdate lastUsage = (StreamEvent.UsageUpdate) events.stream()
                .filter(StreamEvent.UsageUpdate.class::isInstance).reduce((a, b) -> b).orElseThrow();
        assertEquals(80, lastUsage.usage().outputTokens(), "message_delta carries the cumulative output tokens");
        assertEquals(new StreamEvent.MessageEnd(StopReason.TOOL_CALLS, "tool_use"), events.get(events.size() - 1));
    }

    @Test
    void redactedThinkingAndCitationsSurvive() {
        ObjectNode text = FakeAnthropic.textBlock("Paris is the capital.");
        text.putArray("citations").addObject().put("type", "char_location").put("cited_text", "Paris is the capital of France.")
                .put("document_index", 0).put("document_title", "Atlas").put("start_char_index", 0).put("end_char_index", 30);
        ObjectNode redacted = FakeAnthropic.JSON.createObjectNode().put("type", "redacted_thinking").put("data", "EmwKAhgBEgy3va3p");
        fake.enqueue(fake.message(FakeAnthropic.message("end_turn", 5, 6, redacted, text)));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        ReasoningPart reasoning = assertInstanceOf(ReasoningPart.class, response.message().parts().get(0));
        assertTrue(reasoning.redacted());
        assertEquals("EmwKAhgBEgy3va3p", reasoning.encrypted());
        assertNull(reasoning.text());
        assertEquals(new CitationPart("Atlas", null, "Paris is the capital of France."), response.message().parts().get(2));
    }

    @Test
    void citationsDeltasInAStream() {
        List<String[]> events = List.of(
                new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}"},
                new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\",\"citations\":[]}}"},
                new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"web_search_result_location\",\"url\":\"https://example.com\",\"title\":\"Example\",\"cited_text\":\"cited\"}}}"},
                new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Said so.\"}}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
                new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}"},
                new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        fake.enqueue(fake.events(events));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { });
        assertEquals(List.of(TextPart.of("Said so."), new CitationPart("Example", "https://example.com", "cited")),
                response.message().parts());
        assertEquals(10, response.usage().inputTokens(), "input from message_start, kept when message_delta omits it");
        assertEquals(3, response.usage().outputTokens());
    }

    @ParameterizedTest
    @CsvSource({"end_turn,END_TURN", "max_tokens,MAX_TOKENS", "stop_sequence,STOP_SEQUENCE", "tool_use,TOOL_CALLS",
            "pause_turn,PAUSED", "refusal,REFUSAL", "model_context_window_exceeded,CONTEXT_WINDOW_EXCEEDED",
            "something_new,OTHER"})
    void stopReasons(String raw, StopReason expected) {
        ObjectNode message = FakeAnthropic.message(raw, 1, 1, FakeAnthropic.textBlock("x"));
        if (raw.equals("tool_use")) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) message.get("content")).add(FakeAnthropic.toolUse("toolu_1", "t", "{}"));
        }
        if (raw.equals("stop_sequence")) {
            message.put("stop_sequence", "END");
        }
        fake.enqueue(fake.message(message));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(expected, plain.stopReason());
        assertEquals(raw, plain.rawStopReason());
        fake.enqueue(fake.message(message));
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { });
        assertEquals(expected, streamed.stopReason());
        assertEquals(raw, streamed.rawStopReason());
    }

    @Test
    void aForcedOutputToolBecomesTheTextAnswer() {
        ChatRequest request = new ChatRequest(null, List.of(), List.of(Message.user("who?")), List.of(), null, null,
                new ResponseFormat.JsonSchema("person", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}", false),
                null, null, Map.of());
        ObjectNode answer = FakeAnthropic.message("tool_use", 3, 4, FakeAnthropic.toolUse("toolu_9", "person", "{\"name\":\"Ada\"}"));
        fake.enqueue(fake.message(answer));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k", Map.of("structuredOutput", "tool")).chat(request);
        assertEquals(List.of(TextPart.of("{\"name\":\"Ada\"}")), plain.message().parts());
        assertEquals(StopReason.END_TURN, plain.stopReason(), "the answer is complete, no tool to run");
        assertEquals("tool_use", plain.rawStopReason());

        fake.enqueue(fake.message(answer));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k", Map.of("structuredOutput", "tool")).stream(request, events::add);
        assertEquals(plain.message(), streamed.message());
        assertTrue(events.stream().noneMatch(StreamEvent.ToolCallStart.class::isInstance), events.toString());
        assertEquals("{\"name\":\"Ada\"}", events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text()).collect(Collectors.joining()));
        assertEquals(new StreamEvent.MessageEnd(StopReason.END_TURN, "tool_use"), events.get(events.size() - 1));
    }

    @Test
    void aNonObjectSchemaIsWrappedAndUnwrapped() {
        ChatRequest request = new ChatRequest(null, List.of(), List.of(Message.user("list")), List.of(), null, null,
                new ResponseFormat.JsonSchema("names", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", false),
                null, null, Map.of());
        fake.enqueue(fake.message(FakeAnthropic.message("tool_use", 3, 4,
                FakeAnthropic.toolUse("toolu_9", "names", "{\"value\":[\"a\",\"b\"]}"))));
        ChatResponse response = Configs.provider(fake.baseUri(), "k", Map.of("structuredOutput", "tool")).chat(request);
        assertEquals("[\"a\",\"b\"]", response.message().text());
        assertEquals("{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"value\"]}",
                fake.last().json().get("tools").get(0).get("input_schema").toString());
        fake.enqueue(fake.message(FakeAnthropic.message("tool_use", 3, 4,
                FakeAnthropic.toolUse("toolu_9", "names", "{\"value\":[\"a\",\"b\"]}"))));
        assertEquals("[\"a\",\"b\"]", Configs.provider(fake.baseUri(), "k", Map.of("structuredOutput", "tool"))
                .stream(request, e -> { }).message().text());
    }

    @Test
    void streamedToolArgumentsThatAreNoJsonAreKeptAsText() {
        List<String[]> events = List.of(
                new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}"},
                new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"t\",\"input\":{}}}"},
                new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\": tru\"}}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
                new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"u\",\"input\":{}}}"},
                new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"},
                new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}"},
                new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        fake.enqueue(fake.events(events));
        List<ToolCallPart> calls = Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { }).message().toolCalls();
        assertEquals("{\"a\": tru", calls.get(0).argumentsJson(), "the exact text, for the caller to judge");
        assertEquals("{}", calls.get(1).argumentsJson(), "no fragments means no arguments");
    }
}
