package io.mcpagent.provider.openai.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * One OpenAI Chat Completions endpoint: {@code etc/io.mcpagent.provider.openai~<name>.cfg.json}; the name is the
 * plugin id. Empty values mean "the dialect's default".
 */
@ObjectClassDefinition(name = "OpenAI-style LLM provider",
        description = "OpenAI, Azure OpenAI or an OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio,"
                + " OpenRouter);"
                + " the name after '~' of its PID, or its id, is its plugin id.")
public @interface OpenAiConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "openai, azure, ollama, vllm, llamacpp, lmstudio, openrouter or compatible (any other OpenAI-compatible server)")
    String dialect() default "openai";

    @AttributeDefinition(description = "API base URL; empty = the dialect's: https://api.openai.com/v1, http://localhost:11434/v1 (ollama), "
            + "http://localhost:8000/v1 (vllm), http://localhost:8080/v1 (llamacpp), http://localhost:1234/v1 (lmstudio), "
            + "https://openrouter.ai/api/v1; azure and compatible need it (azure: https://<resource>.openai.azure.com)")
    String baseUrl() default "";

    @AttributeDefinition(description = "environment variable holding the API key; empty = OPENAI_API_KEY (openai), AZURE_OPENAI_API_KEY (azure), "
            + "OPENROUTER_API_KEY (openrouter), none for local servers (set it when your server checks a key)")
    String apiKeyEnv() default "";

    @AttributeDefinition(description = "file holding the API key (wins over apiKeyEnv); for azure an Entra ID token with authScheme=bearer")
    String apiKeyFile() default "";

    @AttributeDefinition(description = "model used when a request names none; azure: the deployment name; empty = the first of models")
    String defaultModel() default "";

    @AttributeDefinition(description = "models served, 'id;capabilities;contextWindow;inputPrice;outputPrice;cacheReadPrice;cacheWritePrice;cacheWrite1hPrice;tiers' (USD per 1M tokens; "
            + "the cache prices optional: cached prompt tokens otherwise cost the input price; tiers price longer prompts, e.g. >272000:5.00:22.50); "
            + "empty = a built-in list for the dialect (azure: deployments = model names)")
    String[] models() default {};

    long requestTimeoutMs() default 120_000;

    long connectTimeoutMs() default 10_000;

    @AttributeDefinition(description = "retries of rate limits, overload, 5xx and network failures, honouring retry-after")
    int maxRetries() default 2;

    @AttributeDefinition(description = "azure: api-version of deployment URLs (with azureV1 only 'preview' is sent)")
    String apiVersion() default "2024-10-21";

    @AttributeDefinition(description = "azure: use the v1 endpoint {baseUrl}/openai/v1/chat/completions (model = deployment) instead of deployment URLs")
    boolean azureV1() default false;

    @AttributeDefinition(description = "openai: OpenAI-Organization header")
    String organization() default "";

    @AttributeDefinition(description = "openai: OpenAI-Project header")
    String project() default "";

    @AttributeDefinition(description = "openrouter: HTTP-Referer header (your site, for OpenRouter's attribution)")
    String httpReferer() default "";

    @AttributeDefinition(description = "openrouter: X-Title header (your app's name)")
    String appTitle() default "";

    @AttributeDefinition(description = "bearer (Authorization: Bearer), api-key (api-key header) or none; empty = api-key for azure, bearer otherwise")
    String authScheme() default "";

    @AttributeDefinition(description = "role of system instructions, system or developer (o1-and-newer OpenAI models take either); empty = system")
    String systemRole() default "";

    @AttributeDefinition(description = "max_completion_tokens or max_tokens; empty = max_completion_tokens for openai and azure, max_tokens otherwise")
    String maxTokensField() default "";

    @AttributeDefinition(description = "send stream_options.include_usage when streaming: true, false, or empty = the dialect's default "
            + "(on for openai, azure, ollama, vllm, llamacpp, off for lmstudio, openrouter, compatible)")
    String streamUsage() default "";

    @AttributeDefinition(description = "extra request headers, 'Name: value' (not for secrets)")
    String[] headers() default {};

    @AttributeDefinition(description = "name shown in listings; empty = the plugin id")
    String name() default "";

    @AttributeDefinition(description = "one-line description shown in listings")
    String description() default "";
}
