package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.AnalysisUnfinishedEvent;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;

class ProgressMessageTest {
    @Test
    void anErrorThatQuotesASecretIsShownMasked() {
        String line = ProgressMessage.of(new ExecutionStatusEvent(Instant.parse("2026-12-04T10:00:00Z"),
                ExecutionStatusEvent.FINISHED, "e-1", "direct", ExecutionStatus.FAILED,
                "fetch failed: password=hunter2 for key sk-abcdefghijklmnopqrstuvwxyz123456", "acme", "task", null),
                SecretMasker.orPatterns(null), id -> null);

        assertFalse(line.contains("hunter2") || line.contains("sk-abcdefghijklmnopqrstuvwxyz123456"), line);
        assertTrue(line.contains("fetch failed: password=[redacted] for key [redacted]"), line);
    }

    @Test
    void aConfiguredSecretTheMaskerKnowsIsShownMasked() {
        SecretMasker masker = text -> Secrets.redact(text.replace("literal-XSECRET-777", Secrets.MASK));
        String line = ProgressMessage.of(new ExecutionStatusEvent(Instant.parse("2026-12-04T10:00:00Z"),
                ExecutionStatusEvent.FINISHED, "e-1", "direct", ExecutionStatus.FAILED,
                "server refused X-Api-Key literal-XSECRET-777", "acme", "task", null), masker, id -> null);

        assertFalse(line.contains("XSECRET"), line);
        assertTrue(line.contains("server refused X-Api-Key [redacted]"), line);
    }

    @Test
    void theDecisionEachFallbackAndTheEndOfAnExecutionNeverPlannedTellThePatternRowWhatToShow() throws Exception {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");
        StrategyRecommendation chain = new StrategyRecommendation("chain", 0.9, "fits", Set.of(), Complexity.SIMPLE,
                List.of(), 0.9);
        SecretMasker none = SecretMasker.orPatterns(null);

        Function<String, StrategyRecommendation> decisions = id -> id.equals("e-1") ? chain : null;

        assertEquals("chain", pattern(ProgressMessage.of(new StrategyDecidedEvent(now, "e-1", chain, false), none,
                decisions)));
        assertEquals("direct (fallback from chain)", pattern(ProgressMessage.of(new FallbackEvent(now, "e-1", "chain",
                "direct", "the model refused"), none, decisions)), "the fallback pattern that runs next, as the page"
                + " loaded then names it");
        assertEquals("swarm (fallback from chain)", pattern(ProgressMessage.of(new FallbackEvent(now, "e-1", "direct",
                "swarm", "the model refused"), none, decisions)), "a second fallback: from the decided one, as REST");
        assertEquals("direct", pattern(ProgressMessage.of(new FallbackEvent(now, "e-2", "chain", "direct",
                "the model refused"), none, decisions)), "no decision known: the pattern alone");
        assertEquals("none: it ended before its task was planned", pattern(ProgressMessage.of(new ExecutionStatusEvent(
                now, ExecutionStatusEvent.FINISHED, "e-1", AutonomousOrchestrator.NOT_PLANNED_PATTERN,
                ExecutionStatus.CANCELLED, "cancelled by request", "acme", "task", null), none, decisions)));
        assertNull(pattern(ProgressMessage.of(new ExecutionStatusEvent(now, ExecutionStatusEvent.FINISHED, "e-1",
                "direct", ExecutionStatus.SUCCEEDED, null, "acme", "task", null), none, decisions)),
                "a pattern's: nothing to say");
    }

    private static String pattern(String message) throws Exception {
        JsonNode pattern = new ObjectMapper().readTree(message).get("pattern");
        return pattern == null ? null : pattern.asText();
    }

    @Test
    void aProviderFallbackSaysWhatFailedWhyAndWhatIsCalledInstead() {
        String text = ProgressMessage.describe(new LlmFallbackEvent(Instant.parse("2026-12-04T10:00:00Z"), "e-1",
                "pfail", "scripted-1", ProviderError.Category.SERVER, "upstream 503 mid-run", "pbackup", "scripted-1",
                null));

        assertEquals("LLM call to pfail/scripted-1 failed (SERVER: upstream 503 mid-run); falling back to "
                + "pbackup/scripted-1", text);
    }

    @Test
    void aModelCallSaysWhichProviderAndModelAndHowItWent() {
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        assertEquals("model call pfail/scripted-1 failed: SERVER: upstream 503 mid-run in 40 ms",
                ProgressMessage.describe(new LlmCallEvent(at, "e-1", "pfail", "scripted-1", 1, false, false, null,
                        null, Duration.ofMillis(40), "SERVER: upstream 503 mid-run")));
        assertEquals("model call pbackup/scripted-1 (attempt 2) in 25 ms",
                ProgressMessage.describe(new LlmCallEvent(at, "e-1", "pbackup", "scripted-1", 2, false, true, null,
                        null, Duration.ofMillis(25), null)));
    }

    @Test
    void theAgentsPlannedAreCountedInWords() {
        PlannedAgent files = new PlannedAgent(AgentSpec.of("files", "You handle files", "filesystem"),
                AgentRole.SPECIALIST, Set.of("file_read"), "covers the file capabilities");
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        assertEquals("1 agent", ProgressMessage.describe(new AgentsPlannedEvent(at, "e-1",
                new AgentPlan(List.of(files), Set.of(), Set.of()))));
        assertEquals("2 agents", ProgressMessage.describe(new AgentsPlannedEvent(at, "e-1",
                new AgentPlan(List.of(files, files), Set.of(), Set.of()))));
    }

    @Test
    void anAnalysisSaysHowLongItTookAndWhatItCost() {
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        TaskAnalysis analysis = new TaskAnalysis(TaskType.CODING, Complexity.MODERATE, 3, Set.of(), 0.8, "direct",
                "writes code", "llm", 0.8);
        Task task = new Task("write a parser", "acme", null);

        assertEquals("CODING, MODERATE complexity in 1500 ms, 0.0003 USD", ProgressMessage.describe(
                new TaskAnalyzedEvent(at, "e-1", task, analysis, Usage.of(30, 8), new BigDecimal("0.00030"),
                        Duration.ofMillis(1500))));
        // from the cache: no time, no cost; a provider's negative cost counts as none, as in the record
        assertEquals("CODING, MODERATE complexity", ProgressMessage.describe(
                new TaskAnalyzedEvent(at, "e-1", task, analysis, Usage.NONE, BigDecimal.ZERO, Duration.ZERO)));
        assertEquals("CODING, MODERATE complexity in 20 ms", ProgressMessage.describe(
                new TaskAnalyzedEvent(at, "e-1", task, analysis, Usage.NONE, new BigDecimal("-0.01"),
                        Duration.ofMillis(20))));
    }

    @Test
    void anAnalysisThatEndedUnfinishedSaysWhatItBilledAndWhyItEnded() throws Exception {
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        assertEquals("analysis ended unfinished, billed 38 tokens, 0.0003 USD: cancelled by request",
                ProgressMessage.describe(new AnalysisUnfinishedEvent(at, "e-1", Usage.of(30, 8),
                        new BigDecimal("0.00030"), "cancelled by request")));
        // a provider's negative cost counts as none, as in the record; no reason given: none said
        assertEquals("analysis ended unfinished, billed 12 tokens", ProgressMessage.describe(
                new AnalysisUnfinishedEvent(at, "e-1", Usage.of(12, 0), new BigDecimal("-0.01"), null)));

        String line = ProgressMessage.of(new AnalysisUnfinishedEvent(at, "e-1", Usage.of(30, 8), BigDecimal.ZERO,
                "no analyzer answered: key sk-abcdefghijklmnopqrstuvwxyz123456 refused"),
                SecretMasker.orPatterns(null), id -> null);
        JsonNode message = new ObjectMapper().readTree(line);
        assertEquals(AnalysisUnfinishedEvent.TYPE, message.get("type").asText());
        assertEquals("analysis ended unfinished, billed 38 tokens: no analyzer answered: key [redacted] refused",
                message.get("text").asText(), "the reason masked, as an error is");
    }
}
