package io.mcpagent.http.internal;

import java.time.Duration;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkerEvent;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The metrics taken from the execution events (executions, LLM calls, tool calls, errors) and the JVM's own. One
 * registry per component instance, so a restarted component starts from zero and nothing is shared with other
 * bundles. It references no service: the components that deliver events (whiteboard, engine, orchestrator) bind
 * every {@code ExecutionListener}, so a reference back to them would be a cycle; {@link ServiceMetrics} reads them.
 */
@Component(service = {ExecutionListener.class, PlatformMetrics.class})
public final class PlatformMetrics implements ExecutionListener {
    /** Distinct values kept per label before the rest count as {@value BoundedLabel#OTHER}. */
    static final int LABEL_VALUE_LIMIT = 200;
    private static final String SUCCESS = "success";
    private static final String ERROR = "error";
    private static final double[] EXECUTION_SECONDS = {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
    private static final double[] LLM_SECONDS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120};
    private static final double[] TOOL_SECONDS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final String[] ERROR_KINDS = {"execution", "worker", "llm", "tool", "fallback"};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final BoundedLabel patterns;
    private final BoundedLabel providers;
    private final BoundedLabel models;
    private final BoundedLabel servers;
    private final BoundedLabel tools;
    private final Counter executionsStarted;
    private final Counter executions;
    private final Histogram executionDuration;
    private final Counter llmCalls;
    private final Counter llmTokens;
    private final Counter llmCost;
    private final Histogram llmDuration;
    private final Counter toolCalls;
    private final Histogram toolDuration;
    private final Counter errors;

    @Activate
    public PlatformMetrics() {
        this(LABEL_VALUE_LIMIT);
    }

    PlatformMetrics(int labelValueLimit) {
        patterns = new BoundedLabel(labelValueLimit);
        providers = new BoundedLabel(labelValueLimit);
        models = new BoundedLabel(labelValueLimit);
        servers = new BoundedLabel(labelValueLimit);
        tools = new BoundedLabel(labelValueLimit);

        executionsStarted = Counter.builder().name("mcpagent_executions_started_total")
                .help("Workflow executions started, by the pattern they started with (for autonomous runs the one chosen)").labelNames("pattern").register(registry);
        executions = Counter.builder().name("mcpagent_executions_total")
                .help("Workflow executions finished, by pattern and outcome (succeeded, failed, cancelled, interrupted)")
                .labelNames("pattern", "outcome").register(registry);
        executionDuration = histogram("mcpagent_execution_duration_seconds",
                "Duration of finished workflow executions, by pattern", EXECUTION_SECONDS, "pattern");
        llmCalls = Counter.builder().name("mcpagent_llm_calls_total")
                .help("Model calls the LLM router made (each attempt, fallbacks included), for agents, direct chats"
                        + " and the LLM analyzer alike, by provider, model and outcome (success, error)")
                .labelNames("provider", "model", "outcome").register(registry);
        llmTokens = Counter.builder().name("mcpagent_llm_tokens_total")
                .help("Tokens billed for model calls (a failed call's are usually none), by provider, model and"
                        + " direction: input (cache_read and cache_write included), tool_prompt (input beside it),"
                        + " output (reasoning included), cache_read, cache_write (one-hour writes included),"
                        + " cache_write_1h (the writes to a cache kept one hour)")
                .labelNames("provider", "model", "direction").register(registry);
        llmCost = Counter.builder().name("mcpagent_llm_cost_usd_total")
                .help("Cost of model calls in USD from the configured prices (0 when a model has none), by provider"
                        + " and model")
                .labelNames("provider", "model").register(registry);
        llmDuration = histogram("mcpagent_llm_call_duration_seconds", "Duration of model calls, by provider",
                LLM_SECONDS, "provider");
        toolCalls = Counter.builder().name("mcpagent_tool_calls_total")
                .help("Tool calls made by agents, by MCP server (function for the agent's own functions), tool and"
                        + " outcome (success, error)")
                .labelNames("server", "tool", "outcome").register(registry);
        toolDuration = histogram("mcpagent_tool_call_duration_seconds", "Duration of tool calls, by MCP server",
                TOOL_SECONDS, "server");
        errors = Counter.builder().name("mcpagent_errors_total")
                .help("Failures by kind: execution, worker, llm (model call), tool (call), fallback (a strategy"
                        + " failed and the next one runs)")
                .labelNames("kind").register(registry);
        for (String kind : ERROR_KINDS) {
            errors.initLabelValues(kind);
        }
        registerJvmMetrics();
    }

    private Histogram histogram(String name, String help, double[] buckets, String label) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS)
                .classicOnly().classicUpperBounds(buckets).labelNames(label).register(registry);
    }

    /**
     * The JVM's metrics, each set registered on this registry (not through JvmMetrics, which keeps every registry in
     * a static set). Left out: the allocation metrics, which add
     * listeners to the JVM's garbage collectors that outlive this component, and native memory tracking, off by
     * default.
     */
    private void registerJvmMetrics() {
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    @Override
    public void onEvent(ExecutionEvent event) {
        switch (event) {
            case ExecutionStatusEvent status -> execution(status);
            case LlmCallEvent call -> llmCall(call);
            case AgentEvent step when AgentEvent.TOOL_FINISHED.equals(step.type()) -> toolCall(step);
            case WorkerEvent worker when WorkerEvent.FINISHED.equals(worker.type())
                    && worker.status() == ExecutionStatus.FAILED -> errors.labelValues("worker").inc();
            case FallbackEvent fallback -> errors.labelValues("fallback").inc();
            default -> {
                // the other events carry nothing these metrics count
            }
        }
    }

    private void execution(ExecutionStatusEvent event) {
        String pattern = patterns.bound(event.pattern());
        if (ExecutionStatusEvent.STARTED.equals(event.type())) {
            executionsStarted.labelValues(pattern).inc();
            return;
        }
        if (!ExecutionStatusEvent.FINISHED.equals(event.type())) {
            return;
        }
        executions.labelValues(pattern, event.status().name().toLowerCase(Locale.ROOT)).inc();
        ExecutionResult result = event.result();
        if (result != null && result.started() != null && result.finished() != null) {
            executionDuration.labelValues(pattern).observe(seconds(Duration.between(result.started(), result.finished())));
        }
        if (event.status() == ExecutionStatus.FAILED) {
            errors.labelValues("execution").inc();
        }
    }

    /**
     * A model call the router made: every attempt, fallbacks included, whether an agent, a direct chat or an analyzer
     * asked. A failed call counts the tokens it was billed (a stream cut off midway), usually none.
     */
    private void llmCall(LlmCallEvent call) {
        String provider = providers.bound(call.providerId());
        String model = models.bound(call.model());
        llmCalls.labelValues(provider, model, call.success() ? SUCCESS : ERROR).inc();
        llmDuration.labelValues(provider).observe(seconds(call.duration()));
        if (!call.success()) {
            errors.labelValues("llm").inc();
        }
        Usage usage = call.usage();
        add(llmTokens.labelValues(provider, model, "input"), usage.inputTokens());
        add(llmTokens.labelValues(provider, model, "tool_prompt"), usage.toolPromptTokens());
        add(llmTokens.labelValues(provider, model, "output"), usage.outputTokens());
        // parts of the input, priced apart: a cache write costs more than input, a cache read less
        add(llmTokens.labelValues(provider, model, "cache_read"), usage.cachedReadTokens());
        add(llmTokens.labelValues(provider, model, "cache_write"), usage.cacheWriteTokens());
        // a part of the writes, priced apart again: a one-hour write costs more than a five-minute one
        add(llmTokens.labelValues(provider, model, "cache_write_1h"), usage.cacheWrite1hTokens());
        add(llmCost.labelValues(provider, model), call.cost().doubleValue());
    }

    /**
     * An agent's tool call; its detail starts with the tool's origin: {@code server/tool} for an MCP tool,
     * {@code function} for one of the agent's functions (then the subject is the function's name).
     */
    private void toolCall(AgentEvent event) {
        int space = event.detail().indexOf(' ');
        String origin = space < 0 ? event.detail() : event.detail().substring(0, space);
        int slash = origin.indexOf('/');
        String server = servers.bound(slash > 0 ? origin.substring(0, slash) : origin);
        String tool = tools.bound(slash > 0 ? origin.substring(slash + 1) : event.subject());
        toolCalls.labelValues(server, tool, event.error() ? ERROR : SUCCESS).inc();
        toolDuration.labelValues(server).observe(seconds(event.duration()));
        if (event.error()) {
            errors.labelValues("tool").inc();
        }
    }

    /** Counters only go up: a negative amount (a provider's bad usage report) is not counted. */
    private static void add(CounterDataPoint counter, double amount) {
        if (amount > 0) {
            counter.inc(amount);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    MetricSnapshots collect() {
        return registry.scrape();
    }
}
