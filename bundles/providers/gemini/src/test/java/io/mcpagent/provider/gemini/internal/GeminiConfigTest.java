package io.mcpagent.provider.gemini.internal;

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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * Configuration: defaults, the key's fallback variable, model ids, several instances (the rest of the key:
 * {@link GeminiApiKeyTest}; the component, its service properties and a configuration with mistakes:
 * {@link GeminiComponentContractTest}).
 */
class GeminiConfigTest {
    private final FakeGemini fake = new FakeGemini();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hello")));
    }

    @Test
    void defaults() {
        GeminiSettings settings = GeminiSettings.from("main", Configs.config(Map.of()));
        assertEquals(URI.create("https://generativelanguage.googleapis.com"), settings.baseUri());
        assertEquals(URI.create("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"),
                settings.endpoint("gemini-2.5-flash", false));
        assertEquals(URI.create("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"),
                settings.endpoint("gemini-2.5-flash", true));
        assertEquals("GEMINI_API_KEY", settings.apiKeyEnv());
        assertEquals("v1beta", settings.apiVersion());
        assertFalse(settings.includeThoughts());
        assertEquals(Duration.ofSeconds(120), settings.requestTimeout());
        assertEquals(Duration.ofSeconds(10), settings.connectTimeout());
        assertEquals(2, settings.maxRetries());
        assertEquals("gemini-2.5-flash", settings.defaultModel());
        assertEquals("Gemini main", settings.name());
        assertEquals(9, settings.models().size());
        ModelInfo flash = settings.models().get(0);
        assertEquals(Set.of(ModelCapability.values()), flash.capabilities());
        assertEquals(1_048_576, flash.contextWindow());
        assertEquals(new BigDecimal("0.30"), flash.inputPricePerMillion());
        assertEquals(new BigDecimal("2.50"), flash.outputPricePerMillion());
        ModelInfo pro = settings.models().stream().filter(m -> m.id().equals("gemini-3.1-pro-preview")).findFirst().orElseThrow();
        assertEquals(new BigDecimal("2.00"), pro.inputPricePerMillion());
        assertEquals(new BigDecimal("12.00"), pro.outputPricePerMillion());
    }

    @Test
    void builtInModelsCarryTheReferenceCacheReadPrices() {
        GeminiSettings settings = GeminiSettings.from("main", Configs.config(Map.of()));
        assertEquals(List.of(
                "gemini-2.5-flash 0.03 null",
                "gemini-2.5-pro 0.125 null",
                "gemini-2.5-flash-lite 0.01 null",
                "gemini-3-pro-preview 0.20 null",
                "gemini-3-flash-preview 0.05 null",
                "gemini-3.1-pro-preview 0.20 null",
                "gemini-3.1-flash-lite 0.025 null",
                "gemini-3.5-flash 0.15 null",
                "gemini-3.5-flash-lite 0.03 null"), cachePrices(settings.models()));
    }

    @Test
    void builtInProModelsCostMoreAbove200KPromptTokens() {
        GeminiSettings settings = GeminiSettings.from("main", Configs.config(Map.of()));
        assertEquals(List.of(
                "gemini-2.5-pro >200000:2.50:15.00",
                "gemini-3-pro-preview >200000:4.00:18.00",
                "gemini-3.1-pro-preview >200000:4.00:18.00"), tiers(settings.models()));
    }

    /** The models with price tiers, each as {@code id >above:input:output ...}. */
    private static List<String> tiers(List<ModelInfo> models) {
        return models.stream().filter(m -> !m.priceTiers().isEmpty())
                .map(m -> m.id() + m.priceTiers().stream().map(t -> " >" + t.aboveInputTokens() + ":"
                        + t.inputPricePerMillion() + ":" + t.outputPricePerMillion()).collect(Collectors.joining()))
                .toList();
    }

    /** Each model as {@code id cacheRead cacheWrite} (prices per million tokens, null when not set). */
    private static List<String> cachePrices(List<ModelInfo> models) {
        return models.stream()
                .map(m -> m.id() + " " + m.cacheReadPricePerMillion() + " " + m.cacheWritePricePerMillion())
                .toList();
    }

    @Test
    void aDefaultModelThatIsNotListedIsAddedFirst() {
        GeminiSettings settings = GeminiSettings.from("gem", Configs.config(Map.of("defaultModel", "tunedModels/acme-1")));
        assertEquals("tunedModels/acme-1", settings.defaultModel());
        assertEquals(List.of("tunedModels/acme-1", "gemini-2.5-flash"),
                settings.models().stream().limit(2).map(ModelInfo::id).toList());
        assertEquals(10, settings.models().size());
    }

    @Test
    void aTrailingSlashAndABasePathAreKept() {
        GeminiSettings settings = GeminiSettings.from("gw", Configs.config(Map.of("baseUrl", "https://gateway.example.com/google/")));
        assertEquals(URI.create("https://gateway.example.com/google/v1beta/models/gemini-2.5-pro:generateContent"),
                settings.endpoint("gemini-2.5-pro", false));
    }

    @Test
    void googleApiKeyIsReadWhenGeminiApiKeyIsUnset() {
        Map<String, Object> config = Map.of("baseUrl", fake.baseUri().toString());
        GeminiProvider fallback = GeminiProvider.create("g", Configs.config(config),
                name -> name.equals("GOOGLE_API_KEY") ? "from-google" : null);
        assertEquals(PluginHealth.Status.UP, fallback.health().status());
        fake.enqueueText("ok", 1, 1);
        fallback.chat(hello());
        assertEquals("from-google", fake.last().header("x-goog-api-key"));

        GeminiProvider both = GeminiProvider.create("g", Configs.config(config), name -> switch (name) {
            case "GEMINI_API_KEY" -> "from-gemini";
            case "GOOGLE_API_KEY" -> "from-google";
            default -> null;
        });
        fake.enqueueText("ok", 1, 1);
        both.chat(hello());
        assertEquals("from-gemini", fake.last().header("x-goog-api-key"), "the configured variable wins");

        GeminiProvider custom = GeminiProvider.create("g", Configs.config(Map.of("apiKeyEnv", "TEAM_GEMINI_KEY")),
                name -> name.equals("GOOGLE_API_KEY") ? "from-google" : null);
        assertEquals(PluginHealth.Status.DOWN, custom.health().status(), "no fallback for a variable the operator chose");
        assertTrue(custom.health().message().contains("TEAM_GEMINI_KEY"), custom.health().message());
    }

    @Test
    void aModelIdThatCannotGoIntoThePathIsNamed() {
        GeminiProvider provider = GeminiProvider.create("m", Configs.config(Map.of(
                "models", new String[] {"gemini-2.5-flash;tools", "gemini flash?"})), name -> "key");
        assertTrue(provider.health().message().contains("'gemini flash?'"), provider.health().message());
    }

    @Test
    void severalInstancesAreIndependent() {
        try (FakeGemini other = new FakeGemini()) {
            GeminiProvider first = GeminiProvider.create("gemini-free", Configs.config(Map.of("baseUrl", fake.baseUri().toString(),
                    "apiKeyEnv", "FREE_KEY", "defaultModel", "gemini-2.5-flash-lite")), name -> name.equals("FREE_KEY") ? "free" : null);
            GeminiProvider second = GeminiProvider.create("gemini-paid", Configs.config(Map.of("baseUrl", other.baseUri().toString(),
                    "apiKeyEnv", "PAID_KEY", "models", new String[] {"gemini-2.5-pro;tools,streaming;1048576;1.25;10"})),
                    name -> name.equals("PAID_KEY") ? "paid" : null);
            fake.enqueueText("from free", 1, 1);
            other.enqueueText("from paid", 1, 1);
            assertEquals("from free", first.chat(hello()).message().text());
            assertEquals("from paid", second.chat(hello()).message().text());
            assertEquals("free", fake.last().header("x-goog-api-key"));
            assertEquals("/v1beta/models/gemini-2.5-flash-lite:generateContent", fake.last().path());
            assertEquals("paid", other.last().header("x-goog-api-key"));
            assertEquals("/v1beta/models/gemini-2.5-pro:generateContent", other.last().path());
            assertEquals(1, fake.requests());
            assertEquals(1, other.requests());
            first.close();
            second.close();
        }
    }

}
