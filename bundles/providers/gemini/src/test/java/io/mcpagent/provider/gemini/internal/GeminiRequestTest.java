package io.mcpagent.provider.gemini.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ReasoningParams;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolChoice;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;

/** The request as it reaches the wire: path, query, headers and the body field by field. */
class GeminiRequestTest {
    private static final String WEATHER_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Current weather for a city", WEATHER_SCHEMA, true);
    private final FakeGemini fake = new FakeGemini();

    @AfterEach
    void stop() {
        fake.close();
    }

    private JsonNode send(ChatRequest request, Map<String, Object> config) {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "AIza-test-key", config).chat(request);
        return fake.last().json();
    }

    private JsonNode send(ChatRequest request) {
        return send(request, Map.of());
    }

    private static ChatRequest request(List<Message> messages, List<ToolSpec> tools, ToolChoice choice, ResponseFormat format) {
        return new ChatRequest("gemini-2.5-flash", List.of(), messages, tools, choice, null, format, null, null, Map.of());
    }

    private ProviderException refused(ChatRequest request) {
        int before = fake.requests();
        ProviderException failure = assertThrows(ProviderException.class,
                () -> Configs.provider(fake.baseUri(), "k").chat(request));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertFalse(failure.error().retryable());
        assertEquals(before, fake.requests(), "refused before anything is sent");
        return failure;
    }

    @Test
    void pathHeadersAndTheKeyInAHeaderOnly() {
        JsonNode body = send(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        FakeGemini.Captured request = fake.last();
        assertEquals("POST", request.method());
        assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", request.path(), "the first model is the default");
        assertNull(request.query(), "no ?key= in the URL");
        assertEquals("AIza-test-key", request.header("x-goog-api-key"));
        assertTrue(request.header("content-type").startsWith("application/json"));
        assertEquals("application/json", request.header("accept"));
        assertNull(request.header("authorization"), "Gemini takes x-goog-api-key, not a bearer token");
        assertFalse(body.has("model"), "the model is in the path, not the body");
        assertEquals("[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]", body.get("contents").toString());
        assertFalse(body.has("systemInstruction"));
        assertFalse(body.has("tools"));
        assertFalse(body.has("generationConfig"), "no defaults invented");
    }

    @Test
    void streamingAsksForServerSentEvents() {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "k").stream(ChatRequest.of("gemini-3-flash-preview", null, List.of(Message.user("hi"))), e -> { });
        FakeGemini.Captured request = fake.last();
        assertEquals("/v1beta/models/gemini-3-flash-preview:streamGenerateContent", request.path());
        assertEquals("alt=sse", request.query());
        assertEquals("text/event-stream", request.header("accept"));
        assertFalse(request.json().has("stream"), "the endpoint, not a body field, asks for a stream");
    }

    @Test
    void aResourceNameOrAnotherApiVersionGoesIntoThePath() {
        send(ChatRequest.of("tunedModels/my-tuned-model", null, List.of(Message.user("hi"))), Map.of("apiVersion", "v1"));
        assertEquals("/v1/tunedModels/my-tuned-model:generateContent", fake.last().path());
        ProviderException failure = refused(ChatRequest.of("gemini?key=x", null, List.of(Message.user("hi"))));
        assertTrue(failure.getMessage().contains("gemini?key=x"), failure.getMessage());
    }

    @Test
    void aFullToolConversationMapsFieldByField() {
        List<Message> messages = List.of(
                Message.user("Weather in Paris and Rome?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("Checking."),
                        new ToolCallPart("call_a", "fc_paris", null, "get_weather", "{\"city\":\"Paris\"}",
                                Map.of(GeminiRequests.SIGNATURE_META, "\"c2lnLXBhcmlz\"")),
                        ToolCallPart.of("call_b", "get_weather", "{\"city\":\"Rome\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("call_a", "get_weather", List.of(TextPart.of("{\"temp_c\":14}")), false))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("call_b", "get_weather", List.of(TextPart.of("weather service timed out")), true))));
        ChatRequest request = new ChatRequest("gemini-2.5-flash", List.of(Instruction.of("You are terse."), Instruction.of("Use Celsius.")),
                messages, List.of(WEATHER, new ToolSpec("no_args", null, null, false)), null, null, null,
                new GenerationParams(1024, 0.2, 0.95, List.of("END"), 42L), null, Map.of());
        JsonNode body = send(request);

        assertEquals("{\"parts\":[{\"text\":\"You are terse.\"},{\"text\":\"Use Celsius.\"}]}", body.get("systemInstruction").toString());
        JsonNode contents = body.get("contents");
        assertEquals(3, contents.size(), contents.toString());
        assertEquals("user", contents.get(0).get("role").asText());
        assertEquals("model", contents.get(1).get("role").asText());
        assertEquals("[{\"text\":\"Checking.\"},"
                + "{\"functionCall\":{\"id\":\"fc_paris\",\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},\"thoughtSignature\":\"c2lnLXBhcmlz\"},"
                + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\"}}}]",
                contents.get(1).get("parts").toString(), "a call without Gemini id goes back without one");
        assertEquals("user", contents.get(2).get("role").asText(), "function responses travel in a user turn");
        assertEquals("[{\"functionResponse\":{\"id\":\"fc_paris\",\"name\":\"get_weather\",\"response\":{\"output\":{\"temp_c\":14}}}},"
                + "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"error\":\"weather service timed out\"}}}]",
                contents.get(2).get("parts").toString(), "both results in one turn; JSON text as JSON, a failure under error");

        JsonNode declarations = body.get("tools").get(0).get("functionDeclarations");
        assertEquals(1, body.get("tools").size());
        assertEquals("get_weather", declarations.get(0).get("name").asText());
        assertEquals("Current weather for a city", declarations.get(0).get("description").asText());
        assertEquals(WEATHER_SCHEMA, declarations.get(0).get("parametersJsonSchema").toString());
        assertFalse(declarations.get(0).has("parameters"), "JSON Schema goes to parametersJsonSchema, not the OpenAPI subset");
        assertFalse(declarations.get(0).has("strict"));
        assertEquals("{\"name\":\"no_args\",\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{}}}", declarations.get(1).toString());
        assertEquals("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}", body.get("toolConfig").toString());
        assertEquals("{\"maxOutputTokens\":1024,\"temperature\":0.2,\"topP\":0.95,\"stopSequences\":[\"END\"],\"seed\":42}",
                body.get("generationConfig").toString());
    }

    @Test
    void functionResponsesFollowTheOrderOfTheCallsTheyAnswer() {
        // two calls of the same tool without Gemini ids: the order is the only key, so results are sent in call order
        List<Message> messages = List.of(Message.user("Paris, then Rome"),
                Message.of(Role.ASSISTANT, List.of(ToolCallPart.of("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                        ToolCallPart.of("call_2", "get_weather", "{\"city\":\"Rome\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("call_2", "get_weather", List.of(TextPart.of("rome: 19")), false))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("call_1", "get_weather", List.of(TextPart.of("paris: 14")), false))),
                Message.user("And tomorrow?"));
        JsonNode contents = send(request(messages, List.of(WEATHER), null, null)).get("contents");
        assertEquals(3, contents.size(), "results and the next user text merge into one user turn: " + contents);
        JsonNode parts = contents.get(2).get("parts");
        assertEquals("paris: 14", parts.get(0).at("/functionResponse/response/output").asText());
        assertEquals("rome: 19", parts.get(1).at("/functionResponse/response/output").asText());
        assertEquals("And tomorrow?", parts.get(2).get("text").asText(), "function responses first");
    }

    @Test
    void aResultNamesItsToolWhenItsCallIsNotInTheConversation() {
        JsonNode contents = send(request(List.of(Message.user("go"),
                Message.of(Role.TOOL, List.of(new ToolResultPart("lost_1", "lookup", List.of(TextPart.of("42")), false)))),
                List.of(), null, null)).get("contents");
        assertEquals("[{\"functionResponse\":{\"name\":\"lookup\",\"response\":{\"output\":42}}},{\"text\":\"go\"}]",
                contents.get(0).get("parts").toString(), "no id for a call Gemini did not give one; function responses first");
        ProviderException failure = refused(request(List.of(Message.of(Role.TOOL,
                List.of(new ToolResultPart("lost_2", null, List.of(TextPart.of("x")), false)))), List.of(), null, null));
        assertTrue(failure.getMessage().contains("lost_2"), failure.getMessage());
    }

    @Test
    void aModelTurnGeminiReturnedIsReplayedVerbatim() {
        JsonNode content = FakeGemini.response("STOP", FakeGemini.usage(5, 5, 3),
                FakeGemini.thought("Two cities.", null), FakeGemini.textPart("Let me check."),
                FakeGemini.functionCall(null, "get_weather", "{\"city\":\"Paris\"}").put("thoughtSignature", "c2lnLTE="),
                FakeGemini.functionCall(null, "get_weather", "{\"city\":\"Rome\"}"),
                FakeGemini.textPart("").put("thoughtSignature", "c2lnLTI=")).at("/candidates/0/content");
        fake.enqueue(fake.json(200, "{\"candidates\":[{\"content\":" + content + ",\"finishReason\":\"STOP\"}],\"responseId\":\"r1\"}"));
        ChatResponse first = Configs.provider(fake.baseUri(), "k").chat(request(List.of(Message.user("weather?")), List.of(WEATHER), null, null));

        List<Message> next = List.of(Message.user("weather?"), first.message(), Message.of(Role.TOOL,
                first.message().toolCalls().stream().<Part>map(c -> new ToolResultPart(c.callId(), null, List.of(TextPart.of("fine")), false)).toList()));
        JsonNode contents = send(request(next, List.of(WEATHER), null, null)).get("contents");
        assertEquals(content, contents.get(1), "the model turn goes back exactly as received, signatures and all");
        assertEquals(2, contents.get(2).get("parts").size());
        assertEquals("get_weather", contents.get(2).at("/parts/0/functionResponse/name").asText());
    }

    @Test
    void aStreamedModelTurnIsReplayedPartForPart() {
        fake.enqueue(fake.answer(FakeGemini.response("STOP", FakeGemini.usage(5, 5, 0), FakeGemini.textPart("Checking the weather."),
                FakeGemini.functionCall(null, "get_weather", "{\"city\":\"Paris\"}").put("thoughtSignature", "c2lnLTE="))));
        ChatResponse streamed = Configs.provider(fake.baseUri(), "k").stream(request(List.of(Message.user("weather?")),
                List.of(WEATHER), null, null), e -> { });
        List<Message> next = List.of(Message.user("weather?"), streamed.message(), Message.of(Role.TOOL,
                List.of(new ToolResultPart(streamed.message().toolCalls().get(0).callId(), null, List.of(TextPart.of("14")), false))));
        JsonNode parts = send(request(next, List.of(WEATHER), null, null)).get("contents").get(1).get("parts");
        assertEquals(6, parts.size(), "five text pieces and the call, as streamed: " + parts);
        assertEquals("Check", parts.get(0).get("text").asText());
        assertEquals("c2lnLTE=", parts.get(5).get("thoughtSignature").asText());
    }

    @Test
    void aKeptContentThatNoLongerMatchesTheCallsIsRebuiltFromTheParts() {
        Message edited = new Message(Role.ASSISTANT, List.of(ToolCallPart.of("call_x", "get_time", "{}")), null,
                Map.of(GeminiRequests.CONTENT_META, "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{}}}]}"));
        JsonNode contents = send(request(List.of(Message.user("time?"), edited), List.of(), null, null)).get("contents");
        assertEquals("[{\"functionCall\":{\"name\":\"get_time\",\"args\":{}}}]", contents.get(1).get("parts").toString());
    }

    @Test
    void geminiThoughtsGoBackSignedAndOtherProvidersReasoningIsDropped() {
        Message assistant = Message.of(Role.ASSISTANT, List.of(
                new ReasoningPart("gemini", "gemini-2.5-pro", "Thinking about it.", null, null, "dGhvdWdodA==", false),
                new ReasoningPart("anthropic", "claude-sonnet-4-5", "Claude's thinking", null, "sig", null, false),
                ToolCallPart.of("call_1", "get_weather", "not json")));
        JsonNode parts = send(request(List.of(Message.user("q"), assistant), List.of(WEATHER), null, null)).get("contents").get(1).get("parts");
        assertEquals("[{\"text\":\"Thinking about it.\",\"thought\":true,\"thoughtSignature\":\"dGhvdWdodA==\"},"
                + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"raw_arguments\":\"not json\"}}}]", parts.toString());
    }

    @Test
    void systemMessagesAreHoistedAndAdjacentTurnsMerged() {
        List<Message> messages = List.of(Message.user("one"), Message.user(""), Message.user("two"),
                Message.of(Role.SYSTEM, List.of(TextPart.of("Be formal."))), Message.assistant("three"), Message.assistant("four"));
        JsonNode body = send(request(messages, List.of(), null, null));
        assertEquals("{\"parts\":[{\"text\":\"Be formal.\"}]}", body.get("systemInstruction").toString());
        assertEquals("[{\"role\":\"user\",\"parts\":[{\"text\":\"one\"},{\"text\":\"two\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"three\"},{\"text\":\"four\"}]}]", body.get("contents").toString());
    }

    @Test
    void mediaInlineByUrlAndAsFiles() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 1, 2};
        byte[] wav = "RIFF....WAVE".getBytes(StandardCharsets.US_ASCII);
        Message user = Message.of(Role.USER, List.of(TextPart.of("Describe these."),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), null, null, null),
                new MediaPart(MediaKind.AUDIO, new MediaSource.Inline(wav), "audio/wav", null, null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.Url("data:application/pdf;base64,JVBERi0x"), null, null, null),
                new MediaPart(MediaKind.VIDEO, new MediaSource.Url("https://www.youtube.com/watch?v=9hE5-98ZeCg"), null, null, null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.ProviderFileRef("gemini",
                        "https://generativelanguage.googleapis.com/v1beta/files/abc123"), "application/pdf", null, null)));
        JsonNode parts = send(request(List.of(user), List.of(), null, null)).get("contents").get(0).get("parts");
        assertEquals("{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"" + Base64.getEncoder().encodeToString(png) + "\"}}",
                parts.get(1).toString(), "the mime type of a PNG given without one is recognised");
        assertEquals("audio/wav", parts.get(2).at("/inlineData/mimeType").asText());
        assertEquals("{\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"JVBERi0x\"}}", parts.get(3).toString());
        assertEquals("{\"fileData\":{\"fileUri\":\"https://www.youtube.com/watch?v=9hE5-98ZeCg\"}}", parts.get(4).toString());
        assertEquals("{\"fileData\":{\"mimeType\":\"application/pdf\",\"fileUri\":\"https://generativelanguage.googleapis.com/v1beta/files/abc123\"}}",
                parts.get(5).toString());
        refused(request(List.of(Message.of(Role.USER, List.of(new MediaPart(MediaKind.DOCUMENT,
                new MediaSource.ProviderFileRef("anthropic", "file_011"), null, null, null)))), List.of(), null, null));
        refused(request(List.of(Message.of(Role.USER, List.of(new MediaPart(MediaKind.IMAGE,
                new MediaSource.Inline(new byte[] {1, 2, 3}), null, null, null)))), List.of(), null, null));
    }

    @Test
    void anImageInAToolResultTravelsAsAFunctionResponsePart() {
        Message result = Message.of(Role.TOOL, List.of(new ToolResultPart("call_1", "screenshot", List.of(TextPart.of("taken"),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0}), null, null, null)), false)));
        JsonNode part = send(request(List.of(Message.user("shoot"), result), List.of(), null, null)).get("contents").get(0).get("parts").get(0);
        assertEquals("taken", part.at("/functionResponse/response/output").asText());
        assertEquals("image/jpeg", part.at("/functionResponse/parts/0/inlineData/mimeType").asText());
    }

    @Test
    void aToolChoiceThatNeedsToolsIsRefusedInWordsWhenNoneAreOffered() {
        for (ToolChoice choice : List.of(new ToolChoice.Named("search"), new ToolChoice.Required())) {
            String message = refused(request(List.of(Message.user("hi")), List.of(), choice, null)).error().message();
            String expected = choice instanceof ToolChoice.Named ? "': the tool choice asks for a call of the tool 'search', but the request offers no tools" : "': the tool choice asks for a tool call, but the request offers no tools";
            assertTrue(message.endsWith(expected), message);
        }
    }

    @Test
    void toolChoices() {
        List<Message> hi = List.of(Message.user("hi"));
        assertEquals("{\"mode\":\"NONE\"}", send(request(hi, List.of(WEATHER), new ToolChoice.None(), null)).at("/toolConfig/functionCallingConfig").toString());
        assertEquals("{\"mode\":\"ANY\"}", send(request(hi, List.of(WEATHER), new ToolChoice.Required(), null)).at("/toolConfig/functionCallingConfig").toString());
        assertEquals("{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}",
                send(request(hi, List.of(WEATHER), new ToolChoice.Named("get_weather"), null)).at("/toolConfig/functionCallingConfig").toString());
        FakeGemini empty = new FakeGemini();
        try {
            ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(empty.baseUri(), "k")
                    .chat(request(hi, List.of(), new ToolChoice.Required(), null)));
            assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
            assertEquals(0, empty.requests());
        } finally {
            empty.close();
        }
    }

    @Test
    void structuredOutputUsesResponseJsonSchema() {
        String schema = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"integer\"}},\"required\":[\"answer\"],\"additionalProperties\":false}";
        JsonNode config = send(request(List.of(Message.user("6*7?")), List.of(), null,
                new ResponseFormat.JsonSchema("answer", schema, true))).get("generationConfig");
        assertEquals("application/json", config.get("responseMimeType").asText());
        assertEquals(schema, config.get("responseJsonSchema").toString());
        assertFalse(config.has("responseSchema"), "real JSON Schema, not the OpenAPI subset");
        assertEquals("{\"responseMimeType\":\"application/json\"}",
                send(request(List.of(Message.user("json")), List.of(), null, new ResponseFormat.JsonObject())).get("generationConfig").toString());
        refused(request(List.of(Message.user("x")), List.of(), null, new ResponseFormat.JsonSchema("bad", "[1]", false)));
    }

    @Test
    void reasoningBecomesTheThinkingConfig() {
        List<Message> hi = List.of(Message.user("hi"));
        assertEquals("{\"thinkingBudget\":2048}", thinking(hi, new ReasoningParams(null, 2048), Map.of()));
        assertEquals("{\"thinkingLevel\":\"LOW\"}", thinking(hi, new ReasoningParams("low", null), Map.of()));
        assertEquals("{\"thinkingBudget\":0}", thinking(hi, new ReasoningParams("none", null), Map.of()));
        assertEquals("{\"thinkingLevel\":\"HIGH\",\"includeThoughts\":true}",
                thinking(hi, new ReasoningParams("high", null), Map.of("includeThoughts", true)));
        ProviderException failure = refused(new ChatRequest(null, List.of(), hi, List.of(), null, null, null, null,
                new ReasoningParams("xhigh", null), Map.of()));
        assertTrue(failure.getMessage().contains("xhigh"), failure.getMessage());
    }

    private String thinking(List<Message> messages, ReasoningParams reasoning, Map<String, Object> config) {
        return send(new ChatRequest(null, List.of(), messages, List.of(), null, null, null, null, reasoning, Map.of()), config)
                .at("/generationConfig/thinkingConfig").toString();
    }

    @Test
    void providerExtrasAreMergedIntoTheBody() {
        JsonNode body = send(new ChatRequest(null, List.of(), List.of(Message.user("hi")), List.of(), null, null, null,
                new GenerationParams(100, null, null, null, null), null, Map.of("generationConfig", "{\"topK\":40}",
                "safetySettings", "[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_ONLY_HIGH\"}]")));
        assertEquals("{\"maxOutputTokens\":100,\"topK\":40}", body.get("generationConfig").toString());
        assertEquals("BLOCK_ONLY_HIGH", body.at("/safetySettings/0/threshold").asText());
        refused(new ChatRequest(null, List.of(), List.of(Message.user("hi")), List.of(), null, null, null, null, null,
                Map.of("cachedContent", "not json")));
    }

    @Test
    void aSeedBeyondThirtyTwoBitsIsRefused() {
        refused(new ChatRequest(null, List.of(), List.of(Message.user("hi")), List.of(), null, null, null,
                new GenerationParams(null, null, null, null, 1L << 40), null, Map.of()));
    }
}
