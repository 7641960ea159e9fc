package io.mcpagent.api.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's API keys: listed without their secrets, created (the secret is handed out once and only its hash is
 * kept), revoked. Callers check the role of whoever asks first: managing keys is an admin's.
 * <p>
 * The implementation writes every creation and revocation (refused and failed ones too) to the audit log itself, as
 * {@code apikey.create} and {@code apikey.revoke}, so that no caller can make or revoke a key unaudited: with the
 * caller it is given, else as an {@code unknown caller (direct service call)}. Callers do not audit these themselves.
 */
@ProviderType
public interface ApiKeys {
    /**
     * A key as it may be shown: never its secret or hash. Its caller acts for {@code tenant} (null or blank: the
     * default tenant); an admin key's is null, whatever is given: it belongs to no tenant, as an admin acts for every
     * one (1.11; it read as the default tenant).
     */
    record KeyInfo(String id, String name, Role role, Instant created, String tenant) {
        public KeyInfo {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(role, "role");
            tenant = role == Role.ADMIN ? null
                    : tenant == null || tenant.isBlank() ? Principal.DEFAULT_TENANT : tenant;
        }
    }

    /** A key just created, with its secret: the only time it is seen. */
    record CreatedKey(KeyInfo key, String secret) {
    }

    /**
     * The keys, oldest first.
     *
     * @throws IllegalStateException when the key file cannot be read; the message says what to repair
     */
    List<KeyInfo> list();

    /**
     * Creates a key as {@link #create(Role, String, String, Principal)} does for a caller who is not known: audited as
     * an {@code unknown caller (direct service call)}.
     */
    default CreatedKey create(Role role, String name, String tenant) {
        return create(role, name, tenant, null);
    }

    /**
     * Creates a key named {@code name} (null: {@code <role> key}, the role's id) whose caller acts for {@code tenant}
     * (null: the default tenant), and audits it as {@code apikey.create} by {@code caller} (null: an unknown caller).
     *
     * @throws IllegalArgumentException for a blank or over-long name (more than 200 characters), one holding a control
     *                                  character (a line break, a NUL), or a tenant that is not a plain name
     *                                  ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}), or any tenant for an admin key
     *                                  (an admin acts for every tenant); the message says which
     * @throws IllegalStateException    when the key file cannot be read or written
     * @since 1.3
     */
    CreatedKey create(Role role, String name, String tenant, Principal caller);

    /**
     * Revokes a key as {@link #revoke(String, Principal)} does for a caller who is not known: audited as an
     * {@code unknown caller (direct service call)}.
     */
    default boolean revoke(String id) {
        return revoke(id, null);
    }

    /**
     * Revokes the key with this id; false when there is none. A key given instead of its id is refused, not revoked:
     * it came through a URL or a command line, which logs keep, and revoking by the key would teach clients to send
     * keys there; the refusal names the id to use. Audited as {@code apikey.revoke} by {@code caller} (null: an
     * unknown caller), whatever the outcome.
     *
     * @throws ApiKeyGivenAsIdException when {@code id} is an API key (or has the shape {@code mcpa_<id>_<secret>})
     * @throws LastAdminKeyException    when it is the last admin key: nobody could manage keys after it
     * @throws IllegalStateException    when the key file cannot be read or written
     * @since 1.3
     */
    boolean revoke(String id, Principal caller);
}
