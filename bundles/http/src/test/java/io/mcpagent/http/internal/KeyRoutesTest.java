package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.security.LastAdminKeyException;
import io.mcpagent.api.security.Role;
import io.mcpagent.http.internal.ServletCalls.Answer;

class KeyRoutesTest {
    @TempDir
    Path dir;

    /** A key service keeping its keys in {@code file}, with the admin key {@code bootstrap-admin-key-for-the-tests}. */
    private KeyService keys(String file) {
        return new KeyService(dir.resolve(file), "", "bootstrap-admin-key-for-the-tests", new PrintStream(new ByteArrayOutputStream()), null);
    }

    private static ApiServlet servlet(KeyService keys) {
        return ServletCalls.apiServlet(mock(BundleContext.class), keys, ServletCalls.config(1000));
    }

    /** The API servlet whose key store writes to {@code audit}, as the one audit log DS binds to both. */
    private static ApiServlet servlet(KeyService keys, AuditLog audit) {
        StoredApiKeys stored = new StoredApiKeys(keys);
        stored.bindAudit(audit, Map.of("service.id", 1L));
        ApiServlet servlet = ServletCalls.apiServlet(mock(BundleContext.class), stored, keys,
                ServletCalls.config(1000));
        servlet.bindAudit(audit, Map.of("service.id", 1L));
        return servlet;
    }

    @Test
    void aKeyCreatedOverRestWorksUntilItIsRevoked() throws Exception {
        KeyService keys = keys("keys.json");
        ApiServlet servlet = servlet(keys);
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");

        Answer created = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                "{\"role\":\"operator\",\"name\":\"ci\"}");
        assertEquals(201, created.status());
        String key = created.body().path("key").asText();
        String id = created.body().path("id").asText();
        assertEquals("operator", created.body().path("role").asText());
        assertEquals(id, keys.store().authenticate(key).orElseThrow().id(), "the answered key is the stored one");

        Answer listed = ServletCalls.call(servlet, "GET", "/keys", null, Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests"), null);
        assertEquals(2, listed.body().path("total").asInt());
        assertFalse(listed.body().toString().contains(key), "a listing never shows a key");
        assertFalse(listed.body().toString().contains(ApiKeyStore.sha256(key)), "nor its hash");
        assertEquals(403, ServletCalls.call(servlet, "GET", "/keys", null, Map.of("X-Api-Key", key), null).status(),
                "an operator key cannot manage keys");

        assertEquals(204, ServletCalls.call(servlet, "DELETE", "/keys/" + id, null, admin, null).status());
        assertEquals(401, ServletCalls.call(servlet, "GET", "/keys", null, Map.of("X-Api-Key", key), null).status(),
                "a revoked key is refused");
        Answer again = ServletCalls.call(servlet, "DELETE", "/keys/" + id, null, admin, null);
        assertEquals(404, again.status());
    }

    @Test
    void aKeyIdIsTakenFromThePathAsTheContainerDecodedIt() throws Exception {
        List<String> ids = List.of("a+b", "x%41", "100%");
        StringBuilder entries = new StringBuilder("{\"id\":\"admin\",\"role\":\"admin\",\"sha256\":\""
                + ApiKeyStore.sha256("admin-key") + "\"}");
        for (String id : ids) {
            entries.append(",{\"id\":\"").append(id).append("\",\"role\":\"viewer\",\"sha256\":\"")
                    .append(ApiKeyStore.sha256("key of " + id)).append("\"}");
        }
        Path file = Files.writeString(dir.resolve("odd-keys.json"), "{\"keys\":[" + entries + "]}");
        ApiServlet servlet = ServletCalls.apiServlet(mock(BundleContext.class), new KeyService(file, "", null,
                new PrintStream(new ByteArrayOutputStream()), null), ServletCalls.config(1000));
        Map<String, String> admin = Map.of("X-Api-Key", "admin-key");

        Answer decodedTwice = ServletCalls.call(servlet, "DELETE", "/keys/%61dmin", null, admin, null);
        assertEquals(404, decodedTwice.status(), "'%61dmin' is not 'admin'");
        assertEquals("no API key with id '%61dmin'; GET /api/v1/keys lists them", decodedTwice.message());
        // getPathInfo() is decoded already: /keys/a+b%2541 arrives as /keys/a+b%41
        for (String id : ids) {
            Answer revoked = ServletCalls.call(servlet, "DELETE", "/keys/" + id, null, admin, null);
            assertEquals(204, revoked.status(), id + ": " + revoked.body());
        }
        Answer left = ServletCalls.call(servlet, "GET", "/keys", null, admin, null);
        assertEquals(1, left.body().path("total").asInt(), String.valueOf(left.body()));
        assertEquals("admin", left.body().path("keys").path(0).path("id").asText());
    }

    @Test
    void aKeyMadeForATenantActsForItAndOnlyPlainTenantNamesAreTaken() throws Exception {
        KeyService keys = keys("tenant-keys.json");
        ApiServlet servlet = servlet(keys);
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        Answer created = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                "{\"role\":\"operator\",\"name\":\"acme ci\",\"tenant\":\"acme\"}");
        assertEquals(201, created.status());
        assertEquals("acme", created.body().path("tenant").asText());
        assertEquals("acme", keys.store().authenticate(created.body().path("key").asText()).orElseThrow().tenant());
        Answer listed = ServletCalls.call(servlet, "GET", "/keys", null, admin, null);
        assertTrue(listed.body().path("keys").path(0).path("tenant").isNull(),
                "the bootstrap key is an admin's, which belongs to no tenant: " + listed.body());
        assertEquals("acme", listed.body().path("keys").path(1).path("tenant").asText());
        for (String bad : java.util.List.of("\"../etc\"", "\"\"", "\"a b\"", "42")) {
            Answer refused = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                    "{\"role\":\"viewer\",\"tenant\":" + bad + "}");
            assertEquals(400, refused.status(), bad);
            assertEquals("/tenant", refused.body().path("field").asText(), bad);
        }
    }

    @Test
    void anAdminKeyIsRefusedATenantOverRestAndByTheKeyStoreAndAStoredOneIsIgnored() throws Exception {
        KeyService keys = keys("admin-tenant-keys.json");
        ApiServlet servlet = servlet(keys);
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        Answer refused = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                "{\"role\":\"admin\",\"tenant\":\"tB\"}");
        assertEquals(400, refused.status());
        assertEquals("/tenant", refused.body().path("field").asText());
        assertEquals("\"tenant\" is refused: an admin key takes no tenant: an admin reads and cancels every tenant's"
                + " executions and manages every key, so a tenant would restrict nothing; leave the tenant out, or give"
                + " the key the role operator or viewer", refused.body().path("message").asText());
        assertEquals(1, keys.store().list().size(), "no key was created");

        StoredApiKeys stored = new StoredApiKeys(keys);
        assertEquals(StoredApiKeys.ADMIN_TAKES_NO_TENANT, assertThrows(IllegalArgumentException.class,
                () -> stored.create(Role.ADMIN, "tB admin", "tB")).getMessage(), "apikey:create --tenant too");

        String older = keys.store().create(Role.ADMIN, "made before the refusal", "tB");
        CallerAuthenticator authenticator = new CallerAuthenticator(keys, ServletCalls.config(1000));
        assertEquals(io.mcpagent.api.security.Principal.DEFAULT_TENANT,
                authenticator.authenticate(older).orElseThrow().tenant(), "a stored admin key's tenant is ignored");
        assertNull(stored.list().get(1).tenant(), "nor listed");
    }

    @Test
    void aKeyGivenInsteadOfItsIdIsRefusedNamingTheIdAndNeverRepeated() throws Exception {
        KeyService keys = keys("pasted-keys.json");
        AuditLog audit = mock(AuditLog.class);
        ApiServlet servlet = servlet(keys, audit);
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        Answer created = ServletCalls.call(servlet, "POST", "/keys", null, admin, "{\"role\":\"viewer\"}");
        String key = created.body().path("key").asText();
        String id = created.body().path("id").asText();

        Answer pasted = ServletCalls.call(servlet, "DELETE", "/keys/" + key, null, admin, null);
        assertEquals(400, pasted.status());
        assertEquals("that is an API key, not its id; revoke it by its id '" + id + "': DELETE /api/v1/keys/" + id,
                pasted.message());
        assertTrue(keys.store().authenticate(key).isPresent(), "the key is not revoked by its text");
        verify(audit).record(argThat(entry -> entry.action().equals("apikey.revoke") && entry.target().equals(id)
                && entry.outcome().equals(AuditEntry.FAILED)));

        // a key of the platform's shape is recognised even when it is no (longer a) stored key, and not repeated
        String unknown = "mcpa_2ktggusf_Fw7LgF9xQ2mZr8KcVb3nT6yHj1pW4sDe0aUi5oLk7qE";
        Answer notStored = ServletCalls.call(servlet, "DELETE", "/keys/" + unknown, null, admin, null);
        assertEquals(400, notStored.status());
        assertFalse(notStored.message().contains("Fw7LgF9"), notStored.message());
        assertTrue(notStored.message().contains("'2ktggusf'"), notStored.message());

        // the bootstrap key's text is not of the platform's shape: it is recognised by its hash
        Answer bootstrap = ServletCalls.call(servlet, "DELETE", "/keys/bootstrap-admin-key-for-the-tests", null, admin, null);
        assertEquals(400, bootstrap.status());
        assertFalse(bootstrap.message().contains("bootstrap-admin-key-for-the-tests"), bootstrap.message());
    }

    @Test
    void theLastAdminKeyIsKeptUntilAnotherAdminKeyExists() throws Exception {
        KeyService keys = keys("admin-keys.json");
        AuditLog audit = mock(AuditLog.class);
        ApiServlet servlet = servlet(keys, audit);
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        String bootstrapId = keys.store().authenticate("bootstrap-admin-key-for-the-tests").orElseThrow().id();
        ServletCalls.call(servlet, "POST", "/keys", null, admin, "{\"role\":\"operator\"}");

        Answer last = ServletCalls.call(servlet, "DELETE", "/keys/" + bootstrapId, null, admin, null);
        assertEquals(409, last.status());
        assertEquals("key '" + bootstrapId + "' is the last admin key: revoking it would lock every admin out; create"
                + " another admin key first (apikey:create admin, or POST /api/v1/keys with the role admin), then"
                + " revoke this one", last.message());
        assertTrue(keys.store().authenticate("bootstrap-admin-key-for-the-tests").isPresent());
        verify(audit).record(argThat(entry -> entry.action().equals("apikey.revoke")
                && entry.target().equals(bootstrapId) && entry.outcome().equals(AuditEntry.DENIED)));

        Answer second = ServletCalls.call(servlet, "POST", "/keys", null, admin, "{\"role\":\"admin\"}");
        assertEquals(204, ServletCalls.call(servlet, "DELETE", "/keys/" + bootstrapId, null, admin, null).status());
        Answer lastAgain = ServletCalls.call(servlet, "DELETE", "/keys/" + second.body().path("id").asText(), null,
                Map.of("X-Api-Key", second.body().path("key").asText()), null);
        assertEquals(409, lastAgain.status(), "the new admin key is the last one now");
    }

    @Test
    void aKeyCreatedAndRevokedOverRestIsAuditedOnceWithTheCallerOfTheRequest() throws Exception {
        KeyService keys = keys("audited-keys.json");
        AuditLog audit = mock(AuditLog.class);
        ApiServlet servlet = servlet(keys, audit);
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        String adminId = keys.store().authenticate("bootstrap-admin-key-for-the-tests").orElseThrow().id();

        String id = ServletCalls.call(servlet, "POST", "/keys", null, admin, "{\"role\":\"viewer\",\"name\":\"ci\"}")
                .body().path("id").asText();
        assertEquals(204, ServletCalls.call(servlet, "DELETE", "/keys/" + id, null, admin, null).status());

        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit, atLeastOnce()).record(entries.capture());
        List<String> keyEntries = entries.getAllValues().stream().filter(e -> e.action().startsWith("apikey."))
                .map(e -> e.action() + " " + e.target() + " " + e.outcome() + " by " + e.actor().split(" ")[0] + " "
                        + e.role() + " " + e.detail()).toList();
        assertEquals(List.of(
                "apikey.create " + id + " succeeded by key:" + adminId + " admin viewer, ci, tenant default",
                "apikey.revoke " + id + " succeeded by key:" + adminId + " admin null"), keyEntries);
    }

    @Test
    void aKeyCreatedOrRevokedByCallingTheServiceDirectlyIsAuditedAsAnUnknownCaller() {
        AuditLog audit = mock(AuditLog.class);
        StoredApiKeys stored = new StoredApiKeys(keys("direct-keys.json"));
        stored.bindAudit(audit, Map.of("service.id", 1L));

        String id = stored.create(Role.ADMIN, "pwned", null).key().id();
        stored.revoke(id);
        assertThrows(LastAdminKeyException.class, () -> stored.revoke(stored.list().get(0).id()));

        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit, times(3)).record(entries.capture());
        assertEquals(List.of("apikey.create succeeded", "apikey.revoke succeeded", "apikey.revoke denied"),
                entries.getAllValues().stream().map(e -> e.action() + " " + e.outcome()).toList());
        entries.getAllValues().forEach(entry -> {
            assertEquals("unknown caller (direct service call)", entry.actor());
            assertNull(entry.role(), "an unknown caller has no role");
        });
    }

    @Test
    void aRevocationOfAnUnknownIdIsAudited() throws Exception {
        KeyService keys = keys("unknown-keys.json");
        AuditLog audit = mock(AuditLog.class);
        ApiServlet servlet = servlet(keys, audit);

        assertEquals(404, ServletCalls.call(servlet, "DELETE", "/keys/nope", null,
                Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests"), null).status());
        verify(audit).record(argThat(entry -> entry.action().equals("apikey.revoke") && entry.target().equals("nope")
                && entry.outcome().equals(AuditEntry.FAILED) && entry.detail().equals("no such key")));
    }

    @Test
    void aNameIsOneLineOfTextAndTheFieldsAreNamedAsTheyAre() throws Exception {
        KeyService keys = keys("named-keys.json");
        ApiServlet servlet = servlet(keys);
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");

        Answer controls = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                "{\"role\":\"viewer\",\"name\":\"line\\nbreak\\u0000nul\"}");
        assertEquals(400, controls.status());
        assertEquals("/name", controls.body().path("field").asText());
        assertEquals("\"name\" holds the control character U+000A at 4; a name is one line of text", controls.message());
        Answer nul = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                "{\"role\":\"viewer\",\"name\":\"nul\\u0000\"}");
        assertEquals("\"name\" holds the control character U+0000 at 3; a name is one line of text", nul.message());

        Answer unknown = ServletCalls.call(servlet, "POST", "/keys", null, admin, "{\"role\":\"viewer\",\"scopes\":[]}");
        assertTrue(unknown.message().startsWith("unknown field \"scopes\"; the fields are role, name and tenant"),
                unknown.message());

        Answer listed = ServletCalls.call(servlet, "POST", "/keys", null, admin, "{\"role\":[\"viewer\"]}");
        assertEquals("/role", listed.body().path("field").asText());
        assertTrue(listed.message().startsWith("\"role\" must be a string, one of viewer, operator, admin, not array"),
                listed.message());

        Answer unnamed = ServletCalls.call(servlet, "POST", "/keys", null, admin, "{\"role\":\"VIEWER\"}");
        assertEquals("viewer key", unnamed.body().path("name").asText());
        assertEquals(1, keys.store().list().stream().filter(key -> key.role() == Role.VIEWER)
                .count(), "only the well-named key was created");
    }

    @Test
    void theKeyStoreRefusesAControlCharacterInANameAndNamesAnUnnamedKeyAfterItsRole() throws Exception {
        StoredApiKeys stored = new StoredApiKeys(keys("stored-keys.json"));
        assertEquals("the key's name holds the control character U+0000 at 1; a name is one line of text",
                assertThrows(IllegalArgumentException.class,
                        () -> stored.create(Role.VIEWER, "a\u0000", null)).getMessage());
        assertEquals("operator key", stored.create(Role.OPERATOR, null, null).key().name());
    }
}
