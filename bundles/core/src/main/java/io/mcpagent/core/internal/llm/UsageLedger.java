package io.mcpagent.core.internal.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.mcpagent.api.llm.UsageSummary;

/**
 * Usage sums per execution and per provider. Executions are kept in a least-recently-used map of bounded size,
 * so a long-running platform does not grow without end; the oldest executions are forgotten first.
 */
final class UsageLedger {
    private final Map<String, UsageSummary> byExecution;
    private final Map<String, UsageSummary> byProvider = new ConcurrentHashMap<>();

    UsageLedger(int maxExecutions) {
        this.byExecution = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, UsageSummary> eldest) {
                return size() > maxExecutions;
            }
        };
    }

    void record(String executionId, String providerId, UsageSummary call) {
        byProvider.merge(providerId, call, UsageSummary::plus);
        if (executionId != null) {
            synchronized (byExecution) {
                byExecution.merge(executionId, call, UsageSummary::plus);
            }
        }
    }

    UsageSummary execution(String executionId) {
        if (executionId == null) {
            return UsageSummary.NONE;
        }
        synchronized (byExecution) {
            return byExecution.getOrDefault(executionId, UsageSummary.NONE);
        }
    }

    Map<String, UsageSummary> providers() {
        return Collections.unmodifiableMap(new TreeMap<>(byProvider));
    }
}
