package io.mcpagent.provider.cohere.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * Configuration: defaults, a bad model spec, several instances (the key: {@link CohereApiKeyTest}; the component, its
 * service properties and a configuration with mistakes: {@link CohereComponentContractTest}).
 */
class CohereConfigTest {
    private final FakeCohere fake = new FakeCohere();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hello")));
    }

    @Test
    void defaults() {
        CohereSettings settings = CohereSettings.from("main", Configs.config(Map.of()));
        assertEquals(URI.create("https://api.cohere.com"), settings.baseUri());
        assertEquals(URI.create("https://api.cohere.com/v2/chat"), settings.chatUri());
        assertEquals("CO_API_KEY", settings.apiKeyEnv());
        assertEquals("", settings.clientName());
        assertFalse(settings.strictTools());
        assertEquals(Duration.ofSeconds(120), settings.requestTimeout());
        assertEquals(Duration.ofSeconds(10), settings.connectTimeout());
        assertEquals(2, settings.maxRetries());
        assertEquals("command-a-03-2025", settings.defaultModel());
        assertEquals("Cohere main", settings.name());
        assertEquals(List.of("command-a-03-2025", "command-a-reasoning-08-2025", "command-a-vision-07-2025",
                "command-a-plus-05-2026", "command-r7b-12-2024"), settings.models().stream().map(ModelInfo::id).toList());
        ModelInfo commandA = settings.models().get(0);
        assertEquals(Set.of(ModelCapability.TOOLS, ModelCapability.STRUCTURED_OUTPUT, ModelCapability.STREAMING),
                commandA.capabilities());
        assertEquals(256_000, commandA.contextWindow());
        assertEquals(new BigDecimal("2.50"), commandA.inputPricePerMillion());
        assertEquals(new BigDecimal("10.00"), commandA.outputPricePerMillion());
        assertTrue(settings.models().get(1).capabilities().contains(ModelCapability.REASONING));
        assertTrue(settings.models().get(2).capabilities().contains(ModelCapability.VISION));
        assertNull(settings.models().get(3).inputPricePerMillion(), "no published price: unknown, not zero");
        assertEquals(new BigDecimal("0.0375"), settings.models().get(4).inputPricePerMillion());
    }

    @Test
    void aDefaultModelThatIsNotListedIsAddedFirst() {
        CohereSettings settings = CohereSettings.from("co", Configs.config(Map.of("defaultModel", "command-x")));
        assertEquals("command-x", settings.defaultModel());
        assertEquals(List.of("command-x", "command-a-03-2025"),
                settings.models().stream().limit(2).map(ModelInfo::id).toList());
    }

    @Test
    void aTrailingSlashAndABasePathAreKept() {
        CohereSettings settings = CohereSettings.from("gw", Configs.config(Map.of("baseUrl", "https://gateway.example.com/cohere/")));
        assertEquals(URI.create("https://gateway.example.com/cohere/v2/chat"), settings.chatUri());
    }

    @Test
    void aBadModelSpecMakesTheProviderDownNamingIt() {
        CohereProvider provider = CohereProvider.create("cohere-bad", Configs.config(Map.of(
                "models", new String[] {"command-a-03-2025;tools;256k"})), name -> "key");
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        assertTrue(health.message().contains("command-a-03-2025;tools;256k"), health.message());
        assertTrue(health.message().contains("context window"), health.message());
        assertTrue(health.message().contains("io.mcpagent.provider.cohere~cohere-bad.cfg.json"), health.message());
    }

    @Test
    void severalInstancesRunSideBySide() {
        try (FakeCohere other = new FakeCohere()) {
            CohereProvider production = CohereProvider.create("cohere-prod", Configs.config(Map.of(
                    "baseUrl", fake.baseUri().toString(), "clientName", "prod-agent")), name -> name.equals("CO_API_KEY") ? "key-prod" : null);
            CohereProvider trial = CohereProvider.create("cohere-trial", Configs.config(Map.of(
                    "baseUrl", other.baseUri().toString(), "apiKeyEnv", "CO_TRIAL_KEY", "defaultModel", "command-r7b-12-2024")),
                    name -> name.equals("CO_TRIAL_KEY") ? "key-trial" : null);
            fake.enqueueText("from prod", 1, 1);
            other.enqueueText("from trial", 1, 1);
            assertEquals("from prod", production.chat(hello()).message().text());
            assertEquals("from trial", trial.chat(hello()).message().text());
            assertEquals("Bearer key-prod", fake.last().header("authorization"));
            assertEquals("prod-agent", fake.last().header("x-client-name"));
            assertEquals("command-a-03-2025", fake.last().json().get("model").asText());
            assertEquals("Bearer key-trial", other.last().header("authorization"));
            assertNull(other.last().header("x-client-name"));
            assertEquals("command-r7b-12-2024", other.last().json().get("model").asText());
            production.close();
            trial.close();
        }
    }

}
