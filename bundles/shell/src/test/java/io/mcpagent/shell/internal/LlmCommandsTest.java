package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;

import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.PriceTier;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.api.workflow.ExecutionStatus;

class LlmCommandsTest {
    private static final org.apache.felix.service.command.CommandSession SESSION = TestSessions.session();
    private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");

    private final ShellMasker masker = new ShellMasker();
    private final LlmCommands commands = new LlmCommands(TestSessions.framework(Map.of()), TestSessions.admin(),
            masker);
    private final PluginManager plugins = mock(PluginManager.class);
    private final LlmRouter router = mock(LlmRouter.class);
    private final ExecutionHistory history = mock(ExecutionHistory.class);
    private final LlmProvider openai = mock(LlmProvider.class);
    private final LlmProvider local = mock(LlmProvider.class);
    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final CommandSession session = mock(CommandSession.class);

    @BeforeEach
    void setUp() {
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of(plugin("local", "Ollama"),
                plugin("openai", "OpenAI")));
        // the whiteboard's own lookup in any case, over the providers listed here
        when(plugins.find(any(), any())).thenCallRealMethod();
        when(plugins.service(anyString(), eq(LlmProvider.class))).thenReturn(Optional.empty());
        when(plugins.service("openai", LlmProvider.class)).thenReturn(Optional.of(openai));
        when(plugins.service("local", LlmProvider.class)).thenReturn(Optional.of(local));
        when(plugins.health("openai")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP, "", T)));
        when(plugins.health("local")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "connection refused", T)));
        when(openai.models()).thenReturn(List.of(
                new ModelInfo("gpt-4o-mini", Set.of(ModelCapability.VISION, ModelCapability.TOOLS), 128000,
                        new BigDecimal("0.150"), new BigDecimal("0.60"), new BigDecimal("0.0750"),
                        new BigDecimal("0.1875"), new BigDecimal("0.30")),
                new ModelInfo("o3", Set.of(ModelCapability.REASONING), 200000, new BigDecimal("2"),
                        new BigDecimal("8.00"))));
        when(local.models()).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NETWORK,
                "connection refused")));
        when(router.circuits()).thenReturn(Map.of("openai", "closed", "local", "open"));
        when(session.getConsole()).thenReturn(new PrintStream(consoleBytes, true, StandardCharsets.UTF_8));
        // The router passes pinned calls on to the provider, as the real one does.
        when(router.routeForTenant(any(), any(), any(), any())).thenAnswer(call -> {
            ModelRequirements pinned = call.getArgument(1);
            StreamHandler handler = call.getArgument(3);
            LlmProvider provider = pinnedProvider(pinned);
            ChatResponse answer = handler == null ? provider.chat(call.getArgument(0))
                    : provider.stream(call.getArgument(0), handler);
            return new RoutedResponse(answer, pinned.providerId(), answer.model(), BigDecimal.ZERO, 1);
        });
        when(history.find(anyString())).thenReturn(Optional.empty());
        commands.bindPluginManager(plugins);
        commands.bindRouter(router);
        commands.bindHistory(history, Map.of("service.id", 1L));
    }

    private LlmProvider pinnedProvider(ModelRequirements requirements) {
        return plugins.service(requirements.providerId(), LlmProvider.class).orElseThrow();
    }

    // ---- llm:providers ------------------------------------------------------------------------------------------

    @Test
    void providersShowHealthModelCountAndCircuit() {
        assertEquals("""
                ID      NAME    HEALTH  MODELS  CIRCUIT
                local   Ollama  DOWN    -       open
                openai  OpenAI  UP      2       closed
                2 LLM providers
                local is DOWN: connection refused""", commands.providers(SESSION),
                "why one is not UP, as plugin:info says it (a provider without its key names the variable)");
    }

    @Test
    void providersTheRouterRanksLastAreNamedWithSinceWhenTheCategoryAndWhy() {
        when(router.rankedLast()).thenReturn(Map.of(
                "openai", new ProviderRefusal(T, ProviderError.Category.AUTH, "Incorrect API key\nprovided"),
                "local", new ProviderRefusal(T, ProviderError.Category.QUOTA_EXHAUSTED, "")));
        assertEquals("""
                ID      NAME    HEALTH  MODELS  CIRCUIT
                local   Ollama  DOWN    -       open
                openai  OpenAI  UP      2       closed
                2 LLM providers
                local is DOWN: connection refused
                local ranked last since %1$s: its quota is exhausted (QUOTA_EXHAUSTED)
                openai ranked last since %1$s: its key was refused (AUTH): Incorrect API key provided"""
                .formatted(T), commands.providers(SESSION));
    }

    @Test
    void withoutTheRouterProvidersShowNoCircuit() {
        commands.unbindRouter(router);
        assertEquals("""
                ID      NAME    HEALTH  MODELS  CIRCUIT
                local   Ollama  DOWN    -       -
                openai  OpenAI  UP      2       -
                2 LLM providers
                local is DOWN: connection refused""", commands.providers(SESSION));
    }

    @Test
    void aFailingRouterOrHealthCheckDoesNotHideTheProviders() {
        when(router.circuits()).thenThrow(new IllegalStateException("router stopping"));
        when(plugins.health("openai")).thenThrow(new IllegalStateException("boom"));
        String out = commands.providers(SESSION);
        assertTrue(out.contains("openai  OpenAI  UNKNOWN  2       -"), out);
    }

    @Test
    void noProvidersIsACount() {
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of());
        assertEquals("0 LLM providers", commands.providers(SESSION));
    }

    // ---- llm:models ---------------------------------------------------------------------------------------------

    @Test
    void aProviderThrowingAnErrorForItsModelsFailsItsOwnLineOnly() {
        org.mockito.Mockito.doThrow(new StackOverflowError("recursed")).when(local).models();

        assertTrue(commands.models(SESSION).endsWith("2 models\nnot listed: local (java.lang.StackOverflowError:"
                + " recursed)"), commands.models(SESSION));
        assertTrue(commands.providers(SESSION).endsWith("2 LLM providers\nlocal is DOWN: connection refused"),
                commands.providers(SESSION));
    }

    @Test
    void modelsOfAllProvidersNameTheProvidersThatCouldNotListThem() {
        assertEquals("""
                PROVIDER  MODEL        CAPABILITIES  CONTEXT  INPUT$/M  OUTPUT$/M  CACHE-READ$/M  CACHE-WRITE$/M  CACHE-WRITE-1H$/M  TIERS
                openai    gpt-4o-mini  tools,vision  128000   0.15      0.6        0.075          0.1875          0.3                -
                openai    o3           reasoning     200000   2         8          -              -               -                  -
                2 models
                not listed: local (NETWORK: connection refused)""", commands.models(SESSION));
    }

    @Test
    void aPriceOrCostFarFromOneIsWrittenInENotationNotToItsLastZero() {
        assertEquals("0.075", LlmCommands.amount(new BigDecimal("0.07500")));
        assertEquals("1E-1000", LlmCommands.amount(new BigDecimal("1e-1000")));
        assertEquals("1E+1000", LlmCommands.amount(new BigDecimal("1e1000")));
    }

    @Test
    void modelsOfOneProviderShowUnknownValuesAsDashes() {
        when(openai.models()).thenReturn(List.of(new ModelInfo("custom\u001b[2J", null, 0, null, null)));
        assertEquals("""
                PROVIDER  MODEL       CAPABILITIES  CONTEXT  INPUT$/M  OUTPUT$/M  CACHE-READ$/M  CACHE-WRITE$/M  CACHE-WRITE-1H$/M  TIERS
                openai    custom [2J  -             -        -         -          -              -               -                  -
                1 model""", commands.models(SESSION, "openai"));
    }

    @Test
    void modelsShowThePriceTiersAsAModelsLineWritesThem() {
        when(openai.models()).thenReturn(List.of(new ModelInfo("gpt-5.6-sol", Set.of(), 1050000,
                new BigDecimal("5.00"), new BigDecimal("22.50"), new BigDecimal("0.50"), null, null,
                List.of(new PriceTier(544000, new BigDecimal("20"), new BigDecimal("90"), null, new BigDecimal("25"), null),
                        new PriceTier(272000, new BigDecimal("10.00"), new BigDecimal("45.00"))))));
        assertEquals("""
                PROVIDER  MODEL        CAPABILITIES  CONTEXT  INPUT$/M  OUTPUT$/M  CACHE-READ$/M  CACHE-WRITE$/M  CACHE-WRITE-1H$/M  TIERS
                openai    gpt-5.6-sol  -             1050000  5         22.5       0.5            -               -                  >272000:10:45,>544000:20:90::25
                1 model""", commands.models(SESSION, "openai"));
    }

    @Test
    void modelsOfAnUnknownProviderSayWhereToLookAndAFailingOneIsThrown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.models(SESSION, "nope"));
        assertEquals("no LLM provider 'nope'; see llm:providers", e.getMessage());
        assertEquals("LLM provider 'local' failed: NETWORK: connection refused; retryable",
                assertThrows(IllegalStateException.class, () -> commands.models(SESSION, "local")).getMessage());
    }

    @Test
    void whyAProviderCannotListItsModelsIsMasked() {
        String secret = "literal-XSECRET-788"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH, "key " + secret
                + " was refused"))).when(local).models();
        assertTrue(commands.models(SESSION).endsWith("not listed: local (AUTH: key " + Secrets.MASK
                + " was refused)"), commands.models(SESSION));
        assertEquals("LLM provider 'local' failed: AUTH: key " + Secrets.MASK + " was refused",
                assertThrows(IllegalStateException.class, () -> commands.models(SESSION, "local")).getMessage());
    }

    @Test
    void aProviderIdIsTakenInAnyCaseExactFirstAndOneThatFitsSeveralIsRefusedNamingThem() {
        when(openai.chat(any())).thenReturn(response("hi", StopReason.END_TURN));

        assertTrue(commands.chat(session, "OpenAI", "Hi").startsWith("hi\n"));
        assertTrue(commands.models(SESSION, "OPENAI").contains("\nopenai    gpt-4o-mini"), "listed under its id");
        verify(router).routeForTenant(any(), eq(new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST,
                "openai", "gpt-4o-mini", List.of("openai"))), eq("default"), org.mockito.ArgumentMatchers.isNull());

        LlmProvider otherLocal = mock(LlmProvider.class);
        when(otherLocal.models()).thenReturn(List.of(new ModelInfo("m", Set.of(), 0, null, null)));
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of(plugin("Local", "Other"), plugin("local", "Ollama"),
                plugin("openai", "OpenAI")));
        when(plugins.service("Local", LlmProvider.class)).thenReturn(Optional.of(otherLocal));
        assertTrue(commands.models(SESSION, "Local").contains("\nLocal     m"), "the exact id, beside 'local'");
        String ambiguous = "provider 'LOCAL' is ambiguous: it names Local, local when case is ignored; give one of"
                + " them exactly";
        assertEquals(ambiguous, assertThrows(IllegalArgumentException.class,
                () -> commands.chat(session, "LOCAL", "Hi")).getMessage());
        assertEquals(ambiguous, assertThrows(IllegalArgumentException.class,
                () -> commands.models(SESSION, "LOCAL")).getMessage());
        verify(otherLocal, never()).chat(any());
        verify(local, never()).chat(any());
    }

    // ---- llm:chat -----------------------------------------------------------------------------------------------

    @Test
    void chatSendsThePromptToTheProviderAndPrintsTheAnswerAndASummary() {
        when(openai.chat(any())).thenReturn(response("Hello\r\nthere\u0007", StopReason.END_TURN));
        String out = commands.chat(session, "openai", "Say hello");
        assertEquals("""
                Hello
                there
                model: gpt-4o-mini-2024, stop: END_TURN, tokens: 12/3""", out);
        ChatRequest request = sent(openai);
        assertNull(request.model(), "the provider's default model");
        assertTrue(request.instructions().isEmpty());
        assertEquals(List.of(Message.user("Say hello")), request.messages());
        verify(router).routeForTenant(any(), eq(new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST,
                "openai", "gpt-4o-mini", List.of("openai"))), eq("default"), org.mockito.ArgumentMatchers.isNull());
    }

    @Test
    void chatCountsForTheSessionsTenantStreamedOrNot() {
        when(session.get(ShellSecurity.PRINCIPAL)).thenReturn(new Principal("key:k1 (acme ops)",
                io.mcpagent.api.security.Role.OPERATOR, "acme"));
        when(openai.chat(any())).thenReturn(response("Hello", StopReason.END_TURN));
        when(openai.stream(any(), any())).thenReturn(response("Hello", StopReason.END_TURN));
        commands.chat(session, "openai", "Say hello");
        verify(router).routeForTenant(any(), any(), eq("acme"), org.mockito.ArgumentMatchers.isNull());

        commands.chat(session, "--stream", "openai", "Say hello");
        verify(router).routeForTenant(any(), any(), eq("acme"), org.mockito.ArgumentMatchers.notNull());
        verify(router, never()).chat(any(), any(), any());
        verify(router, never()).stream(any(), any(), any(), any());
    }

    /**
     * A provider DOWN listing no models (a configuration with mistakes serves none) was called directly, past the
     * router, which left it out: the call was not counted in llm:usage. The router now calls it itself, so the chat
     * goes through it as any other, pinned to the provider with no model, and prints the provider's refusal.
     */
    @Test
    void aProviderDownListingNoModelsIsAskedThroughTheRouterWhichAnswersItsRefusalNamingItsMistakes() {
        String mistakes = "provider 'local' is misconfigured (etc/x.cfg.json): no model configured";
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST, mistakes)))
                .when(router).routeForTenant(any(), any(), any(), any());
        doReturn(List.of()).when(local).models(); // DOWN: a configuration with mistakes serves none
        String refusal = "LLM provider 'local' failed: INVALID_REQUEST: " + mistakes;

        assertEquals(refusal, assertThrows(IllegalStateException.class,
                () -> commands.chat(session, "local", "Hi")).getMessage());
        assertEquals(refusal, assertThrows(IllegalStateException.class,
                () -> commands.chat(session, "--stream", "local", "Hi")).getMessage());

        ArgumentCaptor<ModelRequirements> pinned = ArgumentCaptor.forClass(ModelRequirements.class);
        verify(router, times(2)).routeForTenant(any(), pinned.capture(), any(), any());
        assertEquals("local", pinned.getValue().providerId());
        assertNull(pinned.getValue().model(), "it lists none");
        assertEquals(List.of("local"), pinned.getValue().fallbackChain());
        verify(local, never()).chat(any());
        verify(local, never()).stream(any(), any());
    }

    @Test
    void chatGoesToTheProviderDirectlyWithoutARouter() {
        commands.unbindRouter(router);
        when(openai.chat(any())).thenReturn(response("direct", StopReason.END_TURN));
        assertTrue(commands.chat(session, "openai", "Hi").startsWith("direct"));
        verify(router, never()).routeForTenant(any(), any(), any(), any());
    }

    @Test
    void withoutTheRouterAProvidersTokenCountsAreShownCountedAsTheRouterCountsThem() {
        commands.unbindRouter(router);
        when(openai.chat(any())).thenReturn(new ChatResponse("r1", "m", Message.of(Role.ASSISTANT,
                List.of(TextPart.of("odd counts"))), StopReason.END_TURN, null,
                new Usage(-5, 0, 0, Long.MAX_VALUE, 0, 0, Map.of()), null, null, null));

        assertEquals("odd counts\nmodel: m, stop: END_TURN, tokens: 0/" + Usage.MAX_COUNTED_TOKENS,
                commands.chat(session, "openai", "Hi"));
    }

    @Test
    void chatNamesToolPromptTokensWhenThereAreAny() {
        // Gemini's built-in tools' results, billed beside the input: without them 12/3 would not be all it cost
        when(openai.chat(any())).thenReturn(new ChatResponse("r1", "m", Message.of(Role.ASSISTANT,
                List.of(TextPart.of("searched"))), StopReason.END_TURN, null,
                new Usage(12, 0, 0, 3, 0, 40, Map.of()), null, null, null));

        assertEquals("searched\nmodel: m, stop: END_TURN, tokens: 12/3, tool prompt tokens: 40",
                commands.chat(session, "openai", "Search"));
    }

    @Test
    void chatPassesModelAndSystemInstruction() {
        when(openai.chat(any())).thenReturn(response("ok", StopReason.MAX_TOKENS));
        commands.chat(session, "--model", "o3", "--system", "Be brief", "openai", "Hi");
        ChatRequest request = sent(openai);
        assertEquals("o3", request.model());
        assertEquals("Be brief", request.instructions().get(0).text());
    }

    @Test
    void chatShowsToolCallsAndRefusals() {
        ChatResponse calls = new ChatResponse("r1", "m", new Message(Role.ASSISTANT, List.of(
                ToolCallPart.of("c1", "get_weather", "{\"city\":\"Berlin\"}"), new RefusalPart("not\nthat")),
                null, Map.of()), StopReason.TOOL_CALLS, null, Usage.of(5, 7), null, null, null);
        when(openai.chat(any())).thenReturn(calls);
        assertEquals("""
                [tool call get_weather {"city":"Berlin"}]
                [refusal] not that
                model: m, stop: TOOL_CALLS, tokens: 5/7""", commands.chat(session, "openai", "Weather?"));

        when(openai.chat(any())).thenReturn(response("", StopReason.OTHER));
        assertTrue(commands.chat(session, "openai", "x").startsWith("(no text)\nmodel:"));
    }

    @Test
    void chatStreamShowsNoPartOfAHeldSecretThatSpansLinesBeforeItCanBeMaskedWhole() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
        masker.bindMasker(new SecretMasker() {
            @Override
            public String mask(String text) {
                return text == null ? null : text.replace(pem, Secrets.MASK);
            }

            /** As core's masker: nothing from the line where the key starts until it is whole, its line ended. */
            @Override
            public int showableLength(String unfinished) {
                int lines = SecretMasker.super.showableLength(unfinished);
                int key = unfinished.indexOf("-----BEGIN");
                int end = key < 0 ? -1 : unfinished.indexOf("-----END PRIVATE KEY-----", key);
                boolean whole = end >= 0 && unfinished.indexOf('\n', end) >= 0;
                return key < 0 || whole ? lines : unfinished.lastIndexOf('\n', key - 1) + 1;
            }
        });
        when(openai.stream(any(), any())).thenAnswer(call -> {
            StreamHandler handler = call.getArgument(1);
            handler.onEvent(new StreamEvent.TextDelta(0, "intro\nkey: -----BEGIN PRIVATE KEY-----\nMIIE"));
            handler.onEvent(new StreamEvent.TextDelta(0, "vQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRI"));
            handler.onEvent(new StreamEvent.TextDelta(0, "VATE KEY----- done\nbye"));
            return response("(assembled)", StopReason.END_TURN);
        });
        commands.chat(session, "--stream", "openai", "Key?");
        assertEquals("intro\nkey: " + Secrets.MASK + " done\nbye\n", console());

        // an answer that ends inside what looked like the key: its lines are shown at the end, as without --stream
        consoleBytes.reset();
        doAnswer(call -> {
            StreamHandler handler = call.getArgument(1);
            handler.onEvent(new StreamEvent.TextDelta(0, "a\n-----BEGIN PUBLIC KEY-----\n"));
            return response("(assembled)", StopReason.MAX_TOKENS);
        }).when(openai).stream(any(), any());
        commands.chat(session, "--stream", "openai", "Key?");
        assertEquals("a\n-----BEGIN PUBLIC KEY-----\n", console(), "ended once, not twice");
    }

    @Test
    void chatMasksTheSecretsOfTheAnswerAndOfAFailureAsRestMasksTheRest() {
        String secret = "literal-XSECRET-779"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        ChatResponse answer = new ChatResponse("r1", "m", new Message(Role.ASSISTANT, List.of(
                TextPart.of("the key is " + secret), ToolCallPart.of("c1", "login", "{\"key\":\"" + secret + "\"}"),
                new RefusalPart("I will not repeat " + secret)), null, Map.of()), StopReason.TOOL_CALLS, null,
                Usage.of(5, 7), null, null, null);
        when(openai.chat(any())).thenReturn(answer);
        assertEquals("the key is " + Secrets.MASK + "\n[tool call login {\"key\":\"" + Secrets.MASK + "\"}]\n"
                + "[refusal] I will not repeat " + Secrets.MASK + "\nmodel: m, stop: TOOL_CALLS, tokens: 5/7",
                commands.chat(session, "openai", "Key?"));

        when(openai.stream(any(), any())).thenAnswer(call -> {
            StreamHandler handler = call.getArgument(1);
            // the secret split across fragments, as a model streams it
            handler.onEvent(new StreamEvent.TextDelta(0, "line one\nthe key is literal-XSEC"));
            handler.onEvent(new StreamEvent.TextDelta(0, "RET-779 and more\nliteral-"));
            handler.onEvent(new StreamEvent.TextDelta(0, "XSECRET-779"));
            return answer;
        });
        String streamed = commands.chat(session, "--stream", "openai", "Key?");
        assertEquals("line one\nthe key is " + Secrets.MASK + " and more\n" + Secrets.MASK + "\n", console());
        assertTrue(streamed.startsWith("[tool call login {\"key\":\"" + Secrets.MASK + "\"}]\n[refusal] I will"
                + " not repeat " + Secrets.MASK + "\n"), streamed);

        commands.unbindRouter(router); // a provider's own error text, not the router's (which masks it too)
        when(openai.chat(any())).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH,
                "key " + secret + " was refused")));
        assertEquals("LLM provider 'openai' failed: AUTH: key " + Secrets.MASK + " was refused", assertThrows(
                IllegalStateException.class, () -> commands.chat(session, "openai", "Hi")).getMessage());

    }

    @Test
    void chatStreamPrintsTheDeltasAsTheyComeThenTheSummary() {
        when(openai.stream(any(), any())).thenAnswer(call -> {
            StreamHandler handler = call.getArgument(1);
            handler.onEvent(new StreamEvent.MessageStart("r1", "gpt-4o-mini-2024"));
            handler.onEvent(new StreamEvent.TextDelta(0, "Hel"));
            assertEquals("", console(), "a line is printed once it is whole, so that it is masked whole");
            handler.onEvent(new StreamEvent.TextDelta(0, "lo\nwor"));
            assertEquals("Hello\n", console(), "printed before the stream ends");
            handler.onEvent(new StreamEvent.TextDelta(0, "ld \u001b[2J\r"));
            handler.onEvent(new StreamEvent.MessageEnd(StopReason.END_TURN, "stop"));
            return response("Hello\nworld  [2J", StopReason.END_TURN);
        });
        String out = commands.chat(session, "--stream", "openai", "Say hello");
        assertEquals("Hello\nworld  [2J\n", console());
        assertEquals("model: gpt-4o-mini-2024, stop: END_TURN, tokens: 12/3", out);
        verify(openai, never()).chat(any());
    }

    @Test
    void gogoTakesTheOptionsAfterTheArgumentsAndPrintsTheDeltasOnTheSessionsConsole() throws Exception {
        when(openai.stream(any(), any())).thenAnswer(call -> {
            call.<StreamHandler>getArgument(1).onEvent(new StreamEvent.TextDelta(0, "streamed\n"));
            return response("streamed", StopReason.END_TURN);
        });
        try (GogoConsole gogo = new GogoConsole().with("llm", commands, "chat")) {
            Object answer = gogo.execute("llm:chat openai \"Say hello\" --model o3 --system \"Be brief\" --stream");
            assertEquals("model: gpt-4o-mini-2024, stop: END_TURN, tokens: 12/3", answer);
            assertEquals("streamed\n", gogo.output());
            ChatRequest request = captureStream(openai);
            assertEquals("o3", request.model());
            assertEquals("Be brief", request.instructions().get(0).text());

            when(openai.chat(any())).thenReturn(response("plain", StopReason.END_TURN));
            assertTrue(String.valueOf(gogo.execute("llm:chat openai Hi")).startsWith("plain\n"));
            assertNull(sent(openai).model());
        }
    }

    @Test
    void gogoCallsWithoutTheirArgumentsOrWithAnExtraWordGetAMessageNamingIt() throws Exception {
        String chat = "llm:chat [--model <m>] [--system \"<s>\"] [--stream] <provider> \"<prompt>\"";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("llm:chat", "llm:chat needs the provider id and the prompt in quotes: " + chat);
        expected.put("llm:chat --model o3 openai", "llm:chat needs the prompt in quotes: " + chat);
        expected.put("llm:chat openai \"Say hello\" --model", "--model needs a value: " + chat);
        expected.put("llm:chat openai \"Say hello\" --system", "--system needs a value: " + chat);
        expected.put("llm:chat --model --stream openai \"Say hello\"", "--model needs a value: " + chat);
        expected.put("llm:chat --temperature 0 openai \"Say hello\"", "llm:chat: unknown option '--temperature';"
                + " the options: --model, --system, --stream");
        expected.put("llm:chat openai Say hello", "llm:chat needs the provider id and the prompt in quotes: " + chat
                + "; it got 3 separate words");
        expected.put("llm:models openai local", "llm:models takes at most one provider id: llm:models [<provider>]"
                + " (llm:providers lists them); it got 2 separate words");
        expected.put("llm:usage e-1 e-2", "llm:usage takes at most one execution id: llm:usage [--tenant <t>]"
                + " [<executionId>] (agent:history lists executions); it got 2 separate words");
        expected.put("llm:usage --tenant", "--tenant needs a value: llm:usage [--tenant <t>] [<executionId>]"
                + " (agent:history lists executions)");
        expected.put("llm:usage --tenant acme e-1", "give --tenant or an execution id, not both (an execution's usage"
                + " is its tenant's): llm:usage [--tenant <t>] [<executionId>] (agent:history lists executions)");
        try (GogoConsole gogo = new GogoConsole().with("llm", commands, "models", "chat", "usage")) {
            gogo.assertRefused(expected);
            verify(openai, never()).chat(any());
            verify(router, never()).routeForTenant(any(), any(), any(), any());

            assertTrue(String.valueOf(gogo.execute("llm:models openai")).endsWith("\n2 models"));
            assertTrue(String.valueOf(gogo.execute("llm:models")).endsWith("\n2 models\nnot listed: local"
                    + " (NETWORK: connection refused)"));
            when(router.usageByProvider()).thenReturn(Map.of());
            assertEquals("no calls yet", gogo.execute("llm:usage"));
            when(router.usage("e-1")).thenReturn(new UsageSummary(1, 0, Usage.of(10, 2), BigDecimal.ONE));
            assertTrue(String.valueOf(gogo.execute("llm:usage e-1")).startsWith("execution: e-1\n"));
            verify(router).usage("e-1");
            when(router.usageByProvider("acme")).thenReturn(Map.of());
            assertEquals("no calls yet (tenant 'acme')", gogo.execute("llm:usage --tenant acme"));
        }
    }

    @Test
    void aProviderFailureNamesCategoryAndMessage() {
        ProviderError limited = new ProviderError(ProviderError.Category.RATE_LIMITED, 429, "openai", "rate_limit",
                "Rate limit reached", "req_1", Duration.ofSeconds(20), true, null);
        when(openai.chat(any())).thenThrow(new ProviderException(limited));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> commands.chat(session, "openai", "Hi"));
        assertEquals("LLM provider 'openai' failed: RATE_LIMITED: Rate limit reached (HTTP 429); retryable after 20 s;"
                + " request id req_1", e.getMessage());
        assertNull(e.getCause(), "the failure's message is the unmasked one: its stack trace is kept, not it");

        ProviderError shortWait = new ProviderError(ProviderError.Category.RATE_LIMITED, 429, "openai", "rate_limit",
                "Rate limit reached", null, Duration.ofMillis(300), true, null);
        doThrow(new ProviderException(shortWait)).when(openai).chat(any());
        assertEquals("LLM provider 'openai' failed: RATE_LIMITED: Rate limit reached (HTTP 429); retryable after 300 ms",
                assertThrows(IllegalStateException.class, () -> commands.chat(session, "openai", "Hi")).getMessage());

        doThrow(new ProviderException(new ProviderError(ProviderError.Category.SERVER, 500, null, null,
                "provider 'openai': HTTP 500", null, null, false, null))).when(openai).chat(any());
        assertEquals("LLM provider 'openai' failed: SERVER: HTTP 500", assertThrows(
                IllegalStateException.class, () -> commands.chat(session, "openai", "Hi")).getMessage(),
                "the status is said once, and the provider");

        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.AUTH, "invalid api key")))
                .when(openai).chat(any());
        assertEquals("LLM provider 'openai' failed: AUTH: invalid api key", assertThrows(IllegalStateException.class,
                () -> commands.chat(session, "openai", "Hi")).getMessage());
    }

    @Test
    void aFailedChatThatWasBilledSaysWhatItCost() {
        // a stream cut short after its usage: the router counted its tokens and their cost in the usage
        doThrow(new ProviderException(ProviderError.of(ProviderError.Category.NETWORK, "connection reset"), null,
                Usage.of(1000, 200), new BigDecimal("0.0042"))).when(router).routeForTenant(any(), any(), any(), any());
        assertEquals("LLM provider 'openai' failed: NETWORK: connection reset; retryable; it billed 1200 tokens"
                + " (1000 input, 200 output), 0.0042 USD", assertThrows(IllegalStateException.class,
                () -> commands.chat(session, "--stream", "openai", "Hi")).getMessage());
        assertEquals("LLM provider 'openai' failed: NETWORK: connection reset; retryable; it billed 1200 tokens"
                + " (1000 input, 200 output), 0.0042 USD", assertThrows(IllegalStateException.class,
                () -> commands.chat(session, "openai", "Hi")).getMessage());
    }

    @Test
    void aStreamThatFailsEndsTheLineAndNamesTheError() {
        when(openai.stream(any(), any())).thenAnswer(call -> {
            StreamHandler handler = call.getArgument(1);
            handler.onEvent(new StreamEvent.TextDelta(0, "partial"));
            throw new ProviderException(ProviderError.of(ProviderError.Category.NETWORK, "connection reset"));
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> commands.chat(session, "--stream", "openai", "Hi"));
        assertEquals("LLM provider 'openai' failed: NETWORK: connection reset; retryable", e.getMessage());
        assertEquals("partial\n", console());

        doAnswer(call -> {
            call.<StreamHandler>getArgument(1).onEvent(new StreamEvent.StreamError(ProviderError.of(
                    ProviderError.Category.CONTENT_FILTERED, "blocked")));
            return response("", StopReason.CONTENT_FILTERED);
        }).when(openai).stream(any(), any());
        assertEquals("LLM provider 'openai' failed: CONTENT_FILTERED: blocked", assertThrows(
                IllegalStateException.class, () -> commands.chat(session, "--stream", "openai", "Hi")).getMessage());
    }

    @Test
    void chatNeedsAKnownProviderAndAPrompt() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> commands.chat(session, "nope", "Hi"));
        assertEquals("no LLM provider 'nope'; see llm:providers", unknown.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> commands.chat(session, "openai", " "));
        assertTrue(empty.getMessage().startsWith("the prompt is empty"), empty.getMessage());
        verify(openai, never()).chat(any());
    }

    @Test
    void streamedFragmentsKeepTheirSpacesAndLineBreaksButNoControlCharacters() {
        assertEquals(" a b\n c ", LlmCommands.consoleSafe(" a\u001bb\r\n c "));
    }

    // ---- llm:usage ----------------------------------------------------------------------------------------------

    @Test
    void usageShowsEveryProviderAndATotalThatItsPartsAddUpTo() {
        when(router.usageByProvider()).thenReturn(Map.of(
                "gemini", new UsageSummary(3, 1, new Usage(1200, 200, 0, 300, 0, 45, Map.of()),
                        new BigDecimal("0.004200")),
                "anthropic", new UsageSummary(1, 0, Usage.of(100, 20), new BigDecimal("0.0005"))));
        assertEquals("""
                PROVIDER   CALLS  FAILED  INPUT  TOOL-PROMPT  OUTPUT  TOTAL  COST$
                anthropic  1      0       100    0            20      120    0.0005
                gemini     3      1       1200   45           300     1545   0.0042
                total: 4 calls, 1 failed, tokens 1665 (input 1300 + tool prompt 45 + output 320), cost 0.0047 USD""",
                commands.usage(SESSION), "the tool prompt tokens are billed beside the input, as budgets count them");

        when(router.usageByProvider()).thenReturn(Map.of());
        assertEquals("no calls yet", commands.usage(SESSION));
    }

    @Test
    void usageOfANonAdminIsItsTenantsOnly() {
        when(router.usageByProvider()).thenReturn(Map.of(
                "openai", new UsageSummary(9, 0, Usage.of(9000, 900), new BigDecimal("0.09"))));
        when(router.usageByProvider("default")).thenReturn(Map.of(
                "openai", new UsageSummary(1, 0, Usage.of(1000, 100), new BigDecimal("0.01"))));
        LlmCommands viewer = new LlmCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                new ShellMasker());
        viewer.bindRouter(router);

        assertEquals("""
                PROVIDER  CALLS  FAILED  INPUT  TOOL-PROMPT  OUTPUT  TOTAL  COST$
                openai    1      0       1000   0            100     1100   0.01
                total (tenant 'default'): 1 call, 0 failed, tokens 1100 (input 1000 + tool prompt 0 + output 100),\
                 cost 0.01 USD""",
                viewer.usage(SESSION), "the console's viewer acts for the default tenant");
        when(router.usageByProvider("default")).thenReturn(Map.of());
        assertEquals("no calls yet (tenant 'default')", viewer.usage(SESSION));
    }

    @Test
    void usageOfOneTenantForAnAdminOrTheSessionsOwn() {
        when(router.usageByProvider("acme")).thenReturn(Map.of(
                "openai", new UsageSummary(2, 1, Usage.of(200, 20), new BigDecimal("0.002"))));
        String acme = """
                PROVIDER  CALLS  FAILED  INPUT  TOOL-PROMPT  OUTPUT  TOTAL  COST$
                openai    2      1       200    0            20      220    0.002
                total (tenant 'acme'): 2 calls, 1 failed, tokens 220 (input 200 + tool prompt 0 + output 20), cost\
                 0.002 USD""";
        assertEquals(acme, commands.usage(SESSION, "--tenant", "acme"), "an admin names any tenant");
        assertEquals(acme, commands.usage(SESSION, "--tenant", " acme "));
        when(router.usageByProvider("beta")).thenReturn(Map.of());
        assertEquals("no calls yet (tenant 'beta')", commands.usage(SESSION, "--tenant", "beta"));

        LlmCommands viewer = new LlmCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                new ShellMasker());
        viewer.bindRouter(router);
        when(router.usageByProvider("default")).thenReturn(Map.of());
        assertEquals("no calls yet (tenant 'default')", viewer.usage(SESSION, "--tenant", "default"),
                "a non-admin may name its own tenant");
        SecurityException refused = assertThrows(SecurityException.class,
                () -> viewer.usage(SESSION, "--tenant", "acme"));
        assertEquals("llm:usage --tenant of another tenant than the session's own ('default') needs the admin role;"
                + " --tenant was 'acme'", refused.getMessage());
        verify(router, never()).usageByProvider();
        verify(router, times(2)).usageByProvider("acme");
    }

    @Test
    void usageOfATenantThatIsNoTenantNameSaysWhatOneIs() {
        String rule = "--tenant must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit;"
                + " was ";
        String usage = ": llm:usage [--tenant <t>] [<executionId>] (agent:history lists executions)";
        assertEquals(rule + "'ac me'" + usage, assertThrows(IllegalArgumentException.class,
                () -> commands.usage(SESSION, "--tenant", "ac me")).getMessage());
        assertEquals(rule + "'-acme'" + usage, assertThrows(IllegalArgumentException.class,
                () -> commands.usage(SESSION, "--tenant", "-acme")).getMessage());
        assertEquals(rule + "65 characters long" + usage, assertThrows(IllegalArgumentException.class,
                () -> commands.usage(SESSION, "--tenant", "a".repeat(65))).getMessage());
        verify(router, never()).usageByProvider(anyString());
    }

    @Test
    void usageOfOneExecution() {
        when(router.usage("exec-1")).thenReturn(new UsageSummary(2, 0,
                new Usage(500, 100, 60, 20, 80, 30, 25, Map.of()), new BigDecimal("0.0100")));
        assertEquals("""
                execution: exec-1
                source: router (calls since it started)
                calls: 2
                failed: 0
                inputTokens: 500
                cachedReadTokens: 100
                cacheWriteTokens: 60
                cacheWrite1hTokens: 20
                toolPromptTokens: 25
                outputTokens: 80
                reasoningTokens: 30
                totalTokens: 605
                cost: 0.01 USD""", commands.usage(SESSION, "exec-1"), "totalTokens = input + tool prompt + output");
    }

    @Test
    void usageOfAnExecutionOfAnEarlierRunComesFromTheHistory() {
        when(router.usage("before-restart")).thenReturn(UsageSummary.NONE); // the router started after it
        when(history.find("before-restart")).thenReturn(Optional.of(record("before-restart", "default",
                new Usage(1200, 200, 100, 40, 300, 0, 0, Map.of()), new BigDecimal("0.00450"))));
        assertEquals("""
                execution: before-restart
                source: history (it keeps tokens and cost, not calls; agent:show before-restart lists each model call)
                inputTokens: 1200
                cachedReadTokens: 200
                cacheWriteTokens: 100
                cacheWrite1hTokens: 40
                toolPromptTokens: 0
                outputTokens: 300
                reasoningTokens: 0
                totalTokens: 1500
                cost: 0.0045 USD""", commands.usage(SESSION, "before-restart"));
    }

    @Test
    void usageOfAnUnknownExecutionOrOneOfAnotherTenantNamesTheId() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> commands.usage(SESSION, "nope"));
        assertEquals("no execution 'nope' in the router's usage or the history; agent:history lists the latest",
                unknown.getMessage());

        LlmCommands viewer = new LlmCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                new ShellMasker());
        viewer.bindRouter(router);
        viewer.bindHistory(history, Map.of("service.id", 1L));
        when(history.find("acme-1")).thenReturn(Optional.of(record("acme-1", "acme", Usage.of(10, 5),
                BigDecimal.ONE)));
        when(router.usage("acme-1")).thenReturn(new UsageSummary(1, 0, Usage.of(10, 5), BigDecimal.ONE));
        IllegalArgumentException othersTenant = assertThrows(IllegalArgumentException.class,
                () -> viewer.usage(SESSION, "acme-1"));
        assertEquals("no execution 'acme-1' in the router's usage or the history; agent:history lists the latest",
                othersTenant.getMessage(), "another tenant's execution reads as unknown");
    }

    @Test
    void usageOfAnExecutionTheRouterDoesNotKnowNamesTheServiceThatIsNotRunning() {
        commands.unbindHistory(Map.of("service.id", 1L));
        IllegalStateException noHistory = assertThrows(IllegalStateException.class,
                () -> commands.usage(SESSION, "e"));
        assertEquals("cannot tell the usage of execution 'e': " + AgentCommandsTest.HISTORY_NOT_INSTALLED,
                noHistory.getMessage());

        commands.bindHistory(history, Map.of("service.id", 1L));
        commands.unbindRouter(router);
        when(history.find("e")).thenReturn(Optional.of(record("e", "default", Usage.of(7, 3), BigDecimal.ZERO)));
        assertTrue(commands.usage(SESSION, "e").contains("\ninputTokens: 7\n"), "the history answers alone");
        IllegalStateException noRouter = assertThrows(IllegalStateException.class,
                () -> commands.usage(SESSION, "other"));
        assertEquals("cannot tell the usage of execution 'other': " + LlmCommands.ROUTER_NOT_RUNNING,
                noRouter.getMessage());
    }

    // ---- missing services -----------------------------------------------------------------------------------------

    @Test
    void withoutTheServicesOfActiveBundlesCommandsSayTheirComponentDidNotStart() {
        LlmCommands active = new LlmCommands(TestSessions.framework(Map.of("io.mcpagent.core", Bundle.ACTIVE,
                "io.mcpagent.history", Bundle.ACTIVE)), TestSessions.admin(), new ShellMasker());
        assertEquals(TestSessions.componentDidNotStart("the plugin whiteboard", "io.mcpagent.core"),
                assertThrows(IllegalStateException.class, () -> active.providers(SESSION)).getMessage());
        String router = TestSessions.componentDidNotStart("the LLM router", "io.mcpagent.core");
        assertEquals(router, assertThrows(IllegalStateException.class, () -> active.usage(SESSION)).getMessage());
        assertEquals("cannot tell the usage of execution 'e': " + router + "; "
                + TestSessions.componentDidNotStart("the execution history", "io.mcpagent.history"),
                assertThrows(IllegalStateException.class, () -> active.usage(SESSION, "e")).getMessage());
    }

    @Test
    void withoutTheWhiteboardOrTheRouterCommandsSayWhichBundleToStart() {
        commands.unbindPluginManager(plugins);
        commands.unbindRouter(router);
        for (Runnable command : List.<Runnable>of(() -> commands.providers(SESSION), () -> commands.models(SESSION), () -> commands.models(SESSION, "x"),
                () -> commands.chat(session, "openai", "Hi"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, command::run);
            assertEquals(Plugins.NOT_RUNNING, e.getMessage());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.usage(SESSION));
        assertEquals(LlmCommands.ROUTER_NOT_RUNNING, e.getMessage());
        assertTrue(e.getMessage().contains("io.mcpagent.core"));
        commands.unbindHistory(Map.of("service.id", 1L));
        IllegalStateException neither = assertThrows(IllegalStateException.class, () -> commands.usage(SESSION, "e"));
        assertEquals("cannot tell the usage of execution 'e': " + LlmCommands.ROUTER_NOT_RUNNING + "; "
                + AgentCommandsTest.HISTORY_NOT_INSTALLED, neither.getMessage());
    }

    @Test
    void aGreedyReplacementOfTheRouterKeepsTheNewOne() {
        LlmRouter newer = mock(LlmRouter.class);
        when(newer.usageByProvider()).thenReturn(Map.of());
        commands.bindRouter(newer);
        commands.unbindRouter(router);
        assertEquals("no calls yet", commands.usage(SESSION));
        verify(router, never()).usageByProvider();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static ExecutionRecord record(String id, String tenant, Usage usage, BigDecimal cost) {
        return new ExecutionRecord(id, tenant, "a task", "direct", ExecutionStatus.SUCCEEDED, T, T.plusSeconds(3),
                "done", null, usage, cost, null, null, List.of());
    }

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    private static ChatRequest sent(LlmProvider provider) {
        ArgumentCaptor<ChatRequest> request = ArgumentCaptor.forClass(ChatRequest.class);
        verify(provider, atLeastOnce()).chat(request.capture());
        return request.getValue();
    }

    private static ChatRequest captureStream(LlmProvider provider) {
        ArgumentCaptor<ChatRequest> request = ArgumentCaptor.forClass(ChatRequest.class);
        verify(provider).stream(request.capture(), any());
        return request.getValue();
    }

    private static ChatResponse response(String text, StopReason stop) {
        Message message = new Message(Role.ASSISTANT, text.isEmpty() ? List.of() : List.of(TextPart.of(text)), null,
                Map.of());
        return new ChatResponse("r1", "gpt-4o-mini-2024", message, stop, null, Usage.of(12, 3), null, null, null);
    }

    private static PluginInfo plugin(String id, String name) {
        return new PluginInfo(id, PluginKind.PROVIDER, "1.0", name, "", "io.mcpagent.provider." + id, "0.1.0", 12,
                34, Map.of());
    }
}
