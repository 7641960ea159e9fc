package io.mcpagent.api.security;

import java.util.Objects;

/**
 * An authenticated caller.
 *
 * @param actor  who it is, as the audit log names it: {@code key:<id> (<name>)}, {@code jwt:<subject>}, ...
 * @param role   what it may do
 * @param tenant the tenant it acts for; never null ({@link #DEFAULT_TENANT} when the credential names none)
 */
public record Principal(String actor, Role role, String tenant) {
    /** The tenant of a credential that names none, and of a task that names none. */
    public static final String DEFAULT_TENANT = "default";

    public Principal {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(role, "role");
        tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant.strip();
    }

    /** Whether this caller may see what belongs to {@code ownerTenant}: its own tenant's, or any when it is admin. */
    public boolean maySee(String ownerTenant) {
        return role == Role.ADMIN
                || tenant.equals(ownerTenant == null || ownerTenant.isBlank() ? DEFAULT_TENANT : ownerTenant);
    }
}
