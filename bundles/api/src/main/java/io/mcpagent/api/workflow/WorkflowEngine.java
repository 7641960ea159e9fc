package io.mcpagent.api.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs workflow patterns. Each execution runs on its own virtual thread; the pattern is looked up when it starts
 * (by plugin id or name, in any case: an exact one first), and if its bundle goes away while it runs, the execution ends FAILED naming the pattern
 * rather than hang (INTERRUPTED when it goes away because the whole framework stops). Progress events go to every
 * {@code ExecutionListener}.
 */
@ProviderType
public interface WorkflowEngine {

    /**
     * Starts an execution and returns at once; a pattern that is not installed gives a handle that is already FAILED,
     * unless it was removed less than the grace period ago: then the execution waits for it as
     * {@link #awaitRemovedPattern} does (since 1.6), and runs it or fails saying it waited.
     */
    Execution start(String pattern, WorkflowRequest request);

    /**
     * Starts an execution of a pattern the caller composed rather than one registered as a service (the autonomous
     * orchestrator runs its choice and fallbacks this way, as nested patterns of one execution). Nested patterns it
     * runs through {@link WorkflowContext#run} are looked up and followed like any other.
     */
    Execution start(WorkflowPattern pattern, WorkflowRequest request);

    /**
     * As {@link #start(WorkflowPattern, WorkflowRequest)}, with the status the execution starts in: QUEUED for one
     * that must wait for its turn before it works (its pattern says when it does, through
     * {@link WorkflowContext#status}), else RUNNING. Since version 1.3 of this package.
     *
     * @throws IllegalArgumentException for a terminal status
     */
    Execution start(WorkflowPattern pattern, WorkflowRequest request, ExecutionStatus initial);

    /**
     * As {@link #start(WorkflowPattern, WorkflowRequest, ExecutionStatus)}, under an execution id the caller chose
     * (a random UUID), so that work done for the execution before it starts is counted under its id: the autonomous
     * orchestrator analyses the task with it, and the model call of that analysis is part of the execution's usage.
     * Since version 1.4 of this package.
     *
     * @throws IllegalArgumentException for a terminal status, or an id that is blank or already names an execution
     *                                  this engine holds
     */
    Execution start(WorkflowPattern pattern, WorkflowRequest request, ExecutionStatus initial, String executionId);

    /**
     * Waits for a pattern of that plugin id or name (in any case) that is not registered now but was removed less
     * than the engine's grace period ago (a deployed jar being replaced: the old bundle stops before the new one
     * registers the pattern), until it is registered again or that period has passed since its removal. Returns at
     * once for a pattern that is registered, or was not removed recently (never installed, or gone for longer).
     * Since version 1.6 of this package.
     *
     * @return how long it was waited for: zero if it was not; the caller says so if the pattern is still missing
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    Duration awaitRemovedPattern(String idOrName) throws InterruptedException;

    /**
     * Why a pattern of that plugin id or name (in any case) that is not registered is not coming back, as the engine's
     * own refusals say it: {@code its bundle example.echo 1.0.0 was uninstalled} (or was stopped for good, by an
     * operator); empty when it may come back or nothing is known of it. So that a caller refusing a pattern that
     * {@link #awaitRemovedPattern} waited for in vain can say it was removed meanwhile. Since 1.9.
     */
    default Optional<String> whyNotComingBack(String idOrName) {
        return Optional.empty();
    }

    /** An execution started by this engine that is running or finished recently. */
    Optional<Execution> find(String executionId);

    /** The executions running now. */
    List<Execution> running();
}
