package io.mcpagent.core.internal.llm;

import static io.mcpagent.api.llm.ModelCapability.STREAMING;
import static io.mcpagent.api.llm.ModelCapability.STRUCTURED_OUTPUT;
import static io.mcpagent.api.llm.ModelCapability.TOOLS;
import static io.mcpagent.api.llm.ModelCapability.VISION;
import static io.mcpagent.core.internal.llm.FakeProvider.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.Constants;

import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelChoice;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.PriceTier;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ModelRequirements.Preference;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.core.internal.LogCapture;
import io.mcpagent.core.internal.MutableClock;
import io.mcpagent.core.internal.agent.DefaultAgentRuntime;

class DefaultLlmRouterTest {
    /** The default of {@link RouterConfig#retryWaitWithAlternativeMs()}. */
    private static final Duration RETRY_WAIT_WITH_ALTERNATIVE = Duration.ofSeconds(2);
    private final FakePlugins plugins = new FakePlugins();
    private final MutableClock clock = new MutableClock();
    private final List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
    private DefaultLlmRouter router = router(List.of(), 5, 30, true);

    private DefaultLlmRouter router(List<String> chain, int threshold, long openSeconds, boolean excludeUnhealthy) {
        DefaultLlmRouter created = new DefaultLlmRouter(plugins,
                config(chain.toArray(String[]::new), threshold, openSeconds, excludeUnhealthy), clock);
        created.addListener(events::add, Map.of(Constants.SERVICE_ID, 1L));
        return created;
    }

    private static RouterConfig config(String[] chain, int threshold, long openSeconds, boolean excludeUnhealthy) {
        RouterConfig config = mock(RouterConfig.class);
        when(config.fallbackChain()).thenReturn(chain);
        when(config.failureThreshold()).thenReturn(threshold);
        when(config.openSeconds()).thenReturn(openSeconds);
        when(config.excludeUnhealthy()).thenReturn(excludeUnhealthy);
        when(config.retryWaitWithAlternativeMs()).thenReturn(RETRY_WAIT_WITH_ALTERNATIVE.toMillis());
        return config;
    }

    private static ChatRequest hello() {
        return ChatRequest.of("caller-model", null, List.of(Message.user("hi")));
    }

    private static ModelRequirements needs(Preference preference, ModelCapability... capabilities) {
        return new ModelRequirements(Set.of(capabilities), 0, preference, null, null, List.of());
    }

    private static ModelRequirements chain(String... providerIds) {
        return new ModelRequirements(Set.of(), 0, Preference.COST, null, null, List.of(providerIds));
    }

    private static ModelRequirements pinnedWithChain(String providerId, String... chain) {
        return new ModelRequirements(Set.of(), 0, Preference.COST, providerId, null, List.of(chain));
    }

    private static ModelRequirements pinned(String providerId, String model) {
        return new ModelRequirements(Set.of(), 0, Preference.COST, providerId, model, List.of());
    }

    private FakeProvider openai() {
        return plugins.add(new FakeProvider("openai-main", model("gpt-4.1", "2.00", "8.00", TOOLS, VISION),
                model("gpt-4.1-mini", "0.40", "1.60", TOOLS, VISION)));
    }

    private FakeProvider cheap() {
        return plugins.add(new FakeProvider("cheap", model("nano", "0.10", "0.40", TOOLS)));
    }

    // ---- selection -----------------------------------------------------------------------------------------------

    @Test
    void choosesTheCheapestModelWithTheRequiredCapabilitiesAndSaysWhy() {
        openai();
        cheap();
        plugins.add(new FakeProvider("unpriced", model("mystery", null, null, TOOLS, VISION)));

        ModelChoice choice = router.select(needs(Preference.COST, TOOLS, VISION));

        assertEquals("openai-main", choice.providerId());
        assertEquals("gpt-4.1-mini", choice.model());
        assertEquals("cheapest model with tools, vision: openai-main/gpt-4.1-mini at 0.40+1.60 USD/M", choice.reason());
        assertEquals("nano", router.select(needs(Preference.COST, TOOLS)).model(), "fewer needs, cheaper model");
    }

    @Test
    void qualityPrefersTheHighestPriceAndUnknownPricesComeLast() {
        openai();
        plugins.add(new FakeProvider("aaa-unpriced", model("mystery", null, null, TOOLS, VISION)));

        ModelChoice best = router.select(needs(Preference.QUALITY, VISION));
        assertEquals("openai-main/gpt-4.1", best.providerId() + "/" + best.model());
        assertTrue(best.reason().startsWith("highest-priced (most capable) model with vision"), best.reason());

        plugins.remove("openai-main");
        ModelChoice unpriced = router.select(needs(Preference.COST, VISION));
        assertEquals("mystery", unpriced.model());
        assertTrue(unpriced.reason().endsWith("(no price known)"), unpriced.reason());
    }

    @Test
    void cachePricesDoNotRankModels() {
        // uncached 5.00, 4.90 and 4.85 per million input plus output tokens: the cache prices would reverse that order
        plugins.add(new FakeProvider("cached", new ModelInfo("cheap-cache", Set.of(TOOLS), 128_000,
                new BigDecimal("1.00"), new BigDecimal("4.00"), new BigDecimal("0.01"), new BigDecimal("0.01"))));
        plugins.add(new FakeProvider("plain", model("no-cache-prices", "0.90", "4.00", TOOLS)));
        plugins.add(new FakeProvider("writes", new ModelInfo("dear-cache", Set.of(TOOLS), 128_000,
                new BigDecimal("0.85"), new BigDecimal("4.00"), new BigDecimal("0.10"), new BigDecimal("1.50"))));

        ModelChoice cheapest = router.select(needs(Preference.COST, TOOLS));
        assertEquals("cheapest model with tools: writes/dear-cache at 0.85+4.00 USD/M", cheapest.reason());
        assertEquals("cheap-cache", router.select(needs(Preference.QUALITY, TOOLS)).model());
    }

    @Test
    void tiesAreBrokenByProviderIdThenModelOrder() {
        plugins.add(new FakeProvider("zeta", model("z1", "1", "1")));
        plugins.add(new FakeProvider("alpha", model("a1", "1", "1"), model("a2", "1", "1")));

        assertEquals("alpha/a1", label(router.select(ModelRequirements.ANY)));
    }

    @Test
    void equalChoicesShareTheLoadByTheCallsEachProviderIsAnsweringNow() throws Exception {
        java.util.concurrent.CountDownLatch answering = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        plugins.add(new FakeProvider("instance-a", model("m", "1", "1"))).answeringAfter(() -> {
            answering.countDown();
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).answering();
        plugins.add(new FakeProvider("instance-b", model("m", "1", "1"))).answering();
        java.util.concurrent.CompletableFuture<ChatResponse> first = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> router.chat(hello(), ModelRequirements.ANY, null));
        assertTrue(answering.await(10, java.util.concurrent.TimeUnit.SECONDS));

        assertEquals("instance-b", router.select(ModelRequirements.ANY).providerId(), "a is busy with one call");
        assertEquals("from instance-b", router.chat(hello(), ModelRequirements.ANY, null).message().text());

        release.countDown();
        assertEquals("from instance-a", first.get(10, java.util.concurrent.TimeUnit.SECONDS).message().text());
        assertEquals("instance-a", router.select(ModelRequirements.ANY).providerId(), "idle again: id decides");
    }

    @Test
    void speedPrefersTheProviderThatAnsweredFastestRecently() {
        plugins.add(new FakeProvider("alpha", model("a", "1", "1"))).answeringAfter(() -> clock.advance(900));
        plugins.add(new FakeProvider("beta", model("b", "5", "5"))).answeringAfter(() -> clock.advance(100));

        ModelChoice unmeasured = router.select(needs(Preference.SPEED));
        assertEquals("alpha", unmeasured.providerId(), "no latency yet: provider id decides");
        assertTrue(unmeasured.reason().contains("no latency measured yet"), unmeasured.reason());

        router.chat(hello(), pinned("alpha", null), null);
        router.chat(hello(), pinned("beta", null), null);

        ModelChoice measured = router.select(needs(Preference.SPEED));
        assertEquals("beta", measured.providerId());
        assertEquals("model of the fastest provider: beta/b (median 100 ms over the last call)", measured.reason());

        router.chat(hello(), pinned("beta", null), null);
        router.chat(hello(), pinned("beta", null), null);
        assertTrue(router.select(needs(Preference.SPEED)).reason().endsWith("(median 100 ms over the last 3 calls)"));
        assertEquals("alpha", router.select(needs(Preference.COST)).providerId(), "cost still prefers alpha");
    }

    @Test
    void filtersByContextWindowWhereUnknownPasses() {
        plugins.add(new FakeProvider("small", model("s", 128_000, "0.1", "0.1")));
        plugins.add(new FakeProvider("unknown", model("u", 0, "0.5", "0.5")));
        plugins.add(new FakeProvider("large", model("l", 1_000_000, "1", "1")));
        ModelRequirements big = new ModelRequirements(Set.of(), 200_000, Preference.COST, null, null, List.of());

        ModelChoice choice = router.select(big);

        assertEquals("unknown/u", label(choice));
        assertTrue(choice.reason().contains("with a context window >= 200000"), choice.reason());
    }

    @Test
    void honoursAPinnedProviderAndModel() {
        openai();
        cheap();

        assertEquals("openai-main/gpt-4.1-mini", label(router.select(pinned("openai-main", null))));
        assertEquals("openai-main/gpt-4.1", label(router.select(pinned("openai-main", "gpt-4.1"))));
        assertEquals("openai-main/gpt-4.1", label(router.select(pinned(null, "gpt-4.1"))));
        assertTrue(router.select(pinned("openai-main", null)).reason().startsWith("pinned provider openai-main, "));
    }

    /** A local server's model given as defaultModel alone is known to stream only: the fix is a models line. */
    @Test
    void notFoundNamesTheConfigurationWhereAModelsCapabilitiesAreDeclared() {
        plugins.add(new FakeProvider("local", new ModelInfo("qwen3", Set.of(STREAMING), 0, null, null)),
                Map.of(PluginProperties.PROVIDER_CONFIGURATION, "io.mcpagent.provider.openai~local"));

        String tools = notFound(needs(Preference.COST, TOOLS)).getMessage();

        assertTrue(tools.endsWith("no model fits (tools): no model has tools (local: qwen3 [streaming]); if a model"
                + " can do more, list it with what it can do in the models of its provider's configuration, e.g."
                + " etc/io.mcpagent.provider.openai~local.cfg.json: \"models\": [\"qwen3;tools,streaming\"] (a"
                + " defaultModel that models leaves out is taken to stream only)"), tools);
    }

    @Test
    void notFoundSaysWhichRequirementNothingMet() {
        assertEquals(Category.NOT_FOUND, notFound(ModelRequirements.ANY).error().category());
        assertTrue(notFound(ModelRequirements.ANY).getMessage().contains("no LLM provider is registered"));
        assertTrue(notFound(pinned("sp", null)).getMessage().contains("provider 'sp' is not registered, and no LLM"
                + " provider is registered"), "the provider asked for is named, also when there is none at all");

        cheap();
        plugins.add(new FakeProvider("text-only", model("t", 32_000, "1", "1")));

        String vision = notFound(needs(Preference.COST, TOOLS, VISION)).getMessage();
        assertTrue(vision.contains("no model fits (tools, vision): no model has vision"), vision);
        assertTrue(vision.contains("cheap: nano [tools]"), "lists what there is: " + vision);

        plugins.add(new FakeProvider("seer", model("eye", "1", "1", VISION)));
        String both = notFound(needs(Preference.COST, TOOLS, VISION)).getMessage();
        assertTrue(both.contains("no single model has all of tools, vision"), both);

        String context = notFound(new ModelRequirements(Set.of(TOOLS), 500_000, Preference.COST, null, null, List.of()))
                .getMessage();
        assertTrue(context.contains("no model with tools has a context window of at least 500000 tokens "
                + "(largest: cheap/nano with 128000)"), context);

        assertFalse(vision.contains("if a model can do more"), "a provider without a configuration has no line to add");

        String model = notFound(pinned(null, "gpt-5")).getMessage();
        assertTrue(model.contains("no provider serves model 'gpt-5'"), model);

        String provider = notFound(pinned("nobody", null)).getMessage();
        assertTrue(provider.contains("provider 'nobody' is not registered; registered providers: cheap, seer, text-only"),
                provider);
    }

    @Test
    void providersThatAreDownAreLeftOutUnlessConfiguredOtherwise() {
        FakeProvider openai = openai();
        cheap().health = PluginHealth.down("no API key: set CHEAP_API_KEY");

        assertEquals("openai-main", router.select(needs(Preference.COST, TOOLS)).providerId());
        openai.health = PluginHealth.down("quota");
        String message = notFound(needs(Preference.COST, TOOLS)).getMessage();
        assertTrue(message.contains("every provider with a fitting model is unavailable"), message);
        assertTrue(message.contains("cheap (DOWN: no API key: set CHEAP_API_KEY)"), message);

        router = router(List.of(), 5, 30, false);
        assertEquals("cheap", router.select(needs(Preference.COST, TOOLS)).providerId());
    }

    @Test
    void aProviderThatIsDownIsCalledWhenTheCallerNamesItSoItsOwnReasonComesBack() {
        FakeProvider keyless = cheap().then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.AUTH, "provider 'cheap' has no API key: set CHEAP_API_KEY"));
        });
        keyless.health = PluginHealth.down("no API key: set CHEAP_API_KEY");
        FakeProvider openai = openai().failing(Category.SERVER);

        ProviderException named = assertThrows(ProviderException.class,
                () -> router.chat(hello(), new ModelRequirements(Set.of(), 0, Preference.COST, "cheap", null,
                        List.of("cheap")), null));
        assertEquals(Category.AUTH, named.error().category());
        assertEquals("AUTH: provider 'cheap' has no API key: set CHEAP_API_KEY", named.getMessage());
        assertEquals("cheap", router.select(pinned("cheap", null)).providerId());

        ProviderException chained = assertThrows(ProviderException.class,
                () -> router.chat(hello(), chain("cheap"), null));
        assertTrue(chained.getMessage().contains("cheap: skipped, no model fits (provider 'cheap'): every provider "
                + "with a fitting model is unavailable: cheap (DOWN: no API key: set CHEAP_API_KEY)"), chained.getMessage());
        assertEquals(1, keyless.calls.size(), "a chain entry that is DOWN is skipped, as the router's own choice");
        assertEquals(1, openai.calls.size());
    }

    /**
     * A configuration with mistakes serves no models: a call naming its provider was answered "no model fits ... left
     * out: broken (it lists no models; DOWN: ...)", not the provider's own refusal naming the mistakes (the shell's and
     * REST's chats called it themselves, an agent's calls could not). The router calls it itself, with the model the
     * request names; a chain entry that is DOWN without models is still skipped, and one UP without models left out.
     */
    @Test
    void aProviderTheCallerNamesThatIsDownAndListsNoModelsIsCalledSoThatItsOwnRefusalComesBack() {
        String refusal = "provider 'broken' is misconfigured (etc/x.cfg.json): baseUrl '' is not an http(s) URL";
        FakeProvider broken = plugins.add(new FakeProvider("broken")).then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.INVALID_REQUEST, refusal));
        });
        broken.health = PluginHealth.down("misconfigured (etc/x.cfg.json): baseUrl '' is not an http(s) URL");
        cheap();

        ProviderException named = assertThrows(ProviderException.class,
                () -> router.route(hello(), pinned("broken", null), "e1", null));

        assertEquals("INVALID_REQUEST: " + refusal, named.getMessage());
        assertEquals(List.of("caller-model"), broken.calls, "with the model its request names");
        assertThrows(ProviderException.class, () -> router.route(hello(), pinned("broken", "m2"), "e1", null));
        assertEquals("m2", broken.calls.get(1), "or the one the requirements pin");
        assertEquals(2, router.usage("e1").failedCalls());
        ModelChoice choice = router.select(new ModelRequirements(Set.of(TOOLS), 0, Preference.COST, "broken", null,
                List.of()));
        assertEquals("broken/" + ModelSelector.UNLISTED_MODEL, label(choice));
        assertEquals("pinned provider broken, which lists no models and is DOWN: misconfigured (etc/x.cfg.json):"
                + " baseUrl '' is not an http(s) URL: it is called itself, so that its own refusal says why",
                choice.reason());

        assertEquals("from cheap", router.chat(hello(), chain("broken", "cheap"), "e1").message().text(),
                "a chain entry is skipped");
        assertEquals(2, broken.calls.size());
        broken.health = PluginHealth.up();
        String unlisted = notFound(pinned("broken", null)).getMessage();
        assertTrue(unlisted.contains("left out: broken (it lists no models)"), unlisted);
    }

    @Test
    void scriptedProvidersAnswerOnlyWhenPinned() {
        FakeProvider scripted = plugins.addScripted(new FakeProvider("script", model("scripted-1", "0", "0")));
        String only = notFound(ModelRequirements.ANY).getMessage();
        assertTrue(only.contains("only scripted providers are registered (script); they answer only when named as the"
                + " provider (\"provider\" over REST, --provider in the shell, providerId in the Java API)"), only);

        FakeProvider openai = openai();
        assertEquals("openai-main", router.select(ModelRequirements.ANY).providerId(), "free, but scripted");
        String noModel = notFound(new ModelRequirements(Set.of(), 0, Preference.COST, null, "nope", List.of()))
                .getMessage();
        assertTrue(noModel.contains("scripted providers (script) answer only when named as the provider (\"provider\""
                + " over REST, --provider in the shell, providerId in the Java API) or in a fallback chain"), noModel);
        assertEquals("script/scripted-1", label(router.select(pinned("script", null))));

        ChatResponse answer = router.chat(hello(), pinned("script", null), null);
        assertEquals("from script", answer.message().text());
        assertEquals(List.of("scripted-1"), scripted.calls);
        assertTrue(openai.calls.isEmpty());
    }

    @Test
    void aScriptedProviderNamedInAFallbackChainCountsAsPinned() {
        cheap().failing(Category.RATE_LIMITED);
        plugins.addScripted(new FakeProvider("script", model("scripted-1", "0", "0")));

        ChatResponse answer = router.chat(hello(), chain("script"), null);

        assertEquals("from script", answer.message().text());
    }

    /**
     * The provider the router chose by itself for calls naming none left (its bundle stopped), and only a scripted one
     * is registered, which the configured chain names: the chain takes the calls, as it takes those of a first choice
     * that fails, each an llm.fallback from the provider that left saying why; without a chain they fail NOT_FOUND.
     */
    @Test
    void aCallNamingNoProviderGoesAlongTheChainWhenTheProviderTheRouterChoseLeft() {
        router = router(List.of("script"), 5, 30, true);
        cheap();
        FakeProvider script = plugins.addScripted(new FakeProvider("script", model("scripted-1", "0", "0")));
        assertEquals("cheap", router.route(hello(), ModelRequirements.ANY, "e1", null).providerId());
        plugins.remove("cheap");
        events.clear();

        RoutedResponse answer = router.route(hello(), ModelRequirements.ANY, "e1", null);

        assertEquals("script", answer.providerId());
        assertEquals(1, script.calls.size());
        String why = "LLM provider 'cheap' is gone: it is not registered (its bundle stopped or its configuration was"
                + " removed), and no other provider the router chooses by itself fits: only scripted providers are"
                + " registered (script); they answer only when named as the provider (\"provider\" over REST,"
                + " --provider in the shell, providerId in the Java API) or in a fallback chain";
        assertEquals(List.of(new LlmFallbackEvent(clock.instant(), "e1", "cheap", DefaultLlmRouter.UNKNOWN_MODEL,
                Category.NOT_FOUND, why, "script", "scripted-1", null)), fallbackEvents());
        ModelChoice choice = router.select(ModelRequirements.ANY);
        assertEquals("script/scripted-1", label(choice), choice.reason());
        assertTrue(choice.reason().endsWith("; along the fallback chain, as " + why), choice.reason());

        router = router(List.of(), 5, 30, true);
        assertTrue(notFound(ModelRequirements.ANY).getMessage().contains("only scripted providers are registered"),
                "without a chain the call goes nowhere");
        assertThrows(ProviderException.class, () -> router.route(hello(), ModelRequirements.ANY, "e1", null));
    }

    /** Both providers the router chose by itself, one after the other, left: the fallback names both. */
    @Test
    void aCallNamingNoProviderWhoseOwnChoicesAllLeftNamesEachOfThem() {
        router = router(List.of("script"), 5, 30, true);
        cheap();
        openai();
        plugins.addScripted(new FakeProvider("script", model("scripted-1", "0", "0")));
        assertEquals("cheap", router.route(hello(), ModelRequirements.ANY, "e1", null).providerId());
        plugins.remove("cheap");
        assertEquals("openai-main", router.route(hello(), ModelRequirements.ANY, "e1", null).providerId());
        plugins.remove("openai-main");
        events.clear();

        assertEquals("script", router.route(hello(), ModelRequirements.ANY, "e1", null).providerId());

        LlmFallbackEvent fallback = fallbackEvents().getFirst();
        assertEquals("cheap", fallback.providerId(), "the first of them by id");
        assertTrue(fallback.message().startsWith("LLM providers 'cheap', 'openai-main' are gone: they are not"
                + " registered (their bundles stopped or their configurations were removed), and no other provider the"
                + " router chooses by itself fits: only scripted providers are registered (script)"),
                fallback.message());
    }

    /**
     * No provider the router chooses by itself was ever there: the chain's provider takes the call, the fallback from
     * {@value DefaultLlmRouter#NO_OWN_CHOICE}; when it fails, the error names both.
     */
    @Test
    void aCallNamingNoProviderThatNoProviderFitsGoesAlongTheChainSayingWhy() {
        router = router(List.of("script"), 5, 30, true);
        FakeProvider script = plugins.addScripted(new FakeProvider("script", model("scripted-1", "0", "0")));

        assertEquals("script", router.route(hello(), ModelRequirements.ANY, "e1", null).providerId());

        String why = "no provider the router chooses by itself fits: only scripted providers are registered (script);"
                + " they answer only when named as the provider (\"provider\" over REST, --provider in the shell,"
                + " providerId in the Java API) or in a fallback chain";
        assertEquals(List.of(new LlmFallbackEvent(clock.instant(), "e1", DefaultLlmRouter.NO_OWN_CHOICE,
                DefaultLlmRouter.UNKNOWN_MODEL, Category.NOT_FOUND, why, "script", "scripted-1", null)),
                fallbackEvents());
        assertEquals("LLM call to (none)/(unknown) failed (NOT_FOUND: " + why + "); falling back to script/scripted-1",
                fallbackEvents().getFirst().describe());
        script.failing(Category.SERVER);
        assertEquals("SERVER: every provider tried failed: " + why + "; script/scripted-1: SERVER: script says SERVER",
                assertThrows(ProviderException.class, () -> router.route(hello(), ModelRequirements.ANY, "e1", null))
                        .getMessage());
    }

    @Test
    void aChangedConfigurationAppliesWithoutLosingCircuitsOrUsage() {
        cheap().failing(Category.SERVER);
        FakeProvider backup = plugins.add(new FakeProvider("backup", model("b", "9", "9")));
        openai();
        router.chat(hello(), ModelRequirements.ANY, "e1");
        assertTrue(backup.calls.isEmpty());

        router.modified(config(new String[] {" backup "}, 1, 60, true));
        router.chat(hello(), ModelRequirements.ANY, "e1");

        assertEquals(1, backup.calls.size(), "the new chain");
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"), "the new threshold");
        assertEquals(4, router.usage("e1").calls());
        assertTrue(router.problems().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'backup, ' | 5 | 30    | fallbackChain[1] must be a provider id, was blank
            backup     | 0 | 30    | failureThreshold must be at least 1, was 0
            backup     | 5 | -1    | openSeconds must be within [0, 86400], was -1
            backup     | 5 | 86401 | openSeconds must be within [0, 86400], was 86401
            """)
    void aBadConfigurationIsRefusedNamingItAndTheSettingsInForceStay(String chain, int threshold, long openSeconds,
                                                                      String why) {
        cheap().failing(Category.SERVER);
        FakeProvider backup = plugins.add(new FakeProvider("backup", model("b", "9", "9")));
        openai();
        router = router(List.of(), 1, 60, true);

        router.modified(config(chain.split(","), threshold, openSeconds, true));
        router.chat(hello(), ModelRequirements.ANY, "e1");

        assertEquals(List.of("configuration io.mcpagent.llm.router (etc/io.mcpagent.llm.router.cfg.json) is refused: "
                + why + "; the previous settings stay in force until it is repaired"),
                router.problems().stream().map(Problem::message).toList());
        assertEquals("config", router.problems().get(0).source());
        assertEquals("io.mcpagent.llm.router", router.problems().get(0).subject());
        assertTrue(backup.calls.isEmpty(), "not the refused chain");
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"), "the threshold in force, 1");

        router.modified(config(new String[] {"backup"}, 2, 60, true));
        assertTrue(router.problems().isEmpty(), "a valid configuration clears the refusal");
    }

    @Test
    void aBadConfigurationAtTheStartLeavesTheDefaultsInForce() {
        cheap().failing(Category.SERVER);
        openai();
        DefaultLlmRouter started = router(List.of(), 0, 60, true);

        assertTrue(started.problems().get(0).message().endsWith("is refused: failureThreshold must be at least 1, "
                + "was 0; the defaults are in force until it is repaired"), started.problems().get(0).message());
        for (int call = 1; call <= 4; call++) {
            started.chat(hello(), ModelRequirements.ANY, null);
        }
        assertEquals(Circuit.CLOSED, started.circuits().get("cheap"), "four failures, below the default threshold 5");
        started.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(Circuit.OPEN, started.circuits().get("cheap"));
    }

    // ---- calls and fallback ------------------------------------------------------------------------------------

    @Test
    void setsTheChosenModelIntoTheRequest() {
        FakeProvider openai = openai();

        ChatResponse response = router.chat(hello(), ModelRequirements.ANY, "e1");

        assertEquals(List.of("gpt-4.1-mini"), openai.calls, "the caller's model is replaced by the chosen one");
        assertEquals("gpt-4.1-mini", response.model());
    }

    @Test
    void fallsBackToTheNextCandidateOnARetryableError() {
        FakeProvider cheap = cheap().failing(Category.RATE_LIMITED);
        FakeProvider openai = openai();

        ChatResponse response = router.chat(hello(), needs(Preference.COST, TOOLS), "e1");

        assertEquals("from openai-main", response.message().text());
        assertEquals("gpt-4.1-mini", response.model());
        assertEquals(List.of("nano"), cheap.calls);
        assertEquals(List.of("gpt-4.1-mini"), openai.calls);
        UsageSummary usage = router.usage("e1");
        assertEquals(2, usage.calls());
        assertEquals(1, usage.failedCalls());
        List<LlmCallEvent> calls = callEvents();
        assertEquals(2, calls.size());
        assertFalse(calls.get(0).success());
        assertEquals("cheap", calls.get(0).providerId());
        assertTrue(calls.get(0).error().startsWith("RATE_LIMITED"), calls.get(0).error());
        assertTrue(calls.get(1).success());
        assertEquals(2, calls.get(1).attempt());
        assertEquals("llm.call", calls.get(1).type());
        assertEquals(List.of(new LlmFallbackEvent(clock.instant(), "e1", "cheap", "nano", Category.RATE_LIMITED,
                "cheap says RATE_LIMITED", "openai-main", "gpt-4.1-mini", null)), fallbackEvents());
    }

    /**
     * The provider fallen back to refuses the request (a fatal error: no other is tried): the first one's failure is
     * part of why the call failed, which read as the second's alone.
     */
    @Test
    void aFatalErrorAfterAFallbackNamesTheEarlierFailureToo() {
        cheap().failing(Category.SERVER);
        openai().failing(Category.INVALID_REQUEST);

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.chat(hello(), needs(Preference.COST, TOOLS), "e1"));

        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertEquals("INVALID_REQUEST: every provider tried failed: cheap/nano: SERVER: cheap says SERVER;"
                + " openai-main/gpt-4.1-mini: INVALID_REQUEST: openai-main says INVALID_REQUEST", failure.getMessage());
    }

    /**
     * A provider answered 429 with {@code Retry-After}, as {@code ProviderHttp} treats it: the call fails at once when
     * the request accepts a shorter wait before a retry, else the provider waits (the clock moves on) and answers.
     */
    private FakeProvider.Behaviour rateLimitedRetryAfter(Duration retryAfter) {
        return (self, request, handler) -> {
            if (request.maxRetryWait() != null && retryAfter.compareTo(request.maxRetryWait()) > 0) {
                throw new ProviderException(new ProviderError(Category.RATE_LIMITED, 429, null, null,
                        self.id() + " says slow down", null, retryAfter, true, null));
            }
            clock.advance(retryAfter.toMillis());
            return self.answer(request);
        };
    }

    @Test
    void aRateLimitedProviderWithAnotherLeftFallsBackWithoutWaitingOutItsRetryAfter() {
        FakeProvider cheap = cheap().then(rateLimitedRetryAfter(Duration.ofSeconds(30)));
        FakeProvider openai = openai();
        Instant start = clock.instant();

        RoutedResponse answer = router.route(hello(), needs(Preference.COST, TOOLS), "e1", null);

        assertEquals("openai-main", answer.providerId());
        assertEquals(start, clock.instant(), "nobody waited for the 30 s");
        assertEquals(List.of(RETRY_WAIT_WITH_ALTERNATIVE), cheap.retryWaits,
                "the first choice, with another provider left, accepts only a short wait");
        assertEquals(Collections.singletonList(null), openai.retryWaits, "the last one left waits as its policy says");
        assertEquals(List.of(new LlmFallbackEvent(start, "e1", "cheap", "nano", Category.RATE_LIMITED,
                "cheap says slow down", "openai-main", "gpt-4.1-mini", null)), fallbackEvents());
    }

    @Test
    void theRetryWaitAcceptedWithAnotherProviderLeftIsASettingAppliedInPlace() {
        FakeProvider cheap = cheap().then(rateLimitedRetryAfter(Duration.ofSeconds(1)));
        openai();
        RouterConfig shorter = config(new String[0], 5, 30, true);
        when(shorter.retryWaitWithAlternativeMs()).thenReturn(500L);
        router.modified(shorter);

        RoutedResponse answer = router.route(hello(), needs(Preference.COST, TOOLS), "e1", null);

        assertEquals("openai-main", answer.providerId(), "a 1 s wait is more than the 500 ms accepted: it fell back");
        assertEquals(List.of(Duration.ofMillis(500)), cheap.retryWaits);
        assertTrue(router.problems().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"-1", "600001"})
    void aRetryWaitWithAnotherProviderLeftOutOfRangeIsRefusedAndTheOneInForceStays(long millis) {
        FakeProvider cheap = cheap().then(rateLimitedRetryAfter(Duration.ofSeconds(30)));
        openai();
        RouterConfig wrong = config(new String[0], 5, 30, true);
        when(wrong.retryWaitWithAlternativeMs()).thenReturn(millis);

        router.modified(wrong);
        router.route(hello(), needs(Preference.COST, TOOLS), "e1", null);

        // the router was started without a configuration: it has no previous settings but the defaults
        assertEquals(List.of("configuration io.mcpagent.llm.router (etc/io.mcpagent.llm.router.cfg.json) is refused: "
                + "retryWaitWithAlternativeMs must be within [0, 600000], was " + millis + "; the defaults stay"
                + " in force until it is repaired"), router.problems().stream().map(Problem::message).toList());
        assertEquals(List.of(RETRY_WAIT_WITH_ALTERNATIVE), cheap.retryWaits, "the 2 s in force");
    }

    @Test
    void aRateLimitedProviderWithNoneLeftWaitsOutItsRetryAfterAndAnswers() {
        FakeProvider cheap = cheap().then(rateLimitedRetryAfter(Duration.ofSeconds(30)));
        Instant start = clock.instant();

        RoutedResponse answer = router.route(hello(), needs(Preference.COST, TOOLS), "e1", null);

        assertEquals("cheap", answer.providerId());
        assertEquals(start.plusSeconds(30), clock.instant(), "it waited for the 30 s");
        assertEquals(Collections.singletonList(null), cheap.retryWaits);
        assertTrue(fallbackEvents().isEmpty());
    }

    @Test
    void aProviderAtTheEndOfTheChainWaitsAndOneBeforeItDoesNot() {
        FakeProvider first = plugins.add(new FakeProvider("pfirst", model("m", "1", "1")))
                .then(rateLimitedRetryAfter(Duration.ofSeconds(30)));
        FakeProvider backup = plugins.add(new FakeProvider("pbackup", model("m", "1", "1")))
                .then(rateLimitedRetryAfter(Duration.ofSeconds(30)));
        FakeProvider down = plugins.add(new FakeProvider("pdown", model("m", "1", "1")));
        down.health = PluginHealth.down("no key");
        Instant start = clock.instant();

        RoutedResponse answer = router.route(hello(), pinnedWithChain("pfirst", "pbackup", "pdown"), "e1", null);

        assertEquals("pbackup", answer.providerId());
        assertEquals(List.of(RETRY_WAIT_WITH_ALTERNATIVE), first.retryWaits);
        assertEquals(Collections.singletonList(null), backup.retryWaits,
                "the chain's rest is a provider that is DOWN: none left to go to");
        assertEquals(start.plusSeconds(30), clock.instant());
        assertTrue(down.calls.isEmpty());
    }

    @Test
    void aCallerAcceptingAShorterWaitKeepsItsOwnAndAPinnedProviderAloneKeepsTheCallers() {
        FakeProvider cheap = cheap().failing(Category.SERVER);
        FakeProvider openai = openai();

        router.route(hello().withMaxRetryWait(Duration.ofMillis(100)), needs(Preference.COST, TOOLS), null, null);
        assertThrows(ProviderException.class, () -> router.route(hello(), pinned("cheap", null), null, null));

        assertEquals(List.of(Duration.ofMillis(100)), openai.retryWaits, "the last one left keeps the caller's own");
        assertEquals(Arrays.asList(Duration.ofMillis(100), null), cheap.retryWaits,
                "the first choice keeps the caller's shorter limit; pinned without a chain, it has no alternative");
    }

    @Test
    void theFallbacksOfAnExecutionsCallsAreKeptForItsResultAndNoneOutsideExecutions() {
        cheap().failing(Category.RATE_LIMITED).failing(Category.SERVER);
        openai();

        router.chat(hello(), needs(Preference.COST, TOOLS), "e1");
        router.chat(hello(), needs(Preference.COST, TOOLS), null);

        assertEquals(List.of(new LlmFallbackEvent(clock.instant(), "e1", "cheap", "nano", Category.RATE_LIMITED,
                "cheap says RATE_LIMITED", "openai-main", "gpt-4.1-mini", null)), router.fallbacks("e1"));
        assertEquals(2, fallbackEvents().size(), "both fallbacks are published");
        assertEquals(List.of(), router.fallbacks("e2"), "another execution's calls did not fall back");
        assertEquals(List.of(), router.fallbacks(null));
    }

    @Test
    void aPinnedProviderFallsBackOnlyAlongTheChainAndTheFallbackNamesWhatFailedWhyAndWhatAnswersInstead() {
        plugins.add(new FakeProvider("pfail", model("scripted-1", "1", "1"))).then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.SERVER, "upstream 503 mid-run"));
        });
        FakeProvider backup = plugins.add(new FakeProvider("pbackup", model("scripted-1", "1", "1")));
        FakeProvider other = cheap();

        ProviderException alone = assertThrows(ProviderException.class,
                () -> router.chat(hello(), pinned("pfail", null), "e1"));
        assertEquals("SERVER: upstream 503 mid-run", alone.getMessage(), "without a chain its failure is the answer");
        assertTrue(fallbackEvents().isEmpty());

        router = router(List.of("pbackup"), 5, 30, true);
        RoutedResponse answer = router.route(hello(), pinned("pfail", null), "e2", null);

        assertEquals("pbackup", answer.providerId());
        assertEquals(2, answer.attempts());
        assertEquals(1, backup.calls.size());
        assertTrue(other.calls.isEmpty(), "a pinned call goes only where the chain says, not to the cheapest");
        LlmFallbackEvent fallback = fallbackEvents().get(0);
        assertEquals(List.of(new LlmFallbackEvent(clock.instant(), "e2", "pfail", "scripted-1", Category.SERVER,
                "upstream 503 mid-run", "pbackup", "scripted-1", "pfail")), fallbackEvents());
        assertEquals("llm.fallback", fallback.type());
        assertEquals("LLM call to pfail/scripted-1 failed (SERVER: upstream 503 mid-run); falling back to "
                + "pbackup/scripted-1 along the fallback chain of the pinned provider pfail", fallback.describe());
    }

    /** What the LLM task analyzer asks for an execution pinned to a provider: that provider and no other. */
    @Test
    void aPinnedProviderThatIsItsOwnWholeChainFallsBackNowhereEvenWithAConfiguredChain() {
        plugins.add(new FakeProvider("pfail", model("scripted-1", "1", "1"))).then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.SERVER, "upstream 503 mid-run"));
        });
        FakeProvider backup = plugins.add(new FakeProvider("pbackup", model("scripted-1", "1", "1")));
        router = router(List.of("pbackup"), 5, 30, true);

        ProviderException failed = assertThrows(ProviderException.class, () -> router.route(hello(),
                new ModelRequirements(Set.of(), 0, Preference.COST, "pfail", null, List.of("pfail")), "e3", null));

        assertEquals("SERVER: upstream 503 mid-run", failed.getMessage());
        assertTrue(backup.calls.isEmpty(), "the configured chain is not followed");
        assertTrue(fallbackEvents().isEmpty());
    }

    @Test
    void aServerErrorMarkedNotRetryableStillFallsBack() {
        cheap().then((self, request, handler) -> {
            throw new ProviderException(new ProviderError(Category.SERVER, 500, null, null, "boom", null, null, false, null));
        });
        openai();
        assertEquals("from openai-main", router.chat(hello(), ModelRequirements.ANY, null).message().text());
    }

    @Test
    void aRefusedKeyFallsBackWhenNoProviderWasNamedAndIsRankedLastUntilACallToItSucceeds() {
        FakeProvider refusing = cheap().failing(Category.AUTH).failing(Category.AUTH).answering();
        FakeProvider openai = openai();

        assertEquals("from openai-main", router.chat(hello(), ModelRequirements.ANY, null).message().text());
        assertEquals("from openai-main", router.chat(hello(), ModelRequirements.ANY, null).message().text());
        assertEquals(1, refusing.calls.size(), "the cheaper provider is not asked again after its key was refused");
        assertEquals("openai-main", router.select(ModelRequirements.ANY).providerId());
        assertEquals(Circuit.CLOSED, router.circuits().get("cheap"), "it answered: a refusal opens no circuit");

        ProviderException named = assertThrows(ProviderException.class,
                () -> router.chat(hello(), pinned("cheap", null), null));
        assertEquals(Category.AUTH, named.error().category(), "a named provider's refusal is the caller's answer");
        assertEquals(2, openai.calls.size(), "no fallback from a provider the caller named");

        router.chat(hello(), pinned("cheap", null), null);
        assertEquals("cheap", router.select(ModelRequirements.ANY).providerId(), "ranked again once it answered");
    }

    @Test
    void aRefusedProviderRegisteredAnewIsRankedAgainAndRefusalsFollowTheChain() {
        cheap().failing(Category.PERMISSION);
        openai();
        FakeProvider backup = plugins.add(new FakeProvider("backup", model("b", "9", "9")));
        router = router(List.of("backup"), 5, 30, true);

        assertEquals("from backup", router.chat(hello(), ModelRequirements.ANY, null).message().text());
        assertEquals("openai-main", router.select(ModelRequirements.ANY).providerId());
        assertEquals(1, backup.calls.size());

        cheap(); // its configuration changed: a new registration under the same id
        assertEquals("cheap", router.select(ModelRequirements.ANY).providerId());
    }

    @Test
    void aProviderRankedLastIsShownWithSinceWhenAndTheLatestRefusalUntilACallToItSucceeds() {
        Instant firstRefusal = clock.instant();
        FakeProvider refusing = cheap().then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.AUTH,
                    "Incorrect API key provided: sk-abcdefghijklmnopqrstuvwxyz123456"));
        }).failing(Category.QUOTA_EXHAUSTED).answering();
        openai();
        assertEquals(Map.of(), router.rankedLast(), "nothing refused yet");

        router.chat(hello(), ModelRequirements.ANY, null);

        assertEquals(Map.of("cheap", new ProviderRefusal(firstRefusal, Category.AUTH,
                "Incorrect API key provided: [redacted]")), router.rankedLast(), "when, the category, and why, "
                + "without the key the provider quoted");

        clock.advance(60_000);
        assertThrows(ProviderException.class, () -> router.chat(hello(), pinned("cheap", null), null));
        assertEquals(Map.of("cheap", new ProviderRefusal(firstRefusal, Category.QUOTA_EXHAUSTED,
                "cheap says QUOTA_EXHAUSTED")), router.rankedLast(), "ranked last since the first refusal, for the "
                + "latest reason");

        router.chat(hello(), pinned("cheap", null), null);
        assertEquals(Map.of(), router.rankedLast(), "a call that succeeded ends it");
        assertEquals(3, refusing.calls.size());
    }

    @Test
    void aRefusedProviderRegisteredAnewIsNoLongerShownRankedLast() {
        cheap().failing(Category.PERMISSION);
        openai();
        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(Set.of("cheap"), router.rankedLast().keySet());

        cheap(); // its configuration changed: a new registration under the same id
        assertEquals(Map.of(), router.rankedLast());
    }

    @Test
    void anExhaustedQuotaFallsBackAndCountsTowardsTheCircuit() {
        FakeProvider exhausted = cheap().failing(Category.QUOTA_EXHAUSTED);
        openai();
        router.modified(config(new String[0], 1, 60, true));

        assertEquals("from openai-main", router.chat(hello(), ModelRequirements.ANY, null).message().text());
        assertEquals(1, exhausted.calls.size());
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"), "no more calls to a provider out of quota");
    }

    @Test
    void cancellationIsNotFallenBackFrom() {
        cheap().failing(Category.CANCELLED);
        FakeProvider openai = openai();

        ProviderException cancelled = assertThrows(ProviderException.class,
                () -> router.chat(hello(), ModelRequirements.ANY, null));

        assertEquals(Category.CANCELLED, cancelled.error().category());
        assertTrue(openai.calls.isEmpty());
    }

    @Test
    void anInterruptedCallerIsCancelledBeforeAnyProviderIsCalled() {
        FakeProvider openai = openai();
        Thread.currentThread().interrupt();
        try {
            ProviderException cancelled = assertThrows(ProviderException.class,
                    () -> router.chat(hello(), ModelRequirements.ANY, null));
            assertEquals(Category.CANCELLED, cancelled.error().category());
        } finally {
            Thread.interrupted();
        }
        assertTrue(openai.calls.isEmpty());
    }

    @Test
    void followsTheRequestedChainThenTheConfiguredOne() {
        cheap().failing(Category.OVERLOADED);
        FakeProvider openai = openai();
        FakeProvider backup = plugins.add(new FakeProvider("backup", model("b", "9", "9")));

        router.chat(hello(), chain("backup", "openai-main"), null);
        assertEquals(1, backup.calls.size(), "the chain's order, not the ranking");
        assertTrue(openai.calls.isEmpty());

        router = router(List.of("backup"), 5, 30, true);
        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(2, backup.calls.size(), "the configured chain");
        assertTrue(openai.calls.isEmpty());
    }

    @Test
    void whenEveryProviderFailsTheLastErrorIsThrownWithAllFailuresNamed() {
        cheap().failing(Category.RATE_LIMITED);
        openai().failing(Category.TIMEOUT);

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.chat(hello(), ModelRequirements.ANY, "e9"));

        assertEquals(Category.TIMEOUT, failure.error().category());
        assertTrue(failure.getMessage().contains("cheap/nano: RATE_LIMITED"), failure.getMessage());
        assertTrue(failure.getMessage().contains("openai-main/gpt-4.1-mini: TIMEOUT"), failure.getMessage());
        assertEquals(2, router.usage("e9").failedCalls());
    }

    @Test
    void whenTheOnlyProviderTriedFailsItsOwnErrorIsThrown() {
        cheap().then((self, request, handler) -> {
            throw new ProviderException(new ProviderError(Category.SERVER, 500, null, null,
                    "provider 'cheap': HTTP 500", null, null, true, null));
        });

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.chat(hello(), ModelRequirements.ANY, null));

        assertEquals("SERVER: provider 'cheap': HTTP 500", failure.getMessage(), "not wrapped in a list of one");
        assertEquals(500, failure.error().httpStatus());
    }

    @Test
    void aProviderRemovedMidCallFailsThatCallCleanlyAndTheNextGoesElsewhere() {
        FakeProvider cheap = cheap().then((self, request, handler) -> {
            plugins.remove("cheap");
            throw new IllegalStateException("HTTP client closed");
        });
        FakeProvider openai = openai();

        ChatResponse first = router.chat(hello(), ModelRequirements.ANY, "e1");
        assertEquals("from openai-main", first.message().text());
        LlmCallEvent gone = callEvents().get(0);
        assertFalse(gone.success());
        assertEquals("SERVER: LLM provider 'cheap' is gone: it went away during the call (its configuration was edited"
                + " or deleted, or its bundle stopped) (HTTP client closed)", gone.error(),
                "no class name in the message");

        router.chat(hello(), ModelRequirements.ANY, "e1");
        assertEquals(1, cheap.calls.size());
        assertEquals(2, openai.calls.size());
        assertEquals(Circuit.CLOSED, router.circuits().get("cheap"), "leaving is not a failure of the provider");
    }

    @Test
    void aProviderRemovedMidCallWithNowhereElseToGoFailsNamingIt() {
        cheap().then((self, request, handler) -> {
            plugins.remove("cheap");
            throw new NullPointerException();
        });

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.chat(hello(), ModelRequirements.ANY, null));

        assertTrue(failure.getMessage().endsWith("LLM provider 'cheap' is gone: it went away during the call (its"
                + " configuration was edited or deleted, or its bundle stopped) (NullPointerException)"),
                failure.getMessage());
        assertEquals(DefaultLlmRouter.PROVIDER_GONE, failure.error().providerCode());
    }

    @Test
    void anUnexpectedExceptionFromARegisteredProviderCountsAsAServerError() {
        cheap().then((self, request, handler) -> {
            throw new IllegalArgumentException("bug");
        });
        openai();

        assertEquals("from openai-main", router.chat(hello(), ModelRequirements.ANY, null).message().text());
        assertTrue(callEvents().get(0).error().startsWith("SERVER: provider 'cheap' failed unexpectedly"));
    }

    @Test
    void anErrorThrownByAProviderCountsAsAServerErrorAndFallsBack() {
        cheap().then((self, request, handler) -> {
            throw new StackOverflowError("recursed");
        });
        openai();

        assertEquals("from openai-main", router.chat(hello(), ModelRequirements.ANY, null).message().text());
        assertTrue(callEvents().get(0).error().startsWith("SERVER: provider 'cheap' failed unexpectedly: "
                + "java.lang.StackOverflowError: recursed"), callEvents().get(0).error());
    }

    @Test
    void aProviderListingANullModelIsLeftOutSayingSo() {
        plugins.add(new FakeProvider("sloppy", model("ok", "0.10", "0.40", TOOLS), null));
        openai();

        assertEquals("openai-main", router.select(ModelRequirements.ANY).providerId());
        String unlisted = notFound(pinned("sloppy", null)).getMessage();
        assertTrue(unlisted.contains("sloppy (its list of models has a null entry)"), unlisted);
    }

    @Test
    void aProviderThrowingAnErrorWhenListingItsModelsIsLeftOut() {
        cheap().modelsFailure = new StackOverflowError("recursed");
        openai();

        assertEquals("openai-main", router.select(ModelRequirements.ANY).providerId());
        String unlisted = notFound(pinned("cheap", null)).getMessage();
        assertTrue(unlisted.contains("cheap (it failed to list its models: java.lang.StackOverflowError: recursed)"),
                unlisted);
    }

    // ---- a request too long for the model ------------------------------------------------------------------------

    @Test
    void aRequestTooLongForTheModelGoesToOneOfALargerContextOnly() {
        FakeProvider small = plugins.add(new FakeProvider("small", model("s-8k", 8_000, "0.10", "0.40")))
                .failing(Category.CONTEXT_LENGTH);
        FakeProvider same = plugins.add(new FakeProvider("same", model("same-8k", 8_000, "0.20", "0.80")));
        FakeProvider large = plugins.add(new FakeProvider("large", model("l-8k", 8_000, "0.30", "1.00"),
                model("l-200k", 200_000, "3.00", "15.00")));

        RoutedResponse answer = router.route(hello(), ModelRequirements.ANY, "c1", null);

        assertEquals("large", answer.providerId());
        assertEquals("l-200k", answer.model(), "the cheapest model of a larger context, not the next cheapest");
        assertTrue(same.calls.isEmpty(), "a model of the same context would refuse it the same way");
        assertEquals(List.of("l-200k"), large.calls);
        assertEquals(List.of("s-8k"), small.calls, "called once, not again");
        assertEquals(Category.CONTEXT_LENGTH, fallbackEvents().get(0).category());
        assertEquals("l-200k", fallbackEvents().get(0).nextModel());
        assertFalse(router.requestTooLong("c1"));
    }

    @Test
    void afterARequestTooLongOnlyAModelOfALargerContextIsAnAlternativeThatShortensTheRetryWait() {
        FakeProvider small = plugins.add(new FakeProvider("small", model("s-8k", 8_000, "0.10", "0.40")))
                .failing(Category.CONTEXT_LENGTH);
        plugins.add(new FakeProvider("same", model("same-8k", 8_000, "0.20", "0.80")));
        FakeProvider large = plugins.add(new FakeProvider("large", model("l-200k", 200_000, "3.00", "15.00")));

        assertEquals("large", router.route(hello(), ModelRequirements.ANY, "c5", null).providerId());

        assertEquals(List.of(RETRY_WAIT_WITH_ALTERNATIVE), small.retryWaits, "then 'same' and 'large' were left");
        assertEquals(Collections.singletonList(null), large.retryWaits, "'same' is no alternative once the request"
                + " was too long for 8000 tokens: the router would not call it, so 'large' waits as its policy says");

        FakeProvider huge = plugins.add(new FakeProvider("huge", model("h-1m", 1_000_000, "9.00", "30.00")));
        assertEquals("large", router.route(hello(), ModelRequirements.ANY, "c6", null).providerId(), "the cheaper one");
        assertEquals(RETRY_WAIT_WITH_ALTERNATIVE, large.retryWaits.get(1), "with 'huge' left, of a larger context");
        assertTrue(huge.calls.isEmpty());
    }

    @Test
    void aRequestTooLongForEveryFittingModelFailsAtOnceSayingSo() {
        FakeProvider small = plugins.add(new FakeProvider("small", model("s-8k", 8_000, "0.10", "0.40")))
                .failing(Category.CONTEXT_LENGTH);
        FakeProvider same = plugins.add(new FakeProvider("same", model("same-8k", 8_000, "0.20", "0.80")));

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.route(hello(), ModelRequirements.ANY, "c2", null));

        assertEquals(Category.CONTEXT_LENGTH, failure.error().category());
        assertFalse(failure.error().retryable());
        assertEquals("CONTEXT_LENGTH: the request is too long for small/s-8k (a context window of 8000 tokens), and no"
                + " fitting model with a larger one is configured: small says CONTEXT_LENGTH", failure.getMessage());
        assertEquals(List.of("s-8k"), small.calls);
        assertTrue(same.calls.isEmpty(), "not called: its context is no larger");
        assertTrue(fallbackEvents().isEmpty());
        assertTrue(router.requestTooLong("c2"), "so that no one sends the same request again");
        assertFalse(router.requestTooLong("other"));
        assertEquals(Circuit.CLOSED, router.circuits().get("small"), "the provider answered: it is reachable");
    }

    @Test
    void aPinnedModelTooSmallFailsAtOnceAPinnedProviderTriesItsLargerModel() {
        FakeProvider small = plugins.add(new FakeProvider("small", model("s-8k", 8_000, "0.10", "0.40"),
                model("s-1m", 1_000_000, "1.00", "4.00"))).failing(Category.CONTEXT_LENGTH)
                .failing(Category.CONTEXT_LENGTH).answering();

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.route(hello(), pinned("small", "s-8k"), "c3", null));
        assertEquals(Category.CONTEXT_LENGTH, failure.error().category());
        assertEquals(List.of("s-8k"), small.calls, "the pinned model only");

        RoutedResponse answer = router.route(hello(), pinned("small", null), "c4", null);
        assertEquals("s-1m", answer.model(), "pinned without a model, its model of a larger context answers");
        assertEquals(List.of("s-8k", "s-8k", "s-1m"), small.calls);
    }

    // ---- circuit breaker -----------------------------------------------------------------------------------------

    @Test
    void consecutiveRetryableFailuresOpenTheCircuitWhichHalfOpensAndClosesOnSuccess() {
        router = router(List.of(), 2, 30, true);
        FakeProvider cheap = cheap().failing(Category.SERVER).failing(Category.SERVER).answering();
        FakeProvider openai = openai();

        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(Circuit.CLOSED, router.circuits().get("cheap"));
        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"));
        assertEquals(Circuit.CLOSED, router.circuits().get("openai-main"));

        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(2, cheap.calls.size(), "not called while open");
        assertEquals(3, openai.calls.size());
        assertEquals("openai-main", router.select(ModelRequirements.ANY).providerId());

        clock.advance(29_000);
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"));
        clock.advance(1_000);
        assertEquals(Circuit.HALF_OPEN, router.circuits().get("cheap"));

        ChatResponse trial = router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals("from cheap", trial.message().text());
        assertEquals(Circuit.CLOSED, router.circuits().get("cheap"));
    }

    /**
     * A provider registered anew (its file mended, its bundle restarted) starts with a closed circuit, as its refusals
     * start afresh: before, the circuit its old settings had opened kept it out ("every provider with a fitting model
     * is unavailable: cheap (circuit open ...)") until it half-opened.
     */
    @Test
    void aProviderRegisteredAnewStartsWithAClosedCircuit() {
        router = router(List.of(), 2, 30, true);
        cheap().failing(Category.SERVER).failing(Category.SERVER);
        openai();
        router.chat(hello(), ModelRequirements.ANY, null);
        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"));

        FakeProvider mended = cheap().answering(); // a new registration: a new service id
        assertEquals(Circuit.CLOSED, router.circuits().get("cheap"));
        assertEquals("cheap", router.select(ModelRequirements.ANY).providerId());
        assertEquals("from cheap", router.chat(hello(), ModelRequirements.ANY, null).message().text());
        assertEquals(1, mended.calls.size());
    }

    @Test
    void aFirstChoiceLeftOutForItsOpenCircuitIsSaidAsAFallbackFromIt() {
        router = router(List.of(), 1, 30, true);
        FakeProvider cheap = cheap().failing(Category.SERVER);
        openai();
        router.chat(hello(), needs(Preference.COST, TOOLS), "e1"); // opens cheap's circuit
        clock.advance(12_000);
        events.clear();

        RoutedResponse answer = router.route(hello(), needs(Preference.COST, TOOLS), "e2", null);

        assertEquals("openai-main", answer.providerId());
        assertEquals(1, answer.attempts(), "nothing was called before");
        assertEquals(1, cheap.calls.size(), "not called while open");
        LlmFallbackEvent skipped = new LlmFallbackEvent(clock.instant(), "e2", "cheap", "nano", Category.OVERLOADED,
                "circuit open after 1 consecutive failures, half-opens in 18 s; not called", "openai-main",
                "gpt-4.1-mini", null);
        assertEquals(List.of(skipped), fallbackEvents());
        assertEquals(List.of(skipped), router.fallbacks("e2"), "so the execution's result warns of it");
        assertEquals("LLM call to cheap/nano failed (OVERLOADED: circuit open after 1 consecutive failures, half-opens"
                + " in 18 s; not called); falling back to openai-main/gpt-4.1-mini", skipped.describe());
    }

    /**
     * An answer without usage (Bedrock's stream without its metadata frame, a compatible server without {@code usage})
     * counted 0 tokens and 0 USD without a word, so budgets did not bound its calls; it is logged once per model.
     */
    @Test
    void anAnswerWithoutUsageIsLoggedOncePerProviderModel() {
        FakeProvider openai = openai();
        openai.usage = Usage.NONE;
        List<String> log;
        try (LogCapture capture = new LogCapture(DefaultLlmRouter.class)) {
            router.chat(hello(), ModelRequirements.ANY, "e1");
            router.chat(hello(), ModelRequirements.ANY, "e2");
            openai.usage = Usage.of(10, 5);
            router.chat(hello(), ModelRequirements.ANY, "e3");
            log = capture.lines();
        }
        List<String> warned = log.stream().filter(line -> line.contains("without token usage")).toList();
        assertEquals(1, warned.size(), log.toString());
        assertTrue(warned.get(0).contains("LLM provider 'openai-main' answered for model gpt-4.1-mini without token"
                + " usage: its calls count 0 tokens and 0 USD in budgets and /providers/usage"), warned.get(0));
    }

    @Test
    void anOpenCircuitIsSaidOncePerExecutionAndLoggedOncePerOpeningAndItsClosingToo() {
        router = router(List.of(), 1, 30, true);
        cheap().then((self, request, handler) -> {
            clock.advance(1_500);
            throw new ProviderException(ProviderError.of(Category.SERVER, "upstream 503"));
        }).answering();
        openai();
        List<String> log;
        try (LogCapture capture = new LogCapture(DefaultLlmRouter.class)) {
            router.chat(hello(), needs(Preference.COST, TOOLS), "e1"); // cheap fails and its circuit opens
            for (int i = 0; i < 5; i++) {
                router.chat(hello(), needs(Preference.COST, TOOLS), "e2");
            }
            for (int i = 0; i < 3; i++) {
                router.chat(hello(), needs(Preference.COST, TOOLS), "e3");
            }
            router.chat(hello(), needs(Preference.COST, TOOLS), null);
            clock.advance(30_000);
            router.chat(hello(), needs(Preference.COST, TOOLS), "e3"); // the trial call, answered
            log = capture.lines();
        }

        assertEquals(Duration.ofMillis(1_500), router.fallbacks("e1").get(0).duration(),
                "the failed call's time, not 0 ms");
        assertEquals(1, router.fallbacks("e2").size(), "one step for the execution's five skipped calls");
        assertEquals(Duration.ZERO, router.fallbacks("e2").get(0).duration(), "a skipped provider was not called");
        assertEquals(1, router.fallbacks("e3").size(), "and one for each execution");
        assertEquals(4, fallbackEvents().size(), "e1's fallback, e2's and e3's skip, and the call outside executions");
        assertEquals(1, log.stream().filter(line -> line.contains("opened after 1 consecutive")).count(), log.toString());
        assertEquals(List.of("LLM call to cheap/nano failed (OVERLOADED: circuit open after 1 consecutive failures,"
                        + " half-opens in 30 s; not called); falling back to openai-main/gpt-4.1-mini; further calls skip"
                        + " it without a word until its circuit closes"),
                log.stream().filter(line -> line.contains("not called")).toList(), "the skips logged once");
        assertEquals(1, log.stream().filter(line -> line.equals("circuit of LLM provider 'cheap' closed: a call to it"
                + " was answered; calls go to it again")).count(), log.toString());
    }

    @Test
    void aPinnedProviderWhoseCircuitIsOpenGoesAlongItsChain() {
        router = router(List.of(), 1, 30, true);
        FakeProvider pinnedOne = plugins.add(new FakeProvider("pfail", model("m", "1", "1"))).failing(Category.SERVER);
        FakeProvider backup = plugins.add(new FakeProvider("pbackup", model("m", "1", "1")));
        router.route(hello(), pinnedWithChain("pfail", "pbackup"), "e1", null); // opens pfail's circuit
        events.clear();

        RoutedResponse answer = router.route(hello(), pinnedWithChain("pfail", "pbackup"), "e2", null);

        assertEquals("pbackup", answer.providerId());
        assertEquals(1, pinnedOne.calls.size(), "not called while open");
        assertEquals(2, backup.calls.size());
        assertEquals(List.of(new LlmFallbackEvent(clock.instant(), "e2", "pfail", "m", Category.OVERLOADED,
                "circuit open after 1 consecutive failures, half-opens in 30 s; not called", "pbackup", "m", "pfail")),
                fallbackEvents());
    }

    /**
     * Its bundle stopped between two model calls of an execution: the next call failed NOT_FOUND, though one under
     * way as it went falls back along the chain (provider-gone).
     */
    @Test
    void aPinnedProviderThatLeftBetweenTwoCallsGoesAlongItsChain() {
        FakeProvider gone = plugins.add(new FakeProvider("pgone", model("m", "1", "1")));
        FakeProvider backup = plugins.add(new FakeProvider("pbackup", model("m2", "1", "1"))).answering()
                .failing(Category.SERVER);
        assertEquals("pgone", router.route(hello(), pinnedWithChain("pgone", "pbackup"), "e1", null).providerId());
        plugins.remove("pgone");
        events.clear();

        RoutedResponse answer = router.route(hello(), pinnedWithChain("pgone", "pbackup"), "e1", null);

        assertEquals("pbackup", answer.providerId());
        assertEquals(1, gone.calls.size());
        assertEquals(1, backup.calls.size());
        String why = "LLM provider 'pgone' is gone: it is not registered (its bundle stopped or its configuration was"
                + " removed)";
        assertEquals(List.of(new LlmFallbackEvent(clock.instant(), "e1", "pgone", DefaultLlmRouter.UNKNOWN_MODEL,
                Category.SERVER, why, "pbackup", "m2", "pgone")), fallbackEvents());
        assertEquals("SERVER: every provider tried failed: pgone: skipped, " + why + "; pbackup/m2: SERVER: pbackup"
                + " says SERVER", assertThrows(ProviderException.class, () -> router.route(hello(),
                pinnedWithChain("pgone", "pbackup"), "e1", null).providerId(), "after its chain").getMessage());
        ProviderException alone = assertThrows(ProviderException.class,
                () -> router.route(hello(), pinned("pgone", null), "e1", null));
        assertEquals("NOT_FOUND: provider 'pgone' is not registered; registered providers: pbackup", alone.getMessage(),
                "without a chain it goes nowhere else");
        assertEquals("NOT_FOUND: provider 'typo' is not registered; registered providers: pbackup",
                assertThrows(ProviderException.class, () -> router.route(hello(), pinnedWithChain("typo", "pbackup"),
                        "e1", null)).getMessage(), "one never called did not leave: its chain does not answer for it");
    }

    @Test
    void selectingForAPinnedProviderThatLeftSinceItsLastCallNamesTheChainsProviderTheCallWouldGoTo() {
        plugins.add(new FakeProvider("pgone", model("m", "1", "1")));
        plugins.add(new FakeProvider("pbackup", model("m2", "1", "1")));
        router.route(hello(), pinnedWithChain("pgone", "pbackup"), "e1", null);
        plugins.remove("pgone");

        ModelChoice choice = router.select(pinnedWithChain("pgone", "pbackup"));

        assertEquals("pbackup", choice.providerId(), "where the call goes: " + choice.reason());
        assertEquals("pbackup", router.route(hello(), pinnedWithChain("pgone", "pbackup"), "e2", null).providerId());
        assertTrue(choice.reason().endsWith("; along the fallback chain, as the pinned provider pgone is not"
                + " registered (it left since its last call)"), choice.reason());
        assertEquals("NOT_FOUND: provider 'pgone' is not registered; registered providers: pbackup",
                assertThrows(ProviderException.class, () -> router.select(pinned("pgone", null))).getMessage(),
                "without a chain a call goes nowhere else");
        assertThrows(ProviderException.class, () -> router.select(pinnedWithChain("typo", "pbackup")),
                "one never called did not leave");
    }

    /**
     * A call the router has no choice of its own for goes along the chain; when no provider of the chain fits either,
     * the NOT_FOUND gave the first choice's reason only, though each provider of the chain was looked at. It names
     * each of them and why it did not fit, one short clause each; the call's selection says the same.
     */
    @Test
    void whenNoProviderOfTheChainFitsEitherTheNotFoundNamesEachAndWhy() {
        router = router(List.of("script", "nobody", "keyless", "unlisted", "tiny"), 5, 30, true);
        plugins.add(new FakeProvider("text-only", model("t", "1", "1")));
        plugins.addScripted(new FakeProvider("script", model("scripted-1", "0", "0")));
        plugins.add(new FakeProvider("keyless", model("k", "1", "1", TOOLS))).health =
                PluginHealth.down("no API key: set KEYLESS_API_KEY");
        plugins.add(new FakeProvider("unlisted")).health =
                PluginHealth.down("misconfigured (etc/u.cfg.json): no model");
        plugins.add(new FakeProvider("tiny", model("small", 4000, "1", "1", TOOLS)));
        ModelRequirements tools = new ModelRequirements(Set.of(TOOLS), 8000, Preference.COST, null, null, List.of());
        String chain = "; along the fallback chain none fits either: script (no model has tools), nobody (not"
                + " registered), keyless (DOWN: no API key: set KEYLESS_API_KEY), unlisted (it lists no models; DOWN:"
                + " misconfigured (etc/u.cfg.json): no model), tiny (no model with tools has a context window of at"
                + " least 8000 tokens)";

        ProviderException routed = assertThrows(ProviderException.class,
                () -> router.route(hello(), tools, "e1", null));

        assertEquals(Category.NOT_FOUND, routed.error().category());
        assertTrue(routed.getMessage().startsWith("NOT_FOUND: no model fits (tools; context >= 8000): "),
                routed.getMessage());
        assertTrue(routed.getMessage().endsWith(chain), routed.getMessage());
        assertTrue(notFound(tools).getMessage().endsWith(chain), "select says the same");

        // a pinned provider that left since its last call: its chain cannot call tools either
        plugins.add(new FakeProvider("pgone", model("g", "1", "1", TOOLS)));
        router.route(hello(), pinned("pgone", null), "e1", null);
        plugins.remove("pgone");
        ModelRequirements pinnedTools = new ModelRequirements(Set.of(TOOLS), 0, Preference.COST, "pgone", null,
                List.of("script"));
        ProviderException left = assertThrows(ProviderException.class,
                () -> router.route(hello(), pinnedTools, "e1", null));
        assertTrue(left.getMessage().startsWith("NOT_FOUND: provider 'pgone' is not registered; registered"
                + " providers: "), left.getMessage());
        assertTrue(left.getMessage().endsWith("; along the fallback chain none fits either: script (no model has"
                + " tools)"), left.getMessage());
        assertEquals(left.getMessage(), notFound(pinnedTools).getMessage());
        String alone = router(List.of(), 5, 30, true).select(needs(Preference.COST)).providerId();
        assertEquals("text-only", alone, "a call that fits goes to the router's own choice");
    }

    @Test
    void selectingForAPinnedProviderWhoseCircuitIsOpenNamesTheChainsProviderTheCallWouldGoTo() {
        router = router(List.of("pbackup"), 1, 30, true);
        plugins.add(new FakeProvider("pfail", model("m", "1", "1"))).failing(Category.SERVER);
        plugins.add(new FakeProvider("pbackup", model("m", "1", "1")));
        router.route(hello(), pinned("pfail", null), "e1", null); // opens pfail's circuit

        ModelChoice choice = router.select(pinned("pfail", null));

        assertEquals("pbackup", choice.providerId(), "where the call goes: " + choice.reason());
        assertEquals("pbackup", router.route(hello(), pinned("pfail", null), "e2", null).providerId());
        assertTrue(choice.reason().endsWith("; along the fallback chain, as pfail/m is left out (circuit open after 1"
                + " consecutive failures, half-opens in 30 s)"), choice.reason());
    }

    @Test
    void selectingForAPinnedProviderWhoseCircuitIsOpenWithoutAChainFindsNothing() {
        router = router(List.of(), 1, 30, true);
        plugins.add(new FakeProvider("pfail", model("m", "1", "1"))).failing(Category.SERVER);
        plugins.add(new FakeProvider("other", model("m", "1", "1")));
        assertThrows(ProviderException.class, () -> router.route(hello(), pinned("pfail", null), "e1", null));

        assertEquals(Category.NOT_FOUND, notFound(pinned("pfail", null)).error().category(),
                "a pinned call goes nowhere else without a chain");
    }

    @Test
    void aPinnedProviderWhoseCircuitIsOpenAndWhoseChainFailsNamesBoth() {
        router = router(List.of(), 1, 30, true);
        plugins.add(new FakeProvider("pfail", model("m", "1", "1"))).failing(Category.SERVER);
        plugins.add(new FakeProvider("pbackup", model("m", "1", "1"))).answering().failing(Category.SERVER);
        router.route(hello(), pinnedWithChain("pfail", "pbackup"), "e1", null); // opens pfail's circuit

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.route(hello(), pinnedWithChain("pfail", "pbackup"), "e2", null));

        assertEquals("SERVER: every provider tried failed: pfail/m: skipped, circuit open after 1 consecutive failures,"
                + " half-opens in 30 s; pbackup/m: SERVER: pbackup says SERVER", failure.getMessage());
    }

    @Test
    void anOpenCircuitOfAProviderRankedAfterTheFirstChoiceIsNotSaid() {
        router = router(List.of(), 1, 30, true);
        cheap();
        openai().failing(Category.SERVER);
        router.chat(hello(), needs(Preference.QUALITY, TOOLS), "e1"); // opens openai-main's circuit, cheap answers
        events.clear();

        assertEquals("cheap", router.route(hello(), needs(Preference.COST, TOOLS), "e2", null).providerId());

        assertTrue(fallbackEvents().isEmpty(), "the cheapest is the first choice, open circuit elsewhere or not");
    }

    @Test
    void aFailedTrialOpensTheCircuitAgain() {
        router = router(List.of(), 1, 10, true);
        FakeProvider cheap = cheap().failing(Category.NETWORK);
        openai();

        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"));
        clock.advance(10_000);
        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(2, cheap.calls.size(), "the trial call");
        assertEquals(Circuit.OPEN, router.circuits().get("cheap"));
        clock.advance(9_000);
        router.chat(hello(), ModelRequirements.ANY, null);
        assertEquals(2, cheap.calls.size(), "open for the full time again");
    }

    @Test
    void nonRetryableErrorsDoNotCountTowardsTheCircuit() {
        router = router(List.of(), 2, 30, true);
        cheap().failing(Category.SERVER).failing(Category.INVALID_REQUEST).failing(Category.SERVER).answering();
        openai();

        router.chat(hello(), ModelRequirements.ANY, null);
        ProviderException invalid = assertThrows(ProviderException.class,
                () -> router.chat(hello(), ModelRequirements.ANY, null));
        assertEquals(Category.INVALID_REQUEST, invalid.error().category());
        router.chat(hello(), ModelRequirements.ANY, null);

        assertEquals(Circuit.CLOSED, router.circuits().get("cheap"), "the answer in between reset the count");
    }

    @Test
    void whenOnlyOpenCircuitsStandInTheWayTheCallIsOverloadedWithARetryHint() {
        router = router(List.of(), 1, 30, true);
        cheap().failing(Category.SERVER);
        assertThrows(ProviderException.class, () -> router.chat(hello(), ModelRequirements.ANY, null));

        ProviderException overloaded = assertThrows(ProviderException.class,
                () -> router.chat(hello(), ModelRequirements.ANY, null));

        assertEquals(Category.OVERLOADED, overloaded.error().category());
        assertTrue(overloaded.error().retryable());
        assertEquals(Duration.ofSeconds(30), overloaded.error().retryAfter());
        assertTrue(overloaded.getMessage().contains("cheap (circuit open after 1 consecutive failures, half-opens in 30 s)"),
                overloaded.getMessage());
        ProviderException notFound = notFound(ModelRequirements.ANY);
        assertEquals(Duration.ofSeconds(30), notFound.error().retryAfter(), "select says NOT_FOUND, and until when");
        assertNull(notFound(needs(Preference.COST, STRUCTURED_OUTPUT)).error().retryAfter(),
                "nothing has structured output, open circuit or not: nothing to wait for");
    }

    // ---- usage and cost ------------------------------------------------------------------------------------------

    @Test
    void negativeTokenCountsAndPricesOfAProviderCountAsNothing() {
        FakeProvider negative = plugins.add(new FakeProvider("negative", model("neg", "-3", "-7", TOOLS)));
        negative.usage = new Usage(-1000, -5, 0, 2000, -1, 0, null);

        RoutedResponse routed = router.route(hello(), ModelRequirements.ANY, "e1", null);

        assertEquals(new Usage(0, 0, 0, 2000, 0, 0, null), routed.response().usage());
        assertEquals(0, BigDecimal.ZERO.compareTo(routed.cost()), routed.cost().toPlainString());
        assertEquals(2000, router.usage("e1").usage().totalTokens(), "the execution's total keeps the output tokens");
    }

    @Test
    void aThirdPartysPriceOutOfRangeCountsAsNoPriceSoNoCostGrowsBeyondWhatTheHistoryStores() {
        // our providers refuse such prices in their configuration; a plugin of another's may still list them
        plugins.add(new FakeProvider("huge", model("dear", "1e300", "1e999999999", TOOLS)));
        plugins.add(new FakeProvider("tiny", model("fine", "1e-999999999", "1", TOOLS)));
        cheap();

        ModelChoice cheapest = router.select(ModelRequirements.ANY);
        RoutedResponse dear = router.route(hello(), pinned("huge", null), "e1", null);
        RoutedResponse fine = router.route(hello(), pinned("tiny", null), "e1", null);

        assertEquals("nano", cheapest.model(), "a price out of range is unknown, ranked after the known ones");
        assertEquals(0, BigDecimal.ZERO.compareTo(dear.cost()), Amounts.text(dear.cost()));
        // 1000 input tokens at no price, 500 output tokens at 1 per million
        assertEquals(0, new BigDecimal("0.0005").compareTo(fine.cost()), Amounts.text(fine.cost()));
        assertTrue(router.usage("e1").cost().precision() < 30, Amounts.text(router.usage("e1").cost()));
    }

    @Test
    void routeSaysWhoAnsweredAfterHowManyAttemptsAndAtWhatCost() {
        cheap().failing(Category.SERVER);
        openai().usage = Usage.of(1000, 500);

        RoutedResponse routed = router.route(hello(), ModelRequirements.ANY, "e1", null);

        assertEquals("openai-main", routed.providerId());
        assertEquals("gpt-4.1-mini", routed.model());
        assertEquals(2, routed.attempts(), "the cheap provider failed first");
        assertEquals(0, new BigDecimal("0.0012").compareTo(routed.cost()), routed.cost().toPlainString());
        assertEquals("from openai-main", routed.response().message().text());
    }

    @Test
    void tokenCountsOutOfRangeAreCountedWithinItSoCostsAndSumsCannotGoNegative() {
        openai().usage = new Usage(10, 0, 0, -1_000_000_000, 0, 0, Map.of());
        RoutedResponse negative = router.route(hello(), pinned("openai-main", null), "e1", null);
        assertEquals(0, negative.response().usage().outputTokens(), "a negative count is none");
        assertEquals(10, negative.response().usage().inputTokens());
        assertTrue(negative.cost().signum() >= 0, negative.cost().toPlainString());

        openai().usage = new Usage(Long.MAX_VALUE, 0, 0, Long.MAX_VALUE, 0, 0, Map.of());
        router.chat(hello(), pinned("openai-main", null), "e1");
        router.chat(hello(), pinned("openai-main", null), "e1");

        UsageSummary e1 = router.usage("e1");
        assertEquals(10 + 2 * Usage.MAX_COUNTED_TOKENS, e1.usage().inputTokens());
        assertEquals(2 * Usage.MAX_COUNTED_TOKENS, e1.usage().outputTokens());
        assertTrue(e1.usage().totalTokens() > 0, "the sum did not overflow");
        assertTrue(e1.cost().signum() > 0, e1.cost().toPlainString());
        assertTrue(callEvents().stream().allMatch(event -> event.cost().signum() >= 0
                && event.usage().outputTokens() >= 0), "the llm.call events are counted the same way");
    }

    @Test
    void sumsUsageAndCostPerExecutionAndPerProvider() {
        openai().usage = Usage.of(1000, 500);
        FakeProvider unpriced = plugins.add(new FakeProvider("unpriced", model("m", null, null)));
        unpriced.usage = Usage.of(10, 10);

        router.chat(hello(), ModelRequirements.ANY, "e1");
        router.chat(hello(), ModelRequirements.ANY, "e1");
        router.chat(hello(), ModelRequirements.ANY, "e2");
        router.chat(hello(), pinned("unpriced", null), "e2");
        router.chat(hello(), ModelRequirements.ANY, null);

        UsageSummary e1 = router.usage("e1");
        assertEquals(2, e1.calls());
        assertEquals(0, e1.failedCalls());
        assertEquals(2000, e1.usage().inputTokens());
        assertEquals(1000, e1.usage().outputTokens());
        // 1000 x 0.40 + 500 x 1.60 per million = 0.0012 per call
        assertEquals(0, new BigDecimal("0.0024").compareTo(e1.cost()), e1.cost().toPlainString());
        UsageSummary e2 = router.usage("e2");
        assertEquals(2, e2.calls());
        assertEquals(0, new BigDecimal("0.0012").compareTo(e2.cost()), "an unknown price costs nothing");
        assertEquals(UsageSummary.NONE, router.usage("nobody"));
        Map<String, UsageSummary> byProvider = router.usageByProvider();
        assertEquals(4, byProvider.get("openai-main").calls());
        assertEquals(0, new BigDecimal("0.0048").compareTo(byProvider.get("openai-main").cost()));
        assertEquals(0, BigDecimal.ZERO.compareTo(byProvider.get("unpriced").cost()));
        assertEquals(List.of("openai-main", "unpriced"), new ArrayList<>(byProvider.keySet()));
        LlmCallEvent event = callEvents().get(0);
        assertEquals("e1", event.executionId());
        assertEquals(0, new BigDecimal("0.0012").compareTo(event.cost()));
    }

    private static ModelInfo cachePriced(String id, String input, String output, String cacheRead, String cacheWrite) {
        return new ModelInfo(id, Set.of(TOOLS), 200_000, new BigDecimal(input), new BigDecimal(output),
                cacheRead == null ? null : new BigDecimal(cacheRead), cacheWrite == null ? null : new BigDecimal(cacheWrite));
    }

    @Test
    void anthropicCacheReadsAndWritesCostTheirOwnPricesAndNoTokenTwice() {
        FakeProvider claude = plugins.add(new FakeProvider("anthropic", cachePriced("claude-sonnet", "3", "15", "0.30", "3.75")));
        // as the Anthropic adapter reports input_tokens 100, cache_read_input_tokens 8000,
        // cache_creation_input_tokens 2000, output_tokens 500: inputTokens holds all three
        claude.usage = new Usage(10_100, 8_000, 2_000, 500, 0, 0, Map.of());

        RoutedResponse routed = router.route(hello(), pinned("anthropic", null), "e1", null);

        // 100 x 3 + 8000 x 0.30 + 2000 x 3.75 + 500 x 15 per million (every input token at 3 would be 0.0378)
        assertEquals(0, new BigDecimal("0.0177").compareTo(routed.cost()), routed.cost().toPlainString());
        assertEquals(0, new BigDecimal("0.0177").compareTo(router.usage("e1").cost()), "the execution's cost");
        assertEquals(0, new BigDecimal("0.0177").compareTo(router.usageByProvider().get("anthropic").cost()));
        assertEquals(0, new BigDecimal("0.0177").compareTo(callEvents().get(0).cost()), "the llm.call event's cost");
    }

    @Test
    void openAiCachedPromptTokensCostTheCacheReadPrice() {
        FakeProvider mini = plugins.add(new FakeProvider("openai", cachePriced("gpt-4.1-mini", "0.40", "1.60", "0.10", null)));
        // prompt_tokens 10000 of which prompt_tokens_details.cached_tokens 8000, completion_tokens 500
        mini.usage = new Usage(10_000, 8_000, 0, 500, 0, 0, Map.of());

        RoutedResponse routed = router.route(hello(), pinned("openai", null), "e1", null);

        // 2000 x 0.40 + 8000 x 0.10 + 500 x 1.60 per million (every input token at 0.40 would be 0.0048)
        assertEquals(0, new BigDecimal("0.0024").compareTo(routed.cost()), routed.cost().toPlainString());
    }

    @Test
    void anAgentsCostBudgetCountsCachedPromptTokensAtTheCacheReadPrice() {
        FakeProvider mini = plugins.add(new FakeProvider("openai", cachePriced("gpt-4.1-mini", "0.40", "1.60", "0.10", null)));
        mini.usage = new Usage(10_000, 8_000, 0, 500, 0, 0, Map.of());
        mini.then((self, request, handler) -> new ChatResponse("r1", request.model(),
                Message.of(Role.ASSISTANT, List.of(ToolCallPart.of("c1", "clock", "{}"))), StopReason.TOOL_CALLS,
                "tool_calls", self.usage, null, null, null)).answering();
        AgentFunction.Tool clock = new AgentFunction.Tool(new ToolSpec("clock", "the time", null, false),
                args -> new ToolCallResult(List.of(TextPart.of("noon")), null, false));
        WorkflowContext context = mock(WorkflowContext.class);
        when(context.executionId()).thenReturn("e1");
        AgentSpec spec = AgentSpec.of("greeter", "You greet.").withFunctions(List.of(clock))
                .withModel(pinned("openai", null))
                .withLimits(AgentLimits.DEFAULTS.withBudget(0, new BigDecimal("0.003"), Duration.ofMinutes(1)));

        AgentResult result = new DefaultAgentRuntime(router, text -> text).create(spec, context).run("hello");

        // the first call costs 0.0024 at the cache read price, within the budget, so the second one is made;
        // at the input price it would cost 0.0048 and exhaust the budget
        assertEquals(AgentOutcome.ANSWERED, result.outcome(), result.error());
        assertEquals(0, new BigDecimal("0.0048").compareTo(result.cost()), result.cost().toPlainString());
    }

    @Test
    void cachedTokensCostTheInputPriceWhenTheModelHasNoCachePrice() {
        ModelInfo unknown = cachePriced("claude-sonnet", "3", "15", null, null);
        Usage usage = new Usage(10_100, 8_000, 2_000, 500, 0, 0, Map.of());
        assertEquals(0, new BigDecimal("0.0378").compareTo(DefaultLlmRouter.cost(unknown, usage)));
        ModelInfo readPriced = cachePriced("claude-sonnet", "3", "15", "0.30", null);
        // 100 x 3 + 8000 x 0.30 + 2000 x 3 (the write at the input price) + 500 x 15
        assertEquals(0, new BigDecimal("0.0162").compareTo(DefaultLlmRouter.cost(readPriced, usage)));
    }

    @Test
    void oneHourCacheWritesCostTheOneHourWritePrice() {
        ModelInfo sonnet = new ModelInfo("claude-sonnet-4-5", Set.of(TOOLS), 200_000, new BigDecimal("3"),
                new BigDecimal("15"), new BigDecimal("0.30"), new BigDecimal("3.75"), new BigDecimal("6"));
        // input_tokens 100, cache_read 8000, cache_creation 2000 of which ephemeral_1h 1500, output 500
        Usage usage = new Usage(10_100, 8_000, 2_000, 1_500, 500, 0, 0, Map.of());
        // 100 x 3 + 8000 x 0.30 + 500 x 3.75 + 1500 x 6 + 500 x 15 per million (all writes at 3.75: 0.0177)
        assertEquals(0, new BigDecimal("0.021075").compareTo(DefaultLlmRouter.cost(sonnet, usage)),
                DefaultLlmRouter.cost(sonnet, usage).toPlainString());
        // without a one-hour price they cost the write price, as before
        ModelInfo fiveMinutesOnly = cachePriced("claude-sonnet-4-5", "3", "15", "0.30", "3.75");
        assertEquals(0, new BigDecimal("0.0177").compareTo(DefaultLlmRouter.cost(fiveMinutesOnly, usage)));
        // a one-hour count beyond the writes counts as all of them, not as more
        Usage beyond = new Usage(10_100, 8_000, 2_000, 5_000, 500, 0, 0, Map.of());
        assertEquals(0, new BigDecimal("0.0222").compareTo(DefaultLlmRouter.cost(sonnet, beyond)),
                DefaultLlmRouter.cost(sonnet, beyond).toPlainString());
    }

    @Test
    void aPromptLongerThanAPriceTiersThresholdCostsTheTiersPricesForEveryToken() {
        // gemini-2.5-pro: 1.25 / 10 / cache read 0.125, above 200K prompt tokens 2.50 / 15 (cache read 0.25)
        ModelInfo pro = new ModelInfo("gemini-2.5-pro", Set.of(TOOLS), 1_048_576, new BigDecimal("1.25"),
                new BigDecimal("10"), new BigDecimal("0.125"), null, null,
                List.of(new PriceTier(200_000, new BigDecimal("2.50"), new BigDecimal("15"))));
        // 150000 fresh + 100000 cached = 250000 prompt tokens, above the threshold; 1000 output
        Usage longPrompt = new Usage(250_000, 100_000, 0, 1_000, 0, 0, Map.of());
        // 150000 x 2.50 + 100000 x 0.25 (the cache read scaled as the input) + 1000 x 15 per million
        // (at the base prices: 0.210000)
        assertEquals(0, new BigDecimal("0.415").compareTo(DefaultLlmRouter.cost(pro, longPrompt)),
                DefaultLlmRouter.cost(pro, longPrompt).toPlainString());
        // exactly at the threshold: the base prices; 200000 x 1.25 + 1000 x 10
        assertEquals(0, new BigDecimal("0.26").compareTo(DefaultLlmRouter.cost(pro, Usage.of(200_000, 1_000))));
        // a tier's own cache price wins over the scaled one, and the last tier reached counts
        ModelInfo two = new ModelInfo("m", Set.of(TOOLS), 0, new BigDecimal("1"), new BigDecimal("2"), null, null, null,
                List.of(new PriceTier(500_000, new BigDecimal("4"), new BigDecimal("8")),
                        new PriceTier(100_000, new BigDecimal("3"), new BigDecimal("6"), new BigDecimal("0.5"), null, null)));
        // 200000 fresh + 100000 cached: the 100K tier; 200000 x 3 + 100000 x 0.5 + 1000 x 6
        assertEquals(0, new BigDecimal("0.656").compareTo(DefaultLlmRouter.cost(two,
                new Usage(300_000, 100_000, 0, 1_000, 0, 0, Map.of()))));
        // 600000 prompt tokens: the 500K tier; 600000 x 4 + 1000 x 8
        assertEquals(0, new BigDecimal("2.408").compareTo(DefaultLlmRouter.cost(two,
                new Usage(600_000, 0, 0, 1_000, 0, 0, Map.of()))));
    }

    @Test
    void geminiToolUsePromptTokensCostTheInputPrice() {
        ModelInfo flash = cachePriced("gemini-2.5-flash", "0.30", "2.50", "0.03", null);
        // promptTokenCount 10000 of which cachedContentTokenCount 8000, toolUsePromptTokenCount 20000 (Google Search
        // results, not part of promptTokenCount), candidatesTokenCount 400 + thoughtsTokenCount 600
        Usage usage = new Usage(10_000, 8_000, 0, 1_000, 600, 20_000, Map.of());
        // 2000 x 0.30 + 8000 x 0.03 + 20000 x 0.30 + 1000 x 2.50 per million (without the tool prompt: 0.00334)
        assertEquals(0, new BigDecimal("0.00934").compareTo(DefaultLlmRouter.cost(flash, usage)),
                DefaultLlmRouter.cost(flash, usage).toPlainString());
    }

    @Test
    void usageCountsForTheTenantOfEachExecutionAsItsStartNamesIt() {
        openai().usage = Usage.of(1000, 500);
        router.chat(hello(), ModelRequirements.ANY, "analysed-first"); // an autonomous execution's analysis
        router.onEvent(started("analysed-first", "tA"));
        router.chat(hello(), ModelRequirements.ANY, "analysed-first");
        router.onEvent(started("b1", "tB"));
        router.chat(hello(), ModelRequirements.ANY, "b1");
        router.onEvent(started("nested", "tB"));
        router.onEvent(started("nested", "tA")); // a later start does not move what was counted
        router.chat(hello(), ModelRequirements.ANY, "nested");
        router.onEvent(started("untold", null));
        router.chat(hello(), ModelRequirements.ANY, "untold");
        router.chat(hello(), ModelRequirements.ANY, null);

        UsageSummary ofA = router.usageByProvider("tA").get("openai-main");
        assertEquals(2, ofA.calls(), "the call before the start counts for its tenant too");
        assertEquals(0, new BigDecimal("0.0024").compareTo(ofA.cost()), ofA.cost().toPlainString());
        assertEquals(2, router.usageByProvider("tB").get("openai-main").calls());
        assertEquals(1, router.usageByProvider(Principal.DEFAULT_TENANT).get("openai-main").calls(),
                "a task without tenant runs for the default one");
        assertEquals(Map.of(), router.usageByProvider("tC"));
        assertEquals(6, router.usageByProvider().get("openai-main").calls(),
                "every tenant's and the call outside executions");
    }

    @Test
    void aCallOutsideExecutionsCountsForTheTenantThatMadeIt() {
        openai().usage = Usage.of(1000, 500);
        router.onEvent(started("e1", "tA"));
        router.chat(hello(), ModelRequirements.ANY, "e1");
        RoutedResponse chat = router.routeForTenant(hello(), ModelRequirements.ANY, "tA", null);
        List<StreamEvent> seen = new ArrayList<>();
        router.routeForTenant(hello(), ModelRequirements.ANY, "tB", seen::add);
        router.chat(hello(), ModelRequirements.ANY, null);

        assertEquals("openai-main", chat.providerId());
        assertFalse(seen.isEmpty(), "streamed");
        UsageSummary ofA = router.usageByProvider("tA").get("openai-main");
        assertEquals(2, ofA.calls(), "its execution's call and its chat");
        assertEquals(0, new BigDecimal("0.0024").compareTo(ofA.cost()), ofA.cost().toPlainString());
        assertEquals(1, router.usageByProvider("tB").get("openai-main").calls(), "a streamed chat counts too");
        assertEquals(4, router.usageByProvider().get("openai-main").calls(),
                "every tenant's and the call made for no tenant");
        assertNull(callEvents().get(1).executionId(), "the chat is no execution's");
        assertThrows(NullPointerException.class, () -> router.routeForTenant(hello(), ModelRequirements.ANY, null,
                null));
    }

    private static ExecutionStatusEvent started(String executionId, String tenant) {
        return new ExecutionStatusEvent(Instant.EPOCH, ExecutionStatusEvent.STARTED, executionId, "direct",
                ExecutionStatus.RUNNING, null, tenant, "a task", null);
    }

    @Test
    void executionsAreForgottenOldestFirstBeyondTheBound() {
        UsageLedger ledger = new UsageLedger(2);
        UsageSummary one = new UsageSummary(1, 0, Usage.of(1, 1), BigDecimal.ONE);
        ledger.record("a", null, "p", one);
        ledger.record("b", null, "p", one);
        ledger.record("a", null, "p", one);
        ledger.record("c", null, "p", one);

        assertEquals(UsageSummary.NONE, ledger.execution("a"), "a was recorded first");
        assertEquals(1, ledger.execution("b").calls());
        assertEquals(1, ledger.execution("c").calls());
        assertEquals(4, ledger.providers().get("p").calls());
    }

    @Test
    void concurrentCallsAreAllCounted() throws InterruptedException {
        UsageLedger ledger = new UsageLedger(100);
        UsageSummary one = new UsageSummary(1, 0, Usage.of(2, 3), new BigDecimal("0.001"));
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String execution = "e" + (t % 2);
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    ledger.record(execution, null, i % 2 == 0 ? "p" : "q", one);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(4000, ledger.execution("e0").calls());
        assertEquals(4000, ledger.execution("e1").calls());
        assertEquals(8000, ledger.execution("e0").usage().inputTokens());
        assertEquals(12000, ledger.execution("e1").usage().outputTokens());
        assertEquals(4000, ledger.providers().get("p").calls());
        assertEquals(4000, ledger.providers().get("q").calls());
        assertEquals(0, new BigDecimal("8.000").compareTo(ledger.providers().get("p").cost()
                .add(ledger.providers().get("q").cost())));
    }

    // ---- streaming -------------------------------------------------------------------------------------------------

    @Test
    void streamFallsBackWhenNothingReachedTheHandlerYet() {
        cheap().then((self, request, handler) -> {
            handler.onEvent(new StreamEvent.StreamError(ProviderError.of(Category.OVERLOADED, "busy")));
            throw new ProviderException(ProviderError.of(Category.OVERLOADED, "busy"));
        });
        openai();
        List<StreamEvent> seen = new ArrayList<>();

        ChatResponse response = router.stream(hello(), ModelRequirements.ANY, "s1", seen::add);

        assertEquals("from openai-main", response.message().text());
        assertTrue(seen.get(0) instanceof StreamEvent.MessageStart);
        assertTrue(seen.stream().noneMatch(StreamEvent.StreamError.class::isInstance), "the abandoned error is hidden");
        assertTrue(seen.contains(new StreamEvent.TextDelta(0, "from openai-main")));
        assertTrue(callEvents().get(1).streamed());
    }

    @Test
    void aFailedAnswerThatReportedItsUsageIsBilledBeforeTheFallback() {
        cheap().then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.SERVER, "a tool_use block without id or name"), null,
                    Usage.of(1_000_000, 0));
        });
        openai();

        ChatResponse response = router.chat(hello(), ModelRequirements.ANY, "b1");

        assertEquals("from openai-main", response.message().text());
        UsageSummary usage = router.usage("b1");
        assertEquals(1, usage.failedCalls());
        assertEquals(1_001_000, usage.usage().inputTokens(), "the failed answer's tokens and the fallback's");
        // nano's million input tokens at 0.10 USD/M, then gpt-4.1-mini's 1000 + 500 at 0.40 + 1.60
        assertEquals(0, new BigDecimal("0.1012").compareTo(usage.cost()), usage.cost().toPlainString());
        LlmCallEvent failed = callEvents().get(0);
        assertFalse(failed.success());
        assertEquals(1_000_000, failed.usage().inputTokens(), "the failed call's event says what it cost");
        assertEquals(0, new BigDecimal("0.10").compareTo(failed.cost()));
    }

    @Test
    void theAnswerSaysWhatTheWholeCallBilledItsFailedAttemptsIncluded() {
        cheap().then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.SERVER, "a tool_use block without id or name"), null,
                    Usage.of(1_000_000, 0));
        });
        openai();

        RoutedResponse answer = router.route(hello(), ModelRequirements.ANY, "b2", null);

        assertEquals(1_000, answer.response().usage().inputTokens(), "the answer's own usage");
        assertEquals(1_001_000, answer.billedUsage().inputTokens(), "the failed attempt's tokens and the answer's");
        assertEquals(0, new BigDecimal("0.1012").compareTo(answer.billedCost()), answer.billedCost().toPlainString());
        assertEquals(0, router.usage("b2").cost().compareTo(answer.billedCost()), "as much as the execution was billed");
    }

    @Test
    void aCallThatFailsInTheEndSaysWhatItsAttemptsBilled() {
        cheap().then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(Category.SERVER, "a tool_use block without id or name"), null,
                    Usage.of(1_000_000, 0));
        });
        openai().failing(Category.SERVER);

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.route(hello(), ModelRequirements.ANY, "b3", null));

        assertTrue(failure.getMessage().contains("every provider tried failed"), failure.getMessage());
        assertEquals(1_000_000, failure.billed().inputTokens(), "the malformed answer's tokens, the error none");
        // nano's million input tokens at 0.10 USD/M
        assertEquals(0, new BigDecimal("0.10").compareTo(failure.billedCost()), failure.billedCost().toPlainString());
        assertEquals(0, router.usage("b3").cost().compareTo(failure.billedCost()), "as much as the execution was billed");
    }

    @Test
    void aStreamThatFailsAfterDeliveringSaysWhatItsUsageBilled() {
        cheap().then((self, request, handler) -> {
            handler.onEvent(new StreamEvent.MessageStart("x", request.model()));
            handler.onEvent(new StreamEvent.TextDelta(0, "half"));
            handler.onEvent(new StreamEvent.UsageUpdate(Usage.of(1_000_000, 0)));
            throw new ProviderException(ProviderError.of(Category.NETWORK, "connection reset"));
        });
        openai();

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.route(hello(), ModelRequirements.ANY, "b4", event -> { }));

        assertEquals(Category.NETWORK, failure.error().category());
        assertEquals("connection reset", failure.error().message(), "the one attempt's own error");
        assertEquals(1_000_000, failure.billed().inputTokens(), "the usage the stream reported before it broke");
        assertEquals(0, new BigDecimal("0.10").compareTo(failure.billedCost()), failure.billedCost().toPlainString());
    }

    @Test
    void streamDoesNotFallBackOnceEventsWereDelivered() {
        cheap().then((self, request, handler) -> {
            handler.onEvent(new StreamEvent.MessageStart("x", request.model()));
            handler.onEvent(new StreamEvent.TextDelta(0, "half"));
            handler.onEvent(new StreamEvent.UsageUpdate(Usage.of(1_000_000, 0)));
            throw new ProviderException(ProviderError.of(Category.NETWORK, "connection reset"));
        });
        FakeProvider openai = openai();
        List<StreamEvent> seen = new ArrayList<>();

        ProviderException failure = assertThrows(ProviderException.class,
                () -> router.stream(hello(), ModelRequirements.ANY, "s2", seen::add));

        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(openai.calls.isEmpty());
        assertEquals(3, seen.size());
        UsageSummary usage = router.usage("s2");
        assertEquals(1, usage.failedCalls());
        assertEquals(0, new BigDecimal("0.10").compareTo(usage.cost()), "tokens streamed before the failure are billed");
    }

    @Test
    void aNonRetryableStreamErrorReachesTheHandler() {
        cheap().then((self, request, handler) -> {
            ProviderError error = ProviderError.of(Category.CONTENT_FILTERED, "filtered");
            handler.onEvent(new StreamEvent.StreamError(error));
            throw new ProviderException(error);
        });
        List<StreamEvent> seen = new ArrayList<>();

        assertThrows(ProviderException.class, () -> router.stream(hello(), ModelRequirements.ANY, null, seen::add));

        assertEquals(1, seen.size());
        assertTrue(seen.get(0) instanceof StreamEvent.StreamError);
    }

    @Test
    void eventsOfASuccessfulCallCarryProviderModelUsageAndDuration() {
        openai().answeringAfter(() -> clock.advance(250));

        router.chat(hello(), ModelRequirements.ANY, "e5");

        LlmCallEvent event = callEvents().get(0);
        assertEquals("openai-main", event.providerId());
        assertEquals("gpt-4.1-mini", event.model());
        assertEquals(Duration.ofMillis(250), event.duration());
        assertEquals(1, event.attempt());
        assertNull(event.error());
        assertEquals(Usage.of(1000, 500), event.usage());
    }

    @Test
    void structuredOutputIsACapabilityLikeAnyOther() {
        plugins.add(new FakeProvider("json", model("j", "3", "3", STRUCTURED_OUTPUT)));
        cheap();

        assertEquals("json", router.select(needs(Preference.COST, STRUCTURED_OUTPUT)).providerId());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private ProviderException notFound(ModelRequirements requirements) {
        ProviderException failure = assertThrows(ProviderException.class, () -> router.select(requirements));
        assertEquals(Category.NOT_FOUND, failure.error().category());
        return failure;
    }

    private List<LlmFallbackEvent> fallbackEvents() {
        return events.stream().filter(LlmFallbackEvent.class::isInstance).map(LlmFallbackEvent.class::cast).toList();
    }

    private List<LlmCallEvent> callEvents() {
        return events.stream().filter(LlmCallEvent.class::isInstance).map(LlmCallEvent.class::cast).toList();
    }

    private static String label(ModelChoice choice) {
        return choice.providerId() + "/" + choice.model();
    }
}
