package io.mcpagent.provider.anthropic.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.provider.support.ConfigProblems;
import io.mcpagent.provider.support.EndpointSettings;

/**
 * A validated {@link AnthropicConfig}. {@link #from} collects every mistake of a configuration into one message, so an
 * operator fixes the file once.
 */
record AnthropicSettings(String id, String name, String description, URI baseUri, URI messagesUri, String apiVersion,
                         List<String> betas, String defaultModel, List<ModelInfo> models, int defaultMaxTokens,
                         boolean structuredOutputByTool, String cacheTtl, Duration requestTimeout,
                         Duration connectTimeout, int maxRetries, String apiKeyEnv, String apiKeyFile)
        implements EndpointSettings {

    static final String OUTPUT_CONFIG = "output_config";
    static final String TOOL = "tool";

    /** @throws IllegalArgumentException naming every property that is wrong and what is expected */
    static AnthropicSettings from(String id, AnthropicConfig config) {
        ConfigProblems problems = new ConfigProblems();
        URI base = problems.baseUrl(config.baseUrl(), "https://api.anthropic.com");
        List<ModelInfo> models = problems.models(config.models(), config.defaultModel());
        if (blank(config.apiVersion())) {
            problems.add("apiVersion is empty; Anthropic needs it, e.g. 2023-06-01");
        }
        if (config.defaultMaxTokens() <= 0) {
            problems.add("defaultMaxTokens " + config.defaultMaxTokens() + " must be positive");
        }
        String structured = config.structuredOutput() == null ? "" : config.structuredOutput().strip().toLowerCase(Locale.ROOT);
        if (!structured.equals(OUTPUT_CONFIG) && !structured.equals(TOOL)) {
            problems.add("structuredOutput '" + config.structuredOutput() + "' unknown; use output_config or tool");
        }
        String ttl = config.cacheTtl() == null ? "" : config.cacheTtl().strip();
        if (!ttl.isEmpty() && !ttl.equals("5m") && !ttl.equals("1h")) {
            problems.add("cacheTtl '" + ttl + "' unknown; leave it empty or use 5m or 1h");
        }
        problems.timeoutsAndRetries(config.requestTimeoutMs(), config.connectTimeoutMs(), config.maxRetries());
        List<String> betas = config.betas() == null ? List.of() : Arrays.stream(config.betas())
                .flatMap(b -> Arrays.stream(b.split(","))).map(String::strip).filter(b -> !b.isEmpty()).toList();
        problems.throwIfAny();
        String defaultModel = models.get(0).id();
        String name = blank(config.name()) ? "Anthropic " + id : config.name().strip();
        String description = blank(config.description())
                ? "Anthropic Messages API at " + base + ", default model " + defaultModel : config.description().strip();
        return new AnthropicSettings(id, name, description, base, URI.create(base + "/v1/messages"),
                config.apiVersion().strip(), betas, defaultModel, models, config.defaultMaxTokens(),
                structured.equals(TOOL), ttl, Duration.ofMillis(config.requestTimeoutMs()),
                Duration.ofMillis(config.connectTimeoutMs()), config.maxRetries(), config.apiKeyEnv(), config.apiKeyFile());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
