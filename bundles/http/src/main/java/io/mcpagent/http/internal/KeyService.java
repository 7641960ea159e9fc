package io.mcpagent.http.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.HttpServiceSettings.Port;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.SecretFiles;

/**
 * Owns the API key store. There is no default credential: on first start the admin key comes from
 * {@code MCPAGENT_ADMIN_KEY}, from the configured {@code adminKeyFile}, or is generated and shown once on the
 * console. {@code bin/mcp-agent} does not leave the variable in the JVM's environment (readable in
 * {@code /proc/<pid>/environ} by every process of the user for the runtime's whole life): it hands the key over on a
 * pipe that the launcher reads into the system property {@link #HANDED_OVER_KEY_PROPERTY}, taken like the variable
 * and cleared on every start. A key
 * file that cannot be read is reported and left untouched, and the API refuses service until it is repaired (it is
 * re-read every few seconds). The first admin key, made or refused, is audited as the runtime's {@code apikey.create}
 * (never the key): it does not go through {@link StoredApiKeys}, which audits the keys made later.
 */
@Component(service = {KeyService.class, ProblemReporter.class}, configurationPid = HttpConfig.PID)
@Designate(ocd = HttpConfig.class)
public final class KeyService implements ProblemReporter {
    static final String ENV_ADMIN_KEY = "MCPAGENT_ADMIN_KEY";
    /** The system property the launcher puts the {@code MCPAGENT_ADMIN_KEY} that {@code bin/mcp-agent} handed over in. */
    static final String HANDED_OVER_KEY_PROPERTY = "mcpagent.adminKey.handedOver";
    /** The shortest admin key taken on first start: a short one can be guessed, and it opens everything. */
    static final int MIN_ADMIN_KEY_LENGTH = 24;
    private static final long RETRY_MILLIS = 5_000;
    /** What follows every refusal of adminKeyFile on the first start: what happened, and what to do. */
    static final String NO_ADMIN_KEY_FROM_FILE = "; no admin key was made, so no API key is accepted until the runtime"
            + " is started again with adminKeyFile naming a readable file that holds the admin key (at least "
            + MIN_ADMIN_KEY_LENGTH + " characters), or empty to have an admin key generated and shown once";
    private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);

    /** Why keys cannot be used right now; thrown to callers, answered as 503. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private final Path file;
    /** Holds the first start's entry until the audit log runs: this component starts before it. */
    private final RestAudit audit = new RestAudit(Clock.systemUTC());
    private volatile ApiKeyStore store;
    private volatile String brokenReason;
    private volatile long lastAttempt;
    /** The refusal of a supplied admin key (too short, or adminKeyFile unusable); null when none was refused. */
    private volatile Problem refusedAdminKey;
    /** Why {@link #refusedAdminKey} was refused, without the key or a path: for unauthenticated readiness probes. */
    private volatile String refusedAdminKeyInShort;
    /** adminKeyFile as last configured, stripped; a change is said not to be read ({@link #modified}). */
    private volatile String configuredAdminKeyFile;

    @Activate
    public KeyService(BundleContext context, HttpConfig config, @Reference ConfigurationAdmin configurationAdmin) {
        this(keyFile(context), config.adminKeyFile(), System.getenv(ENV_ADMIN_KEY), takeHandedOverKey(context),
                System.out, System.err, httpSettings(configurationAdmin, context));
    }

    /**
     * The admin key handed over by {@code bin/mcp-agent}, or null; cleared whether or not a key is needed, so that it
     * stays no longer than this start where the web console and diagnostics show the system properties.
     */
    static String takeHandedOverKey(BundleContext context) {
        String key = context.getProperty(HANDED_OVER_KEY_PROPERTY);
        System.clearProperty(HANDED_OVER_KEY_PROPERTY);
        return key;
    }

    /**
     * A changed configuration is taken in place: its only property read here, {@code adminKeyFile}, counts on the first
     * start alone. Made again instead, this component would take everything built on it along (the authenticator, the
     * REST API, the console's security provider with its login sessions) on every change of {@value HttpConfig#PID}.
     * A changed {@code adminKeyFile} is not read now, which one WARN says (an operator setting it while the runtime
     * runs otherwise meets only 401s with the key it names), unless the key it names is an admin key already.
     */
    @Modified
    void modified(HttpConfig config) {
        String changed = config.adminKeyFile() == null ? "" : config.adminKeyFile().strip();
        String previous = configuredAdminKeyFile;
        configuredAdminKeyFile = changed;
        if (changed.isEmpty() || changed.equals(previous)) {
            return; // nothing to take: the keys stay as they are
        }
        ApiKeyStore current = store;
        Path keyFile = SecretFiles.existing(changed).orElse(null);
        String to = keyFile == null ? "" : ", to " + keyFile;
        String namesNoFile = keyFile == null ? "; " + SecretFiles.namesNoFile("adminKeyFile", "the admin key") : "";
        if (current == null || current.isEmpty()) {
            LOG.warn("adminKeyFile was changed while the runtime runs{}: it is read only when the runtime starts and {}"
                    + " holds no API key, so it is read at the next start{}{}", to, file,
                    current == null ? " if that file is repaired or moved away by then" : "", namesNoFile);
            return;
        }
        String key = null;
        try {
            key = keyFile == null || Files.isDirectory(keyFile) ? null : readKey(keyFile).orElse(null);
        } catch (IOException e) {
            LOG.debug("adminKeyFile {} cannot be read", keyFile, e);
        }
        if (key != null) {
            ignored(current, "adminKeyFile " + keyFile + ", changed while the runtime runs,", key).ifPresent(LOG::warn);
            return;
        }
        int keys = current.list().size();
        LOG.warn("adminKeyFile was changed while the runtime runs{}, and has no effect: it is read only when the"
                + " runtime starts and {} holds no API key, and it holds {}{}. To use another admin key: {}", to, file,
                keys == 1 ? "1 key" : keys + " keys", namesNoFile, newAdminKey());
    }

    /**
     * Without a handed-over key: a runtime started without {@code bin/mcp-agent} (tests, embedding); an ignored
     * admin key is said on the console.
     */
    KeyService(Path file, String adminKeyFile, String adminKeyFromEnv, PrintStream console, HttpServiceSettings http) {
        this(file, adminKeyFile, adminKeyFromEnv, null, console, console, http);
    }

    /**
     * @param http the HTTP service's settings, for the address the generated admin key is shown with; null when
     *             ConfigAdmin holds no configuration of it yet
     * @param handedOver the MCPAGENT_ADMIN_KEY bin/mcp-agent handed over, or null
     * @param errors where an admin key given while keys exist already (in the variable, handed over, or in
     *               adminKeyFile) is said to be ignored (stderr)
     */
    KeyService(Path file, String adminKeyFile, String adminKeyFromEnv, String handedOver, PrintStream console,
               PrintStream errors, HttpServiceSettings http) {
        this.file = file;
        this.configuredAdminKeyFile = adminKeyFile == null ? "" : adminKeyFile.strip();
        open();
        ApiKeyStore opened = store;
        boolean fromEnv = adminKeyFromEnv != null && !adminKeyFromEnv.isBlank();
        String supplied = fromEnv ? adminKeyFromEnv : handedOver;
        if (opened != null && opened.isEmpty()) {
            bootstrap(opened, adminKeyFile, supplied, console, http);
        } else if (opened != null && supplied != null && !supplied.isBlank()) {
            warnIfIgnored(opened, ENV_ADMIN_KEY, supplied.trim(), errors);
        } else if (opened != null) {
            SecretFiles.existing(adminKeyFile).ifPresent(keyFile -> warnIfFileIgnored(opened, keyFile, errors));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAudit")
    void bindAudit(AuditLog log, Map<String, Object> properties) {
        audit.bind(log, properties);
    }

    /** Without the log, which DS would ask for again: see {@link io.mcpagent.api.audit.AuditRecorder#unbind(Map)}. */
    void unbindAudit(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    private static HttpServiceSettings httpSettings(ConfigurationAdmin configurationAdmin, BundleContext context) {
        Configuration configuration = HttpEndpointWatch.httpConfiguration(configurationAdmin);
        Dictionary<String, Object> properties = configuration == null ? null : configuration.getProperties();
        return properties == null ? null : new HttpServiceSettings(properties, context::getProperty);
    }

    static Path keyFile(BundleContext context) {
        String data = context.getProperty("mcpagent.data");
        if (data == null) {
            Path fallback = context.getDataFile("security").toPath().resolve("api-keys.json");
            LOG.info("framework property mcpagent.data is not set; API keys are kept in {}", fallback);
            return fallback;
        }
        return Paths.get(data, "security", "api-keys.json");
    }

    ApiKeyStore store() throws Unavailable {
        ApiKeyStore current = store;
        if (current == null && System.currentTimeMillis() - lastAttempt > RETRY_MILLIS) {
            open();
            current = store;
        }
        if (current == null) {
            throw new Unavailable(brokenReason);
        }
        return current;
    }

    /** A key file that cannot be read; a refused admin key while no key has been made another way. */
    @Override
    public List<Problem> problems() {
        String reason = brokenReason;
        if (reason != null) {
            return List.of(new Problem("http", file.getFileName().toString(), reason, Instant.now()));
        }
        Problem refused = refusedAdminKey;
        ApiKeyStore current = store;
        return refused != null && current != null && current.isEmpty() ? List.of(refused) : List.of();
    }

    /**
     * Why no API key can be used although the key file is readable: the admin key supplied on the first start was
     * refused and no key was made since; empty otherwise. Said to anyone (the readiness probe), so without a path.
     */
    Optional<String> noUsableKey() {
        ApiKeyStore current = store;
        String refused = refusedAdminKeyInShort;
        return refused != null && current != null && current.isEmpty() ? Optional.of(refused) : Optional.empty();
    }

    private synchronized void open() {
        lastAttempt = System.currentTimeMillis();
        try {
            store = ApiKeyStore.open(file);
            store.list().stream().filter(key -> key.role() == Role.ADMIN && key.tenant() != null).forEach(key ->
                    LOG.warn("admin API key {} in {} was created for tenant '{}'; that tenant is ignored: an admin acts"
                            + " for every tenant, and its tasks run for the tenant 'default' unless they name one",
                            key.id(), file, key.tenant()));
            if (brokenReason != null) {
                LOG.info("API key file {} is readable again", file);
            }
            brokenReason = null;
        } catch (ApiKeyStore.CorruptKeyFile e) {
            if (brokenReason == null) {
                LOG.error("{}. The REST API answers 503 until the file is repaired or moved away (then a new admin"
                        + " key is generated); the file was left untouched", e.getMessage());
            }
            brokenReason = e.getMessage() + "; repair it or move it away (a new admin key is then generated)";
        }
    }

    /**
     * The variable and adminKeyFile count on the first start only: given again with a key the file does not hold, the
     * operator would otherwise only meet 401s. The same key given at every start is taken already and not mentioned.
     *
     * @param given where the key was given: the variable, or adminKeyFile with its path
     */
    private void warnIfIgnored(ApiKeyStore opened, String given, String supplied, PrintStream errors) {
        ignored(opened, given, supplied).ifPresent(message -> {
            LOG.warn(message);
            errors.println("MCP-Agent: " + message + ".");
            errors.flush();
        });
    }

    /** That {@code supplied}, given where {@code given} says, is ignored; empty when it is an admin key already. */
    private Optional<String> ignored(ApiKeyStore opened, String given, String supplied) {
        if (opened.authenticate(supplied).filter(key -> key.role() == Role.ADMIN).isPresent()) {
            return Optional.empty();
        }
        List<ApiKeyStore.ApiKey> keys = opened.list();
        long admins = keys.stream().filter(key -> key.role() == Role.ADMIN).count();
        return Optional.of(given + " is ignored: it is used on the first start only, and " + file + " holds "
                + keys.size() + (keys.size() == 1 ? " key" : " keys") + " already (" + admins
                + (admins == 1 ? " admin key" : " admin keys") + "), none of them this one, so it is not accepted."
                + " To use it: " + newAdminKey());
    }

    /** How to get another admin key while keys exist. */
    private String newAdminKey() {
        return "stop the runtime and move " + file + " away (every API key must then be created again); or make"
                + " another admin key with an existing one (apikey:create admin, POST /api/v1/keys)";
    }

    /**
     * adminKeyFile, set while keys exist, as the variable. A file that cannot be read (or was moved away once the first
     * start took it) holds no key the operator can expect to be taken, and is not mentioned.
     */
    private void warnIfFileIgnored(ApiKeyStore opened, Path adminKeyFile, PrintStream errors) {
        try {
            readKey(adminKeyFile).ifPresent(key -> warnIfIgnored(opened, "adminKeyFile " + adminKeyFile, key, errors));
        } catch (IOException e) {
            LOG.debug("adminKeyFile {} cannot be read; it is used on the first start only", adminKeyFile, e);
        }
    }

    private void bootstrap(ApiKeyStore opened, String adminKeyFile, String adminKeyFromEnv, PrintStream console,
                           HttpServiceSettings http) {
        try {
            Optional<String> supplied = Optional.ofNullable(adminKeyFromEnv).map(String::trim).filter(k -> !k.isEmpty());
            String origin = "environment variable " + ENV_ADMIN_KEY;
            String subject = ENV_ADMIN_KEY;
            if (supplied.isEmpty() && adminKeyFile != null && !adminKeyFile.isBlank()) {
                // the operator chose to supply the key: a file it cannot come from makes no key, never another one
                subject = "adminKeyFile";
                Path keyFile = SecretFiles.existing(adminKeyFile).orElse(null);
                String unusable = keyFile == null ? SecretFiles.namesNoFile("adminKeyFile", "the admin key")
                        : unusableKeyFile(keyFile);
                if (unusable != null) {
                    refuseAdminKey(subject, unusable + NO_ADMIN_KEY_FROM_FILE, "adminKeyFile names no readable file"
                            + " holding a key", console);
                    return;
                }
                supplied = readKey(keyFile);
                if (supplied.isPresent() && supplied.get().length() < MIN_ADMIN_KEY_LENGTH) {
                    refuseAdminKey(subject, "adminKeyFile " + keyFile + " holds a key of " + supplied.get().length()
                            + " characters, at least " + MIN_ADMIN_KEY_LENGTH + " are needed (e.g. openssl rand"
                            + " -base64 32)" + NO_ADMIN_KEY_FROM_FILE, "adminKeyFile holds a key shorter than "
                            + MIN_ADMIN_KEY_LENGTH + " characters", console);
                    return;
                }
                origin = "file " + keyFile;
            }
            if (supplied.isPresent() && supplied.get().length() < MIN_ADMIN_KEY_LENGTH) {
                // no key is generated instead: the operator chose to supply one, and the next start takes a longer one
                refuseAdminKey(subject, "the admin key in the " + origin + " is refused: it has "
                        + supplied.get().length() + " characters, at least " + MIN_ADMIN_KEY_LENGTH + " are needed"
                        + " (e.g. openssl rand -base64 32); no admin key was made, so no API key is accepted until the"
                        + " runtime is started again with a longer one", subject + " is shorter than "
                        + MIN_ADMIN_KEY_LENGTH + " characters", console);
                return;
            }
            if (supplied.isPresent()) {
                ApiKeyStore.ApiKey key = opened.importKey(supplied.get(), Role.ADMIN, "admin (bootstrap)");
                auditFirstAdminKey(key.id(), AuditEntry.SUCCEEDED, "admin, " + key.name() + ", taken from the "
                        + origin);
                LOG.info("admin API key {} taken from the {}; only its hash is stored in {}", key.id(), origin, file);
                return;
            }
            String key = opened.create(Role.ADMIN, "admin (generated)");
            opened.authenticate(key).ifPresent(created -> auditFirstAdminKey(created.id(), AuditEntry.SUCCEEDED,
                    "admin, " + created.name() + ", generated and shown once on the console"));
            console.println("""

                    ================================================================================
                    Generated admin API key (shown only once, store it now):

                        %s

                    %s
                    Only its hash is kept (%s). Create more keys with apikey:create.
                    ================================================================================
                    """.formatted(key, usage(http), file));
            console.flush();
            LOG.info("generated the first admin API key; it was shown once on the console");
        } catch (IOException e) {
            LOG.error("could not store the first admin API key in {}: {}", file, e.toString());
            auditFirstAdminKey(file.getFileName().toString(), AuditEntry.FAILED, "the first admin key could not be"
                    + " stored in " + file + ": " + e);
        }
    }

    /**
     * An admin key supplied on the first start that cannot be taken: logged, said where the generated key would have
     * been shown (without any key, the problem cannot be read through the API) and reported while no key exists.
     *
     * @param subject where the key was supplied: the variable, or adminKeyFile
     * @param inShort  why, without a path, for {@link #noUsableKey()}
     */
    private void refuseAdminKey(String subject, String message, String inShort, PrintStream console) {
        LOG.error(message);
        console.println("MCP-Agent: " + message + ".");
        console.flush();
        refusedAdminKey = new Problem("http", subject, message, Instant.now());
        refusedAdminKeyInShort = inShort;
        auditFirstAdminKey(subject, AuditEntry.FAILED, message);
    }

    /**
     * The first admin key's creation, or why none was made, by the runtime; {@code target}: the key's id, where a
     * refused key was supplied, or the key file it could not be stored in.
     */
    private void auditFirstAdminKey(String target, String outcome, String detail) {
        audit.recordUnidentified(AuditEntry.RUNTIME, "apikey.create", target, outcome, detail);
    }

    /**
     * Why adminKeyFile, which names {@code keyFile}, holds no key to take on the first start, in words that follow
     * {@code adminKeyFile <path>}; null when it holds one. Every way is refused alike
     * ({@link #NO_ADMIN_KEY_FROM_FILE}).
     */
    private static String unusableKeyFile(Path keyFile) {
        String named = "adminKeyFile " + keyFile;
        if (Files.isDirectory(keyFile)) {
            return named + " is a directory, not the file holding the admin key";
        }
        if (!Files.isReadable(keyFile)) {
            return named + " cannot be read: the runtime's user has no read permission on it";
        }
        try {
            return readKey(keyFile).isEmpty() ? named + " is empty" : null;
        } catch (IOException e) {
            return named + " cannot be read (" + e + ")";
        }
    }

    /** The key adminKeyFile holds, trimmed; empty when the file holds none or lacks read permission. */
    private static Optional<String> readKey(Path keyFile) throws IOException {
        return Files.isReadable(keyFile)
                ? Optional.of(Files.readString(keyFile).trim()).filter(k -> !k.isEmpty()) : Optional.empty();
    }

    /**
     * How to call the API with the key, at the address Jetty listens on as far as it is known before Jetty starts:
     * a fixed port (or Jetty's default) is shown, a free port Jetty picks only when it starts is described instead.
     */
    static String usage(HttpServiceSettings http) {
        String file = HttpEndpointWatch.FILE;
        if (http == null) {
            return curl("http", "<host>:<port>") + "\n(<host> and <port> as " + file + " gives them)";
        }
        String property = http.opens(HttpServiceSettings.PORT) ? HttpServiceSettings.PORT
                : http.opens(HttpServiceSettings.SECURE_PORT) ? HttpServiceSettings.SECURE_PORT : null;
        if (property == null) {
            return "HTTP and HTTPS are both off in " + file + ": the REST API is not served.";
        }
        String scheme = property.equals(HttpServiceSettings.PORT) ? "http" : "https";
        String host = shownHost(http.host());
        Object value = http.port(property);
        return switch (HttpServiceSettings.portOf(value)) {
            case Port.Fixed(int port) -> curl(scheme, host + ":" + port);
            case Port.Default unread -> curl(scheme, host + ":" + HttpServiceSettings.defaultPort(property));
            case Port.AnyFree any -> curl(scheme, host + ":<port>") + "\n(<port>: the free port Jetty takes when it"
                    + " starts, as " + property + " is " + value + "; Jetty logs it)";
            case Port.Range(int first, int last) -> curl(scheme, host + ":<port>") + "\n(<port>: the first port from "
                    + first + " to " + last + " that is free when Jetty starts; Jetty logs it)";
            case Port.NotAPort notAPort -> property + " " + value + " in " + file + " is no port Jetty can listen on:"
                    + " the REST API is not served until it is one.";
            // a kind of port a later API version adds
            default -> curl(scheme, host + ":<port>") + "\n(<port> as " + property + " " + value + " in " + file
                    + " makes it)";
        };
    }

    private static String curl(String scheme, String address) {
        return "Use it as:  curl -H \"X-Api-Key: <key>\" " + scheme + "://" + address + "/api/v1/status";
    }

    /** Where a local client reaches Jetty: loopback when it listens on every address. */
    private static String shownHost(String host) {
        if (host == null || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
