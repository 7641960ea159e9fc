package io.mcpagent.pattern.orchestrator.internal;

import static io.mcpagent.pattern.orchestrator.internal.Fixtures.events;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.json;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.request;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.workersStarted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class OrchestratorPatternTest {
    private final OrchestratorPattern pattern = new OrchestratorPattern(Fixtures.DEFAULTS);
    private final TestWorkflowContext context = new TestWorkflowContext("exec-1");

    private static Worker echo(String name) {
        return new Worker.FunctionWorker(name, "Echoes its input", input -> name + " did: " + input);
    }

    private static Worker failing(String name, String message) {
        return new Worker.FunctionWorker(name, "Always fails", input -> {
            throw new IllegalStateException(message);
        });
    }

    private ExecutionResult run(List<Worker> workers, Map<String, String> options) {
        return pattern.execute(request("the task", workers, options), context);
    }

    @Test
    void theFirstStepGetsItsInstructionAndLaterStepsAlsoTheEarlierResults() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"gather","tasks":[{"worker":"a","instruction":"find facts"}]},
                          {"description":"use","tasks":[{"worker":"b","instruction":"write it up"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "final");
        List<String> inputs = new CopyOnWriteArrayList<>();
        Worker a = new Worker.FunctionWorker("a", "", input -> {
            inputs.add(input);
            return "the facts";
        });
        Worker b = new Worker.FunctionWorker("b", "", input -> {
            inputs.add(input);
            return "the write-up";
        });

        ExecutionResult result = run(List.of(a, b), Map.of());

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("find facts", inputs.get(0));
        assertTrue(inputs.get(1).startsWith("write it up\n\nResults of earlier steps:\n## Step 1: gather\n"), inputs.get(1));
        assertTrue(inputs.get(1).contains("### Task 1 (worker \"a\"): find facts\nSUCCEEDED\nthe facts"), inputs.get(1));
    }

    @Test
    void theTasksOfAStepRunAtTheSameTime() {
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        Worker left = new Worker.FunctionWorker("left", "", input -> meet(bothRunning, "left"));
        Worker right = new Worker.FunctionWorker("right", "", input -> meet(bothRunning, "right"));
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"both","tasks":[{"worker":"left","instruction":"x"},{"worker":"right","instruction":"y"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "done");

        ExecutionResult result = run(List.of(left, right), Map.of());

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        List<JsonNode> finished = events(context, "step").stream().filter(e -> e.get("phase").asText().equals("finished")).toList();
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED"), finished.get(0).get("tasks").findValuesAsText("status"),
                "each task waited for the other, which only works when they run in parallel");
    }

    private static String meet(CyclicBarrier barrier, String name) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
            return name;
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException(name + " never met its sibling task", e);
        }
    }

    @Test
    void aTaskForAWorkerThatDoesNotExistIsReportedToLaterStepsAndTheSynthesis() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"one","tasks":[{"worker":"ghost","instruction":"haunt"},{"worker":"a","instruction":"work"}]},
                          {"description":"two","tasks":[{"worker":"b","instruction":"go on"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "partial answer");

        ExecutionResult result = run(List.of(echo("a"), echo("b")), Map.of());

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("partial answer", result.output());
        String message = "no worker is named \"ghost\"; the workers are: a, b";
        JsonNode firstStep = events(context, "step").get(1);
        assertEquals("FAILED", firstStep.get("tasks").get(0).get("status").asText());
        assertEquals(message, firstStep.get("tasks").get(0).get("error").asText());
        assertEquals(1, firstStep.get("failed").asInt());
        assertEquals(List.of("a", "b"), workersStarted(context), "the missing worker is not run");
        assertTrue(context.runs(Prompts.SYNTHESIZER).get(0).input().contains("FAILED: " + message));
    }

    @Test
    void aTaskNoWorkerFitsIsReportedAsSuch() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"one","tasks":[{"worker":"","instruction":"fly to the moon"},{"worker":"a","instruction":"walk"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "could only walk");

        ExecutionResult result = run(List.of(echo("a")), Map.of());

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        String synthesisInput = context.runs(Prompts.SYNTHESIZER).get(0).input();
        assertTrue(synthesisInput.contains("### Task 1 (worker \"\"): fly to the moon\nFAILED: no worker fits this task"),
                synthesisInput);
    }

    @Test
    void whenEveryTaskFailsTheExecutionFailsNamingEachWithoutASynthesis() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"one","tasks":[{"worker":"broken","instruction":"try"},{"worker":"ghost","instruction":"haunt"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "an answer from nothing");

        ExecutionResult result = run(List.of(failing("broken", "disk full")), Map.of());

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("every task failed, so there is no result to answer from: step 1 task 1 (worker \"broken\"):"
                + " function 'broken' failed: disk full; step 1 task 2 (worker \"ghost\"): no worker is named"
                + " \"ghost\"; the workers are: broken", result.error());
        assertTrue(context.runs(Prompts.SYNTHESIZER).isEmpty(), "nothing to synthesize");
    }

    @Test
    void aFailingWorkerIsReportedAndTheRunGoesOn() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"one","tasks":[{"worker":"broken","instruction":"try"}]},
                          {"description":"two","tasks":[{"worker":"a","instruction":"carry on"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "answer despite the failure");

        ExecutionResult result = run(List.of(failing("broken", "disk full"), echo("a")), Map.of());

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(List.of("broken", "a"), workersStarted(context));
        assertTrue(context.runs(Prompts.SYNTHESIZER).get(0).input().contains("FAILED: function 'broken' failed: disk full"));
    }

    @Test
    void failFastEndsTheExecutionOnATaskForAMissingWorkerBeforeAnyTaskRuns() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"one","tasks":[{"worker":"a","instruction":"work"},{"worker":"ghost","instruction":"haunt"}]}]}""");

        ExecutionResult result = run(List.of(echo("a")), Map.of("failFast", "true"));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("step 1 task 2 (worker \"ghost\") failed, and failFast is set: no worker is named \"ghost\"; "
                + "the workers are: a", result.error());
        assertTrue(workersStarted(context).isEmpty(), "nothing ran: " + workersStarted(context));
        assertTrue(context.runs(Prompts.SYNTHESIZER).isEmpty());
        JsonNode finished = events(context, "step").get(1);
        assertEquals(result.error(), finished.get("stoppedBy").asText());
        assertEquals(List.of("CANCELLED", "FAILED"), finished.get("tasks").findValuesAsText("status"));
    }

    @Test
    void failFastStopsTheSiblingTasksAndTheLaterSteps() throws InterruptedException {
        CountDownLatch siblingInterrupted = new CountDownLatch(1);
        Worker slow = new Worker.FunctionWorker("slow", "", input -> {
            try {
                Thread.sleep(60_000);
                return "slept";
            } catch (InterruptedException e) {
                siblingInterrupted.countDown();
                throw new IllegalStateException("interrupted");
            }
        });
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"one","tasks":[{"worker":"slow","instruction":"wait"},{"worker":"broken","instruction":"fail"}]},
                          {"description":"two","tasks":[{"worker":"a","instruction":"never"}]}]}""");

        Instant start = Instant.now();
        ExecutionResult result = run(List.of(slow, failing("broken", "boom"), echo("a")), Map.of("failFast", "true"));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("step 1 task 2 (worker \"broken\") failed, and failFast is set: "),
                result.error());
        assertTrue(result.error().endsWith("boom"), result.error());
        assertTrue(Duration.between(start, Instant.now()).toSeconds() < 10, "did not wait for the slow task");
        assertTrue(siblingInterrupted.await(5, TimeUnit.SECONDS), "the slow sibling was interrupted");
        assertFalse(workersStarted(context).contains("a"), "step 2 never ran");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not JSON            | `Sure! Here is the plan`                                 | the planner's answer is not JSON",
            "an array            | `[]`                                                     | the plan must be a JSON object, was an array",
            "no steps            | `{\"plan\":[]}`                                          | the plan has no \"steps\"",
            "steps not an array  | `{\"steps\":\"read\"}`                                   | \"steps\" must be an array, was the string \"read\"",
            "empty steps         | `{\"steps\":[]}`                                         | \"steps\" is empty: the plan has no step",
            "a step not an object| `{\"steps\":[3]}`                                        | step 1 must be an object, was the number 3",
            "no tasks            | `{\"steps\":[{\"description\":\"x\"}]}`                  | step 1 has no \"tasks\"",
            "empty tasks         | `{\"steps\":[{\"description\":\"x\",\"tasks\":[]}]}`     | step 1: \"tasks\" is empty: the step has no task",
            "worker a number     | `{\"steps\":[{\"tasks\":[{\"worker\":7,\"instruction\":\"go\"}]}]}` | step 1 task 1: \"worker\" must be a string (a worker's name), was the number 7",
            "no worker           | `{\"steps\":[{\"tasks\":[{\"instruction\":\"go\"}]}]}`   | step 1 task 1 has no \"worker\"",
            "no instruction      | `{\"steps\":[{\"tasks\":[{\"worker\":\"a\"}]}]}`          | step 1 task 1 has no \"instruction\"",
            "blank instruction   | `{\"steps\":[{\"tasks\":[{\"worker\":\"a\",\"instruction\":\" \"}]}]}` | step 1 task 1: \"instruction\" is blank",
            "bad second step     | `{\"steps\":[{\"tasks\":[{\"worker\":\"a\",\"instruction\":\"go\"}]},{\"tasks\":{}}]}` | step 2: \"tasks\" must be an array, was an object",
    })
    void aMalformedPlanFailsNamingWhatIsWrongWithoutRunningAnyWorker(String name, String answer, String problem) {
        context.script(Prompts.PLANNER, answer);

        ExecutionResult result = run(List.of(echo("a")), Map.of());

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("the planner's plan is malformed: " + problem), result.error());
        assertTrue(result.error().endsWith("its answer was: " + answer), result.error());
        assertTrue(workersStarted(context).isEmpty());
        assertTrue(context.runs(Prompts.SYNTHESIZER).isEmpty());
        assertTrue(events(context, "plan").isEmpty(), "a malformed plan is not published as the plan");
    }

    @Test
    void aPlanWithMoreStepsThanMaxStepsFails() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"tasks":[{"worker":"a","instruction":"1"}]},{"tasks":[{"worker":"a","instruction":"2"}]},
                          {"tasks":[{"worker":"a","instruction":"3"}]}]}""");

        ExecutionResult result = run(List.of(echo("a")), Map.of("maxSteps", "2"));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("the planner's plan has 3 steps, more than maxSteps=2 allows", result.error());
        assertTrue(workersStarted(context).isEmpty());
        assertTrue(context.runs(Prompts.PLANNER).get(0).spec().instruction().contains("at most 2 sequential steps"));
    }

    @Test
    void aPlannerThatFailsFailsTheExecutionNamingThePlanner() {
        context.script(Prompts.PLANNER, Reply.fail("model unavailable"));

        ExecutionResult result = run(List.of(echo("a")), Map.of());

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("the planner agent 'orchestrator-planner' did not plan: FAILED: model unavailable", result.error());
    }

    @Test
    void aSynthesisThatFailsOrSaysNothingFailsTheExecutionNamingTheSynthesisAgent() {
        String plan = """
                {"steps":[{"tasks":[{"worker":"a","instruction":"go"}]}]}""";
        context.script(Prompts.PLANNER, plan, plan);
        context.script(Prompts.SYNTHESIZER, Reply.fail("rate limited"), Reply.answer("  "));

        ExecutionResult failed = run(List.of(echo("a")), Map.of());
        ExecutionResult empty = run(List.of(echo("a")), Map.of());

        assertEquals(ExecutionStatus.FAILED, failed.status());
        assertEquals("the synthesis agent 'orchestrator-synthesizer' did not answer: FAILED: rate limited", failed.error());
        assertEquals("FAILED", events(context, "synthesis").get(0).get("status").asText());
        assertEquals("rate limited", events(context, "synthesis").get(0).get("error").asText());
        assertEquals(ExecutionStatus.FAILED, empty.status());
        assertEquals("the synthesis agent 'orchestrator-synthesizer' answered with empty text", empty.error());
    }

    @Test
    void withoutSynthesisTheOnlyTaskOfTheLastStepIsTheOutput() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"tasks":[{"worker":"a","instruction":"first"}]},{"tasks":[{"worker":"b","instruction":"last"}]}]}""");

        ExecutionResult result = run(List.of(echo("a"), echo("b")), Map.of("synthesize", "false"));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertTrue(result.output().startsWith("b did: last\n\nResults of earlier steps:"), result.output());
        assertTrue(context.runs(Prompts.SYNTHESIZER).isEmpty());
        assertTrue(events(context, "synthesis").isEmpty());
    }

    @Test
    void withoutSynthesisSeveralTasksOfTheLastStepAreAllInTheOutput() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"last","tasks":[{"worker":"a","instruction":"one"},{"worker":"broken","instruction":"two"}]}]}""");

        ExecutionResult result = run(List.of(echo("a"), failing("broken", "no luck")), Map.of("synthesize", "false"));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("""
                ## Step 1: last
                ### Task 1 (worker "a"): one
                SUCCEEDED
                a did: one

                ### Task 2 (worker "broken"): two
                FAILED: function 'broken' failed: no luck

                """, result.output());
    }

    @Test
    void withoutSynthesisALastStepWithoutASuccessFails() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"tasks":[{"worker":"a","instruction":"zero"}]},{"tasks":[{"worker":"broken","instruction":"one"}]}]}""");

        ExecutionResult result = run(List.of(echo("a"), failing("broken", "no luck")), Map.of("synthesize", "false"));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("no task of step 2, the last, succeeded, so there is no result to return (synthesize=false): "
                + "task 1: function 'broken' failed: no luck", result.error());
    }

    @Test
    void longResultsAreCutBeforeTheyReachLaterSteps() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"tasks":[{"worker":"long","instruction":"talk"}]},{"tasks":[{"worker":"a","instruction":"listen"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "ok");
        Worker talker = new Worker.FunctionWorker("long", "", input -> "x".repeat(500));

        ExecutionResult result = run(List.of(talker, echo("a")), Map.of("maxResultChars", "100"));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        String synthesisInput = context.runs(Prompts.SYNTHESIZER).get(0).input();
        assertTrue(synthesisInput.contains("x".repeat(100) + " [... 400 more characters cut by maxResultChars]"),
                synthesisInput);
        assertFalse(synthesisInput.contains("x".repeat(101)));
    }

    @Test
    void theOwnAgentsUseThePinnedModelAndAnsweringSchemasListingTheWorkers() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"tasks":[{"worker":"a","instruction":"go"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "ok");

        run(List.of(echo("a"), echo("b")), Map.of("provider", "anthropic", "model", "claude-test"));

        AgentSpec planner = context.runs(Prompts.PLANNER).get(0).spec();
        AgentSpec synthesizer = context.runs(Prompts.SYNTHESIZER).get(0).spec();
        for (AgentSpec spec : List.of(planner, synthesizer)) {
            assertEquals("anthropic", spec.model().providerId());
            assertEquals("claude-test", spec.model().model());
        }
        ResponseFormat.JsonSchema format = (ResponseFormat.JsonSchema) planner.responseFormat();
        assertTrue(format.strict());
        JsonNode worker = json(format.schemaJson()).at("/properties/steps/items/properties/tasks/items/properties/worker");
        List<String> names = new ArrayList<>();
        worker.get("enum").forEach(name -> names.add(name.asText()));
        assertEquals(List.of("a", "b", ""), names, "the planner can only name a worker, or none");
        assertEquals(new ResponseFormat.Text(), synthesizer.responseFormat());
    }

    @Test
    void withoutAPinnedModelItsOwnAgentsTakeAnyModel() {
        context.script(Prompts.PLANNER, """
                {"steps":[{"tasks":[{"worker":"a","instruction":"go"}]}]}""");
        context.script(Prompts.SYNTHESIZER, "ok");

        run(List.of(echo("a")), Map.of());

        assertEquals(ModelRequirements.ANY, context.runs(Prompts.PLANNER).get(0).spec().model());
        assertEquals(ModelRequirements.ANY, context.runs(Prompts.SYNTHESIZER).get(0).spec().model());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mode      | parallel | option mode must be 'full' or 'iterative', was 'parallel'",
            "maxSteps  | many     | option maxSteps must be a whole number, was 'many'",
            "maxSteps  | 0        | option maxSteps must be at least 1, was 0",
            "failFast  | yes      | option failFast must be true or false, was 'yes'",
            "synthesize| 1        | option synthesize must be true or false, was '1'",
            "maxResultChars | -5  | option maxResultChars must be at least 1, was -5",
            "maxContextChars | 0  | option maxContextChars must be at least 1, was 0",
    })
    void aBadOptionFailsTheExecutionNamingIt(String option, String value, String message) {
        ExecutionResult result = run(List.of(echo("a")), Map.of(option, value));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals(message, result.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void theConfigurationSetsTheDefaultsAndCanChangeLive() {
        OrchestratorPattern configured = new OrchestratorPattern(config("iterative", 3));
        context.script(Prompts.PLANNER, """
                {"done":false,"step":{"tasks":[{"worker":"a","instruction":"go"}]}}""", """
                {"done":true}""", """
                {"steps":[{"tasks":[{"worker":"a","instruction":"go"}]}]}""");
        context.otherwise(input -> Reply.answer("ok"));
        WorkflowRequest request = request("task", List.of(echo("a")), Map.of());

        assertEquals(ExecutionStatus.SUCCEEDED, configured.execute(request, context).status());
        configured.modified(config("full", 3));
        assertEquals(ExecutionStatus.SUCCEEDED, configured.execute(request, context).status());

        assertEquals(List.of("orchestrator_next_step", "orchestrator_next_step", "orchestrator_plan"),
                context.runs(Prompts.PLANNER).stream()
                        .map(run -> ((ResponseFormat.JsonSchema) run.spec().responseFormat()).name()).toList());
    }

    @Test
    void aRefusedConfigurationKeepsTheDefaultsInForceAndIsAProblemUntilRepaired() {
        OrchestratorPattern configured = new OrchestratorPattern(config("iterative", 0));
        assertEquals("configuration io.mcpagent.pattern.orchestrator (etc/io.mcpagent.pattern.orchestrator.cfg.json) is"
                + " refused: maxSteps must be at least 1, was 0; the defaults are in force until it is repaired",
                configured.problems().get(0).message());

        configured.modified(config("iterative", 3));
        assertTrue(configured.problems().isEmpty());
        configured.modified(config("sometimes", 3));
        assertTrue(configured.problems().get(0).message().contains("is refused: mode must be 'full' or 'iterative', "
                + "was 'sometimes'; the previous settings stay in force"), configured.problems().get(0).message());

        context.script(Prompts.PLANNER, """
                {"done":false,"step":{"tasks":[{"worker":"a","instruction":"go"}]}}""", """
                {"done":true}""");
        context.otherwise(input -> Reply.answer("ok"));
        assertEquals(ExecutionStatus.SUCCEEDED,
                configured.execute(request("task", List.of(echo("a")), Map.of()), context).status());
        assertEquals(List.of("orchestrator_next_step", "orchestrator_next_step"), context.runs(Prompts.PLANNER).stream()
                .map(run -> ((ResponseFormat.JsonSchema) run.spec().responseFormat()).name()).toList(),
                "still iterative");
    }

    @Test
    void aRefusedConfigurationNamesEveryWrongPropertyAtOnce() {
        OrchestratorPattern configured = new OrchestratorPattern(config("full", 0, 0));

        assertEquals("configuration io.mcpagent.pattern.orchestrator (etc/io.mcpagent.pattern.orchestrator.cfg.json) is"
                + " refused: maxResultChars must be at least 1, was 0; maxSteps must be at least 1, was 0; the defaults"
                + " are in force until it is repaired", configured.problems().get(0).message());
    }

    private static OrchestratorConfig config(String mode, int maxSteps) {
        return config(mode, maxSteps, 4000);
    }

    private static OrchestratorConfig config(String mode, int maxSteps, int maxResultChars) {
        return Fixtures.config(mode, Map.of(Settings.MAX_STEPS, maxSteps, Settings.MAX_RESULT_CHARS, maxResultChars));
    }

    @Test
    void aNestedOrchestratorRunsAsAWorkerAndItsUsageCounts() {
        context.pattern("orchestrator", new OrchestratorPattern(Fixtures.DEFAULTS));
        context.pattern("metered", new MeteredPattern());
        Worker team = new Worker.PatternWorker("research_team", "A team that researches a topic", "orchestrator",
                List.of(echo("librarian"), new Worker.PatternWorker("meter", "", "metered", List.of(), Map.of())),
                Map.of());
        context.respond(Prompts.PLANNER, input -> Reply.answer(input.startsWith("Task:\nthe task") ? """
                {"steps":[{"tasks":[{"worker":"research_team","instruction":"research tides"}]}]}""" : """
                {"steps":[{"tasks":[{"worker":"librarian","instruction":"find books on tides"},{"worker":"meter","instruction":"count"}]}]}"""));
        context.respond(Prompts.SYNTHESIZER, input -> Reply.answer(input.startsWith("Task:\nresearch tides")
                ? "inner: books found" : "outer: " + (input.contains("inner: books found") ? "used the team" : "no team")));

        ExecutionResult result = run(List.of(team), Map.of());

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("outer: used the team", result.output());
        List<String> started = workersStarted(context);
        assertEquals("research_team", started.get(0), "the team starts before its own workers");
        assertEquals(Set.of("librarian", "meter"), Set.copyOf(started.subList(1, started.size())),
                "the team's one step runs both of its workers, in parallel so in either order");
        assertEquals(3, started.size());
        assertEquals(2, context.runs(Prompts.PLANNER).size());
        assertEquals(Usage.of(100, 20), result.usage(), "the nested patterns' usage adds up");
    }

    /** A nested pattern that reports model usage, to see it summed. */
    private static final class MeteredPattern implements WorkflowPattern {
        @Override
        public String name() {
            return "metered";
        }

        @Override
        public double suitability(TaskAnalysis analysis) {
            return 0;
        }

        @Override
        public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
            return new ExecutionResult(context.executionId(), name(), ExecutionStatus.SUCCEEDED, "counted", null,
                    Usage.of(100, 20), Instant.now(), Instant.now());
        }
    }

    @Test
    void aRequestWithoutWorkersFailsWithoutCallingAModel() {
        ExecutionResult result = run(List.of(), Map.of());

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("the orchestrator has no workers to hand tasks to: give the request at least one worker", result.error());
        assertTrue(context.runs().isEmpty());
        assertNull(result.output());
    }

    @Test
    void isNamedOrchestrator() {
        assertEquals("orchestrator", pattern.name());
    }
}
