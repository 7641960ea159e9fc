package io.mcpagent.http.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;

import io.mcpagent.api.security.ApiKeyGivenAsIdException;
import io.mcpagent.api.security.ApiKeys;
import io.mcpagent.api.security.LastAdminKeyException;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/**
 * The key file of {@link KeyService} as the platform's {@link ApiKeys}, for the shell's {@code apikey:} commands and
 * the REST API's {@code /api/v1/keys}. It audits every creation and revocation itself, whoever calls it: a caller that
 * reaches the service some other way (a Gogo console's reflection, another bundle) cannot make a key unaudited.
 */
@Component(service = ApiKeys.class)
public final class StoredApiKeys implements ApiKeys {
    /** The actor of a creation or revocation whose caller passed no principal. */
    static final String UNKNOWN_CALLER = "unknown caller (direct service call)";
    static final int MAX_NAME_CHARS = 200;
    /** Why an admin is given no tenant, by a key or a JWT: the role sees and manages every tenant. */
    static final String ADMIN_ACTS_FOR_EVERY_TENANT = "an admin reads and cancels every tenant's executions and"
            + " manages every key, so a tenant would restrict nothing";
    /** Why an admin key is refused a tenant. */
    static final String ADMIN_TAKES_NO_TENANT = "an admin key takes no tenant: " + ADMIN_ACTS_FOR_EVERY_TENANT
            + "; leave the tenant out, or give the key the role operator or viewer";

    /**
     * What is wrong with a key's name, or null: it is a line of text of at most {@value #MAX_NAME_CHARS} characters
     * saying who or what uses the key. It goes into listings and the audit log, where a line break or a NUL would
     * forge or cut lines.
     */
    static String nameProblem(String name) {
        return name.isBlank() ? "is empty; say who or what uses the key" : identityProblem(name, "a name");
    }

    /**
     * What is wrong with a text naming who acts (a key's name, a token's subject), or null: it must be one line of at
     * most {@value #MAX_NAME_CHARS} characters, as it goes into log lines, the audit log and answers. {@code kind}
     * says what the text is ("a name").
     */
    static String identityProblem(String text, String kind) {
        if (text.isBlank()) {
            return "is empty";
        }
        int characters = text.codePointCount(0, text.length()); // as JSON Schema's maxLength counts: an emoji is one
        if (characters > MAX_NAME_CHARS) {
            return "is " + characters + " characters long; at most " + MAX_NAME_CHARS;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return String.format(Locale.ROOT, "holds the control character U+%04X at %d; %s is one line of"
                        + " text", (int) text.charAt(i), i, kind);
            }
        }
        return null;
    }

    private final KeyService keys;
    private final RestAudit audit = new RestAudit(Clock.systemUTC());

    @Activate
    public StoredApiKeys(@Reference KeyService keys) {
        this.keys = keys;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAudit")
    void bindAudit(AuditLog log, Map<String, Object> properties) {
        audit.bind(log, properties);
    }

    /** Without the log, which DS would ask for again: see {@link io.mcpagent.api.audit.AuditRecorder#unbind(Map)}. */
    void unbindAudit(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    @Override
    public List<KeyInfo> list() {
        return store().list().stream().map(StoredApiKeys::info).toList();
    }

    @Override
    public CreatedKey create(Role role, String name, String tenant, Principal caller) {
        String problem = name == null ? null : nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("the key's name " + problem);
        }
        if (role == Role.ADMIN && tenant != null) {
            throw new IllegalArgumentException(ADMIN_TAKES_NO_TENANT);
        }
        if (tenant != null && !Principal.isTenantName(tenant)) {
            throw new IllegalArgumentException("a tenant is " + Principal.TENANT_RULE + "; was '" + tenant + "'");
        }
        ApiKeyStore store = store();
        try {
            String secret = store.create(role, name == null ? role.id() + " key" : name.strip(), tenant);
            ApiKeyStore.ApiKey created = store.authenticate(secret).orElseThrow(() -> new IllegalStateException(
                    "the key just created is not in the store"));
            KeyInfo info = info(created);
            record(caller, "apikey.create", info.id(), AuditEntry.SUCCEEDED, role.id() + ", " + info.name()
                    + ", tenant " + info.tenant());
            return new CreatedKey(info, secret);
        } catch (IOException e) {
            throw new IllegalStateException("the key could not be stored: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean revoke(String id, Principal caller) {
        ApiKeyStore store = store();
        Optional<String> givenKey = store.idOfKey(id);
        if (givenKey.isPresent()) {
            record(caller, "apikey.revoke", givenKey.get(), AuditEntry.FAILED, "the key was given instead of its id");
            throw new ApiKeyGivenAsIdException(givenKey.get());
        }
        boolean revoked;
        try {
            revoked = store.revoke(id);
        } catch (LastAdminKeyException e) {
            record(caller, "apikey.revoke", id, AuditEntry.DENIED, "the last admin key");
            throw e;
        } catch (IOException e) {
            record(caller, "apikey.revoke", id, AuditEntry.FAILED, "the key file could not be written");
            throw new IllegalStateException("the key file could not be written: " + e.getMessage(), e);
        }
        record(caller, "apikey.revoke", id, revoked ? AuditEntry.SUCCEEDED : AuditEntry.FAILED,
                revoked ? null : "no such key");
        return revoked;
    }

    private void record(Principal caller, String action, String target, String outcome, String detail) {
        if (caller == null) {
            audit.recordUnidentified(UNKNOWN_CALLER, action, target, outcome, detail);
        } else {
            audit.record(caller, action, target, outcome, detail);
        }
    }

    private ApiKeyStore store() {
        try {
            return keys.store();
        } catch (KeyService.Unavailable e) {
            throw new IllegalStateException("API keys are unavailable: " + e.getMessage(), e);
        }
    }

    private static KeyInfo info(ApiKeyStore.ApiKey key) {
        return new KeyInfo(key.id(), key.name(), key.role(), key.created(), key.actingTenant());
    }
}
