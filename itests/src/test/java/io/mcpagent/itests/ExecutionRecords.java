package io.mcpagent.itests;

import static org.junit.Assert.assertFalse;

import java.time.Duration;
import java.util.List;

import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * An execution's end and its history record, as the in-framework tests of plugins removed under load check them:
 * each wait bounded, and no step of an execution recorded after its end.
 */
final class ExecutionRecords {
    private final ExecutionHistory history;
    private final Duration end;
    private final Duration recording;

    /** {@code end}: how long an execution may take to end; {@code recording}: its record to say so. */
    ExecutionRecords(ExecutionHistory history, Duration end, Duration recording) {
        this.history = history;
        this.end = end;
        this.recording = recording;
    }

    ExecutionResult ended(Execution execution) throws InterruptedException {
        return execution.await(end).orElseThrow(() -> new AssertionError("execution " + execution.executionId()
                + " did not end within " + end + ": " + steps(execution)));
    }

    /** The execution's record, once it ended {@code status}; no step of it is recorded after its end. */
    ExecutionRecord recorded(Execution execution, ExecutionStatus status) throws InterruptedException {
        ExecutionRecord record = Await.value(() -> history.find(execution.executionId()).orElseThrow(),
                r -> r.status() == status && r.finished() != null, recording,
                () -> "execution " + execution.executionId() + " not recorded " + status + ": "
                        + history.find(execution.executionId()));
        for (ExecutionStep step : steps(execution)) {
            assertFalse("step " + step + " after the end " + record.finished(),
                    step.timestamp().isAfter(record.finished()));
        }
        return record;
    }

    List<ExecutionStep> steps(Execution execution) {
        return history.steps(execution.executionId());
    }
}
