package io.mcpagent.http.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mcpagent.api.security.Authenticator;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/**
 * The API keys as the platform's {@link Authenticator}, so the shell ({@code auth:login}) and other bundles accept
 * the same keys as the REST API. A key's actor is {@code key:<id>} plus its name; keys name no tenant yet, so their
 * callers act for the default tenant.
 */
@Component(service = Authenticator.class)
public final class KeyAuthenticator implements Authenticator {
    private final KeyService keys;

    @Activate
    public KeyAuthenticator(@Reference KeyService keys) {
        this.keys = keys;
    }

    @Override
    public Optional<Principal> authenticate(String credential) {
        try {
            return keys.store().authenticate(credential).map(key -> new Principal("key:" + key.id()
                    + (key.name() == null || key.name().isBlank() ? "" : " (" + key.name() + ")"),
                    key.role(), null));
        } catch (KeyService.Unavailable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
