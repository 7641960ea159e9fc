package io.mcpagent.autonomous.internal.orchestration;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * The executions one orchestrator admitted that have not ended, queued or running. They hold that orchestrator's
 * {@link MetaCoordinator} and budgets, so none may outlive it: {@link #stop} ends them all, INTERRUPTED with the
 * reason, and waits (bounded) until the engine has recorded them.
 */
final class InFlightExecutions {
    /** The bundle of the orchestrator and the budgets, named in the reasons they give. */
    static final String BUNDLE = "io.mcpagent.autonomous";
    private static final Logger LOG = LoggerFactory.getLogger(InFlightExecutions.class);

    /** One admitted execution: its work, and its engine execution once {@code engine.start} has returned it. */
    private static final class InFlight {
        private final AutonomousExecution work;
        private volatile Execution execution;

        private InFlight(AutonomousExecution work) {
            this.work = work;
        }

        private boolean queued() {
            Execution now = execution;
            return now != null && now.status() == ExecutionStatus.QUEUED;
        }
    }

    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Why no execution may start any more; null until {@link #stop}. Guarded by {@code this}. */
    private String stoppedBecause;

    /**
     * Tracks {@code work} for the execution {@code executionId} that {@code start} hands to the engine.
     *
     * @throws IllegalStateException when the orchestrator has stopped: nothing would end the execution
     */
    Execution start(String executionId, AutonomousExecution work, Supplier<Execution> start) {
        InFlight entry = new InFlight(work);
        synchronized (this) {
            if (stoppedBecause != null) {
                throw new IllegalStateException("no execution is started: " + stoppedBecause);
            }
            inFlight.put(executionId, entry);
        }
        try {
            entry.execution = start.get();
            return entry.execution;
        } catch (RuntimeException | Error e) {
            inFlight.remove(executionId);
            throw e;
        }
    }

    /** The execution has ended (its work returned): nothing is left to stop. */
    void ended(String executionId) {
        inFlight.remove(executionId);
    }

    int size() {
        return inFlight.size();
    }

    /**
     * Ends every execution INTERRUPTED with {@code reason}: each is interrupted (its pattern, model calls and tools in
     * turn), then awaited until {@code wait} has passed in all. One that has still not ended then is cancelled, so
     * the engine records its end in any case, and logged with the reason, which its record cannot carry.
     */
    void stop(String reason, Duration wait) {
        synchronized (this) {
            stoppedBecause = reason;
        }
        // Each takes the reason before any is interrupted: a running one's end gives its place back, which admits a
        // queued one, that would read as having run. The queued are interrupted first, so that none is admitted.
        List<InFlight> stopping = inFlight.values().stream()
                .sorted(Comparator.comparing((InFlight entry) -> !entry.queued())).toList();
        stopping.forEach(entry -> entry.work.stopping(reason));
        stopping.forEach(entry -> entry.work.interrupt());
        long giveUp = System.nanoTime() + wait.toNanos();
        boolean interrupted = false;
        for (InFlight entry : stopping) {
            Execution execution = entry.execution;
            if (execution == null) {
                continue; // not handed to the engine yet: it ends at once when it runs, for its work is stopped
            }
            Optional<ExecutionResult> result = Optional.empty();
            try {
                result = interrupted ? execution.result()
                        : execution.await(Duration.ofNanos(Math.max(0, giveUp - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true; // stop waiting, but still end the rest
            }
            if (result.isEmpty() && execution.cancel()) {
                LOG.warn("execution {} did not end within {} of being interrupted and was cancelled: {}",
                        execution.executionId(), Durations.text(wait), reason);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
