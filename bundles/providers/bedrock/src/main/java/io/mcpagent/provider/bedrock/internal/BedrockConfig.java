package io.mcpagent.provider.bedrock.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * One Bedrock provider instance: {@code etc/io.mcpagent.provider.bedrock~<name>.cfg.json}; the name after {@code ~} is
 * its plugin id. Every property is optional. Credentials are never configured here, only where they are found.
 */
@ObjectClassDefinition(name = "AWS Bedrock provider",
        description = "An LLM provider on the AWS Bedrock Converse API;"
                + " the name after '~' of its PID, or its id, is its plugin id.")
public @interface BedrockConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "Display name; empty means 'Bedrock <id>'")
    String name() default "";

    @AttributeDefinition(description = "One-line description; empty means one naming the endpoint")
    String description() default "";

    @AttributeDefinition(description = "AWS region, e.g. us-east-1, eu-central-1; part of the signature and of the default endpoint")
    String region() default "us-east-1";

    @AttributeDefinition(description = "API root; empty means https://bedrock-runtime.<region>.amazonaws.com. Requests go to <baseUrl>/model/<modelId>/converse(-stream)")
    String baseUrl() default "";

    @AttributeDefinition(description = "sigv4 (AWS access keys, signed requests) or bearer (a Bedrock API key as Authorization: Bearer)")
    String auth() default "sigv4";

    @AttributeDefinition(description = "auth=bearer: environment variable holding the Bedrock API key")
    String apiKeyEnv() default "AWS_BEARER_TOKEN_BEDROCK";

    @AttributeDefinition(description = "auth=bearer: file holding the Bedrock API key; wins over apiKeyEnv when set")
    String apiKeyFile() default "";

    @AttributeDefinition(description = "auth=sigv4: environment variable holding the access key id")
    String accessKeyIdEnv() default "AWS_ACCESS_KEY_ID";

    @AttributeDefinition(description = "auth=sigv4: environment variable holding the secret access key")
    String secretAccessKeyEnv() default "AWS_SECRET_ACCESS_KEY";

    @AttributeDefinition(description = "auth=sigv4: environment variable holding the session token of temporary credentials (optional)")
    String sessionTokenEnv() default "AWS_SESSION_TOKEN";

    @AttributeDefinition(description = "auth=sigv4: AWS credentials file (ini) to read instead of the environment; re-read when it changes")
    String credentialsFile() default "";

    @AttributeDefinition(description = "auth=sigv4: section of credentialsFile to use ([name] or [profile name])")
    String credentialsProfile() default "default";

    @AttributeDefinition(description = "Model (id, inference profile id or ARN) used when a request names none; empty means the first of models")
    String defaultModel() default "";

    @AttributeDefinition(description = "Models served: id;capabilities;contextWindow;inputPricePerMTok;outputPricePerMTok;cacheReadPricePerMTok;cacheWritePricePerMTok;cacheWrite1hPricePerMTok (the cache prices optional: cached input tokens otherwise cost the input price, one-hour cache writes the cache write price)")
    String[] models() default {
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0;tools,vision,structured_output,streaming,reasoning;200000;3.00;15.00;0.30;3.75",
            "global.anthropic.claude-opus-4-5-20251101-v1:0;tools,vision,structured_output,streaming,reasoning;200000;5.00;25.00;0.50;6.25",
            "global.anthropic.claude-haiku-4-5-20251001-v1:0;tools,vision,structured_output,streaming,reasoning;200000;1.00;5.00",
            "amazon.nova-pro-v1:0;tools,vision,streaming;300000;0.80;3.20;0.20",
            "amazon.nova-lite-v1:0;tools,vision,streaming;300000;0.06;0.24;0.015",
            "amazon.nova-micro-v1:0;tools,streaming;128000;0.035;0.14;0.00875",
            "us.meta.llama4-maverick-17b-instruct-v1:0;tools,vision,streaming;1000000;0.24;0.97",
            "openai.gpt-oss-120b-1:0;tools,streaming,reasoning;128000;0.15;0.60"};

    @AttributeDefinition(description = "Per call: time to the answer's headers, and the longest silence inside a stream")
    long requestTimeoutMs() default 120_000;

    long connectTimeoutMs() default 10_000;

    @AttributeDefinition(description = "Retries of retryable failures (throttling, model not ready, 5xx, network), with capped exponential backoff and jitter")
    int maxRetries() default 2;
}
