package io.mcpagent.http.internal;

import java.io.IOException;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mcpagent.api.security.Role;

/** Gogo commands {@code apikey:create}, {@code apikey:list} and {@code apikey:revoke}. */
@Component(service = ApiKeyCommands.class, property = {
        "osgi.command.scope=apikey",
        "osgi.command.function=create",
        "osgi.command.function=list",
        "osgi.command.function=revoke"})
public final class ApiKeyCommands {
    private static final String LINE = "%-10s %-9s %-28s %s%n";
    private final KeyService keys;

    @Activate
    public ApiKeyCommands(@Reference KeyService keys) {
        this.keys = keys;
    }

    @Descriptor("create an API key; it is shown once, only its hash is kept")
    public String create(@Descriptor("role: viewer, operator or admin") String role) {
        return create(role, role + " key");
    }

    @Descriptor("create an API key with a name; it is shown once, only its hash is kept")
    public String create(@Descriptor("role: viewer, operator or admin") String role,
                         @Descriptor("a name saying who or what uses it") String name) {
        Optional<Role> parsed = Role.parse(role);
        if (parsed.isEmpty()) {
            return "unknown role '" + role + "'; use one of: " + Role.ids();
        }
        try {
            String key = keys.store().create(parsed.get(), name);
            return "created " + parsed.get().id() + " key (shown only once, store it now):\n" + key;
        } catch (KeyService.Unavailable e) {
            return "API keys are unavailable: " + e.getMessage();
        } catch (IOException e) {
            return "the key could not be stored: " + e.getMessage();
        }
    }

    @Descriptor("list API keys (ids, names, roles; never the keys themselves)")
    public String list() {
        try {
            StringBuilder out = new StringBuilder(String.format(LINE, "ID", "ROLE", "CREATED", "NAME"));
            keys.store().list().forEach(k -> out.append(String.format(LINE, k.id(), k.role().id(), k.created(), k.name())));
            return out.append(keys.store().list().size()).append(" keys").toString();
        } catch (KeyService.Unavailable e) {
            return "API keys are unavailable: " + e.getMessage();
        }
    }

    @Descriptor("revoke an API key by its id (see apikey:list)")
    public String revoke(@Descriptor("key id") String id) {
        try {
            return keys.store().revoke(id) ? "revoked key " + id : "no key with id '" + id + "'; see apikey:list";
        } catch (KeyService.Unavailable e) {
            return "API keys are unavailable: " + e.getMessage();
        } catch (IOException e) {
            return "the key file could not be written: " + e.getMessage();
        }
    }
}
