package io.mcpagent.pattern.evaluator.internal;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;
import io.mcpagent.pattern.testkit.WorkflowPatternContract;

class EvaluatorOptimizerPatternContractTest extends WorkflowPatternContract {

    @Override
    protected WorkflowPattern pattern() {
        return new EvaluatorOptimizerPattern(TestConfigs.defaults());
    }

    @Override
    protected WorkflowRequest typicalRequest() {
        return new WorkflowRequest(Task.of("Write a haiku about autumn"), null,
                List.of(new Worker.AgentWorker(AgentSpec.of("poet", "You write poems"), "writes poems")), Map.of());
    }

    @Override
    protected void scriptSuccess(TestWorkflowContext context) {
        context.script("poet", "Leaves fall, rain whispers", "Crimson leaves drifting / rain hums on the old stone path / "
                + "the year exhales slow");
        context.script(EvaluatorOptimizerPattern.OWN_EVALUATOR,
                "{\"rating\":3,\"feedback\":\"Not a 5-7-5 haiku\",\"acceptable\":false}",
                "{\"rating\":5,\"feedback\":\"\",\"acceptable\":true}");
    }
}
