package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Role;

class ApiKeyStoreTest {
    private static final Pattern KEY = Pattern.compile("(mcpa_[a-z0-9]+_[A-Za-z0-9_-]{43})");

    @TempDir
    Path dir;

    @Test
    void keysAreStoredOnlyAsHashesAndAuthenticateWithTheirRole() throws Exception {
        Path file = dir.resolve("security/api-keys.json");
        ApiKeyStore store = ApiKeyStore.open(file);
        String viewer = store.create(Role.VIEWER, "dashboard");
        String admin = store.create(Role.ADMIN, "ops");

        String onDisk = Files.readString(file);
        assertFalse(onDisk.contains(viewer) || onDisk.contains(admin), "a key is stored in clear");
        assertTrue(onDisk.contains(ApiKeyStore.sha256(viewer)));
        assertTrue(KEY.matcher(viewer).matches(), viewer);

        ApiKeyStore reopened = ApiKeyStore.open(file);
        assertEquals(Role.VIEWER, reopened.authenticate(viewer).orElseThrow().role());
        assertEquals(Role.ADMIN, reopened.authenticate(admin).orElseThrow().role());
        assertTrue(reopened.authenticate(viewer + "x").isEmpty());
        assertTrue(reopened.authenticate("").isEmpty());
        assertTrue(reopened.authenticate(null).isEmpty());
    }

    @Test
    void aRevokedKeyNoLongerAuthenticates() throws Exception {
        ApiKeyStore store = ApiKeyStore.open(dir.resolve("keys.json"));
        String key = store.create(Role.OPERATOR, "ci");
        String id = store.authenticate(key).orElseThrow().id();
        assertTrue(store.revoke(id));
        assertFalse(store.revoke(id));
        assertTrue(store.authenticate(key).isEmpty());
        assertTrue(ApiKeyStore.open(dir.resolve("keys.json")).authenticate(key).isEmpty());
    }

    @Test
    void aCorruptFileIsRefusedAndLeftUntouched() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.json"), "{ not json");
        ApiKeyStore.CorruptKeyFile error = assertThrows(ApiKeyStore.CorruptKeyFile.class, () -> ApiKeyStore.open(file));
        assertTrue(error.getMessage().contains(file.toString()));

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        KeyService service = new KeyService(file, "", null, new PrintStream(console, true, StandardCharsets.UTF_8),
                null);
        assertThrows(KeyService.Unavailable.class, service::store);
        assertEquals("{ not json", Files.readString(file));
        assertEquals(1, service.problems().size());
        assertTrue(service.problems().get(0).message().contains("keys.json"));
        assertEquals("", console.toString(StandardCharsets.UTF_8), "no key generated over a corrupt file");
    }

    @Test
    void theFirstStartGeneratesAnAdminKeyShownOnceOnTheConsole() throws Exception {
        Path file = dir.resolve("keys.json");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        KeyService first = new KeyService(file, "", null, new PrintStream(console, true, StandardCharsets.UTF_8), null);
        Matcher printed = KEY.matcher(console.toString(StandardCharsets.UTF_8));
        assertTrue(printed.find(), console.toString(StandardCharsets.UTF_8));
        assertEquals(Role.ADMIN, first.store().authenticate(printed.group(1)).orElseThrow().role());
        assertFalse(Files.readString(file).contains(printed.group(1)));

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        KeyService second = new KeyService(file, "", null, new PrintStream(again, true, StandardCharsets.UTF_8), null);
        assertEquals("", again.toString(StandardCharsets.UTF_8), "shown only on the first start");
        assertTrue(second.store().authenticate(printed.group(1)).isPresent());
    }

    @Test
    void theGeneratedKeyIsShownWithThePortOfTheHttpConfiguration() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new KeyService(dir.resolve("keys.json"), "", null, new PrintStream(console, true, StandardCharsets.UTF_8),
                http(Map.of(HttpServiceSettings.HOST, "127.0.0.1", HttpServiceSettings.PORT, 39051), Map.of()));
        String banner = console.toString(StandardCharsets.UTF_8);
        assertTrue(banner.contains("Use it as:  curl -H \"X-Api-Key: <key>\" http://127.0.0.1:39051/api/v1/status"),
                banner);
        assertFalse(banner.contains("8181"), banner);
    }

    @Test
    void theBannerShowsThePortJettyTakesOrSaysHowItPicksOne() {
        String curl = "Use it as:  curl -H \"X-Api-Key: <key>\" ";
        assertEquals(curl + "http://127.0.0.1:9191/api/v1/status", KeyService.usage(http(Map.of(),
                Map.of(HttpServiceSettings.PORT, "9191"))), "the framework property where the configuration sets none");
        assertEquals(curl + "http://127.0.0.1:8080/api/v1/status", KeyService.usage(http(Map.of(), Map.of())),
                "Jetty's default port");
        assertEquals(curl + "http://10.0.0.5:8080/api/v1/status", KeyService.usage(http(Map.of(
                HttpServiceSettings.HOST, "10.0.0.5", HttpServiceSettings.PORT, "8000-8100"), Map.of())),
                "a value Jetty does not read as a port is its default");
        assertEquals(curl + "http://127.0.0.1:9090/api/v1/status", KeyService.usage(http(Map.of(
                HttpServiceSettings.HOST, "0.0.0.0", HttpServiceSettings.PORT, 9090), Map.of())),
                "every address is reached on loopback");
        assertEquals(curl + "http://127.0.0.1:<port>/api/v1/status\n(<port>: the free port Jetty takes when it"
                + " starts, as org.osgi.service.http.port is *; Jetty logs it)",
                KeyService.usage(http(Map.of(HttpServiceSettings.PORT, "*"), Map.of())));
        assertEquals(curl + "http://127.0.0.1:<port>/api/v1/status\n(<port>: the first port from 9000 to 9100 that is"
                + " free when Jetty starts; Jetty logs it)",
                KeyService.usage(http(Map.of(HttpServiceSettings.PORT, "[9000,9100]"), Map.of())));
        assertEquals(curl + "https://127.0.0.1:8443/api/v1/status", KeyService.usage(http(Map.of(
                HttpServiceSettings.HTTP_ENABLE, false, HttpServiceSettings.HTTPS_ENABLE, true), Map.of())));
        assertEquals("HTTP and HTTPS are both off in etc/org.apache.felix.http.cfg.json: the REST API is not served.",
                KeyService.usage(http(Map.of(HttpServiceSettings.PORT, -1), Map.of())));
        assertEquals("org.osgi.service.http.port 70000 in etc/org.apache.felix.http.cfg.json is no port Jetty can"
                + " listen on: the REST API is not served until it is one.",
                KeyService.usage(http(Map.of(HttpServiceSettings.PORT, 70000), Map.of())));
        assertEquals(curl + "http://<host>:<port>/api/v1/status\n(<host> and <port> as"
                + " etc/org.apache.felix.http.cfg.json gives them)", KeyService.usage(null),
                "ConfigAdmin holds no configuration of Jetty yet");
    }

    private static HttpServiceSettings http(Map<String, Object> configuration, Map<String, String> framework) {
        return new HttpServiceSettings(new Hashtable<>(configuration), framework::get);
    }

    @Test
    void theFirstAdminKeyCanComeFromTheEnvironmentOrAFile() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        KeyService fromEnv = new KeyService(dir.resolve("a.json"), "", "my-own-admin-secret-of-thirty", out, null);
        assertEquals(Role.ADMIN, fromEnv.store().authenticate("my-own-admin-secret-of-thirty").orElseThrow().role());

        Path keyFile = Files.writeString(dir.resolve("admin.key"), "mcpa_abcd1234_fromtheadminkeyfile\n");
        KeyService fromFile = new KeyService(dir.resolve("b.json"), keyFile.toString(), null, out, null);
        ApiKeyStore.ApiKey key = fromFile.store().authenticate("mcpa_abcd1234_fromtheadminkeyfile").orElseThrow();
        assertEquals("abcd1234", key.id());
        assertEquals("", console.toString(StandardCharsets.UTF_8), "nothing printed when the key was supplied");
    }

    @Test
    void anAdminKeyWrittenWhereItsFilesPathBelongsIsNotLogged() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        KeyService pasted;
        try {
            pasted = new KeyService(dir.resolve("d.json"), "mcpa_abcd1234_pastedinsteadofapath", null, out, null);
        } finally {
            System.setErr(stderr);
        }
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("adminKeyFile names no file there is (its value is not shown"), log);
        assertFalse(log.contains("pastedinsteadofapath"), log);
        assertFalse(console.toString(StandardCharsets.UTF_8).contains("pastedinsteadofapath"));
        assertTrue(pasted.store().isEmpty(), "no key is generated in place of the one the operator meant to supply");
        assertEquals("adminKeyFile names no file there is (its value is not shown, as it may be the admin key itself)"
                + KeyService.NO_ADMIN_KEY_FROM_FILE, pasted.problems().get(0).message());
    }

    @Test
    void aSuppliedAdminKeyShorterThan24CharactersIsRefusedByItsOriginNeverShown() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Path file = dir.resolve("short.json");
        KeyService refused = new KeyService(file, "", "g{}-short-secret", out, null);

        assertTrue(refused.store().authenticate("g{}-short-secret").isEmpty());
        assertTrue(refused.store().isEmpty(), "no key is generated in its place either");
        Problem problem = refused.problems().get(0);
        assertEquals("MCP-Agent: " + problem.message() + "." + System.lineSeparator(),
                console.toString(StandardCharsets.UTF_8), "said on the console, where a generated key would be shown");
        assertFalse(console.toString(StandardCharsets.UTF_8).contains("short-secret"), "never the key itself");
        assertEquals("MCPAGENT_ADMIN_KEY", problem.subject());
        assertEquals("the admin key in the environment variable MCPAGENT_ADMIN_KEY is refused: it has 16 characters,"
                + " at least 24 are needed (e.g. openssl rand -base64 32); no admin key was made, so no API key is"
                + " accepted until the runtime is started again with a longer one", problem.message());

        KeyService accepted = new KeyService(file, "", "a-long-enough-admin-secret", out, null);
        assertEquals(Role.ADMIN, accepted.store().authenticate("a-long-enough-admin-secret").orElseThrow().role());
        assertEquals(List.of(), accepted.problems(), "the next start takes a long enough key");

        Path keyFile = Files.writeString(dir.resolve("short.key"), "short\n");
        KeyService fromFile = new KeyService(dir.resolve("c.json"), keyFile.toString(), null, out, null);
        assertEquals("adminKeyFile", fromFile.problems().get(0).subject());
        assertEquals("adminKeyFile " + keyFile + " holds a key of 5 characters, at least 24 are needed (e.g. openssl"
                + " rand -base64 32)" + KeyService.NO_ADMIN_KEY_FROM_FILE, fromFile.problems().get(0).message());
    }

    /**
     * adminKeyFile naming a directory read "could not store the first admin API key in data/security/api-keys.json:
     * java.io.IOException: Is a directory", as if the key store had failed, and made no key without saying why.
     */
    @Test
    void anAdminKeyFileNamingADirectoryIsSaidToBeOneAndWhatToDo() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Path folder = Files.createDirectory(dir.resolve("secrets"));
        Path keys = dir.resolve("security/api-keys.json");

        KeyService refused = new KeyService(keys, folder.toString(), null, out, null);

        assertTrue(refused.store().isEmpty(), "no key is generated in place of the one the operator meant to supply");
        Problem problem = refused.problems().get(0);
        assertEquals("adminKeyFile", problem.subject());
        assertEquals("adminKeyFile " + folder + " is a directory, not the file holding the admin key; no admin key was"
                + " made, so no API key is accepted until the runtime is started again with adminKeyFile naming a"
                + " readable file that holds the admin key (at least 24 characters), or empty to have an admin key"
                + " generated and shown once", problem.message());
        assertEquals("MCP-Agent: " + problem.message() + "." + System.lineSeparator(),
                console.toString(StandardCharsets.UTF_8), "said on the console, where a generated key would be shown");

        Path notText = Files.write(folder.resolve("admin.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        KeyService unreadable = new KeyService(keys, notText.toString(), null, out, null);
        assertEquals("adminKeyFile " + notText + " cannot be read (java.nio.charset.MalformedInputException: Input"
                + " length = 1)" + KeyService.NO_ADMIN_KEY_FROM_FILE, unreadable.problems().get(0).message(),
                "not the key store's failure");

        Path keyFile = Files.writeString(folder.resolve("admin.key"), "the-admin-key-in-its-own-file\n");
        KeyService next = new KeyService(keys, keyFile.toString(), null, out, null);
        assertEquals(Role.ADMIN, next.store().authenticate("the-admin-key-in-its-own-file").orElseThrow().role());
    }

    /**
     * An empty adminKeyFile (and one without read permission, or a value naming no file) had a key generated in its
     * place, while a directory, non-text content or a short key made none: every unusable named file makes none now.
     */
    @Test
    void anEmptyAdminKeyFileMakesNoKeyAsEveryUnusableOneDoes() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Path empty = Files.writeString(dir.resolve("empty.key"), " \n");

        KeyService refused = new KeyService(dir.resolve("e.json"), empty.toString(), null, out, null);

        assertTrue(refused.store().isEmpty(), "no key is generated in place of the one the operator meant to supply");
        Problem problem = refused.problems().get(0);
        assertEquals("adminKeyFile", problem.subject());
        assertEquals("adminKeyFile " + empty + " is empty" + KeyService.NO_ADMIN_KEY_FROM_FILE, problem.message());
        assertEquals("MCP-Agent: " + problem.message() + "." + System.lineSeparator(),
                console.toString(StandardCharsets.UTF_8), "said on the console, where a generated key would be shown");
    }

    /** Root reads a file without read permission, so this runs for other users only. */
    @Test
    void anAdminKeyFileWithoutReadPermissionMakesNoKey() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path locked = Files.writeString(dir.resolve("locked.key"), "an-admin-key-nobody-may-read\n");
        Files.setPosixFilePermissions(locked, Set.of());
        assumeFalse(Files.isReadable(locked), "root reads a file without read permission");
        KeyService unreadable = new KeyService(dir.resolve("f.json"), locked.toString(), null, out, null);
        assertTrue(unreadable.store().isEmpty());
        assertEquals("adminKeyFile " + locked + " cannot be read: the runtime's user has no read permission on it"
                + KeyService.NO_ADMIN_KEY_FROM_FILE, unreadable.problems().get(0).message());
    }

    @Test
    void theAdminKeyHandedOverByTheLauncherIsTakenLikeTheVariableAndClearedOnEveryStart() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Path keys = dir.resolve("security/api-keys.json");

        KeyService first = new KeyService(keys, "", null, handedOver("handed-over-admin-secret-of-thirty"), out, out,
                null);
        assertEquals(Role.ADMIN, first.store().authenticate("handed-over-admin-secret-of-thirty").orElseThrow().role());
        assertNull(System.getProperty(KeyService.HANDED_OVER_KEY_PROPERTY), "the key stays no longer than the start");
        assertEquals("", console.toString(StandardCharsets.UTF_8), "nothing printed when the key was supplied");

        // a key exists: the handed-over one is ignored, as the variable is, and cleared all the same
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        KeyService second = new KeyService(keys, "", null, handedOver("another-admin-secret-of-thirty"), out,
                new PrintStream(errors, true, StandardCharsets.UTF_8), null);
        assertTrue(second.store().authenticate("another-admin-secret-of-thirty").isEmpty());
        assertNull(System.getProperty(KeyService.HANDED_OVER_KEY_PROPERTY));
        assertTrue(errors.toString(StandardCharsets.UTF_8).startsWith("MCP-Agent: MCPAGENT_ADMIN_KEY is ignored"),
                errors.toString(StandardCharsets.UTF_8));

        KeyService refused = new KeyService(dir.resolve("short.json"), "", null, handedOver("short-secret"), out,
                out, null);
        assertTrue(refused.store().isEmpty(), "refused, and no key generated in its place");
        assertEquals("MCPAGENT_ADMIN_KEY", refused.problems().get(0).subject());
        assertTrue(refused.problems().get(0).message().startsWith("the admin key in the environment variable"
                + " MCPAGENT_ADMIN_KEY is refused: it has 12 characters"), refused.problems().get(0).message());
        assertFalse(console.toString(StandardCharsets.UTF_8).contains("short-secret"), "never the key itself");
    }

    @Test
    void anAdminKeyGivenWhileKeysExistIsSaidToBeIgnoredWithTheKeysThereAndHowToResetNeverShown() throws Exception {
        Path keys = dir.resolve("security/api-keys.json");
        ApiKeyStore existing = ApiKeyStore.open(keys);
        existing.importKey("the-first-admin-key-of-thirty", Role.ADMIN, "admin (bootstrap)");
        existing.create(Role.VIEWER, "dashboard");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        KeyService service = new KeyService(keys, "", "a-new-operator-admin-key-of-thirty", null,
                new PrintStream(console, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8), null);

        assertTrue(service.store().authenticate("a-new-operator-admin-key-of-thirty").isEmpty(), "not taken");
        assertEquals("MCP-Agent: MCPAGENT_ADMIN_KEY is ignored: it is used on the first start only, and " + keys
                + " holds 2 keys already (1 admin key), none of them this one, so it is not accepted. To use it: stop"
                + " the runtime and move " + keys + " away (every API key must then be created again); or make"
                + " another admin key with an existing one (apikey:create admin, POST /api/v1/keys)."
                + System.lineSeparator(), errors.toString(StandardCharsets.UTF_8));
        assertEquals("", console.toString(StandardCharsets.UTF_8));

        errors.reset();
        new KeyService(keys, "", " the-first-admin-key-of-thirty ", null, new PrintStream(console),
                new PrintStream(errors, true, StandardCharsets.UTF_8), null);
        assertEquals("", errors.toString(StandardCharsets.UTF_8), "the key taken on the first start, given again");
    }

    /** adminKeyFile counts on the first start only, as the variable does, and is said to be ignored in its words. */
    @Test
    void anAdminKeyFileSetWhileKeysExistIsSaidToBeIgnoredAsTheVariableIs() throws Exception {
        Path keys = dir.resolve("security/api-keys.json");
        ApiKeyStore.open(keys).importKey("the-first-admin-key-of-thirty", Role.ADMIN, "admin (bootstrap)");
        Path keyFile = Files.writeString(dir.resolve("admin.key"), "a-new-operator-admin-key-of-thirty\n");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        KeyService service = new KeyService(keys, keyFile.toString(), null, null,
                new PrintStream(console, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8), null);

        assertTrue(service.store().authenticate("a-new-operator-admin-key-of-thirty").isEmpty(), "not taken");
        String said = errors.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("MCP-Agent: adminKeyFile " + keyFile + " is ignored: it is used on the first start"
                + " only, and " + keys + " holds 1 key already (1 admin key), none of them this one"), said);
        assertFalse(said.contains("a-new-operator-admin-key"), "never the key itself");
        assertEquals("", console.toString(StandardCharsets.UTF_8));

        errors.reset();
        Files.writeString(keyFile, "the-first-admin-key-of-thirty\n");
        new KeyService(keys, keyFile.toString(), null, null, new PrintStream(console),
                new PrintStream(errors, true, StandardCharsets.UTF_8), null);
        assertEquals("", errors.toString(StandardCharsets.UTF_8), "the key taken on the first start, still in its file");
    }

    /**
     * adminKeyFile changed while the runtime runs is not read (first start only): that was said nowhere, so the
     * operator met only 401s with the key it names. One WARN says it, never the key; nothing when it names the admin
     * key in use, or for a change of another property.
     */
    @Test
    void anAdminKeyFileChangedWhileTheRuntimeRunsIsSaidNotToBeReadInOneWarningNeverShowingTheKey() throws Exception {
        Path keys = dir.resolve("security/api-keys.json");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        KeyService service = new KeyService(keys, "", "the-first-admin-key-of-thirty", quiet, null);
        Path keyFile = Files.writeString(dir.resolve("admin.key"), "a-new-operator-admin-key-of-thirty\n");

        String changed = logged(() -> service.modified(ServletCalls.config(Map.of("adminKeyFile",
                keyFile.toString()))));

        assertEquals("WARN io.mcpagent.http.internal.KeyService - adminKeyFile " + keyFile + ", changed while the"
                + " runtime runs, is ignored: it is used on the first start only, and " + keys + " holds 1 key already"
                + " (1 admin key), none of them this one, so it is not accepted. To use it: stop the runtime and move "
                + keys + " away (every API key must then be created again); or make another admin key with an"
                + " existing one (apikey:create admin, POST /api/v1/keys)", changed.strip());
        assertTrue(service.store().authenticate("a-new-operator-admin-key-of-thirty").isEmpty(), "not taken");
        assertEquals("", logged(() -> service.modified(ServletCalls.config(Map.of("adminKeyFile", keyFile.toString(),
                "rateLimitBurst", 7)))), "another property changed: adminKeyFile was said already");

        String pasted = logged(() -> service.modified(ServletCalls.config(Map.of("adminKeyFile",
                "mcpa_abcd1234_pastedinsteadofapath"))));
        assertEquals("WARN io.mcpagent.http.internal.KeyService - adminKeyFile was changed while the runtime runs,"
                + " and has no effect: it is read only when the runtime starts and " + keys + " holds no API key, and"
                + " it holds 1 key; adminKeyFile names no file there is (its value is not shown, as it may be the admin"
                + " key itself). To use another admin key: stop the runtime and move " + keys + " away (every API key"
                + " must then be created again); or make another admin key with an existing one (apikey:create admin,"
                + " POST /api/v1/keys)", pasted.strip());

        Path inUse = Files.writeString(dir.resolve("in-use.key"), "the-first-admin-key-of-thirty\n");
        assertEquals("", logged(() -> service.modified(ServletCalls.config(Map.of("adminKeyFile",
                inUse.toString())))), "the admin key in use, in a file now");
    }

    /** What the log (slf4j-simple, on stderr) shows while {@code action} runs. */
    private static String logged(Runnable action) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(stderr);
        }
        return logged.toString(StandardCharsets.UTF_8).replaceAll("(?m)^\\[[^\\]]*\\] ", "");
    }

    /** The key as the launcher leaves it, taken as the activated component takes it. */
    private static String handedOver(String key) {
        System.setProperty(KeyService.HANDED_OVER_KEY_PROPERTY, key);
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(KeyService.HANDED_OVER_KEY_PROPERTY)).thenAnswer(call -> System.getProperty(
                KeyService.HANDED_OVER_KEY_PROPERTY));
        return KeyService.takeHandedOverKey(context);
    }

    @Test
    void rolesIncludeTheOnesBelow() {
        assertTrue(Role.ADMIN.includes(Role.OPERATOR) && Role.ADMIN.includes(Role.VIEWER));
        assertTrue(Role.OPERATOR.includes(Role.VIEWER));
        assertFalse(Role.VIEWER.includes(Role.OPERATOR));
        assertFalse(Role.OPERATOR.includes(Role.ADMIN));
        assertEquals(Role.OPERATOR, Role.parse(" Operator ").orElseThrow());
        assertTrue(Role.parse("root").isEmpty());
    }
}
