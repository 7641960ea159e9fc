package io.mcpagent.provider.bedrock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.security.Secrets;

/**
 * Configuration: defaults, SigV4 credentials, mistakes of its own, several instances (the bearer key:
 * {@link BedrockApiKeyTest}; the component, its service properties and a configuration with mistakes:
 * {@link BedrockComponentContractTest}).
 */
class BedrockConfigTest {
    private final FakeBedrock fake = new FakeBedrock();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hello")));
    }

    @Test
    void defaults() {
        BedrockSettings settings = BedrockSettings.from("main", Configs.config(Map.of()));
        assertEquals("us-east-1", settings.region());
        assertEquals(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"), settings.baseUri());
        assertFalse(settings.bearer(), "SigV4 by default");
        assertEquals("AWS_ACCESS_KEY_ID", settings.accessKeyIdEnv());
        assertEquals("AWS_SECRET_ACCESS_KEY", settings.secretAccessKeyEnv());
        assertEquals("AWS_SESSION_TOKEN", settings.sessionTokenEnv());
        assertEquals("AWS_BEARER_TOKEN_BEDROCK", settings.apiKeyEnv());
        assertEquals("", settings.credentialsFile());
        assertEquals("default", settings.credentialsProfile());
        assertEquals(Duration.ofSeconds(120), settings.requestTimeout());
        assertEquals(Duration.ofSeconds(10), settings.connectTimeout());
        assertEquals(2, settings.maxRetries());
        assertEquals("global.anthropic.claude-sonnet-4-5-20250929-v1:0", settings.defaultModel());
        assertEquals("Bedrock main", settings.name());
        ModelInfo sonnet = settings.models().get(0);
        assertEquals(Set.of(ModelCapability.values()), sonnet.capabilities());
        assertEquals(200_000, sonnet.contextWindow());
        assertEquals(new BigDecimal("3.00"), sonnet.inputPricePerMillion());
        assertEquals(new BigDecimal("15.00"), sonnet.outputPricePerMillion());
        ModelInfo micro = settings.models().stream().filter(m -> m.id().equals("amazon.nova-micro-v1:0")).findFirst().orElseThrow();
        assertEquals(new BigDecimal("0.035"), micro.inputPricePerMillion());
        assertFalse(micro.capabilities().contains(ModelCapability.VISION));
        assertTrue(settings.models().size() >= 8);
    }

    @Test
    void builtInModelsCarryTheReferenceCachePricesWhereItNamesThem() {
        BedrockSettings settings = BedrockSettings.from("main", Configs.config(Map.of()));
        assertEquals(List.of(
                "global.anthropic.claude-sonnet-4-5-20250929-v1:0 0.30 3.75",
                "global.anthropic.claude-opus-4-5-20251101-v1:0 0.50 6.25",
                "global.anthropic.claude-haiku-4-5-20251001-v1:0 null null",
                "amazon.nova-pro-v1:0 0.20 null",
                "amazon.nova-lite-v1:0 0.015 null",
                "amazon.nova-micro-v1:0 0.00875 null",
                "us.meta.llama4-maverick-17b-instruct-v1:0 null null",
                "openai.gpt-oss-120b-1:0 null null"), cachePrices(settings.models()));
    }

    /** Each model as {@code id cacheRead cacheWrite} (prices per million tokens, null when not set). */
    private static List<String> cachePrices(List<ModelInfo> models) {
        return models.stream()
                .map(m -> m.id() + " " + m.cacheReadPricePerMillion() + " " + m.cacheWritePricePerMillion())
                .toList();
    }

    @Test
    void aDefaultModelThatIsNotListedIsAddedFirst() {
        BedrockSettings settings = BedrockSettings.from("br", Configs.config(Map.of("defaultModel",
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc")));
        assertEquals("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
                settings.models().get(0).id());
        assertEquals(settings.models().get(0).id(), settings.defaultModel());
        assertEquals("global.anthropic.claude-sonnet-4-5-20250929-v1:0", settings.models().get(1).id());
    }

    @Test
    void theRegionNamesTheEndpointUnlessABaseUrlIsGiven() {
        assertEquals(URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com"),
                BedrockSettings.from("eu", Configs.config(Map.of("region", "eu-central-1"))).baseUri());
        assertEquals(URI.create("https://bedrock-runtime.cn-north-1.amazonaws.com.cn"),
                BedrockSettings.from("cn", Configs.config(Map.of("region", "cn-north-1"))).baseUri());
        BedrockSettings vpc = BedrockSettings.from("vpc", Configs.config(Map.of("region", "us-gov-west-1",
                "baseUrl", "https://vpce-0abc.bedrock-runtime.us-gov-west-1.vpce.amazonaws.com/gateway/")));
        assertEquals(URI.create("https://vpce-0abc.bedrock-runtime.us-gov-west-1.vpce.amazonaws.com/gateway/model/m%3A1/converse"),
                vpc.converseUri("m:1", false), "a trailing slash dropped, a base path kept");
    }

    @Test
    void aBasePathIsSignedWithTheRest() {
        fake.expectSignedBy(Configs.signer(), "us-east-1");
        fake.enqueueText("ok", 1, 1);
        Configs.provider(URI.create(fake.baseUri() + "/bedrock%20proxy"), Configs.SECRET, Map.of()).chat(hello());
        assertEquals("/bedrock%20proxy/model/global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", fake.last().rawPath());
        assertEquals(1, fake.requests(), "the fake verified the signature over the whole path");
    }

    @Test
    void withoutCredentialsTheProviderIsDownNamingTheVariablesAndSendsNothing() {
        BedrockProvider provider = Configs.provider(fake.baseUri(), Map.of(), Map.of());
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        assertTrue(health.message().contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), health.message());
        assertTrue(health.message().contains("AWS_SESSION_TOKEN"), health.message());
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.AUTH, failure.error().category());
        assertFalse(failure.error().retryable());
        assertTrue(failure.getMessage().contains("AWS_SECRET_ACCESS_KEY"), failure.getMessage());
        assertThrows(ProviderException.class, () -> provider.stream(hello(), e -> { }));
        assertEquals(0, fake.requests());
        assertFalse(provider.models().isEmpty(), "the models are still listed");
    }

    @Test
    void onlyTheMissingVariableIsNamedAndConfiguredNamesAreUsed() {
        BedrockProvider secretMissing = Configs.provider(fake.baseUri(), (String) null, Map.of());
        assertTrue(secretMissing.health().message().contains("variable AWS_SECRET_ACCESS_KEY "), secretMissing.health().message());
        assertFalse(secretMissing.health().message().contains("AWS_ACCESS_KEY_ID"), secretMissing.health().message());

        BedrockProvider custom = Configs.provider(fake.baseUri(), Map.of("TEAM_KEY_ID", "AKIATEAM", "TEAM_SECRET", "s3cr3t"),
                Map.of("accessKeyIdEnv", "TEAM_KEY_ID", "secretAccessKeyEnv", "TEAM_SECRET"));
        assertEquals(PluginHealth.Status.UP, custom.health().status());
        fake.expectSignedBy(new AwsCredentials("AKIATEAM", "s3cr3t", null), "us-east-1");
        fake.enqueueText("ok", 1, 1);
        custom.chat(hello());
        assertFalse(custom.toString().contains("s3cr3t"), custom.toString());
    }

    @Test
    void aCredentialsFileProblemIsNamed(@TempDir Path dir) throws IOException {
        Path absent = dir.resolve("absent");
        BedrockProvider noFile = Configs.provider(fake.baseUri(), Map.of(), Map.of("credentialsFile", absent.toString()));
        assertEquals(PluginHealth.Status.DOWN, noFile.health().status());
        assertTrue(noFile.health().message().contains("credentialsFile names no file there is"),
                noFile.health().message());
        String pasted = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        BedrockProvider secretInPlace = Configs.provider(fake.baseUri(), Map.of(), Map.of("credentialsFile", pasted));
        assertFalse(secretInPlace.health().message().contains("EXAMPLEKEY"), "a value naming no file is not repeated");

        Path file = dir.resolve("credentials");
        Files.writeString(file, "[default]\naws_access_key_id = AKIA1\n");
        BedrockProvider noSecret = Configs.provider(fake.baseUri(), Map.of(), Map.of("credentialsFile", file.toString()));
        assertTrue(noSecret.health().message().contains("aws_secret_access_key"), noSecret.health().message());
        BedrockProvider noProfile = Configs.provider(fake.baseUri(), Map.of(), Map.of("credentialsFile", file.toString(),
                "credentialsProfile", "prod"));
        assertTrue(noProfile.health().message().contains("[prod]"), noProfile.health().message());
        ProviderException failure = assertThrows(ProviderException.class, () -> noProfile.chat(hello()));
        assertEquals(Category.AUTH, failure.error().category());
        assertEquals(0, fake.requests());
        // shown masked (REST, the shell, the history), it read "has no credentials: [redacted] read the credentials
        // file"
        assertEquals(failure.getMessage(), Secrets.redact(failure.getMessage()));
        assertTrue(failure.getMessage().contains("has no credentials ("), failure.getMessage());
    }

    @Test
    void bearerWithoutAnyKeySourceIsAMistake() {
        BedrockProvider provider = Configs.provider(fake.baseUri(), Map.of("AWS_BEARER_TOKEN_BEDROCK", "unused"),
                Map.of("auth", "bearer", "apiKeyEnv", ""));
        assertEquals(PluginHealth.Status.DOWN, provider.health().status());
        assertTrue(provider.health().message().contains("auth=bearer needs apiKeyEnv or apiKeyFile"), provider.health().message());
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertEquals(0, fake.requests());
    }

    @Test
    void aBadModelSpecAloneMakesItDownNamingTheSpec() {
        BedrockProvider provider = Configs.provider(fake.baseUri(), Configs.SECRET, Map.of("models",
                new String[] {"amazon.nova-pro-v1:0;tools;300000;0.80;3.20", "amazon.nova-lite-v1:0;tools;lots"}));
        assertEquals(PluginHealth.Status.DOWN, provider.health().status());
        assertTrue(provider.health().message().contains("amazon.nova-lite-v1:0;tools;lots"), provider.health().message());
        assertTrue(provider.health().message().contains("'lots' is not a number"), provider.health().message());
    }

    @Test
    void severalInstancesLiveSideBySide() {
        FakeBedrock second = new FakeBedrock();
        try {
            fake.expectSignedBy(Configs.signer(), "us-east-1");
            second.expectSignedBy(new AwsCredentials("AKIAEUROPE", "eu-secret", null), "eu-west-1");
            BedrockProvider us = Configs.provider(fake.baseUri());
            BedrockProvider eu = BedrockProvider.create("bedrock-eu", Configs.config(Map.of("baseUrl", second.baseUri().toString(),
                    "region", "eu-west-1", "accessKeyIdEnv", "EU_KEY_ID", "secretAccessKeyEnv", "EU_SECRET",
                    "defaultModel", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0")),
                    Map.of("EU_KEY_ID", "AKIAEUROPE", "EU_SECRET", "eu-secret")::get, Configs.ticking());
            fake.enqueueText("from us-east-1", 1, 1);
            second.enqueueText("from eu-west-1", 1, 1);
            assertEquals("from eu-west-1", eu.chat(hello()).message().text());
            assertEquals("from us-east-1", us.chat(hello()).message().text());
            assertEquals("/model/eu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", second.last().rawPath());
            assertTrue(second.last().header("Authorization").contains("/eu-west-1/bedrock/aws4_request"));
            us.close();
            eu.close();
        } finally {
            second.close();
        }
    }

}
