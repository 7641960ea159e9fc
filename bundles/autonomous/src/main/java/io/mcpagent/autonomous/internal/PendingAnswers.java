package io.mcpagent.autonomous.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * The answers being waited for from one analyzer service, so that its removal ends those waits at once: an analyzer
 * whose bundle stops need not end the analyses it is making (a third party's may block on), and each would otherwise
 * hold its execution until analyzerTimeoutSeconds for an answer from a service that is gone.
 */
final class PendingAnswers {
    /** Why an analyzer removed while it was asked gave no analysis. */
    static final String REMOVED = "was removed while it analysed the task (its service was unregistered: its bundle"
            + " stopped or was uninstalled, or its component was deactivated)";

    /** Completes the answers waited for when the analyzer goes; no analyzer can throw it. */
    private static final class Removed extends RuntimeException {
        Removed() {
            super(REMOVED, null, false, false);
        }
    }

    private final Set<CompletableFuture<TaskAnalysis>> waited = ConcurrentHashMap.newKeySet();
    private volatile boolean removed;

    /** {@code answer} is waited for until {@link #answered}; it fails at once if the analyzer is (or goes) away. */
    void waitingFor(CompletableFuture<TaskAnalysis> answer) {
        waited.add(answer);
        if (removed) { // removed before it was added: the removal did not see it
            answer.completeExceptionally(new Removed());
        }
    }

    void answered(CompletableFuture<TaskAnalysis> answer) {
        waited.remove(answer);
    }

    /** The analyzer's service is gone: every answer still waited for fails, and so does any waited for later. */
    void removed() {
        removed = true;
        waited.forEach(answer -> answer.completeExceptionally(new Removed()));
    }

    /** Whether an answer failed because the analyzer was removed, not because the analyzer threw. */
    static boolean isRemoval(Throwable failure) {
        return failure instanceof Removed;
    }
}
