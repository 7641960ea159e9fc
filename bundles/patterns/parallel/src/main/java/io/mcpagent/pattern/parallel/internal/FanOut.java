package io.mcpagent.pattern.parallel.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;

/**
 * Runs workers at the same time, each on its own virtual thread, at most {@code maxConcurrency} at once, and waits
 * for all of them, unless the execution is cancelled (or the waiting thread interrupted): then it returns at once
 * and interrupts the workers still running instead of waiting for them.
 */
final class FanOut {
    /**
     * How often the waiting thread looks at {@link WorkflowContext#isCancelled()}, which offers no callback. The
     * platform also interrupts the execution's thread on cancellation, which ends the wait at once.
     */
    static final long CANCELLATION_CHECK_MILLIS = 20;

    /** One worker and what it is asked. */
    record Assignment(Worker worker, String input) {
    }

    /** What one worker that finished was asked and what it gave. */
    record Answer(Assignment assignment, WorkerResult result) {
        String worker() {
            return assignment.worker().name();
        }
    }

    /**
     * What the fan-out produced: the answers of the workers that finished, in assignment order; the names of those
     * that did not (cancelled while running or waiting for a slot); {@code complete} when every worker finished.
     */
    record Outcome(List<Answer> finished, List<String> unfinished, boolean complete) {
    }

    private FanOut() {
    }

    /** Why a worker did not succeed, also when it gave no error message. */
    static String error(WorkerResult result) {
        return result.error() == null || result.error().isBlank() ? "it ended " + result.status() : result.error();
    }

    static Outcome run(WorkflowContext context, List<Assignment> assignments, int maxConcurrency) {
        int count = assignments.size();
        AtomicReferenceArray<WorkerResult> results = new AtomicReferenceArray<>(count);
        CountDownLatch done = new CountDownLatch(count);
        Semaphore slots = new Semaphore(maxConcurrency, true); // fair: no waiting worker is passed over for ever
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mcpagent-parallel-" + context.executionId() + "-", 0).factory());
        boolean complete = false;
        try {
            for (int i = 0; i < count; i++) {
                int index = i;
                threads.execute(() -> {
                    try {
                        results.set(index, runInSlot(context, assignments.get(index), slots));
                    } finally {
                        done.countDown();
                    }
                });
            }
            complete = awaitAll(context, done);
            return outcome(assignments, results, complete); // taken before the interrupted workers can still finish
        } finally {
            if (complete) {
                threads.shutdown();
            } else {
                threads.shutdownNow(); // nobody waits for the workers still running: interrupt them
            }
        }
    }

    private static Outcome outcome(List<Assignment> assignments, AtomicReferenceArray<WorkerResult> results,
                                   boolean complete) {
        List<Answer> finished = new ArrayList<>();
        List<String> unfinished = new ArrayList<>();
        for (int i = 0; i < assignments.size(); i++) {
            WorkerResult result = results.get(i);
            if (result == null) {
                unfinished.add(assignments.get(i).worker().name());
            } else {
                finished.add(new Answer(assignments.get(i), result));
            }
        }
        return new Outcome(List.copyOf(finished), List.copyOf(unfinished), complete && unfinished.isEmpty());
    }

    /** The worker's result, or null when the fan-out was cancelled before the worker could start. */
    private static WorkerResult runInSlot(WorkflowContext context, Assignment assignment, Semaphore slots) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        Worker worker = assignment.worker();
        try {
            if (context.isCancelled() || Thread.currentThread().isInterrupted()) {
                return null;
            }
            return context.run(worker, assignment.input());
        } catch (RuntimeException e) {
            // WorkflowContext.run reports a worker's failure in its result; anything thrown is the platform's fault,
            // and it still must not lose the other workers' answers
            return new WorkerResult(worker.name(), ExecutionStatus.FAILED, null,
                    "running worker '" + worker.name() + "' threw " + e, Usage.NONE, BigDecimal.ZERO, null);
        } finally {
            slots.release();
        }
    }

    /** True once every worker finished; false as soon as the execution is cancelled or this thread interrupted. */
    private static boolean awaitAll(WorkflowContext context, CountDownLatch done) {
        try {
            while (!done.await(CANCELLATION_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                if (context.isCancelled()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept, so that the pattern's caller sees the cancellation too
            return false;
        }
    }
}
