package io.mcpagent.pattern.router.internal;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;
import io.mcpagent.pattern.testkit.WorkflowPatternContract;

/** The tests every pattern passes, run against the router. */
class RouterPatternContractTest extends WorkflowPatternContract {

    @Override
    protected WorkflowPattern pattern() {
        return Configs.pattern();
    }

    @Override
    protected WorkflowRequest typicalRequest() {
        return new WorkflowRequest(Task.of("I was charged twice for my subscription"), null, List.of(
                new Worker.AgentWorker(AgentSpec.of("billing", "You handle invoices, charges and refunds."), null),
                new Worker.AgentWorker(AgentSpec.of("tech", "You fix technical problems with the product."), null)),
                Map.of());
    }

    @Override
    protected void scriptSuccess(TestWorkflowContext context) {
        context.script("router", """
                {"choices":[{"candidate":"billing","confidence":0.95,"reasoning":"a double charge is a billing matter"}]}""");
        context.script("billing", "The duplicate charge has been refunded.");
    }
}
