package io.mcpagent.example.pattern.echo.internal;

import java.util.Map;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;
import io.mcpagent.pattern.testkit.WorkflowPatternContract;

/** The platform's contract tests for patterns, run against the echo pattern as a third party would. */
class EchoPatternContractTest extends WorkflowPatternContract {

    @Override
    protected WorkflowPattern pattern() {
        return new EchoPattern();
    }

    @Override
    protected WorkflowRequest typicalRequest() {
        return new WorkflowRequest(Task.of("say hello"), null, Map.of());
    }

    @Override
    protected void scriptSuccess(TestWorkflowContext context) {
        // the echo pattern calls no agent
    }
}
