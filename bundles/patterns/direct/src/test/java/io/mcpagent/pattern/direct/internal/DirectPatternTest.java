package io.mcpagent.pattern.direct.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class DirectPatternTest {
    private static final String TASK = "list the files in the project";
    private final DirectPattern pattern = Configs.pattern();
    private final TestWorkflowContext context = new TestWorkflowContext("exec-7");

    @Test
    void runsTheOnlyWorkerOnceOnTheTaskAndReturnsItsOutput() throws Exception {
        context.script("lister", "a.txt, b.txt");

        ExecutionResult result = pattern.execute(request(List.of(agent("lister")), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("a.txt, b.txt", result.output());
        assertNull(result.error());
        assertEquals("exec-7", result.executionId());
        assertEquals("direct", result.patternId());
        assertFalse(result.finished().isBefore(result.started()));
        assertEquals(1, context.runs().size());
        assertEquals(TASK, context.runs("lister").get(0).input());
        JsonNode decision = onlyDecision();
        assertEquals("lister", decision.path("worker").asText());
        assertEquals("agent", decision.path("kind").asText());
        assertEquals("the request's only worker", decision.path("reason").asText());
    }

    @Test
    void optionWorkerPicksTheWorkerItNames() throws Exception {
        context.script("second", "from second");

        ExecutionResult result = pattern.execute(request(List.of(agent("first"), agent("second"), agent("third")),
                Map.of("worker", "second")), context);

        assertEquals("from second", result.output());
        assertEquals(List.of("second"), context.runs().stream().map(run -> run.agent()).toList());
        assertEquals("named by option 'worker'", onlyDecision().path("reason").asText());
    }

    @Test
    void withoutOptionTheFirstOfSeveralWorkersRuns() throws Exception {
        context.script("first", "from first");

        ExecutionResult result = pattern.execute(request(List.of(agent("first"), agent("second")), Map.of()), context);

        assertEquals("from first", result.output());
        assertEquals(List.of("first"), context.runs().stream().map(run -> run.agent()).toList());
        assertTrue(onlyDecision().path("reason").asText().contains("first of 2"));
    }

    @Test
    void aWorkerOptionNamingNoWorkerFailsNamingItAndTheWorkers() {
        ExecutionResult result = pattern.execute(request(List.of(agent("first"), agent("second")),
                Map.of("worker", "fourth")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().contains("'fourth'") && result.error().contains("first, second"), result.error());
        assertTrue(context.runs().isEmpty());
        assertTrue(context.events().isEmpty(), "nothing ran: " + context.events());
    }

    @Test
    void withoutWorkersItCreatesOneAgentFromTheOptions() throws Exception {
        context.script("assistant", "done");

        ExecutionResult result = pattern.execute(request(List.of(), Map.of("instruction", "You list files.",
                "servers", " filesystem, ,git ,filesystem", "provider", "anthropic-main", "model", "claude-x")), context);

        assertEquals("done", result.output());
        AgentSpec spec = context.runs("assistant").get(0).spec();
        assertEquals("You list files.", spec.instruction());
        assertEquals(List.of("filesystem", "git"), spec.servers());
        assertEquals("anthropic-main", spec.model().providerId());
        assertEquals("claude-x", spec.model().model());
        assertEquals(TASK, context.runs("assistant").get(0).input());
        JsonNode decision = onlyDecision();
        assertEquals("assistant", decision.path("worker").asText());
        assertEquals("filesystem", decision.path("servers").get(0).asText());
    }

    @Test
    void theCreatedAgentUsesTheConfiguredDefaultsAndAnyModelWhenOptionsAreAbsent() {
        DirectPattern configured = new DirectPattern(Configs.config(Map.of("instruction", "Be brief.",
                "servers", new String[] {"memory"})));
        context.script("assistant", "ok");

        configured.execute(request(List.of(), Map.of()), context);

        AgentSpec spec = context.runs("assistant").get(0).spec();
        assertEquals("Be brief.", spec.instruction());
        assertEquals(List.of("memory"), spec.servers());
        assertEquals(ModelRequirements.ANY, spec.model());
    }

    @Test
    void aBlankConfiguredInstructionFallsBackToTheGeneralOne() {
        context.script("assistant", "ok");

        new DirectPattern(Configs.config(Map.of("instruction", " "))).execute(request(List.of(), Map.of()), context);

        assertEquals(DirectPattern.GENERAL_INSTRUCTION, context.runs("assistant").get(0).spec().instruction());
    }

    @Test
    void aChangedConfigurationAppliesToLaterExecutions() {
        context.script("assistant", "one", "two");
        pattern.execute(request(List.of(), Map.of()), context);

        pattern.modified(Configs.config(Map.of("instruction", "New instruction.", "servers", new String[] {"web"})));
        pattern.execute(request(List.of(), Map.of()), context);

        assertEquals(DirectPattern.GENERAL_INSTRUCTION, context.runs().get(0).spec().instruction());
        assertEquals(List.of(), context.runs().get(0).spec().servers());
        assertEquals("New instruction.", context.runs().get(1).spec().instruction());
        assertEquals(List.of("web"), context.runs().get(1).spec().servers());
    }

    @Test
    void aBlankConfiguredServerIdIsRefusedAndTheSettingsInForceStay() {
        DirectPattern configured = new DirectPattern(Configs.config(Map.of("servers", new String[] {"web", " "})));
        assertEquals(List.of("configuration io.mcpagent.pattern.direct (etc/io.mcpagent.pattern.direct.cfg.json) is "
                + "refused: servers[1] must be an MCP server plugin id, was blank; the defaults are in force until it "
                + "is repaired"), configured.problems().stream().map(Problem::message).toList());
        assertEquals("config", configured.problems().get(0).source());
        configured.modified(Configs.config(Map.of("instruction", "Kept.", "servers", new String[] {"git"})));
        assertTrue(configured.problems().isEmpty(), "a valid configuration clears the refusal");
        context.script("assistant", "ok");

        configured.modified(Configs.config(Map.of("instruction", "Refused.", "servers", new String[] {"", "web"})));
        configured.execute(request(List.of(), Map.of()), context);

        assertEquals("Kept.", context.runs().get(0).spec().instruction(), "the previous settings stay in force");
        assertEquals(List.of("git"), context.runs().get(0).spec().servers());
        assertTrue(configured.problems().get(0).message().contains("servers[0] must be an MCP server plugin id, was "
                + "blank; the previous settings stay in force"), configured.problems().get(0).message());
    }

    @Test
    void agentOptionsDoNotChangeAWorkerTheRequestBrings() {
        context.script("lister", "ok");

        pattern.execute(request(List.of(agent("lister")), Map.of("instruction", "ignored", "model", "other")), context);

        AgentSpec spec = context.runs("lister").get(0).spec();
        assertEquals("List things.", spec.instruction());
        assertEquals(ModelRequirements.ANY, spec.model());
    }

    @Test
    void aFailingAgentFailsTheExecutionNamingTheWorkerAndWhy() {
        context.script("lister", Reply.fail("model unavailable"));

        ExecutionResult result = pattern.execute(request(List.of(agent("lister")), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertNull(result.output());
        assertEquals("worker 'lister' failed: model unavailable", result.error());
    }

    @Test
    void anEmptyAnswerFailsTheExecutionSayingSo() {
        context.script("lister", "  ");

        ExecutionResult result = pattern.execute(request(List.of(agent("lister")), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertNull(result.output());
        assertEquals("worker 'lister' answered with empty text", result.error());
    }

    @Test
    void aFailingFunctionFailsTheExecutionNamingTheFunction() {
        Worker broken = new Worker.FunctionWorker("parse", "", input -> {
            throw new IllegalStateException("bad input");
        });

        ExecutionResult result = pattern.execute(request(List.of(broken), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("worker 'parse' failed: ") && result.error().contains("bad input"),
                result.error());
    }

    @Test
    void aFunctionWorkerRunsOnTheTask() {
        Worker upper = new Worker.FunctionWorker("upper", "", String::toUpperCase);

        ExecutionResult result = pattern.execute(request(List.of(upper), Map.of()), context);

        assertEquals(TASK.toUpperCase(), result.output());
        assertEquals("function", context.events().stream().filter(PatternEvent.class::isInstance)
                .map(event -> ((PatternEvent) event).detail()).findFirst().map(DirectPatternTest::json)
                .orElseThrow().path("kind").asText());
    }

    @Test
    void aNestedPatternWorkerRunsWithItsOwnWorkersAndItsUsageIsCounted() {
        context.pattern("direct", pattern);
        context.pattern("fixed", new FixedAnswerPattern("fixed", "inner", Usage.of(30, 12)));
        Worker nested = new Worker.PatternWorker("inner-direct", "a nested direct pattern", "direct",
                List.of(new Worker.PatternWorker("leaf", "", "fixed", List.of(), Map.of())), Map.of());

        ExecutionResult result = pattern.execute(request(List.of(nested), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("inner: " + TASK, result.output());
        assertEquals(Usage.of(30, 12), result.usage());
        assertEquals(2, context.events().stream().filter(PatternEvent.class::isInstance).count(),
                "one decision per direct pattern: " + context.events());
    }

    @Test
    void aNestedPatternThatIsNotInstalledFailsNamingTheWorker() {
        Worker nested = new Worker.PatternWorker("planner", "", "orchestrator", List.of(), Map.of());

        ExecutionResult result = pattern.execute(request(List.of(nested), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("worker 'planner' failed: ") && result.error().contains("orchestrator"),
                result.error());
    }

    @Test
    void aCancelledExecutionRunsNothing() {
        context.script("lister", "never");
        context.cancel();

        ExecutionResult result = pattern.execute(request(List.of(agent("lister")), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertTrue(result.error().contains("'lister'"), result.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void cancellingWhileTheWorkerRunsEndsCancelledNamingTheWorker() {
        context.respond("lister", input -> {
            context.cancel();
            return new Reply.Stop(AgentOutcome.CANCELLED, "cancelled");
        });

        ExecutionResult result = pattern.execute(request(List.of(agent("lister")), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("worker 'lister' was cancelled: cancelled", result.error());
    }

    @Test
    void cancellationDuringAFailingWorkerCountsAsCancellation() {
        AtomicInteger calls = new AtomicInteger();
        Worker cancelling = new Worker.FunctionWorker("stopper", "", input -> {
            calls.incrementAndGet();
            context.cancel();
            throw new IllegalStateException("interrupted");
        });

        ExecutionResult result = pattern.execute(request(List.of(cancelling), Map.of()), context);

        assertEquals(1, calls.get());
        assertEquals(ExecutionStatus.CANCELLED, result.status());
    }

    @Test
    void anInterruptedThreadCountsAsCancelledAndStaysInterrupted() {
        context.script("lister", "never");
        Thread.currentThread().interrupt();
        try {
            ExecutionResult result = pattern.execute(request(List.of(agent("lister")), Map.of()), context);
            assertEquals(ExecutionStatus.CANCELLED, result.status());
            assertTrue(Thread.currentThread().isInterrupted());
            assertTrue(context.runs().isEmpty());
        } finally {
            Thread.interrupted();
        }
    }

    private JsonNode onlyDecision() {
        List<PatternEvent> decisions = context.events().stream().filter(PatternEvent.class::isInstance)
                .map(PatternEvent.class::cast).toList();
        assertEquals(1, decisions.size(), "one decision: " + decisions);
        PatternEvent decision = decisions.get(0);
        assertEquals("exec-7", decision.executionId());
        assertEquals("direct", decision.pattern());
        assertEquals("worker", decision.step());
        return json(decision.detail());
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static Worker agent(String name) {
        return new Worker.AgentWorker(AgentSpec.of(name, "List things."), null);
    }

    private static WorkflowRequest request(List<Worker> workers, Map<String, String> options) {
        return new WorkflowRequest(Task.of(TASK), null, workers, options);
    }
}
