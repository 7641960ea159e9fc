package io.mcpagent.history.internal;

/**
 * Told how each activation of the history ended, so that {@link HistoryRecovery} tries a start that failed for a
 * database it could not reach again. A service of this bundle only: its package is not exported.
 */
interface HistoryStarts {
    void started();

    /** @param failure what the activation throws, naming the database and what to do */
    void failed(RuntimeException failure);
}
