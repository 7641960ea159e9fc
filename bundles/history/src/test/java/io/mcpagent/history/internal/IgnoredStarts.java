package io.mcpagent.history.internal;

/** For tests of the history itself: nothing retries its start. */
final class IgnoredStarts implements HistoryStarts {
    @Override
    public void started() {
    }

    @Override
    public RuntimeException failed(RuntimeException failure) {
        return failure;
    }
}
