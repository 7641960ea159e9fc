package io.mcpagent.http.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.AnalysisUnfinishedEvent;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkerEvent;

/**
 * The JSON of the autonomous layer's answers: analyses, decisions, agent plans, execution records, steps, results
 * and events. Written by hand rather than by reflection so that the wire format is ours (stable field names,
 * durations in milliseconds, instants as ISO-8601 text) whatever the records gain later.
 */
final class AutonomousJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AutonomousJson() {
    }

    static ObjectNode analysis(TaskAnalysis analysis) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", analysis.type().name()).put("complexity", analysis.complexity().name())
                .put("estimatedSteps", analysis.estimatedSteps());
        ArrayNode capabilities = node.putArray("requiredCapabilities");
        analysis.requiredCapabilities().stream().sorted().forEach(capabilities::add);
        node.put("capabilityConfidence", analysis.capabilityConfidence())
                .put("confidence", analysis.confidence()).put("recommendedPattern", analysis.recommendedPattern())
                .put("reasoning", analysis.reasoning()).put("analyzer", analysis.analyzerId());
        ArrayNode passedOver = node.putArray("passedOver");
        for (AnalyzerPassedOver other : analysis.passedOver()) {
            passedOver.addObject().put("analyzer", other.analyzerId()).put("reason", other.reason());
        }
        return node;
    }

    static ObjectNode strategy(StrategyRecommendation strategy) {
        ObjectNode node = JSON.createObjectNode();
        node.put("pattern", strategy.pattern()).put("confidence", strategy.confidence())
                .put("score", strategy.score()).put("reasoning", strategy.reasoning())
                .put("estimatedComplexity", strategy.estimatedComplexity().name());
        ArrayNode servers = node.putArray("requiredServers");
        strategy.requiredServers().stream().sorted().forEach(servers::add);
        ArrayNode alternatives = node.putArray("alternatives");
        for (StrategyAlternative alternative : strategy.alternatives()) {
            alternatives.addObject().put("pattern", alternative.pattern()).put("score", alternative.score())
                    .put("reason", alternative.reason());
        }
        return node;
    }

    static ObjectNode agents(AgentPlan plan) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode agents = node.putArray("agents");
        for (PlannedAgent agent : plan.agents()) {
            ObjectNode one = agents.addObject().put("name", agent.spec().name()).put("role", agent.role().name())
                    .put("instruction", agent.spec().instruction()).put("reason", agent.reason());
            agent.spec().servers().forEach(one.putArray("servers")::add);
            agent.capabilities().stream().sorted().forEach(one.putArray("capabilities")::add);
            if (agent.spec().model().providerId() != null) {
                one.put("provider", agent.spec().model().providerId());
            }
            if (agent.spec().model().model() != null) {
                one.put("model", agent.spec().model().model());
            }
        }
        plan.installedServers().stream().sorted().forEach(node.putArray("installedServers")::add);
        plan.unmetCapabilities().stream().sorted().forEach(node.putArray("unmetCapabilities")::add);
        ObjectNode failedInstalls = node.putObject("failedInstalls");
        new TreeMap<>(plan.failedInstalls()).forEach(failedInstalls::put);
        plan.warnings().forEach(node.putArray("warnings")::add);
        return node;
    }

    /**
     * A plan as its caller sees it: everything but the task masked, as an analyzer's reasoning, an agent's
     * instruction or an install's error may come from a model or a failure that repeats a secret. The task is the
     * caller's own text, given back to that caller: masking it would hide it from nobody.
     */
    static ObjectNode plan(AutonomousPlan plan, SecretMasker masker) {
        ObjectNode node = JSON.createObjectNode();
        node.put("task", plan.task().text()).put("tenant", plan.task().tenant());
        node.set("analysis", analysis(plan.analysis()));
        node.set("decision", strategy(plan.strategy()));
        node.set("agents", agents(plan.agents()));
        node.put("runnable", plan.runnable());
        plan.blockers().forEach(node.putArray("blockers")::add);
        plan.warnings().forEach(node.putArray("warnings")::add);
        return masked(node, masker).put("task", plan.task().text());
    }

    /**
     * {@code node} with its secrets masked in its JSON text, as the event stream and the history mask theirs: every
     * field, whatever the node gains later.
     */
    static ObjectNode masked(ObjectNode node, SecretMasker masker) {
        try {
            return (ObjectNode) JSON.readTree(masker.mask(JSON.writeValueAsString(node)));
        } catch (JsonProcessingException e) {
            // SecretMasker promises to keep JSON whole: a masker that does not is a bug, not a caller's error
            throw new IllegalStateException("the secret masker broke the JSON of an answer: " + e.getOriginalMessage(),
                    e);
        }
    }

    static ObjectNode result(ExecutionResult result) {
        return result(result.executionId(), result.patternId(), result.status(), result.output(), result.error(),
                result.warnings(), result.usage(), result.started(), result.finished());
    }

    /**
     * The result of an ended execution as its record holds it, masked, in the shape of {@link #redactedResult}: the
     * event stream of an execution of an earlier run carries it as that of this run's does (it carried the status
     * alone, so a client could not read why it failed there after a restart).
     */
    static ObjectNode recordedResult(ExecutionRecord record, SecretMasker masker) {
        return result(record.executionId(), record.pattern(), record.status(), masker.mask(record.output()),
                masker.mask(record.error()), record.warnings().stream().map(masker::mask).toList(), record.usage(),
                record.started(), record.finished());
    }

    private static ObjectNode result(String executionId, String pattern, ExecutionStatus status, String output,
                                     String error, List<String> warnings, Usage usage, Instant started,
                                     Instant finished) {
        ObjectNode node = JSON.createObjectNode();
        node.put("executionId", executionId).put("pattern", pattern).put("status", status.name()).put("output", output)
                .put("error", error);
        warnings.forEach(node.putArray("warnings")::add);
        node.set("usage", countedUsage(usage));
        instant(node, "started", started);
        instant(node, "finished", finished);
        return node;
    }

    /**
     * An execution the engine runs (or ran) as readers see it: named by the pattern it runs (an autonomous
     * execution's chosen one or its fallback, by plugin id), once it has a result by the pattern that ran, and with
     * the result's secrets masked; {@code decision}, which the engine does not know (the history's, else the one the
     * orchestrator still holds; null without either), tells a fallback ({@code "fallbackFrom"}) as for a record.
     */
    static ObjectNode live(Execution execution, StrategyRecommendation decision, SecretMasker masker) {
        Optional<ExecutionResult> result = execution.result();
        ExecutionStatus status = execution.status();
        ObjectNode node = JSON.createObjectNode().put("executionId", execution.executionId());
        pattern(node, result.map(ExecutionResult::patternId).orElse(execution.pattern()), decision, status);
        node.put("status", status.name());
        result.ifPresent(ended -> node.set("result", redactedResult(ended, masker)));
        return node;
    }

    /**
     * {@code "pattern"}, or, for an autonomous execution not planned (yet), null and {@code "noPattern"} saying why,
     * as the console and the shell say it: "autonomous" is no pattern. A pattern other than the decided one is a
     * fallback from it (running, or the one that ended the execution): {@code "fallbackFrom"} names the decided one.
     */
    static void pattern(ObjectNode node, String pattern, StrategyRecommendation decision, ExecutionStatus status) {
        Optional<String> none = AutonomousOrchestrator.noPatternChosen(pattern, decision, status);
        node.put("pattern", none.isPresent() ? null : pattern);
        none.ifPresent(why -> node.put("noPattern", why));
        AutonomousOrchestrator.fallbackFrom(pattern, decision).ifPresent(decided -> node.put("fallbackFrom", decided));
    }

    /** {@link #result} with secrets in its output, error and warnings masked, as the history keeps them: for readers. */
    static ObjectNode redactedResult(ExecutionResult result, SecretMasker masker) {
        ObjectNode node = result(result).put("output", masker.mask(result.output()))
                .put("error", masker.mask(result.error()));
        ArrayNode warnings = node.putArray("warnings");
        result.warnings().forEach(warning -> warnings.add(masker.mask(warning)));
        return node;
    }

    /** An execution as the history keeps it; {@code steps} may be null to leave them out (lists). */
    static ObjectNode record(ExecutionRecord record, Iterable<ExecutionStep> steps) {
        ObjectNode node = JSON.createObjectNode();
        node.put("executionId", record.executionId()).put("tenant", record.tenant()).put("task", record.task());
        pattern(node, record.pattern(), record.decision(), record.status());
        node.put("status", record.status().name());
        instant(node, "started", record.started());
        instant(node, "finished", record.finished());
        node.put("output", record.output()).put("error", record.error());
        record.warnings().forEach(node.putArray("warnings")::add);
        node.set("usage", usage(record.usage()));
        node.put("costUsd", record.cost());
        if (record.analysis() != null) {
            node.set("analysis", analysis(record.analysis()));
        }
        if (record.decision() != null) {
            node.set("decision", strategy(record.decision()));
        }
        record.agents().forEach(node.putArray("agents")::add);
        if (steps != null) {
            ArrayNode array = node.putArray("steps");
            for (ExecutionStep step : steps) {
                array.add(step(step));
            }
        }
        return node;
    }

    static ObjectNode step(ExecutionStep step) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", step.seq());
        instant(node, "timestamp", step.timestamp());
        node.put("type", step.type()).put("source", step.source()).put("subject", step.subject())
                .put("durationMs", step.duration().toMillis());
        node.set("usage", usage(step.usage()));
        node.put("costUsd", step.cost()).put("error", step.error()).put("detail", step.detail());
        return node;
    }

    /** An event of an execution for its event stream; unknown kinds give their type and time only. */
    static ObjectNode event(ExecutionEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", event.type());
        instant(node, "timestamp", event.timestamp());
        switch (event) {
            case ExecutionStatusEvent status -> {
                node.put("executionId", status.executionId()).put("pattern", status.pattern())
                        .put("status", status.status().name()).put("error", status.error());
                if (status.result() != null) {
                    node.set("result", result(status.result()));
                }
            }
            case AgentEvent agent -> {
                node.put("executionId", agent.executionId()).put("agent", agent.agent())
                        .put("iteration", agent.iteration()).put("subject", agent.subject())
                        .put("durationMs", agent.duration().toMillis()).put("error", agent.error())
                        .put("detail", agent.detail()).put("costUsd", countedCost(agent.cost()));
                node.set("usage", countedUsage(agent.usage()));
            }
            case WorkerEvent worker -> node.put("executionId", worker.executionId()).put("worker", worker.worker())
                    .put("kind", worker.kind()).put("status", worker.status().name())
                    .put("durationMs", worker.duration().toMillis()).put("error", worker.error());
            case PatternEvent pattern -> node.put("executionId", pattern.executionId())
                    .put("pattern", pattern.pattern()).put("step", pattern.step()).put("detail", pattern.detail());
            case TaskAnalyzedEvent analyzed -> {
                node.put("executionId", analyzed.executionId()).put("durationMs", analyzed.duration().toMillis())
                        .put("costUsd", countedCost(analyzed.cost()));
                node.set("usage", countedUsage(analyzed.usage()));
                node.set("analysis", analysis(analyzed.analysis()));
            }
            case AnalysisUnfinishedEvent unfinished -> {
                node.put("executionId", unfinished.executionId()).put("costUsd", countedCost(unfinished.cost()))
                        .put("reason", unfinished.reason());
                node.set("usage", countedUsage(unfinished.usage()));
            }
            case StrategyDecidedEvent decided -> node.put("executionId", decided.executionId())
                    .put("forced", decided.forced()).set("decision", strategy(decided.strategy()));
            case AgentsPlannedEvent planned -> node.put("executionId", planned.executionId())
                    .set("agents", agents(planned.plan()));
            case FallbackEvent fallback -> node.put("executionId", fallback.executionId())
                    .put("from", fallback.from()).put("to", fallback.to()).put("reason", fallback.reason());
            case LlmCallEvent call -> {
                node.put("executionId", call.executionId()).put("provider", call.providerId())
                        .put("model", call.model()).put("attempt", call.attempt()).put("streamed", call.streamed())
                        .put("success", call.success()).put("durationMs", call.duration().toMillis())
                        .put("costUsd", countedCost(call.cost())).put("error", call.error());
                node.set("usage", countedUsage(call.usage()));
            }
            case LlmFallbackEvent fallback -> node.put("executionId", fallback.executionId())
                    .put("provider", fallback.providerId()).put("model", fallback.model())
                    .put("category", fallback.category().name()).put("message", fallback.message())
                    .put("nextProvider", fallback.nextProviderId()).put("nextModel", fallback.nextModel())
                    .put("pinnedProvider", fallback.pinnedProviderId()).put("durationMs", fallback.duration().toMillis())
                    .put("detail", fallback.describe());
            default -> {
                // a kind this version does not know: type and time say what happened
            }
        }
        return node;
    }

    /**
     * A usage as the history counts it in its steps and totals ({@link Usage#counted}), so that a live reader sees the
     * figures the record keeps: the events carry a provider's negative or huge token counts as they arrived.
     */
    private static ObjectNode countedUsage(Usage usage) {
        return usage(usage.counted());
    }

    /**
     * A model call's cost as the history counts and stores it: a negative one (a provider's wrong report; no call pays
     * its caller) as 0, then as the history records it ({@link ExecutionRecord#recordedCost}: its decimal places, up
     * to its bound), written without trailing zeros; so the event stream shows the figure the record's step will show.
     */
    private static BigDecimal countedCost(BigDecimal cost) {
        return ProviderRoutes.plain(ExecutionRecord.recordedCost(cost.max(BigDecimal.ZERO)));
    }

    /** The parts of the usage as {@code /providers/usage} shows them. */
    static ObjectNode usage(Usage usage) {
        return JSON.createObjectNode().put("inputTokens", usage.inputTokens()).put("outputTokens", usage.outputTokens())
                .put("cachedReadTokens", usage.cachedReadTokens()).put("cacheWriteTokens", usage.cacheWriteTokens())
                .put("cacheWrite1hTokens", usage.cacheWrite1hTokens())
                .put("reasoningTokens", usage.reasoningTokens()).put("toolPromptTokens", usage.toolPromptTokens())
                .put("totalTokens", usage.totalTokens());
    }

    private static void instant(ObjectNode node, String field, Instant instant) {
        node.put(field, instant == null ? null : instant.toString());
    }
}
