package io.mcpagent.pattern.swarm.internal;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;
import io.mcpagent.pattern.testkit.WorkflowPatternContract;

class SwarmPatternContractTest extends WorkflowPatternContract {

    @Override
    protected WorkflowPattern pattern() {
        return new SwarmPattern(TestConfigs.swarm(8, false));
    }

    @Override
    protected WorkflowRequest typicalRequest() {
        return new WorkflowRequest(Task.of("Refund order 42"), null, List.of(
                new Worker.AgentWorker(AgentSpec.of("triage", "Route customer requests"), "routes requests"),
                new Worker.AgentWorker(AgentSpec.of("billing", "Handle refunds"), "handles refunds and invoices")),
                Map.of());
    }

    @Override
    protected void scriptSuccess(TestWorkflowContext context) {
        context.script("triage", Reply.call("transfer_to_billing", "{\"reason\":\"refund\",\"message\":\"order 42\"}"),
                Reply.answer("Passing you to billing."));
        context.script("billing", "Order 42 is refunded.");
    }
}
