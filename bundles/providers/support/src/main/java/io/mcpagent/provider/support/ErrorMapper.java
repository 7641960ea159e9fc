package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;

import io.mcpagent.api.llm.ProviderError;

/** Turns a provider's error answer into a {@link ProviderError}; each provider knows its own error body. */
@FunctionalInterface
public interface ErrorMapper {

    ProviderError map(int status, HttpHeaders headers, String body);
}
