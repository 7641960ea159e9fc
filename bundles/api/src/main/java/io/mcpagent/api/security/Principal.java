package io.mcpagent.api.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An authenticated caller.
 *
 * @param actor  who it is, as the audit log names it: {@code key:<id> (<name>)}, {@code jwt:<subject>}, ...
 * @param role   what it may do
 * @param tenant the tenant it acts for; never null ({@link #DEFAULT_TENANT} when the credential names none, and for an
 *               admin, key or token alike: the tenant its tasks run for unless they name one). Who it is, as shown and
 *               audited, has {@link #ownTenant()} instead. An admin's is not null as its {@code ownTenant()} is, since
 *               it is the tenant a task started without one runs for ({@code Task}, the router's usage by tenant),
 *               which every caller of this method takes it to be
 */
public record Principal(String actor, Role role, String tenant) {
    /** The tenant of a credential that names none, and of a task that names none. */
    public static final String DEFAULT_TENANT = "default";
    /**
     * The most characters of a tenant name (since 1.5). A tenant is a plain name, so it reads the same in URLs, logs
     * and the audit log.
     */
    public static final int MAX_TENANT_CHARS = 64;
    /** What a tenant name is, as messages refusing one say it (since 1.5). */
    public static final String TENANT_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    private static final Pattern TENANT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_TENANT_CHARS - 1)
            + "}");

    public Principal {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(role, "role");
        tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant.strip();
    }

    /**
     * The tenant the caller belongs to, as its key is listed ({@link ApiKeys.KeyInfo#tenant()}): null for an admin,
     * which belongs to no tenant and acts for every one; else {@link #tenant()}. What {@code auth:whoami} shows and
     * the audit log records of the caller (1.12; both read the default tenant for an admin).
     */
    public String ownTenant() {
        return role == Role.ADMIN ? null : tenant;
    }

    /** Whether {@code name} is a tenant name ({@link #TENANT_RULE}); false for null (since 1.5). */
    public static boolean isTenantName(String name) {
        return name != null && TENANT_NAME.matcher(name).matches();
    }

    /** Whether this caller may see what belongs to {@code ownerTenant}: its own tenant's, or any when it is admin. */
    public boolean maySee(String ownerTenant) {
        return role == Role.ADMIN
                || tenant.equals(ownerTenant == null || ownerTenant.isBlank() ? DEFAULT_TENANT : ownerTenant);
    }
}
