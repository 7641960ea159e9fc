package io.mcpagent.provider.gemini.internal;

import java.net.URI;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.ApiKeyContract;

/** The key from GEMINI_API_KEY or a file, sent as x-goog-api-key (the fallback to GOOGLE_API_KEY: {@link GeminiConfigTest}). */
class GeminiApiKeyTest extends ApiKeyContract<FakeGemini> {

    @Override
    protected FakeGemini createFake() {
        return new FakeGemini();
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String key, Map<String, Object> configuration) {
        return Configs.provider(baseUri, key, configuration);
    }

    @Override
    protected String keyVariable() {
        return "GEMINI_API_KEY";
    }

    @Override
    protected String sentKeyHeader(FakeGemini fake) {
        return fake.last().header("x-goog-api-key");
    }
}
