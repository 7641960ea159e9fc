package io.mcpagent.pattern.parallel.internal;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;
import io.mcpagent.pattern.testkit.WorkflowPatternContract;

/** The platform's contract tests for patterns, run against the parallel pattern. */
class ParallelPatternContractTest extends WorkflowPatternContract {

    @Override
    protected WorkflowPattern pattern() {
        return Configs.pattern();
    }

    @Override
    protected WorkflowRequest typicalRequest() {
        return new WorkflowRequest(Task.of("compare the two libraries"), null, List.of(
                new Worker.AgentWorker(AgentSpec.of("first", "Review the first library."), null),
                new Worker.AgentWorker(AgentSpec.of("second", "Review the second library."), null)), Map.of());
    }

    @Override
    protected void scriptSuccess(TestWorkflowContext context) {
        context.script("first", "the first is fast");
        context.script("second", "the second is small");
        context.script(FanIn.OWN_AGGREGATOR, "fast versus small");
    }
}
