package io.mcpagent.provider.cohere.internal;

import java.net.URI;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.ApiKeyContract;

/** The key from CO_API_KEY or a file, sent as a bearer token. */
class CohereApiKeyTest extends ApiKeyContract<FakeCohere> {

    @Override
    protected FakeCohere createFake() {
        return new FakeCohere();
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String key, Map<String, Object> configuration) {
        return Configs.provider(baseUri, key, configuration);
    }

    @Override
    protected String keyVariable() {
        return "CO_API_KEY";
    }

    @Override
    protected String sentKeyHeader(FakeCohere fake) {
        return fake.last().header("authorization");
    }

    @Override
    protected String keyHeaderValue(String key) {
        return "Bearer " + key;
    }
}
