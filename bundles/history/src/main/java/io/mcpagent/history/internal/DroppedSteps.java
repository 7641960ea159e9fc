package io.mcpagent.history.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.event.ExecutionEvent;

/**
 * Steps dropped because the write queue was full: how many, and the usage and cost of the dropped model calls,
 * which still count in their execution's totals (the writer takes them when it records the outcome).
 */
final class DroppedSteps {
    private final LongAdder total = new LongAdder();
    private final AtomicLong sinceWarning = new AtomicLong();
    private final Map<String, Totals> modelCalls = new ConcurrentHashMap<>();

    /** Called on the publishing thread: a counter and, for a model call, one map update. */
    void drop(ExecutionEvent event) {
        total.increment();
        sinceWarning.incrementAndGet();
        if (event instanceof AgentEvent agent && AgentEvent.LLM_FINISHED.equals(agent.type())
                && agent.executionId() != null) {
            modelCalls.merge(agent.executionId(), Totals.ofCall(agent.usage(), agent.cost()), Totals::plus);
        }
    }

    /** Steps dropped since the component started. */
    long count() {
        return total.sum();
    }

    /** Steps dropped since the last call, for the periodic warning. */
    long takeCountSinceWarning() {
        return sinceWarning.getAndSet(0);
    }

    /** The totals of the execution's dropped model calls, removed; {@link Totals#NONE} when there were none. */
    Totals take(String executionId) {
        Totals taken = modelCalls.remove(executionId);
        return taken == null ? Totals.NONE : taken;
    }

    /** Returns totals taken by a transaction that was rolled back. */
    void putBack(String executionId, Totals totals) {
        modelCalls.merge(executionId, totals, Totals::plus);
    }
}
