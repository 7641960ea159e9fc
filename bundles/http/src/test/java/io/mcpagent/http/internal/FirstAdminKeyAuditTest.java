package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;

/** The first admin key, made or refused, is in the audit log as the runtime's apikey.create, never with the key. */
class FirstAdminKeyAuditTest {
    private static final Pattern KEY = Pattern.compile("(mcpa_[a-z0-9]+_[A-Za-z0-9_-]{43})");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    @Test
    void aGeneratedAdminKeyIsAuditedOnceTheAuditLogRuns() throws Exception {
        KeyService keys = new KeyService(dir.resolve("g.json"), "", null, out, null);
        Matcher shown = KEY.matcher(console.toString(StandardCharsets.UTF_8));
        shown.find();
        String id = keys.store().authenticate(shown.group(1)).orElseThrow().id();

        AuditEntry entry = theOnlyEntry(keys);

        assertEntry(id, AuditEntry.SUCCEEDED, entry);
        assertEquals("admin, admin (generated), generated and shown once on the console", entry.detail());
        assertFalse(entry.toString().contains(shown.group(1)), "never the key: " + entry);
    }

    @Test
    void anAdminKeyFromTheVariableOrAFileIsAuditedWithWhereItCameFrom() throws Exception {
        String fromEnv = "my-own-admin-secret-of-thirty";
        KeyService env = new KeyService(dir.resolve("e.json"), "", fromEnv, out, null);
        AuditEntry entry = theOnlyEntry(env);
        assertEntry(env.store().authenticate(fromEnv).orElseThrow().id(), AuditEntry.SUCCEEDED, entry);
        assertEquals("admin, admin (bootstrap), taken from the environment variable MCPAGENT_ADMIN_KEY",
                entry.detail());
        assertFalse(entry.toString().contains(fromEnv), "never the key: " + entry);

        Path keyFile = Files.writeString(dir.resolve("admin.key"), "mcpa_abcd1234_fromtheadminkeyfile\n");
        entry = theOnlyEntry(new KeyService(dir.resolve("f.json"), keyFile.toString(), null, out, null));
        assertEntry("abcd1234", AuditEntry.SUCCEEDED, entry);
        assertEquals("admin, admin (bootstrap), taken from the file " + keyFile, entry.detail());
    }

    @Test
    void aRefusedAdminKeyIsAuditedAsFailedWithWhy() throws Exception {
        KeyService shortKey = new KeyService(dir.resolve("s.json"), "", "short-secret", out, null);
        AuditEntry entry = theOnlyEntry(shortKey);
        assertEntry("MCPAGENT_ADMIN_KEY", AuditEntry.FAILED, entry);
        assertEquals(shortKey.problems().get(0).message(), entry.detail());
        assertFalse(entry.toString().contains("short-secret"), "never the key: " + entry);

        Path empty = Files.writeString(dir.resolve("empty.key"), "");
        KeyService badFile = new KeyService(dir.resolve("b.json"), empty.toString(), null, out, null);
        entry = theOnlyEntry(badFile);
        assertEntry("adminKeyFile", AuditEntry.FAILED, entry);
        assertEquals(badFile.problems().get(0).message(), entry.detail());
    }

    @Test
    void aLaterStartWithKeysAuditsNoFirstAdminKey() throws Exception {
        Path file = dir.resolve("k.json");
        new KeyService(file, "", "my-own-admin-secret-of-thirty", out, null);
        KeyService again = new KeyService(file, "", "my-own-admin-secret-of-thirty", out, null);
        AuditLog log = mock(AuditLog.class);
        again.bindAudit(log, Map.of());
        verify(log, never()).record(any());
    }

    /** The entries the key service held until a log was bound: exactly one. */
    private static AuditEntry theOnlyEntry(KeyService keys) {
        AuditLog log = mock(AuditLog.class);
        keys.bindAudit(log, Map.of());
        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log, atLeast(0)).record(entries.capture());
        List<AuditEntry> recorded = entries.getAllValues();
        assertEquals(1, recorded.size(), "one entry: " + recorded);
        return recorded.get(0);
    }

    private static void assertEntry(String target, String outcome, AuditEntry entry) {
        assertEquals(AuditEntry.RUNTIME, entry.actor());
        assertNull(entry.role());
        assertNull(entry.tenant());
        assertEquals("apikey.create", entry.action());
        assertEquals(target, entry.target());
        assertEquals(outcome, entry.outcome());
    }
}
