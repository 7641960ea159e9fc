package io.mcpagent.pattern.orchestrator.internal;

import static io.mcpagent.pattern.orchestrator.internal.Fixtures.events;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.request;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.workersStarted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class IterativeModeTest {
    private static final Map<String, String> ITERATIVE = Map.of("mode", "iterative");
    private final OrchestratorPattern pattern = new OrchestratorPattern(Fixtures.DEFAULTS);
    private final TestWorkflowContext context = new TestWorkflowContext("iter-1");
    private final List<Worker> workers = List.of(
            new Worker.FunctionWorker("search", "Searches the web", input -> "found: " + input.lines().findFirst().orElseThrow()),
            new Worker.FunctionWorker("write", "Writes text", input -> "written"));

    private static String step(String worker, String instruction) {
        return "{\"done\":false,\"step\":{\"description\":\"" + instruction + "\",\"tasks\":[{\"worker\":\"" + worker
                + "\",\"instruction\":\"" + instruction + "\"}]}}";
    }

    @Test
    void plansOneStepAtATimeFromTheResultsSoFarUntilThePlannerIsDone() {
        context.script(Prompts.PLANNER, step("search", "tides"), step("write", "an essay"), "{\"done\":true}");
        context.script(Prompts.SYNTHESIZER, "the essay");

        ExecutionResult result = pattern.execute(request("Write about tides", workers, ITERATIVE), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("the essay", result.output());
        assertEquals(List.of("search", "write"), workersStarted(context));
        List<String> inputs = context.runs(Prompts.PLANNER).stream().map(TestWorkflowContext.AgentRun::input).toList();
        assertEquals(3, inputs.size());
        assertTrue(inputs.get(0).contains("Results so far:\nNo step has run yet.\n\nSteps left: 8"), inputs.get(0));
        assertTrue(inputs.get(1).contains("## Step 1: tides") && inputs.get(1).contains("found: tides"), inputs.get(1));
        assertTrue(inputs.get(1).endsWith("Steps left: 7\n"), inputs.get(1));
        assertTrue(inputs.get(2).contains("## Step 2: an essay"), inputs.get(2));
        assertFalse(((ResponseFormat.JsonSchema) context.runs(Prompts.PLANNER).get(0).spec().responseFormat()).strict());

        List<JsonNode> plans = events(context, "plan");
        assertEquals(List.of(1, 2, 3), plans.stream().map(plan -> plan.get("round").asInt()).toList());
        assertEquals(List.of(false, false, true), plans.stream().map(plan -> plan.get("done").asBoolean()).toList());
        assertEquals("search", plans.get(0).at("/step/tasks/0/worker").asText());
        assertEquals(4, events(context, "step").size());
        assertFalse(context.runs(Prompts.SYNTHESIZER).get(0).input().contains("step limit"));
    }

    @Test
    void stopsAskingAtMaxStepsAndTellsTheSynthesis() {
        context.respond(Prompts.PLANNER, input -> Reply.answer(step("search", "more")));
        context.script(Prompts.SYNTHESIZER, "what we have");

        ExecutionResult result = pattern.execute(request("Research for ever", workers,
                Map.of("mode", "iterative", "maxSteps", "2")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(2, context.runs(Prompts.PLANNER).size());
        assertEquals(List.of("search", "search"), workersStarted(context));
        JsonNode last = events(context, "plan").get(2);
        assertTrue(last.get("done").asBoolean());
        assertEquals("the step limit maxSteps=2 was reached", last.get("reason").asText());
        assertTrue(context.runs(Prompts.SYNTHESIZER).get(0).input().contains(
                "Note: planning stopped at the step limit (2 steps) before the planner said the work was done."));
    }

    @Test
    void doneWithAStepBesideItEndsPlanning() {
        context.script(Prompts.PLANNER, step("search", "tides"),
                "{\"done\":true,\"step\":{\"tasks\":[{\"worker\":\"write\",\"instruction\":\"x\"}]}}");
        context.script(Prompts.SYNTHESIZER, "ok");

        ExecutionResult result = pattern.execute(request("t", workers, ITERATIVE), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(List.of("search"), workersStarted(context));
    }

    @Test
    void beingDoneBeforeAnyStepFails() {
        context.script(Prompts.PLANNER, "{\"done\":true}");

        ExecutionResult result = pattern.execute(request("t", workers, ITERATIVE), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("the planner said it was done before planning any step", result.error());
        assertTrue(context.runs(Prompts.SYNTHESIZER).isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{\"done\":\"yes\"}`                    | \"done\" must be true or false, was the string \"yes\"",
            "`{\"done\":false}`                      | the answer has neither \"done\": true nor a next \"step\"",
            "`{}`                                    | the answer has neither \"done\": true nor a next \"step\"",
            "`{\"done\":false,\"step\":[]}`          | the next step must be an object, was an array",
            "`{\"step\":{\"tasks\":[]}}`             | the next step: \"tasks\" is empty: the step has no task",
            "`[{\"done\":true}]`                     | the planner's answer must be a JSON object, was an array",
    })
    void aMalformedAnswerFailsNamingWhatIsWrong(String answer, String problem) {
        context.script(Prompts.PLANNER, step("search", "tides"), answer);

        ExecutionResult result = pattern.execute(request("t", workers, ITERATIVE), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("the planner's plan is malformed: " + problem + "; its answer was: " + answer, result.error());
        assertEquals(List.of("search"), workersStarted(context), "the first step ran, nothing after the bad answer");
    }

    @Test
    void aMissingWorkerIsReportedToTheNextPlanningRound() {
        context.script(Prompts.PLANNER, step("translator", "into French"), step("write", "it anyway"), "{\"done\":true}");
        context.script(Prompts.SYNTHESIZER, "ok");

        ExecutionResult result = pattern.execute(request("t", workers, ITERATIVE), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertTrue(context.runs(Prompts.PLANNER).get(1).input().contains(
                "FAILED: no worker is named \"translator\"; the workers are: search, write"));
    }
}
