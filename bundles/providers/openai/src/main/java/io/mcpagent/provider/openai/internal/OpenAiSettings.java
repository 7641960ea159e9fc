package io.mcpagent.provider.openai.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.provider.support.ApiKeys;
import io.mcpagent.provider.support.ConfigProblems;
import io.mcpagent.provider.support.EndpointSettings;
import io.mcpagent.provider.support.ModelSpecs;

/**
 * A provider instance's configuration, checked: {@link #mistakes()} are what is wrong with the configuration and
 * {@link #key()}'s problem what is missing of the key (both null when all is well); {@link OpenAiProvider}'s
 * {@code ProviderSetup} words them as every family's. Building it never throws.
 */
record OpenAiSettings(String id, String name, String description, Dialect dialect, URI baseUri, ApiKeys key,
                      Dialect.Auth auth, String defaultModel, List<ModelInfo> models, Duration requestTimeout,
                      Duration connectTimeout, int maxRetries, String apiVersion, boolean azureV1, String systemRole,
                      String maxTokensField, boolean streamUsage, Map<String, String> headers, String mistakes)
        implements EndpointSettings {

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    static OpenAiSettings from(String id, OpenAiConfig config, Function<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Dialect parsed = Dialect.parse(config.dialect()).orElse(null);
        if (parsed == null) {
            problems.add("dialect '" + config.dialect() + "' unknown; use one of " + Dialect.ids());
        }
        Dialect dialect = parsed == null ? Dialect.COMPATIBLE : parsed;
        // The compatible fallback's need of a baseUrl is not the operator's mistake: only a baseUrl given is checked.
        boolean baseUrlGiven = config.baseUrl() != null && !config.baseUrl().isBlank();
        URI base = parsed == null && !baseUrlGiven ? null : baseUri(config.baseUrl(), dialect, problems);
        String keyEnv = config.apiKeyEnv().isBlank() ? dialect.defaultKeyEnv : config.apiKeyEnv().trim();
        ApiKeys key = ApiKeys.resolve(id, keyEnv, config.apiKeyFile(), environment);

        Dialect.Auth auth = dialect.auth;
        if (!config.authScheme().isBlank()) {
            switch (config.authScheme().trim().toLowerCase(Locale.ROOT)) {
                case "bearer" -> auth = Dialect.Auth.BEARER;
                case "api-key" -> auth = Dialect.Auth.API_KEY;
                case "none" -> auth = Dialect.Auth.NONE;
                default -> problems.add("authScheme '" + config.authScheme() + "' unknown; use bearer, api-key or none");
            }
        }
        String systemRole = choose(config.systemRole(), dialect.systemRole, List.of("system", "developer"), "systemRole", problems);
        String maxTokensField = choose(config.maxTokensField(), dialect.maxTokensField,
                List.of("max_completion_tokens", "max_tokens"), "maxTokensField", problems);
        String streamUsageText = choose(config.streamUsage(), String.valueOf(dialect.streamUsage), List.of("true", "false"),
                "streamUsage", problems);

        List<ModelInfo> models = List.of();
        boolean builtIn = config.models() == null || config.models().length == 0;
        String[] specs = builtIn ? dialect.builtInModels().toArray(String[]::new) : config.models();
        try {
            models = ModelSpecs.parse(specs);
        } catch (IllegalArgumentException invalid) {
            problems.add(invalid.getMessage());
        }
        if (dialect == Dialect.AZURE && builtIn) {
            // Azure serves the operator's deployments, named as they chose: a built-in model only tells what a
            // deployment named after it can do. Offered all, the router sent calls to deployments that do not exist.
            String deployment = config.defaultModel() == null ? "" : config.defaultModel().strip();
            models = models.stream().filter(model -> model.id().equals(deployment)).toList();
        }
        models = ModelSpecs.defaultFirst(models, config.defaultModel());
        if (models.isEmpty() && problems.isEmpty()) {
            problems.add(dialect == Dialect.AZURE
                    ? "no deployment configured: set defaultModel (or models) to the name of your Azure deployment"
                    : "no model configured: set defaultModel (or models) to the model name your " + dialect.id
                            + " server serves");
        }
        if (dialect == Dialect.AZURE && !config.azureV1() && config.apiVersion().isBlank()) {
            problems.add("apiVersion is empty: Azure deployment URLs need one, e.g. 2024-10-21 (or set azureV1=true)");
        }
        if (config.requestTimeoutMs() <= 0 || config.connectTimeoutMs() <= 0) {
            problems.add("requestTimeoutMs and connectTimeoutMs must be positive");
        }
        if (config.maxRetries() < 0) {
            problems.add("maxRetries must not be negative");
        }

        Map<String, String> headers = new LinkedHashMap<>();
        if (dialect == Dialect.OPENAI || dialect == Dialect.COMPATIBLE) {
            putIfSet(headers, "OpenAI-Organization", config.organization());
            putIfSet(headers, "OpenAI-Project", config.project());
        }
        if (dialect == Dialect.OPENROUTER || dialect == Dialect.COMPATIBLE) {
            putIfSet(headers, "HTTP-Referer", config.httpReferer());
            putIfSet(headers, "X-Title", config.appTitle());
        }
        String[] configuredHeaders = config.headers() == null ? new String[0] : config.headers();
        for (int i = 0; i < configuredHeaders.length; i++) {
            String header = configuredHeaders[i];
            int colon = header.indexOf(':');
            String name = colon > 0 ? header.substring(0, colon).trim() : "";
            if (!HEADER_NAME.matcher(name).matches()) {
                // never the entry itself: its value is usually a credential
                String lead = header.strip().split("[\\s:]", 2)[0];
                problems.add("headers entry " + (i + 1) + " of " + configuredHeaders.length
                        + (HEADER_NAME.matcher(lead).matches() ? " ('" + lead + "')" : "") + " is not 'Name: value'");
                continue;
            }
            headers.put(name, header.substring(colon + 1).trim());
        }

        String mistakes = problems.isEmpty() ? null : String.join("; ", problems);
        // "OpenAI main", as the other families' "Anthropic main": the bare id did not say which family it is
        String name = config.name().isBlank() ? dialect.displayName() + " " + id : config.name().trim();
        return new OpenAiSettings(id, name, config.description().trim(),
                dialect, base, key, auth, models.isEmpty() ? null : models.get(0).id(), List.copyOf(models),
                Duration.ofMillis(Math.max(1, config.requestTimeoutMs())), Duration.ofMillis(Math.max(1, config.connectTimeoutMs())),
                Math.max(0, config.maxRetries()), config.apiVersion().trim(), config.azureV1(), systemRole, maxTokensField,
                Boolean.parseBoolean(streamUsageText), Map.copyOf(headers), mistakes);
    }

    private static URI baseUri(String configured, Dialect dialect, List<String> problems) {
        String text = configured == null || configured.isBlank() ? dialect.defaultBaseUrl : configured.trim();
        if (text == null) {
            problems.add("baseUrl is empty: the " + dialect.id + " dialect needs one"
                    + (dialect == Dialect.AZURE ? ", e.g. https://<resource>.openai.azure.com" : ", e.g. http://host:8000/v1"));
            return null;
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        ConfigProblems baseUrlProblems = new ConfigProblems();
        URI uri = baseUrlProblems.baseUrl(text, dialect == Dialect.AZURE ? "https://<resource>.openai.azure.com"
                : "http://host:8000/v1");
        if (!baseUrlProblems.isEmpty()) {
            problems.add(baseUrlProblems.toString());
        }
        return uri;
    }

    private static String choose(String configured, String dialectDefault, List<String> allowed, String what, List<String> problems) {
        if (configured == null || configured.isBlank()) {
            return dialectDefault;
        }
        String value = configured.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            problems.add(what + " '" + configured + "' unknown; use " + String.join(" or ", allowed) + " (or leave it empty)");
            return dialectDefault;
        }
        return value;
    }

    private static void putIfSet(Map<String, String> headers, String name, String value) {
        if (value != null && !value.isBlank()) {
            headers.put(name, value.trim());
        }
    }

    /** The Chat Completions URL for {@code model} (for Azure deployment URLs the model is the deployment). */
    URI chatUri(String model) {
        String base = baseUri.toString();
        if (dialect != Dialect.AZURE) {
            return URI.create(base + "/chat/completions");
        }
        String lower = base.toLowerCase(Locale.ROOT);
        if (azureV1) {
            String root = lower.endsWith("/openai/v1") ? base : lower.endsWith("/openai") ? base + "/v1" : base + "/openai/v1";
            return URI.create(root + "/chat/completions" + ("preview".equalsIgnoreCase(apiVersion) ? "?api-version=preview" : ""));
        }
        String root = lower.endsWith("/openai") ? base : base + "/openai";
        return URI.create(root + "/deployments/" + encode(model) + "/chat/completions?api-version=" + encode(apiVersion));
    }

    /** Whether the body names the model (Azure deployment URLs carry it in the path instead). */
    boolean modelInBody() {
        return dialect != Dialect.AZURE || azureV1;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
