package io.mcpagent.provider.anthropic.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.provider.support.ProviderPlugin;
import io.mcpagent.provider.support.ProviderServiceProperties;

/** Configuration: defaults, mistakes, service properties (the key: {@link AnthropicApiKeyTest}). */
class AnthropicConfigTest {
    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hello")));
    }

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
    void mistakesAreAllNamedAndTheProviderIsDown() {
        AnthropicProvider provider = AnthropicProvider.create("broken", Configs.config(Map.of(
                "baseUrl", "api.anthropic.com",
                "models", new String[] {"claude-x;tools,telepathy"},
                "structuredOutput", "magic",
                "defaultMaxTokens", 0,
                "cacheTtl", "2h")), name -> "key");
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        for (String named : List.of("baseUrl", "telepathy", "structuredOutput", "defaultMaxTokens", "cacheTtl",
                "io.mcpagent.provider.anthropic~broken.cfg.json")) {
            assertTrue(health.message().contains(named), named + " in: " + health.message());
        }
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("baseUrl"), failure.getMessage());
        assertEquals(List.of(), provider.models());
        Hashtable<String, Object> properties = ProviderPlugin.serviceProperties(AnthropicProviderComponent.FAMILY, provider, "0.1.0");
        assertEquals("broken", properties.get(PluginProperties.ID));
        assertEquals("provider", properties.get(PluginProperties.KIND));
        assertTrue(((String) properties.get(PluginProperties.DESCRIPTION)).startsWith("misconfigured: "));
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

    @Test
    void serviceProperties() {
        AnthropicProvider provider = AnthropicProvider.create("claude-main", Configs.config(Map.of(
                "models", new String[] {"claude-haiku-4-5;tools,streaming;200000;1;5", "claude-opus-4-5"})), name -> "key");
        Hashtable<String, Object> properties = ProviderPlugin.serviceProperties(AnthropicProviderComponent.FAMILY, provider, "0.1.0.SNAPSHOT");
        assertEquals("claude-main", properties.get(PluginProperties.ID));
        assertEquals("provider", properties.get(PluginProperties.KIND));
        assertEquals("0.1.0.SNAPSHOT", properties.get(PluginProperties.VERSION));
        assertEquals("Anthropic claude-main", properties.get(PluginProperties.NAME));
        assertEquals("Anthropic Messages API at https://api.anthropic.com, default model claude-haiku-4-5",
                properties.get(PluginProperties.DESCRIPTION));
        assertEquals("anthropic", properties.get("mcpagent.provider.family"));
        assertEquals("https://api.anthropic.com", properties.get("mcpagent.provider.baseUrl"));
        assertArrayEquals(new String[] {"claude-haiku-4-5", "claude-opus-4-5"}, (String[]) properties.get("mcpagent.provider.models"));
        assertEquals("claude-haiku-4-5", properties.get("mcpagent.provider.defaultModel"));
        assertEquals("io.mcpagent.provider.anthropic~claude-main", properties.get("mcpagent.provider.configuration"));
        assertEquals("claude-main", ProviderServiceProperties.pluginId(Map.of("service.pid", "io.mcpagent.provider.anthropic~claude-main")));
        provider.close();
    }
}
