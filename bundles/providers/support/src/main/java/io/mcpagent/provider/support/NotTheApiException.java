package io.mcpagent.provider.support;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;

/**
 * A success answer from a server that is not the provider's API: a page (HTML, plain text) where JSON or an event
 * stream was due, as at a wrong {@code baseUrl} that names a web server or a proxy ({@link MalformedAnswers#requireJson},
 * {@link ProviderHttp#requireStream(ProviderHttp.Response, String, String, String, java.util.Collection)}). A
 * configuration mistake: SERVER, not retryable, naming {@code baseUrl}; {@link AccountHealth} keeps the provider
 * DEGRADED naming it until a call succeeds, as after a refused key (2.17).
 */
public final class NotTheApiException extends ProviderException {
    private static final long serialVersionUID = 1L;

    NotTheApiException(ProviderError error) {
        super(error);
    }
}
