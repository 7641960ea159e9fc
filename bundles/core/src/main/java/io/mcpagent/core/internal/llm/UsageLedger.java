package io.mcpagent.core.internal.llm;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.mcpagent.api.llm.UsageSummary;

/**
 * Usage sums per execution and per provider. At most {@code maxExecutions} executions are kept, so a long-running
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

    private final int maxExecutions;
    private final Map<String, Sum> byExecution = new ConcurrentHashMap<>();
    /** Execution ids in the order they were first recorded: the next one to forget is at the head. */
    private final ConcurrentLinkedQueue<String> executionOrder = new ConcurrentLinkedQueue<>();
    private final Map<String, Sum> byProvider = new ConcurrentHashMap<>();

    UsageLedger(int maxExecutions) {
        this.maxExecutions = maxExecutions;
    }

    void record(String executionId, String providerId, UsageSummary call) {
        byProvider.computeIfAbsent(providerId, id -> new Sum()).add(call);
        if (executionId != null) {
            execution(executionId, call);
        }
    }

    private void execution(String executionId, UsageSummary call) {
        Sum sum = byExecution.get(executionId);
        if (sum == null) {
            Sum fresh = new Sum();
            sum = byExecution.putIfAbsent(executionId, fresh);
            if (sum == null) {
                sum = fresh;
                executionOrder.add(executionId);
                if (byExecution.size() > maxExecutions) {
                    String oldest = executionOrder.poll();
                    if (oldest != null) {
                        byExecution.remove(oldest);
                    }
                }
            }
        }
        sum.add(call);
    }

    UsageSummary execution(String executionId) {
        Sum sum = executionId == null ? null : byExecution.get(executionId);
        return sum == null ? UsageSummary.NONE : sum.total();
    }

    Map<String, UsageSummary> providers() {
        Map<String, UsageSummary> totals = new TreeMap<>();
        byProvider.forEach((id, sum) -> totals.put(id, sum.total()));
        return Collections.unmodifiableMap(totals);
    }
}
