package io.mcpagent.provider.cohere.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.provider.support.ConfigProblems;
import io.mcpagent.provider.support.EndpointSettings;

/**
 * A validated {@link CohereConfig}. {@link #from} collects every mistake of a configuration into one message, so an
 * operator fixes the file once.
 */
record CohereSettings(String id, String name, String description, URI baseUri, URI chatUri, String defaultModel,
                      List<ModelInfo> models, String clientName, boolean strictTools, Duration requestTimeout,
                      Duration connectTimeout, int maxRetries, String apiKeyEnv, String apiKeyFile)
        implements EndpointSettings {

    /** @throws IllegalArgumentException naming every property that is wrong and what is expected */
    static CohereSettings from(String id, CohereConfig config) {
        ConfigProblems problems = new ConfigProblems();
        URI base = problems.baseUrl(config.baseUrl(), "https://api.cohere.com");
        List<ModelInfo> models = problems.models(config.models(), config.defaultModel());
        String clientName = config.clientName() == null ? "" : config.clientName().strip();
        if (clientName.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            problems.add("clientName '" + clientName + "' must be printable ASCII (it is sent as the X-Client-Name header)");
        }
        problems.timeoutsAndRetries(config.requestTimeoutMs(), config.connectTimeoutMs(), config.maxRetries());
        problems.throwIfAny();
        String defaultModel = models.get(0).id();
        String name = blank(config.name()) ? "Cohere " + id : config.name().strip();
        String description = blank(config.description())
                ? "Cohere v2 Chat API at " + base + ", default model " + defaultModel : config.description().strip();
        return new CohereSettings(id, name, description, base, URI.create(base + "/v2/chat"), defaultModel, models,
                clientName, config.strictTools(), Duration.ofMillis(config.requestTimeoutMs()),
                Duration.ofMillis(config.connectTimeoutMs()), config.maxRetries(), config.apiKeyEnv(), config.apiKeyFile());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
