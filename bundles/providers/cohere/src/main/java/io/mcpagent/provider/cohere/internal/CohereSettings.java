package io.mcpagent.provider.cohere.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.provider.support.ModelSpecs;

/**
 * A validated {@link CohereConfig}. {@link #from} collects every mistake of a configuration into one message, so an
 * operator fixes the file once.
 */
record CohereSettings(String id, String name, String description, URI baseUri, URI chatUri, String defaultModel,
                      List<ModelInfo> models, String clientName, boolean strictTools, Duration requestTimeout,
                      Duration connectTimeout, int maxRetries, String apiKeyEnv, String apiKeyFile) {

    /** @throws IllegalArgumentException naming every property that is wrong and what is expected */
    static CohereSettings from(String id, CohereConfig config) {
        List<String> problems = new ArrayList<>();
        URI base = null;
        String baseUrl = config.baseUrl() == null ? "" : config.baseUrl().strip();
        try {
            base = new URI(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
                problems.add("baseUrl '" + baseUrl + "' is not an http(s) URL with a host, e.g. https://api.cohere.com");
                base = null;
            } else if (base.getQuery() != null || base.getFragment() != null) {
                problems.add("baseUrl '" + baseUrl + "' must not have a query or fragment");
                base = null;
            }
        } catch (URISyntaxException e) {
            problems.add("baseUrl '" + baseUrl + "' is not a URL: " + e.getMessage());
        }
        List<ModelInfo> models = List.of();
        try {
            models = ModelSpecs.parse(config.models() == null ? new String[0] : config.models());
            if (models.isEmpty() && blank(config.defaultModel())) {
                problems.add("models is empty and no defaultModel is set: name at least one model");
            }
        } catch (IllegalArgumentException e) {
            problems.add("models: " + e.getMessage());
        }
        String clientName = config.clientName() == null ? "" : config.clientName().strip();
        if (clientName.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            problems.add("clientName '" + clientName + "' must be printable ASCII (it is sent as the X-Client-Name header)");
        }
        if (config.requestTimeoutMs() <= 0) {
            problems.add("requestTimeoutMs " + config.requestTimeoutMs() + " must be positive");
        }
        if (config.connectTimeoutMs() <= 0) {
            problems.add("connectTimeoutMs " + config.connectTimeoutMs() + " must be positive");
        }
        if (config.maxRetries() < 0) {
            problems.add("maxRetries " + config.maxRetries() + " must not be negative");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String defaultModel = blank(config.defaultModel()) ? models.get(0).id() : config.defaultModel().strip();
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
