package io.mcpagent.provider.openai.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.LlmProviderContract;
import io.mcpagent.provider.testkit.WireFake;

/** The platform's provider contract, against a fake Azure OpenAI resource (deployment URLs, api-key header). */
class AzureContractTest extends LlmProviderContract {

    @Override
    protected WireFake createFake() {
        return new FakeOpenAi("");
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries) {
        return Providers.provider("azure-contract", apiKey == null ? Map.of() : Map.of("AZURE_OPENAI_API_KEY", apiKey),
                "dialect", "azure", "baseUrl", baseUri.toString(), "maxRetries", maxRetries, "defaultModel", "chat-deployment");
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries, Duration requestTimeout) {
        return Providers.provider("azure-contract", apiKey == null ? Map.of() : Map.of("AZURE_OPENAI_API_KEY", apiKey),
                "dialect", "azure", "baseUrl", baseUri.toString(), "maxRetries", maxRetries, "defaultModel",
                "chat-deployment", "requestTimeoutMs", requestTimeout.toMillis());
    }

    @Override
    protected String model() {
        return "chat-deployment";
    }
}
