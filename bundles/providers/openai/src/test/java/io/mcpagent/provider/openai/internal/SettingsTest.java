package io.mcpagent.provider.openai.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.provider.support.ModelSpecs;

/** Configuration: defaults per dialect, the key, and mistakes named. */
class SettingsTest {

    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hi")));
    }

    @Test
    void withoutItsKeyTheProviderIsDownAndNamesTheVariable() {
        try (FakeOpenAi fake = new FakeOpenAi()) {
            for (String[] dialectAndVariable : new String[][] {{"openai", "OPENAI_API_KEY"}, {"azure", "AZURE_OPENAI_API_KEY"},
                    {"openrouter", "OPENROUTER_API_KEY"}}) {
                OpenAiProvider provider = Providers.provider("p", Map.of(), "dialect", dialectAndVariable[0],
                        "baseUrl", fake.baseUri().toString(), "defaultModel", "gpt-4.1");
                PluginHealth health = provider.health();
                assertEquals(PluginHealth.Status.DOWN, health.status());
                assertTrue(health.message().contains(dialectAndVariable[1]), health.message());
                ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
                assertEquals(Category.AUTH, failure.error().category());
                assertTrue(failure.getMessage().contains(dialectAndVariable[1]), failure.getMessage());
                assertFalse(failure.error().retryable());
                assertThrows(ProviderException.class, () -> provider.stream(hello(), e -> { }));
            }
            assertEquals(0, fake.requests(), "nothing is sent without a key");
        }
    }

    @Test
    void aConfiguredVariableIsRequiredEvenForLocalServers() {
        OpenAiProvider provider = Providers.provider("vllm", Map.of(), "dialect", "vllm", "apiKeyEnv", "VLLM_API_KEY",
                "defaultModel", "m");
        assertEquals(PluginHealth.Status.DOWN, provider.health().status());
        assertTrue(provider.health().message().contains("VLLM_API_KEY"));
        assertEquals(PluginHealth.Status.UP, Providers.provider("ollama", Map.of(), "dialect", "ollama").health().status(),
                "Ollama needs no key");
    }

    @Test
    void theKeyFileWinsAndIsTrimmed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("key");
        Files.writeString(file, "  file-key\n");
        OpenAiSettings settings = Providers.settings("p", Map.of("OPENAI_API_KEY", "env-key"), "apiKeyFile", file.toString());
        assertEquals("file-key", settings.key().key());
        assertFalse(settings.key().toString().contains("file-key"));

        OpenAiSettings missing = Providers.settings("p", Map.of(), "apiKeyFile", dir.resolve("absent").toString());
        assertTrue(missing.key().problem().contains("apiKeyFile names no file"), missing.key().problem());
        assertFalse(missing.key().problem().contains("absent"), "a value naming no file may be the key: not repeated");
    }

    @Test
    void anUnknownDialectIsNamedWithoutTheFallbacksNeeds() {
        String message = Providers.provider("p", Map.of(), "dialect", "gemini").health().message();
        assertTrue(message.endsWith("dialect 'gemini' unknown; use one of " + Dialect.ids()), message);

        String withBadUrl = Providers.provider("p", Map.of(), "dialect", "gemini", "baseUrl", "ftp://example.com")
                .health().message();
        assertTrue(withBadUrl.contains("dialect 'gemini' unknown") && withBadUrl.contains("baseUrl 'ftp://example.com'"),
                withBadUrl);
    }

    @Test
    void mistakesAreNamedAndTheProviderIsDown() {
        assertDown(Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "baseUrl", "ftp://example.com"), "baseUrl 'ftp://example.com'");
        assertDown(Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "baseUrl", "not a url"),
                "baseUrl is not a URL: Illegal character in path at index 3");
        assertDown(Providers.provider("p", Map.of(), "dialect", "gemini"), "dialect 'gemini' unknown; use one of openai, azure");
        assertDown(Providers.provider("p", Map.of("AZURE_OPENAI_API_KEY", "k"), "dialect", "azure"), "https://<resource>.openai.azure.com");
        assertDown(Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "models", new String[] {"gpt-5;tools;lots"}),
                "context window 'lots' is not a number");
        assertDown(Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "models", new String[] {"gpt-5;telepathy"}),
                "capability 'telepathy' unknown");
        assertDown(Providers.provider("p", Map.of(), "dialect", "vllm"), "set defaultModel (or models)");
        assertDown(Providers.provider("p", Map.of(), "dialect", "compatible", "defaultModel", "m"), "baseUrl is empty");
        assertDown(Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "authScheme", "basic"), "authScheme 'basic' unknown");
        assertDown(Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "maxTokensField", "max"), "maxTokensField 'max' unknown");
        assertDown(Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "headers", new String[] {"no colon"}),
                "headers entry 1 of 1 ('no') is not 'Name: value'");
        // a malformed entry usually holds a credential: it is named by its place and name, never shown
        OpenAiProvider leaky = Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "headers",
                new String[] {"X-Ok: 1", "Authorization Bearer sk-HEADERSECRET-555"});
        assertDown(leaky, "headers entry 2 of 2 ('Authorization') is not 'Name: value'");
        assertFalse(leaky.health().message().contains("HEADERSECRET"), leaky.health().message());
        assertDown(Providers.provider("p", Map.of("AZURE_OPENAI_API_KEY", "k"), "dialect", "azure", "baseUrl", "https://r.openai.azure.com",
                "apiVersion", " "), "apiVersion is empty");

        OpenAiProvider broken = Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "baseUrl", "ftp://example.com");
        ProviderException failure = assertThrows(ProviderException.class, () -> broken.chat(hello()));
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("etc/io.mcpagent.provider.openai~p.cfg.json"), failure.getMessage());
    }

    @Test
    void aBaseUrlWithCredentialsIsRefusedWithoutQuotingThem() {
        for (String[] baseUrlAndProblem : new String[][] {
                {"https://bob:URLPASS-123@llm.example/v1", "baseUrl 'https://llm.example/v1' must not hold user info"},
                {"https://llm.example/v1?key=QSECRET-42", "baseUrl 'https://llm.example/v1?key=[redacted]' must not have a query"},
                {"https://bob:URLPASS-123@bad host/v1", "baseUrl is not a URL: Illegal character in authority at index 27"}}) {
            OpenAiProvider provider = Providers.provider("p", Map.of("OPENAI_API_KEY", "k"), "baseUrl", baseUrlAndProblem[0]);
            assertDown(provider, baseUrlAndProblem[1]);
            String shown = provider.health().message() + " " + provider;
            assertFalse(shown.contains("URLPASS") || shown.contains("QSECRET"), shown);
        }
    }

    private static void assertDown(OpenAiProvider provider, String expected) {
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status(), health.message());
        assertTrue(health.message().contains(expected), health.message());
    }

    @Test
    void builtInModelsPerDialectAndTheDefaultModelFirst() {
        OpenAiSettings openai = Providers.settings("p", Map.of("OPENAI_API_KEY", "k"));
        assertEquals("gpt-5.4-mini", openai.defaultModel());
        ModelInfo mini = openai.models().get(0);
        assertEquals(Set.of(ModelCapability.TOOLS, ModelCapability.VISION, ModelCapability.STRUCTURED_OUTPUT,
                ModelCapability.STREAMING, ModelCapability.REASONING), mini.capabilities());
        assertEquals(new BigDecimal("0.75"), mini.inputPricePerMillion());
        assertEquals(new BigDecimal("4.50"), mini.outputPricePerMillion());
        assertTrue(openai.models().stream().anyMatch(m -> m.id().equals("gpt-4.1") && m.contextWindow() == 1_047_576));
        assertEquals("https://api.openai.com/v1/chat/completions", openai.chatUri("gpt-5").toString());

        OpenAiSettings chosen = Providers.settings("p", Map.of("OPENAI_API_KEY", "k"), "defaultModel", "gpt-4.1");
        assertEquals("gpt-4.1", chosen.models().get(0).id());
        assertEquals(openai.models().size(), chosen.models().size());
        OpenAiSettings unknown = Providers.settings("p", Map.of("OPENAI_API_KEY", "k"), "defaultModel", "ft:gpt-4.1:acme::x1");
        assertEquals("ft:gpt-4.1:acme::x1", unknown.models().get(0).id(), "a model outside the list is served too");
        assertEquals(openai.models().size() + 1, unknown.models().size());

        OpenAiSettings ollama = Providers.settings("p", Map.of(), "dialect", "ollama");
        assertEquals("http://localhost:11434/v1/chat/completions", ollama.chatUri("qwen3").toString());
        assertEquals(BigDecimal.ZERO, ollama.models().get(0).inputPricePerMillion().stripTrailingZeros());
        assertNull(ollama.key().key());
        assertNull(ollama.mistakes());
        assertNull(ollama.key().problem(), "a server without keys needs none");

        assertEquals("https://openrouter.ai/api/v1", Providers.settings("p", Map.of(), "dialect", "openrouter").baseUri().toString());
        assertEquals("http://localhost:8080/v1", Providers.settings("p", Map.of(), "dialect", "llamacpp", "defaultModel", "x").baseUri().toString());
        assertEquals("http://localhost:1234/v1", Providers.settings("p", Map.of(), "dialect", "lmstudio", "defaultModel", "x").baseUri().toString());
        assertEquals("http://localhost:8000/v1", Providers.settings("p", Map.of(), "dialect", "vllm", "defaultModel", "x").baseUri().toString());

        OpenAiSettings own = Providers.settings("p", Map.of(), "dialect", "ollama", "models",
                new String[] {"llama3.3:70b;tools,streaming;131072", "phi4"});
        assertEquals(List.of("llama3.3:70b", "phi4"), own.models().stream().map(ModelInfo::id).toList());
        assertNull(own.models().get(0).inputPricePerMillion());
    }

    @Test
    void builtInModelsCarryTheReferenceCachePricesWhereItNamesThem() {
        assertEquals(List.of(
                "gpt-5.4-mini 0.075 null",
                "gpt-5.4 0.25 null",
                "gpt-5.4-nano 0.02 null",
                "gpt-5.5 0.50 null",
                "gpt-5.6-sol 0.50 6.25",
                "gpt-5.6-terra 0.20 2.50",
                "gpt-5.6-luna 0.02 0.25",
                "gpt-5 0.125 null",
                "gpt-5-mini 0.025 null",
                "gpt-5-nano 0.005 null",
                "gpt-4.1 0.50 null",
                "gpt-4.1-mini 0.10 null",
                "o4-mini 0.275 null"),
                cachePrices(Providers.settings("p", Map.of("OPENAI_API_KEY", "k")).models()));
        // the reference gives Azure cache prices for o4-mini and o3 only
        assertEquals(List.of(
                "gpt-5.4-mini null null",
                "gpt-5.4 null null",
                "gpt-5 null null",
                "gpt-5-mini null null",
                "gpt-4.1 null null",
                "gpt-4.1-mini null null",
                "o4-mini 0.28 null",
                "o3 0.50 null"),
                cachePrices(ModelSpecs.parse(BuiltInModels.AZURE.toArray(String[]::new))));
    }

    /**
     * Azure serves the operator's deployments, named as they chose: offered all its built-in models as deployments,
     * the router sent calls to ones that do not exist (404 DeploymentNotFound). Without models, the provider offers
     * the defaultModel deployment alone, with what the built-in model of its name can do, or as streaming only.
     */
    @Test
    void azureOffersTheDeploymentItIsGivenNotTheBuiltInModels() {
        Map<String, String> key = Map.of("AZURE_OPENAI_API_KEY", "k");
        List<ModelInfo> namedAfterAModel = Providers.settings("a", key, "dialect", "azure", "baseUrl",
                "https://r.openai.azure.com", "defaultModel", "o3").models();
        assertEquals(List.of("o3"), namedAfterAModel.stream().map(ModelInfo::id).toList());
        assertTrue(namedAfterAModel.get(0).capabilities().contains(ModelCapability.TOOLS));
        assertEquals(0, new BigDecimal("0.50").compareTo(namedAfterAModel.get(0).cacheReadPricePerMillion()));
        List<ModelInfo> ownName = Providers.settings("a", key, "dialect", "azure", "baseUrl",
                "https://r.openai.azure.com", "defaultModel", "gpt4o-prod").models();
        assertEquals(List.of("gpt4o-prod"), ownName.stream().map(ModelInfo::id).toList());
        assertEquals(Set.of(ModelCapability.STREAMING), ownName.get(0).capabilities());
        assertEquals(List.of("gpt4o-prod", "gpt-4.1"), Providers.settings("a", key, "dialect", "azure", "baseUrl",
                "https://r.openai.azure.com", "defaultModel", "gpt4o-prod", "models",
                new String[] {"gpt-4.1;tools,streaming"}).models().stream().map(ModelInfo::id).toList());

        assertDown(Providers.provider("a", key, "dialect", "azure", "baseUrl", "https://r.openai.azure.com"),
                "no deployment configured: set defaultModel (or models) to the name of your Azure deployment");
    }

    @Test
    void builtInModelsCostMoreAboveTheReferencesLongContextThresholds() {
        assertEquals(List.of("gpt-5.4 >272000:5.00:22.50", "gpt-5.6-sol >272000:10.00:45.00"),
                tiers(Providers.settings("p", Map.of("OPENAI_API_KEY", "k")).models()));
        assertEquals(List.of(), tiers(Providers.settings("a", Map.of("AZURE_OPENAI_API_KEY", "k"), "dialect", "azure",
                "baseUrl", "https://r.openai.azure.com").models()), "the reference gives no Azure tiers");
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
    void azureUrls() {
        Map<String, String> key = Map.of("AZURE_OPENAI_API_KEY", "k");
        assertEquals("https://r.openai.azure.com/openai/deployments/gpt-4.1/chat/completions?api-version=2024-10-21",
                Providers.settings("a", key, "dialect", "azure", "baseUrl", "https://r.openai.azure.com/").chatUri("gpt-4.1").toString());
        assertEquals("https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-04-01-preview",
                Providers.settings("a", key, "dialect", "azure", "baseUrl", "https://r.openai.azure.com/openai",
                        "apiVersion", "2025-04-01-preview").chatUri("d").toString());
        assertEquals("https://r.openai.azure.com/openai/v1/chat/completions",
                Providers.settings("a", key, "dialect", "azure", "baseUrl", "https://r.openai.azure.com", "azureV1", true)
                        .chatUri("d").toString());
        assertEquals("https://r.cognitiveservices.azure.com/openai/v1/chat/completions",
                Providers.settings("a", key, "dialect", "azure", "baseUrl", "https://r.cognitiveservices.azure.com/openai/v1/",
                        "azureV1", true).chatUri("d").toString());
        OpenAiSettings azure = Providers.settings("a", key, "dialect", "azure", "baseUrl", "https://r.openai.azure.com");
        assertEquals(Dialect.Auth.API_KEY, azure.auth());
        assertEquals("system", azure.systemRole());
        assertEquals("max_completion_tokens", azure.maxTokensField());
        assertFalse(azure.modelInBody());
    }
}
