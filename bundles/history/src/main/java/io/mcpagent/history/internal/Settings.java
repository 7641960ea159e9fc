package io.mcpagent.history.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.mcpagent.api.security.SecretFiles;
import io.mcpagent.api.security.Secrets;

/**
 * The configuration in force, resolved: the JDBC URL (the embedded default filled in), the password read from its
 * file or variable, and the {@link Upkeep} numbers, checked apart. {@link #toString()} leaves the password out.
 */
record Settings(String jdbcUrl, String user, String password, int retentionDays, int auditRetentionDays,
                int writeQueueCapacity, Duration purgeInterval, String nodeId) {
    /** Framework (or system) property naming the runtime's data folder. */
    static final String DATA_PROPERTY = "mcpagent.data";
    /** What a shell or a service manager takes as a variable's name; a password pasted in instead is no such name. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * @param upkeep      the upkeep settings in force, checked from {@code config} or kept when it was refused
     * @param properties  framework properties (falling back to system properties, as BundleContext.getProperty does)
     * @param environment environment variables
     * @throws IllegalStateException when the password file or variable is named but cannot be read
     */
    static Settings of(HistoryConfig config, Upkeep upkeep, Function<String, String> properties,
                       Function<String, String> environment) {
        String node = config.nodeId() == null || config.nodeId().isBlank() ? hostName() : config.nodeId().strip();
        return new Settings(url(config, properties), nullToEmpty(config.user()).strip(), password(config, environment),
                upkeep.retentionDays(), upkeep.auditRetentionDays(), upkeep.writeQueueCapacity(),
                upkeep.purgeInterval(), node);
    }

    /**
     * Opens the database of {@code config}, checks that the history can prepare it ({@link Database#checkAndClose}:
     * reading only, and on PostgreSQL by rehearsing the preparation, rolled back), and closes it: whether it can be
     * used now, without starting the history.
     *
     * @throws IllegalStateException as {@link Database#open(String, String, String)} and
     *                               {@link Database#checkAndClose}, or when the password file or variable is named
     *                               but cannot be read
     */
    static void probe(HistoryConfig config, Function<String, String> properties, Function<String, String> environment) {
        Database.open(url(config, properties), nullToEmpty(config.user()).strip(), password(config, environment))
                .checkAndClose();
    }

    /** The JDBC URL of {@code config}: the embedded default when it names none. */
    static String url(HistoryConfig config, Function<String, String> properties) {
        return config.jdbcUrl() == null || config.jdbcUrl().isBlank()
                ? embeddedUrl(properties.apply(DATA_PROPERTY)) : config.jdbcUrl().strip();
    }

    /** The upkeep settings of these. */
    Upkeep upkeep() {
        return new Upkeep(retentionDays, auditRetentionDays, writeQueueCapacity, purgeInterval);
    }

    /** These database settings with {@code upkeep}. */
    Settings withUpkeep(Upkeep upkeep) {
        return new Settings(jdbcUrl, user, password, upkeep.retentionDays(), upkeep.auditRetentionDays(),
                upkeep.writeQueueCapacity(), upkeep.purgeInterval(), nodeId);
    }

    /**
     * The default database: an H2 file {@code <data>/history/executions.mv.db}. H2's own shutdown hook is off
     * ({@code DB_CLOSE_ON_EXIT=FALSE}) so that it cannot close the database before the component wrote its queue.
     */
    static String embeddedUrl(String dataFolder) {
        Path data = dataFolder == null || dataFolder.isBlank() ? Path.of("data") : Path.of(dataFolder);
        return "jdbc:h2:file:" + data.resolve("history").resolve("executions").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private static String password(HistoryConfig config, Function<String, String> environment) {
        String file = nullToEmpty(config.passwordFile()).strip();
        if (!file.isEmpty()) {
            // most likely the password itself when it names no file: never repeated, so that it reaches neither the
            // log nor /status
            // no "password: ", which masking (/status, the log) takes for a secret and redacts the word after it
            Path path = SecretFiles.existing(file).orElseThrow(() -> new IllegalStateException("cannot read the"
                    + " history database password, as " + SecretFiles.namesNoFile("passwordFile of "
                    + HistoryComponent.PID, "the password") + ": give the path of the file that holds the password"));
            try {
                return Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the history database password from passwordFile " + file
                        + " (" + e + "): fix the file or the property passwordFile of " + HistoryComponent.PID, e);
            }
        }
        String variable = nullToEmpty(config.passwordEnv()).strip();
        if (!variable.isEmpty()) {
            if (!VARIABLE_NAME.matcher(variable).matches()) {
                // most likely the password itself: never repeated, so that it reaches neither the log nor /status
                throw new IllegalStateException("passwordEnv of " + HistoryComponent.PID + " is no environment"
                        + " variable name (letters, digits and '_'): give the name of the variable that holds the"
                        + " history database password, not the password itself (its value is not shown, as it may be"
                        + " the password)");
            }
            String value = environment.apply(variable);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("the environment variable " + variable + " (passwordEnv of "
                        + HistoryComponent.PID + ") is not set: set it to the history database password and restart");
            }
            return value.strip();
        }
        return nullToEmpty(config._password());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return "Settings[jdbcUrl=" + Secrets.redact(jdbcUrl) + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : Secrets.MASK) + ", retentionDays=" + retentionDays + ", auditRetentionDays="
                + auditRetentionDays + ", writeQueueCapacity=" + writeQueueCapacity + ", purgeInterval=" + purgeInterval + ", nodeId=" + nodeId + "]";
    }
}
