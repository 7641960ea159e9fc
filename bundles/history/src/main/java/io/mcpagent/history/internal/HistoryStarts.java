package io.mcpagent.history.internal;

import java.util.Optional;

/**
 * Told how each activation of the history ended, so that {@link HistoryRecovery} tries a start that failed for a
 * database it could not reach again. A service of this bundle only: its package is not exported.
 */
interface HistoryStarts {
    /**
     * Asked before an activation opens the database: while a try of the start is scheduled, an activation that is not
     * that try (DS activates the history once for each consumer that asks for it) gives up at once with the failure
     * of the last one, rather than trying the database again (a refused connection may take over a second). So does
     * an activation while the history is disabled to be started anew.
     *
     * @return the failure to throw without trying, while a try is scheduled or the history is disabled
     */
    Optional<RuntimeException> pendingFailure();

    void started();

    /**
     * @param failure what the activation failed with, naming the database and what to do
     * @param probe   opens and closes the database with this activation's settings, throwing what opening throws
     * @return what the activation throws: {@code failure}, or, when the start is tried again, a failure that also says
     *         when (DS keeps it, and the runtime's problems show it as the component's one problem)
     */
    RuntimeException failed(RuntimeException failure, Runnable probe);
}
