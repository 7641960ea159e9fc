package io.mcpagent.provider.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.mcpagent.api.llm.ModelInfo;

/**
 * What the shared plumbing reads from a provider's validated settings: how it is shown, where it calls, how
 * patiently, and which models it serves. A provider's settings record implements it just by having these components.
 */
public interface EndpointSettings {

    /** Display name. */
    String name();

    /** One-line description. */
    String description();

    /** The API root, without a trailing slash. */
    URI baseUri();

    /** The model used when a request names none. */
    String defaultModel();

    List<ModelInfo> models();

    Duration connectTimeout();

    /** Per call: time to the answer's headers, and the longest silence inside a stream. */
    Duration requestTimeout();

    /** Retries of retryable failures. */
    int maxRetries();
}
