package io.mcpagent.provider.cohere.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;

/** Answers, plain and streamed: parts, tool calls, citations, usage, finish reasons, and the stream's events. */
class CohereResponseTest {
    private final FakeCohere fake = new FakeCohere();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("command-a-reasoning-08-2025", null, List.of(Message.user("weather?")));
    }

    /** A reasoning model's tool turn: thinking, a plan and two calls. */
    private static ObjectNode toolTurn() {
        ObjectNode response = FakeCohere.response("TOOL_CALL", 37, 28, FakeCohere.thinkingBlock("Two cities, two calls."));
        ObjectNode message = (ObjectNode) response.get("message");
        message.put("tool_plan", "I will search for the weather in Madrid and Brasilia.");
        message.putArray("tool_calls")
                .add(FakeCohere.toolCall("get_weather_p1t92w7gfgq7", "get_weather", "{\n    \"location\": \"Madrid\"\n}"))
                .add(FakeCohere.toolCall("get_weather_ay6nmvjgp9vn", "get_weather", "{\"location\":\"Brasilia\"}"));
        return response;
    }

    /** An answer grounded on tool output, with two citations. */
    private static ObjectNode citedAnswer() {
        ObjectNode response = FakeCohere.response("COMPLETE", 87, 19,
                FakeCohere.textBlock("It is 24°C in Madrid and 28°C in Brasilia."));
        ArrayNode citations = ((ObjectNode) response.get("message")).putArray("citations");
        ObjectNode first = citations.addObject().put("start", 6).put("end", 10).put("text", "24°C").put("type", "TEXT_CONTENT");
        first.putArray("sources").addObject().put("type", "tool").put("id", "get_weather_p1t92w7gfgq7:0")
                .putObject("tool_output").put("temperature", "{\"madrid\":\"24°C\"}");
        ObjectNode second = citations.addObject().put("start", 24).put("end", 28).put("text", "28°C").put("type", "TEXT_CONTENT");
        second.putArray("sources").addObject().put("type", "document").put("id", "doc-0")
                .putObject("document").put("title", "Brasilia weather").put("url", "https://example.com/brasilia");
        return response;
    }

    @Test
    void aToolTurnWithThinkingPlanAndTwoCalls() {
        fake.enqueue(fake.answer(toolTurn()));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(List.of(
                new ReasoningPart("cohere", "command-a-reasoning-08-2025", "Two cities, two calls.", null, null, null, false),
                TextPart.of("I will search for the weather in Madrid and Brasilia."),
                new ToolCallPart("get_weather_p1t92w7gfgq7", "get_weather_p1t92w7gfgq7", null, "get_weather",
                        "{\n    \"location\": \"Madrid\"\n}", Map.of()),
                new ToolCallPart("get_weather_ay6nmvjgp9vn", "get_weather_ay6nmvjgp9vn", null, "get_weather",
                        "{\"location\":\"Brasilia\"}", Map.of())), response.message().parts());
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("TOOL_CALL", response.rawStopReason());
        assertEquals("c14c80c3-18eb-4519-9460-6c92edd8cfb4", response.id());
        assertEquals("command-a-reasoning-08-2025", response.model(), "the answer names no model: the requested one");
        assertTrue(response.rawJson().contains("\"tool_plan\""), "the body as received");
        assertNull(response.rateLimits(), "Cohere documents no rate-limit headers");
    }

    @Test
    void theAnswerGoesBackUnchangedInTheNextTurn() {
        fake.enqueue(fake.answer(toolTurn()));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        fake.enqueueText("done", 1, 1);
        Configs.provider(fake.baseUri(), "k").chat(new ChatRequest("command-a-reasoning-08-2025", List.of(),
                List.of(Message.user("weather?"), response.message()), null, null, null, null, null, null, Map.of()));
        ObjectNode expected = FakeCohere.JSON.createObjectNode().put("role", "assistant")
                .put("tool_plan", "I will search for the weather in Madrid and Brasilia.");
        expected.set("tool_calls", toolTurn().get("message").get("tool_calls"));
        expected.putArray("content").add(FakeCohere.thinkingBlock("Two cities, two calls."));
        assertEquals(expected, fake.last().json().get("messages").get(1), "thinking, plan and calls round-trip");
    }

    @Test
    void citationsFollowTheText() {
        fake.enqueue(fake.answer(citedAnswer()));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(List.of(TextPart.of("It is 24°C in Madrid and 28°C in Brasilia."),
                new CitationPart("get_weather_p1t92w7gfgq7:0", null, "24°C"),
                new CitationPart("Brasilia weather", "https://example.com/brasilia", "28°C")), response.message().parts());
        assertEquals(StopReason.END_TURN, response.stopReason());
    }

    @Test
    void usageIsWhatIsBilledWithEveryCounterKept() {
        ObjectNode response = FakeCohere.response("COMPLETE", 0, 0, FakeCohere.textBlock("x"));
        ObjectNode usage = response.putObject("usage");
        usage.putObject("billed_units").put("input_tokens", 37.0).put("output_tokens", 28.0).put("search_units", 1.0);
        usage.putObject("tokens").put("input_tokens", 913.0).put("output_tokens", 83.0);
        usage.put("cached_tokens", 512.0);
        fake.enqueue(fake.answer(response));
        Usage parsed = Configs.provider(fake.baseUri(), "k").chat(hello()).usage();
        assertEquals(37, parsed.inputTokens(), "billed input, without Cohere's own prompt template");
        assertEquals(28, parsed.outputTokens());
        assertEquals(512, parsed.cachedReadTokens());
        assertEquals(Map.of("billed_units.input_tokens", 37L, "billed_units.output_tokens", 28L, "billed_units.search_units", 1L,
                "tokens.input_tokens", 913L, "tokens.output_tokens", 83L, "cached_tokens", 512L), parsed.raw());
    }

    @Test
    void withoutBilledUnitsTheTokensCount() {
        ObjectNode response = FakeCohere.response("COMPLETE", 0, 0, FakeCohere.textBlock("x"));
        response.putObject("usage").putObject("tokens").put("input_tokens", 15).put("output_tokens", 3);
        fake.enqueue(fake.answer(response));
        Usage parsed = Configs.provider(fake.baseUri(), "k").chat(hello()).usage();
        assertEquals(15, parsed.inputTokens());
        assertEquals(3, parsed.outputTokens());
    }

    @ParameterizedTest
    @CsvSource({"COMPLETE,END_TURN", "STOP_SEQUENCE,STOP_SEQUENCE", "MAX_TOKENS,MAX_TOKENS", "TOOL_CALL,TOOL_CALLS",
            "ERROR,ERROR", "TIMEOUT,ERROR", "SOMETHING_NEW,OTHER"})
    void finishReasons(String raw, StopReason expected) {
        ObjectNode response = FakeCohere.response(raw, 1, 1, FakeCohere.textBlock("x"));
        if (raw.equals("TOOL_CALL")) {
            ((ObjectNode) response.get("message")).putArray("tool_calls").add(FakeCohere.toolCall("t_1", "t", "{}"));
        }
        fake.enqueue(fake.answer(response));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(expected, plain.stopReason());
        assertEquals(raw, plain.rawStopReason());
        fake.enqueue(fake.answer(response));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), events::add);
        assertEquals(expected, streamed.stopReason());
        assertEquals(raw, streamed.rawStopReason());
        assertEquals(new StreamEvent.MessageEnd(expected, raw), events.get(events.size() - 1));
    }

    @Test
    void theToolsDecideWhetherThereIsACallToRun() {
        fake.enqueue(fake.answer(FakeCohere.response("TOOL_CALL", 1, 1, FakeCohere.textBlock("no call after all"))));
        assertEquals(StopReason.END_TURN, Configs.provider(fake.baseUri(), "k").chat(hello()).stopReason());
        ObjectNode complete = FakeCohere.response("COMPLETE", 1, 1);
        ((ObjectNode) complete.get("message")).putArray("tool_calls").add(FakeCohere.toolCall("t_1", "t", "{}"));
        fake.enqueue(fake.answer(complete));
        assertEquals(StopReason.TOOL_CALLS, Configs.provider(fake.baseUri(), "k").chat(hello()).stopReason());
    }

    @Test
    void aStreamedToolTurnArrivesIncrementallyAndAssemblesTheSameAnswer() {
        fake.enqueue(fake.answer(toolTurn()));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());
        fake.enqueue(fake.answer(toolTurn()));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), events::add);
        assertEquals(plain.message(), streamed.message());
        assertEquals(plain.stopReason(), streamed.stopReason());
        assertEquals(plain.usage(), streamed.usage());
        assertEquals(plain.id(), streamed.id());

        assertEquals(new StreamEvent.MessageStart("c14c80c3-18eb-4519-9460-6c92edd8cfb4", "command-a-reasoning-08-2025"),
                events.get(0));
        assertEquals(List.of("Two ", "citi", "es, ", "two ", "call", "s."), events.stream()
                .filter(StreamEvent.ReasoningDelta.class::isInstance).map(e -> ((StreamEvent.ReasoningDelta) e).text()).toList());
        assertTrue(events.contains(new StreamEvent.BlockEnd(0)), "the thinking block ends");
        List<StreamEvent.TextDelta> plan = events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .map(StreamEvent.TextDelta.class::cast).toList();
        assertTrue(plan.size() > 1, "the plan arrives in pieces: " + plan);
        assertTrue(plan.stream().allMatch(d -> d.blockIndex() == 1), "the plan is block 1, after the thinking");
        assertTrue(events.contains(new StreamEvent.BlockEnd(1)), "the plan's block ends when the first call starts");
        assertTrue(events.contains(new StreamEvent.ToolCallStart(2, "get_weather_p1t92w7gfgq7", "get_weather")));
        assertTrue(events.contains(new StreamEvent.ToolCallStart(3, "get_weather_ay6nmvjgp9vn", "get_weather")),
                "Cohere's tool call index 1 is neutral block 3: content and calls are numbered apart");
        List<String> fragments = events.stream().filter(StreamEvent.ToolCallArgsDelta.class::isInstance)
                .map(StreamEvent.ToolCallArgsDelta.class::cast).filter(d -> d.blockIndex() == 3)
                .map(StreamEvent.ToolCallArgsDelta::argumentsFragment).toList();
        assertEquals(List.of("{\"loc", "ation", "\":\"Br", "asili", "a\"}"), fragments);
        assertTrue(events.contains(new StreamEvent.ToolCallEnd(3)));
        StreamEvent.UsageUpdate usage = events.stream().filter(StreamEvent.UsageUpdate.class::isInstance)
                .map(StreamEvent.UsageUpdate.class::cast).findFirst().orElseThrow();
        assertEquals(37, usage.usage().inputTokens());
        assertEquals(new StreamEvent.MessageEnd(StopReason.TOOL_CALLS, "TOOL_CALL"), events.get(events.size() - 1));
    }

    @Test
    void aStreamedCitedAnswerKeepsItsCitations() {
        fake.enqueue(fake.answer(citedAnswer()));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());
        fake.enqueue(fake.answer(citedAnswer()));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), events::add);
        assertEquals(plain.message(), streamed.message());
        assertEquals("It is 24°C in Madrid and 28°C in Brasilia.", events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).text()).collect(Collectors.joining()));
    }

    @Test
    void aStreamWithDataLinesOnly() {
        fake.enqueue(fake.events(FakeCohere.events(FakeCohere.response("COMPLETE", 5, 2, FakeCohere.textBlock("Hello there"))),
                false));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { });
        assertEquals("Hello there", response.message().text());
        assertEquals(5, response.usage().inputTokens());
    }

    @Test
    void aWrappedSchemaAnswerIsUnwrapped() {
        ChatRequest request = new ChatRequest(null, List.of(), List.of(Message.user("list")), List.of(), null, null,
                new ResponseFormat.JsonSchema("names", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", false),
                null, null, Map.of());
        ObjectNode answer = FakeCohere.response("COMPLETE", 3, 4, FakeCohere.textBlock("{\"value\": [\"a\", \"b\"]}"));
        fake.enqueue(fake.answer(answer));
        assertEquals(List.of(TextPart.of("[\"a\",\"b\"]")), Configs.provider(fake.baseUri(), "k").chat(request).message().parts());
        fake.enqueue(fake.answer(answer));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(request, events::add);
        assertEquals(List.of(TextPart.of("[\"a\",\"b\"]")), streamed.message().parts());
        assertEquals(List.of(new StreamEvent.TextDelta(0, "[\"a\",\"b\"]")), events.stream()
                .filter(StreamEvent.TextDelta.class::isInstance).toList(), "one delta with the value, not the wrapper");
    }

    @Test
    void anObjectSchemaAnswerIsTheTextAsItCame() {
        ChatRequest request = new ChatRequest(null, List.of(), List.of(Message.user("who")), List.of(), null, null,
                new ResponseFormat.JsonSchema("person", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                        + "\"required\":[\"name\"]}", false), null, null, Map.of());
        fake.enqueue(fake.answer(FakeCohere.response("COMPLETE", 3, 4, FakeCohere.textBlock("{\"name\": \"Ada\"}"))));
        assertEquals("{\"name\": \"Ada\"}", Configs.provider(fake.baseUri(), "k").chat(request).message().text());
    }

    @Test
    void contentOfAnUnknownTypeIsKeptAndReplayed() {
        ObjectNode block = FakeCohere.JSON.createObjectNode().put("type", "hologram").put("payload", "42");
        fake.enqueue(fake.answer(FakeCohere.response("COMPLETE", 1, 1, block, FakeCohere.textBlock("done"))));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(new OpaquePart("cohere", "{\"type\":\"hologram\",\"payload\":\"42\"}"), response.message().parts().get(0));
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "k").chat(new ChatRequest(null, List.of(), List.of(Message.user("x"),
                response.message(), Message.user("y")), null, null, null, null, null, null, Map.of()));
        assertEquals("[{\"type\":\"hologram\",\"payload\":\"42\"},{\"type\":\"text\",\"text\":\"done\"}]",
                fake.last().json().get("messages").get(1).get("content").toString());
    }

    @Test
    void aStreamedErrorFinishEndsWithTheStopReasonAndKeepsTheMessage() {
        List<String[]> events = List.of(
                FakeCohere.frame(FakeCohere.event("message-start").put("id", "m-1")),
                new String[] {"content-start", "{\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}"},
                new String[] {"content-delta", "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Partial\"}}}}"},
                new String[] {"message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\",\"error\":\"internal generation error\"}}"});
        fake.enqueue(fake.events(events));
        List<StreamEvent> seen = new ArrayList<>();
        ChatResponse response = Configs.provider(fake.baseUri(), "k").stream(hello(), seen::add);
        assertEquals(StopReason.ERROR, response.stopReason());
        assertEquals("Partial", response.message().text());
        assertEquals("{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\",\"error\":\"internal generation error\"}}",
                response.rawJson(), "the end event as received, not the assembled answer written out again");
        assertInstanceOf(StreamEvent.MessageEnd.class, seen.get(seen.size() - 1));
        assertEquals(Message.of(Role.ASSISTANT, List.of(TextPart.of("Partial"))), response.message());
    }
}
