package io.mcpagent.provider.anthropic.internal;

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

import io.mcpagent.api.llm.CacheHint;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
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

/** The request as it reaches the wire: path, headers and the body field by field. */
class AnthropicRequestTest {
    private static final String WEATHER_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    private final FakeAnthropic fake = new FakeAnthropic();

    @AfterEach
    void stop() {
        fake.close();
    }

    private JsonNode send(ChatRequest request, Map<String, Object> config) {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "sk-ant-test", config).chat(request);
        return fake.last().json();
    }

    private JsonNode send(ChatRequest request) {
        return send(request, Map.of());
    }

    private static ChatRequest request(List<Message> messages, List<ToolSpec> tools, ToolChoice choice,
                                       ResponseFormat format) {
        return new ChatRequest("claude-sonnet-4-5", List.of(), messages, tools, choice, null, format, null, null, Map.of());
    }

    @Test
    void headersAndPathAreAnthropics() {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "sk-ant-test", Map.of("betas", new String[] {"context-1m-2025-08-07",
                "interleaved-thinking-2025-05-14"})).chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        FakeAnthropic.Captured request = fake.last();
        assertEquals("POST", request.method());
        assertEquals("/v1/messages", request.path());
        assertEquals("sk-ant-test", request.header("x-api-key"));
        assertEquals("2023-06-01", request.header("anthropic-version"));
        assertEquals("context-1m-2025-08-07,interleaved-thinking-2025-05-14", request.header("anthropic-beta"));
        assertTrue(request.header("content-type").startsWith("application/json"));
        assertNull(request.header("authorization"), "Anthropic takes x-api-key, not a bearer token");
        JsonNode body = request.json();
        assertEquals("claude-sonnet-4-5", body.get("model").asText(), "the first configured model is the default");
        assertEquals(4096, body.get("max_tokens").asInt(), "max_tokens is required: defaultMaxTokens");
        assertFalse(body.has("stream"));
        assertFalse(body.has("system"));
        assertFalse(body.has("tools"));
        assertFalse(body.has("tool_choice"), "no tool_choice without tools");
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]", body.get("messages").toString());
    }

    @Test
    void configuredVersionAndNoBetaHeaderByDefault() {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "k", Map.of("apiVersion", "2024-01-01", "defaultMaxTokens", 777,
                "defaultModel", "claude-opus-4-5")).chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        assertEquals("2024-01-01", fake.last().header("anthropic-version"));
        assertNull(fake.last().header("anthropic-beta"));
        assertEquals(777, fake.last().json().get("max_tokens").asInt());
        assertEquals("claude-opus-4-5", fake.last().json().get("model").asText());
    }

    @Test
    void aFullToolConversationMapsFieldByField() {
        ToolSpec weather = new ToolSpec("get_weather", "Current weather for a city", WEATHER_SCHEMA, true);
        ToolSpec clock = new ToolSpec("now", null, null, false);
        List<Message> messages = List.of(
                Message.user("Weather in Paris and Rome?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("Checking both."),
                        new ToolCallPart("toolu_01A", "toolu_01A", null, "get_weather", "{\"city\":\"Paris\"}", Map.of()),
                        new ToolCallPart("toolu_01B", "toolu_01B", null, "get_weather", "{\"city\": \"Rome\"}", Map.of()))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("toolu_01A", "get_weather",
                        List.of(TextPart.of("{\"temp_c\":14}")), false))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("toolu_01B", "get_weather",
                        List.of(TextPart.of("error: timeout")), true))),
                Message.user("And tomorrow?"));
        ChatRequest request = new ChatRequest("claude-opus-4-5",
                List.of(new Instruction("You are a terse assistant.", CacheHint.EPHEMERAL), Instruction.of("Use metric units.")),
                messages, List.of(weather, clock), new ToolChoice.Named("get_weather"), false, null,
                new GenerationParams(512, 0.2, 0.9, List.of("STOP", "END"), 42L), null,
                Map.of("metadata", "{\"user_id\":\"u-1\"}", "top_k", "5"));
        JsonNode body = send(request, Map.of("cacheTtl", "1h"));

        assertEquals("claude-opus-4-5", body.get("model").asText());
        assertEquals(512, body.get("max_tokens").asInt());
        assertEquals(0.2, body.get("temperature").asDouble());
        assertEquals(0.9, body.get("top_p").asDouble());
        assertEquals("[\"STOP\",\"END\"]", body.get("stop_sequences").toString());
        assertFalse(body.has("seed"), "the Messages API has no seed");
        assertEquals("{\"user_id\":\"u-1\"}", body.get("metadata").toString(), "providerExtras are merged verbatim");
        assertEquals(5, body.get("top_k").asInt());

        assertEquals("[{\"type\":\"text\",\"text\":\"You are a terse assistant.\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}},"
                + "{\"type\":\"text\",\"text\":\"Use metric units.\"}]", body.get("system").toString());

        JsonNode tools = body.get("tools");
        assertEquals(2, tools.size());
        assertEquals("get_weather", tools.get(0).get("name").asText());
        assertEquals("Current weather for a city", tools.get(0).get("description").asText());
        assertEquals(WEATHER_SCHEMA, tools.get(0).get("input_schema").toString());
        assertTrue(tools.get(0).get("strict").asBoolean());
        assertEquals("{\"name\":\"now\",\"input_schema\":{\"type\":\"object\",\"properties\":{}}}", tools.get(1).toString(),
                "a tool without arguments gets an empty object schema, no description, no strict");
        assertEquals("{\"type\":\"tool\",\"name\":\"get_weather\",\"disable_parallel_tool_use\":true}",
                body.get("tool_choice").toString());

        JsonNode wire = body.get("messages");
        assertEquals(3, wire.size(), "user, assistant, one user message with both results and the next question: " + wire);
        assertEquals("user", wire.get(0).get("role").asText());
        assertEquals("assistant", wire.get(1).get("role").asText());
        assertEquals("[{\"type\":\"text\",\"text\":\"Checking both.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_01B\",\"name\":\"get_weather\",\"input\":{\"city\":\"Rome\"}}]",
                wire.get(1).get("content").toString());
        assertEquals("user", wire.get(2).get("role").asText());
        assertEquals("[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"{\\\"temp_c\\\":14}\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01B\",\"content\":\"error: timeout\",\"is_error\":true},"
                + "{\"type\":\"text\",\"text\":\"And tomorrow?\"}]", wire.get(2).get("content").toString());
    }

    @Test
    void toolResultsComeFirstAndForeignIdsAreMadeValid() {
        List<Message> messages = List.of(
                Message.user("go"),
                Message.of(Role.ASSISTANT, List.of(ToolCallPart.of("call:1/a", "lookup", "{}"),
                        ToolCallPart.of("call_2", "lookup", "not json"))),
                Message.of(Role.USER, List.of(TextPart.of("here you are"),
                        new ToolResultPart("call_2", "lookup", List.of(), false),
                        new ToolResultPart("call:1/a", "lookup", List.of(TextPart.of("one"), TextPart.of("two")), false))));
        JsonNode wire = send(request(messages, List.of(new ToolSpec("lookup", "", null, false)), null, null)).get("messages");
        JsonNode assistant = wire.get(1).get("content");
        assertEquals("call_1_a", assistant.get(0).get("id").asText(), "ids keep to [a-zA-Z0-9_-]");
        assertEquals("{\"raw_arguments\":\"not json\"}", assistant.get(1).get("input").toString(),
                "arguments that are no JSON object travel as text");
        JsonNode user = wire.get(2).get("content");
        assertEquals("tool_result", user.get(0).get("type").asText());
        assertEquals("call_2", user.get(0).get("tool_use_id").asText());
        assertFalse(user.get(0).has("content"), "an empty result has no content");
        assertEquals("call_1_a", user.get(1).get("tool_use_id").asText(), "the result names the id the call was sent with");
        assertEquals("[{\"type\":\"text\",\"text\":\"one\"},{\"type\":\"text\",\"text\":\"two\"}]", user.get(1).get("content").toString());
        assertEquals("text", user.get(2).get("type").asText(), "text after the tool results");
    }

    @Test
    void anthropicReasoningIsReplayedUnchangedAndForeignReasoningDropped() {
        List<Message> messages = List.of(
                Message.user("think"),
                Message.of(Role.ASSISTANT, List.of(
                        new ReasoningPart("anthropic", "claude-sonnet-4-5", "Let me think.", null, "EqQBCgIYAhIM1gbcDa9GJwZA", null, false),
                        new ReasoningPart("anthropic", "claude-sonnet-4-5", null, null, null, "EmwKAhgBEgy3va3pzix/LafPsn4a", true),
                        new ReasoningPart("openai", "gpt-5", "foreign", "summary", null, "enc", false),
                        new OpaquePart("anthropic", "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"x\"}}"),
                        new OpaquePart("gemini", "{\"thought\":true}"),
                        ToolCallPart.of("toolu_1", "lookup", "{\"q\":1}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("toolu_1", "lookup", List.of(TextPart.of("42")), false))));
        JsonNode assistant = send(request(messages, List.of(new ToolSpec("lookup", "", null, false)), null, null))
                .get("messages").get(1).get("content");
        assertEquals("[{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix/LafPsn4a\"},"
                + "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"x\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{\"q\":1}}]", assistant.toString());
    }

    @Test
    void midConversationSystemMessagesAndEmptyTextAreHandled() {
        List<Message> messages = List.of(Message.user("a"), Message.of(Role.SYSTEM, List.of(TextPart.of("Be formal."))),
                Message.user("b"), Message.assistant(""), Message.user("c"));
        JsonNode body = send(new ChatRequest(null, List.of(Instruction.of("Base.")), messages, null, null, null, null,
                null, null, Map.of()));
        assertEquals("[{\"type\":\"text\",\"text\":\"Base.\"},{\"type\":\"text\",\"text\":\"Be formal.\"}]",
                body.get("system").toString(), "system messages go to the top-level system");
        assertEquals(1, body.get("messages").size(), "adjacent user messages merge; an empty assistant turn is dropped");
        assertEquals(3, body.get("messages").get(0).get("content").size());
    }

    @Test
    void aSingleInstructionIsAPlainSystemString() {
        JsonNode body = send(ChatRequest.of(null, "Be brief.", List.of(Message.user("x"))));
        assertEquals("Be brief.", body.get("system").asText());
    }

    @Test
    void imagesAndDocuments() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        byte[] pdf = "%PDF-1.7 ...".getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = List.of(
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), null, null, null),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Url("https://example.com/cat.jpg"), "image/jpeg", null, null),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Url("data:image/gif;base64,R0lGODlh"), null, null, null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.Inline(pdf), "application/pdf", "Report", null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.Inline("plain words".getBytes(StandardCharsets.UTF_8)),
                        "text/plain", null, null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.ProviderFileRef("anthropic", "file_011CNha8iCJcU1wXNR6q4V8w"),
                        null, null, null),
                TextPart.of("Describe them."));
        JsonNode content = send(request(List.of(Message.of(Role.USER, parts)), List.of(), null, null))
                .get("messages").get(0).get("content");
        assertEquals("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
                + Base64.getEncoder().encodeToString(png) + "\"}}", content.get(0).toString());
        assertEquals("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}",
                content.get(1).toString());
        assertEquals("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/gif\",\"data\":\"R0lGODlh\"}}",
                content.get(2).toString(), "data URLs are sent inline");
        assertEquals("{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\""
                + Base64.getEncoder().encodeToString(pdf) + "\"},\"title\":\"Report\"}", content.get(3).toString());
        assertEquals("{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"plain words\"}}",
                content.get(4).toString());
        assertEquals("{\"type\":\"document\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011CNha8iCJcU1wXNR6q4V8w\"}}",
                content.get(5).toString());
    }

    @Test
    void audioIsRefusedBeforeAnythingIsSent() {
        ChatRequest request = request(List.of(Message.of(Role.USER, List.of(new MediaPart(MediaKind.AUDIO,
                new MediaSource.Inline(new byte[] {1}), "audio/wav", null, null)))), List.of(), null, null);
        ProviderException failure = assertThrows(ProviderException.class,
                () -> Configs.provider(fake.baseUri(), "k").chat(request));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("audio"), failure.getMessage());
        assertEquals(0, fake.requests());
    }

    @Test
    void toolChoices() {
        ToolSpec tool = new ToolSpec("t", "", null, false);
        List<Message> hi = List.of(Message.user("hi"));
        assertEquals("{\"type\":\"auto\"}", send(request(hi, List.of(tool), null, null)).get("tool_choice").toString());
        assertEquals("{\"type\":\"any\"}", send(request(hi, List.of(tool), new ToolChoice.Required(), null)).get("tool_choice").toString());
        assertEquals("{\"type\":\"none\"}", send(request(hi, List.of(tool), new ToolChoice.None(), null)).get("tool_choice").toString());
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), "k")
                .chat(request(hi, List.of(), new ToolChoice.Required(), null)));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
    }

    @Test
    void aToolChoiceThatNeedsToolsIsRefusedInWordsWhenNoneAreOffered() {
        for (ToolChoice choice : List.of(new ToolChoice.Named("search"), new ToolChoice.Required())) {
            ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), "k")
                    .chat(request(List.of(Message.user("hi")), List.of(), choice, null)));
            String expected = choice instanceof ToolChoice.Named ? "': the tool choice asks for a call of the tool 'search', but the request offers no tools" : "': the tool choice asks for a tool call, but the request offers no tools";
            assertTrue(failure.error().message().endsWith(expected), failure.error().message());
        }
    }

    @Test
    void aResponseFormatSentAsAToolDoesNotStandInForTheToolsARequiredChoiceNeeds() {
        ResponseFormat person = new ResponseFormat.JsonSchema("person", "{\"type\":\"object\"}", true);
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), "k",
                Map.of("structuredOutput", "tool")).chat(request(List.of(Message.user("hi")), List.of(), new ToolChoice.Required(), person)));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.error().message().endsWith("': the tool choice asks for a tool call, but the request offers"
                + " no tools"), failure.error().message());
        assertEquals(0, fake.requests(), "refused before anything is sent");
    }

    @Test
    void aToolSchemaMustBeAnObject() {
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), "k")
                .chat(request(List.of(Message.user("x")), List.of(new ToolSpec("t", "", "{\"type\":\"array\"}", false)), null, null)));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("'t'"), failure.getMessage());
    }

    @Test
    void jsonSchemaGoesToOutputConfigByDefault() {
        JsonNode body = send(request(List.of(Message.user("x")), List.of(), null,
                new ResponseFormat.JsonSchema("person", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                        + "\"required\":[\"name\"],\"additionalProperties\":false}", true)));
        assertEquals("{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":{\"name\":"
                + "{\"type\":\"string\"}},\"required\":[\"name\"],\"additionalProperties\":false}}}", body.get("output_config").toString());
        assertFalse(body.has("tools"));
    }

    @Test
    void jsonSchemaAsAForcedToolWhenConfigured() {
        JsonNode body = send(request(List.of(Message.user("x")), List.of(), null,
                new ResponseFormat.JsonSchema("person", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}", true)),
                Map.of("structuredOutput", "tool"));
        assertFalse(body.has("output_config"));
        assertEquals("person", body.get("tools").get(0).get("name").asText());
        assertEquals("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}",
                body.get("tools").get(0).get("input_schema").toString());
        assertEquals("{\"type\":\"tool\",\"name\":\"person\"}", body.get("tool_choice").toString());
    }

    @Test
    void jsonObjectAsksByInstruction() {
        JsonNode body = send(request(List.of(Message.user("x")), List.of(), null, new ResponseFormat.JsonObject()));
        assertEquals(AnthropicRequests.JSON_OBJECT_INSTRUCTION, body.get("system").asText());
    }

    @Test
    void thinkingBudgetAndEffort() {
        JsonNode body = send(new ChatRequest(null, List.of(), List.of(Message.user("x")), null, null, null, null, null,
                new ReasoningParams(null, 8000), Map.of()));
        assertEquals("{\"type\":\"enabled\",\"budget_tokens\":8000}", body.get("thinking").toString());
        assertEquals(12096, body.get("max_tokens").asInt(), "max_tokens stays above the thinking budget");
        body = send(new ChatRequest(null, List.of(), List.of(Message.user("x")), null, null, null, null, null,
                new ReasoningParams("High", null), Map.of()));
        assertEquals("{\"effort\":\"high\"}", body.get("output_config").toString());
        assertFalse(body.has("thinking"));
        body = send(new ChatRequest(null, List.of(), List.of(Message.user("x")), null, null, null, null, null,
                new ReasoningParams(null, 0), Map.of()));
        assertEquals("{\"type\":\"disabled\"}", body.get("thinking").toString());
    }

    @Test
    void invalidProviderExtrasAreNamed() {
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), "k")
                .chat(new ChatRequest(null, List.of(), List.of(Message.user("x")), null, null, null, null, null, null,
                        Map.of("metadata", "{oops"))));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("metadata"), failure.getMessage());
        assertEquals(0, fake.requests());
    }

    @Test
    void streamingAsksForEventsWithStreamTrue() {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), "k").stream(ChatRequest.of(null, null, List.of(Message.user("hi"))), e -> { });
        assertTrue(fake.last().json().get("stream").asBoolean());
        assertEquals("text/event-stream", fake.last().header("accept"));
    }
}
