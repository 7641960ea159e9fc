package io.mcpagent.provider.bedrock.internal;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.testkit.ApiKeyContract;

/** auth=bearer: the Bedrock API key from AWS_BEARER_TOKEN_BEDROCK or a file, sent as a bearer token. */
class BedrockApiKeyTest extends ApiKeyContract<FakeBedrock> {

    @Override
    protected FakeBedrock createFake() {
        return new FakeBedrock();
    }

    @Override
    protected LlmProvider createProvider(URI baseUri, String key, Map<String, Object> configuration) {
        Map<String, Object> bearer = new HashMap<>(configuration);
        bearer.put("auth", "bearer");
        return Configs.provider(baseUri, key == null ? Map.of() : Map.of("AWS_BEARER_TOKEN_BEDROCK", key), bearer);
    }

    @Override
    protected String keyVariable() {
        return "AWS_BEARER_TOKEN_BEDROCK";
    }

    @Override
    protected String sentKeyHeader(FakeBedrock fake) {
        return fake.last().header("Authorization");
    }

    @Override
    protected String keyHeaderValue(String key) {
        return "Bearer " + key;
    }

    /** auth=bearer without apiKeyEnv and apiKeyFile is a configuration mistake: Bedrock has no key-less mode. */
    @Override
    protected boolean worksWithoutKeySource() {
        return false;
    }
}
