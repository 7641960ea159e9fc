package io.mcpagent.core.internal.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.workflow.WorkflowException;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.core.internal.ExecutionListeners;

/**
 * Runs each execution on its own virtual thread. It follows the pattern services: when one that an execution uses
 * (its own or a nested one) goes away, that execution stops at once (its thread is interrupted) and ends FAILED,
 * naming the pattern and saying whether its bundle was replaced or stopped, once that is known (within the grace
 * period); executions of other patterns go on. The moment the framework begins to stop, before any other bundle
 * stops, every running execution ends INTERRUPTED, because nothing failed; so do they when this component is
 * deactivated while the framework runs on. Either way the engine then starts nothing more. Results are completed
 * exactly once, so nothing a stray pattern thread does later (a provider or pattern failing as its bundle stops)
 * can overwrite them, nor add steps to the execution's trace after its end.
 */
// Immediate: a delayed component is disposed when its last user goes, and with it the executions it runs.
@Component(service = {WorkflowEngine.class, ProblemReporter.class}, configurationPid = DefaultWorkflowEngine.PID,
        immediate = true)
@Designate(ocd = WorkflowEngineConfig.class)
public final class DefaultWorkflowEngine implements WorkflowEngine, ProblemReporter {
    static final String PID = "io.mcpagent.workflow.engine";
    private static final String WHILE_RUNNING = " while this execution ran";
    /** Said instead of {@link #WHILE_RUNNING} of an execution still waiting for admission: it never ran. */
    private static final String WHILE_QUEUED = " while this execution waited for admission (it never ran)";
    static final String RUNTIME_STOPPED = "the runtime stopped" + WHILE_RUNNING;
    static final String ENGINE_STOPPED = "the workflow engine stopped" + WHILE_RUNNING;
    /** What happened to a pattern's bundle that was stopped, not for an update or a refresh. */
    static final String STOPPED_FOR_GOOD = "was stopped and is not set to start again";
    /** How much of an agent's first tool error a warning quotes. */
    static final int FIRST_ERROR_CHARS = 300;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkflowEngine.class);

    private final PluginManager plugins;
    private final AgentRuntime agents;
    private final LlmRouter router;
    private final Clock clock;
    private final ExecutionListeners listeners = new ExecutionListeners();
    private final Map<String, ExecutionRun> running = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, ExecutionRun> finished = new LinkedHashMap<>();
    /**
     * The plugin ids and names of the patterns removed of each bundle (by bundle id), until it starts again or is
     * uninstalled: only the UNINSTALLED event (or a STOPPED one for good) tells an uninstall from an update, and it
     * comes after the bundle's services are gone.
     */
    private final Map<Long, Set<String>> patternsRemovedByBundle = new ConcurrentHashMap<>();
    /**
     * The ids of the bundles that were persistently started (set to start, as {@code start <id>} or an install
     * leaves them) when one of their patterns was registered: whether such a bundle's stop is for good can be told.
     */
    private final Set<Long> persistentlyStartedBundles = ConcurrentHashMap.newKeySet();
    /**
     * Bundle events. The system bundle's STOPPING event comes before the framework stops any bundle (SIGTERM,
     * {@code stop 0}), so the executions end here before a provider, an MCP server or a pattern they use can fail
     * them on its way out.
     * Only synchronous listeners receive STOPPING events. A pattern bundle UNINSTALLED (not updated, not just
     * stopped), or STOPPED for good by an operator, is not coming back: nobody waits for its patterns.
     */
    private final SynchronousBundleListener bundleEvents = event -> {
        long bundleId = event.getBundle().getBundleId();
        switch (event.getType()) {
            case BundleEvent.STOPPING -> {
                if (bundleId == Constants.SYSTEM_BUNDLE_ID) {
                    stop(RUNTIME_STOPPED);
                }
            }
            case BundleEvent.STARTED -> patternsRemovedByBundle.remove(bundleId);
            case BundleEvent.STOPPED -> stopped(event.getBundle());
            case BundleEvent.UNINSTALLED -> uninstalled(event.getBundle());
            default -> {
                // updated or unresolved: whether its patterns come back is told by their registration, or the grace
            }
        }
    };
    /** The checked configuration. */
    record Settings(int keepFinished, Duration patternGrace) {
        static Settings of(WorkflowEngineConfig config) {
            return new Settings((int) ConfigRanges.atLeast("keepFinished", config.keepFinished(), 0), Duration.ofSeconds(
                    ConfigRanges.within("patternGraceSeconds", config.patternGraceSeconds(), 0, 300)));
        }
    }

    private final GuardedConfiguration<WorkflowEngineConfig, Settings> settings = new GuardedConfiguration<>(PID,
            WorkflowEngineConfig.class, Settings::of, LOG::error, LOG::info);
    private final PatternArrivals arrivals;
    /**
     * The patterns removed lately, by plugin id and by plugin name, each in lower case: a request naming one that is
     * not registered again yet waits for it for what is left of the grace period. Kept until that period is over.
     */
    private final Map<String, Removal> removals = new ConcurrentHashMap<>();
    /**
     * The pattern services this engine holds, by service id: one the plugin manager no longer offers but that is still
     * here is being unregistered (the plugin manager hears of it first), so a request for it waits as for a removal.
     */
    private final Map<Long, ServiceReference<WorkflowPattern>> boundPatterns = new ConcurrentHashMap<>();
    /** Threads waiting to tell why executions whose pattern was removed failed: stopping the engine ends them. */
    private final Set<Thread> removalWaits = ConcurrentHashMap.newKeySet();
    /** Why this engine runs nothing any more; null while it runs. */
    private volatile String stoppedBecause;

    @Activate
    public DefaultWorkflowEngine(BundleContext context, @Reference PluginManager plugins,
                                 @Reference AgentRuntime agents, @Reference LlmRouter router,
                                 WorkflowEngineConfig config) {
        this(context, plugins, agents, router, config, Clock.systemUTC());
    }

    /** {@code clock}: when executions start and end, and when patterns were removed. */
    DefaultWorkflowEngine(BundleContext context, PluginManager plugins, AgentRuntime agents, LlmRouter router,
                          WorkflowEngineConfig config, Clock clock) {
        this.clock = clock;
        this.plugins = plugins;
        this.agents = agents;
        this.router = router;
        this.arrivals = new PatternArrivals(plugins);
        settings.update(config);
        context.addBundleListener(bundleEvents);
    }

    /** Deactivated while the framework runs on (the core bundle refreshed or stopped): nothing may be left running. */
    @Deactivate
    void deactivate(BundleContext context) {
        context.removeBundleListener(bundleEvents);
        stop(ENGINE_STOPPED);
    }

    /** Ends every running execution INTERRUPTED with {@code reason}, and every one started from now on. */
    private void stop(String reason) {
        stoppedBecause = reason;
        removalWaits.forEach(Thread::interrupt);
        // the queued first: a running one's end gives its admission place back, which would admit a queued one
        // (RUNNING for the moment left) and have it read as interrupted while it ran
        List<ExecutionRun> queuedFirst = running.values().stream()
                .sorted(Comparator.comparing(run -> run.status() != ExecutionStatus.QUEUED)).toList();
        for (ExecutionRun run : queuedFirst) {
            if (run.end(() -> interrupted(run, reason))) {
                LOG.info("execution {} interrupted: {}", run.executionId(), reason);
            }
        }
    }

    /** True if the engine stopped: then {@code run} has ended INTERRUPTED and must not be launched. */
    private boolean endedAsStopped(ExecutionRun run) {
        String reason = stoppedBecause;
        if (reason == null) {
            return false;
        }
        run.end(() -> interrupted(run, reason));
        return true;
    }

    private ExecutionResult interrupted(ExecutionRun run, String reason) {
        String said = run.status() == ExecutionStatus.QUEUED ? reason.replace(WHILE_RUNNING, WHILE_QUEUED) : reason;
        return result(run, null, ExecutionStatus.INTERRUPTED, null, said);
    }

    /** A refused configuration changes nothing. */
    @Modified
    void modified(WorkflowEngineConfig config) {
        settings.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return settings.problems();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ExecutionListener listener, Map<String, Object> properties) {
        listeners.add(listener, properties);
    }

    /** Without the listener, which DS would ask for again: see {@link ExecutionListeners#remove}. */
    void removeListener(Map<String, Object> properties) {
        listeners.remove(properties);
    }

    @Override
    public Execution start(String pattern, WorkflowRequest request) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(request, "request");
        ExecutionRun run = register(UUID.randomUUID().toString(), pattern, () -> pattern, false, request,
                ExecutionStatus.RUNNING);
        if (endedAsStopped(run)) {
            return run;
        }
        Optional<PatternRef> found = PatternRef.find(plugins, pattern);
        if (found.isPresent()) {
            run.scope().use(found.get());
            return launch(run, found.get(), request);
        }
        Optional<Return> expected = expectedReturn(pattern);
        if (expected.isEmpty()) {
            run.end(() -> result(run, null, ExecutionStatus.FAILED, null, missing(pattern, "")));
            return run;
        }
        run.runOn(Thread.ofVirtual().name("mcpagent-execution-" + run.executionId())
                .start(() -> executeOnceBack(run, pattern, expected.get(), request)));
        return run;
    }

    /**
     * Runs the pattern of {@code run}, removed moments ago, once it is registered again; or fails it as a missing
     * pattern does, saying how long it was waited for.
     */
    private void executeOnceBack(ExecutionRun run, String pattern, Return expected, WorkflowRequest request) {
        run.scope().publish(new PatternEvent(clock.instant(), run.executionId(), pattern, ExecutionScope.PATTERN_WAIT,
                "workflow pattern '" + pattern + "' is not installed now but was removed moments ago; waiting up to "
                        + Durations.text(expected.left()) + " for it to come back (a deployed jar being replaced)"));
        Duration waited;
        try {
            waited = await(expected);
        } catch (InterruptedException e) {
            return; // cancelled, or the engine stopped: that ended the execution
        }
        Optional<PatternRef> found = PatternRef.find(plugins, pattern);
        if (found.isEmpty()) {
            run.end(() -> result(run, null, ExecutionStatus.FAILED, null, missing(pattern, " (waited "
                    + Durations.text(waited) + " for it to come back)")));
            return;
        }
        run.scope().use(found.get());
        execute(run, found.get(), request);
    }

    /**
     * Why {@code pattern} cannot be started: it is not installed, and, if so, its bundle was uninstalled or stopped for
     * good; else {@code waited} (how long it was waited for, or nothing).
     */
    private String missing(String pattern, String waited) {
        return PatternRef.missing(plugins, pattern) + arrivals.whyNotComingBack(pattern)
                .map(why -> " (" + why + ")").orElse(waited);
    }

    @Override
    public Duration awaitRemovedPattern(String idOrName) throws InterruptedException {
        Objects.requireNonNull(idOrName, "idOrName");
        Optional<Return> expected = expectedReturn(idOrName);
        return expected.isEmpty() ? Duration.ZERO : await(expected.get());
    }

    @Override
    public Optional<String> whyNotComingBack(String idOrName) {
        return arrivals.whyNotComingBack(Objects.requireNonNull(idOrName, "idOrName"));
    }

    /** A pattern removed lately: its plugin id and when. */
    private record Removal(String pluginId, Instant at) {
    }

    /** A pattern removed lately that may come back: its plugin id, and how much of the grace period is left. */
    private record Return(String pluginId, Duration left) {
    }

    /**
     * The pattern of that id or name (in any case), if it was removed less than the grace period ago, its bundle was
     * not uninstalled or stopped for good, and no pattern of that id or name is registered that cannot be used (its
     * replacement, broken: waiting would not make it usable).
     */
    private Optional<Return> expectedReturn(String idOrName) {
        // one being removed now counts from now, not from an earlier removal of the same id past its grace
        Removal removal = beingRemoved(idOrName)
                .or(() -> Optional.ofNullable(removals.get(idOrName.toLowerCase(Locale.ROOT)))).orElse(null);
        if (removal == null || arrivals.whyNotComingBack(idOrName).isPresent()
                || PatternRef.registeredUnusable(plugins, idOrName)) {
            return Optional.empty();
        }
        Duration left = settings.settings().patternGrace().minus(Duration.between(removal.at(), clock.instant()));
        return left.isNegative() || left.isZero() ? Optional.empty()
                : Optional.of(new Return(removal.pluginId(), left));
    }

    /**
     * A pattern of that id or name (in any case) whose service this engine still holds: asked for because the plugin
     * manager no longer offers it, it is being unregistered right now (a deployed jar being replaced), a removal as of
     * now. Without this a request in that moment was refused as for a pattern never installed.
     */
    private Optional<Removal> beingRemoved(String idOrName) {
        for (ServiceReference<WorkflowPattern> reference : boundPatterns.values()) {
            Object pluginId = reference.getProperty(PluginProperties.ID);
            Object name = reference.getProperty(PluginProperties.NAME);
            if (pluginId != null && (idOrName.equalsIgnoreCase(pluginId.toString())
                    || name != null && idOrName.equalsIgnoreCase(name.toString()))) {
                return Optional.of(new Removal(pluginId.toString(), clock.instant()));
            }
        }
        return Optional.empty();
    }

    /**
     * How long {@code expected} was waited for: until it was registered again, its bundle was found gone for good or
     * a replacement that cannot be used was registered (the wait ends then too), else all that was left.
     */
    private Duration await(Return expected) throws InterruptedException {
        Instant from = clock.instant();
        boolean back = arrivals.await(expected.pluginId(), expected.left()).isPresent();
        if (!back && arrivals.whyNotComingBack(expected.pluginId()).isEmpty()
                && !PatternRef.registeredUnusable(plugins, expected.pluginId())) {
            return expected.left(); // timed out: the whole rest of the grace period passed
        }
        Duration waited = Duration.between(from, clock.instant());
        return waited.compareTo(expected.left()) > 0 ? expected.left() : waited;
    }

    /** Keeps when the pattern of that id (and name, if its service has one) was removed; forgets those past grace. */
    private void remember(String pluginId, Object pluginName, Duration grace) {
        Instant now = clock.instant();
        removals.values().removeIf(removal -> !removal.at().plus(grace).isAfter(now));
        if (grace.isZero()) {
            return;
        }
        Removal removal = new Removal(pluginId, now);
        removals.put(pluginId.toLowerCase(Locale.ROOT), removal);
        if (pluginName != null) {
            removals.put(pluginName.toString().toLowerCase(Locale.ROOT), removal);
        }
    }

    @Override
    public Execution start(WorkflowPattern pattern, WorkflowRequest request) {
        return start(pattern, request, ExecutionStatus.RUNNING);
    }

    @Override
    public Execution start(WorkflowPattern pattern, WorkflowRequest request, ExecutionStatus initial) {
        return start(pattern, request, initial, UUID.randomUUID().toString());
    }

    @Override
    public Execution start(WorkflowPattern pattern, WorkflowRequest request, ExecutionStatus initial,
                           String executionId) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(executionId, "executionId");
        ExecutionScope.notTerminal(initial);
        if (executionId.isBlank()) {
            throw new IllegalArgumentException("the execution id must not be blank");
        }
        if (find(executionId).isPresent()) {
            throw new IllegalArgumentException("execution id " + executionId + " already names an execution");
        }
        String name = pattern.name();
        // a composed pattern may name itself only later (the autonomous orchestrator, once it has chosen a pattern)
        ExecutionRun run = register(executionId, name, () -> Objects.requireNonNullElse(pattern.name(), name), true,
                request, initial);
        return endedAsStopped(run) ? run : launch(run, PatternRef.composed(name, pattern), request);
    }

    private ExecutionRun register(String executionId, String pattern, Supplier<String> patternNow, boolean composed,
                                  WorkflowRequest request, ExecutionStatus initial) {
        Instant started = clock.instant();
        ExecutionScope scope = new ExecutionScope(executionId, pattern, initial, request.task(), plugins, agents,
                listeners, clock, arrivals, settings.settings().patternGrace());
        ExecutionRun run = new ExecutionRun(executionId, patternNow, composed, started, scope,
                self -> result(self, null, ExecutionStatus.CANCELLED, null, "cancelled by request"
                        + scope.activity().map(doing -> " while " + doing).orElse("") + self.stoppedBecause()
                        .map(why -> " after " + why + ", before it was known whether the bundle was replaced")
                        .orElse("")), this::finished);
        running.put(executionId, run);
        listeners.publish(new ExecutionStatusEvent(started, ExecutionStatusEvent.STARTED, executionId, pattern,
                initial, null, request.task().tenant(), request.task().text(), null));
        return run;
    }

    private ExecutionRun launch(ExecutionRun run, PatternRef ref, WorkflowRequest request) {
        run.runOn(Thread.ofVirtual().name("mcpagent-execution-" + run.executionId())
                .start(() -> execute(run, ref, request)));
        return run;
    }

    private void execute(ExecutionRun run, PatternRef ref, WorkflowRequest request) {
        ExecutionResult result;
        try {
            ExecutionResult returned = ref.pattern().execute(request, run.scope());
            // A composed pattern has no plugin id: it says itself which pattern produced the result.
            String patternId = ref.serviceId() == PatternRef.NO_SERVICE && returned != null
                    && returned.patternId() != null ? returned.patternId() : ref.id();
            result = returned == null
                    ? result(run, ref.id(), ExecutionStatus.FAILED, null, "pattern '" + ref.id() + "' returned no result")
                    : result(run, patternId, returned.status(), returned.output(), returned.error(),
                            returned.warnings());
        } catch (WorkflowException e) {
            result = result(run, ref.id(), ExecutionStatus.FAILED, null, e.getMessage());
        } catch (ContextMisuseException e) {
            LOG.warn("workflow pattern '{}' failed in execution {}: it {}", ref.id(), run.executionId(), e.getMessage());
            result = result(run, ref.id(), ExecutionStatus.FAILED, null, "pattern '" + ref.id() + "' " + e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.warn("workflow pattern '{}' failed in execution {}", ref.id(), run.executionId(), e);
            result = result(run, ref.id(), ExecutionStatus.FAILED, null, "pattern '" + ref.id() + "' failed: " + e);
        }
        ExecutionResult ended = result;
        run.end(() -> ended);
    }

    private ExecutionResult result(ExecutionRun run, String patternId, ExecutionStatus status, String output,
                                   String error) {
        return result(run, patternId, status, output, error, List.of());
    }

    private ExecutionResult result(ExecutionRun run, String patternId, ExecutionStatus status, String output,
                                   String error, List<String> warnings) {
        String pattern = patternId == null ? run.patternNow() : patternId;
        ExecutionStatus terminal = PatternResults.ended(status);
        String why = terminal == ExecutionStatus.SUCCEEDED ? null : PatternResults.error(pattern, status, error);
        Usage usage = router.usage(run.executionId()).usage();
        List<String> all = new ArrayList<>(warnings);
        fallbackWarning(router.fallbacks(run.executionId())).ifPresent(all::add);
        unknownToolsWarning(run.scope().unknownToolCalls()).ifPresent(all::add);
        cutShortWarning(run.scope().cutShortAnswers()).ifPresent(all::add);
        if (terminal == ExecutionStatus.SUCCEEDED) {
            // an answer resting on no tool result; an execution that failed or was stopped has none, and the calls
            // its end cut short (a budget run out, a cancellation) read as tools that failed
            failedToolCallsWarning(run.scope().agentsWhoseToolCallsAllFailed()).ifPresent(all::add);
        }
        return new ExecutionResult(run.executionId(), pattern, terminal, output, why, usage, run.started(),
                clock.instant(), all);
    }

    /**
     * The warning of an execution some of whose model calls fell back to another provider: its output then comes, at
     * least in part, from another model than the one chosen first, which its status alone does not show. Each
     * provider and model that failed is named with the one tried instead, why it failed, and how often.
     */
    private static Optional<String> fallbackWarning(List<LlmFallbackEvent> fallbacks) {
        if (fallbacks.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<LlmFallbackEvent>> byHop = fallbacks.stream().collect(Collectors.groupingBy(
                f -> f.providerId() + "/" + f.model() + " to " + f.nextProviderId() + "/" + f.nextModel(),
                LinkedHashMap::new, Collectors.toList()));
        String hops = byHop.entrySet().stream().map(hop -> hop.getKey() + " (" + hop.getValue().stream()
                        .map(f -> f.category().name()).distinct().collect(Collectors.joining(", "))
                        + (hop.getValue().size() == 1 ? ")" : ", " + hop.getValue().size() + " times)"))
                .collect(Collectors.joining("; "));
        return Optional.of("model calls fell back to another provider, so the output may come from another model than"
                + " the one chosen: " + hops + " (see the llm.fallback steps)");
    }

    /**
     * The warning of an execution whose model called tools its agent does not have (an agent bound to no server, a
     * name made up): each such call failed, which the model may have talked its way around, so a SUCCEEDED status
     * alone does not show that nothing was read or written.
     */
    static Optional<String> unknownToolsWarning(Map<String, Integer> calls) {
        if (calls.isEmpty()) {
            return Optional.empty();
        }
        String tools = calls.entrySet().stream().map(tool -> tool.getKey() + " (" + tool.getValue()
                + (tool.getValue() == 1 ? " call)" : " calls)")).collect(Collectors.joining(", "));
        return Optional.of("the model called tools the agents do not have, and those calls failed: " + tools
                + " (see the agent.tool steps)");
    }

    /**
     * The warning of an execution some of whose agents' answers the model did not end itself: stopped at its output
     * token limit, by a content filter, a full context window or a paused turn, such an answer reads as whole, and a
     * SUCCEEDED status alone does not show that the output may stop midway.
     */
    static Optional<String> cutShortWarning(Map<String, Integer> answers) {
        if (answers.isEmpty()) {
            return Optional.empty();
        }
        String agents = answers.entrySet().stream().map(agent -> agent.getKey() + " (" + agent.getValue()
                + (agent.getValue() == 1 ? " answer)" : " answers)")).collect(Collectors.joining(", "));
        String meanings = Stream.of(StopReason.MAX_TOKENS, StopReason.CONTENT_FILTERED,
                        StopReason.CONTEXT_WINDOW_EXCEEDED, StopReason.PAUSED)
                .filter(reason -> answers.keySet().stream().anyMatch(agent -> agent.endsWith(" by " + reason)))
                .map(reason -> reason + ": " + switch (reason) {
                    case MAX_TOKENS -> "the model's output token limit";
                    case CONTENT_FILTERED -> "a content filter";
                    case CONTEXT_WINDOW_EXCEEDED -> "the model's context window, full";
                    default -> "the provider paused a long turn";
                })
                .collect(Collectors.joining("; "));
        return Optional.of("answers were cut short before the model ended them, so the output may be incomplete: "
                + agents + " (" + (meanings.isEmpty() ? "" : meanings + "; ") + "see the agent.finished steps)");
    }

    /**
     * The warning of an execution some agent of which had every call of its tools fail (access denied, a server
     * down): its answer rests on no tool result, which the model may have talked its way around, so a SUCCEEDED status
     * alone does not show it. Each such agent is named with how many calls it made and its first error, masked by the
     * agent and cut to {@value #FIRST_ERROR_CHARS} characters. Calls of tools an agent does not have are the
     * unknown-tool warning's.
     */
    static Optional<String> failedToolCallsWarning(Map<String, ExecutionScope.ToolCalls> agents) {
        if (agents.isEmpty()) {
            return Optional.empty();
        }
        String named = agents.entrySet().stream().map(agent -> "'" + agent.getKey() + "' (" + agent.getValue().ended()
                        + (agent.getValue().ended() == 1 ? " call" : " calls") + ", the first: "
                        + cut(agent.getValue().firstFailure()) + ")")
                .collect(Collectors.joining("; "));
        return Optional.of(agents.size() == 1
                ? "every tool call of an agent failed, so its answer rests on no tool result: " + named
                        + " (see the agent.tool steps)"
                : "every tool call of these agents failed, so their answers rest on no tool result: " + named
                        + " (see the agent.tool steps)");
    }

    /** At most {@link #FIRST_ERROR_CHARS} characters of {@code text}, never half a surrogate pair. */
    private static String cut(String text) {
        if (text.length() <= FIRST_ERROR_CHARS) {
            return text;
        }
        int keep = Character.isHighSurrogate(text.charAt(FIRST_ERROR_CHARS - 1)) ? FIRST_ERROR_CHARS - 1
                : FIRST_ERROR_CHARS;
        return text.substring(0, keep) + "…";
    }

    private void finished(ExecutionRun run, ExecutionResult result) {
        running.remove(run.executionId());
        synchronized (finished) {
            finished.put(run.executionId(), run);
            int keep = settings.settings().keepFinished();
            while (finished.size() > keep) {
                finished.remove(finished.keySet().iterator().next());
            }
        }
        listeners.publish(new ExecutionStatusEvent(clock.instant(), ExecutionStatusEvent.FINISHED, run.executionId(),
                result.patternId(), result.status(), result.error(), run.scope().task().tenant(),
                run.scope().task().text(), result));
    }

    @Override
    public Optional<Execution> find(String executionId) {
        ExecutionRun run = running.get(executionId);
        if (run != null) {
            return Optional.of(run);
        }
        synchronized (finished) {
            return Optional.ofNullable(finished.get(executionId));
        }
    }

    @Override
    public List<Execution> running() {
        return new ArrayList<>(running.values());
    }

    /**
     * Only the properties and the bundle are needed: taking the pattern service itself would activate every pattern
     * here.
     */
    @Reference(service = WorkflowPattern.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removedPattern")
    void addedPattern(ServiceReference<WorkflowPattern> reference) {
        if (reference.getProperty(Constants.SERVICE_ID) instanceof Long serviceId) {
            boundPatterns.put(serviceId, reference);
        }
        Bundle bundle = reference.getBundle();
        if (bundle != null && persistentlyStarted(bundle)) {
            persistentlyStartedBundles.add(bundle.getBundleId());
        }
        // executions look patterns up through the plugin manager when they start; one waiting for it looks again
        arrivals.arrived(reference.getProperty(PluginProperties.ID), reference.getProperty(PluginProperties.NAME));
    }

    /**
     * The executions using the removed pattern service stop at once. Whether its bundle is being replaced (a deployed
     * jar updated: the old bundle stops before the new one registers the pattern) or stopped for good is known only
     * once the same pattern id is registered again or the grace period has passed, so their end is recorded then, on
     * a thread of its own: this one is the framework's, stopping the old bundle.
     */
    void removedPattern(ServiceReference<WorkflowPattern> reference) {
        if (!(reference.getProperty(Constants.SERVICE_ID) instanceof Long serviceId)) {
            return;
        }
        Object pluginId = reference.getProperty(PluginProperties.ID);
        String id = pluginId == null ? "service " + serviceId : pluginId.toString();
        RemovedPattern removed = RemovedPattern.of(id, pluginId != null, reference);
        Duration grace = settings.settings().patternGrace();
        if (pluginId != null) {
            Object name = reference.getProperty(PluginProperties.NAME);
            remember(id, name, grace);
            Bundle bundle = reference.getBundle();
            if (bundle != null) {
                Set<String> patterns = patternsRemovedByBundle.computeIfAbsent(bundle.getBundleId(),
                        b -> ConcurrentHashMap.newKeySet());
                patterns.add(id);
                if (name != null) {
                    patterns.add(name.toString());
                }
            }
        }
        boundPatterns.remove(serviceId); // after its removal is remembered: a request in between waits either way
        List<ExecutionRun> stopped = new ArrayList<>();
        for (ExecutionRun run : running.values()) {
            if (!run.scope().uses(serviceId)) {
                continue;
            }
            if (!grace.isZero()) {
                run.scope().publish(new PatternEvent(clock.instant(), run.executionId(), run.pattern(),
                        ExecutionScope.PATTERN_WAIT, "workflow pattern '" + id + "' of " + removed.bundle()
                        + " was removed; this execution has stopped, and ends once it is known whether the bundle was"
                        + " replaced (waiting up to " + Durations.text(grace) + " for the pattern to come back)"));
            }
            if (run.stop("workflow pattern '" + id + "' of " + removed.bundle() + " was removed while this execution"
                    + " used it")) {
                stopped.add(run);
                LOG.warn("execution {} stopped: workflow pattern '{}' of {} was removed while it ran",
                        run.executionId(), id, removed.bundle());
            }
        }
        if (stopped.isEmpty()) {
            return;
        }
        if (grace.isZero() || !removed.hasPluginId()) {
            fail(stopped, removed, removed.why("was stopped or uninstalled") + (grace.isZero()
                    ? " (not waited for: patternGraceSeconds is 0)" : " (it has no pattern id to wait for)"));
            return;
        }
        Thread waiting = Thread.ofVirtual().name("mcpagent-pattern-removed-" + id)
                .unstarted(() -> fail(stopped, removed, whyRemoved(removed, grace)));
        removalWaits.add(waiting);
        waiting.start();
    }

    /**
     * The bundle was uninstalled: its patterns are not coming back, so the executions waiting to tell whether it was
     * replaced end now, and nobody waits for its patterns any more.
     */
    private void uninstalled(Bundle bundle) {
        persistentlyStartedBundles.remove(bundle.getBundleId());
        gone(bundle, patternsRemovedByBundle.remove(bundle.getBundleId()), "was uninstalled");
    }

    /**
     * The bundle stopped. Stopped for good if it was persistently started when its patterns were registered and is not
     * any more: {@code Bundle.stop()} (Gogo's {@code stop <id>}, the web console) records that it is not to start
     * again, while the framework's own stops, for an update, a refresh or a lower start level, are transient and leave
     * it persistently started (Felix 7.0.5: {@code Felix.stopBundle(bundle, record)} with {@code record} true only
     * from {@code Bundle.stop} without {@code STOP_TRANSIENT}, and from an uninstall). Its patterns are then not coming
     * back, as for an uninstalled bundle. An uninstall stops the bundle so too before its UNINSTALLED event, and nothing
     * tells the two apart until then: what is said of it ({@value #STOPPED_FOR_GOOD}) is true of both. A bundle that was
     * started transiently ({@code start -t}) tells nothing by its stop: its patterns are waited for, as any other's.
     */
    private void stopped(Bundle bundle) {
        if (persistentlyStartedBundles.remove(bundle.getBundleId()) && !persistentlyStarted(bundle)) {
            gone(bundle, patternsRemovedByBundle.get(bundle.getBundleId()), STOPPED_FOR_GOOD);
        }
    }

    private void gone(Bundle bundle, Set<String> patterns, String happened) {
        if (patterns != null) {
            arrivals.gone(patterns, RemovedPattern.bundleText(bundle.getSymbolicName(), bundle.getVersion().toString()),
                    happened);
        }
    }

    /** Whether the bundle is set to start (its start is recorded, not transient); not when that cannot be told. */
    private static boolean persistentlyStarted(Bundle bundle) {
        try {
            BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
            return startLevel != null && startLevel.isPersistentlyStarted();
        } catch (IllegalStateException uninstalled) {
            return false;
        }
    }

    private void fail(List<ExecutionRun> stopped, RemovedPattern removed, String why) {
        stopped.forEach(run -> run.finish(result(run, removed.hasPluginId() ? removed.id() : null,
                ExecutionStatus.FAILED, null, why)));
    }

    /**
     * A removed pattern service: its pattern id ("service <id>" if it had none), and the symbolic name and version
     * of its bundle, kept from its reference while its registration is being taken back (null if that is not known).
     */
    private record RemovedPattern(String id, boolean hasPluginId, String symbolicName, String version) {
        static RemovedPattern of(String id, boolean hasPluginId, ServiceReference<?> reference) {
            Bundle bundle = reference.getBundle();
            return bundle == null ? new RemovedPattern(id, hasPluginId, null, null)
                    : new RemovedPattern(id, hasPluginId, bundle.getSymbolicName(), bundle.getVersion().toString());
        }

        String bundle() {
            return bundleText(symbolicName, version);
        }

        static String bundleText(String symbolicName, String version) {
            return symbolicName == null ? "bundle (unknown)" : "bundle " + symbolicName + " " + version;
        }

        String why(String happened) {
            return "workflow pattern '" + id + "' was removed while this execution used it: the pattern's "
                    + bundle() + " " + happened + " while this execution ran";
        }
    }

    /**
     * Why the executions that used the removed pattern failed: its id registered again within {@code grace} (its
     * bundle replaced), or not, or the engine stopped meanwhile.
     */
    private String whyRemoved(RemovedPattern removed, Duration grace) {
        String stopped = stoppedBecause;
        if (stopped != null) { // the engine stopped before this wait could be interrupted
            return removed.why("was stopped") + "; then " + stopped;
        }
        try {
            Optional<PluginInfo> back = arrivals.await(removed.id(), grace)
                    .flatMap(ref -> plugins.get(ref.id()));
            if (back.isEmpty()) {
                return arrivals.whatHappened(removed.id()).map(removed::why)
                        .orElseGet(() -> removed.why("was stopped or uninstalled") + " (it did not come back within "
                                + Durations.text(grace) + ")");
            }
            PluginInfo now = back.get();
            return removed.why("was replaced by " + (now.bundleSymbolicName().equals(removed.symbolicName())
                    ? now.bundleVersion() : now.bundleSymbolicName() + " " + now.bundleVersion()));
        } catch (InterruptedException e) {
            return removed.why("was stopped") + "; then " + stoppedBecause;
        } finally {
            removalWaits.remove(Thread.currentThread());
        }
    }
}
