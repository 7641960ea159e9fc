package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;

class AutonomousJsonTest {
    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
    /** A provider's wrong report: negative counts, an output beyond what is counted, more 1h writes than writes. */
    private static final Usage WRONG = new Usage(-5, -1, 3, 7, 2 * Usage.MAX_COUNTED_TOKENS, -2, -3, Map.of());
    private static final BigDecimal NEGATIVE_COST = new BigDecimal("-0.02");

    /** The usage of WRONG as the history's steps and totals count it (Usage.counted), as JSON text. */
    private static String countedUsage() {
        return "{\"inputTokens\":0,\"outputTokens\":" + Usage.MAX_COUNTED_TOKENS + ","
                + "\"cachedReadTokens\":0,\"cacheWriteTokens\":3,\"cacheWrite1hTokens\":3,\"reasoningTokens\":0,"
                + "\"toolPromptTokens\":0,"
                + "\"totalTokens\":" + Usage.MAX_COUNTED_TOKENS + "}";
    }

    @Test
    void agentEventShowsTheUsageAndCostTheRecordCounts() {
        JsonNode node = AutonomousJson.event(new AgentEvent(T, AgentEvent.LLM_FINISHED, "e-1", "files", 1, "m",
                Duration.ofMillis(5), WRONG, NEGATIVE_COST, false, ""));

        assertEquals(countedUsage(), node.get("usage").toString());
        assertEquals(0, node.get("costUsd").decimalValue().signum(), node.toString());
    }

    @Test
    void analyzedEventShowsTheUsageAndCostTheRecordCounts() {
        TaskAnalysis analysis = new TaskAnalysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of(), 0.9,
                "direct", "one question", "llm", 0.9);
        JsonNode node = AutonomousJson.event(new TaskAnalyzedEvent(T, "e-1", new Task("what?", "acme", null),
                analysis, WRONG, NEGATIVE_COST, Duration.ofMillis(5)));

        assertEquals(countedUsage(), node.get("usage").toString());
        assertEquals(0, node.get("costUsd").decimalValue().signum(), node.toString());
    }

    @Test
    void llmCallEventShowsTheUsageAndCostTheRecordCounts() {
        JsonNode node = AutonomousJson.event(new LlmCallEvent(T, "e-1", "p", "m", 1, false, true, WRONG,
                NEGATIVE_COST, Duration.ofMillis(5), null));

        assertEquals(countedUsage(), node.get("usage").toString());
        assertEquals(0, node.get("costUsd").decimalValue().signum(), node.toString());
    }

    @Test
    void llmCallEventWritesItsCostAsTheRecordDoesWithoutTrailingZeros() {
        JsonNode failed = AutonomousJson.event(new LlmCallEvent(T, "e-1", "pa", "m1", 1, false, false, Usage.NONE,
                new BigDecimal("0E-7"), Duration.ofMillis(5), "TIMEOUT: provider 'pa': no answer within the timeout"));
        JsonNode answered = AutonomousJson.event(new LlmCallEvent(T, "e-1", "pb", "m1", 2, false, true,
                Usage.of(1000, 50), new BigDecimal("0.0031500"), Duration.ofMillis(5), null));

        assertEquals("0", failed.get("costUsd").toString());
        assertEquals("0.00315", answered.get("costUsd").toString());
    }

    @Test
    void finishedEventShowsTheResultUsageTheRecordCounts() {
        ExecutionResult result = new ExecutionResult("e-1", "direct", ExecutionStatus.SUCCEEDED, "done", null, WRONG,
                T, T, List.of());
        JsonNode node = AutonomousJson.event(new ExecutionStatusEvent(T, ExecutionStatusEvent.FINISHED, "e-1",
                "direct", ExecutionStatus.SUCCEEDED, null, "acme", "what?", result));

        assertEquals(countedUsage(), node.get("result").get("usage").toString());
    }

    @Test
    void countedFiguresPassUnchanged() {
        Usage usage = new Usage(12, 4, 2, 1, 3, 1, 5, Map.of());
        JsonNode node = AutonomousJson.event(new LlmCallEvent(T, "e-1", "p", "m", 1, false, true, usage,
                new BigDecimal("0.0003"), Duration.ofMillis(5), null));

        assertEquals("{\"inputTokens\":12,\"outputTokens\":3,\"cachedReadTokens\":4,\"cacheWriteTokens\":2,"
                + "\"cacheWrite1hTokens\":1,\"reasoningTokens\":1,\"toolPromptTokens\":5,\"totalTokens\":20}", node.get("usage").toString());
        assertEquals(new BigDecimal("0.0003"), node.get("costUsd").decimalValue());
    }

    /** The history keeps costs to 10 decimals (NUMERIC(20, 10)): a live reader sees the figure the record will show. */
    @Test
    void costIsWrittenAsTheHistoryStoresIt() {
        assertEquals("0.0001234568", costOfCall("0.000123456789012345"));
        assertEquals("0.0015", costOfCall("0.00150000"));
        assertEquals("0", costOfCall("0.00000000001"));
        assertEquals("1200", costOfCall("1.2E+3"));
        assertEquals("9999999999.9999999999", costOfCall("1E+30"));
        assertEquals("9999999999.9999999999", costOfCall("9999999999.99999999999"));
    }

    private static String costOfCall(String cost) {
        return AutonomousJson.event(new LlmCallEvent(T, "e-1", "p", "m", 1, false, true, Usage.NONE,
                new BigDecimal(cost), Duration.ofMillis(5), null)).get("costUsd").decimalValue().toPlainString();
    }
}
