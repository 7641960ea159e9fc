package io.mcpagent.shell.internal;

import static io.mcpagent.shell.internal.CommandArguments.NO_ARGUMENTS;
import static io.mcpagent.shell.internal.CommandArguments.OPTION;
import static io.mcpagent.shell.internal.CommandArguments.argument;
import static io.mcpagent.shell.internal.CommandArguments.arguments;
import static io.mcpagent.shell.internal.CommandArguments.noArguments;

import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.security.ApiKeys;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.shell.internal.CommandArguments.Words;

/**
 * The {@code apikey:} Gogo commands: list, create (the key is printed once), revoke. Managing keys is an admin's;
 * creations and revocations are audited by the key store, with the session's caller passed to it. Arguments (and
 * {@code --tenant}) are taken as lists and checked by {@link CommandArguments}, so a missing role, id or tenant, an
 * unknown option or a name not in quotes is named with the command's usage instead of Gogo's {@code Cannot coerce
 * ...}.
 */
@Component(service = ApiKeyCommands.class)
@GogoCommand(scope = "apikey", function = {"create", "list", "revoke"})
public final class ApiKeyCommands {
    static final String KEYS_NOT_RUNNING = "the API keys are not available (bundle io.mcpagent.http); start it (see"
            + " 'lb -s')";
    /** How the commands with arguments are called, for the message when one is missing or split. */
    private static final String CREATE = "apikey:create [--tenant <t>] <role> [\"<name>\"] (role: viewer, operator or"
            + " admin)";
    private static final String REVOKE = "apikey:revoke <id> (apikey:list lists them)";

    private final ShellSecurity security;
    private final OptionalReference<ApiKeys> keys;

    @Activate
    public ApiKeyCommands(BundleContext context, @Reference ShellSecurity security) {
        this.security = security;
        this.keys = OptionalReference.of(context, "io.mcpagent.http", "the API key store", KEYS_NOT_RUNNING,
                () -> BundleServices.notInstalled(context, "the API key store", "io.mcpagent.http", "http-admin"));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindKeys")
    void bindKeys(ApiKeys service) {
        keys.bind(service);
    }

    void unbindKeys(ApiKeys service) {
        keys.unbind(service);
    }

    @Descriptor("create an API key, with a name saying who or what uses it; it is shown once, only its hash is kept")
    public String create(CommandSession session,
                         @Descriptor("role: viewer, operator or admin; then optionally a name in double quotes"
                                 + " (default: '<role> key'); the option, before or after them:"
                                 + OPTION + "--tenant <t>   the tenant its caller acts for (default: the default"
                                 + " tenant)") String... words) {
        Principal caller = security.require(session, Role.ADMIN, "apikey:create");
        Words given = CommandArguments.words(words, CREATE, List.of(), List.of("--tenant"));
        List<String> roleAndName = arguments(given.arguments(), 1, CREATE, "the role", "a name in quotes");
        String role = roleAndName.get(0);
        String name = roleAndName.size() > 1 ? roleAndName.get(1) : null; // the key store names it after the role
        String tenant = given.option("--tenant", "");
        Role parsed = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("unknown role '" + role
                + "'; use one of: " + Role.ids()));
        ApiKeys.CreatedKey created = keys.require().create(parsed, name, tenant.isBlank() ? null : tenant.strip(),
                caller);
        String tenantOfKey = created.key().tenant();
        return "created " + parsed.id() + " key " + created.key().id() + " for "
                + (tenantOfKey == null ? "every tenant" : "tenant " + tenantOfKey)
                + " (shown only once, store it now):\n" + created.secret();
    }

    @Descriptor("list API keys (ids, roles, creation times, names; never the keys themselves)")
    public String list(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        security.require(session, Role.ADMIN, "apikey:list");
        noArguments(none, "apikey:list");
        List<ApiKeys.KeyInfo> all = keys.require().list();
        TextTable table = TextTable.of("ID", "ROLE", "TENANT", "CREATED", "NAME");
        all.forEach(key -> table.row(key.id(), key.role().id(), key.tenant(), key.created(), key.name()));
        String count = TextTable.count(all.size(), "key");
        return all.isEmpty() ? count : table.render() + "\n" + count;
    }

    @Descriptor("revoke an API key by its id (see apikey:list)")
    public String revoke(CommandSession session, @Descriptor("key id") String... keyId) {
        Principal caller = security.require(session, Role.ADMIN, "apikey:revoke");
        String id = argument(keyId, "the key id", REVOKE);
        if (!keys.require().revoke(id, caller)) {
            throw new IllegalArgumentException("no key with id '" + id + "'; see apikey:list");
        }
        return "revoked key " + id;
    }
}
