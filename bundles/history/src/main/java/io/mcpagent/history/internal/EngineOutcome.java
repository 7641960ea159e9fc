package io.mcpagent.history.internal;

import java.time.Instant;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatusEvent;

/**
 * An execution's outcome as the workflow engine holds it, taken by the history itself ({@link OutcomeFollowUp}):
 * recorded as the engine's {@code execution.finished} event would be, unless the record has ended already.
 */
record EngineOutcome(ExecutionStatusEvent finished) implements ExecutionEvent {

    /** @param now when the result does not say when it finished */
    static EngineOutcome of(Execution execution, ExecutionResult result, Instant now) {
        Instant finished = result.finished() == null ? now : result.finished();
        return new EngineOutcome(new ExecutionStatusEvent(finished, ExecutionStatusEvent.FINISHED,
                execution.executionId(), execution.pattern(), result.status(), result.error(), null, null, result));
    }

    @Override
    public Instant timestamp() {
        return finished.timestamp();
    }

    @Override
    public String type() {
        return finished.type();
    }

    @Override
    public String executionId() {
        return finished.executionId();
    }
}
