package io.mcpagent.pattern.orchestrator.internal;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;
import io.mcpagent.pattern.testkit.WorkflowPatternContract;

/** The platform's contract for patterns, run against the orchestrator with an agent and a function worker. */
class OrchestratorPatternContractTest extends WorkflowPatternContract {

    @Override
    protected WorkflowPattern pattern() {
        return new OrchestratorPattern(Fixtures.DEFAULTS);
    }

    @Override
    protected WorkflowRequest typicalRequest() {
        return new WorkflowRequest(Task.of("Count the words of a short poem about the sea"), null, List.of(
                new Worker.AgentWorker(AgentSpec.of("poet", "You write short poems."), "Writes poems"),
                new Worker.FunctionWorker("word_counter", "Counts the words of the earlier results",
                        input -> String.valueOf(input.split("\\s+").length))), Map.of());
    }

    @Override
    protected void scriptSuccess(TestWorkflowContext context) {
        context.script(Prompts.PLANNER, """
                {"steps":[{"description":"write","tasks":[{"worker":"poet","instruction":"Write a poem about the sea"}]},
                          {"description":"count","tasks":[{"worker":"word_counter","instruction":"Count the words"}]}]}""");
        context.script("poet", "The sea is wide and deep");
        context.script(Prompts.SYNTHESIZER, "The poem has 6 words.");
    }
}
