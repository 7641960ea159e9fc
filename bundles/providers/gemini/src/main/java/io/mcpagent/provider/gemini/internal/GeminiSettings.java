package io.mcpagent.provider.gemini.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.provider.support.ConfigProblems;
import io.mcpagent.provider.support.EndpointSettings;

/**
 * A validated {@link GeminiConfig}. {@link #from} collects every mistake of a configuration into one message, so an
 * operator fixes the file once.
 */
record GeminiSettings(String id, String name, String description, URI baseUri, String apiVersion, String defaultModel,
                      List<ModelInfo> models, boolean includeThoughts, Duration requestTimeout, Duration connectTimeout,
                      int maxRetries, String apiKeyEnv, String apiKeyFile) implements EndpointSettings {

    static final String DEFAULT_KEY_ENV = "GEMINI_API_KEY";
    /** Google's SDKs read this variable too; used only when the default variable is unset. */
    static final String FALLBACK_KEY_ENV = "GOOGLE_API_KEY";
    private static final Pattern API_VERSION = Pattern.compile("v[0-9]+[a-z0-9]*");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?");

    /** @throws IllegalArgumentException naming every property that is wrong and what is expected */
    static GeminiSettings from(String id, GeminiConfig config) {
        ConfigProblems problems = new ConfigProblems();
        URI base = problems.baseUrl(config.baseUrl(), "https://generativelanguage.googleapis.com");
        String apiVersion = config.apiVersion() == null ? "" : config.apiVersion().strip();
        if (!API_VERSION.matcher(apiVersion).matches()) {
            problems.add("apiVersion '" + apiVersion + "' is not an API version such as v1beta or v1");
        }
        List<ModelInfo> models = problems.models(config.models(), config.defaultModel());
        String configuredDefault = blank(config.defaultModel()) ? null : config.defaultModel().strip();
        for (ModelInfo model : models) {
            // the default model is among them, but is named as such below
            if (!model.id().equals(configuredDefault) && !validModel(model.id())) {
                problems.add("models: '" + model.id() + "' is not a Gemini model id such as gemini-2.5-flash");
            }
        }
        if (configuredDefault != null && !validModel(configuredDefault)) {
            problems.add("defaultModel '" + config.defaultModel() + "' is not a Gemini model id such as gemini-2.5-flash");
        }
        problems.timeoutsAndRetries(config.requestTimeoutMs(), config.connectTimeoutMs(), config.maxRetries());
        problems.throwIfAny();
        String defaultModel = models.get(0).id();
        String name = blank(config.name()) ? "Gemini " + id : config.name().strip();
        String description = blank(config.description())
                ? "Google Gemini API at " + base + ", default model " + defaultModel : config.description().strip();
        return new GeminiSettings(id, name, description, base, apiVersion, defaultModel, models, config.includeThoughts(),
                Duration.ofMillis(config.requestTimeoutMs()), Duration.ofMillis(config.connectTimeoutMs()),
                config.maxRetries(), config.apiKeyEnv(), config.apiKeyFile());
    }

    /** Whether {@code model} can go into the request path: a bare id, or a resource name such as tunedModels/x. */
    static boolean validModel(String model) {
        return MODEL.matcher(model).matches();
    }

    /**
     * The endpoint of {@code model}: {@code :generateContent}, or {@code :streamGenerateContent?alt=sse} (server-sent
     * events; without {@code alt=sse} the API streams one JSON array). A bare id is a {@code models/} resource.
     */
    URI endpoint(String model, boolean stream) {
        String resource = model.contains("/") ? model : "models/" + model;
        return URI.create(baseUri + "/" + apiVersion + "/" + resource
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    }

    /**
     * The environment variable to read the key from: the configured one, except that with the default
     * {@code GEMINI_API_KEY} unset, {@code GOOGLE_API_KEY} is read when it is set (as Google's SDKs do).
     */
    String keyVariable(Function<String, String> environment) {
        if (DEFAULT_KEY_ENV.equals(apiKeyEnv) && blank(environment.apply(DEFAULT_KEY_ENV))
                && !blank(environment.apply(FALLBACK_KEY_ENV))) {
            return FALLBACK_KEY_ENV;
        }
        return apiKeyEnv;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
