package io.mcpagent.api.workflow;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * What a pattern is asked to do: the task, its analysis (may be null when a caller forces a pattern), the workers it
 * may hand work to (names unique), and pattern options (each pattern documents its own).
 * <p>
 * The autonomous layer runs the pattern it chose, or the one a caller forced, as a worker of its own execution: the
 * request then holds the task, no analysis, and as its workers the agents it planned for the task (their roles,
 * instructions, servers and pinned provider), in the order of the plan; its options are those the layer sets for
 * that pattern. A pattern that needs an agent takes the first worker (or one by name) rather than creating its own,
 * so that the plan, the budgets and the provider pinned by the caller hold.
 */
public record WorkflowRequest(Task task, TaskAnalysis analysis, List<Worker> workers, Map<String, String> options) {
    public WorkflowRequest {
        Objects.requireNonNull(task, "task");
        workers = workers == null ? List.of() : List.copyOf(workers);
        options = options == null ? Map.of() : Map.copyOf(options);
        Set<String> names = new HashSet<>();
        for (Worker worker : workers) {
            if (!names.add(worker.name())) {
                throw new IllegalArgumentException("two workers are named '" + worker.name() + "'");
            }
        }
    }

    /** A request without workers. */
    public WorkflowRequest(Task task, TaskAnalysis analysis, Map<String, String> options) {
        this(task, analysis, List.of(), options);
    }

    public Optional<Worker> worker(String name) {
        return workers.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /** The option's value, or {@code fallback} when it is absent or blank. */
    public String option(String name, String fallback) {
        String value = options.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
