package io.mcpagent.provider.cohere.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * One Cohere provider instance: {@code etc/io.mcpagent.provider.cohere~<name>.cfg.json}; the name after {@code ~} is
 * its plugin id. Every property is optional.
 */
@ObjectClassDefinition(name = "Cohere provider",
        description = "An LLM provider on the Cohere v2 Chat API;"
                + " the name after '~' of its PID, or its id, is its plugin id.")
public @interface CohereConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "Display name; empty means 'Cohere <id>'")
    String name() default "";

    @AttributeDefinition(description = "One-line description; empty means one naming the endpoint")
    String description() default "";

    @AttributeDefinition(description = "API root; requests go to <baseUrl>/v2/chat")
    String baseUrl() default "https://api.cohere.com";

    @AttributeDefinition(description = "Environment variable holding the API key (sent as Authorization: Bearer)")
    String apiKeyEnv() default "CO_API_KEY";

    @AttributeDefinition(description = "File holding the API key; wins over apiKeyEnv when set")
    String apiKeyFile() default "";

    @AttributeDefinition(description = "Model used when a request names none; empty means the first of models")
    String defaultModel() default "";

    @AttributeDefinition(description = "Models served: id;capabilities;contextWindow;inputPricePerMTok;outputPricePerMTok;cacheReadPricePerMTok;cacheWritePricePerMTok (the cache prices optional: cached input tokens otherwise cost the input price)")
    String[] models() default {
            "command-a-03-2025;tools,structured_output,streaming;256000;2.50;10.00",
            "command-a-reasoning-08-2025;tools,structured_output,streaming,reasoning;256000;2.50;10.00",
            "command-a-vision-07-2025;vision,streaming;128000;2.50;10.00",
            "command-a-plus-05-2026;tools,structured_output,streaming;128000",
            "command-r7b-12-2024;tools,structured_output,streaming;128000;0.0375;0.15"};

    @AttributeDefinition(description = "Value of the X-Client-Name header (the project making the requests); empty sends none")
    String clientName() default "";

    @AttributeDefinition(description = "Send strict_tools: true with every request that offers tools, so tool calls follow the schemas exactly (a tool marked strict asks for it too)")
    boolean strictTools() default false;

    @AttributeDefinition(description = "Per call: time to the answer's headers, and the longest silence inside a stream")
    long requestTimeoutMs() default 120_000;

    long connectTimeoutMs() default 10_000;

    @AttributeDefinition(description = "Retries of retryable failures (429, 500, 503, 504, network), honouring retry-after")
    int maxRetries() default 2;
}
