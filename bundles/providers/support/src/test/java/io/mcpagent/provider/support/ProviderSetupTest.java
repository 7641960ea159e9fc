package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;

class ProviderSetupTest {
    private static final String PID = "io.mcpagent.provider.acme";
    private static final List<ModelInfo> MODELS = List.of(new ModelInfo("acme-1", Set.of(ModelCapability.TOOLS), 8000, null, null));

    private record Settings(String name, String description, URI baseUri, String defaultModel, List<ModelInfo> models,
                            Duration connectTimeout, Duration requestTimeout, int maxRetries, String apiKeyEnv)
            implements EndpointSettings {
    }

    private static Settings settings(String apiKeyEnv) {
        return new Settings("Acme main", "Acme at example", URI.create("https://api.acme.example"), "acme-1", MODELS,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 2, apiKeyEnv);
    }

    private static ProviderSetup<Settings> setup(Settings settings, Map<String, String> environment) {
        Function<String, String> env = environment::get;
        return ProviderSetup.resolve("acme-main", PID, () -> settings,
                valid -> ApiKeys.resolve("acme-main", valid.apiKeyEnv(), null, env));
    }

    @Test
    void validSettingsWithTheirKeyAreReady() {
        ProviderSetup<Settings> setup = setup(settings("ACME_KEY"), Map.of("ACME_KEY", "acme-secret"));
        assertNull(setup.problem());
        assertEquals(PluginHealth.Status.UP, setup.health().status());
        assertEquals(MODELS, setup.models());
        assertEquals("acme-secret", setup.key().key());
        assertEquals("acme-main", setup.providerId());
        setup.requireReady();
        assertEquals("acme-main, https://api.acme.example, key ApiKeys[****]", setup.toString());
    }

    @Test
    void aMissingKeyIsDownNamingTheVariableAndFailsCallsAsAuth() {
        ProviderSetup<Settings> setup = setup(settings("ACME_KEY"), Map.of());
        assertEquals(PluginHealth.Status.DOWN, setup.health().status());
        assertTrue(setup.problem().contains("ACME_KEY"), setup.problem());
        assertEquals(MODELS, setup.models(), "the models are still listed");
        ProviderException failure = assertThrows(ProviderException.class, setup::requireReady);
        assertEquals(Category.AUTH, failure.error().category());
        assertFalse(failure.error().retryable());
        assertTrue(failure.error().message().startsWith("provider 'acme-main' has no API key: set the environment variable ACME_KEY"),
                failure.error().message());
    }

    @Test
    void aWrongConfigurationIsDownNamingTheFileAndFailsCallsAsInvalid() {
        ProviderSetup<Settings> setup = ProviderSetup.resolve("acme-main", PID, () -> {
            throw new IllegalArgumentException("baseUrl 'x' is not a URL");
        }, valid -> {
            throw new AssertionError("no key is resolved for settings that are not valid");
        });
        assertNull(setup.settings());
        assertNull(setup.key().key());
        assertEquals(List.of(), setup.models());
        assertEquals("misconfigured (etc/io.mcpagent.provider.acme~acme-main.cfg.json): baseUrl 'x' is not a URL",
                setup.problem());
        assertEquals(PluginHealth.Status.DOWN, setup.health().status());
        assertEquals(setup.problem(), setup.health().message());
        ProviderException failure = assertThrows(ProviderException.class, setup::requireReady);
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertFalse(failure.error().retryable());
        assertEquals("provider 'acme-main' is misconfigured (etc/io.mcpagent.provider.acme~acme-main.cfg.json): "
                + "baseUrl 'x' is not a URL", failure.error().message());
        assertEquals("acme-main, key ApiKeys[none]", setup.toString());
    }

    @Test
    void noKeySourceMeansNoKeyAndNoProblem() {
        ProviderSetup<Settings> setup = setup(settings(""), Map.of());
        assertNull(setup.problem());
        assertNull(setup.key().key());
        setup.requireReady();
    }
}
