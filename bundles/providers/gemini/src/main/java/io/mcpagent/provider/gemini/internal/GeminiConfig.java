package io.mcpagent.provider.gemini.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * One Gemini provider instance: {@code etc/io.mcpagent.provider.gemini~<name>.cfg.json}; the name after {@code ~} is
 * its plugin id. Every property is optional.
 */
@ObjectClassDefinition(name = "Gemini provider",
        description = "An LLM provider on the Google Gemini API (generateContent);"
                + " the name after '~' of its PID, or its id, is its plugin id.")
public @interface GeminiConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "Display name; empty means 'Gemini <id>'")
    String name() default "";

    @AttributeDefinition(description = "One-line description; empty means one naming the endpoint")
    String description() default "";

    @AttributeDefinition(description = "API root; requests go to <baseUrl>/<apiVersion>/models/<model>:generateContent")
    String baseUrl() default "https://generativelanguage.googleapis.com";

    @AttributeDefinition(description = "API version path segment: v1beta (tools with JSON Schema, thinking) or v1")
    String apiVersion() default "v1beta";

    @AttributeDefinition(description = "Environment variable holding the API key (sent as x-goog-api-key); with the default, GOOGLE_API_KEY is read when GEMINI_API_KEY is unset")
    String apiKeyEnv() default GeminiSettings.DEFAULT_KEY_ENV;

    @AttributeDefinition(description = "File holding the API key; wins over apiKeyEnv when set")
    String apiKeyFile() default "";

    @AttributeDefinition(description = "Model used when a request names none; empty means the first of models")
    String defaultModel() default "";

    @AttributeDefinition(description = "Models served: id;capabilities;contextWindow;inputPricePerMTok;outputPricePerMTok;cacheReadPricePerMTok;cacheWritePricePerMTok;cacheWrite1hPricePerMTok;tiers (the cache prices optional: cached input tokens otherwise cost the input price; tiers price longer prompts, e.g. >200000:2.50:15.00)")
    String[] models() default {
            "gemini-2.5-flash;tools,vision,structured_output,streaming,reasoning;1048576;0.30;2.50;0.03",
            "gemini-2.5-pro;tools,vision,structured_output,streaming,reasoning;1048576;1.25;10.00;0.125;;;>200000:2.50:15.00",
            "gemini-2.5-flash-lite;tools,vision,structured_output,streaming,reasoning;1048576;0.10;0.40;0.01",
            "gemini-3-pro-preview;tools,vision,structured_output,streaming,reasoning;1048576;2.00;12.00;0.20;;;>200000:4.00:18.00",
            "gemini-3-flash-preview;tools,vision,structured_output,streaming,reasoning;1048576;0.50;3.00;0.05",
            "gemini-3.1-pro-preview;tools,vision,structured_output,streaming,reasoning;1048576;2.00;12.00;0.20;;;>200000:4.00:18.00",
            "gemini-3.1-flash-lite;tools,vision,structured_output,streaming,reasoning;1048576;0.25;1.50;0.025",
            "gemini-3.5-flash;tools,vision,structured_output,streaming,reasoning;1048576;1.50;9.00;0.15",
            "gemini-3.5-flash-lite;tools,vision,structured_output,streaming,reasoning;1048576;0.30;2.50;0.03"};

    @AttributeDefinition(description = "Ask for thought summaries (thinkingConfig.includeThoughts); they arrive as reasoning parts")
    boolean includeThoughts() default false;

    @AttributeDefinition(description = "Per call: time to the answer's headers, and the longest silence inside a stream")
    long requestTimeoutMs() default 120_000;

    long connectTimeoutMs() default 10_000;

    @AttributeDefinition(description = "Retries of retryable failures (429 except daily quotas, 5xx, network), honouring RetryInfo.retryDelay")
    int maxRetries() default 2;
}
