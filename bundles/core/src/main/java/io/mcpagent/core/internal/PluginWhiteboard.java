package io.mcpagent.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.event.PluginAdded;
import io.mcpagent.api.event.PluginRemoved;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.plugin.PluginService;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.FactoryConfigurations;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.task.TaskAnalyzer;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.core.internal.llm.DefaultLlmRouter;

/**
 * The plugin whiteboard. Every plugin service is tracked through a dynamic reference; each change rebuilds an
 * immutable {@link PluginSnapshot} that replaces the previous one atomically, so readers never lock and never
 * see a half-applied change. Plugin events go to listeners on one dedicated thread, in the order of the changes. It
 * listens to Configuration Admin for the deletion of a configuration whose plugin is away while it keeps its id.
 */
@Component(service = {PluginManager.class, ProblemReporter.class, ConfigurationListener.class},
        configurationPid = PluginWhiteboard.PID)
@Designate(ocd = PluginWhiteboard.Config.class)
public final class PluginWhiteboard implements PluginManager, ProblemReporter, ConfigurationListener {
    static final String PID = "io.mcpagent.core.plugins";
    static final String SOURCE = "whiteboard";
    private static final Logger LOG = LoggerFactory.getLogger(PluginWhiteboard.class);
    /** Characters a derived plugin id must not contain so that it can stand in a URL path segment unescaped. */
    private static final Pattern PATH_UNSAFE = Pattern.compile("[^A-Za-z0-9._~:@$+=-]");
    static final long DEFAULT_ACTIVATION_WAIT_SECONDS = 5;
    /** Longer would let a plugin whose activate method never returns hold a REST request past its clients' patience. */
    static final long MAX_ACTIVATION_WAIT_SECONDS = 300;

    @ObjectClassDefinition(name = "MCP-Agent plugin whiteboard",
            description = "Tracks the plugin services: providers, patterns, analyzers and MCP servers.")
    public @interface Config {
        /*
         * A delayed component activates in the thread that first obtains its service, and one whose activate method
         * never returns would otherwise hold that thread (an execution being planned, a REST request) for good.
         */
        @AttributeDefinition(description = "How long asks wait, in seconds from the first, for a plugin's component to"
                + " finish activating when its service is first obtained (1 to " + MAX_ACTIVATION_WAIT_SECONDS
                + "). One still activating then is a problem and its plugin is not used until it has activated.",
                min = "1", max = "" + MAX_ACTIVATION_WAIT_SECONDS)
        long activationWaitSeconds() default DEFAULT_ACTIVATION_WAIT_SECONDS;
    }

    /** How long a plugin whose service could not be obtained is reported so before it is asked for again. */
    static final Duration UNOBTAINABLE_RETRY = Duration.ofSeconds(30);

    private final BundleContext context;
    /** The deploy folder, if any: a bundle installed from it never takes a platform plugin's id. */
    private final Optional<Path> deployFolder;
    private final Object changeLock = new Object();
    /** Every plugin service seen, in use or shadowed; guarded by changeLock. */
    private final Map<ServiceReference<?>, PluginKind> candidates = new HashMap<>();
    /**
     * The configuration (PID) that serves each id a configuration's plugin serves, so that it keeps the id when its
     * plugin registers anew after a change of it (a new service, after the refused one's); guarded by changeLock.
     */
    private final Map<String, String> holders = new HashMap<>();
    /**
     * The configurations in {@link #holders} whose plugin left while the configuration stayed and its bundle active:
     * they keep their id, their rivals stay refused, until the plugin is back or the configuration is deleted
     * ({@link #configurationEvent}); guarded by changeLock.
     */
    private final Set<String> awaited = new HashSet<>();
    private final AtomicReference<PluginSnapshot> snapshot = new AtomicReference<>(PluginSnapshot.EMPTY);
    private final ExecutionListeners listeners = new ExecutionListeners();
    /** References whose service this component got and must unget when the service leaves. */
    private final Set<ServiceReference<?>> acquired = ConcurrentHashMap.newKeySet();
    /**
     * Plugins registered whose service could not be obtained when asked for (a component whose class does not load:
     * DS registers its service all the same), with the problem saying so, until it can be or leaves.
     */
    private final Map<ServiceReference<?>, Problem> unobtainable = new ConcurrentHashMap<>();
    /**
     * When ({@link System#nanoTime()}) each {@link #unobtainable} service is asked for again: every ask made DS try
     * to activate its component anew, which logged the activate method's failure and the framework's "service
     * factory returned null" with two stack traces, five pairs for one REST request that lists plugins.
     */
    private final Map<ServiceReference<?>, Long> askedAgainFrom = new ConcurrentHashMap<>();
    /**
     * Plugins whose component has been activating for longer than {@link #activationWait}, with that problem. One
     * {@link #acquired} is no longer activating: its obtainment's thread ends this entry just after that.
     */
    private final Map<ServiceReference<?>, Problem> activating = new ConcurrentHashMap<>();
    /** First obtainments of a service under way, on a thread of their own, by reference; see {@link Config}. */
    private final Map<ServiceReference<?>, Obtaining> obtaining = new ConcurrentHashMap<>();
    private final GuardedConfiguration<Config, Duration> configuration = new GuardedConfiguration<>(PID, Config.class,
            PluginWhiteboard::activationWaitOf, LOG::error, LOG::info);
    /** The activation wait in force; an obtainment under way keeps the one it started with. */
    private volatile Duration activationWait;
    private final ExecutorService eventThread;

    @Activate
    public PluginWhiteboard(BundleContext context, Config config) {
        this(context, Duration.ofSeconds(DEFAULT_ACTIVATION_WAIT_SECONDS));
        modified(config);
    }

    /** A whiteboard waiting {@code activationWait} for activations, whatever its configuration says. */
    PluginWhiteboard(BundleContext context, Duration activationWait) {
        this.context = context;
        this.activationWait = activationWait;
        this.deployFolder = DeployFolder.of(context);
        this.eventThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "mcpagent-plugin-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A changed activation wait applies to obtainments that start from now on, in place: the plugins stay bound, so no
     * plugin event is published again. A refused configuration keeps the wait in force.
     */
    @Modified
    void modified(Config config) {
        configuration.update(config);
        activationWait = configuration.settings();
    }

    private static Duration activationWaitOf(Config config) {
        return Duration.ofSeconds(ConfigRanges.within("activationWaitSeconds", config.activationWaitSeconds(), 1,
                MAX_ACTIVATION_WAIT_SECONDS));
    }

    @Deactivate
    void deactivate() {
        eventThread.shutdown();
        acquired.forEach(this::release);
    }

    // ---- service tracking: one reference per plugin kind ------------------------------------------------------

    @Reference(service = LlmProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, updated = "updatedProvider")
    void addProvider(ServiceReference<LlmProvider> reference) {
        track(reference, PluginKind.PROVIDER);
    }

    void updatedProvider(ServiceReference<LlmProvider> reference) {
        track(reference, PluginKind.PROVIDER);
    }

    void removeProvider(ServiceReference<LlmProvider> reference) {
        untrack(reference);
    }

    @Reference(service = WorkflowPattern.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, updated = "updatedPattern")
    void addPattern(ServiceReference<WorkflowPattern> reference) {
        track(reference, PluginKind.PATTERN);
    }

    void updatedPattern(ServiceReference<WorkflowPattern> reference) {
        track(reference, PluginKind.PATTERN);
    }

    void removePattern(ServiceReference<WorkflowPattern> reference) {
        untrack(reference);
    }

    @Reference(service = TaskAnalyzer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, updated = "updatedAnalyzer")
    void addAnalyzer(ServiceReference<TaskAnalyzer> reference) {
        track(reference, PluginKind.ANALYZER);
    }

    void updatedAnalyzer(ServiceReference<TaskAnalyzer> reference) {
        track(reference, PluginKind.ANALYZER);
    }

    void removeAnalyzer(ServiceReference<TaskAnalyzer> reference) {
        untrack(reference);
    }

    @Reference(service = McpServer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, updated = "updatedMcpServer")
    void addMcpServer(ServiceReference<McpServer> reference) {
        track(reference, PluginKind.MCP_SERVER);
    }

    void updatedMcpServer(ServiceReference<McpServer> reference) {
        track(reference, PluginKind.MCP_SERVER);
    }

    void removeMcpServer(ServiceReference<McpServer> reference) {
        untrack(reference);
    }

    /**
     * Every listener but the LLM router, which listens for executions' starts only and needs this whiteboard to
     * activate: binding it here would be a reference cycle, which SCR logs as an error at every start.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = DefaultLlmRouter.NOT_THE_ROUTER)
    void addListener(ExecutionListener listener, Map<String, Object> properties) {
        listeners.add(listener, properties);
    }

    /** Without the listener, which DS would ask for again: see {@link ExecutionListeners#remove}. */
    void removeListener(Map<String, Object> properties) {
        listeners.remove(properties);
    }

    void track(ServiceReference<?> reference, PluginKind kind) {
        boolean added;
        synchronized (changeLock) {
            added = candidates.put(reference, kind) == null;
            rebuild();
        }
        if (added && deployed(reference)) {
            obtainAhead(reference);
        }
    }

    private boolean deployed(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        return bundle != null && deployFolder.filter(folder -> DeployFolder.deployedFrom(folder, bundle)).isPresent();
    }

    /**
     * Starts the first obtainment of a plugin just deployed, without waiting for it: DS activates a delayed component
     * only when its service is first obtained, so a deployed component that fails to activate would be no problem in
     * plugin:problems until something asked for it (a plan, plugin:info). Platform plugins stay lazy.
     */
    private void obtainAhead(ServiceReference<?> reference) {
        PluginSnapshot.Entry entry = snapshot.get().byId().values().stream()
                .filter(candidate -> candidate.reference().equals(reference)).findFirst().orElse(null);
        if (entry == null) {
            return; // shadowed by a plugin of its id, or gone
        }
        Obtaining started = obtaining.computeIfAbsent(reference, r -> Obtaining.start(() -> obtain(entry),
                activationWait));
        started.result().whenComplete((service, failure) -> {
            activating.remove(reference);
            obtaining.remove(reference, started);
        });
    }

    void untrack(ServiceReference<?> reference) {
        String holding;
        synchronized (changeLock) {
            PluginKind kind = candidates.get(reference);
            String pid = kind == null ? null : configuration(reference, kind);
            holding = pid != null && holders.containsValue(pid) ? pid : null;
        }
        // asked outside changeLock: ConfigAdmin is not to be called under it
        boolean comesBack = holding != null && registeredAnew(reference, holding);
        synchronized (changeLock) {
            candidates.remove(reference);
            if (comesBack) {
                awaited.add(holding);
            } else if (holding != null && candidates.keySet().stream()
                    .noneMatch(other -> holding.equals(configuration(other, candidates.get(other))))) {
                holders.values().removeIf(holding::equals);
                awaited.remove(holding);
            }
            rebuild();
        }
        unobtainable.remove(reference);
        askedAgainFrom.remove(reference);
        activating.remove(reference);
        obtaining.remove(reference);
        if (acquired.remove(reference)) {
            release(reference);
        }
    }

    /**
     * Whether the plugin of configuration {@code pid} leaving is to register anew: its configuration was changed, not
     * deleted (ConfigAdmin deletes it before DS deactivates its component, so it is gone by now), and its bundle is not
     * stopping. When ConfigAdmin cannot tell, the plugin is taken as gone, and its id goes to the next.
     */
    private boolean registeredAnew(ServiceReference<?> reference, String pid) {
        Bundle bundle = reference.getBundle();
        if (bundle == null || bundle.getState() != Bundle.ACTIVE) {
            return false;
        }
        return FactoryConfigurations.held(context, "(" + Constants.SERVICE_PID + "=" + filterValue(pid) + ")")
                .filter(held -> !held.isEmpty()).isPresent();
    }

    /** A configuration deleted while its plugin is away hands the id it kept to the configuration it refused. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_DELETED) {
            return;
        }
        synchronized (changeLock) {
            if (awaited.remove(event.getPid())) {
                holders.values().removeIf(event.getPid()::equals);
                rebuild();
            }
        }
    }

    /** A value for an LDAP filter: its special characters escaped, as RFC 1960 has them. */
    private static String filterValue(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }

    // ---- PluginManager ------------------------------------------------------------------------------------------

    @Override
    public List<PluginInfo> list() {
        return snapshot.get().ordered();
    }

    @Override
    public List<PluginInfo> list(PluginKind kind) {
        Objects.requireNonNull(kind, "kind");
        return snapshot.get().ordered().stream().filter(p -> p.kind() == kind).toList();
    }

    @Override
    public Optional<PluginInfo> get(String id) {
        return Optional.ofNullable(snapshot.get().byId().get(id)).map(PluginSnapshot.Entry::info);
    }

    @Override
    public Optional<PluginHealth> health(String id) {
        Optional<PluginService> plugin = service(id, PluginService.class);
        if (get(id).isEmpty()) {
            return Optional.empty();
        }
        if (plugin.isEmpty()) {
            PluginSnapshot.Entry entry = snapshot.get().byId().get(id);
            Problem unusable = entry == null ? null
                    : Optional.ofNullable(unobtainable.get(entry.reference()))
                            .orElse(activationProblem(entry.reference()));
            return Optional.of(PluginHealth.down(unusable != null ? unusable.message()
                    : "plugin '" + id + "' left while its health was asked"));
        }
        try {
            PluginHealth health = plugin.get().health();
            return Optional.of(health != null ? health
                    : PluginHealth.down("plugin '" + id + "' answered its health check with null"));
        } catch (RuntimeException | Error e) { // a third party's plugin (a StackOverflowError) reads DOWN, alone
            return Optional.of(PluginHealth.down("plugin '" + id + "' failed its health check: " + e));
        }
    }

    @Override
    public <S> Optional<S> service(String id, Class<S> type) {
        return service(id, type, Optional.empty());
    }

    @Override
    public <S> Optional<S> service(String id, Class<S> type, Duration maxWait) {
        return service(id, type, Optional.of(maxWait));
    }

    private <S> Optional<S> service(String id, Class<S> type, Optional<Duration> maxWait) {
        PluginSnapshot.Entry entry = snapshot.get().byId().get(id);
        if (entry == null) {
            return Optional.empty();
        }
        ServiceReference<?> reference = entry.reference();
        Object service;
        try {
            if (acquired.contains(reference)) {
                // Its component is active and held by this whiteboard: obtaining it again cannot block.
                service = context.getService(reference);
                if (service != null) {
                    context.ungetService(reference); // one use count per reference, held since the first
                }
            } else if (failedLately(reference)) {
                service = null; // failed lately: its problem says so until it is asked for again
            } else {
                service = obtainedFirst(entry, maxWait);
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            return Optional.empty(); // unregistered between the snapshot read and now
        }
        if (service == null) {
            return Optional.empty();
        }
        return type.isInstance(service) ? Optional.of(type.cast(service)) : Optional.empty();
    }

    @Override
    public boolean activating(String id) {
        PluginSnapshot.Entry entry = snapshot.get().byId().get(id);
        Obtaining pending = entry == null ? null : obtaining.get(entry.reference());
        // acquired before its obtainment ends, and before its service can be had from it
        return pending != null && !pending.result().isDone() && !acquired.contains(entry.reference());
    }

    /** Whether the service could not be obtained when last asked for, less than {@link #UNOBTAINABLE_RETRY} ago. */
    private boolean failedLately(ServiceReference<?> reference) {
        Long askAgain = askedAgainFrom.get(reference);
        return askAgain != null && askAgain - System.nanoTime() > 0;
    }

    /**
     * The service of a reference obtained for the first time, on a thread of its own: its component may activate in
     * it. Waits at most until {@link #activationWait} after the first ask, or {@code maxWait} if that ends first; an
     * activation still running past the activation wait is a problem, and asks until it ends find no service
     * (without waiting again).
     */
    private Object obtainedFirst(PluginSnapshot.Entry entry, Optional<Duration> maxWait) {
        ServiceReference<?> reference = entry.reference();
        Obtaining pending = obtaining.computeIfAbsent(reference, r -> {
            Obtaining started = Obtaining.start(() -> obtain(entry), activationWait);
            started.result().whenComplete((service, failure) -> activating.remove(reference));
            return started;
        });
        long now = System.nanoTime();
        long activationLeft = pending.deadline() - now;
        long waitFor = maxWait.map(Duration::toNanos).filter(wait -> wait < activationLeft).orElse(activationLeft);
        try {
            Object service = pending.result().get(Math.max(0, waitFor), TimeUnit.NANOSECONDS);
            obtaining.remove(reference, pending); // the next ask finds it acquired, or tries again
            return service;
        } catch (TimeoutException e) {
            if (pending.deadline() - System.nanoTime() > 0) {
                return null; // the caller's shorter wait ended: the activation wait has not, so it is no problem yet
            }
            activating.computeIfAbsent(reference, r -> activatingProblem(entry.info(), pending.maxWait()));
            if (pending.result().isDone()) {
                activating.remove(reference); // it ended while the problem was made
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            obtaining.remove(reference, pending);
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Obtains a service, keeping its use count while the reference is tracked; null when it cannot be obtained. A
     * service that cannot be obtained because it is leaving with its bundle (stopped, refreshed after an update, while
     * its component was being activated) is no problem: a problem recorded for it would outlive it.
     */
    private Object obtain(PluginSnapshot.Entry entry) {
        ServiceReference<?> reference = entry.reference();
        Object service = context.getService(reference);
        synchronized (changeLock) {
            boolean tracked = candidates.containsKey(reference);
            if (service != null && tracked) {
                if (!acquired.add(reference)) {
                    context.ungetService(reference);
                }
                unobtainable.remove(reference);
                askedAgainFrom.remove(reference);
                return service;
            }
            if (service == null && tracked && bundleStartingOrActive(reference)) {
                // under changeLock, so that untrack, which removes the problem after the candidate, cannot come between
                unobtainable.computeIfAbsent(reference, r -> unobtainableProblem(entry.info()));
                askedAgainFrom.put(reference, System.nanoTime() + UNOBTAINABLE_RETRY.toNanos());
            }
        }
        if (service != null) {
            release(reference); // it left while its component activated
        }
        return null;
    }

    /** Whether the bundle of a service is starting or active, not stopping, stopped or gone. */
    private static boolean bundleStartingOrActive(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        return bundle != null && (bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0;
    }

    /** A first obtainment of a service, how long asks wait for it and until when ({@link System#nanoTime()}). */
    private record Obtaining(CompletableFuture<Object> result, Duration maxWait, long deadline) {
        static Obtaining start(Supplier<Object> obtain, Duration maxWait) {
            long deadline = System.nanoTime() + maxWait.toNanos();
            CompletableFuture<Object> result = new CompletableFuture<>();
            Thread.ofVirtual().name("mcpagent-plugin-obtain").start(() -> {
                try {
                    result.complete(obtain.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
            return new Obtaining(result, maxWait, deadline);
        }
    }

    @Override
    public Map<PluginKind, Integer> countsByKind() {
        return snapshot.get().counts();
    }

    @Override
    public List<Problem> problems() {
        List<Problem> refused = configuration.problems();
        PluginSnapshot current = snapshot.get();
        if (unobtainable.isEmpty() && activating.isEmpty() && refused.isEmpty() && current.takenIds().isEmpty()) {
            return current.problems();
        }
        List<Problem> all = new ArrayList<>(refused);
        all.addAll(current.problems());
        current.takenIds().stream().map(this::refusal).forEach(all::add);
        all.addAll(unobtainable.values());
        activating.keySet().stream().map(this::activationProblem).filter(Objects::nonNull).forEach(all::add);
        return List.copyOf(all);
    }

    /**
     * The problem of an activation that outlasted the wait, null once its service is acquired: that is before the
     * service can be had and before the activation's thread removes the problem.
     */
    private Problem activationProblem(ServiceReference<?> reference) {
        return acquired.contains(reference) ? null : activating.get(reference);
    }

    private static Problem unobtainableProblem(PluginInfo plugin) {
        Problem problem = new Problem(SOURCE, plugin.id(), "plugin '" + plugin.id() + "' (" + origin(plugin)
                + ") is registered, but its service cannot be obtained: its component failed to load or to activate,"
                + " as data/log/mcp-agent.log says. Repair or remove the bundle " + plugin.bundleSymbolicName() + " "
                + plugin.bundleVersion(), Instant.now());
        LOG.warn("{}", problem.message());
        return problem;
    }

    private static Problem activatingProblem(PluginInfo plugin, Duration waited) {
        Problem problem = new Problem(SOURCE, plugin.id(), "plugin '" + plugin.id() + "' (" + origin(plugin)
                + ") is registered, but its component has not finished activating after "
                + Durations.text(waited) + " (its activate method does not return); it is not used until it"
                + " does. Repair or remove the bundle " + plugin.bundleSymbolicName() + " " + plugin.bundleVersion(),
                Instant.now());
        LOG.warn("{}", problem.message());
        return problem;
    }

    // ---- building snapshots -----------------------------------------------------------------------------------

    /** Recomputes the snapshot from all candidates and announces the difference; called under changeLock. */
    private void rebuild() {
        Map<String, List<PluginSnapshot.Entry>> byId = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        List<PluginSnapshot.TakenId> takenIds = new ArrayList<>();
        Instant now = Instant.now();
        Set<ServiceReference<?>> fromDeployFolder = new HashSet<>();
        candidates.forEach((reference, kind) -> {
            Bundle bundle = reference.getBundle();
            if (bundle == null) {
                return; // unregistered while we looked
            }
            awaited.remove(configuration(reference, kind)); // back, under its id or another
            if (deployFolder.filter(folder -> DeployFolder.deployedFrom(folder, bundle)).isPresent()) {
                fromDeployFolder.add(reference);
            }
            PluginInfo info = describe(reference, kind, bundle, problems);
            byId.computeIfAbsent(info.id(), id -> new ArrayList<>()).add(new PluginSnapshot.Entry(info, reference));
        });
        Map<String, PluginSnapshot.Entry> winners = new LinkedHashMap<>();
        Map<String, String> nextHolders = new HashMap<>();
        byId.forEach((id, all) -> {
            String holder = holders.get(id);
            // An MCP server configuration waiting for its id last: the mcp bundle runs the holder's server, not its.
            // A platform plugin first, whatever the order of registration, so a deployed bundle cannot take its id
            // over (e.g. when the platform bundle restarts); then one a bundle registers by itself before a
            // configuration's of another kind (an MCP server file named "direct" does not put the pattern out); then
            // an operator's configuration's, which the operator asked for by name (and whose MCP server runs its
            // process whether used or not) over a bundle's own of its kind (the System server); then the higher
            // ranking; then the configuration that served the id, so that it keeps it when its plugin registers anew
            // (a new, higher service id); then the service order: the lower id.
            Comparator<PluginSnapshot.Entry> precedence = Comparator
                    .comparing((PluginSnapshot.Entry entry) -> standby(entry.reference()))
                    .thenComparing(entry -> fromDeployFolder.contains(entry.reference()))
                    .thenComparing(entry -> configuration(entry) != null && all.stream().anyMatch(other ->
                            configuration(other) == null && other.info().kind() != entry.info().kind()))
                    .thenComparing(entry -> configuration(entry) == null)
                    .thenComparing(entry -> ranking(entry.reference()), Comparator.reverseOrder())
                    .thenComparing(entry -> holder == null || !holder.equals(configuration(entry)))
                    .thenComparing(PluginSnapshot.Entry::reference, Comparator.reverseOrder());
            List<PluginSnapshot.Entry> entries = all;
            if (awaited.contains(holder) && all.stream().noneMatch(entry -> holder.equals(configuration(entry)))) {
                // its plugin is away while it registers anew: other configurations stay refused, naming it
                nextHolders.put(id, holder);
                entries = new ArrayList<>();
                for (PluginSnapshot.Entry waiting : all) {
                    String refusedPid = configuration(waiting);
                    if (refusedPid != null) {
                        takenIds.add(new PluginSnapshot.TakenId(id, null, holder, waiting, refusedPid, now));
                    } else {
                        entries.add(waiting);
                    }
                }
                if (entries.isEmpty()) {
                    return;
                }
            }
            entries.sort(precedence);
            PluginSnapshot.Entry kept = entries.get(0);
            winners.put(id, kept);
            String keptPid = configuration(kept);
            if (keptPid != null) {
                nextHolders.putIfAbsent(id, keptPid);
            }
            for (PluginSnapshot.Entry shadowed : entries.subList(1, entries.size())) {
                String refusedPid = configuration(shadowed);
                if (refusedPid != null) {
                    takenIds.add(new PluginSnapshot.TakenId(id, kept, keptPid, shadowed, refusedPid, now));
                    continue;
                }
                problems.add(new Problem(SOURCE, id, "plugin id '" + id + "' is registered more than once: kept "
                        + origin(kept, fromDeployFolder) + ", ignored " + origin(shadowed, fromDeployFolder)
                        + " (a platform bundle wins over one from the deploy folder, then a configuration's over one"
                        + " of its kind a bundle registers by itself, then the higher " + Constants.SERVICE_RANKING
                        + ", then the lower " + Constants.SERVICE_ID
                        + "). " + (keptPid == null ? clashAdvice(kept, shadowed) : "Configuration " + keptPid
                        + " names that id: give it another one to use both."), now));
            }
        });
        // an awaited configuration whose id no other plugin names keeps it too, for a rival registered meanwhile
        holders.forEach((id, pid) -> {
            if (awaited.contains(pid) && !byId.containsKey(id)) {
                nextHolders.put(id, pid);
            }
        });
        holders.clear();
        holders.putAll(nextHolders);
        awaited.retainAll(nextHolders.values());
        PluginSnapshot previous = snapshot.get();
        PluginSnapshot next = PluginSnapshot.of(winners, problems, takenIds);
        snapshot.set(next);
        announce(previous, next);
        logProblems(previous, next);
        tellNewRefusals(previous, next);
    }

    /**
     * Logs each problem of the plugins {@code next} has and {@code previous} had not at WARN, and a plugin none of
     * whose problems is left at INFO: a plugin id registered twice, a plugin without an id were in /status and
     * plugin:problems only. A problem whose message changed (a third plugin of one id) is its new WARN alone.
     */
    private static void logProblems(PluginSnapshot previous, PluginSnapshot next) {
        // by subject and message: a problem is made anew, with its own time, at each change of the plugins
        Set<String> before = previous.problems().stream().map(problem -> problem.subject() + "\n" + problem.message())
                .collect(Collectors.toSet());
        next.problems().stream().filter(problem -> !before.contains(problem.subject() + "\n" + problem.message()))
                .forEach(problem -> LOG.warn("{}", problem.message()));
        Set<String> subjects = next.problems().stream().map(Problem::subject).collect(Collectors.toSet());
        previous.problems().stream().map(Problem::subject).distinct().filter(subject -> !subjects.contains(subject))
                .forEach(subject -> LOG.info("plugin {}: no longer a problem", subject));
    }

    /**
     * The PID of the configuration a plugin comes from: a provider's ({@code mcpagent.provider.configuration}) or an
     * MCP server's ({@code mcpagent.mcp.configuration}); null for other kinds and for plugins no configuration made.
     */
    private static String configuration(PluginSnapshot.Entry entry) {
        return configuration(entry.reference(), entry.info().kind());
    }

    private static boolean standby(ServiceReference<?> reference) {
        return Boolean.TRUE.equals(reference.getProperty(PluginProperties.MCP_STANDBY));
    }

    /** The service ranking, as the framework reads it: 0 when it is not an Integer. */
    private static int ranking(ServiceReference<?> reference) {
        return reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
    }

    private static String configuration(ServiceReference<?> reference, PluginKind kind) {
        String property = switch (kind) {
            case PROVIDER -> PluginProperties.PROVIDER_CONFIGURATION;
            case MCP_SERVER -> PluginProperties.MCP_CONFIGURATION;
            default -> null;
        };
        return property == null ? null : text(reference.getProperty(property));
    }

    /**
     * The refusal of a provider's or MCP server's configuration whose plugin id another plugin holds, worded as every
     * refused configuration's: its PID and where it comes from, and those of the configuration that keeps the id.
     */
    private Problem refusal(PluginSnapshot.TakenId taken) {
        String keptPid = taken.keptPid();
        String what = taken.refused().info().kind() == PluginKind.MCP_SERVER ? "MCP server" : "provider";
        return new Problem(GuardedConfiguration.SOURCE, taken.refusedPid(), configurationAndOrigin(taken.refusedPid())
                + " is refused: its " + what + " id '" + taken.id() + "' is taken by "
                + (keptPid == null ? origin(taken.kept().info()) : configurationAndOrigin(keptPid))
                + (taken.kept() == null ? ", which keeps it while its " + what + " registers anew after a change of"
                        + " its configuration" : ", which keeps serving it")
                + ". Give one of the two another id (a file's is the part after '~' of its"
                + " name, one made in the Web Console has it in its form) or remove one; this one's " + what + " is"
                + " not used until then, and takes the id over when the other is removed", taken.since());
    }

    private String configurationAndOrigin(String pid) {
        return "configuration " + pid + " (" + ConfigurationOrigins.describe(context, pid) + ")";
    }

    /**
     * Logs each refusal {@code next} has and {@code previous} had not, and tells it to the refusal listeners (the audit
     * log's {@code config.refused}), on the event thread: where its configuration comes from is asked of ConfigAdmin,
     * which is not to be called under changeLock.
     */
    private void tellNewRefusals(PluginSnapshot previous, PluginSnapshot next) {
        for (PluginSnapshot.TakenId taken : next.takenIds()) {
            // one that keeps its id while its plugin registers anew is the same: the refusal is not told again
            boolean known = previous.takenIds().stream().anyMatch(before -> before.refused().equals(taken.refused())
                    && (taken.keptPid() != null ? taken.keptPid().equals(before.keptPid())
                            : before.kept() != null && before.kept().reference().equals(taken.kept().reference())));
            if (!known && !onEventThread(() -> {
                String message = refusal(taken).message();
                LOG.error("{}", message);
                ConfigurationRefusals.tell(context, taken.refusedPid(), message, LOG::error);
            })) {
                return;
            }
        }
    }

    private PluginInfo describe(ServiceReference<?> reference, PluginKind kind, Bundle bundle, List<Problem> problems) {
        String id = text(reference.getProperty(PluginProperties.ID));
        if (id == null) {
            id = fallbackId(reference, bundle);
            problems.add(new Problem(SOURCE, id, "a " + kind.id() + " service from bundle " + bundle.getSymbolicName()
                    + " has no " + PluginProperties.ID + " property; it is listed as '" + id
                    + "'. Set a stable id, e.g. with the @" + annotationFor(kind) + "(id = ...) component property type.",
                    Instant.now()));
        }
        String declaredKind = text(reference.getProperty(PluginProperties.KIND));
        if (declaredKind != null && !declaredKind.equals(kind.id())) {
            problems.add(new Problem(SOURCE, id, "plugin '" + id + "' declares " + PluginProperties.KIND + "="
                    + declaredKind + " but registers the " + kind.id() + " interface; it is listed as " + kind.id()
                    + ". Remove the property or correct it.", Instant.now()));
        }
        Map<String, String> properties = new TreeMap<>();
        for (String key : reference.getPropertyKeys()) {
            if (key.startsWith(PluginProperties.PREFIX)) {
                properties.put(key, display(reference.getProperty(key)));
            }
        }
        String declaredVersion = text(reference.getProperty(PluginProperties.VERSION));
        String version = declaredVersion != null ? declaredVersion : bundle.getVersion().toString();
        // the component property types' default version is "", which would show beside the version in force
        properties.put(PluginProperties.VERSION, version);
        return new PluginInfo(id, kind, version,
                text(reference.getProperty(PluginProperties.NAME)),
                text(reference.getProperty(PluginProperties.DESCRIPTION)), bundle.getSymbolicName(),
                bundle.getVersion().toString(), bundle.getBundleId(),
                (Long) reference.getProperty(Constants.SERVICE_ID), properties);
    }

    /**
     * The id of a plugin that sets none: {@code <bsn>:<component name>} (the service id for a service not registered
     * by DS), every character but letters, digits and {@code ._~:@$+=-} replaced by '_', so that it stands unescaped
     * in a REST path segment ({@code /api/v1/plugins/{id}}): Jetty refuses an escaped '/' there.
     */
    private static String fallbackId(ServiceReference<?> reference, Bundle bundle) {
        Object component = reference.getProperty("component.name");
        String id = bundle.getSymbolicName() + ":"
                + (component != null ? component : reference.getProperty(Constants.SERVICE_ID));
        return PATH_UNSAFE.matcher(id).replaceAll("_");
    }

    private void announce(PluginSnapshot previous, PluginSnapshot next) {
        List<ExecutionEvent> events = new ArrayList<>();
        Instant now = Instant.now();
        previous.byId().forEach((id, before) -> {
            PluginSnapshot.Entry after = next.byId().get(id);
            if (after == null || !after.reference().equals(before.reference())) {
                LOG.info("plugin removed: {} ({})", id, origin(before.info()));
                events.add(new PluginRemoved(before.info(), now));
            }
        });
        next.byId().forEach((id, after) -> {
            PluginSnapshot.Entry before = previous.byId().get(id);
            if (before == null || !before.reference().equals(after.reference())) {
                LOG.info("plugin added: {} ({})", id, origin(after.info()));
                events.add(new PluginAdded(after.info(), now));
            }
        });
        for (ExecutionEvent event : events) {
            if (!onEventThread(() -> listeners.publish(event))) {
                return;
            }
        }
    }

    /** Runs {@code task} on the event thread, after what is there; false when deactivating: nobody is left to hear. */
    private boolean onEventThread(Runnable task) {
        try {
            eventThread.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }


    private void release(ServiceReference<?> reference) {
        try {
            context.ungetService(reference);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the context or the registration is already gone; the framework released the use count
        }
    }

    /**
     * What to do about two plugins with one id. Two versions of one bundle clash on every id they have: a new version's
     * jar dropped beside the old one's rather than over it, which another plugin id would not mend.
     */
    static String clashAdvice(PluginSnapshot.Entry kept, PluginSnapshot.Entry shadowed) {
        Bundle keptBundle = kept.reference().getBundle();
        Bundle shadowedBundle = shadowed.reference().getBundle();
        if (keptBundle == null || shadowedBundle == null || keptBundle.getBundleId() == shadowedBundle.getBundleId()
                || !kept.info().bundleSymbolicName().equals(shadowed.info().bundleSymbolicName())) {
            return "Give each plugin a unique " + PluginProperties.ID + ".";
        }
        return "Both are versions of the bundle " + kept.info().bundleSymbolicName() + ", installed from "
                + keptBundle.getLocation() + " and " + shadowedBundle.getLocation() + ": remove the one not wanted (to"
                + " replace a deployed bundle, copy its new jar over the old one).";
    }

    private static String origin(PluginSnapshot.Entry entry, Set<ServiceReference<?>> fromDeployFolder) {
        return origin(entry.info()) + (fromDeployFolder.contains(entry.reference()) ? " deployed from the deploy folder"
                : " of the platform");
    }

    private static String origin(PluginInfo info) {
        return info.kind().id() + " from " + info.bundleSymbolicName() + " " + info.bundleVersion()
                + " (service " + info.serviceId() + ")";
    }

    private static String annotationFor(PluginKind kind) {
        return switch (kind) {
            case PROVIDER -> "ProviderPlugin";
            case PATTERN -> "PatternPlugin";
            case ANALYZER -> "AnalyzerPlugin";
            case MCP_SERVER -> "McpServerPlugin";
        };
    }

    private static String text(Object value) {
        String text = value == null ? null : display(value).trim();
        return text == null || text.isEmpty() ? null : text;
    }

    private static String display(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return String.valueOf(value);
    }
}
