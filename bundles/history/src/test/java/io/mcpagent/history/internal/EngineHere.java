package io.mcpagent.history.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;

/** A workflow engine of this process as the history asks it on activation: what it runs, what it has finished. */
class EngineHere implements EngineExecutions {
    private final Map<String, Held> executions = new ConcurrentHashMap<>();

    /** One execution the engine holds; its result is set once it finishes. */
    static final class Held implements Execution {
        private final String id;
        private final AtomicReference<ExecutionResult> result = new AtomicReference<>();

        Held(String id) {
            this.id = id;
        }

        @Override
        public String executionId() {
            return id;
        }

        @Override
        public String pattern() {
            return "direct";
        }

        @Override
        public ExecutionStatus status() {
            return result().map(ExecutionResult::status).orElse(ExecutionStatus.RUNNING);
        }

        @Override
        public Optional<ExecutionResult> result() {
            return Optional.ofNullable(result.get());
        }

        @Override
        public Optional<ExecutionResult> await(Duration timeout) {
            return result();
        }

        @Override
        public boolean cancel() {
            return false;
        }
    }

    /** The engine runs these. */
    static EngineHere running(Iterable<String> ids) {
        EngineHere engine = new EngineHere();
        ids.forEach(engine::run);
        return engine;
    }

    Held run(String id) {
        return executions.computeIfAbsent(id, Held::new);
    }

    /** Ends the execution in the engine without telling any listener, as when it has not bound the history yet. */
    void finish(ExecutionResult result) {
        run(result.executionId()).result.set(result);
    }

    @Override
    public List<Execution> running() {
        return executions.values().stream().filter(held -> held.result().isEmpty()).map(Execution.class::cast)
                .toList();
    }

    @Override
    public Optional<Execution> finished(String executionId) {
        return Optional.ofNullable(executions.get(executionId)).filter(held -> held.result().isPresent())
                .map(Execution.class::cast);
    }
}
