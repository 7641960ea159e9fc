package io.mcpagent.provider.anthropic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * Configuration: defaults, built-in models, the price range (the key: {@link AnthropicApiKeyTest}; the component, its
 * service properties and a configuration with mistakes: {@link AnthropicComponentContractTest}).
 */
class AnthropicConfigTest {
    @Test
    void defaults() {
        AnthropicSettings settings = AnthropicSettings.from("main", Configs.config(Map.of()));
        assertEquals(URI.create("https://api.anthropic.com"), settings.baseUri());
        assertEquals(URI.create("https://api.anthropic.com/v1/messages"), settings.messagesUri());
        assertEquals("ANTHROPIC_API_KEY", settings.apiKeyEnv());
        assertEquals("2023-06-01", settings.apiVersion());
        assertEquals(4096, settings.defaultMaxTokens());
        assertEquals(Duration.ofSeconds(120), settings.requestTimeout());
        assertEquals(Duration.ofSeconds(10), settings.connectTimeout());
        assertEquals(2, settings.maxRetries());
        assertFalse(settings.structuredOutputByTool());
        assertEquals(List.of(), settings.betas());
        assertEquals("claude-sonnet-4-5", settings.defaultModel());
        assertEquals("Anthropic main", settings.name());
        assertTrue(settings.models().size() >= 10);
        ModelInfo sonnet = settings.models().get(0);
        assertEquals(Set.of(ModelCapability.values()), sonnet.capabilities());
        assertEquals(200_000, sonnet.contextWindow());
        assertEquals(new BigDecimal("3.00"), sonnet.inputPricePerMillion());
        assertEquals(new BigDecimal("15.00"), sonnet.outputPricePerMillion());
        assertTrue(settings.models().stream().anyMatch(m -> m.id().equals("claude-haiku-4-5")));
    }

    @Test
    void builtInModelsCarryTheReferenceCachePricesWithTheFiveMinuteAndOneHourWritePrices() {
        AnthropicSettings settings = AnthropicSettings.from("main", Configs.config(Map.of()));
        // the reference gives no one-hour write price for Sonnet 5 and Fable 5
        assertEquals(List.of(
                "claude-sonnet-4-5 0.30 3.75 6.00",
                "claude-opus-4-5 0.50 6.25 10.00",
                "claude-haiku-4-5 0.10 1.25 2.00",
                "claude-sonnet-4-6 0.30 3.75 6.00",
                "claude-opus-4-6 0.50 6.25 10.00",
                "claude-opus-4-7 0.50 6.25 10.00",
                "claude-opus-4-8 0.50 6.25 10.00",
                "claude-sonnet-5 0.30 3.75 null",
                "claude-opus-5 0.50 6.25 10.00",
                "claude-fable-5 1.00 12.50 null"), cachePrices(settings.models()));
    }

    @Test
    void builtInSonnet45CostsMoreAbove200KPromptTokens() {
        // with the 1M context beta; Sonnet 4.6 and Opus 4.6 are priced alike across 1M
        AnthropicSettings settings = AnthropicSettings.from("main", Configs.config(Map.of()));
        assertEquals(List.of("claude-sonnet-4-5 >200000:6.00:22.50"), tiers(settings.models()));
    }

    /** The models with price tiers, each as {@code id >above:input:output ...}. */
    private static List<String> tiers(List<ModelInfo> models) {
        return models.stream().filter(m -> !m.priceTiers().isEmpty())
                .map(m -> m.id() + m.priceTiers().stream().map(t -> " >" + t.aboveInputTokens() + ":"
                        + t.inputPricePerMillion() + ":" + t.outputPricePerMillion()).collect(Collectors.joining()))
                .toList();
    }

    /** Each model as {@code id cacheRead cacheWrite cacheWrite1h} (prices per million tokens, null when not set). */
    private static List<String> cachePrices(List<ModelInfo> models) {
        return models.stream()
                .map(m -> m.id() + " " + m.cacheReadPricePerMillion() + " " + m.cacheWritePricePerMillion() + " "
                        + m.cacheWrite1hPricePerMillion())
                .toList();
    }

    @Test
    void aDefaultModelThatIsNotListedIsAddedFirst() {
        AnthropicSettings settings = AnthropicSettings.from("anth", Configs.config(Map.of("defaultModel", " claude-x ")));
        assertEquals("claude-x", settings.defaultModel());
        assertEquals(new ModelInfo("claude-x", Set.of(ModelCapability.STREAMING), 0, null, null), settings.models().get(0));
        assertEquals("claude-sonnet-4-5", settings.models().get(1).id(), "the list follows");

        AnthropicSettings listed = AnthropicSettings.from("anth", Configs.config(Map.of("defaultModel", "claude-haiku-4-5")));
        assertEquals("claude-haiku-4-5", listed.models().get(0).id(), "a listed default moves first");
        assertEquals(200_000, listed.models().get(0).contextWindow(), "keeping what is known of it");
        assertEquals(1, listed.models().stream().filter(m -> m.id().equals("claude-haiku-4-5")).count());
    }

    @Test
    void aTrailingSlashAndABasePathAreKept() {
        AnthropicSettings settings = AnthropicSettings.from("gw", Configs.config(Map.of("baseUrl", "https://gateway.example.com/anthropic/")));
        assertEquals(URI.create("https://gateway.example.com/anthropic/v1/messages"), settings.messagesUri());
    }

    @Test
    void aPriceOutOfRangeIsNamedWithTheProviderTheModelAndTheField() {
        AnthropicProvider provider = AnthropicProvider.create("dear", Configs.config(Map.of(
                "models", new String[] {"claude-haiku-4-5;tools;200000;1;5", "claude-x;tools;200000;3;1e300"})),
                name -> "key");
        assertEquals(PluginHealth.Status.DOWN, provider.health().status());
        assertEquals("misconfigured (etc/io.mcpagent.provider.anthropic~dear.cfg.json): models: model spec"
                + " 'claude-x;tools;200000;3;1e300': output price must be within [0, 1000] US dollars per million tokens"
                + " with at most 10 decimal places, was 1E+300", provider.health().message());
        assertEquals(List.of(), provider.models(), "no model is priced at 1e300");
    }

}
