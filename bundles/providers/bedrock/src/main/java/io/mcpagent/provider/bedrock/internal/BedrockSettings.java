package io.mcpagent.provider.bedrock.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.provider.support.ConfigProblems;
import io.mcpagent.provider.support.EndpointSettings;

/**
 * A validated {@link BedrockConfig}. {@link #from} collects every mistake of a configuration into one message, so an
 * operator fixes the file once.
 */
record BedrockSettings(String id, String name, String description, String region, URI baseUri, boolean bearer,
                       String apiKeyEnv, String apiKeyFile, String accessKeyIdEnv, String secretAccessKeyEnv,
                       String sessionTokenEnv, String credentialsFile, String credentialsProfile, String defaultModel,
                       List<ModelInfo> models, Duration requestTimeout, Duration connectTimeout, int maxRetries)
        implements EndpointSettings {

    static final String SIGV4 = "sigv4";
    static final String BEARER = "bearer";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    /** {@code <baseUrl>/model/<modelId>/converse} or {@code /converse-stream}, the model id encoded as one path segment. */
    URI converseUri(String modelId, boolean stream) {
        return URI.create(baseUri + "/model/" + SigV4Signer.encode(modelId) + (stream ? "/converse-stream" : "/converse"));
    }

    /** @throws IllegalArgumentException naming every property that is wrong and what is expected */
    static BedrockSettings from(String id, BedrockConfig config) {
        ConfigProblems problems = new ConfigProblems();
        String region = config.region() == null ? "" : config.region().strip();
        if (!REGION.matcher(region).matches()) {
            problems.add("region '" + region + "' is not an AWS region name, e.g. us-east-1");
        }
        String baseUrl = blank(config.baseUrl())
                ? "https://bedrock-runtime." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com")
                : config.baseUrl();
        URI base = problems.baseUrl(baseUrl, "https://bedrock-runtime.us-east-1.amazonaws.com (or leave it empty)");
        String auth = config.auth() == null ? "" : config.auth().strip().toLowerCase(Locale.ROOT);
        if (!auth.equals(SIGV4) && !auth.equals(BEARER)) {
            problems.add("auth '" + config.auth() + "' unknown; use sigv4 (access keys) or bearer (Bedrock API key)");
        }
        if (auth.equals(SIGV4) && blank(config.credentialsFile())
                && (blank(config.accessKeyIdEnv()) || blank(config.secretAccessKeyEnv()))) {
            problems.add("auth=sigv4 needs accessKeyIdEnv and secretAccessKeyEnv, or credentialsFile");
        }
        if (auth.equals(SIGV4) && !blank(config.credentialsFile()) && blank(config.credentialsProfile())) {
            problems.add("credentialsProfile is empty; name the section of credentialsFile, e.g. default");
        }
        if (auth.equals(BEARER) && blank(config.apiKeyEnv()) && blank(config.apiKeyFile())) {
            problems.add("auth=bearer needs apiKeyEnv or apiKeyFile");
        }
        List<ModelInfo> models = problems.models(config.models(), config.defaultModel());
        problems.timeoutsAndRetries(config.requestTimeoutMs(), config.connectTimeoutMs(), config.maxRetries());
        problems.throwIfAny();
        String defaultModel = models.get(0).id();
        String name = blank(config.name()) ? "Bedrock " + id : config.name().strip();
        String description = blank(config.description())
                ? "AWS Bedrock Converse API at " + base + ", default model " + defaultModel : config.description().strip();
        return new BedrockSettings(id, name, description, region, base, auth.equals(BEARER), strip(config.apiKeyEnv()),
                strip(config.apiKeyFile()), strip(config.accessKeyIdEnv()), strip(config.secretAccessKeyEnv()),
                strip(config.sessionTokenEnv()), strip(config.credentialsFile()), strip(config.credentialsProfile()),
                defaultModel, models, Duration.ofMillis(config.requestTimeoutMs()),
                Duration.ofMillis(config.connectTimeoutMs()), config.maxRetries());
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
