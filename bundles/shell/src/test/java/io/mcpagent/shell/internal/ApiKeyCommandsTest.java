package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.Bundle;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.security.ApiKeyGivenAsIdException;
import io.mcpagent.api.security.ApiKeys;
import io.mcpagent.api.security.LastAdminKeyException;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

class ApiKeyCommandsTest {
    /** Keys kept in a list, secrets made up; who created or revoked which, as the key store audits it. */
    private static final class ListedKeys implements ApiKeys {
        final List<KeyInfo> keys = new ArrayList<>();
        final List<String> callers = new ArrayList<>();

        @Override
        public List<KeyInfo> list() {
            return List.copyOf(keys);
        }

        @Override
        public CreatedKey create(Role role, String name, String tenant, Principal caller) {
            callers.add("create " + role.id() + " by " + caller.actor());
            // null: the name is the store's to choose, as StoredApiKeys does
            KeyInfo key = new KeyInfo("k" + (keys.size() + 1), name == null ? role.id() + " key" : name, role,
                    Instant.parse("2026-12-03T10:00:00Z"), tenant);
            keys.add(key);
            return new CreatedKey(key, "mcpa_" + key.id() + "_secret");
        }

        @Override
        public boolean revoke(String id, Principal caller) {
            callers.add("revoke " + id + " by " + caller.actor());
            if (id.startsWith("mcpa_")) {
                throw new ApiKeyGivenAsIdException(id.split("_")[1]);
            }
            if (keys.stream().filter(key -> key.role() == Role.ADMIN).map(KeyInfo::id).toList().equals(List.of(id))) {
                throw new LastAdminKeyException(id);
            }
            return keys.removeIf(key -> key.id().equals(id));
        }
    }

    private final CommandSession session = TestSessions.session();

    private ApiKeyCommands commands(String consoleRole, ListedKeys keys) {
        ApiKeyCommands commands = new ApiKeyCommands(TestSessions.framework(Map.of()),
                TestSessions.security(consoleRole));
        commands.bindKeys(keys);
        return commands;
    }

    @Test
    void anAdminCreatesListsAndRevokesKeys() {
        ListedKeys keys = new ListedKeys();
        ApiKeyCommands commands = commands("admin", keys);
        assertEquals("created operator key k1 for tenant acme (shown only once, store it now):\nmcpa_k1_secret",
                commands.create(session, "--tenant", "acme", "operator", "ci runner"));
        commands.create(session, "viewer");
        String listed = commands.list(session);
        assertTrue(listed.contains("k1  operator  acme     2026-12-03T10:00:00Z  ci runner"), listed);
        assertTrue(listed.contains("k2  viewer    default  2026-12-03T10:00:00Z  viewer key"), listed);
        assertTrue(listed.endsWith("2 keys"), listed);
        assertTrue(commands.create(session, "admin").startsWith("created admin key k3 for every tenant "),
                "an admin key belongs to no tenant");
        assertTrue(commands.list(session).contains("k3  admin     -        2026-12-03T10:00:00Z  admin key"),
                commands.list(session));
        assertTrue(!listed.contains("secret"), "no secret is listed");
        assertEquals("revoked key k1", commands.revoke(session, "k1"));
        assertEquals("no key with id 'k1'; see apikey:list",
                assertThrows(IllegalArgumentException.class, () -> commands.revoke(session, "k1")).getMessage());
        assertEquals("unknown role 'root'; use one of: viewer, operator, admin",
                assertThrows(IllegalArgumentException.class, () -> commands.create(session, "root")).getMessage());
    }

    @Test
    void aKeyWithoutANameIsNamedByTheStoreWhateverTheCaseTheRoleWasTypedIn() {
        ListedKeys keys = new ListedKeys();
        commands("admin", keys).create(session, "VIEWER");
        assertEquals("viewer key", keys.keys.get(0).name());
    }

    @Test
    void gogoCallsWithoutTheirArgumentOrWithAnExtraWordGetAMessageNamingIt() throws Exception {
        ListedKeys keys = new ListedKeys();
        ApiKeyCommands commands = commands("admin", keys);
        String create = "apikey:create [--tenant <t>] <role> [\"<name>\"] (role: viewer, operator or admin)";
        try (GogoConsole gogo = new GogoConsole().with("apikey", commands, "create", "revoke")) {
            gogo.assertRefused(Map.of(
                    "apikey:create", "apikey:create needs the role: " + create,
                    "apikey:create --tenant acme", "apikey:create needs the role: " + create,
                    "apikey:create operator --tenant", "--tenant needs a value: " + create,
                    "apikey:create --role operator", "apikey:create: unknown option '--role'; the options: --tenant",
                    "apikey:create operator ci runner", "apikey:create takes at most the role and a name in quotes: "
                            + create + "; it got 3 separate words",
                    "apikey:revoke", "apikey:revoke needs the key id: apikey:revoke <id> (apikey:list lists them)",
                    "apikey:revoke k1 k2", "apikey:revoke needs the key id: apikey:revoke <id> (apikey:list lists"
                            + " them); it got 2 separate words"));
            assertTrue(keys.keys.isEmpty(), "nothing was created");

            assertTrue(String.valueOf(gogo.execute("apikey:create --tenant acme operator \"ci runner\""))
                    .startsWith("created operator key k1 for tenant acme "));
            gogo.execute("apikey:create viewer");
            assertEquals(List.of("ci runner", "viewer key"), keys.keys.stream().map(ApiKeys.KeyInfo::name).toList());
            assertEquals("revoked key k1", gogo.execute("apikey:revoke k1"));
        }
    }

    @Test
    void theKeyStoreIsGivenTheSessionsCallerToAuditAndTheCommandsAuditNoKeyThemselves() {
        ListedKeys keys = new ListedKeys();
        List<AuditEntry> audited = new ArrayList<>();
        ShellSecurity security = TestSessions.admin();
        security.bindAudit(new AuditLog() {
            @Override
            public void record(AuditEntry entry) {
                audited.add(entry);
            }

            @Override
            public List<AuditEntry> query(AuditQuery query) {
                return List.copyOf(audited);
            }

            @Override
            public long count(AuditQuery query) {
                return audited.size();
            }
        }, Map.of("service.id", 1L));
        ApiKeyCommands commands = new ApiKeyCommands(TestSessions.framework(Map.of()), security);
        commands.bindKeys(keys);
        commands.create(session, "admin");

        assertEquals("that is an API key, not its id; revoke it by its id 'k1'", assertThrows(
                ApiKeyGivenAsIdException.class, () -> commands.revoke(session, "mcpa_k1_s3cr3t")).getMessage());
        assertEquals("key 'k1' is the last admin key: revoking it would lock every admin out; create another admin key"
                + " first (apikey:create admin, or POST /api/v1/keys with the role admin), then revoke this one",
                assertThrows(LastAdminKeyException.class, () -> commands.revoke(session, "k1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> commands.revoke(session, "nope"));

        assertEquals(List.of("create admin by shell:console", "revoke mcpa_k1_s3cr3t by shell:console",
                "revoke k1 by shell:console", "revoke nope by shell:console"), keys.callers);
        assertEquals(List.of(), audited.stream().filter(entry -> entry.action().startsWith("apikey.")).toList(),
                "the key store audits them: the shell would record each twice");
    }

    @Test
    void onlyAnAdminManagesKeys() {
        ListedKeys keys = new ListedKeys();
        ApiKeyCommands commands = commands("operator", keys);
        assertThrows(SecurityException.class, () -> commands.create(session, "admin", "escalation"));
        assertThrows(SecurityException.class, () -> commands.list(session));
        assertThrows(SecurityException.class, () -> commands.revoke(session, "k1"));
        assertTrue(keys.keys.isEmpty(), "nothing was created");
    }

    @Test
    void withoutTheKeyStoreTheCommandsSayWhatToStart() {
        ApiKeyCommands commands = new ApiKeyCommands(TestSessions.framework(Map.of("io.mcpagent.http",
                Bundle.RESOLVED)), TestSessions.admin());
        assertEquals(ApiKeyCommands.KEYS_NOT_RUNNING,
                assertThrows(IllegalStateException.class, () -> commands.list(session)).getMessage());
    }

    /** A runtime built without the HTTP admin: no start can help, so none is suggested, as the REST API's 503. */
    @Test
    void inARuntimeBuiltWithoutTheHttpAdminTheCommandsSaySo() {
        ApiKeyCommands commands = new ApiKeyCommands(TestSessions.framework(Map.of()), TestSessions.admin());
        assertEquals("the API key store is not installed (bundle io.mcpagent.http): this runtime was built without the"
                + " feature http-admin (features/http-admin.json)",
                assertThrows(IllegalStateException.class, () -> commands.list(session)).getMessage());
    }

    @Test
    void whenTheKeyStoresBundleIsActiveTheCommandsSayItsComponentDidNotStartNotToStartIt() {
        ApiKeyCommands commands = new ApiKeyCommands(TestSessions.framework(Map.of("io.mcpagent.http",
                Bundle.ACTIVE)), TestSessions.admin());
        assertEquals("the API key store is not available: bundle io.mcpagent.http is active but its component did not"
                + " start; see data/log/mcp-agent.log and the problems in /api/v1/status (or plugin:problems)",
                assertThrows(IllegalStateException.class, () -> commands.list(session)).getMessage());
    }
}
