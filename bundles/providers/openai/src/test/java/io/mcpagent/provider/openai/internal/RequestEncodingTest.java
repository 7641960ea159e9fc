package io.mcpagent.provider.openai.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ReasoningParams;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolChoice;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.provider.openai.internal.FakeOpenAi.Recorded;

/** What goes over the wire: the request body field by field, the path and the headers, per dialect. */
class RequestEncodingTest {
    private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"],\"additionalProperties\":false}";
    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Current weather for a city", WEATHER_SCHEMA, true);
    private static final ToolSpec TIME = new ToolSpec("get_time", "", null, false);

    private final FakeOpenAi fake = new FakeOpenAi();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static JsonNode json(String text) {
        try {
            return FakeOpenAi.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The reference's tool-loop example: system prompt, two parallel calls, their results (one failed). */
    private static ChatRequest toolLoop(ToolChoice choice, Boolean parallel) {
        List<Message> history = List.of(
                Message.user("Weather in Paris and Rome?"),
                Message.of(Role.ASSISTANT, List.of(
                        new ToolCallPart("call_a1", "call_a1", null, "get_weather", "{\"city\":\"Paris\"}", Map.of()),
                        new ToolCallPart("call_b2", "call_b2", null, "get_weather", "{\"city\": \"Rome\" }", Map.of()))),
                Message.of(Role.TOOL, List.of(
                        new ToolResultPart("call_a1", "get_weather", List.of(TextPart.of("{\"temp_c\":14}")), false),
                        new ToolResultPart("call_b2", "get_weather", List.of(TextPart.of("service unavailable")), true))));
        return new ChatRequest("gpt-5.4-mini", List.of(Instruction.of("You are a terse assistant."), Instruction.of("Use metric units.")),
                history, List.of(WEATHER, TIME), choice, parallel, null,
                new GenerationParams(1024, 0.2, 0.9, List.of("END", "STOP"), 42L), new ReasoningParams("Low", null), Map.of());
    }

    @Test
    void openAiRequestCarriesEveryFieldAsTheApiExpects() {
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "sk-test"), "baseUrl", fake.baseUri().toString(),
                "organization", "org-1", "project", "proj_1", "headers", new String[] {"X-Trace: abc"});
        provider.chat(toolLoop(new ToolChoice.Named("get_weather"), false));

        Recorded request = fake.last();
        assertEquals("POST", request.method());
        assertEquals("/v1/chat/completions", request.path());
        assertNull(request.query());
        assertEquals("Bearer sk-test", request.header("authorization"));
        assertNull(request.header("api-key"));
        assertEquals("application/json", request.header("content-type"));
        assertEquals("application/json", request.header("accept"));
        assertEquals("org-1", request.header("openai-organization"));
        assertEquals("proj_1", request.header("openai-project"));
        assertEquals("abc", request.header("x-trace"));
        assertTrue(request.header("user-agent").startsWith("mcp-agent-provider-openai/"));

        JsonNode body = request.json();
        assertEquals("gpt-5.4-mini", body.get("model").asText());
        assertEquals(json("""
                [{"role":"system","content":"You are a terse assistant.\\n\\nUse metric units."},
                 {"role":"user","content":"Weather in Paris and Rome?"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_a1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                   {"id":"call_b2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Rome\\" }"}}]},
                 {"role":"tool","tool_call_id":"call_a1","content":"{\\"temp_c\\":14}"},
                 {"role":"tool","tool_call_id":"call_b2","content":"Error: service unavailable"}]
                """), body.get("messages"));
        assertEquals(json("""
                [{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},
                   "strict":true}},
                 {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]
                """), body.get("tools"));
        assertEquals(json("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"), body.get("tool_choice"));
        assertFalse(body.get("parallel_tool_calls").asBoolean());
        assertEquals(1024, body.get("max_completion_tokens").asInt());
        assertFalse(body.has("max_tokens"), "max_tokens is deprecated at OpenAI and refused by reasoning models");
        assertEquals(0.2, body.get("temperature").asDouble());
        assertEquals(0.9, body.get("top_p").asDouble());
        assertEquals(json("[\"END\",\"STOP\"]"), body.get("stop"));
        assertEquals(42, body.get("seed").asLong());
        assertEquals("low", body.get("reasoning_effort").asText());
        assertFalse(body.has("stream"));
        assertFalse(body.has("stream_options"));
        assertFalse(body.has("response_format"));
    }

    @Test
    void structuredOutputJsonModeAndProviderExtras() {
        fake.enqueueText("{}", 1, 1);
        fake.enqueueText("{}", 1, 1);
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString());
        ResponseFormat schema = new ResponseFormat.JsonSchema("weather_report",
                "{\"type\":\"object\",\"properties\":{\"temp\":{\"type\":[\"number\",\"null\"]}},\"required\":[\"temp\"],"
                        + "\"additionalProperties\":false}", true);
        provider.chat(new ChatRequest(null, List.of(), List.of(Message.user("Report")), List.of(), null, null, schema, null, null,
                Map.of("service_tier", "\"flex\"", "metadata", "{\"run\":\"7\"}")));
        JsonNode body = fake.last().json();
        assertEquals("gpt-5.4-mini", body.get("model").asText(), "no model in the request: the default model");
        assertEquals(json("""
                {"type":"json_schema","json_schema":{"name":"weather_report","strict":true,
                 "schema":{"type":"object","properties":{"temp":{"type":["number","null"]}},"required":["temp"],"additionalProperties":false}}}
                """), body.get("response_format"));
        assertEquals("flex", body.get("service_tier").asText());
        assertEquals("7", body.get("metadata").get("run").asText());
        assertFalse(body.has("tools"));
        assertFalse(body.has("tool_choice"), "no tool_choice without tools (OpenAI rejects it)");
        assertFalse(body.has("parallel_tool_calls"));

        provider.chat(new ChatRequest("gpt-4.1", List.of(), List.of(Message.user("json please")), List.of(), null, null,
                new ResponseFormat.JsonObject(), null, null, Map.of()));
        assertEquals(json("{\"type\":\"json_object\"}"), fake.last().json().get("response_format"));
    }

    @Test
    void openAiStreamingAsksForUsage() {
        fake.enqueueText("hi", 1, 1);
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString());
        provider.stream(ChatRequest.of("gpt-5.4", null, List.of(Message.user("hi"))), event -> { });
        Recorded request = fake.last();
        assertEquals("text/event-stream", request.header("accept"));
        assertTrue(request.json().get("stream").asBoolean());
        assertEquals(json("{\"include_usage\":true}"), request.json().get("stream_options"));
        assertEquals("user", request.json().get("messages").get(0).get("role").asText(), "no system message without instructions");
    }

    @Test
    void azureDeploymentUrlWithApiKeyHeaderAndNoModelInTheBody() {
        try (FakeOpenAi azure = new FakeOpenAi("")) {
            azure.enqueueText("ok", 1, 1);
            OpenAiProvider provider = Providers.provider("azure", Map.of("AZURE_OPENAI_API_KEY", "az-key"), "dialect", "azure",
                    "baseUrl", azure.baseUri() + "/", "defaultModel", "prod gpt");
            provider.chat(new ChatRequest(null, List.of(Instruction.of("Be brief.")), List.of(Message.user("hi")), List.of(), null,
                    null, null, new GenerationParams(50, null, null, null, null), null, Map.of()));
            Recorded request = azure.last();
            assertEquals("/openai/deployments/prod%20gpt/chat/completions", request.path());
            assertEquals("api-version=2024-10-21", request.query());
            assertEquals("az-key", request.header("api-key"));
            assertNull(request.header("authorization"));
            JsonNode body = request.json();
            assertFalse(body.has("model"), "the deployment in the path selects the model");
            assertEquals("system", body.get("messages").get(0).get("role").asText());
            assertEquals(50, body.get("max_completion_tokens").asInt());
        }
    }

    @Test
    void azureV1EndpointNamesTheDeploymentInTheBody() {
        try (FakeOpenAi azure = new FakeOpenAi("")) {
            azure.enqueueText("ok", 1, 1);
            azure.enqueueText("ok", 1, 1);
            OpenAiProvider provider = Providers.provider("azure", Map.of("AZURE_OPENAI_API_KEY", "az-key"), "dialect", "azure",
                    "baseUrl", azure.baseUri().toString(), "azureV1", true, "models", new String[] {"my-deployment;tools,streaming"});
            provider.stream(ChatRequest.of(null, null, List.of(Message.user("hi"))), e -> { });
            Recorded request = azure.last();
            assertEquals("/openai/v1/chat/completions", request.path());
            assertNull(request.query(), "v1 needs no dated api-version");
            assertEquals("az-key", request.header("api-key"));
            assertEquals("my-deployment", request.json().get("model").asText());
            assertTrue(request.json().path("stream_options").path("include_usage").asBoolean());

            OpenAiProvider preview = Providers.provider("azure", Map.of("AZURE_OPENAI_API_KEY", "az-key"), "dialect", "azure",
                    "baseUrl", azure.baseUri() + "/openai/v1", "azureV1", true, "apiVersion", "preview",
                    "defaultModel", "d", "authScheme", "bearer");
            preview.chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
            assertEquals("/openai/v1/chat/completions", azure.last().path());
            assertEquals("api-version=preview", azure.last().query());
            assertEquals("Bearer az-key", azure.last().header("authorization"));
        }
    }

    @Test
    void anEntraTokenRenewedInItsFileIsSentAndMaskedFromTheNextCall(@TempDir Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("entra-token"), "entra-token-of-the-first-hour\n");
        try (FakeOpenAi azure = new FakeOpenAi("")) {
            OpenAiProvider provider = Providers.provider("azure", Map.of(), "dialect", "azure",
                    "baseUrl", azure.baseUri().toString(), "defaultModel", "dep", "authScheme", "bearer",
                    "apiKeyFile", token.toString());
            azure.enqueueText("ok", 1, 1);
            provider.chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
            assertEquals("Bearer entra-token-of-the-first-hour", azure.last().header("authorization"));

            Files.writeString(token, "entra-token-of-the-second-hour\n");
            Files.setLastModifiedTime(token, FileTime.from(Files.getLastModifiedTime(token).toInstant().plusSeconds(2)));
            azure.enqueue(FakeOpenAi.json(401, "{\"error\":{\"code\":\"401\",\"message\":\"token"
                    + " entra-token-of-the-second-hour is not valid for this resource\"}}"));
            ProviderException refused = assertThrows(ProviderException.class,
                    () -> provider.chat(ChatRequest.of(null, null, List.of(Message.user("hi")))));
            assertEquals("Bearer entra-token-of-the-second-hour", azure.last().header("authorization"));
            assertFalse(refused.getMessage().contains("second-hour"), refused.getMessage());
        }
    }

    @Test
    void ollamaSendsNoKeyNoToolChoiceAndMaxTokens() {
        fake.enqueueText("ok", 1, 1);
        fake.enqueueText("ok", 1, 1);
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("local", Map.of(), "dialect", "ollama", "baseUrl", fake.baseUri().toString());
        assertEquals("UP", provider.health().status().name());
        provider.chat(toolLoop(new ToolChoice.Auto(), true));
        Recorded request = fake.last();
        assertNull(request.header("authorization"), "Ollama needs no key");
        JsonNode body = request.json();
        assertEquals("system", body.get("messages").get(0).get("role").asText());
        assertEquals(1024, body.get("max_tokens").asInt());
        assertFalse(body.has("max_completion_tokens"), "Ollama ignores max_completion_tokens");
        assertFalse(body.has("tool_choice"), "Ollama does not support tool_choice");
        assertFalse(body.has("parallel_tool_calls"));
        assertEquals(2, body.get("tools").size());
        assertEquals("low", body.get("reasoning_effort").asText());

        provider.chat(toolLoop(new ToolChoice.Named("get_time"), null));
        body = fake.last().json();
        assertEquals(1, body.get("tools").size(), "a named choice offers only that tool");
        assertEquals("get_time", body.get("tools").get(0).get("function").get("name").asText());

        provider.chat(toolLoop(new ToolChoice.None(), null));
        assertFalse(fake.last().json().has("tools"), "'none' is kept by not offering the tools");
    }

    @Test
    void aToolChoiceThatNeedsToolsIsRefusedBeforeSendingWhenNoneAreOffered() {
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString());
        for (ToolChoice choice : List.of(new ToolChoice.Named("search"), new ToolChoice.Required())) {
            ProviderException refused = assertThrows(ProviderException.class, () -> provider.chat(new ChatRequest("gpt-5",
                    List.of(), List.of(Message.user("hi")), List.of(), choice, null, null, null, null, Map.of())));
            assertEquals(Category.INVALID_REQUEST, refused.error().category());
            String expected = choice instanceof ToolChoice.Named
                    ? "provider 'main': the tool choice asks for a call of the tool 'search', but the request offers no tools"
                    : "provider 'main': the tool choice asks for a tool call, but the request offers no tools";
            assertEquals(expected, refused.error().message());
        }
        assertEquals(0, fake.requests(), "refused before anything is sent");
    }

    @Test
    void ollamaRefusesRemoteImageUrlsBeforeSending() {
        OpenAiProvider provider = Providers.provider("local", Map.of(), "dialect", "ollama", "baseUrl", fake.baseUri().toString());
        Message withUrl = Message.of(Role.USER, List.of(TextPart.of("What is this?"),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Url("https://example.com/cat.png"), "image/png", null, null)));
        ProviderException refused = assertThrows(ProviderException.class,
                () -> provider.chat(ChatRequest.of("qwen3-vl:8b", null, List.of(withUrl))));
        assertEquals(Category.INVALID_REQUEST, refused.error().category());
        assertTrue(refused.getMessage().contains("inline images"), refused.getMessage());
        assertEquals(0, fake.requests());
    }

    @Test
    void mediaAsContentPartsAndToolResultMediaAfterTheToolMessages() {
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        Message user = new Message(Role.USER, List.of(TextPart.of("Compare"),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Url("https://example.com/a.png"), null, null, "high"),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), "image/png", null, null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.Inline("%PDF".getBytes(StandardCharsets.US_ASCII)), "application/pdf",
                        "spec.pdf", null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.ProviderFileRef("openai", "file-abc"), null, null, null),
                new MediaPart(MediaKind.AUDIO, new MediaSource.Inline(new byte[] {1, 2}), "audio/mpeg", null, null)), "alice", Map.of());
        Message calls = Message.of(Role.ASSISTANT, List.of(TextPart.of("Let me look."),
                ToolCallPart.of("c1", "screenshot", "{}"), ToolCallPart.of("c2", "screenshot", "{}")));
        Message first = Message.of(Role.TOOL, List.of(new ToolResultPart("c1", "screenshot", List.of(TextPart.of("shot 1"),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), "image/png", null, null)), false)));
        Message second = Message.of(Role.TOOL, List.of(new ToolResultPart("c2", "screenshot", List.of(TextPart.of("shot 2")), false)));
        provider.chat(ChatRequest.of("gpt-5.4", null, List.of(user, calls, first, second, Message.user("and?"))));

        JsonNode messages = fake.last().json().get("messages");
        assertEquals(json("""
                {"role":"user","name":"alice","content":[
                  {"type":"text","text":"Compare"},
                  {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"high"}},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw=="}},
                  {"type":"file","file":{"filename":"spec.pdf","file_data":"data:application/pdf;base64,JVBERg=="}},
                  {"type":"file","file":{"file_id":"file-abc"}},
                  {"type":"input_audio","input_audio":{"data":"AQI=","format":"mp3"}}]}
                """), messages.get(0));
        assertEquals(json("""
                {"role":"assistant","content":"Let me look.","tool_calls":[
                  {"id":"c1","type":"function","function":{"name":"screenshot","arguments":"{}"}},
                  {"id":"c2","type":"function","function":{"name":"screenshot","arguments":"{}"}}]}
                """), messages.get(1));
        assertEquals("tool", messages.get(2).get("role").asText());
        assertEquals("shot 1\n[image attached in the next user message]", messages.get(2).get("content").asText());
        assertEquals("tool", messages.get(3).get("role").asText(), "the tool messages of one turn stay together");
        assertEquals(json("{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw==\"}}]}"),
                messages.get(4));
        assertEquals(json("{\"role\":\"user\",\"content\":\"and?\"}"), messages.get(5));
    }

    @Test
    void llamaCppTurnsParallelCallsOnAndNamedChoiceIntoRequired() {
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("llama", Map.of(), "dialect", "llamacpp", "baseUrl", fake.baseUri().toString(),
                "defaultModel", "local");
        provider.stream(toolLoop(new ToolChoice.Named("get_weather"), null), e -> { });
        JsonNode body = fake.last().json();
        assertTrue(body.get("parallel_tool_calls").asBoolean(), "llama.cpp disables parallel calls unless asked");
        assertEquals("required", body.get("tool_choice").asText(), "llama.cpp takes tool_choice only as a string");
        assertEquals(1, body.get("tools").size());
        assertEquals("gpt-5.4-mini", body.get("model").asText(), "the model the request names is sent as asked");
        assertFalse(body.has("reasoning_effort"));
        assertTrue(body.path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void lmStudioSendsOnlyDocumentedParameters() {
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("lms", Map.of(), "dialect", "lmstudio", "baseUrl", fake.baseUri().toString(),
                "defaultModel", "qwen/qwen3-30b");
        provider.stream(toolLoop(new ToolChoice.Required(), true), e -> { });
        JsonNode body = fake.last().json();
        assertFalse(body.has("stream_options"));
        assertFalse(body.has("parallel_tool_calls"));
        assertEquals("required", body.get("tool_choice").asText());
        assertEquals(1024, body.get("max_tokens").asInt());
    }

    @Test
    void openRouterAttributionHeadersAndReasoningObject() {
        fake.enqueueText("ok", 1, 1);
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("router", Map.of("OPENROUTER_API_KEY", "sk-or-1"), "dialect", "openrouter",
                "baseUrl", fake.baseUri().toString(), "httpReferer", "https://mcpagent.example", "appTitle", "MCP-Agent");
        provider.stream(new ChatRequest("anthropic/claude-sonnet-4.5", List.of(), List.of(Message.user("hi")), List.of(), null, null,
                null, new GenerationParams(300, null, null, null, null), new ReasoningParams(null, 2000), Map.of()), e -> { });
        Recorded request = fake.last();
        assertEquals("Bearer sk-or-1", request.header("authorization"));
        assertEquals("https://mcpagent.example", request.header("http-referer"));
        assertEquals("MCP-Agent", request.header("x-title"));
        JsonNode body = request.json();
        assertEquals(json("{\"max_tokens\":2000}"), body.get("reasoning"));
        assertEquals(300, body.get("max_tokens").asInt());
        assertFalse(body.has("stream_options"), "OpenRouter always sends usage; stream_options is deprecated there");

        provider.chat(new ChatRequest("openai/gpt-5.4-mini", List.of(), List.of(Message.user("hi")), List.of(), null, null, null,
                null, new ReasoningParams("high", 2000), Map.of()));
        assertEquals(json("{\"effort\":\"high\"}"), fake.last().json().get("reasoning"));
    }

    @Test
    void vllmWithAKeyUsesBearerAndKeepsNamedToolChoice() {
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("vllm", Map.of("VLLM_KEY", "v-secret"), "dialect", "vllm",
                "baseUrl", fake.baseUri().toString(), "apiKeyEnv", "VLLM_KEY", "defaultModel", "Qwen/Qwen3-8B",
                "maxTokensField", "max_completion_tokens", "systemRole", "developer", "streamUsage", "false");
        provider.stream(toolLoop(new ToolChoice.Named("get_weather"), null), e -> { });
        Recorded request = fake.last();
        assertEquals("Bearer v-secret", request.header("authorization"));
        JsonNode body = request.json();
        assertEquals("function", body.get("tool_choice").get("type").asText());
        assertEquals(1024, body.get("max_completion_tokens").asInt(), "maxTokensField overrides the dialect");
        assertEquals("developer", body.get("messages").get(0).get("role").asText(), "systemRole overrides the dialect");
        assertFalse(body.has("stream_options"), "streamUsage=false overrides the dialect");
        assertFalse(body.has("parallel_tool_calls"), "not asked for, not sent");
    }

    @Test
    void autoToolChoiceIsTheDefaultAndNotSent() {
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("vllm", Map.of(), "dialect", "vllm", "baseUrl", fake.baseUri().toString(),
                "defaultModel", "m");
        provider.chat(toolLoop(new ToolChoice.Auto(), null));
        JsonNode body = fake.last().json();
        assertEquals(2, body.get("tools").size());
        assertFalse(body.has("tool_choice"), "vLLM rejects an explicit 'auto' unless started with --enable-auto-tool-choice");
    }

    @Test
    void invalidInputFailsBeforeAnythingIsSent() {
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString());
        ToolSpec broken = new ToolSpec("broken", "", "{not json", false);
        ProviderException badSchema = assertThrows(ProviderException.class, () -> provider.chat(new ChatRequest("gpt-5", List.of(),
                List.of(Message.user("x")), List.of(broken), null, null, null, null, null, Map.of())));
        assertEquals(Category.INVALID_REQUEST, badSchema.error().category());
        assertTrue(badSchema.getMessage().contains("tool 'broken'"), badSchema.getMessage());

        ProviderException badExtra = assertThrows(ProviderException.class, () -> provider.chat(new ChatRequest("gpt-5", List.of(),
                List.of(Message.user("x")), List.of(), null, null, null, null, null, Map.of("user", "not json"))));
        assertTrue(badExtra.getMessage().contains("provider extra 'user'"), badExtra.getMessage());

        ToolSpec twoValues = new ToolSpec("two_values", "", "{\"type\":\"object\"} {}", false);
        ProviderException trailing = assertThrows(ProviderException.class, () -> provider.chat(new ChatRequest("gpt-5",
                List.of(), List.of(Message.user("x")), List.of(twoValues), null, null, null, null, null, Map.of())));
        assertTrue(trailing.getMessage().contains("tool 'two_values' is not valid JSON: more follows the value"),
                trailing.getMessage());

        ProviderException empty = assertThrows(ProviderException.class,
                () -> provider.chat(ChatRequest.of("gpt-5", null, List.of())));
        assertTrue(empty.getMessage().contains("no messages"), empty.getMessage());
        assertEquals(0, fake.requests());
    }

    @Test
    void schemasAreSentAsGivenOnEveryTurn() {
        fake.enqueueText("one", 1, 1);
        fake.enqueueText("two", 1, 1);
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString());
        String spaced = "{ \"type\" : \"object\", \"properties\": {\"city\": {\"type\":\"string\"}} }";
        ChatRequest request = new ChatRequest("gpt-5", List.of(), List.of(Message.user("x")),
                List.of(new ToolSpec("spaced", "", spaced, false)), null, null, null, null, null, Map.of());
        for (int turn = 1; turn <= 2; turn++) { // checked on the first turn only, sent as given on both
            provider.chat(request);
            String body = fake.last().body();
            assertTrue(body.contains("\"parameters\":" + spaced), body);
            assertEquals(json(spaced), fake.last().json().path("tools").path(0).path("function").path("parameters"));
        }
        assertEquals(2, fake.requests());
    }

    @Test
    void historyFromAnotherProviderAnswersTheCallIdsItWasGiven() {
        fake.enqueueText("ok", 1, 1);
        OpenAiProvider provider = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString());
        // neutral id differs from the provider's: results are keyed by the neutral id and must go out as the provider's
        Message assistant = Message.of(Role.ASSISTANT, List.of(
                new ToolCallPart("n1", "call_xyz", null, "get_time", "{}", Map.of())));
        Message results = Message.of(Role.USER, List.of(
                new ToolResultPart("n1", "get_time", List.of(TextPart.of("12:00")), false), TextPart.of("thanks")));
        provider.chat(new ChatRequest("gpt-5", List.of(), List.of(Message.user("time?"), assistant, results), List.of(TIME),
                new ToolChoice.Required(), null, null, null, null, Map.of()));
        JsonNode messages = fake.last().json().get("messages");
        assertEquals("call_xyz", messages.get(1).get("tool_calls").get(0).get("id").asText());
        assertEquals(json("{\"role\":\"tool\",\"tool_call_id\":\"call_xyz\",\"content\":\"12:00\"}"), messages.get(2));
        assertEquals(json("{\"role\":\"user\",\"content\":\"thanks\"}"), messages.get(3));
        assertEquals("required", fake.last().json().get("tool_choice").asText());
    }
}
