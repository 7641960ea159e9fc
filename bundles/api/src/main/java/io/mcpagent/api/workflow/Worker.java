package io.mcpagent.api.workflow;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.mcpagent.api.agent.AgentSpec;

/**
 * Something a pattern hands work to: an agent, a nested pattern (so patterns nest), or a plain function. The
 * {@code name} identifies it within one request (routers and planners refer to workers by name); the
 * {@code description} tells a routing or planning model what it is good at. Run one with {@link WorkflowContext#run}.
 */
public sealed interface Worker {

    String name();

    String description();

    /** An agent with its own tool loop; a fresh agent for each run. */
    record AgentWorker(AgentSpec spec, String description) implements Worker {
        public AgentWorker {
            Objects.requireNonNull(spec, "spec");
            description = description == null || description.isBlank() ? spec.instruction() : description;
        }

        @Override
        public String name() {
            return spec.name();
        }
    }

    /**
     * A pattern run as a worker: {@code pattern} is a pattern plugin id or name, looked up when the worker runs, with
     * its own {@code workers} and {@code options}; the input becomes its task.
     */
    record PatternWorker(String name, String description, String pattern, List<Worker> workers,
                         Map<String, String> options) implements Worker {
        public PatternWorker {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(pattern, "pattern");
            description = description == null ? "" : description;
            workers = workers == null ? List.of() : List.copyOf(workers);
            options = options == null ? Map.of() : Map.copyOf(options);
        }
    }

    /** Plain Java work from input text to output text; an exception fails the worker with its message. */
    record FunctionWorker(String name, String description, Function<String, String> function) implements Worker {
        public FunctionWorker {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(function, "function");
            description = description == null ? "" : description;
        }
    }
}
