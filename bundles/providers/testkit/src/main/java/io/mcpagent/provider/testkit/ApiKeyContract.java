package io.mcpagent.provider.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * How a provider treats its API key, when its configuration names the key by {@code apiKeyEnv} (an environment
 * variable) and {@code apiKeyFile} (a file, which wins over the variable). Without its key the provider is DOWN,
 * names the variable and sends nothing; with neither source it sends no key, for a gateway that adds one; the key
 * never shows in its {@code toString}. A provider's test extends this class with its {@link WireFake}.
 */
@Timeout(60)
public abstract class ApiKeyContract<F extends WireFake> {
    private F fake;

    /** A started fake of the vendor's server. */
    protected abstract F createFake();

    /**
     * The provider under test pointed at {@code baseUri}, with {@code key} (null: none) in the variable it reads by
     * default, and {@code configuration} overriding the defaults of its configuration.
     */
    protected abstract LlmProvider createProvider(URI baseUri, String key, Map<String, Object> configuration);

    /** The environment variable the provider reads its key from by default, e.g. {@code ANTHROPIC_API_KEY}. */
    protected abstract String keyVariable();

    /** The header that carried the key in the last request {@code fake} received; null when it had none. */
    protected abstract String sentKeyHeader(F fake);

    /** What that header holds for {@code key}: the key itself, unless overridden (e.g. {@code "Bearer " + key}). */
    protected String keyHeaderValue(String key) {
        return key;
    }

    @BeforeEach
    void startFake() {
        fake = createFake();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hello")));
    }

    @Test
    public void withoutItsKeyTheProviderIsDownNamingTheVariableAndSendsNothing() {
        LlmProvider provider = createProvider(fake.baseUri(), null, Map.of());
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        assertTrue(health.message().contains(keyVariable()), health.message());
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(ProviderError.Category.AUTH, failure.error().category());
        assertFalse(failure.error().retryable());
        assertTrue(failure.getMessage().contains(keyVariable()), failure.getMessage());
        assertThrows(ProviderException.class, () -> provider.stream(hello(), e -> { }));
        assertEquals(0, fake.requests());
        assertFalse(provider.models().isEmpty(), "the models are still listed");
    }

    @Test
    public void anotherVariableIsNamedWhenConfigured() {
        LlmProvider provider = createProvider(fake.baseUri(), "ignored", Map.of("apiKeyEnv", "TEAM_LLM_KEY"));
        assertEquals(PluginHealth.Status.DOWN, provider.health().status());
        assertTrue(provider.health().message().contains("TEAM_LLM_KEY"), provider.health().message());
    }

    @Test
    public void theKeyFileWinsOverTheVariableAndIsSent(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("api.key");
        Files.writeString(file, "key-from-the-file\n");
        LlmProvider provider = createProvider(fake.baseUri(), "key-from-the-variable", Map.of("apiKeyFile", file.toString()));
        assertEquals(PluginHealth.Status.UP, provider.health().status());
        fake.enqueueText("ok", 1, 1);
        provider.chat(hello());
        assertEquals(keyHeaderValue("key-from-the-file"), sentKeyHeader(fake));
        assertFalse(provider.toString().contains("key-from"), provider.toString());
    }

    @Test
    public void aKeyFileWrittenAgainIsSentFromTheNextCall(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("api.key");
        Files.writeString(file, "key-before-rotation\n");
        LlmProvider provider = createProvider(fake.baseUri(), null, Map.of("apiKeyFile", file.toString()));
        fake.enqueueText("ok", 1, 1);
        provider.chat(hello());
        assertEquals(keyHeaderValue("key-before-rotation"), sentKeyHeader(fake));
        Files.writeString(file, "key-after-rotation\n");
        // a later modification time, as the rotation brings, whatever the file system's clock granularity
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2)));
        fake.enqueueText("ok", 1, 1);
        provider.chat(hello());
        assertEquals(keyHeaderValue("key-after-rotation"), sentKeyHeader(fake));
    }

    /**
     * Whether the provider works without any key source (for a gateway that adds the key itself). A provider that
     * needs one answers false; it must then be DOWN without a key source and send nothing.
     */
    protected boolean worksWithoutKeySource() {
        return true;
    }

    @Test
    public void withoutAnyKeySourceNoKeyIsSentForAGatewayThatAddsItOrTheProviderIsDown() {
        LlmProvider provider = createProvider(fake.baseUri(), "unused", Map.of("apiKeyEnv", ""));
        if (!worksWithoutKeySource()) {
            assertEquals(PluginHealth.Status.DOWN, provider.health().status());
            assertThrows(ProviderException.class, () -> provider.chat(hello()));
            assertEquals(0, fake.requests(), "nothing is sent");
            return;
        }
        assertEquals(PluginHealth.Status.UP, provider.health().status());
        fake.enqueueText("ok", 1, 1);
        provider.chat(hello());
        assertNull(sentKeyHeader(fake));
    }
}
