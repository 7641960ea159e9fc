package io.mcpagent.core.internal.llm;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.UsageSummary;

/**
 * Usage sums per execution and per provider, and the fallbacks of each execution's calls. At most {@code maxExecutions} executions are kept, so a long-running
 * platform does not grow without end; the oldest executions are forgotten first. Every sum has its own lock, so
 * calls of different executions never wait for each other (one global lock over an access-ordered map did, for
 * every model call of every execution).
 */
final class UsageLedger {
    /** The running sum of one execution or provider. */
    private static final class Sum {
        private UsageSummary total = UsageSummary.NONE;

        synchronized void add(UsageSummary call) {
            total = total.plus(call);
        }

        synchronized UsageSummary total() {
            return total;
        }
    }

    /** What one execution's calls spent, and where they fell back. */
    private static final class ExecutionEntry {
        private final Sum usage = new Sum();
        private final List<LlmFallbackEvent> fallbacks = new CopyOnWriteArrayList<>();
    }

    private final int maxExecutions;
    private final Map<String, ExecutionEntry> byExecution = new ConcurrentHashMap<>();
    /** Execution ids in the order they were first recorded: the next one to forget is at the head. */
    private final ConcurrentLinkedQueue<String> executionOrder = new ConcurrentLinkedQueue<>();
    private final Map<String, Sum> byProvider = new ConcurrentHashMap<>();

    UsageLedger(int maxExecutions) {
        this.maxExecutions = maxExecutions;
    }

    void record(String executionId, String providerId, UsageSummary call) {
        byProvider.computeIfAbsent(providerId, id -> new Sum()).add(call);
        if (executionId != null) {
            entry(executionId).usage.add(call);
        }
    }

    /** Remembers a fallback of a call of {@code fallback.executionId()}; one outside executions is not kept. */
    void fellBack(LlmFallbackEvent fallback) {
        if (fallback.executionId() != null) {
            entry(fallback.executionId()).fallbacks.add(fallback);
        }
    }

    private ExecutionEntry entry(String executionId) {
        ExecutionEntry entry = byExecution.get(executionId);
        if (entry == null) {
            ExecutionEntry fresh = new ExecutionEntry();
            entry = byExecution.putIfAbsent(executionId, fresh);
            if (entry == null) {
                entry = fresh;
                executionOrder.add(executionId);
                if (byExecution.size() > maxExecutions) {
                    String oldest = executionOrder.poll();
                    if (oldest != null) {
                        byExecution.remove(oldest);
                    }
                }
            }
        }
        return entry;
    }

    UsageSummary execution(String executionId) {
        ExecutionEntry entry = executionId == null ? null : byExecution.get(executionId);
        return entry == null ? UsageSummary.NONE : entry.usage.total();
    }

    List<LlmFallbackEvent> fallbacks(String executionId) {
        ExecutionEntry entry = executionId == null ? null : byExecution.get(executionId);
        return entry == null ? List.of() : List.copyOf(entry.fallbacks);
    }

    Map<String, UsageSummary> providers() {
        Map<String, UsageSummary> totals = new TreeMap<>();
        byProvider.forEach((id, sum) -> totals.put(id, sum.total()));
        return Collections.unmodifiableMap(totals);
    }
}
