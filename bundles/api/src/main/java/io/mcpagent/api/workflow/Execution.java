package io.mcpagent.api.workflow;

import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** One execution of a pattern, running or finished. */
@ProviderType
public interface Execution {

    String executionId();

    /** The pattern asked for (id or name, as given). */
    String pattern();

    ExecutionStatus status();

    /** The result once finished. */
    Optional<ExecutionResult> result();

    /** Waits up to {@code timeout} for the result; empty if it is still running then. */
    Optional<ExecutionResult> await(Duration timeout) throws InterruptedException;

    /** Asks the execution to stop; true if it was running. It ends CANCELLED. */
    boolean cancel();
}
