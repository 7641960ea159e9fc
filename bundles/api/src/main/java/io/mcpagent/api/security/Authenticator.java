package io.mcpagent.api.security;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Turns a presented credential into the caller it belongs to. */
@ProviderType
public interface Authenticator {
    /**
     * The caller {@code credential} identifies (an API key, or a bearer token), or empty when it identifies nobody
     * (unknown, revoked, expired, badly signed).
     *
     * @throws CredentialRefusedException when the credential is genuine but cannot be taken, saying why (a validly
     *                                    signed token whose claims name no caller; since 1.6)
     * @throws IllegalStateException      when the credentials cannot be checked now (the key store is unreadable, ...);
     *                                    the message says what to repair
     */
    Optional<Principal> authenticate(String credential);
}
