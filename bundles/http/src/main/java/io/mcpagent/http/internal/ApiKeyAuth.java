package io.mcpagent.http.internal;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import io.mcpagent.api.security.Role;

/** Checks the API key a request presents ({@code X-Api-Key} or {@code Authorization: Bearer}) against a role. */
final class ApiKeyAuth {

    private ApiKeyAuth() {
    }

    /** Passes when the request carries a valid key with at least {@code required}; else 401, 403 or 503. */
    static void require(KeyService keys, HttpServletRequest request, Role required) throws ApiError {
        String presented = request.getHeader("X-Api-Key");
        String authorization = request.getHeader("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || presented.isBlank()) {
            throw new ApiError(401, "unauthorized",
                    "this endpoint needs an API key: send it as 'X-Api-Key: <key>' or 'Authorization: Bearer <key>'");
        }
        ApiKeyStore store;
        try {
            store = keys.store();
        } catch (KeyService.Unavailable e) {
            throw ApiError.unavailable("API keys cannot be checked: " + e.getMessage());
        }
        Optional<ApiKeyStore.ApiKey> key = store.authenticate(presented);
        if (key.isEmpty()) {
            throw new ApiError(401, "unauthorized", "the API key is not valid (unknown or revoked)");
        }
        if (!key.get().role().includes(required)) {
            throw new ApiError(403, "forbidden", "this needs the role " + required.id() + " or higher; the key '"
                    + key.get().id() + "' has the role " + key.get().role().id());
        }
    }
}
