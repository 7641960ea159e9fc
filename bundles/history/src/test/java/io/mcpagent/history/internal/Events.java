package io.mcpagent.history.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;

/** Events as the platform publishes them, for the tests. */
final class Events {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private Events() {
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static ExecutionStatusEvent started(String id, Instant at, String tenant, String task, String pattern) {
        return new ExecutionStatusEvent(at, ExecutionStatusEvent.STARTED, id, pattern, ExecutionStatus.RUNNING, null,
                tenant, task, null);
    }

    /** An execution that starts waiting for admission. */
    static ExecutionStatusEvent queued(String id, Instant at, String tenant, String task, String pattern) {
        return new ExecutionStatusEvent(at, ExecutionStatusEvent.STARTED, id, pattern, ExecutionStatus.QUEUED, null,
                tenant, task, null);
    }

    static ExecutionStatusEvent statusChanged(String id, Instant at, ExecutionStatus status) {
        return new ExecutionStatusEvent(at, ExecutionStatusEvent.STATUS_CHANGED, id, "direct", status, null, "acme",
                "the task", null);
    }

    static ExecutionStatusEvent finished(String id, Instant started, Instant finished, ExecutionStatus status,
                                         String output, String error, Usage usage, String pattern) {
        return finished(id, started, finished, status, output, error, usage, pattern, List.of());
    }

    static ExecutionStatusEvent finished(String id, Instant started, Instant finished, ExecutionStatus status,
                                         String output, String error, Usage usage, String pattern,
                                         List<String> warnings) {
        ExecutionResult result = new ExecutionResult(id, pattern, status, output, error, usage, started, finished,
                warnings);
        return new ExecutionStatusEvent(finished, ExecutionStatusEvent.FINISHED, id, pattern, status, error, "acme",
                "the task", result);
    }

    static ExecutionStatusEvent succeeded(String id, Instant started, Instant finished) {
        return finished(id, started, finished, ExecutionStatus.SUCCEEDED, "done", null, Usage.NONE, "direct");
    }

    static AgentEvent llmFinished(String id, Instant at, String agent, int iteration, Usage usage, String cost) {
        return new AgentEvent(at, AgentEvent.LLM_FINISHED, id, agent, iteration, "openai/gpt-5", Duration.ofMillis(1200),
                usage, new BigDecimal(cost), false, "answered with 1 tool call");
    }

    static AgentEvent toolFinished(String id, Instant at, String agent, String tool, boolean error, String detail) {
        return new AgentEvent(at, AgentEvent.TOOL_FINISHED, id, agent, 1, tool, Duration.ofMillis(300), null, null,
                error, detail);
    }

    static TaskAnalysis analysis() {
        return new TaskAnalysis(TaskType.RESEARCH, Complexity.COMPLEX, 4, Set.of("web-search", "filesystem"), 0.82,
                "orchestrator", "several sources, then a synthesis", "heuristic");
    }

    static TaskAnalyzedEvent analyzed(String id, Instant at) {
        return new TaskAnalyzedEvent(at, id, new Task("research the market", "acme", Map.of()), analysis());
    }

    static StrategyRecommendation decision() {
        return new StrategyRecommendation("orchestrator", 0.77, "multi-step research with synthesis",
                Set.of("brave-search"), Complexity.COMPLEX, List.of(new StrategyAlternative("parallel", 0.61,
                "independent sources"), new StrategyAlternative("direct", 0.2, "too many steps")), 0.83);
    }

    static StrategyDecidedEvent decided(String id, Instant at) {
        return new StrategyDecidedEvent(at, id, decision(), false);
    }

    static AgentsPlannedEvent planned(String id, Instant at) {
        AgentPlan plan = new AgentPlan(List.of(
                new PlannedAgent(AgentSpec.of("researcher", "Find sources.", "brave-search"), AgentRole.RESEARCHER,
                        Set.of("web-search"), "covers web-search"),
                new PlannedAgent(AgentSpec.of("writer", "Write the report."), AgentRole.CREATOR, Set.of(),
                        "writes the answer")),
                Set.of("brave-search"), Set.of("spreadsheets"), Map.of("sheets", "npx is not on the PATH"),
                List.of("the task names /tmp/notes, outside the roots of the MCP server files (/srv) ..."));
        return new AgentsPlannedEvent(at, id, plan);
    }

    /**
     * A plan whose JSON at the usual caps is well over 64 KB: five agents with long reasons and instructions, then
     * six failed installs with long errors.
     */
    static AgentPlan largePlan() {
        List<PlannedAgent> agents = IntStream.rangeClosed(1, 5).mapToObj(n -> new PlannedAgent(
                AgentSpec.of("agent-" + n, "Instruction " + n + ": " + "i".repeat(3_000), "server-" + n),
                AgentRole.SPECIALIST, Set.of("web_fetch"), "Reason " + n + ": " + "r".repeat(9_000))).toList();
        Map<String, String> failedInstalls = IntStream.rangeClosed(1, 6).boxed().collect(Collectors.toMap(
                n -> "catalog-" + n, n -> "npm error " + n + ": " + "e".repeat(9_000)));
        return new AgentPlan(agents, Set.of("server-1"), Set.of("payments"), failedInstalls);
    }
}
