package io.mcpagent.pattern.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowException;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * The tests every {@link WorkflowPattern} passes. Extend it in the pattern's test sources and say how to build the
 * pattern, a request it can complete, and the agent replies that make it succeed.
 */
public abstract class WorkflowPatternContract {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    /** A fresh pattern for each test. */
    protected abstract WorkflowPattern pattern();

    /** A request the pattern completes, with the workers it needs. */
    protected abstract WorkflowRequest typicalRequest();

    /** Scripts the agents {@link #typicalRequest()} involves (workers and the pattern's own) so that it succeeds. */
    protected abstract void scriptSuccess(TestWorkflowContext context);

    /** Runs the pattern; a {@link WorkflowException} is how a pattern may report failure, so it comes back as FAILED. */
    private static ExecutionResult execute(WorkflowPattern pattern, WorkflowRequest request, TestWorkflowContext context) {
        try {
            ExecutionResult result = pattern.execute(request, context);
            assertNotNull(result, "execute returns a result or throws WorkflowException, never null");
            return result;
        } catch (WorkflowException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a WorkflowException says what failed");
            return new ExecutionResult(context.executionId(), "", ExecutionStatus.FAILED, null, e.getMessage(), null,
                    null, null);
        }
    }

    @Test
    void itsNameIsAShortLowerCaseWord() {
        String name = pattern().name();
        assertTrue(name != null && NAME.matcher(name).matches(), "pattern name '" + name + "' matches " + NAME);
    }

    @Test
    void suitabilityIsWithinZeroAndOneForEveryKindOfTaskAndDoesNotChange() {
        WorkflowPattern pattern = pattern();
        for (TaskType type : TaskType.values()) {
            for (Complexity complexity : Complexity.values()) {
                for (String recommended : new String[] {null, pattern.name(), "some-other-pattern"}) {
                    TaskAnalysis analysis = new TaskAnalysis(type, complexity, 3, Set.of("filesystem"), 0.8,
                            recommended, "", "contract");
                    double score = pattern.suitability(analysis);
                    assertTrue(score >= 0.0 && score <= 1.0, "suitability " + score + " for " + analysis);
                    assertEquals(score, pattern.suitability(analysis), "suitability is a pure function");
                }
            }
        }
    }

    @Test
    void beingRecommendedNeverLowersSuitability() {
        WorkflowPattern pattern = pattern();
        for (TaskType type : TaskType.values()) {
            TaskAnalysis other = new TaskAnalysis(type, Complexity.MODERATE, 3, Set.of(), 0.9, "some-other-pattern", "", "contract");
            TaskAnalysis self = new TaskAnalysis(type, Complexity.MODERATE, 3, Set.of(), 0.9, pattern.name(), "", "contract");
            assertTrue(pattern.suitability(self) >= pattern.suitability(other), type.name());
        }
    }

    @Test
    void completesATypicalRequest() {
        TestWorkflowContext context = new TestWorkflowContext("contract-1");
        scriptSuccess(context);

        ExecutionResult result = execute(pattern(), typicalRequest(), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), "error: " + result.error());
        assertEquals("contract-1", result.executionId());
        assertFalse(result.output() == null || result.output().isBlank(), "a successful execution has an output");
    }

    @Test
    void aCancelledExecutionEndsCancelledWithoutRunningAgents() {
        TestWorkflowContext context = new TestWorkflowContext();
        scriptSuccess(context);
        context.cancel();

        ExecutionResult result = execute(pattern(), typicalRequest(), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status(), "error: " + result.error());
        assertTrue(context.runs().stream().noneMatch(run -> run.result().answered()), "no agent answered: " + context.runs());
    }

    @Test
    void failingAgentsFailTheExecutionWithAMessage() {
        TestWorkflowContext context = new TestWorkflowContext();
        context.otherwise(input -> Reply.fail("model unavailable"));

        ExecutionResult result = execute(pattern(), typicalRequest(), context);

        if (!context.runs().isEmpty()) { // a pattern that runs no agent has nothing to fail here
            assertEquals(ExecutionStatus.FAILED, result.status());
            assertFalse(result.error() == null || result.error().isBlank(), "a failed execution says why");
        }
    }

    @Test
    void aRequestWithoutWorkersIsHandledNotThrown() {
        TestWorkflowContext context = new TestWorkflowContext();
        context.otherwise(input -> Reply.answer("ok"));
        WorkflowRequest typical = typicalRequest();

        ExecutionResult result = execute(pattern(), new WorkflowRequest(typical.task(), typical.analysis(), List.of(),
                typical.options()), context);

        if (result.status() != ExecutionStatus.SUCCEEDED) {
            assertFalse(result.error() == null || result.error().isBlank(), "a failed execution says why");
        }
    }

    @Test
    void runsManyExecutionsAtOnce() throws Exception {
        WorkflowPattern pattern = pattern();
        List<Future<ExecutionResult>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                TestWorkflowContext context = new TestWorkflowContext("concurrent-" + i);
                scriptSuccess(context);
                results.add(threads.submit(() -> execute(pattern, typicalRequest(), context)));
            }
            for (int i = 0; i < results.size(); i++) {
                ExecutionResult result = results.get(i).get();
                if (result.status() != ExecutionStatus.SUCCEEDED) {
                    fail("execution " + i + " of 16 concurrent ones: " + result.status() + " " + result.error());
                }
                assertEquals("concurrent-" + i, result.executionId());
            }
        }
    }
}
