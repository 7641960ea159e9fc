package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;
import java.util.Arrays;
import java.util.Collection;
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
        this.secrets = worthMasking(Arrays.asList(secrets));
    }

    /** {@code text} with each of {@code secrets} (nulls and ones too short to be secrets left out) masked. */
    static String masked(String text, Collection<String> secrets) {
        String masked = text;
        for (String secret : worthMasking(secrets)) {
            masked = masked == null ? null : masked.replace(secret, MASK);
        }
        return masked;
    }

    private static List<String> worthMasking(Collection<String> secrets) {
        return secrets.stream().filter(s -> s != null && s.length() >= SHORTEST_SECRET).toList();
    }

    @Override
    public ProviderError map(int status, HttpHeaders headers, String body) {
        ProviderError error = mapper.map(status, headers, body);
        String message = masked(error.message(), secrets);
        String rawBody = masked(error.rawBody(), secrets);
        if (message.equals(error.message()) && Objects.equals(rawBody, error.rawBody())) {
            return error;
        }
        return new ProviderError(error.category(), error.httpStatus(), error.providerType(), error.providerCode(), message,
                error.requestId(), error.retryAfter(), error.retryable(), rawBody);
    }
}
