package io.mcpagent.history.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.security.Secrets;

/** Settings, and what a wrong database configuration tells the operator (never the password). */
class ConfigurationTest {
    private static final String URL_SECRET = "urlsecret-123";
    private static final String CONFIG_SECRET = "configsecret-456";

    @TempDir
    Path folder;

    private static Settings settings(String url) {
        return new Settings(url, "app", CONFIG_SECRET, 30, 365, 100, Duration.ofHours(1), "node");
    }

    private static IllegalStateException activationFails(String url) {
        return assertThrows(IllegalStateException.class,
                () -> new HistoryComponent(settings(url), List.of(), new MutableClock(Events.T0),
                        EngineExecutions.NONE));
    }

    /** Neither the message nor any cause's message holds a secret. */
    private static void assertNoSecret(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertFalse(message.contains(URL_SECRET), message);
            assertFalse(message.contains(CONFIG_SECRET), message);
        }
    }

    @Test
    void anUnreachablePostgresqlIsNamed() {
        IllegalStateException failure = activationFails(
                "jdbc:postgresql://127.0.0.1:9/history?user=app&password=" + URL_SECRET);
        assertTrue(failure.getMessage().startsWith("cannot open the history database "
                + "jdbc:postgresql://127.0.0.1:9/history?user=app&password=" + Secrets.MASK + ": "), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("; is the database at 127.0.0.1:9 running, and can this host reach"
                + " it? Check that, and the host and port in jdbcUrl of io.mcpagent.history"), failure.getMessage());
        assertFalse(failure.getMessage().contains("password ("), "not a matter of the password: " + failure.getMessage());
        assertNoSecret(failure);
    }

    /** Each cause its own advice: the server's address, the host name, or the user and password. */
    @Test
    void aRefusedH2ServerOrAnUnknownHostIsNotBlamedOnThePassword() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens on it
        }
        IllegalStateException refused = activationFails("jdbc:h2:tcp://localhost:" + port + "/mem:history");
        assertTrue(refused.getMessage().endsWith("; is the database at localhost:" + port + " running, and can this"
                + " host reach it? Check that, and the host and port in jdbcUrl of io.mcpagent.history"),
                refused.getMessage());
        for (String url : List.of("jdbc:postgresql://db.invalid:5432/history", "jdbc:h2:tcp://db.invalid/mem:history")) {
            IllegalStateException unknown = activationFails(url);
            assertTrue(unknown.getMessage().endsWith("; check the host name db.invalid in jdbcUrl of"
                    + " io.mcpagent.history (a database container's name resolves once the container runs)"),
                    unknown.getMessage());
        }
    }

    @Test
    void theAdviceFollowsTheCause() {
        assertEquals(OpenFailure.AUTHENTICATION, OpenFailure.of(new java.sql.SQLException(
                "password authentication failed for user \"app\"", "28P01")));
        assertEquals(OpenFailure.UNREACHABLE, OpenFailure.of(new java.sql.SQLException(
                "the database system is starting up", "57P03")));
        assertEquals(OpenFailure.OTHER, OpenFailure.of(new java.sql.SQLException("Unsupported connection setting",
                "90113")));
        assertEquals("db:5432", OpenFailure.server("jdbc:postgresql://db/history?user=app"));
        assertEquals("db:6543", OpenFailure.server("jdbc:postgresql://db:6543/history"));
        assertEquals("localhost:5432", OpenFailure.server("jdbc:postgresql:history"));
        assertEquals("a:5432,b:5433", OpenFailure.server("jdbc:postgresql://a:5432,b:5433/history"));
        assertEquals("[::1]:5432", OpenFailure.server("jdbc:postgresql://[::1]/history"));
        assertEquals("h2host:9092", OpenFailure.server("jdbc:h2:tcp://h2host/~/history"));
        assertEquals("h2host:9093", OpenFailure.server("jdbc:h2:ssl://h2host:9093/mem:history;USER=x"));
        assertEquals(null, OpenFailure.server("jdbc:h2:file:/data/history/executions"));
    }

    @Test
    void anInvalidPostgresqlUrlIsNamed() {
        IllegalStateException failure = activationFails("jdbc:postgresql://db:notaport/history?password=" + URL_SECRET);
        assertTrue(failure.getMessage().startsWith("jdbcUrl jdbc:postgresql://db:notaport/history?password="
                + Secrets.MASK + " is not a valid PostgreSQL URL"), failure.getMessage());
        assertNoSecret(failure);
    }

    @Test
    void aBadH2SettingIsNamed() {
        String url = "jdbc:h2:mem:bad;NO_SUCH_SETTING=1";
        IllegalStateException failure = activationFails(url);
        assertTrue(failure.getMessage().startsWith("cannot open the history database " + url + ": "), failure.getMessage());
        assertTrue(failure.getMessage().contains("NO_SUCH_SETTING"), failure.getMessage());
        assertNoSecret(failure);
    }

    @Test
    void aBadSettingOrAWrongPasswordForAnExistingH2FileIsNamedAsSuchNotAsDamage() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("existing").toAbsolutePath();
        JdbcDataSource creator = new JdbcDataSource();
        creator.setURL(url);
        creator.setUser("sa");
        creator.setPassword("right-password");
        creator.getConnection().close();
        Path file = folder.resolve("existing.mv.db");
        byte[] before = Files.readAllBytes(file);

        IllegalStateException badSetting = assertThrows(IllegalStateException.class,
                () -> Database.open(url + ";NO_SUCH_SETTING=1", "sa", "right-password"));
        IllegalStateException wrongPassword = assertThrows(IllegalStateException.class,
                () -> Database.open(url, "sa", "wrong-password"));
        for (IllegalStateException failure : List.of(badSetting, wrongPassword)) {
            assertTrue(failure.getMessage().startsWith("cannot open the history database " + url), failure.getMessage());
            assertFalse(failure.getMessage().contains("damaged"), failure.getMessage());
        }
        assertTrue(badSetting.getMessage().contains("check jdbcUrl, user and the password"), badSetting.getMessage());
        assertTrue(wrongPassword.getMessage().contains("; check user and the password (.password, passwordEnv or"
                + " passwordFile) of io.mcpagent.history"), wrongPassword.getMessage());
        assertTrue(badSetting.getMessage().contains("NO_SUCH_SETTING"), badSetting.getMessage());
        assertFalse(wrongPassword.getMessage().contains("wrong-password"), wrongPassword.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void anH2FileInUseElsewhereIsNamed() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("locked").toAbsolutePath() + ";FILE_LOCK=FS";
        JdbcDataSource other = new JdbcDataSource();
        other.setURL(url);
        other.setUser("sa");
        Connection held = other.getConnection();
        try {
            // OPEN_NEW: a second engine on the same file, as another process would be
            IllegalStateException failure = activationFails(url + ";OPEN_NEW=TRUE");
            assertTrue(failure.getMessage().startsWith("the history database " + url + ";OPEN_NEW=TRUE cannot be"
                    + " opened: its file " + folder.resolve("locked").toAbsolutePath() + ".mv.db is in use by another"
                    + " process, and H2 lets one process at a time use a file"), failure.getMessage());
            assertFalse(failure.getMessage().contains("check jdbcUrl, user and the password"), failure.getMessage());
            assertFalse(HistoryRecovery.canHeal(failure), "that process is alive: the lock stays while it runs");
            assertNoSecret(failure);
        } finally {
            held.close();
        }
    }

    @Test
    void anUnsupportedDatabaseIsNamed() {
        IllegalStateException failure = activationFails("jdbc:mysql://localhost/history?password=" + URL_SECRET);
        assertEquals("jdbcUrl jdbc:mysql://localhost/history?password=" + Secrets.MASK + " of io.mcpagent.history "
                + "names a database the history does not support: use jdbc:h2:... (embedded) or "
                + "jdbc:postgresql://host:port/database", failure.getMessage());
    }

    @Test
    void aMissingPostgresqlDriverSaysWhatToInstall() throws Exception {
        // the bundle's classes, the API, H2 and the log API, without the PostgreSQL driver: as in a runtime where it
        // is not installed
        URL[] urls = {location(Database.class), location(Secrets.class), location(JdbcDataSource.class),
                location(org.slf4j.LoggerFactory.class)};
        try (URLClassLoader runtime = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Method open = Class.forName(Database.class.getName(), true, runtime)
                    .getDeclaredMethod("open", String.class, String.class, String.class);
            open.setAccessible(true);
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                    () -> open.invoke(null, "jdbc:postgresql://db:5432/history", "app", CONFIG_SECRET));
            IllegalStateException failure = assertInstanceOf(IllegalStateException.class, thrown.getCause());
            assertTrue(failure.getMessage().startsWith("jdbcUrl jdbc:postgresql://db:5432/history names a PostgreSQL "
                    + "database, but the PostgreSQL JDBC driver is not installed: install the bundle org.postgresql.jdbc "
                    + "(Maven org.postgresql:postgresql 42.7.x)"), failure.getMessage());
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void theDefaultDatabaseLivesInTheDataFolder() {
        Settings settings = Settings.of(config(Map.of()), Upkeep.from(config(Map.of())),
                Map.of(Settings.DATA_PROPERTY, "/srv/mcp-agent/data")::get, name -> null);
        assertEquals("jdbc:h2:file:/srv/mcp-agent/data/history/executions;DB_CLOSE_ON_EXIT=FALSE", settings.jdbcUrl());
        Settings withoutProperty = settings(Map.of());
        assertEquals("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("history").resolve("executions")
                + ";DB_CLOSE_ON_EXIT=FALSE", withoutProperty.jdbcUrl());
    }

    @Test
    void settingsAreResolved() {
        HistoryConfig config = config(Map.of("jdbcUrl", " jdbc:h2:mem:x ", "retentionDays", 0,
                "writeQueueCapacity", 1, "purgeIntervalMinutes", 1, "nodeId", " n1 "));
        Settings settings = Settings.of(config, Upkeep.from(config), name -> null, name -> null);
        assertEquals("jdbc:h2:mem:x", settings.jdbcUrl());
        assertEquals(0, settings.retentionDays());
        assertEquals(1, settings.writeQueueCapacity());
        assertEquals(Duration.ofMinutes(1), settings.purgeInterval());
        assertEquals("n1", settings.nodeId());
        assertFalse(settings(Map.of()).nodeId().isBlank(), "the host name by default");
    }

    @Test
    void upkeepValuesOutOfTheirRangeAreNamedNotClamped() {
        assertUpkeepRefused(Map.of("retentionDays", -1), "retentionDays must be at least 0 (0: keep forever), was -1");
        assertUpkeepRefused(Map.of("auditRetentionDays", -30),
                "auditRetentionDays must be at least 0 (0: keep forever), was -30");
        assertUpkeepRefused(Map.of("writeQueueCapacity", 0), "writeQueueCapacity must be at least 1, was 0");
        assertUpkeepRefused(Map.of("purgeIntervalMinutes", 0), "purgeIntervalMinutes must be at least 1, was 0");
    }

    private static void assertUpkeepRefused(Map<String, Object> values, String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Upkeep.from(config(values)));
        assertEquals(message, refused.getMessage());
    }

    @Test
    void aRefusedUpkeepValueNeverMovesTheHistoryToAnotherDatabase() {
        HistoryConfig config = config(Map.of("jdbcUrl", "jdbc:mysql://localhost/history", "purgeIntervalMinutes", 0));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> new HistoryComponent(config, name -> null, name -> null, new MutableClock(Events.T0),
                        EngineExecutions.NONE, new IgnoredStarts()));
        assertTrue(failure.getMessage().startsWith("jdbcUrl jdbc:mysql://localhost/history of io.mcpagent.history "
                + "names a database the history does not support"), failure.getMessage());
    }

    private static Settings settings(Map<String, Object> values) {
        return settings(values, Map.of());
    }

    private static Settings settings(Map<String, Object> values, Map<String, String> environment) {
        HistoryConfig config = config(values);
        return Settings.of(config, Upkeep.from(config), name -> null, environment::get);
    }

    @Test
    void thePasswordComesFromAFileOrAVariableAndIsNeverPrinted() throws Exception {
        Path file = Files.writeString(folder.resolve("db-password"), "from-file\n");
        Map<String, String> environment = Map.of("HISTORY_DB_PASSWORD", "from-env");
        Settings fromFile = settings(Map.of("passwordFile", file.toString(), "passwordEnv", "HISTORY_DB_PASSWORD",
                "_password", "literal"), environment);
        assertEquals("from-file", fromFile.password());
        Settings fromEnv = settings(Map.of("passwordEnv", "HISTORY_DB_PASSWORD", "_password", "literal"), environment);
        assertEquals("from-env", fromEnv.password());
        Settings literal = settings(Map.of("_password", "literal-pass"), environment);
        assertEquals("literal-pass", literal.password());
        assertFalse(literal.toString().contains("literal-pass"), literal.toString());

        IllegalStateException unset = assertThrows(IllegalStateException.class,
                () -> settings(Map.of("passwordEnv", "NOT_SET_ANYWHERE"), environment));
        assertTrue(unset.getMessage().contains("NOT_SET_ANYWHERE"), unset.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> settings(Map.of("passwordFile", folder.resolve("absent").toString()), environment));
        // a value naming no file may be the password itself: not repeated
        assertFalse(missing.getMessage().contains("absent"), missing.getMessage());
        assertTrue(missing.getMessage().contains("passwordFile of io.mcpagent.history names no file"),
                missing.getMessage());
    }

    @Test
    void aPasswordWrittenWhereTheVariableNameBelongsIsRefusedWithoutRepeatingIt() {
        IllegalStateException pasted = assertThrows(IllegalStateException.class,
                () -> settings(Map.of("passwordEnv", "pw-Pasted/Secret+123"), Map.of()));
        assertEquals("passwordEnv of io.mcpagent.history is no environment variable name (letters, digits and '_'):"
                + " give the name of the variable that holds the history database password, not the password itself"
                + " (its value is not shown, as it may be the password)", pasted.getMessage());
    }

    /** A configuration as DS would give it: the values given, the annotation's defaults otherwise. */
    static HistoryConfig config(Map<String, Object> values) {
        return (HistoryConfig) java.lang.reflect.Proxy.newProxyInstance(HistoryConfig.class.getClassLoader(),
                new Class<?>[] {HistoryConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return HistoryConfig.class;
                    }
                    Object value = values.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }

    @Test
    void configDefaultsAreTheDocumentedOnes() {
        HistoryConfig defaults = config(Map.of());
        assertEquals("", defaults.jdbcUrl());
        assertEquals(30, defaults.retentionDays());
        assertEquals(10_000, defaults.writeQueueCapacity());
        assertEquals(60, defaults.purgeIntervalMinutes());
        assertInstanceOf(Annotation.class, defaults);
    }
}
