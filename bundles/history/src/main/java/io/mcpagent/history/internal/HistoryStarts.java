package io.mcpagent.history.internal;

/**
 * Told how each activation of the history ended, so that {@link HistoryRecovery} tries a start that failed for a
 * database it could not reach again. A service of this bundle only: its package is not exported.
 */
interface HistoryStarts {
    void started();

    /**
     * @param failure what the activation failed with, naming the database and what to do
     * @return what the activation throws: {@code failure}, or, when the start is tried again, a failure that also says
     *         when (DS keeps it, and the runtime's problems show it as the component's one problem)
     */
    RuntimeException failed(RuntimeException failure);
}
