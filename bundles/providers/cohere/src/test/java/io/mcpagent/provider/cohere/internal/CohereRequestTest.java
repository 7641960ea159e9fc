package io.mcpagent.provider.cohere.internal;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.CacheHint;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
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

/** The request as it reaches the wire: path, headers and the body field by field. */
class CohereRequestTest {
    private static final String WEATHER_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}";
    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Current weather for a city", WEATHER_SCHEMA, false);
    private static final ToolSpec CLOCK = new ToolSpec("now", null, null, false);
    private final FakeCohere fake = new FakeCohere();

    @AfterEach
    void stop() {
        fake.close();
    }

    private JsonNode send(ChatRequest request, Map<String, Object> config) {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "co-test-key", config).chat(request);
        return fake.last().json();
    }

    private JsonNode send(ChatRequest request) {
        return send(request, Map.of());
    }

    private static ChatRequest request(List<Message> messages, List<ToolSpec> tools, ToolChoice choice,
                                       ResponseFormat format) {
        return new ChatRequest("command-a-03-2025", List.of(), messages, tools, choice, null, format, null, null, Map.of());
    }

    private ProviderException refused(ChatRequest request) {
        ProviderException failure = assertThrows(ProviderException.class,
                () -> Configs.provider(fake.baseUri(), "k").chat(request));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertFalse(failure.error().retryable());
        assertEquals(0, fake.requests(), "refused before anything is sent");
        return failure;
    }

    @Test
    void headersPathAndAMinimalBody() {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "co-test-key").chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        FakeCohere.Captured request = fake.last();
        assertEquals("POST", request.method());
        assertEquals("/v2/chat", request.path());
        assertEquals("Bearer co-test-key", request.header("authorization"));
        assertTrue(request.header("content-type").startsWith("application/json"));
        assertEquals("application/json", request.header("accept"));
        assertNull(request.header("x-client-name"), "no client name unless configured");
        assertEquals("{\"model\":\"command-a-03-2025\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                request.body(), "the first configured model is the default; nothing else is sent");
    }

    @Test
    void theClientNameHeaderAndAStreamingRequest() {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "k", Map.of("clientName", "mcp-agent-tests", "defaultModel", "command-r7b-12-2024"))
                .stream(ChatRequest.of(null, null, List.of(Message.user("hi"))), e -> { });
        FakeCohere.Captured request = fake.last();
        assertEquals("mcp-agent-tests", request.header("x-client-name"));
        assertEquals("text/event-stream", request.header("accept"));
        JsonNode body = request.json();
        assertTrue(body.get("stream").asBoolean());
        assertEquals("command-r7b-12-2024", body.get("model").asText());
    }

    @Test
    void aFullToolConversationMapsFieldByField() {
        List<Message> messages = List.of(
                Message.user("Weather in Madrid and Brasilia?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("I will look up both cities."),
                        new ToolCallPart("get_weather_p1t92w7gfgq7", "get_weather_p1t92w7gfgq7", null, "get_weather",
                                "{\n    \"location\": \"Madrid\"\n}", Map.of()),
                        new ToolCallPart("get_weather_ay6nmvjgp9vn", "get_weather_ay6nmvjgp9vn", null, "get_weather",
                                "{\"location\":\"Brasilia\"}", Map.of()))),
                Message.of(Role.TOOL, List.of(
                        new ToolResultPart("get_weather_p1t92w7gfgq7", "get_weather", List.of(TextPart.of("{\"temp_c\":24}")), false),
                        new ToolResultPart("get_weather_ay6nmvjgp9vn", "get_weather", List.of(TextPart.of("upstream timeout")), true))),
                Message.user("And tomorrow?"));
        ChatRequest request = new ChatRequest("command-a-03-2025",
                List.of(new Instruction("You are a terse assistant.", CacheHint.EPHEMERAL), Instruction.of("Use metric units.")),
                messages, List.of(WEATHER, CLOCK), null, false, null,
                new GenerationParams(512, 0.2, 0.9, List.of("STOP", "END"), 42L), null,
                Map.of("safety_mode", "\"STRICT\"", "k", "40"));
        JsonNode body = send(request);

        assertEquals("command-a-03-2025", body.get("model").asText());
        assertEquals(512, body.get("max_tokens").asInt());
        assertEquals(0.2, body.get("temperature").asDouble());
        assertEquals(0.9, body.get("p").asDouble(), "top_p is Cohere's p");
        assertEquals("[\"STOP\",\"END\"]", body.get("stop_sequences").toString());
        assertEquals(42, body.get("seed").asLong());
        assertEquals("STRICT", body.get("safety_mode").asText(), "providerExtras are merged verbatim");
        assertEquals(40, body.get("k").asInt());
        assertFalse(body.has("tool_choice"), "auto is Cohere's default: not sent");
        assertFalse(body.has("strict_tools"));
        assertFalse(body.has("parallel_tool_calls"), "Cohere has no switch for parallel calls");

        assertEquals("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather for a city\","
                + "\"parameters\":" + WEATHER_SCHEMA + "}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"now\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]",
                body.get("tools").toString());

        JsonNode wire = body.get("messages");
        assertEquals(6, wire.size(), wire.toString());
        assertEquals("{\"role\":\"system\",\"content\":\"You are a terse assistant.\\n\\nUse metric units.\"}",
                wire.get(0).toString(), "the instructions as one leading system message");
        assertEquals("{\"role\":\"user\",\"content\":\"Weather in Madrid and Brasilia?\"}", wire.get(1).toString());
        assertEquals("{\"role\":\"assistant\",\"tool_plan\":\"I will look up both cities.\",\"tool_calls\":["
                + "{\"id\":\"get_weather_p1t92w7gfgq7\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\n    \\\"location\\\": \\\"Madrid\\\"\\n}\"}},"
                + "{\"id\":\"get_weather_ay6nmvjgp9vn\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"location\\\":\\\"Brasilia\\\"}\"}}]}", wire.get(2).toString(),
                "the plan and the calls echoed back, arguments as the exact text the model produced");
        assertEquals("{\"role\":\"tool\",\"tool_call_id\":\"get_weather_p1t92w7gfgq7\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"{\\\"temp_c\\\":24}\"}]}", wire.get(3).toString());
        assertEquals("{\"role\":\"tool\",\"tool_call_id\":\"get_weather_ay6nmvjgp9vn\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"Error: upstream timeout\"}]}", wire.get(4).toString(),
                "one tool message per call id; a failed call says so in its content");
        assertEquals("{\"role\":\"user\",\"content\":\"And tomorrow?\"}", wire.get(5).toString());
    }

    @Test
    void resultsInAUserMessageComeFirstAndEmptyOrForeignIdsAreHandled() {
        List<Message> messages = List.of(
                Message.user("go"),
                Message.of(Role.ASSISTANT, List.of(ToolCallPart.of("toolu_01A", "lookup", "{}"),
                        new ToolCallPart("neutral-2", "call_abc", null, "lookup", "not json", Map.of()))),
                Message.of(Role.USER, List.of(TextPart.of("here you are"),
                        new ToolResultPart("neutral-2", "lookup", List.of(), false),
                        new ToolResultPart("toolu_01A", "lookup", List.of(), true),
                        new MediaPart(MediaKind.IMAGE, new MediaSource.Url("https://example.com/cat.png"), null, null, "low"))));
        JsonNode wire = send(request(messages, List.of(new ToolSpec("lookup", "", null, false)), null, null)).get("messages");
        assertEquals(5, wire.size(), wire.toString());
        JsonNode assistant = wire.get(1);
        assertFalse(assistant.has("tool_plan"), "no text, no plan");
        assertFalse(assistant.has("content"));
        assertEquals("toolu_01A", assistant.get("tool_calls").get(0).get("id").asText());
        assertEquals("call_abc", assistant.get("tool_calls").get(1).get("id").asText(), "the provider's own id wins");
        assertEquals("not json", assistant.get("tool_calls").get(1).get("function").get("arguments").asText(),
                "arguments travel unchanged, even when they are no JSON");
        assertEquals("{\"role\":\"tool\",\"tool_call_id\":\"call_abc\",\"content\":[{\"type\":\"text\",\"text\":\"(no output)\"}]}",
                wire.get(2).toString(), "the result answers the id the call was sent with; empty results say so");
        assertEquals("{\"role\":\"tool\",\"tool_call_id\":\"toolu_01A\",\"content\":[{\"type\":\"text\",\"text\":\"Error: the tool call failed\"}]}",
                wire.get(3).toString());
        assertEquals("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"here you are\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\",\"detail\":\"low\"}}]}",
                wire.get(4).toString(), "the user's own content after the results");
    }

    @Test
    void cohereThinkingAndDocumentsAreReplayedAndForeignArtefactsDropped() {
        String document = "{\"type\":\"document\",\"document\":{\"data\":{\"temperature\":\"24C\"},\"id\":\"doc-1\"}}";
        List<Message> messages = List.of(
                Message.user("think"),
                Message.of(Role.ASSISTANT, List.of(
                        new ReasoningPart("cohere", "command-a-reasoning-08-2025", "Two lookups.", null, null, null, false),
                        new ReasoningPart("anthropic", "claude-sonnet-4-5", "foreign", null, "sig", null, false),
                        new OpaquePart("gemini", "{\"thought\":true}"),
                        TextPart.of("Looking."),
                        ToolCallPart.of("get_weather_1", "get_weather", "{\"location\":\"Bern\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("get_weather_1", "get_weather",
                        List.of(new OpaquePart("cohere", document)), false))),
                Message.of(Role.ASSISTANT, List.of(
                        new ReasoningPart("cohere", "command-a-reasoning-08-2025", "Easy.", null, null, null, false),
                        TextPart.of("24C in Bern."), new CitationPart("doc-1", null, "24C"))));
        JsonNode wire = send(request(messages, List.of(WEATHER), null, null)).get("messages");
        assertEquals("{\"role\":\"assistant\",\"tool_plan\":\"Looking.\",\"tool_calls\":[{\"id\":\"get_weather_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\":\\\"Bern\\\"}\"}}],"
                + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"Two lookups.\"}]}", wire.get(1).toString());
        assertEquals("{\"role\":\"tool\",\"tool_call_id\":\"get_weather_1\",\"content\":[" + document + "]}",
                wire.get(2).toString(), "a Cohere document block travels as it is");
        assertEquals("{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Easy.\"},"
                + "{\"type\":\"text\",\"text\":\"24C in Bern.\"}]}", wire.get(3).toString());
    }

    @Test
    void midConversationSystemMessagesAndEmptyTurns() {
        List<Message> messages = List.of(Message.user("a"), Message.of(Role.SYSTEM, List.of(TextPart.of("Be formal."))),
                Message.user("b"), Message.assistant(""), Message.user("c"));
        JsonNode wire = send(new ChatRequest(null, List.of(Instruction.of("Base.")), messages, null, null, null, null,
                null, null, Map.of())).get("messages");
        assertEquals("[{\"role\":\"system\",\"content\":\"Base.\"},{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"system\",\"content\":\"Be formal.\"},{\"role\":\"user\",\"content\":\"b\"},"
                + "{\"role\":\"user\",\"content\":\"c\"}]", wire.toString(), "a system message stays in place; an empty turn is dropped");
    }

    @ParameterizedTest
    @CsvSource({"REQUIRED,REQUIRED", "NONE,NONE"})
    void toolChoiceRequiredAndNone(String neutral, String wire) {
        ToolChoice choice = neutral.equals("REQUIRED") ? new ToolChoice.Required() : new ToolChoice.None();
        JsonNode body = send(request(List.of(Message.user("x")), List.of(WEATHER, CLOCK), choice, null));
        assertEquals(wire, body.get("tool_choice").asText());
        assertEquals(2, body.get("tools").size());
    }

    @Test
    void aNamedToolChoiceOffersOnlyThatToolAndRequiresACall() {
        JsonNode body = send(request(List.of(Message.user("x")), List.of(WEATHER, CLOCK), new ToolChoice.Named("now"), null));
        assertEquals("REQUIRED", body.get("tool_choice").asText());
        assertEquals(1, body.get("tools").size());
        assertEquals("now", body.get("tools").get(0).get("function").get("name").asText());
    }

    @Test
    void strictToolsFromTheSettingOrAStrictTool() {
        assertFalse(send(request(List.of(Message.user("x")), List.of(WEATHER), null, null)).has("strict_tools"));
        assertTrue(send(request(List.of(Message.user("x")), List.of(WEATHER), null, null), Map.of("strictTools", true))
                .get("strict_tools").asBoolean());
        ToolSpec strict = new ToolSpec("get_weather", "w", WEATHER_SCHEMA, true);
        assertTrue(send(request(List.of(Message.user("x")), List.of(strict, CLOCK), null, null)).get("strict_tools").asBoolean(),
                "Cohere is strict per request: one strict tool makes the call strict");
        assertFalse(send(request(List.of(Message.user("x")), List.of(), null, null), Map.of("strictTools", true))
                .has("strict_tools"), "no tools, no strict_tools");
    }

    @Test
    void structuredOutputWithASchema() {
        String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}";
        JsonNode body = send(new ChatRequest(null, List.of(Instruction.of("Extract.")), List.of(Message.user("Ada")), null,
                null, null, new ResponseFormat.JsonSchema("person", schema, true), null, null, Map.of()));
        assertEquals("{\"type\":\"json_object\",\"json_schema\":" + schema + "}", body.get("response_format").toString());
        assertEquals("Extract.\n\n" + CohereRequests.JSON_INSTRUCTION, body.get("messages").get(0).get("content").asText(),
                "Cohere's docs: ask for JSON explicitly, or the answer may never end");
    }

    @Test
    void aSchemaThatIsNoObjectIsWrappedInValue() {
        JsonNode body = send(request(List.of(Message.user("list")), List.of(), null,
                new ResponseFormat.JsonSchema("names", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", false)));
        assertEquals("{\"type\":\"json_object\",\"json_schema\":{\"type\":\"object\",\"properties\":{\"value\":"
                + "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"value\"]}}",
                body.get("response_format").toString(), "Cohere wants an object at the top of the schema");
    }

    @Test
    void anyJsonObject() {
        JsonNode body = send(request(List.of(Message.user("json please")), List.of(), null, new ResponseFormat.JsonObject()));
        assertEquals("{\"type\":\"json_object\"}", body.get("response_format").toString());
        assertEquals("{\"role\":\"system\",\"content\":\"" + CohereRequests.JSON_INSTRUCTION + "\"}",
                body.get("messages").get(0).toString());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", delimiter = '|', value = {
            "null|2048|{\"type\":\"enabled\",\"token_budget\":2048}",
            "null|0|{\"type\":\"disabled\"}",
            "none|null|{\"type\":\"disabled\"}",
            "high|null|{\"type\":\"enabled\"}"})
    void thinking(String effort, Integer budget, String expected) {
        JsonNode body = send(new ChatRequest("command-a-reasoning-08-2025", List.of(), List.of(Message.user("x")), null,
                null, null, null, null, new ReasoningParams(effort, budget), Map.of()));
        assertEquals(expected, body.get("thinking").toString());
    }

    @Test
    void imagesInlineAsDataUrls() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0};
        JsonNode content = send(request(List.of(Message.of(Role.USER, List.of(
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), null, null, "HIGH"),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(jpeg), "image/jpeg", null, "ultra"),
                TextPart.of("Describe them.")))), List.of(), null, null)).get("messages").get(0).get("content");
        assertEquals("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\",\"detail\":\"high\"}}", content.get(0).toString());
        assertEquals("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg) + "\"}}", content.get(1).toString(), "an unknown detail is left out");
        assertEquals("{\"type\":\"text\",\"text\":\"Describe them.\"}", content.get(2).toString());
    }

    @Test
    void aToolChoiceThatNeedsToolsIsRefusedInWordsWhenNoToolsAreOffered() {
        String message = refused(request(List.of(Message.user("hi")), List.of(), new ToolChoice.Required(), null))
                .error().message();
        assertTrue(message.endsWith("': the tool choice asks for a tool call, but the request offers no tools"), message);
        message = refused(request(List.of(Message.user("hi")), List.of(), new ToolChoice.Named("search"), null))
                .error().message();
        assertTrue(message.endsWith("': the tool choice asks for a call of the tool 'search', but the request offers no"
                + " tools"), message);
    }

    @Test
    void whatCohereCannotTakeIsRefusedBeforeSending() {
        MediaPart pdf = new MediaPart(MediaKind.DOCUMENT, new MediaSource.Inline("%PDF".getBytes(StandardCharsets.US_ASCII)),
                "application/pdf", null, null);
        assertTrue(refused(request(List.of(Message.of(Role.USER, List.of(pdf))), List.of(), null, null))
                .getMessage().contains("document"));
        assertTrue(refused(request(List.of(Message.user("x")), List.of(WEATHER), null,
                new ResponseFormat.JsonSchema("s", WEATHER_SCHEMA, false))).getMessage().contains("together with tools"));
        assertTrue(refused(request(List.of(Message.user("x")), List.of(), new ToolChoice.Required(), null))
                .getMessage().contains("offers no tools"));
        assertTrue(refused(request(List.of(Message.user("x")), List.of(WEATHER), new ToolChoice.Named("missing"), null))
                .getMessage().contains("missing"));
        assertTrue(refused(request(List.of(Message.of(Role.TOOL, List.of(new ToolResultPart("c", "t",
                List.of(new MediaPart(MediaKind.IMAGE, new MediaSource.Url("https://x/y.png"), null, null, null)), false)))),
                List.of(), null, null)).getMessage().contains("text and documents"));
        assertTrue(refused(request(List.of(Message.of(Role.USER, List.of(new MediaPart(MediaKind.IMAGE,
                new MediaSource.Inline(new byte[] {1, 2, 3}), null, null, null)))), List.of(), null, null))
                .getMessage().contains("not recognisably"));
        assertTrue(refused(request(List.of(Message.user("x")), List.of(new ToolSpec("bad", "", "[1]", false)), null, null))
                .getMessage().contains("not a JSON object"));
    }
}
