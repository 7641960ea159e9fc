package io.mcpagent.provider.openai.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.LlmProviderContract;
import io.mcpagent.provider.testkit.WireFake;

/** The platform's provider contract, against the fake OpenAI API. */
class OpenAiContractTest extends LlmProviderContract {

    @Override
    protected WireFake createFake() {
        return new FakeOpenAi();
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries) {
        return Providers.provider("openai-contract", apiKey == null ? Map.of() : Map.of("OPENAI_API_KEY", apiKey),
                "baseUrl", baseUri.toString(), "maxRetries", maxRetries);
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries, Duration requestTimeout) {
        return Providers.provider("openai-contract", apiKey == null ? Map.of() : Map.of("OPENAI_API_KEY", apiKey),
                "baseUrl", baseUri.toString(), "maxRetries", maxRetries, "requestTimeoutMs", requestTimeout.toMillis());
    }

    @Override
    protected String model() {
        return "gpt-5.4-mini";
    }
}
