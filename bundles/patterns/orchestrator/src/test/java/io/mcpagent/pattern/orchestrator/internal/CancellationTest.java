package io.mcpagent.pattern.orchestrator.internal;

import static io.mcpagent.pattern.orchestrator.internal.Fixtures.events;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.request;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.workersStarted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class CancellationTest {
    private static final String TWO_STEPS = """
            {"steps":[{"tasks":[{"worker":"first","instruction":"go"}]},{"tasks":[{"worker":"second","instruction":"go"}]}]}""";
    private final OrchestratorPattern pattern = new OrchestratorPattern(Fixtures.DEFAULTS);
    private final TestWorkflowContext context = new TestWorkflowContext("cancel-1");
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);

    /** Blocks until interrupted, as a worker stuck on a slow call would. */
    private final Worker stuck = new Worker.FunctionWorker("first", "", input -> {
        started.countDown();
        try {
            Thread.sleep(60_000);
            return "woke up";
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw new IllegalStateException("interrupted");
        }
    });
    private final Worker second = new Worker.FunctionWorker("second", "", input -> "second ran");

    @Test
    void cancellingBetweenStepsRunsNoFurtherStepAndNoSynthesis() {
        Worker cancelling = new Worker.FunctionWorker("first", "", input -> {
            context.cancel();
            return "done, then cancelled";
        });
        context.script(Prompts.PLANNER, TWO_STEPS);
        context.script(Prompts.SYNTHESIZER, "never");

        ExecutionResult result = pattern.execute(request("t", List.of(cancelling, second), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("the execution was cancelled during step 1", result.error());
        assertEquals(List.of("first"), workersStarted(context));
        assertTrue(context.runs(Prompts.SYNTHESIZER).isEmpty());
        JsonNode finished = events(context, "step").get(1);
        assertEquals("the execution was cancelled during step 1", finished.get("stoppedBy").asText());
    }

    @Test
    void cancellingDuringAStepEndsPromptlyAndInterruptsItsTasks() throws Exception {
        context.script(Prompts.PLANNER, TWO_STEPS);
        CompletableFuture<ExecutionResult> running = CompletableFuture.supplyAsync(
                () -> pattern.execute(request("t", List.of(stuck, second), Map.of()), context));
        assertTrue(started.await(5, TimeUnit.SECONDS));

        context.cancel();
        ExecutionResult result = running.get(5, TimeUnit.SECONDS);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("the execution was cancelled during step 1", result.error());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the stuck task was interrupted");
        assertEquals(List.of("first"), workersStarted(context));
        assertEquals("CANCELLED", events(context, "step").get(1).at("/tasks/0/status").asText());
    }

    @Test
    void interruptingTheExecutingThreadEndsCancelledAndKeepsTheInterrupt() throws Exception {
        context.script(Prompts.PLANNER, TWO_STEPS);
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        CompletableFuture<ExecutionResult> outcome = new CompletableFuture<>();
        Thread executing = Thread.ofVirtual().start(() -> {
            outcome.complete(pattern.execute(request("t", List.of(stuck, second), Map.of()), context));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));

        executing.interrupt();
        ExecutionResult result = outcome.get(5, TimeUnit.SECONDS);
        assertTrue(executing.join(Duration.ofSeconds(5)));

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertTrue(result.error().contains("step 1"), result.error());
        assertTrue(stillInterrupted.get(), "the interrupt is left for the caller to see");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS));
    }

    @Test
    void cancellingWhileThePlannerWorksRunsNoWorker() {
        context.respond(Prompts.PLANNER, input -> {
            context.cancel();
            return Reply.answer(TWO_STEPS);
        });

        ExecutionResult result = pattern.execute(request("t", List.of(second), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("the execution was cancelled while the planner worked", result.error());
        assertTrue(workersStarted(context).isEmpty());
    }

    @Test
    void cancellingDuringTheSynthesisEndsCancelled() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"tasks":[{"worker":"second","instruction":"go"}]}]}""");
        context.respond(Prompts.SYNTHESIZER, input -> {
            context.cancel();
            return Reply.answer("too late");
        });

        ExecutionResult result = pattern.execute(request("t", List.of(second), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("the execution was cancelled during the synthesis", result.error());
    }

    @Test
    void cancellingAnIterativeRunStopsPlanning() {
        Worker cancelling = new Worker.FunctionWorker("first", "", input -> {
            context.cancel();
            return "done, then cancelled";
        });
        context.respond(Prompts.PLANNER, input -> Reply.answer(
                "{\"done\":false,\"step\":{\"tasks\":[{\"worker\":\"first\",\"instruction\":\"go\"}]}}"));

        ExecutionResult result = pattern.execute(request("t", List.of(cancelling), Map.of("mode", "iterative")), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals(1, context.runs(Prompts.PLANNER).size());
    }
}
