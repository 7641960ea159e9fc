package io.mcpagent.provider.bedrock.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.LlmProviderContract;
import io.mcpagent.provider.testkit.WireFake;

/**
 * The provider contract against the faked Converse API, with SigV4: the contract's key is the secret access key, and
 * the fake rejects any request whose signature does not verify.
 */
class BedrockContractTest extends LlmProviderContract {

    @Override
    protected WireFake createFake() {
        return new FakeBedrock().expectSignedBy(new AwsCredentials(Configs.ACCESS_KEY_ID, "test-key", null), "us-east-1");
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries) {
        return Configs.provider(baseUri, apiKey, Map.of("maxRetries", maxRetries));
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries, Duration requestTimeout) {
        return Configs.provider(baseUri, apiKey, Map.of("maxRetries", maxRetries,
                "requestTimeoutMs", requestTimeout.toMillis()));
    }

    @Override
    protected String model() {
        return "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
    }

    /** A ThrottlingException carries no retry hint. */
    @Override
    protected boolean rateLimitSaysHowLongToWait() {
        return false;
    }
}
