package io.mcpagent.provider.anthropic.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * One Anthropic provider instance: {@code etc/io.mcpagent.provider.anthropic~<name>.cfg.json}; the name after
 * {@code ~} is its plugin id. Every property is optional.
 */
@ObjectClassDefinition(name = "Anthropic provider",
        description = "An LLM provider on the Anthropic Messages API;"
                + " the name after '~' of its PID, or its id, is its plugin id.")
public @interface AnthropicConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "Display name; empty means 'Anthropic <id>'")
    String name() default "";

    @AttributeDefinition(description = "One-line description; empty means one naming the endpoint")
    String description() default "";

    @AttributeDefinition(description = "API root; requests go to <baseUrl>/v1/messages")
    String baseUrl() default "https://api.anthropic.com";

    @AttributeDefinition(description = "Environment variable holding the API key (sent as x-api-key)")
    String apiKeyEnv() default "ANTHROPIC_API_KEY";

    @AttributeDefinition(description = "File holding the API key; wins over apiKeyEnv when set")
    String apiKeyFile() default "";

    @AttributeDefinition(description = "Model used when a request names none; empty means the first of models")
    String defaultModel() default "";

    @AttributeDefinition(description = "Models served: id;capabilities;contextWindow;inputPricePerMTok;outputPricePerMTok;cacheReadPricePerMTok;cacheWritePricePerMTok;cacheWrite1hPricePerMTok;tiers (the cache prices optional: cached input tokens otherwise cost the input price, one-hour cache writes the cache write price; tiers price longer prompts, e.g. >200000:6.00:22.50)")
    String[] models() default {
            "claude-sonnet-4-5;tools,vision,structured_output,streaming,reasoning;200000;3.00;15.00;0.30;3.75;6.00;>200000:6.00:22.50",
            "claude-opus-4-5;tools,vision,structured_output,streaming,reasoning;200000;5.00;25.00;0.50;6.25;10.00",
            "claude-haiku-4-5;tools,vision,structured_output,streaming,reasoning;200000;1.00;5.00;0.10;1.25;2.00",
            "claude-sonnet-4-6;tools,vision,structured_output,streaming,reasoning;1000000;3.00;15.00;0.30;3.75;6.00",
            "claude-opus-4-6;tools,vision,structured_output,streaming,reasoning;1000000;5.00;25.00;0.50;6.25;10.00",
            "claude-opus-4-7;tools,vision,structured_output,streaming,reasoning;200000;5.00;25.00;0.50;6.25;10.00",
            "claude-opus-4-8;tools,vision,structured_output,streaming,reasoning;200000;5.00;25.00;0.50;6.25;10.00",
            "claude-sonnet-5;tools,vision,structured_output,streaming,reasoning;200000;3.00;15.00;0.30;3.75",
            "claude-opus-5;tools,vision,structured_output,streaming,reasoning;200000;5.00;25.00;0.50;6.25;10.00",
            "claude-fable-5;tools,vision,structured_output,streaming,reasoning;200000;10.00;50.00;1.00;12.50"};

    @AttributeDefinition(description = "Value of the anthropic-version header")
    String apiVersion() default "2023-06-01";

    @AttributeDefinition(description = "Values of the anthropic-beta header (joined with commas), e.g. context-1m-2025-08-07; none by default")
    String[] betas() default {};

    @AttributeDefinition(description = "max_tokens when a request sets no maxOutputTokens (the Messages API requires it)")
    int defaultMaxTokens() default 4096;

    @AttributeDefinition(description = "How a JSON schema answer is asked for: output_config (output_config.format json_schema, current models) or tool (a forced tool whose input is the answer, any tool-capable model)")
    String structuredOutput() default "output_config";

    @AttributeDefinition(description = "ttl of cache_control breakpoints set by cache hints: empty (the API default, 5m), 5m or 1h")
    String cacheTtl() default "";

    @AttributeDefinition(description = "Per call: time to the answer's headers, and the longest silence inside a stream")
    long requestTimeoutMs() default 120_000;

    long connectTimeoutMs() default 10_000;

    @AttributeDefinition(description = "Retries of retryable failures (429, 5xx, 529, network), honouring retry-after")
    int maxRetries() default 2;
}
