package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.mcpagent.api.llm.ProviderError;

/**
 * Masks secrets (API keys, tokens) as {@code ****} in the errors another {@link ErrorMapper} makes of error answers:
 * a proxy or gateway may echo the request, credentials and all, and errors end up in logs and user interfaces.
 */
public final class RedactingErrorMapper implements ErrorMapper {
    private static final String MASK = "****";
    /** Shorter strings are not secrets worth the name, and masking them would garble ordinary text. */
    private static final int SHORTEST_SECRET = 4;

    private final ErrorMapper mapper;
    private final List<String> secrets;

    /** {@code secrets} may hold nulls, for credentials a provider does not have. */
    public RedactingErrorMapper(ErrorMapper mapper, String... secrets) {
        this.mapper = mapper;
        this.secrets = Arrays.stream(secrets).filter(s -> s != null && s.length() >= SHORTEST_SECRET).toList();
    }

    @Override
    public ProviderError map(int status, HttpHeaders headers, String body) {
        ProviderError error = mapper.map(status, headers, body);
        String message = error.message();
        String rawBody = error.rawBody();
        for (String secret : secrets) {
            message = message.replace(secret, MASK);
            rawBody = rawBody == null ? null : rawBody.replace(secret, MASK);
        }
        if (message.equals(error.message()) && Objects.equals(rawBody, error.rawBody())) {
            return error;
        }
        return new ProviderError(error.category(), error.httpStatus(), error.providerType(), error.providerCode(), message,
                error.requestId(), error.retryAfter(), error.retryable(), rawBody);
    }
}
