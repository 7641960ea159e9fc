package io.mcpagent.provider.gemini.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;

/** Answers and streams read into the neutral model. */
class GeminiResponseTest {
    private final FakeGemini fake = new FakeGemini();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("gemini-2.5-pro", null, List.of(Message.user("weather?")));
    }

    private static ObjectNode rich() {
        ObjectNode usage = FakeGemini.usage(120, 40, 25).put("cachedContentTokenCount", 100).put("toolUsePromptTokenCount", 7);
        usage.putArray("candidatesTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", 40);
        return FakeGemini.response("STOP", usage,
                FakeGemini.thought("The user wants two cities.", "dGhvdWdodC1zaWc="),
                FakeGemini.textPart("Checking Paris "), FakeGemini.textPart("and Rome."),
                FakeGemini.functionCall("fc_1", "get_weather", "{\"city\":\"Paris\"}").put("thoughtSignature", "c2lnLTE="),
                FakeGemini.functionCall(null, "get_weather", "{\"city\":\"Rome\",\"days\":[1,2]}"),
                (ObjectNode) FakeGemini.JSON.createObjectNode().set("executableCode",
                        FakeGemini.JSON.createObjectNode().put("language", "PYTHON").put("code", "print(1)")));
    }

    @Test
    void aRichAnswerMapsPartByPart() {
        ObjectNode answer = rich();
        fake.enqueue(fake.json(200, answer.toString()));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());

        assertEquals(FakeGemini.RESPONSE_ID, response.id());
        assertEquals(FakeGemini.MODEL_VERSION, response.model());
        List<?> parts = response.message().parts();
        assertEquals(5, parts.size(), parts.toString());
        ReasoningPart thought = assertInstanceOf(ReasoningPart.class, parts.get(0));
        assertEquals("gemini", thought.provider());
        assertEquals("The user wants two cities.", thought.text());
        assertEquals("dGhvdWdodC1zaWc=", thought.encrypted(), "the thought's signature, to replay");
        assertEquals("Checking Paris and Rome.", assertInstanceOf(TextPart.class, parts.get(1)).text(), "adjacent text joined");
        ToolCallPart paris = assertInstanceOf(ToolCallPart.class, parts.get(2));
        assertEquals("fc_1", paris.callId());
        assertEquals("fc_1", paris.providerCallId());
        assertEquals("{\"city\":\"Paris\"}", paris.argumentsJson());
        assertEquals(Map.of(GeminiRequests.SIGNATURE_META, "\"c2lnLTE=\""), paris.providerMeta());
        ToolCallPart rome = assertInstanceOf(ToolCallPart.class, parts.get(3));
        assertEquals("call_" + FakeGemini.RESPONSE_ID + "_1", rome.callId(), "an id synthesised from the response id and position");
        assertNull(rome.providerCallId(), "Gemini gave none, so none goes back");
        assertEquals("{\"city\":\"Rome\",\"days\":[1,2]}", rome.argumentsJson());
        assertEquals("{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"print(1)\"}}",
                assertInstanceOf(OpaquePart.class, parts.get(4)).rawJson());
        assertEquals(answer.at("/candidates/0/content").toString(),
                response.message().providerMeta().get(GeminiRequests.CONTENT_META), "the model turn kept as received");

        assertEquals(StopReason.TOOL_CALLS, response.stopReason(), "STOP with function calls");
        assertEquals("STOP", response.rawStopReason());
        Usage usage = response.usage();
        assertEquals(120, usage.inputTokens(), "promptTokenCount already includes the cached tokens");
        assertEquals(100, usage.cachedReadTokens());
        assertEquals(40 + 25, usage.outputTokens(), "thoughts are not part of candidatesTokenCount");
        assertEquals(25, usage.reasoningTokens());
        assertEquals(7, usage.toolPromptTokens());
        assertEquals(185L, usage.raw().get("totalTokenCount"));
        assertEquals(120L, usage.raw().get("promptTokensDetails.TEXT"));
        assertEquals(40L, usage.raw().get("candidatesTokensDetails.TEXT"));
        assertNull(response.rateLimits(), "Gemini sends no rate-limit headers");
        assertEquals(answer.toString(), response.rawJson());
    }

    @Test
    void theStreamGivesTheSameAnswerAsThePlainCall() {
        fake.enqueue(fake.json(200, rich().toString()));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());
        fake.enqueue(fake.answer(rich()));
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), events::add);

        assertEquals(plain.message().parts(), streamed.message().parts());
        assertEquals(plain.stopReason(), streamed.stopReason());
        assertEquals(plain.rawStopReason(), streamed.rawStopReason());
        assertEquals(plain.usage(), streamed.usage());
        assertEquals(plain.id(), streamed.id());
        assertNotNull(plain.rawJson());
        assertNull(streamed.rawJson(), "the body as received is the plain answer's; a stream has none, and its answer is not written out again");

        assertEquals(new StreamEvent.MessageStart(FakeGemini.RESPONSE_ID, FakeGemini.MODEL_VERSION), events.get(0));
        assertEquals(new StreamEvent.MessageEnd(StopReason.TOOL_CALLS, "STOP"), events.get(events.size() - 1));
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (StreamEvent event : events) {
            if (event instanceof StreamEvent.ReasoningDelta delta) {
                assertEquals(0, delta.blockIndex());
                reasoning.append(delta.text());
            } else if (event instanceof StreamEvent.TextDelta delta) {
                assertEquals(1, delta.blockIndex(), "both text parts form one block, as in the plain answer");
                text.append(delta.text());
            }
        }
        assertEquals("The user wants two cities.", reasoning.toString());
        assertEquals("Checking Paris and Rome.", text.toString());
        assertTrue(events.stream().filter(StreamEvent.TextDelta.class::isInstance).count() > 2, "incremental text");
        List<StreamEvent> tools = events.stream().filter(e -> e instanceof StreamEvent.ToolCallStart
                || e instanceof StreamEvent.ToolCallArgsDelta || e instanceof StreamEvent.ToolCallEnd).toList();
        assertEquals(List.of(new StreamEvent.ToolCallStart(2, "fc_1", "get_weather"),
                new StreamEvent.ToolCallArgsDelta(2, "{\"city\":\"Paris\"}"), new StreamEvent.ToolCallEnd(2),
                new StreamEvent.ToolCallStart(3, "call_" + FakeGemini.RESPONSE_ID + "_1", "get_weather"),
                new StreamEvent.ToolCallArgsDelta(3, "{\"city\":\"Rome\",\"days\":[1,2]}"), new StreamEvent.ToolCallEnd(3)), tools,
                "the same ids as the assembled answer");
        assertTrue(events.contains(new StreamEvent.BlockEnd(0)) && events.contains(new StreamEvent.BlockEnd(1)), events.toString());
        List<StreamEvent.UsageUpdate> usage = events.stream().filter(StreamEvent.UsageUpdate.class::isInstance)
                .map(StreamEvent.UsageUpdate.class::cast).toList();
        assertTrue(usage.size() > 1, "usage on every chunk");
        assertEquals(plain.usage(), usage.get(usage.size() - 1).usage(), "the last chunk's usage is the answer's");
    }

    @ParameterizedTest
    @CsvSource({"STOP,END_TURN", "MAX_TOKENS,MAX_TOKENS", "SAFETY,CONTENT_FILTERED", "RECITATION,CONTENT_FILTERED",
            "BLOCKLIST,CONTENT_FILTERED", "PROHIBITED_CONTENT,CONTENT_FILTERED", "SPII,CONTENT_FILTERED",
            "IMAGE_SAFETY,CONTENT_FILTERED", "MALFORMED_FUNCTION_CALL,ERROR", "UNEXPECTED_TOOL_CALL,ERROR",
            "TOO_MANY_TOOL_CALLS,ERROR", "LANGUAGE,OTHER", "OTHER,OTHER", "SOMETHING_NEWER,OTHER"})
    void finishReasons(String raw, StopReason expected) {
        fake.enqueue(fake.json(200, FakeGemini.response(raw, FakeGemini.usage(3, 2, 0), FakeGemini.textPart("partial")).toString()));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(expected, response.stopReason());
        assertEquals(raw, response.rawStopReason());
        assertEquals("partial", response.message().text());
    }

    @Test
    void aCandidateStoppedForSafetyWithoutContent() {
        fake.enqueue(fake.json(200, "{\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":"
                + "[{\"category\":\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\",\"blocked\":true}]}],"
                + "\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9},\"modelVersion\":\"gemini-2.5-flash\"}"));
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(StopReason.CONTENT_FILTERED, response.stopReason());
        assertEquals("SAFETY", response.rawStopReason());
        assertEquals(List.of(), response.message().parts());
        assertEquals(Map.of(), response.message().providerMeta(), "no content, nothing to replay");
        assertEquals(9, response.usage().inputTokens());
    }

    @Test
    void aBlockedPromptIsAnAnswerFilteredWithItsReason() {
        String blocked = "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\",\"blockReasonMessage\":\"The prompt"
                + " violates policy.\",\"safetyRatings\":[]},\"usageMetadata\":{\"promptTokenCount\":11,\"totalTokenCount\":11},"
                + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"blk1\"}";
        fake.enqueue(fake.json(200, blocked));
        assertBlocked(Configs.provider(fake.baseUri(), "k").chat(hello()));

        fake.enqueue(fake.events(List.of(blocked)));
        List<StreamEvent> events = new ArrayList<>();
        assertBlocked(Configs.provider(fake.baseUri(), "k").stream(hello(), events::add));
        assertEquals(new StreamEvent.MessageEnd(StopReason.CONTENT_FILTERED, "blockReason:PROHIBITED_CONTENT"),
                events.get(events.size() - 1));
    }

    private static void assertBlocked(ChatResponse response) {
        assertEquals(StopReason.CONTENT_FILTERED, response.stopReason());
        assertEquals("blockReason:PROHIBITED_CONTENT", response.rawStopReason(), "not mistaken for a finishReason");
        RefusalPart refusal = assertInstanceOf(RefusalPart.class, response.message().parts().get(0));
        assertEquals("Gemini blocked the prompt (blockReason PROHIBITED_CONTENT): The prompt violates policy.", refusal.text());
        assertEquals(11, response.usage().inputTokens());
        assertEquals("blk1", response.id());
    }

    @Test
    void aStructuredAnswerIsItsJsonText() {
        fake.enqueueText("{\"answer\":42}", 5, 4);
        ChatResponse response = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals("{\"answer\":42}", response.message().text());
        assertEquals(StopReason.END_TURN, response.stopReason());
    }

    @Test
    void aSignatureOnAnEmptyStreamedPartIsKeptForReplay() {
        List<String> chunks = new ArrayList<>(FakeGemini.chunks(FakeGemini.response(null, FakeGemini.usage(2, 2, 0),
                FakeGemini.textPart("Hello there"))));
        chunks.add("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\",\"thoughtSignature\":\"ZW5k\"}]},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"responseId\":\"" + FakeGemini.RESPONSE_ID + "\"}");
        fake.enqueue(fake.events(chunks));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse response = Configs.provider(fake.baseUri(), "k").stream(hello(), events::add);
        assertEquals(List.of(TextPart.of("Hello there")), response.message().parts());
        assertTrue(response.message().providerMeta().get(GeminiRequests.CONTENT_META).endsWith(
                "{\"text\":\"\",\"thoughtSignature\":\"ZW5k\"}]}"), response.message().providerMeta().toString());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertTrue(events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .allMatch(e -> !((StreamEvent.TextDelta) e).text().isEmpty()), "no empty deltas: " + events);
    }

    @Test
    void eachSignedThoughtIsItsOwnPartAndBlock() {
        ObjectNode answer = FakeGemini.response("STOP", FakeGemini.usage(3, 3, 9),
                FakeGemini.thought("First idea.", "c2lnLWE="), FakeGemini.thought("Second idea.", "c2lnLWI="),
                FakeGemini.textPart("Done."));
        fake.enqueue(fake.json(200, answer.toString()));
        ChatResponse plain = Configs.provider(fake.baseUri(), "k").chat(hello());
        assertEquals(List.of(new ReasoningPart("gemini", FakeGemini.MODEL_VERSION, "First idea.", null, null, "c2lnLWE=", false),
                new ReasoningPart("gemini", FakeGemini.MODEL_VERSION, "Second idea.", null, null, "c2lnLWI=", false),
                TextPart.of("Done.")), plain.message().parts(), "no signature is lost by joining thoughts");

        fake.enqueue(fake.answer(answer));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(hello(), events::add);
        assertEquals(plain.message().parts(), streamed.message().parts());
        assertEquals(List.of(0, 1), events.stream().filter(StreamEvent.ReasoningDelta.class::isInstance)
                .map(e -> ((StreamEvent.ReasoningDelta) e).blockIndex()).distinct().toList(), "one block per signed thought");
    }
}
