package io.mcpagent.console.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.AnalysisUnfinishedEvent;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkerEvent;

/**
 * One line of an execution's live progress as the Executions page receives it over server-sent events:
 * {@code {"type","time","text","status"?,"pattern"?}}, {@code pattern} for the page's pattern row: the pattern that runs
 * (decided, or fallen back to) or that none was chosen. The text names who did what; it leaves out prompts, tool arguments and
 * outputs (the execution's record has them, with secrets redacted), and masks secrets in what it keeps (errors).
 */
final class ProgressMessage {
    static final String STATUS = "status";
    static final String END = "end";
    static final String OVERFLOW = "overflow";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProgressMessage() {
    }

    /**
     * The {@code data:} of an SSE message for an event, its text masked by {@code masker}; {@code decisionOf} gives an
     * execution's decision (null when none is known), which a fallback's pattern row names as the one it fell back
     * from, as the page does.
     */
    static String of(ExecutionEvent event, SecretMasker masker,
                     Function<String, StrategyRecommendation> decisionOf) {
        ObjectNode node = JSON.createObjectNode().put("type", event.type()).put("time", event.timestamp().toString())
                .put("text", masker.mask(describe(event))); // errors may quote a key; the record masks it too
        if (event instanceof ExecutionStatusEvent status) {
            node.put("status", status.status().name());
        }
        patternShown(event, decisionOf).ifPresent(pattern -> node.put("pattern", pattern));
        return node.toString();
    }

    /**
     * What the page's pattern row shows once {@code event} happened: the decided pattern, the fallback pattern that
     * runs next when the orchestrator falls back, or, as an execution that was never planned finishes, that none was
     * chosen.
     */
    private static Optional<String> patternShown(ExecutionEvent event,
                                                 Function<String, StrategyRecommendation> decisionOf) {
        return switch (event) {
            case StrategyDecidedEvent decided -> Optional.of(decided.strategy().pattern());
            case FallbackEvent fallback -> Optional.of(AutonomousOrchestrator.patternText(fallback.to(),
                    decisionOf.apply(fallback.executionId()), ExecutionStatus.RUNNING));
            case ExecutionStatusEvent finished when ExecutionStatusEvent.FINISHED.equals(finished.type())
                    && finished.pattern() != null ->
                    AutonomousOrchestrator.noPatternChosen(finished.pattern(), null, finished.status());
            default -> Optional.empty();
        };
    }

    /** Where the execution stands ({@value #STATUS}), or that its stream ends ({@value #END}). */
    static String status(String type, ExecutionStatus status) {
        return status(type, status, null);
    }

    /** A status message that also sets the page's pattern row to {@code pattern}, unless it is null. */
    static String status(String type, ExecutionStatus status, String pattern) {
        ObjectNode node = JSON.createObjectNode().put("type", type).put("status", status.name());
        return (pattern == null ? node : node.put("pattern", pattern)).toString();
    }

    static String overflow(int buffered) {
        return JSON.createObjectNode().put("type", OVERFLOW).put("text", "the page read too slowly (" + buffered
                + " events waiting); reload it for the full record").toString();
    }

    static String describe(ExecutionEvent event) {
        return switch (event) {
            case ExecutionStatusEvent status -> status.status().name().toLowerCase(Locale.ROOT)
                    + (status.pattern() == null ? "" : ", pattern " + status.pattern())
                    + (status.error() == null ? "" : ": " + status.error());
            case AgentEvent agent -> Objects.toString(agent.agent(), "agent") + (agent.subject() == null ? "" : " " + agent.subject())
                    + (agent.error() ? " (failed)" : "")
                    + (agent.duration().isZero() ? "" : " in " + agent.duration().toMillis() + " ms");
            case WorkerEvent worker -> worker.worker() + (worker.status() == null ? "" : " " + worker.status())
                    + (worker.error() == null ? "" : ": " + worker.error());
            case PatternEvent pattern -> pattern.pattern() + " " + pattern.step();
            case TaskAnalyzedEvent analyzed -> analyzed.analysis().type() + ", "
                    + analyzed.analysis().complexity() + " complexity"
                    + (analyzed.duration().isZero() ? "" : " in " + analyzed.duration().toMillis() + " ms")
                    // none from the cache or by an analyzer that calls no model; a negative one counts as none
                    + (analyzed.cost().signum() > 0 ? ", " + Amounts.text(analyzed.cost()) + " USD" : "");
            // counted as the record counts it: a provider's negative count or cost adds nothing
            case AnalysisUnfinishedEvent unfinished -> "analysis ended unfinished, billed "
                    + unfinished.usage().counted().totalTokens() + " tokens"
                    + (unfinished.cost().signum() > 0 ? ", " + Amounts.text(unfinished.cost()) + " USD" : "")
                    + (unfinished.reason().isEmpty() ? "" : ": " + unfinished.reason());
            case StrategyDecidedEvent decided -> decided.strategy().pattern() + " (confidence "
                    + Math.round(decided.strategy().confidence() * 100) + "%" + (decided.forced() ? ", forced" : "")
                    + ")";
            case AgentsPlannedEvent planned -> planned.plan().agents().size()
                    + (planned.plan().agents().size() == 1 ? " agent" : " agents");
            case FallbackEvent fallback -> fallback.from() + " -> " + fallback.to() + ": " + fallback.reason();
            case LlmCallEvent call -> "model call " + call.providerId() + "/" + call.model()
                    + (call.attempt() > 1 ? " (attempt " + call.attempt() + ")" : "")
                    + (call.success() ? "" : " failed: " + call.error())
                    + (call.duration().isZero() ? "" : " in " + call.duration().toMillis() + " ms");
            case LlmFallbackEvent fallback -> fallback.describe();
            default -> "";
        };
    }
}
