package io.mcpagent.mcp.internal;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.mcp.ElicitationHandler;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.SecretHolder;
import io.mcpagent.api.task.Capability;
import io.mcpagent.mcp.internal.catalog.CatalogListener;
import io.mcpagent.mcp.internal.catalog.CatalogMatch;
import io.mcpagent.mcp.internal.client.SessionDeletes;
import io.mcpagent.mcp.internal.client.StreamableHttpTransport;
import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * Turns each {@code io.mcpagent.mcp.server~<name>} factory configuration into an {@link McpServer} plugin with
 * id {@code <name>}; one the Web Console made, under a generated PID, is named by its {@code id}
 * ({@link FactoryInstanceId}). Changing the file restarts the server (tool calls coming meanwhile wait for it, while
 * the old one finishes those it runs: {@link ServerRestarts}), deleting it unregisters the plugin and ends the process.
 * A configuration naming an id another one serves, which the plugin whiteboard refuses, registers its server without
 * starting it until it takes the id over ({@link ServerIdClaims}).
 * A configuration with mistakes
 * still registers, as a server that is DOWN with the mistakes named, so
 * the operator sees them in {@code plugin:list}, {@code mcp:health} and the REST API. The configuration's own faults
 * (a refused value, a command that cannot be started) are also a {@link Problem} of source {@code config}, listed by
 * {@code plugin:problems} and {@code GET /api/v1/status}, and a refused value is told to the
 * {@link io.mcpagent.api.runtime.ConfigurationRefusalListener}s (the audit log's {@code config.refused}); a server that started and then crashed or went silent is
 * only DOWN in its health, since its configuration is not at fault.
 * <p>
 * The server's capabilities ({@link PluginProperties#MCP_CAPABILITIES}) are those its configuration declares; without
 * any, those of the catalog entry it is ({@link CatalogMatch}: by name or by the package it runs), looked up again
 * whenever the catalog's entries change ({@link CatalogListener}), so a server configured by hand as {@code npx @modelcontextprotocol/server-filesystem} serves the
 * agents that need file_read without the operator knowing the vocabulary. A declared capability outside the
 * vocabulary is left out and is a {@link Problem} naming it, as no task would ever ask for it; the server keeps running
 * with its others.
 */
@Component(configurationPid = McpServerComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {ProblemReporter.class, SecretHolder.class, CatalogListener.class}, immediate = true)
@Designate(ocd = ServerConfig.class, factory = true)
public final class McpServerComponent implements ProblemReporter, SecretHolder, CatalogListener {
    static final String FACTORY_PID = "io.mcpagent.mcp.server";
    /** The {@link PluginProperties#MCP_CAPABILITIES_SOURCE} of capabilities the configuration lists. */
    static final String DECLARED = "declared";
    private static final Logger LOG = LoggerFactory.getLogger(McpServerComponent.class);

    /** Keyed by service id, which orders them as they were registered. */
    private final Map<Long, ExecutionListener> listeners = new ConcurrentSkipListMap<>();
    /** Set by bind; an unbind clears only the service it unbinds, so a racing bind of a replacement stays. */
    private final AtomicReference<ElicitationHandler> elicitationHandler = new AtomicReference<>();
    /** Set by bind; an unbind clears only the service it unbinds, so a racing bind of a replacement stays. */
    private final AtomicReference<PluginManager> plugins = new AtomicReference<>();
    private final ScheduledExecutorService scheduler;
    private final ManagedServer server;
    private final ServiceRegistration<McpServer> registration;
    /** Null for a stdio server. */
    private final OnDemandHttpClient http;
    /** The session DELETEs of its stopped transports, which {@link #http} is shut down after. */
    private final SessionDeletes sessionDeletes = new SessionDeletes();
    /** Why the configuration is refused; null when the server runs. */
    private final Problem refusal;
    /** The declared capabilities outside the vocabulary, left out; null when there are none. */
    private final Problem unknownCapabilities;
    /** The properties the server is registered with; the capabilities found in the catalog are set in them. */
    private final Hashtable<String, Object> serviceProperties = new Hashtable<>();
    private final ServerRestarts restarts;
    /** Starts the server once its configuration holds its id, not while the whiteboard refuses it. */
    private final ServerIdClaims claims;
    /**
     * Set when the server is drained after its configuration changed: DS unbinds the references of the deactivated
     * component, while the calls drained may still sample, elicit and report progress. They keep the services bound.
     */
    private volatile boolean draining;

    @Activate
    public McpServerComponent(BundleContext context, ServerConfig config, Map<String, Object> properties,
                              @Reference ServerRestarts restarts, @Reference ServerIdClaims claims) {
        this.restarts = restarts;
        this.claims = claims;
        String pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, ""));
        // the PID is not pid(id) for a configuration the Web Console made: it generates <factory PID>.<uuid>
        FactoryInstanceId named = FactoryInstanceId.of(FACTORY_PID, pid, config.id());
        String id = named.id();
        String origin = ConfigurationOrigins.describe(context, pid);
        ObjectMapper mapper = new ObjectMapper();
        serviceProperties.put(PluginProperties.ID, id);
        serviceProperties.put(PluginProperties.KIND, PluginKind.MCP_SERVER.id());
        serviceProperties.put(PluginProperties.VERSION, context.getBundle().getVersion().toString());
        serviceProperties.put("mcpagent.mcp.transport", config.transport());
        serviceProperties.put(PluginProperties.MCP_CONFIGURATION, pid);
        String capabilities = capabilities(config.capabilities());
        if (!capabilities.isEmpty()) {
            serviceProperties.put(PluginProperties.MCP_CAPABILITIES, capabilities);
            serviceProperties.put(PluginProperties.MCP_CAPABILITIES_SOURCE, DECLARED);
        }
        ServerSettings settings;
        try {
            settings = ServerSettings.from(named, config, properties, System::getenv);
        } catch (IllegalArgumentException invalid) {
            refusal = new Problem(GuardedConfiguration.SOURCE, pid, "configuration " + pid + " (" + origin
                    + ") is refused: " + invalid.getMessage() + "; the server is DOWN until it is repaired", null);
            LOG.error("{}", refusal.message());
            ConfigurationRefusals.tell(context, pid, refusal.message(), LOG::error);
            unknownCapabilities = warnedOfUnknownCapabilities(pid, origin, config.capabilities(), capabilities, true);
            scheduler = null;
            server = null;
            http = null;
            serviceProperties.put(PluginProperties.NAME, config.name().isBlank() ? id : config.name());
            serviceProperties.put(PluginProperties.DESCRIPTION, "misconfigured: " + invalid.getMessage());
            // it runs nothing, but holds its id as the whiteboard has it: a valid configuration naming it stays refused
            McpServer misconfigured = new MisconfiguredServer(id, config.transport(), invalid.getMessage(), origin);
            registration = claims.claim(id, pid, standby -> register(context, misconfigured, standby), this::serve);
            restarts.started(id);
            return;
        }
        refusal = null;
        unknownCapabilities = warnedOfUnknownCapabilities(pid, origin, config.capabilities(), capabilities, false);
        serviceProperties.put(PluginProperties.NAME, settings.name());
        // the framework's UUID is new at every launch: keys compare within this runtime only
        serviceProperties.put(PluginProperties.MCP_REPLICA_KEY, settings.replicaKey(mapper,
                String.valueOf(context.getProperty(Constants.FRAMEWORK_UUID))));
        // a lazy server's health stays UNKNOWN until first use: this tells it from one connecting
        serviceProperties.put(PluginProperties.MCP_CONNECT, settings.eager() ? PluginProperties.MCP_CONNECT_EAGER
                : PluginProperties.MCP_CONNECT_LAZY);
        serviceProperties.put(PluginProperties.DESCRIPTION, settings.description().isBlank()
                ? settings.summary() : settings.description());
        scheduler = Executors.newScheduledThreadPool(2, Thread.ofVirtual().name("mcp-" + id + "-", 0).factory());
        http = settings.transport().equals("stdio") ? null : new OnDemandHttpClient(settings.initTimeout());
        server = new ManagedServer(settings, new Environment(mapper, context.getBundle().getVersion().toString(),
                origin, pid));
        registration = claims.claim(id, pid, standby -> register(context, server, standby), this::serve);
        restarts.started(id);
    }

    private ServiceRegistration<McpServer> register(BundleContext context, McpServer service, boolean standby) {
        if (standby) {
            serviceProperties.put(PluginProperties.MCP_STANDBY, true);
        }
        return context.registerService(McpServer.class, service, serviceProperties);
    }

    /** The configuration holds its id: its server starts (a misconfigured one runs nothing), no longer on standby. */
    private void serve(ServiceRegistration<McpServer> registered) {
        if (server != null) {
            server.start();
        }
        if (serviceProperties.remove(PluginProperties.MCP_STANDBY) != null) {
            try {
                registered.setProperties(serviceProperties);
            } catch (IllegalStateException unregistered) {
                // stopped meanwhile: nothing to serve
            }
        }
    }

    /** The refused configuration, or what keeps the configured command from starting; empty otherwise. */
    @Override
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>(server == null ? List.of(refusal) : server.problems());
        if (unknownCapabilities != null) {
            problems.add(unknownCapabilities);
        }
        return problems;
    }

    /** The secrets of the configuration the server runs with; none for a refused one, which calls nobody. */
    @Override
    public List<String> secretValues() {
        return server == null ? List.of() : server.settings().secretValues();
    }

    /** The configuration PID of server {@code id}. */
    static String pid(String id) {
        return FACTORY_PID + "~" + id;
    }

    /** The file in {@code etc/} that configures server {@code id} when a file does (none made in the console). */
    public static String file(String id) {
        return "etc/" + pid(id) + ".cfg.json";
    }

    /**
     * Where an operator changes the configuration {@code pid} of {@code origin}
     * ({@link ConfigurationOrigins#describe}): its file, or, for one no file made (the Web Console's), that
     * configuration with its origin, which says where.
     */
    static String configuredIn(String pid, String origin) {
        return origin.equals(ConfigurationOrigins.NO_FILE) ? "configuration " + pid + " (" + origin + ")" : origin;
    }

    /**
     * The declared capabilities of the vocabulary, spelt as it spells them (lower case, underscores), comma-separated.
     * Others are left out: no task ever asks for them ({@link #unknownCapabilities} reports them).
     */
    static String capabilities(String[] declared) {
        return Arrays.stream(declared).map(McpServerComponent::spelledAsTheVocabulary)
                .filter(c -> Capability.ofId(c).isPresent()).distinct().collect(Collectors.joining(","));
    }

    /** {@link #unknownCapabilities}, logged when there is a problem. */
    private static Problem warnedOfUnknownCapabilities(String pid, String origin, String[] declared, String known,
                                                       boolean refused) {
        Problem problem = unknownCapabilities(pid, origin, declared, known, refused);
        if (problem != null) {
            LOG.warn("{}", problem.message());
        }
        return problem;
    }

    /**
     * The problem of configuration {@code pid} from {@code origin} ({@link ConfigurationOrigins#describe}) naming the
     * declared capabilities outside the vocabulary as written, and the vocabulary; null when there are none. The server
     * is not refused for them: it still serves the tasks its other capabilities match. A server whose configuration is
     * {@code refused} for another reason is DOWN and serves none until it is repaired.
     */
    static Problem unknownCapabilities(String pid, String origin, String[] declared, String known, boolean refused) {
        List<String> unknown = Arrays.stream(declared).filter(c -> {
            String spelled = spelledAsTheVocabulary(c);
            return !spelled.isEmpty() && Capability.ofId(spelled).isEmpty();
        }).distinct().map(c -> "'" + c + "'").toList();
        if (unknown.isEmpty()) {
            return null;
        }
        String consequence;
        if (refused) {
            // catalogChanged gives a refused configuration nothing: it runs nothing
            consequence = known.isEmpty()
                    ? "it declares no other: the server has none while it is refused, and those of the catalog entry"
                            + " it is, if any, once the configuration is repaired"
                    : "it declares the others: " + known + ", which the server serves once the configuration is"
                            + " repaired";
        } else {
            consequence = known.isEmpty()
                    ? "it declares no other, so it has the capabilities of the catalog entry it is, if any"
                    : "it has the others: " + known;
        }
        return new Problem(GuardedConfiguration.SOURCE, pid, "configuration " + pid + " (" + origin
                + ") declares capabilities outside the vocabulary: " + String.join(", ", unknown) + "; no task asks"
                + " for them, so they are left out and " + consequence + ". The vocabulary: "
                + Arrays.stream(Capability.values()).map(Capability::id).sorted().collect(Collectors.joining(", ")),
                null);
    }

    /** A capability name as the vocabulary spells its names: {@code "Web-Search"} is {@code web_search}. */
    private static String spelledAsTheVocabulary(String capability) {
        return capability.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /**
     * DS passes why it deactivates us; an edited or deleted configuration is the usual case. An edited one restarts the
     * server: the new configuration's is registered at once, while this one finishes the calls it runs
     * ({@link ServerRestarts#drain}); one deleted, or a stopping bundle, cuts them off.
     */
    @Deactivate
    void deactivate(int reason) {
        boolean restarting = reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED;
        if (restarting) {
            // DS activates the changed configuration next: the calls coming in between wait for it
            restarts.restarting(String.valueOf(serviceProperties.get(PluginProperties.ID)));
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters services of a stopping bundle itself
        }
        claims.release(String.valueOf(serviceProperties.get(PluginProperties.ID)),
                String.valueOf(serviceProperties.get(PluginProperties.MCP_CONFIGURATION)), reason);
        CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
        if (server != null && restarting) {
            draining = true; // DS unbinds our references next: the calls drained still need them
            stopped = restarts.drain(server, stopReason(reason));
        } else if (server != null) {
            // A slow process's shutdown, on Configuration Admin's one thread, held every other server's change back;
            // at a bundle stop the servers stopped one after another, and past the 6 s the transports' shutdown hooks
            // wait at a runtime's exit, the rest were killed and logged as connections lost (exit code 137).
            stopped = server.stopInBackground(stopReason(reason));
        }
        if (scheduler != null) {
            scheduler.shutdownNow(); // it runs the health checks and reconnects, which a stopped server has none of
        }
        if (http != null) {
            stopped.whenComplete((done, failure) -> http.end().ifPresent(this::endHttp));
        }
    }

    /**
     * The client is shut down once the stopped transport's session DELETE is done (before, it would refuse the DELETE
     * not yet sent), but deactivation does not wait for it, and whatever is still under way past the DELETE's timeout
     * is aborted. The client's threads are daemons.
     */
    private void endHttp(HttpClient client) {
        Thread.ofVirtual().name("mcp-http-shutdown").start(() -> {
            try {
                sessionDeletes.await(StreamableHttpTransport.SESSION_DELETE_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.shutdownNow();
        });
    }

    /** What calls cut off by a deactivation tell their caller. */
    static String stopReason(int deactivationReason) {
        return switch (deactivationReason) {
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED -> "the server's configuration changed";
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED -> "the server's configuration was removed";
            case ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED -> "the MCP bundle stopped";
            default -> "the server was stopped";
        };
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(ExecutionListener listener, Map<String, Object> properties) {
        listeners.put((Long) properties.get(Constants.SERVICE_ID), listener);
    }

    /**
     * By the service's properties, not the listener: DS hands an unbind method the service only after asking for it,
     * and asked for the history while its activation failed (its database down), it activated it once more and
     * logged that failure at ERROR with its stack.
     */
    void removeListener(Map<String, Object> properties) {
        if (!draining) {
            listeners.remove((Long) properties.get(Constants.SERVICE_ID));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setElicitationHandler(ElicitationHandler handler) {
        elicitationHandler.set(handler);
    }

    void unsetElicitationHandler(ElicitationHandler handler) {
        if (!draining) {
            elicitationHandler.compareAndSet(handler, null);
        }
    }

    /**
     * The catalog entry the server is ({@link PluginProperties#MCP_CATALOG_ENTRY}), and, when it declares no
     * capabilities, that entry's, as the catalog is now: the catalog tells us when it binds us and whenever its
     * entries change, so an entry added, changed or removed later counts at once, without restarting the server. Only
     * the service properties change; the connection is left alone.
     */
    @Override
    public synchronized void catalogChanged(McpCatalog catalog) {
        if (server == null) {
            return; // refused configurations run nothing
        }
        ServerSettings settings = server.settings();
        Optional<CatalogMatch.Match> match = CatalogMatch.of(settings.id(), settings.command(),
                settings.workingDirectory(), catalog.entries());
        String entry = match.map(found -> found.entry().id()).orElse(null);
        boolean changed = !Objects.equals(entry, serviceProperties.get(PluginProperties.MCP_CATALOG_ENTRY));
        setOrRemove(PluginProperties.MCP_CATALOG_ENTRY, entry);
        if (!DECLARED.equals(serviceProperties.get(PluginProperties.MCP_CAPABILITIES_SOURCE))) {
            // declared capabilities are the operator's word
            changed |= capabilitiesOf(match.filter(found -> !found.entry().capabilities().isEmpty()));
        }
        if (!changed) {
            return; // another entry changed: nothing to tell the agents
        }
        try {
            registration.setProperties(serviceProperties);
        } catch (IllegalStateException unregistered) {
            // the server was stopped meanwhile: nobody can bind agents to it any more
        }
    }

    /** Sets the capabilities of the entry {@code match} (none without one); whether they changed. */
    private boolean capabilitiesOf(Optional<CatalogMatch.Match> match) {
        String capabilities = match.map(found -> capabilities(found.entry().capabilities().toArray(String[]::new)))
                .orElse(null);
        String source = match.map(found -> "catalog entry " + found.entry().id() + " " + found.how()).orElse(null);
        if (Objects.equals(capabilities, serviceProperties.get(PluginProperties.MCP_CAPABILITIES))
                && Objects.equals(source, serviceProperties.get(PluginProperties.MCP_CAPABILITIES_SOURCE))) {
            return false;
        }
        setOrRemove(PluginProperties.MCP_CAPABILITIES, capabilities);
        setOrRemove(PluginProperties.MCP_CAPABILITIES_SOURCE, source);
        if (match.isPresent()) {
            LOG.info("MCP server '{}' declares no capabilities; it has those of {}: {}",
                    serviceProperties.get(PluginProperties.ID), source, capabilities);
        } else {
            LOG.info("MCP server '{}' declares no capabilities and is no longer a catalog entry with some: it has none",
                    serviceProperties.get(PluginProperties.ID));
        }
        return true;
    }

    /** Sets the service property {@code name} to {@code value}, or removes it for null. */
    private void setOrRemove(String name, String value) {
        if (value == null) {
            serviceProperties.remove(name);
        } else {
            serviceProperties.put(name, value);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPlugins(PluginManager manager) {
        plugins.set(manager);
    }

    void unsetPlugins(PluginManager manager) {
        if (!draining) {
            plugins.compareAndSet(manager, null);
        }
    }

    private final class Environment implements ManagedServer.Environment {
        private final ObjectMapper mapper;
        private final String version;
        private final String origin;
        private final String pid;

        Environment(ObjectMapper mapper, String version, String origin, String pid) {
            this.mapper = mapper;
            this.version = version;
            this.origin = origin;
            this.pid = pid;
        }

        @Override
        public ObjectMapper mapper() {
            return mapper;
        }

        @Override
        public HttpClient http() {
            return http == null ? null : http.get();
        }

        @Override
        public SessionDeletes sessionDeletes() {
            return sessionDeletes;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public void publish(ExecutionEvent event) {
            for (ExecutionListener listener : listeners.values()) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("execution listener {} failed on {}", listener, event.type(), e);
                }
            }
        }

        @Override
        public Optional<ElicitationHandler> elicitationHandler() {
            return Optional.ofNullable(elicitationHandler.get());
        }

        @Override
        public Optional<LlmProvider> provider(String pluginId) {
            PluginManager manager = plugins.get();
            return manager == null ? Optional.empty() : manager.service(pluginId, LlmProvider.class);
        }

        @Override
        public String clientVersion() {
            return version;
        }

        @Override
        public String configurationOrigin() {
            return origin;
        }

        @Override
        public String configurationPid() {
            return pid;
        }
    }
}
