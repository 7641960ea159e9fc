package io.mcpagent.mcp.internal.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.mcp.CatalogContribution;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.FactoryConfigurations;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.mcp.internal.InheritedEnvironment;

/**
 * The {@link McpCatalog}: the built-in entries overlaid with those of {@link CatalogContribution} services
 * (operators' {@code io.mcpagent.mcp.catalog.entry} configurations among them). A contributed entry replaces a
 * built-in one with the same id; between contributions the higher {@code service.ranking}, then the lower
 * {@code service.id} wins. The {@link CatalogListener}s of this bundle (the configured servers) are told of each change
 * of the entries.
 */
@Component(service = {McpCatalog.class, ProblemReporter.class}, configurationPid = McpCatalogService.PID)
@Designate(ocd = McpCatalogService.Config.class)
public final class McpCatalogService implements McpCatalog, ProblemReporter {

    static final String PID = "io.mcpagent.mcp.catalog";
    /** The {@link Problem#source()} of contributed entries that are left out. */
    static final String PROBLEM_SOURCE = "catalog";
    private static final Logger LOG = LoggerFactory.getLogger(McpCatalogService.class);

    @ObjectClassDefinition(name = "MCP-Agent MCP server catalog",
            description = "Recommends, installs and uninstalls MCP servers from the catalog.")
    public @interface Config {
        @AttributeDefinition(description = "npm executable used to install npm-packaged servers.")
        String npmCommand() default "npm";

        @AttributeDefinition(description = "Node.js executable written into the configuration of npm-packaged servers.")
        String nodeCommand() default "node";

        @AttributeDefinition(description = "How long one npm install may take, in seconds (at least 1).", min = "1")
        int installTimeoutSeconds() default 300;

        @AttributeDefinition(description = "How long to wait for an installed server to connect and list its tools, in"
                + " seconds (at least 0; 0: look once, do not wait).", min = "0")
        int connectTimeoutSeconds() default 60;

        @AttributeDefinition(description = "Names of further variables of the runtime's environment npm and the"
                + " packages' install scripts get; without them they get only HOME, PATH, the proxy, npm_config_* and a"
                + " few more, never the runtime's secrets.")
        String[] installInheritEnv() default {};
    }

    /** A contribution service with what it contributed when it arrived, and the entries left out as invalid. */
    private record Contribution(long serviceId, int ranking, String source, List<CatalogEntry> entries,
                                List<Problem> ignored) {
    }

    private final List<CatalogEntry> builtin;
    private final GuardedConfiguration<Config, InstallSettings> configuration;
    private final ServerInstaller installer;
    private final Map<Long, Contribution> contributions = new ConcurrentHashMap<>();
    private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();
    /** Serialises rebuilds so that a slower rebuild cannot publish an older state over a newer one. */
    private final Object rebuildLock = new Object();
    private volatile CatalogSnapshot snapshot;
    /** Set by bind; an unbind clears only the service it unbinds, so a racing bind of a replacement stays. */
    private final AtomicReference<PluginManager> pluginManager = new AtomicReference<>();

    @Activate
    public McpCatalogService(BundleContext context, Config config) {
        this(BuiltinCatalog.load(), config, folder(context, "mcpagent.data", "data"),
                folder(context, "mcpagent.etc", "etc"), new SystemProcessRunner(System.getenv()), System::getenv,
                id -> configuredWithoutFile(context, id));
    }

    McpCatalogService(List<CatalogEntry> builtin, Config config, Path dataDirectory, Path etcDirectory,
                      ProcessRunner runner, Function<String, String> environment) {
        this(builtin, config, dataDirectory, etcDirectory, runner, environment, id -> Optional.empty());
    }

    /** @param configuredWithoutFile the PID of a configuration of server id that no file made, as the console's */
    McpCatalogService(List<CatalogEntry> builtin, Config config, Path dataDirectory, Path etcDirectory,
                      ProcessRunner runner, Function<String, String> environment,
                      Function<String, Optional<String>> configuredWithoutFile) {
        this.builtin = List.copyOf(builtin);
        this.configuration = new GuardedConfiguration<>(PID, Config.class,
                checked -> settings(checked, dataDirectory, etcDirectory), LOG::error, LOG::info);
        configuration.update(config);
        this.installer = new ServerInstaller(configuration::settings, runner, environment,
                () -> Optional.ofNullable(pluginManager.get()), configuredWithoutFile);
        rebuild();
    }

    /** The PID of a configuration of server {@code id} that ConfigAdmin holds and no file made, as the console's. */
    private static Optional<String> configuredWithoutFile(BundleContext context, String id) {
        return FactoryConfigurations.held(context, "(service.factoryPid=" + InstallSettings.SERVER_FACTORY_PID + ")")
                .orElse(List.of()).stream()
                .filter(held -> !held.fromFile() && held.id().equals(id)).map(FactoryConfigurations.Held::pid)
                .findFirst();
    }

    /** A change applies to the next install; a refused one leaves the settings in force. */
    @Modified
    void modified(Config config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired, and the invalid entries of contributions present. */
    @Override
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>(configuration.problems());
        contributions.values().forEach(contribution -> problems.addAll(contribution.ignored()));
        return problems;
    }

    /** @throws IllegalArgumentException naming the time limit that is out of its range, or each wrong name */
    private static InstallSettings settings(Config config, Path dataDirectory, Path etcDirectory) {
        int installTimeoutSeconds =
                (int) ConfigRanges.atLeast("installTimeoutSeconds", config.installTimeoutSeconds(), 1);
        int connectTimeoutSeconds = config.connectTimeoutSeconds();
        if (connectTimeoutSeconds < 0) {
            throw new IllegalArgumentException("connectTimeoutSeconds must be at least 0 (0: look once, do not wait), "
                    + "was " + connectTimeoutSeconds);
        }
        return new InstallSettings(config.npmCommand(), config.nodeCommand(), Duration.ofSeconds(installTimeoutSeconds),
                Duration.ofSeconds(connectTimeoutSeconds), dataDirectory, etcDirectory,
                installInheritEnv(config.installInheritEnv()));
    }

    /** The names checked as a stdio server's {@code inheritEnv} are. */
    private static List<String> installInheritEnv(String[] entries) {
        List<String> problems = new ArrayList<>();
        List<String> names = InheritedEnvironment.names("installInheritEnv", "npm",
                "set the variable in the runtime's environment", entries, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return names;
    }

    private static Path folder(BundleContext context, String property, String fallback) {
        String value = context.getProperty(property);
        if (value == null || value.isBlank()) {
            LOG.info("framework property {} is not set; the catalog uses {}", property, Path.of(fallback).toAbsolutePath());
            return Path.of(fallback);
        }
        return Path.of(value);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetPluginManager")
    void setPluginManager(PluginManager manager) {
        pluginManager.set(manager);
    }

    void unsetPluginManager(PluginManager manager) {
        pluginManager.compareAndSet(manager, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeContribution")
    void addContribution(CatalogContribution contribution, Map<String, Object> properties) {
        long serviceId = (Long) properties.get(Constants.SERVICE_ID);
        String source = "service " + serviceId + " of bundle " + properties.get(Constants.SERVICE_BUNDLEID);
        List<CatalogEntry> entries = new ArrayList<>();
        List<Problem> ignored = new ArrayList<>();
        for (CatalogEntry entry : contribution.catalogEntries()) {
            List<String> problems = CatalogEntryChecks.problems(entry);
            if (problems.isEmpty()) {
                entries.add(entry);
            } else {
                Problem problem = new Problem(PROBLEM_SOURCE, entry.id(), "catalog entry '" + entry.id() + "' from "
                        + source + " is ignored: " + String.join("; ", problems), null);
                LOG.warn("{}", problem.message());
                ignored.add(problem);
            }
        }
        contributions.put(serviceId, new Contribution(serviceId, ranking(properties), source, List.copyOf(entries),
                List.copyOf(ignored)));
        rebuildAndTell();
    }

    void removeContribution(CatalogContribution contribution, Map<String, Object> properties) {
        if (contributions.remove((Long) properties.get(Constants.SERVICE_ID)) != null) {
            rebuildAndTell();
        }
    }

    /** A listener is told at once, so that it reads the entries of a catalog that arrived after it. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeListener")
    void addListener(CatalogListener listener) {
        listeners.add(listener);
        tell(listener);
    }

    void removeListener(CatalogListener listener) {
        listeners.remove(listener);
    }

    /** Rebuilds, then tells the listeners outside the rebuild lock, as they publish service properties. */
    private void rebuildAndTell() {
        if (rebuild()) {
            listeners.forEach(this::tell);
        }
    }

    private void tell(CatalogListener listener) {
        try {
            listener.catalogChanged(this);
        } catch (RuntimeException e) {
            LOG.warn("catalog listener {} failed to take the catalog's entries", listener, e);
        }
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
    }

    /**
     * Lays the contributions over the built-in entries, weakest first, and logs each override once.
     *
     * @return whether the entries changed
     */
    private boolean rebuild() {
        synchronized (rebuildLock) {
            Map<String, CatalogEntry> entries = new TreeMap<>();
            Map<String, String> sources = new HashMap<>();
            builtin.forEach(entry -> {
                entries.put(entry.id(), entry);
                sources.put(entry.id(), CatalogSnapshot.BUILT_IN);
            });
            List<Contribution> weakestFirst = contributions.values().stream()
                    .sorted(Comparator.comparingInt(Contribution::ranking)
                            .thenComparing(Comparator.comparingLong(Contribution::serviceId).reversed()))
                    .toList();
            Map<String, String> overridden = new HashMap<>();
            for (Contribution contribution : weakestFirst) {
                for (CatalogEntry entry : contribution.entries()) {
                    entries.put(entry.id(), entry);
                    String previous = sources.put(entry.id(), contribution.source());
                    if (previous != null) {
                        overridden.put(entry.id(), previous);
                    }
                }
            }
            CatalogSnapshot previous = snapshot;
            snapshot = CatalogSnapshot.of(entries, sources);
            overridden.forEach((id, replacedSource) -> {
                if (previous == null || !Objects.equals(previous.sourcesById().get(id), sources.get(id))) {
                    LOG.info("catalog entry '{}' from {} overrides the one from {}", id, sources.get(id), replacedSource);
                }
            });
            return previous == null || !previous.entries().equals(snapshot.entries());
        }
    }

    @Override
    public List<CatalogEntry> entries() {
        return snapshot.entries();
    }

    @Override
    public Optional<CatalogEntry> entry(String id) {
        return Optional.ofNullable(snapshot.entriesById().get(id));
    }

    @Override
    public List<ServerRecommendation> recommend(String task, int max) {
        return snapshot.ranker().recommend(task, max, installedEntries()::contains);
    }

    @Override
    public Set<String> installedEntries() {
        PluginManager manager = pluginManager.get();
        if (manager == null) {
            return Set.of();
        }
        Set<String> installed = new TreeSet<>();
        for (PluginInfo server : manager.list(PluginKind.MCP_SERVER)) {
            installed.add(server.id());
            if (server.properties().get(PluginProperties.MCP_CATALOG_ENTRY) instanceof String entry) {
                installed.add(entry);
            }
        }
        installed.retainAll(snapshot.entriesById().keySet());
        return installed;
    }

    @Override
    public InstallReport install(String id) {
        CatalogEntry entry = entry(id).orElseThrow(() -> new McpException(id, "no catalog entry with this id;"
                + " the catalog has " + String.join(", ", entries().stream().map(CatalogEntry::id).toList())));
        return installer.install(entry);
    }

    @Override
    public void uninstall(String id) {
        installer.uninstall(id, entry(id).isPresent());
    }
}
