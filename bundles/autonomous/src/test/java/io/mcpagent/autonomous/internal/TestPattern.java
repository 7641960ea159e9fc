package io.mcpagent.autonomous.internal;

import java.util.function.ToDoubleFunction;

import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/** A pattern that only rates its suitability, with a fixed score or a function of the analysis. */
record TestPattern(String name, ToDoubleFunction<TaskAnalysis> rating) implements WorkflowPattern {

    static TestPattern rated(String name, double suitability) {
        return new TestPattern(name, analysis -> suitability);
    }

    @Override
    public double suitability(TaskAnalysis analysis) {
        return rating.applyAsDouble(analysis);
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        throw new UnsupportedOperationException("the decision never runs a pattern");
    }
}
