package io.mcpagent.api.workflow;

import java.util.Map;
import java.util.Objects;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/** What a pattern is asked to do: the task, its analysis (may be null when a caller forces a pattern) and options. */
public record WorkflowRequest(Task task, TaskAnalysis analysis, Map<String, String> options) {
    public WorkflowRequest {
        Objects.requireNonNull(task, "task");
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
