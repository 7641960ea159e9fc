package io.mcpagent.history.internal;

import java.util.Optional;

/** For tests of the history itself: nothing retries its start. */
final class IgnoredStarts implements HistoryStarts {
    @Override
    public Optional<RuntimeException> pendingFailure() {
        return Optional.empty();
    }

    @Override
    public void started() {
    }

    @Override
    public RuntimeException failed(RuntimeException failure, Runnable probe) {
        return failure;
    }
}
