package io.mcpagent.provider.anthropic.internal;

import java.net.URI;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.ApiKeyContract;

/** The key from ANTHROPIC_API_KEY or a file, sent as x-api-key. */
class AnthropicApiKeyTest extends ApiKeyContract<FakeAnthropic> {

    @Override
    protected FakeAnthropic createFake() {
        return new FakeAnthropic();
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String key, Map<String, Object> configuration) {
        return Configs.provider(baseUri, key, configuration);
    }

    @Override
    protected String keyVariable() {
        return "ANTHROPIC_API_KEY";
    }

    @Override
    protected String sentKeyHeader(FakeAnthropic fake) {
        return fake.last().header("x-api-key");
    }
}
