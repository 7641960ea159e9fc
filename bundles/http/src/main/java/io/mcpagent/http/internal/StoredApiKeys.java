package io.mcpagent.http.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mcpagent.api.security.ApiKeyGivenAsIdException;
import io.mcpagent.api.security.ApiKeys;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/** The key file of {@link KeyService} as the platform's {@link ApiKeys}, for the shell's {@code apikey:} commands. */
@Component(service = ApiKeys.class)
public final class StoredApiKeys implements ApiKeys {
    /** What a key's tenant may be: a plain name, so it reads the same in URLs, logs and the audit log. */
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final String TENANT_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    static final int MAX_NAME_CHARS = 200;

    /**
     * What is wrong with a key's name, or null: it is a line of text of at most {@value #MAX_NAME_CHARS} characters
     * saying who or what uses the key. It goes into listings and the audit log, where a line break or a NUL would
     * forge or cut lines.
     */
    static String nameProblem(String name) {
        if (name.isBlank()) {
            return "is empty; say who or what uses the key";
        }
        if (name.length() > MAX_NAME_CHARS) {
            return "is " + name.length() + " characters long; at most " + MAX_NAME_CHARS;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return String.format(Locale.ROOT, "holds the control character U+%04X at %d; a name is one line of"
                        + " text", (int) name.charAt(i), i);
            }
        }
        return null;
    }

    private final KeyService keys;

    @Activate
    public StoredApiKeys(@Reference KeyService keys) {
        this.keys = keys;
    }

    @Override
    public List<KeyInfo> list() {
        return store().list().stream().map(StoredApiKeys::info).toList();
    }

    @Override
    public CreatedKey create(Role role, String name, String tenant) {
        String problem = name == null ? null : nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("the key's name " + problem);
        }
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("a tenant is " + TENANT_RULE + "; was '" + tenant + "'");
        }
        ApiKeyStore store = store();
        try {
            String secret = store.create(role, name == null ? role.id() + " key" : name.strip(), tenant);
            ApiKeyStore.ApiKey created = store.authenticate(secret).orElseThrow(() -> new IllegalStateException(
                    "the key just created is not in the store"));
            return new CreatedKey(info(created), secret);
        } catch (IOException e) {
            throw new IllegalStateException("the key could not be stored: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean revoke(String id) {
        ApiKeyStore store = store();
        Optional<String> givenKey = store.idOfKey(id);
        if (givenKey.isPresent()) {
            throw new ApiKeyGivenAsIdException(givenKey.get());
        }
        try {
            return store.revoke(id);
        } catch (IOException e) {
            throw new IllegalStateException("the key file could not be written: " + e.getMessage(), e);
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
        return new KeyInfo(key.id(), key.name(), key.role(), key.created(),
                key.tenant() == null ? Principal.DEFAULT_TENANT : key.tenant());
    }
}
