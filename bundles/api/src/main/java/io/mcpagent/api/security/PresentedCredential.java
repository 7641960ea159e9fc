package io.mcpagent.api.security;

import java.util.Optional;

/**
 * The credential a request presents in its headers, read one way by the REST API and the web console: an API key as
 * {@code X-Api-Key: <key>}, or a key or token as {@code Authorization: Bearer <credential>}. Both headers are taken
 * only when they carry the same credential: which one a client meant is not for the server to guess (a proxy may have
 * added one), and guessing would let a junk or lesser key decide instead of the one meant.
 */
public final class PresentedCredential {
    /** Why a request carrying two different credentials is refused (401). */
    public static final String TWO_CREDENTIALS = "the headers X-Api-Key and Authorization (Bearer) carry different"
            + " credentials; send one of them (or the same credential in both)";

    private PresentedCredential() {
    }

    /**
     * The credential of a request's headers, stripped of surrounding white space; empty when neither carries one.
     *
     * @param apiKey        the {@code X-Api-Key} header, or null
     * @param authorization the {@code Authorization} header, or null; only its {@code Bearer} scheme is read
     * @throws IllegalArgumentException ({@link #TWO_CREDENTIALS}) when both carry a credential and they differ
     */
    public static Optional<String> of(String apiKey, String authorization) {
        String key = apiKey == null ? null : apiKey.strip();
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = authorization.substring(7).strip();
            if (key != null && !key.equals(bearer)) {
                throw new IllegalArgumentException(TWO_CREDENTIALS);
            }
            key = bearer;
        }
        return Optional.ofNullable(key).filter(credential -> !credential.isEmpty());
    }
}
