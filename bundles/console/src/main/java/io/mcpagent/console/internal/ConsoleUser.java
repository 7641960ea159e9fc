package io.mcpagent.console.internal;

import java.util.Objects;

import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/**
 * Who is using the console, as the security provider hands it to the Web Console (its user object).
 *
 * @param principal the caller the credential belongs to
 * @param csrfToken the synchronizer token of the caller's login session, which every state-changing request must
 *                  send back; null when the request carried its key in a header (X-Api-Key, Bearer), which a browser
 *                  never adds to a forged cross-site request by itself
 */
record ConsoleUser(Principal principal, String csrfToken) {
    ConsoleUser {
        Objects.requireNonNull(principal, "principal");
    }

    boolean has(Role required) {
        return principal.role().includes(required);
    }
}
