package io.mcpagent.provider.anthropic.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.LlmProviderContract;
import io.mcpagent.provider.testkit.WireFake;

/** The provider contract against the faked Messages API. */
class AnthropicContractTest extends LlmProviderContract {

    @Override
    protected WireFake createFake() {
        return new FakeAnthropic();
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
        return "claude-sonnet-4-5";
    }
}
