package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

class KeyAuthenticatorTest {
    @TempDir
    Path dir;

    private KeyService keys(Path file) {
        return new KeyService(file, "", "bootstrap-admin-key",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aKeyIsItsOwnerWithItsRoleForTheDefaultTenant() throws Exception {
        KeyService keys = keys(dir.resolve("keys.json"));
        KeyAuthenticator authenticator = new KeyAuthenticator(keys);
        Principal admin = authenticator.authenticate("bootstrap-admin-key").orElseThrow();
        assertEquals(Role.ADMIN, admin.role());
        assertEquals(Principal.DEFAULT_TENANT, admin.tenant());
        assertTrue(admin.actor().startsWith("key:"), admin.actor());

        String operatorKey = keys.store().create(Role.OPERATOR, "ci runner");
        Principal operator = authenticator.authenticate(operatorKey).orElseThrow();
        assertEquals(Role.OPERATOR, operator.role());
        assertTrue(operator.actor().endsWith(" (ci runner)"), operator.actor());
        assertTrue(authenticator.authenticate("mcpa_unknown_secret").isEmpty());
        assertTrue(authenticator.authenticate("").isEmpty());
    }

    @Test
    void anUnreadableKeyFileIsAnErrorNotAnAnonymousCaller() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{ not json");
        KeyAuthenticator authenticator = new KeyAuthenticator(keys(file));
        IllegalStateException unavailable = assertThrows(IllegalStateException.class,
                () -> authenticator.authenticate("bootstrap-admin-key"));
        assertTrue(unavailable.getMessage().contains("broken.json"), unavailable.getMessage());
    }
}
