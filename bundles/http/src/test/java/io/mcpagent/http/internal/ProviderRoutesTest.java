package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.PriceTier;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.http.internal.ServletCalls.Answer;

class ProviderRoutesTest {
    private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");

    @TempDir
    Path dir;

    private ApiServlet servlet;
    private final PluginManager plugins = mock(PluginManager.class);
    private final LlmRouter router = mock(LlmRouter.class);
    private final LlmProvider openai = mock(LlmProvider.class);
    private final LlmProvider local = mock(LlmProvider.class);
    private KeyService keys;
    private String viewer;
    private String operator;

    @BeforeEach
    void setUp() throws Exception {
        keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        viewer = keys.store().create(Role.VIEWER, "viewer");
        operator = keys.store().create(Role.OPERATOR, "operator");
        servlet = ServletCalls.apiServlet(ServletCalls.framework(Map.of()), keys, ServletCalls.config(10_000));

        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of(plugin("local", "Ollama", PluginKind.PROVIDER),
                plugin("openai", "OpenAI", PluginKind.PROVIDER)));
        // the whiteboard's own lookup in any case, over the providers listed here
        when(plugins.find(any(), any())).thenCallRealMethod();
        when(plugins.get(anyString())).thenReturn(Optional.empty());
        when(plugins.get("openai")).thenReturn(Optional.of(plugin("openai", "OpenAI", PluginKind.PROVIDER)));
        when(plugins.get("local")).thenReturn(Optional.of(plugin("local", "Ollama", PluginKind.PROVIDER)));
        when(plugins.get("memory")).thenReturn(Optional.of(plugin("memory", "Memory", PluginKind.MCP_SERVER)));
        when(plugins.service(anyString(), eq(LlmProvider.class))).thenReturn(Optional.empty());
        when(plugins.service("openai", LlmProvider.class)).thenReturn(Optional.of(openai));
        when(plugins.service("local", LlmProvider.class)).thenReturn(Optional.of(local));
        when(plugins.health("openai")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP, "", T)));
        when(plugins.health("local")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "connection refused", T)));
        when(openai.models()).thenReturn(List.of(
                new ModelInfo("gpt-4o-mini", Set.of(ModelCapability.VISION, ModelCapability.TOOLS), 128000,
                        new BigDecimal("0.15"), new BigDecimal("0.60"), new BigDecimal("0.075"), new BigDecimal("0.1875"),
                        null, List.of(new PriceTier(200_000, new BigDecimal("0.30"), new BigDecimal("1.20")))),
                new ModelInfo("custom", Set.of(), 0, null, null)));
        when(local.models()).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NETWORK,
                "connection refused")));
        when(router.circuits()).thenReturn(Map.of("openai", "closed", "local", "open"));
        when(openai.chat(any())).thenReturn(answer());
        servlet.bindPlugins(plugins);
        // The router passes pinned calls on to the named provider, as the real one does.
        when(router.routeForTenant(any(), any(), any(), any())).thenAnswer(call -> {
            String id = ((ModelRequirements) call.getArgument(1)).providerId();
            ChatResponse answer = plugins.service(id, LlmProvider.class).orElseThrow().chat(call.getArgument(0));
            return new RoutedResponse(answer, id, answer.model(), BigDecimal.ZERO, 1);
        });
        servlet.bindRouter(router);
    }

    // ---- roles ----------------------------------------------------------------------------------------------------

    @Test
    void everyProviderEndpointNeedsAKeyAndChatNeedsTheOperatorRole() throws Exception {
        record Endpoint(String method, String path, String body, boolean spends) {
        }
        when(router.usageByProvider()).thenReturn(Map.of());
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/providers", null, false),
                new Endpoint("GET", "/providers/openai", null, false),
                new Endpoint("GET", "/providers/usage", null, false),
                new Endpoint("POST", "/providers/openai/chat", "{\"prompt\":\"Hi\"}", true));
        for (Endpoint e : endpoints) {
            String what = e.method() + " " + e.path();
            Answer none = call(e.method(), e.path(), Map.of(), e.body());
            assertEquals(401, none.status(), what);
            assertEquals("unauthorized", none.error(), what);
            Answer asViewer = call(e.method(), e.path(), Map.of("X-Api-Key", viewer), e.body());
            if (e.spends()) {
                assertEquals(403, asViewer.status(), what);
                assertEquals("forbidden", asViewer.error());
                assertTrue(asViewer.message().contains("operator"), asViewer.message());
            } else {
                assertEquals(200, asViewer.status(), what);
            }
            assertEquals(200, call(e.method(), e.path(), Map.of("X-Api-Key", operator), e.body()).status(), what);
            assertEquals(200, call(e.method(), e.path(), Map.of("Authorization", "Bearer bootstrap-admin-key-for-the-tests"), e.body())
                    .status(), what);
        }
        // Only the operator's and the admin's chats reached the provider.
        verify(openai, times(2)).chat(any());
    }

    // ---- GET /providers -------------------------------------------------------------------------------------------

    @Test
    void providersAreListedWithHealthModelsAndCircuit() throws Exception {
        JsonNode body = get("/providers").body();
        assertEquals(2, body.path("count").asInt());
        JsonNode ollama = body.path("providers").get(0);
        assertEquals("local", ollama.path("id").asText());
        assertEquals("Ollama", ollama.path("name").asText());
        assertEquals("DOWN", ollama.path("health").path("status").asText());
        assertEquals("connection refused", ollama.path("health").path("message").asText());
        assertTrue(ollama.path("models").isNull());
        assertEquals("NETWORK: connection refused", ollama.path("modelsError").asText());
        assertEquals("open", ollama.path("circuit").asText());

        JsonNode openAi = body.path("providers").get(1);
        assertEquals("UP", openAi.path("health").path("status").asText());
        assertEquals("closed", openAi.path("circuit").asText());
        assertFalse(openAi.has("modelsError"));
        JsonNode mini = openAi.path("models").get(0);
        assertEquals("gpt-4o-mini", mini.path("id").asText());
        assertEquals("[\"TOOLS\",\"VISION\"]", mini.path("capabilities").toString());
        assertEquals(128000, mini.path("contextWindow").asInt());
        assertTrue(mini.path("inputPricePerMillion").isNumber());
        assertEquals(0.15, mini.path("inputPricePerMillion").asDouble());
        assertEquals(0.6, mini.path("outputPricePerMillion").asDouble());
        assertEquals(0.075, mini.path("cacheReadPricePerMillion").asDouble());
        assertEquals(0.1875, mini.path("cacheWritePricePerMillion").asDouble());
        assertEquals("[{\"aboveInputTokens\":200000,\"inputPricePerMillion\":0.3,\"outputPricePerMillion\":1.2,"
                + "\"cacheReadPricePerMillion\":null,\"cacheWritePricePerMillion\":null,\"cacheWrite1hPricePerMillion\":null}]",
                mini.path("priceTiers").toString());
        JsonNode custom = openAi.path("models").get(1);
        assertEquals(0, custom.path("capabilities").size());
        assertTrue(custom.has("contextWindow"));
        assertTrue(custom.path("contextWindow").isNull(), "an unknown context window is null, as an unknown price");
        assertTrue(custom.path("inputPricePerMillion").isNull());
        assertTrue(custom.path("outputPricePerMillion").isNull());
        assertTrue(custom.has("cacheReadPricePerMillion"));
        assertTrue(custom.path("cacheReadPricePerMillion").isNull(), "unset: cached input costs the input price");
        assertTrue(custom.path("cacheWritePricePerMillion").isNull());
        assertTrue(custom.has("cacheWrite1hPricePerMillion"));
        assertTrue(custom.path("cacheWrite1hPricePerMillion").isNull(), "unset: one-hour writes cost the write price");
        assertEquals("[]", custom.path("priceTiers").toString());
    }

    @Test
    void aProviderWithManyModelsIsListedWithTheFirstHundredAndItsModelsArePaged() throws Exception {
        List<ModelInfo> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(new ModelInfo("m" + i, Set.of(ModelCapability.TOOLS), 8192, null, null));
        }
        when(openai.models()).thenReturn(many);

        JsonNode listed = get("/providers").body().path("providers").get(1);
        JsonNode alone = get("/providers/openai").body();
        JsonNode page = ServletCalls.call(servlet, "GET", "/providers/openai/models", "offset=99990&limit=20",
                Map.of("X-Api-Key", viewer), null).body();

        for (JsonNode provider : List.of(listed, alone)) {
            assertEquals(ProviderRoutes.MODELS_SHOWN, provider.path("models").size());
            assertEquals("m0", provider.path("models").get(0).path("id").asText(), "the default first");
            assertEquals(100_000, provider.path("modelCount").asInt());
        }
        assertEquals("openai", page.path("provider").asText());
        assertEquals(10, page.path("count").asInt());
        assertEquals(100_000, page.path("total").asInt());
        assertEquals(99990, page.path("offset").asInt());
        assertEquals(20, page.path("limit").asInt());
        assertEquals("m99990", page.path("models").get(0).path("id").asText());
        assertEquals("[\"TOOLS\"]", page.path("models").get(0).path("capabilities").toString());
        assertEquals(ProviderRoutes.MODELS_SHOWN, get("/providers/openai/models").body().path("count").asInt(),
                "the usual default page");
    }

    @Test
    void theModelsOfAProviderThatCannotListThemAreABadGatewayAndOfAnUnknownOneNotFound() throws Exception {
        Answer failing = get("/providers/local/models");
        Answer unknown = get("/providers/nope/models");

        assertEquals(502, failing.status());
        assertEquals("provider 'local' cannot list its models: NETWORK: connection refused", failing.message());
        assertEquals(404, unknown.status());
        assertTrue(get("/providers").body().path("providers").get(0).path("modelCount").isNull(),
                "no count where the models are unknown");
        assertEquals(2, get("/providers/openai").body().path("modelCount").asInt());
    }

    @Test
    void aProviderTheRouterRanksLastSaysSinceWhenAndWhyInTheListAndAlone() throws Exception {
        when(router.rankedLast()).thenReturn(Map.of("openai", new ProviderRefusal(T, ProviderError.Category.AUTH,
                "Incorrect API key provided")));

        JsonNode listed = get("/providers").body().path("providers");
        assertTrue(listed.get(0).path("rankedLast").isNull(), "local is not ranked last");
        assertEquals("{\"since\":\"2026-11-24T10:15:30Z\",\"category\":\"AUTH\","
                + "\"reason\":\"Incorrect API key provided\"}", listed.get(1).path("rankedLast").toString());
        assertEquals(listed.get(1).path("rankedLast"), get("/providers/openai").body().path("rankedLast"));
    }

    @Test
    void withoutTheRouterProvidersAreListedWithoutCircuit() throws Exception {
        servlet.unbindRouter(router);
        Answer answer = get("/providers");
        assertEquals(200, answer.status());
        assertTrue(answer.body().path("providers").get(1).path("circuit").isNull());
        assertTrue(answer.body().path("providers").get(1).path("rankedLast").isNull());

        servlet.bindRouter(router);
        when(router.circuits()).thenThrow(new IllegalStateException("stopping"));
        when(plugins.health("openai")).thenThrow(new IllegalStateException("boom"));
        JsonNode openAi = get("/providers/openai").body();
        assertTrue(openAi.path("circuit").isNull());
        assertEquals("UNKNOWN", openAi.path("health").path("status").asText());
        assertTrue(openAi.path("health").path("message").asText().contains("boom"));
    }

    @Test
    void oneProviderByIdAndUnknownOnesAre404() throws Exception {
        JsonNode openAi = get("/providers/openai").body();
        assertEquals("openai", openAi.path("id").asText());
        assertEquals(2, openAi.path("models").size());
        assertEquals("closed", openAi.path("circuit").asText());
        for (String id : List.of("nope", "memory")) {
            Answer unknown = get("/providers/" + id);
            assertEquals(404, unknown.status(), id);
            assertEquals("not_found", unknown.error());
            assertEquals("no LLM provider '" + id + "'; GET /api/v1/providers lists them", unknown.message());
        }
    }

    @Test
    void aProviderIdIsTakenInAnyCaseExactFirstAndOneThatFitsSeveralIs400NamingThem() throws Exception {
        assertEquals("openai", get("/providers/OpenAI").body().path("id").asText());
        Answer chatted = chat("OPENAI", "{\"prompt\":\"Hi\"}");
        assertEquals(200, chatted.status(), String.valueOf(chatted.body()));
        verify(router).routeForTenant(any(), org.mockito.ArgumentMatchers.argThat(pinned -> "openai".equals(pinned.providerId())
                && List.of("openai").equals(pinned.fallbackChain())), eq(Principal.DEFAULT_TENANT),
                org.mockito.ArgumentMatchers.isNull());

        LlmProvider otherLocal = mock(LlmProvider.class);
        when(otherLocal.models()).thenReturn(List.of());
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of(plugin("Local", "Other", PluginKind.PROVIDER),
                plugin("local", "Ollama", PluginKind.PROVIDER), plugin("openai", "OpenAI", PluginKind.PROVIDER)));
        when(plugins.service("Local", LlmProvider.class)).thenReturn(Optional.of(otherLocal));
        when(plugins.health("Local")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP, "", T)));
        assertEquals("Other", get("/providers/Local").body().path("name").asText(), "the exact id, beside 'local'");
        String ambiguous = "provider 'LOCAL' is ambiguous: it names Local, local when case is ignored; give one of"
                + " them exactly";
        for (Answer refused : List.of(get("/providers/LOCAL"), chat("LOCAL", "{\"prompt\":\"Hi\"}"))) {
            assertEquals(400, refused.status());
            assertEquals("bad_request", refused.error());
            assertEquals(ambiguous, refused.message());
        }
        verify(otherLocal, never()).chat(any());
        verify(local, never()).chat(any());
    }

    @Test
    void aProviderIdIsTakenFromThePathAsTheContainerDecodedIt() throws Exception {
        // getPathInfo() is decoded already: /providers/a+b%2541 arrives as /providers/a+b%41
        List<String> ids = List.of("a+b", "x%41", "100%");
        List<PluginInfo> listed = new ArrayList<>();
        for (String id : ids) {
            listed.add(plugin(id, "Odd", PluginKind.PROVIDER));
            when(plugins.service(id, LlmProvider.class)).thenReturn(Optional.of(openai));
            when(plugins.health(id)).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP, "", T)));
        }
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(listed);
        for (String id : ids) {
            Answer one = get("/providers/" + id);
            assertEquals(200, one.status(), id + ": " + one.body());
            assertEquals(id, one.body().path("id").asText());
            Answer chatted = chat(id, "{\"prompt\":\"Hi\"}");
            assertEquals(200, chatted.status(), id + ": " + chatted.body());
            verify(router).routeForTenant(any(), org.mockito.ArgumentMatchers.argThat(pinned -> id.equals(pinned.providerId())),
                    eq(Principal.DEFAULT_TENANT), org.mockito.ArgumentMatchers.isNull());
        }
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of(plugin("openai", "OpenAI", PluginKind.PROVIDER)));
        Answer decodedTwice = get("/providers/open%41i");
        assertEquals(404, decodedTwice.status(), "'open%41i' is not 'openAi'");
        assertEquals("no LLM provider 'open%41i'; GET /api/v1/providers lists them", decodedTwice.message());
    }

    // ---- POST /providers/{id}/chat --------------------------------------------------------------------------------

    @Test
    void chatSendsTheConversationAndAnswersWithTextToolCallsAndUsage() throws Exception {
        Answer answer = chat("openai", """
                {"messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":"Where?"},{"role":"user","content":"Berlin"}],
                 "system":"You are helpful","model":"gpt-4o-mini","maxTokens":100,"temperature":0.2}""");
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        JsonNode body = answer.body();
        assertEquals("r1", body.path("id").asText());
        assertEquals("gpt-4o-mini-2024", body.path("model").asText());
        assertEquals("Let me look.", body.path("text").asText());
        assertEquals(1, body.path("toolCalls").size());
        JsonNode call = body.path("toolCalls").get(0);
        assertEquals("c1", call.path("id").asText());
        assertEquals("get_weather", call.path("name").asText());
        assertEquals("{\"city\":\"Berlin\"}", call.path("arguments").asText());
        assertEquals("TOOL_CALLS", body.path("stopReason").asText());
        assertEquals("tool_calls", body.path("rawStopReason").asText());
        assertEquals(12, body.path("usage").path("input").asLong());
        assertEquals(3, body.path("usage").path("output").asLong());
        assertEquals(15, body.path("usage").path("total").asLong());
        assertEquals("req_1", body.path("requestId").asText());

        ChatRequest request = sent();
        assertEquals("gpt-4o-mini", request.model());
        assertEquals(List.of("You are helpful", "Be brief"),
                request.instructions().stream().map(i -> i.text()).toList());
        assertEquals(List.of(Message.user("Weather?"), Message.assistant("Where?"), Message.user("Berlin")),
                request.messages());
        assertEquals(100, request.params().maxOutputTokens());
        assertEquals(0.2, request.params().temperature());
        assertTrue(request.tools().isEmpty());
        verify(router).routeForTenant(any(), org.mockito.ArgumentMatchers.argThat(pinned -> "openai".equals(pinned.providerId())
                && List.of("openai").equals(pinned.fallbackChain())), eq(Principal.DEFAULT_TENANT),
                org.mockito.ArgumentMatchers.isNull());
    }

    @Test
    void aProviderThrowingAnErrorForItsModelsFailsItsOwnEntryAndIsStillAskedToChat() throws Exception {
        org.mockito.Mockito.doThrow(new StackOverflowError("recursed")).when(local).models();
        org.mockito.Mockito.doReturn(answer()).when(local).chat(any());

        Answer listing = get("/providers");
        assertEquals(200, listing.status());
        assertEquals("java.lang.StackOverflowError: recursed",
                listing.body().path("providers").get(0).path("modelsError").asText());
        assertEquals("gpt-4o-mini", listing.body().path("providers").get(1).path("models").get(0).path("id").asText());
        assertEquals(200, chat("local", "{\"prompt\":\"Hi\"}").status());
    }

    @Test
    void aChatWithAProviderWhoseModelsAreNullIsStillSentNotA500() throws Exception {
        org.mockito.Mockito.doReturn(null).when(local).models();
        org.mockito.Mockito.doReturn(answer()).when(local).chat(any());

        assertEquals(200, chat("local", "{\"prompt\":\"Hi\"}").status());
    }

    @Test
    void aChatCountsForTheCallersTenant() throws Exception {
        String ofAcme = keys.store().create(Role.OPERATOR, "acme operator", "acme");
        Answer answer = call("POST", "/providers/openai/chat", Map.of("X-Api-Key", ofAcme), "{\"prompt\":\"Hi\"}");
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        verify(router).routeForTenant(any(), org.mockito.ArgumentMatchers.argThat(pinned -> "openai".equals(
                pinned.providerId())), eq("acme"), org.mockito.ArgumentMatchers.isNull());
        verify(router, never()).chat(any(), any(), any());
    }

    @Test
    void aPromptIsAUserMessageWithTheProvidersDefaults() throws Exception {
        assertEquals(200, chat("openai", "{\"prompt\":\"Hi\"}").status());
        ChatRequest request = sent();
        assertNull(request.model());
        assertTrue(request.instructions().isEmpty());
        assertEquals(List.of(Message.user("Hi")), request.messages());
        assertNull(request.params().maxOutputTokens());
        assertNull(request.params().temperature());
    }

    @Test
    void invalidBodiesAre400NamingTheField() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"prompt\":", "not valid JSON");
        cases.put("", "must be a JSON object");
        cases.put("[1]", "must be a JSON object");
        cases.put("{}", "needs \"messages\" or \"prompt\"");
        cases.put("{\"prompt\":\"a\",\"messages\":[]}", "either \"prompt\" or \"messages\"");
        cases.put("{\"prompt\":\" \"}", "\"prompt\" is empty");
        cases.put("{\"prompt\":42}", "\"prompt\" must be a string, not number");
        cases.put("{\"messages\":{}}", "\"messages\" must be a non-empty array");
        cases.put("{\"messages\":[]}", "\"messages\" must be a non-empty array");
        cases.put("{\"messages\":[\"hi\"]}", "\"messages[0]\" must be an object");
        cases.put("{\"messages\":[{\"content\":\"hi\"}]}", "\"messages[0].role\" is missing");
        cases.put("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"tool\",\"content\":\"b\"}]}",
                "\"messages[1].role\" must be user, assistant or system, not 'tool'");
        cases.put("{\"messages\":[{\"role\":\"user\",\"content\":[1]}]}",
                "\"messages[0].content\" must be a string, not array");
        cases.put("{\"messages\":[{\"role\":\"system\",\"content\":\"only\"}]}", "at least one user or assistant");
        cases.put("{\"prompt\":\"a\",\"system\":true}", "\"system\" must be a string");
        cases.put("{\"prompt\":\"a\",\"model\":5}", "\"model\" must be a string");
        cases.put("{\"prompt\":\"a\",\"maxTokens\":0}", "\"maxTokens\" must be a whole number from 1 to 2147483647,"
                + " not 0");
        cases.put("{\"prompt\":\"a\",\"maxTokens\":1.5}", "\"maxTokens\" must be a whole number");
        cases.put("{\"prompt\":\"a\",\"maxTokens\":\"10\"}", "\"maxTokens\" must be a whole number");
        cases.put("{\"prompt\":\"a\",\"maxTokens\":99999999999}", "\"maxTokens\" must be a whole number");
        cases.put("{\"prompt\":\"a\",\"temperature\":2.5}", "\"temperature\" must be a number from 0 to 2.0");
        cases.put("{\"prompt\":\"a\",\"temperature\":-1}", "\"temperature\" must be a number");
        cases.put("{\"prompt\":\"a\",\"temperature\":\"hot\"}", "\"temperature\" must be a number");
        cases.put("{\"prompt\":\"a\",\"max_tokens\":10}", "unknown field \"max_tokens\"; the fields are messages,"
                + " prompt, system, model, maxTokens, temperature");
        cases.put("{\"prompt\":\"a\"} {}", "not valid JSON");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Answer answer = chat("openai", c.getKey());
            assertEquals(400, answer.status(), c.getKey());
            assertEquals("bad_request", answer.error(), c.getKey());
            assertTrue(answer.message().contains(c.getValue()), c.getKey() + " -> " + answer.message());
        }
        verify(openai, never()).chat(any());
    }

    @Test
    void aProviderFailureIs502WithCategoryAndRetryable() throws Exception {
        doThrow(new ProviderException(new ProviderError(ProviderError.Category.RATE_LIMITED, 429, "openai",
                "rate_limit", "Rate limit reached", "req_9", Duration.ofSeconds(20), true, null)))
                .when(openai).chat(any());
        Answer limited = chat("openai", "{\"prompt\":\"Hi\"}");
        assertEquals(502, limited.status());
        assertEquals("provider_error", limited.error());
        assertEquals("LLM provider 'openai' failed: Rate limit reached", limited.message());
        assertEquals("RATE_LIMITED", limited.body().path("category").asText());
        assertTrue(limited.body().path("retryable").asBoolean());
        assertEquals(20, limited.body().path("retryAfterSeconds").asInt());
        assertEquals(429, limited.body().path("providerStatus").asInt());
        assertEquals("req_9", limited.body().path("requestId").asText());
        assertEquals("no-store", limited.headers().get("Cache-Control"));

        // the built-in families begin their messages with the provider: said once, not twice
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.SERVER, "provider 'openai': HTTP 502: an"
                + " HTML page: 502 Bad Gateway"))).when(openai).chat(any());
        assertEquals("LLM provider 'openai' failed: HTTP 502: an HTML page: 502 Bad Gateway",
                chat("openai", "{\"prompt\":\"Hi\"}").message());

        doThrow(new ProviderException(new ProviderError(ProviderError.Category.RATE_LIMITED, 429, "openai",
                "rate_limit", "Rate limit reached", null, Duration.ofMillis(300), true, null)))
                .when(openai).chat(any());
        assertEquals(1, chat("openai", "{\"prompt\":\"Hi\"}").body().path("retryAfterSeconds").asInt(),
                "a hint under a second rounds up, not down to 'at once'");

        doThrow(new ProviderException(new ProviderError(ProviderError.Category.RATE_LIMITED, 429, "openai",
                "rate_limit", "Rate limit reached", null, Duration.ofMillis(Long.MAX_VALUE), true, null)))
                .when(openai).chat(any());
        assertEquals(Long.MAX_VALUE / 1000 + 1, chat("openai", "{\"prompt\":\"Hi\"}").body().path("retryAfterSeconds")
                .asLong(), "a huge hint does not overflow to a negative number");

        doThrow(new ProviderException(new ProviderError(ProviderError.Category.RATE_LIMITED, 429, "openai",
                "rate_limit", "Rate limit reached", null, Duration.ofSeconds(-5), true, null)))
                .when(openai).chat(any());
        assertFalse(chat("openai", "{\"prompt\":\"Hi\"}").body().has("retryAfterSeconds"), "a negative hint is none");

        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH, "invalid api key")))
                .when(openai).chat(any());
        Answer auth = chat("openai", "{\"prompt\":\"Hi\"}");
        assertEquals(502, auth.status(), "the API key the provider refused is the server's, not the caller's");
        assertEquals("AUTH", auth.body().path("category").asText());
        assertFalse(auth.body().path("retryable").asBoolean());
        assertFalse(auth.body().has("retryAfterSeconds"));

        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST,
                "model 'custom' cannot take this request"))).when(openai).chat(any());
        Answer invalid = chat("openai", "{\"prompt\":\"Hi\",\"model\":\"custom\"}");
        assertEquals(400, invalid.status());
        assertEquals("provider_error", invalid.error());
        assertEquals("INVALID_REQUEST", invalid.body().path("category").asText());
        assertTrue(invalid.message().contains("model 'custom' cannot take this request"), invalid.message());

        // a prompt too long for the model and one the provider's content policy refuses are the caller's to change,
        // as an invalid request is: they answered 502, as if the provider had failed
        for (ProviderError.Category request : List.of(ProviderError.Category.CONTEXT_LENGTH,
                ProviderError.Category.CONTENT_FILTERED)) {
            doThrow(new ProviderException(ProviderError.of(request, "refused"))).when(openai).chat(any());
            Answer refused = chat("openai", "{\"prompt\":\"Hi\"}");
            assertEquals(400, refused.status(), request.name());
            assertEquals(request.name(), refused.body().path("category").asText());
        }
    }

    /**
     * A provider DOWN listing no models (a configuration with mistakes serves none) was called directly, past the
     * router, which left it out: the call was not counted in /providers/usage. The router now calls it itself, so the
     * chat goes through it as any other, pinned to the provider with no model, and answers the provider's refusal.
     */
    @Test
    void aChatWithAProviderDownListingNoModelsGoesThroughTheRouterWhichAnswersItsRefusalNamingItsMistakes()
            throws Exception {
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST,
                "provider 'local' is misconfigured (etc/x.cfg.json): no model configured"))).when(router)
                .routeForTenant(any(), any(), any(), any());
        // local is DOWN and cannot list its models; so is a configuration with mistakes, which serves none

        Answer refused = chat("local", "{\"prompt\":\"Hi\"}");

        assertEquals(409, refused.status(), "DOWN: neither the caller's mistake nor the provider's failure");
        assertEquals("provider_down", refused.body().path("error").asText());
        assertEquals("INVALID_REQUEST", refused.body().path("category").asText());
        assertEquals("LLM provider 'local' is DOWN: connection refused; its call failed: provider 'local' is"
                + " misconfigured (etc/x.cfg.json): no model configured", refused.message());
        ArgumentCaptor<ModelRequirements> pinned = ArgumentCaptor.forClass(ModelRequirements.class);
        verify(router).routeForTenant(any(), pinned.capture(), any(), any());
        assertEquals("local", pinned.getValue().providerId());
        assertNull(pinned.getValue().model(), "it lists none");
        verify(local, never()).chat(any());
    }

    /**
     * A provider whose key variable is not set fails its call as AUTH, before sending anything: that was a 502, the
     * provider's failure, though it is the runtime's setup. It is a 409 naming what its health names, once.
     */
    @Test
    void aChatWithAProviderDownForItsMissingKeyIsAConflictSayingWhatToSet() throws Exception {
        String why = "set the environment variable OPENAI_API_KEY to the API key of provider 'openai' and restart, or"
                + " configure apiKeyFile";
        when(plugins.health("openai")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN, why, T)));
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH,
                "provider 'openai' has no API key: " + why))).when(openai).chat(any());

        Answer refused = chat("openai", "{\"prompt\":\"Hi\"}");

        assertEquals(409, refused.status());
        assertEquals("provider_down", refused.body().path("error").asText());
        assertEquals("LLM provider 'openai' is DOWN: " + why, refused.message());
        assertEquals("AUTH", refused.body().path("category").asText());
        assertFalse(refused.body().path("retryable").asBoolean(true));

        // UP again (a third party's health may lag): its failure is its own, a 502
        when(plugins.health("openai")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP, "", T)));
        assertEquals(502, chat("openai", "{\"prompt\":\"Hi\"}").status());
    }

    @Test
    void aFailedChatThatWasBilledSaysWhatItCost() throws Exception {
        // a malformed answer: the router counted its tokens and their cost in the usage, so the caller hears of them
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.SERVER, "the answer is malformed"), null,
                new Usage(1000, 0, 0, 200, 0, 0, Map.of()), new BigDecimal("0.00420")))
                .when(router).routeForTenant(any(), any(), any(), any());
        Answer failed = chat("openai", "{\"prompt\":\"Hi\"}");
        assertEquals(502, failed.status());
        assertEquals("LLM provider 'openai' failed: the answer is malformed; it billed 1200 tokens (1000 input,"
                + " 200 output), 0.0042 USD", failed.message());
        assertEquals(1000, failed.body().path("billed").path("input").asLong());
        assertEquals(200, failed.body().path("billed").path("output").asLong());
        assertEquals(1200, failed.body().path("billed").path("total").asLong());
        assertEquals("0.0042", failed.body().path("billedCost").decimalValue().toPlainString());

        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH, "invalid api key")))
                .when(router).routeForTenant(any(), any(), any(), any());
        Answer unbilled = chat("openai", "{\"prompt\":\"Hi\"}");
        assertEquals("LLM provider 'openai' failed: invalid api key", unbilled.message());
        assertFalse(unbilled.body().has("billed"), "an error answer bills nothing");
        assertFalse(unbilled.body().has("billedCost"));
    }

    @Test
    void aChatsAnswerAndAProvidersFailureAreMaskedAsTheAutonomousAnswersAre() throws Exception {
        String secret = "literal-XSECRET-781"; // a configured value of no known shape: only the masker knows it
        servlet.bindMasker(text -> text == null ? null : Secrets.redact(text.replace(secret, Secrets.MASK)));
        Message message = Message.of(io.mcpagent.api.llm.Role.ASSISTANT, List.of(TextPart.of("the key is " + secret),
                ToolCallPart.of("c1", "login", "{\"key\":\"" + secret + "\"}")));
        when(openai.chat(any())).thenReturn(new ChatResponse("r1", "gpt-4o-mini-2024", message, StopReason.TOOL_CALLS,
                "tool_calls", Usage.of(12, 3), null, "req_1", "{}"));
        Answer answer = chat("openai", "{\"prompt\":\"Key?\"}");
        assertEquals(200, answer.status());
        assertEquals("the key is " + Secrets.MASK, answer.body().path("text").asText());
        assertEquals("{\"key\":\"" + Secrets.MASK + "\"}",
                answer.body().path("toolCalls").get(0).path("arguments").asText());
        assertEquals("req_1", answer.body().path("requestId").asText());

        // a refusal's text came in no field at all, though the shell prints it
        when(openai.chat(any())).thenReturn(new ChatResponse("r2", "gpt-4o-mini-2024", Message.of(
                io.mcpagent.api.llm.Role.ASSISTANT, List.of(new RefusalPart("I cannot share " + secret))),
                StopReason.REFUSAL, "refusal", Usage.of(12, 3), null, "req_2", "{}"));
        Answer refusing = chat("openai", "{\"prompt\":\"Key?\"}");
        assertEquals(200, refusing.status());
        assertEquals("", refusing.body().path("text").asText());
        assertEquals(List.of("I cannot share " + Secrets.MASK), java.util.stream.StreamSupport.stream(
                refusing.body().path("refusals").spliterator(), false).map(JsonNode::asText).toList());
        assertEquals("REFUSAL", refusing.body().path("stopReason").asText());

        // a provider's own error text, as the provider itself answers it without the router (which masks it too)
        servlet.unbindRouter(router);
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH, "key " + secret
                + " was refused, api_key=hunter2secret"))).when(openai).chat(any());
        Answer refused = chat("openai", "{\"prompt\":\"Hi\"}");
        assertEquals(502, refused.status());
        assertEquals("LLM provider 'openai' failed: key " + Secrets.MASK + " was refused, api_key=" + Secrets.MASK,
                refused.message());
    }

    @Test
    void aProvidersHealthAndWhyItCannotListItsModelsAreMasked() throws Exception {
        String secret = "literal-XSECRET-782";
        servlet.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        when(plugins.health("local")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "HTTP 401 for key " + secret, T)));
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH, "key " + secret
                + " was refused"))).when(local).models();
        for (Answer answer : List.of(get("/providers"), get("/providers/local"))) {
            assertEquals(200, answer.status());
            assertFalse(answer.body().toString().contains(secret), answer.body().toString());
            assertTrue(answer.body().toString().contains("key " + Secrets.MASK + " was refused"),
                    answer.body().toString());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // without a call timeout the request would never end
    void aProviderThatNeverAnswersIs502TimeoutAfterTimeoutSecondsAndIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        when(openai.chat(any())).thenAnswer(call -> {
            try {
                new CountDownLatch(1).await(); // hangs, as a provider without a request timeout of its own can
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            throw new ProviderException(ProviderError.of(ProviderError.Category.CANCELLED, "interrupted"));
        });
        Answer hung = ServletCalls.call(servlet, "POST", "/providers/openai/chat", "timeoutSeconds=1",
                Map.of("X-Api-Key", operator), "{\"prompt\":\"Hi\"}");
        assertEquals(502, hung.status(), String.valueOf(hung.body()));
        assertEquals("provider_error", hung.error());
        assertEquals("TIMEOUT", hung.body().path("category").asText());
        assertTrue(hung.body().path("retryable").asBoolean());
        assertEquals("LLM provider 'openai' failed: no answer within 1 s (query parameter timeoutSeconds, at most"
                + " 3600); the call was interrupted", hung.message());
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the provider's call was interrupted");
    }

    @Test
    void aChatTimeoutOutOfRangeOrAnUnknownQueryParameterIs400AndTheProviderIsNotCalled() throws Exception {
        for (String query : List.of("timeoutSeconds=0", "timeoutSeconds=3601", "timeoutSeconds=soon")) {
            Answer refused = ServletCalls.call(servlet, "POST", "/providers/openai/chat", query,
                    Map.of("X-Api-Key", operator), "{\"prompt\":\"Hi\"}");
            assertEquals(400, refused.status(), query);
            assertTrue(refused.message().contains("'timeoutSeconds' must be a whole number from 1 to 3600"),
                    refused.message());
        }
        Answer misspelt = ServletCalls.call(servlet, "POST", "/providers/openai/chat", "timeout=5",
                Map.of("X-Api-Key", operator), "{\"prompt\":\"Hi\"}");
        assertEquals(400, misspelt.status());
        assertTrue(misspelt.message().contains("timeout"), misspelt.message());
        verify(openai, never()).chat(any());
    }

    @Test
    void aModelTheProviderDoesNotListIs400NamingTheFieldAndTheProviderIsNotCalled() throws Exception {
        Answer unknown = chat("openai", "{\"prompt\":\"Hi\",\"model\":\"gpt-9\"}");

        assertEquals(400, unknown.status(), unknown.body().toString());
        assertEquals("bad_request", unknown.error());
        assertEquals("/model", unknown.body().path("field").asText());
        assertEquals("LLM provider 'openai' does not serve the model 'gpt-9'; its models are gpt-4o-mini, custom",
                unknown.message());
        verify(openai, never()).chat(any());
        verify(router, never()).routeForTenant(any(), any(), any(), any());
    }

    @Test
    void aProviderThatCannotListItsModelsIsAskedAnyway() throws Exception {
        when(local.chat(any())).thenReturn(answer());

        Answer answered = chat("local", "{\"prompt\":\"Hi\",\"model\":\"llama3.2\"}");

        assertEquals(200, answered.status(), answered.body().toString());
        verify(local).chat(any());
    }

    @Test
    void chatWithAnUnknownProviderIs404AndOtherMethodsAre405() throws Exception {
        for (String id : List.of("nope", "memory")) {
            Answer unknown = chat(id, "{\"prompt\":\"Hi\"}");
            assertEquals(404, unknown.status(), id);
            assertEquals("no LLM provider '" + id + "'; GET /api/v1/providers lists them", unknown.message());
        }
        Answer getChat = call("GET", "/providers/openai/chat", Map.of("X-Api-Key", operator), null);
        assertEquals(405, getChat.status());
        assertEquals("POST", getChat.headers().get("Allow"));
        Answer deleteOne = call("DELETE", "/providers/openai", Map.of("X-Api-Key", operator), null);
        assertEquals(405, deleteOne.status());
        assertEquals("GET, HEAD", deleteOne.headers().get("Allow"));
        Answer other = call("GET", "/providers/openai/tools", Map.of("X-Api-Key", viewer), null);
        assertEquals(404, other.status());
        assertTrue(other.message().contains("/providers/{id}/models and /providers/{id}/chat"), other.message());
        verify(openai, never()).chat(any());
    }

    // ---- GET /providers/usage -------------------------------------------------------------------------------------

    @Test
    void usageIsReportedPerProviderWithATotal() throws Exception {
        when(router.usageByProvider()).thenReturn(Map.of(
                "openai", new UsageSummary(3, 1, new Usage(1200, 200, 100, 60, 300, 50, 40, Map.of()),
                        new BigDecimal("0.004200")),
                "anthropic", new UsageSummary(1, 0, Usage.of(100, 20), new BigDecimal("0.0005"))));
        JsonNode body = asAdmin("/providers/usage", null).body();
        assertTrue(body.path("tenant").isNull(), "an admin sees every tenant's: " + body);
        JsonNode openAi = body.path("providers").path("openai");
        assertEquals(3, openAi.path("calls").asLong());
        assertEquals(1, openAi.path("failedCalls").asLong());
        assertEquals(1200, openAi.path("usage").path("input").asLong());
        assertEquals(200, openAi.path("usage").path("cachedRead").asLong());
        assertEquals(100, openAi.path("usage").path("cacheWrite").asLong());
        assertEquals(60, openAi.path("usage").path("cacheWrite1h").asLong());
        assertEquals(300, openAi.path("usage").path("output").asLong());
        assertEquals(50, openAi.path("usage").path("reasoning").asLong());
        assertEquals(40, openAi.path("usage").path("toolPrompt").asLong());
        assertEquals(1200 + 40 + 300, openAi.path("usage").path("total").asLong(), "input + toolPrompt + output");
        assertTrue(openAi.path("cost").isNumber());
        assertEquals(0.0042, openAi.path("cost").asDouble());
        assertEquals(List.of("anthropic", "openai"), names(body.path("providers").fieldNames()));
        JsonNode total = body.path("total");
        assertEquals(4, total.path("calls").asLong());
        assertEquals(1300, total.path("usage").path("input").asLong());
        assertEquals(0.0047, total.path("cost").asDouble());

        when(router.usageByProvider()).thenReturn(Map.of());
        JsonNode none = asAdmin("/providers/usage", null).body();
        assertEquals(0, none.path("providers").size());
        assertEquals(0, none.path("total").path("calls").asLong());
        assertEquals("0", none.path("total").path("cost").toString());

        // a model priced 1e1000 USD per million tokens: its cost is not written out to the last of its zeros
        when(router.usageByProvider()).thenReturn(Map.of("odd", new UsageSummary(1, 0, Usage.of(1, 1),
                new BigDecimal("1e1000"))));
        String odd = ServletCalls.raw(servlet, "GET", "/providers/usage", null, Map.of("X-Api-Key",
                "bootstrap-admin-key-for-the-tests"), null).text();
        assertTrue(odd.contains("\"cost\":1E+1000"), odd);
        assertFalse(odd.contains("0".repeat(1000)), odd);
        when(router.usageByProvider()).thenReturn(Map.of("dear", new UsageSummary(1, 0, Usage.of(1, 1),
                new BigDecimal("1.2E+3"))));
        assertEquals("1200", asAdmin("/providers/usage", null).body().path("total").path("cost").toString());
    }

    @Test
    void aNonAdminSeesItsOwnTenantsUsageAndAnAdminAnyTenantsOnRequest() throws Exception {
        when(router.usageByProvider()).thenReturn(Map.of("openai", new UsageSummary(9, 0, Usage.of(900, 90),
                new BigDecimal("0.9"))));
        when(router.usageByProvider("tA")).thenReturn(Map.of("openai", new UsageSummary(2, 0, Usage.of(200, 20),
                new BigDecimal("0.2"))));
        when(router.usageByProvider("tB")).thenReturn(Map.of("openai", new UsageSummary(7, 0, Usage.of(700, 70),
                new BigDecimal("0.7"))));
        String viewerOfA = keys.store().create(Role.VIEWER, "viewer of tA", "tA");

        JsonNode own = ServletCalls.call(servlet, "GET", "/providers/usage", null, Map.of("X-Api-Key", viewerOfA),
                null).body();
        assertEquals("tA", own.path("tenant").asText());
        assertEquals(2, own.path("total").path("calls").asLong(), "tA's calls only: " + own);
        assertEquals(2, ServletCalls.call(servlet, "GET", "/providers/usage", "tenant=tA",
                Map.of("X-Api-Key", viewerOfA), null).body().path("total").path("calls").asLong());
        Answer others = ServletCalls.call(servlet, "GET", "/providers/usage", "tenant=tB",
                Map.of("X-Api-Key", viewerOfA), null);
        assertEquals(403, others.status());
        assertEquals("only an admin may name another tenant than its own ('tA'); 'tenant' was 'tB'",
                others.message());

        JsonNode ofB = asAdmin("/providers/usage", "tenant=tB").body();
        assertEquals("tB", ofB.path("tenant").asText());
        assertEquals(7, ofB.path("total").path("calls").asLong());
        assertEquals(9, asAdmin("/providers/usage", null).body().path("total").path("calls").asLong());
        assertEquals(400, asAdmin("/providers/usage", "tenant=no%20such").status());
    }

    // ---- missing services -------------------------------------------------------------------------------------------

    @Test
    void withoutTheRouterUsageIs503AndWithoutTheWhiteboardEverythingElse() throws Exception {
        servlet.unbindRouter(router);
        Answer usage = get("/providers/usage");
        assertEquals(503, usage.status());
        assertEquals("unavailable", usage.error());
        assertTrue(usage.message().contains("io.mcpagent.core"), usage.message());

        servlet.unbindPlugins(plugins);
        for (Answer answer : List.of(get("/providers"), get("/providers/openai"),
                chat("openai", "{\"prompt\":\"Hi\"}"))) {
            assertEquals(503, answer.status());
            assertTrue(answer.message().contains("io.mcpagent.core"), answer.message());
        }
    }

    @Test
    void aGreedyReplacementOfTheRouterKeepsTheNewOne() throws Exception {
        LlmRouter newer = mock(LlmRouter.class);
        when(newer.usageByProvider("default")).thenReturn(Map.of());
        servlet.bindRouter(newer);
        servlet.unbindRouter(router);
        assertEquals(200, get("/providers/usage").status());
        verify(newer).usageByProvider("default");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private ChatRequest sent() {
        ArgumentCaptor<ChatRequest> request = ArgumentCaptor.forClass(ChatRequest.class);
        verify(openai).chat(request.capture());
        return request.getValue();
    }

    private static ChatResponse answer() {
        Message message = Message.of(io.mcpagent.api.llm.Role.ASSISTANT, List.of(TextPart.of("Let me look."),
                ToolCallPart.of("c1", "get_weather", "{\"city\":\"Berlin\"}")));
        return new ChatResponse("r1", "gpt-4o-mini-2024", message, StopReason.TOOL_CALLS, "tool_calls",
                Usage.of(12, 3), null, "req_1", "{}");
    }

    private static <T> List<T> names(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    private Answer asAdmin(String path, String query) throws Exception {
        return ServletCalls.call(servlet, "GET", path, query, Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests"),
                null);
    }

    private Answer get(String path) throws Exception {
        return call("GET", path, Map.of("X-Api-Key", viewer), null);
    }

    private Answer chat(String id, String body) throws Exception {
        return call("POST", "/providers/" + id + "/chat", Map.of("X-Api-Key", operator), body);
    }

    private Answer call(String method, String path, Map<String, String> headers, String body) throws Exception {
        return ServletCalls.call(servlet, method, path, null, headers, body);
    }

    private static PluginInfo plugin(String id, String name, PluginKind kind) {
        return new PluginInfo(id, kind, "1.0", name, "", "io.mcpagent.provider." + id, "0.1.0", 12, 34, Map.of());
    }
}
