package io.mcpagent.provider.openai.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.LlmProviderContract;
import io.mcpagent.provider.testkit.WireFake;

/** The platform's provider contract, against a fake Ollama {@code /v1} (no key needed). */
class OllamaContractTest extends LlmProviderContract {

    @Override
    protected WireFake createFake() {
        return new FakeOpenAi();
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries) {
        return Providers.provider("ollama-contract", Map.of(), "dialect", "ollama", "baseUrl", baseUri.toString(),
                "maxRetries", maxRetries);
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries, Duration requestTimeout) {
        return Providers.provider("ollama-contract", Map.of(), "dialect", "ollama", "baseUrl", baseUri.toString(),
                "maxRetries", maxRetries, "requestTimeoutMs", requestTimeout.toMillis());
    }

    @Override
    protected String model() {
        return "qwen3";
    }

    @Override
    protected boolean requiresApiKey() {
        return false;
    }
}
