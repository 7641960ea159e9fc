package io.mcpagent.core.internal.workflow;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.workflow.WorkflowException;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.core.internal.ExecutionListeners;

/**
 * Runs each execution on its own virtual thread. It follows the pattern services: when one that an execution uses
 * (its own or a nested one) goes away, that execution ends FAILED at once, naming the pattern, and its thread is
 * interrupted; executions of other patterns go on. While the framework stops, the pattern bundles stop first and
 * take their services away: then the executions end INTERRUPTED instead, because nothing failed. Results are
 * completed exactly once, so nothing a stray pattern thread does later can overwrite them.
 */
@Component(service = WorkflowEngine.class, configurationPid = "io.mcpagent.workflow.engine")
@Designate(ocd = WorkflowEngineConfig.class)
public final class DefaultWorkflowEngine implements WorkflowEngine {
    static final String RUNTIME_STOPPED = "the runtime stopped while this execution ran";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultWorkflowEngine.class);

    private final PluginManager plugins;
    private final AgentRuntime agents;
    private final LlmRouter router;
    private final Clock clock;
    private final BooleanSupplier frameworkStopping;
    private final ExecutionListeners listeners = new ExecutionListeners();
    private final Map<String, ExecutionRun> running = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, ExecutionRun> finished = new LinkedHashMap<>();
    private volatile int keepFinished;

    @Activate
    public DefaultWorkflowEngine(BundleContext context, @Reference PluginManager plugins,
                                 @Reference AgentRuntime agents, @Reference LlmRouter router,
                                 WorkflowEngineConfig config) {
        this(plugins, agents, router, Clock.systemUTC(), config.keepFinished(),
                () -> context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING);
    }

    /** {@code frameworkStopping} tells whether the whole framework is stopping now (SIGTERM, {@code stop 0}). */
    DefaultWorkflowEngine(PluginManager plugins, AgentRuntime agents, LlmRouter router, Clock clock, int keepFinished,
                          BooleanSupplier frameworkStopping) {
        this.plugins = plugins;
        this.agents = agents;
        this.router = router;
        this.clock = clock;
        this.keepFinished = Math.max(0, keepFinished);
        this.frameworkStopping = frameworkStopping;
    }

    @Modified
    void modified(WorkflowEngineConfig config) {
        keepFinished = Math.max(0, config.keepFinished());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ExecutionListener listener) {
        listeners.add(listener);
    }

    void removeListener(ExecutionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public Execution start(String pattern, WorkflowRequest request) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(request, "request");
        ExecutionRun run = register(pattern, false, request);
        Optional<PatternRef> found = PatternRef.find(plugins, pattern);
        if (found.isEmpty()) {
            run.end(result(run, null, ExecutionStatus.FAILED, null, PatternRef.missing(plugins, pattern)));
            return run;
        }
        run.scope().use(found.get());
        return launch(run, found.get(), request);
    }

    @Override
    public Execution start(WorkflowPattern pattern, WorkflowRequest request) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(request, "request");
        String name = pattern.name();
        return launch(register(name, true, request), PatternRef.composed(name, pattern), request);
    }

    private ExecutionRun register(String pattern, boolean composed, WorkflowRequest request) {
        String executionId = UUID.randomUUID().toString();
        Instant started = clock.instant();
        ExecutionScope scope = new ExecutionScope(executionId, request.task(), plugins, agents, listeners, clock);
        ExecutionRun run = new ExecutionRun(executionId, pattern, composed, started, scope,
                self -> result(self, null, ExecutionStatus.CANCELLED, null, "cancelled by request"), this::finished);
        running.put(executionId, run);
        listeners.publish(new ExecutionStatusEvent(started, ExecutionStatusEvent.STARTED, executionId, pattern,
                ExecutionStatus.RUNNING, null, request.task().tenant(), request.task().text(), null));
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
                    : result(run, patternId, returned.status(), returned.output(), returned.error());
        } catch (WorkflowException e) {
            result = result(run, ref.id(), ExecutionStatus.FAILED, null, e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.warn("workflow pattern '{}' failed in execution {}", ref.id(), run.executionId(), e);
            result = result(run, ref.id(), ExecutionStatus.FAILED, null, "pattern '" + ref.id() + "' failed: " + e);
        }
        run.end(result);
    }

    private ExecutionResult result(ExecutionRun run, String patternId, ExecutionStatus status, String output,
                                   String error) {
        ExecutionStatus terminal = status == null || status == ExecutionStatus.RUNNING ? ExecutionStatus.FAILED : status;
        String why = terminal == ExecutionStatus.SUCCEEDED ? null
                : error != null ? error : "pattern ended " + (status == null ? "without a status" : "still RUNNING");
        Usage usage = router.usage(run.executionId()).usage();
        return new ExecutionResult(run.executionId(), patternId == null ? run.patternNow() : patternId, terminal,
                output, why, usage, run.started(), clock.instant());
    }

    private void finished(ExecutionRun run, ExecutionResult result) {
        running.remove(run.executionId());
        synchronized (finished) {
            finished.put(run.executionId(), run);
            while (finished.size() > keepFinished) {
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

    /** Only the properties are needed: taking the pattern service itself would activate every pattern here. */
    @Reference(service = WorkflowPattern.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removedPattern")
    void addedPattern(Map<String, Object> properties) {
        // executions look patterns up through the plugin manager when they start
    }

    void removedPattern(Map<String, Object> properties) {
        if (!(properties.get(Constants.SERVICE_ID) instanceof Long serviceId)) {
            return;
        }
        Object pluginId = properties.get(PluginProperties.ID);
        String id = pluginId == null ? "service " + serviceId : pluginId.toString();
        boolean stopping = frameworkStopping.getAsBoolean();
        for (ExecutionRun run : running.values()) {
            if (!run.scope().uses(serviceId)) {
                continue;
            }
            if (stopping) {
                if (run.end(result(run, null, ExecutionStatus.INTERRUPTED, null, RUNTIME_STOPPED))) {
                    LOG.info("execution {} interrupted: the runtime is stopping", run.executionId());
                }
            } else if (run.end(result(run, pluginId == null ? null : id, ExecutionStatus.FAILED, null,
                    "workflow pattern '" + id + "' was removed while this execution used it"))) {
                LOG.warn("execution {} ended: workflow pattern '{}' was removed while it ran", run.executionId(), id);
            }
        }
    }
}
