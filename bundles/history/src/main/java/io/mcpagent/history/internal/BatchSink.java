package io.mcpagent.history.internal;

import java.util.List;
import java.util.function.BooleanSupplier;

import io.mcpagent.api.event.ExecutionEvent;

/** Where the {@link HistoryWriter} puts what it took off its queue; called on the writer thread only. */
interface BatchSink {

    /**
     * Records the events, in order. Never throws: what cannot be written is logged and skipped. While the database is
     * unreachable it keeps trying, until {@code giveUp} says the component is stopping and may wait no longer.
     */
    void write(List<ExecutionEvent> events, BooleanSupplier giveUp);

    /** Deletes what the retention setting no longer keeps. Never throws. */
    void purge();

    /** Releases the database connection. */
    void close();
}
