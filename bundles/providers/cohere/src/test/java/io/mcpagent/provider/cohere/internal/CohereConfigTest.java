package io.mcpagent.provider.cohere.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.security.SecretHolder;
import io.mcpagent.provider.support.ProviderPlugin;
import io.mcpagent.provider.support.ProviderServiceProperties;

/** Configuration: defaults, mistakes, several instances, service properties (the key: {@link CohereApiKeyTest}). */
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
    void mistakesAreAllNamedAndTheProviderIsDown() {
        CohereProvider provider = CohereProvider.create("broken", Configs.config(Map.of(
                "baseUrl", "api.cohere.com",
                "models", new String[] {"command-x;tools,telepathy"},
                "clientName", "naïve\tname",
                "requestTimeoutMs", 0L,
                "maxRetries", -1)), name -> "key");
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        for (String named : List.of("baseUrl", "telepathy", "clientName", "requestTimeoutMs", "maxRetries")) {
            assertTrue(health.message().contains(named), named + " in: " + health.message());
        }
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("baseUrl"), failure.getMessage());
        assertEquals(List.of(), provider.models());
        Hashtable<String, Object> properties = ProviderPlugin.serviceProperties(CohereProviderComponent.FAMILY, provider, "0.1.0");
        assertEquals("broken", properties.get(PluginProperties.ID));
        assertEquals("provider", properties.get(PluginProperties.KIND));
        assertTrue(((String) properties.get(PluginProperties.DESCRIPTION)).startsWith("misconfigured: "));
        assertFalse(properties.containsKey("mcpagent.provider.baseUrl"));
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
            assertEquals("cohere-prod", ProviderPlugin.serviceProperties(CohereProviderComponent.FAMILY, production, "1").get(PluginProperties.ID));
            assertEquals("cohere-trial", ProviderPlugin.serviceProperties(CohereProviderComponent.FAMILY, trial, "1").get(PluginProperties.ID));
            production.close();
            trial.close();
        }
    }

    @Test
    void theComponentRegistersTheProviderWithItsPropertiesAndUnregistersIt() {
        List<Object[]> registered = new ArrayList<>();
        AtomicInteger unregistered = new AtomicInteger();
        ServiceRegistration<?> registration = proxy(ServiceRegistration.class, (method, args) -> {
            if (method.equals("unregister")) {
                unregistered.incrementAndGet();
            }
            return null;
        });
        Bundle bundle = proxy(Bundle.class, (method, args) -> method.equals("getVersion") ? Version.parseVersion("0.1.0") : null);
        BundleContext context = proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getBundle" -> bundle;
            case "registerService" -> {
                registered.add(args);
                yield registration;
            }
            default -> null;
        });
        CohereProviderComponent component = new CohereProviderComponent(context, Configs.config(Map.of()),
                Map.of("service.pid", "io.mcpagent.provider.cohere~cohere-eu"));
        assertEquals(2, registered.size(), "the provider and the secret holder of its key");
        assertEquals(LlmProvider.class, registered.get(0)[0]);
        assertEquals(SecretHolder.class, registered.get(1)[0]);
        CohereProvider provider = (CohereProvider) registered.get(0)[1];
        Dictionary<?, ?> properties = (Dictionary<?, ?>) registered.get(0)[2];
        assertEquals("cohere-eu", properties.get(PluginProperties.ID));
        assertEquals("0.1.0", properties.get(PluginProperties.VERSION));
        assertEquals("cohere", properties.get("mcpagent.provider.family"));
        assertEquals(System.getenv("CO_API_KEY") == null ? PluginHealth.Status.DOWN : PluginHealth.Status.UP,
                provider.health().status(), "the key comes from the process environment");
        component.deactivate();
        assertEquals(2, unregistered.get());
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.apply(method.getName(), args));
    }

    @Test
    void serviceProperties() {
        CohereProvider provider = CohereProvider.create("cohere-main", Configs.config(Map.of(
                "models", new String[] {"command-r7b-12-2024;tools,streaming;128000;0.0375;0.15", "command-a-03-2025"})),
                name -> "key");
        Hashtable<String, Object> properties = ProviderPlugin.serviceProperties(CohereProviderComponent.FAMILY, provider, "0.1.0.SNAPSHOT");
        assertEquals("cohere-main", properties.get(PluginProperties.ID));
        assertEquals("provider", properties.get(PluginProperties.KIND));
        assertEquals("0.1.0.SNAPSHOT", properties.get(PluginProperties.VERSION));
        assertEquals("Cohere cohere-main", properties.get(PluginProperties.NAME));
        assertEquals("Cohere v2 Chat API at https://api.cohere.com, default model command-r7b-12-2024",
                properties.get(PluginProperties.DESCRIPTION));
        assertEquals("cohere", properties.get("mcpagent.provider.family"));
        assertEquals("https://api.cohere.com", properties.get("mcpagent.provider.baseUrl"));
        assertArrayEquals(new String[] {"command-r7b-12-2024", "command-a-03-2025"}, (String[]) properties.get("mcpagent.provider.models"));
        assertEquals("command-r7b-12-2024", properties.get("mcpagent.provider.defaultModel"));
        assertEquals("io.mcpagent.provider.cohere~cohere-main", properties.get("mcpagent.provider.configuration"));
        assertEquals("cohere-main", ProviderServiceProperties.pluginId(Map.of("service.pid", "io.mcpagent.provider.cohere~cohere-main")));
        provider.close();
    }
}
