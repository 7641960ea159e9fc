package io.mcpagent.pattern.direct.internal;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;
import io.mcpagent.pattern.testkit.WorkflowPatternContract;

/** The platform's contract tests for patterns, run against the direct pattern. */
class DirectPatternContractTest extends WorkflowPatternContract {

    @Override
    protected WorkflowPattern pattern() {
        return Configs.pattern();
    }

    @Override
    protected WorkflowRequest typicalRequest() {
        Worker writer = new Worker.AgentWorker(AgentSpec.of("writer", "Write what you are asked."), null);
        return new WorkflowRequest(Task.of("write a haiku about rain"), null, List.of(writer), Map.of());
    }

    @Override
    protected void scriptSuccess(TestWorkflowContext context) {
        context.script("writer", "rain on the roof / ...");
    }
}
