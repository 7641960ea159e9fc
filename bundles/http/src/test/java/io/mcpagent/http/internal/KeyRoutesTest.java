package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.Mockito.mock;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.mcpagent.http.internal.ServletCalls.Answer;

class KeyRoutesTest {
    @TempDir
    Path dir;

    @Test
    void aKeyCreatedOverRestWorksUntilItIsRevoked() throws Exception {
        KeyService keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin",
                new PrintStream(new ByteArrayOutputStream()));
        ApiServlet servlet = ServletCalls.apiServlet(mock(BundleContext.class), keys, ServletCalls.config(1000));
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin");

        Answer created = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                "{\"role\":\"operator\",\"name\":\"ci\"}");
        assertEquals(201, created.status());
        String key = created.body().path("key").asText();
        String id = created.body().path("id").asText();
        assertEquals("operator", created.body().path("role").asText());
        assertEquals(id, keys.store().authenticate(key).orElseThrow().id(), "the answered key is the stored one");

        Answer listed = ServletCalls.call(servlet, "GET", "/keys", null, Map.of("X-Api-Key", "bootstrap-admin"), null);
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
                new PrintStream(new ByteArrayOutputStream())), ServletCalls.config(1000));
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
        KeyService keys = new KeyService(dir.resolve("tenant-keys.json"), "", "bootstrap-admin",
                new PrintStream(new ByteArrayOutputStream()));
        ApiServlet servlet = ServletCalls.apiServlet(mock(BundleContext.class), keys, ServletCalls.config(1000));
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin");
        Answer created = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                "{\"role\":\"operator\",\"name\":\"acme ci\",\"tenant\":\"acme\"}");
        assertEquals(201, created.status());
        assertEquals("acme", created.body().path("tenant").asText());
        assertEquals("acme", keys.store().authenticate(created.body().path("key").asText()).orElseThrow().tenant());
        Answer listed = ServletCalls.call(servlet, "GET", "/keys", null, admin, null);
        assertEquals("default", listed.body().path("keys").path(0).path("tenant").asText(), "the bootstrap key");
        assertEquals("acme", listed.body().path("keys").path(1).path("tenant").asText());
        for (String bad : java.util.List.of("\"../etc\"", "\"\"", "\"a b\"", "42")) {
            Answer refused = ServletCalls.call(servlet, "POST", "/keys", null, admin,
                    "{\"role\":\"viewer\",\"tenant\":" + bad + "}");
            assertEquals(400, refused.status(), bad);
            assertEquals("/tenant", refused.body().path("field").asText(), bad);
        }
    }
}
