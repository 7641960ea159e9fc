package io.mcpagent.api.autonomous;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link AutonomousOrchestrator#execute} planned the task but may not start it: it would have to wait and the
 * admission queue is full. The message names the limits it ran into and the queue's state. Planning has happened,
 * with what it does outside a dry run: {@link #plan()} is that plan, so a caller can still account for the catalog
 * servers installed for its agents (they stay installed) and those that failed to install. Since version 1.5 of this
 * package. The platform's orchestrator no longer throws it: it refuses a full queue before it plans, with a plain
 * {@link RejectedExecutionException}, so that a refused execution spends nothing; the type stays for compatibility.
 */
public class QueueFullException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;
    /** Not serialized: the refusal is for the caller in this runtime, not for sending elsewhere. */
    private final transient AutonomousPlan plan;

    public QueueFullException(AutonomousPlan plan, RejectedExecutionException refusal) {
        super(refusal.getMessage(), refusal);
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    /** The plan made before the refusal. */
    public AutonomousPlan plan() {
        return plan;
    }
}
