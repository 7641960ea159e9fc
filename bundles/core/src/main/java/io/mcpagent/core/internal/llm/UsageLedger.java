package io.mcpagent.core.internal.llm;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.UsageSummary;

/**
 * Usage sums per execution, per provider and per tenant and provider, and the fallbacks of each execution's calls. A
 * call counts for a tenant once its execution's tenant is known ({@link #attribute}); the calls made before (an
 * autonomous execution's analysis precedes its start) are held by the execution and counted for the tenant then.
 * At most {@code maxExecutions} executions are kept, so a long-running platform does not grow without end; the
 * oldest executions are forgotten first. Every sum has its own lock, so calls of different executions never wait for
 * each other (one global lock over an access-ordered map did, for every model call of every execution).
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
        /** The circuit openings ({@code provider#opening}) its calls were said to skip. */
        private final Set<String> skippedOpenings = ConcurrentHashMap.newKeySet();
        /** Whether a call's request was too long for every model that could take it. */
        private volatile boolean tooLong;
        /** The execution's tenant, null until known; guarded by the entry. */
        private String tenant;
        /** By provider, what its calls spent while its tenant was not known; guarded by the entry. */
        private final Map<String, UsageSummary> unattributed = new HashMap<>();
    }

    private final int maxExecutions;
    private final Map<String, ExecutionEntry> byExecution = new ConcurrentHashMap<>();
    /** Execution ids in the order they were first recorded: the next one to forget is at the head. */
    private final ConcurrentLinkedQueue<String> executionOrder = new ConcurrentLinkedQueue<>();
    private final Map<String, Sum> byProvider = new ConcurrentHashMap<>();
    /** By tenant, then by provider. */
    private final Map<String, Map<String, Sum>> byTenant = new ConcurrentHashMap<>();

    UsageLedger(int maxExecutions) {
        this.maxExecutions = maxExecutions;
    }

    /**
     * Counts a call for its provider, and for its execution (and so its execution's tenant); a call outside executions
     * ({@code executionId} null) for {@code tenant}, the one that made it, unless that is null too.
     */
    void record(String executionId, String tenant, String providerId, UsageSummary call) {
        byProvider.computeIfAbsent(providerId, id -> new Sum()).add(call);
        if (executionId == null) {
            if (tenant != null) {
                tenantSum(tenant, providerId).add(call);
            }
        } else {
            ExecutionEntry entry = entry(executionId);
            entry.usage.add(call);
            synchronized (entry) {
                if (entry.tenant == null) {
                    entry.unattributed.merge(providerId, call, UsageSummary::plus);
                } else {
                    tenantSum(entry.tenant, providerId).add(call);
                }
            }
        }
    }

    /**
     * Execution {@code executionId} runs for {@code tenant}: its calls count for that tenant, those made so far
     * included. The first tenant named stays (a nested execution's start names the same one).
     */
    void attribute(String executionId, String tenant) {
        ExecutionEntry entry = entry(executionId);
        synchronized (entry) {
            if (entry.tenant != null) {
                return;
            }
            entry.tenant = tenant;
            entry.unattributed.forEach((providerId, spent) -> tenantSum(tenant, providerId).add(spent));
            entry.unattributed.clear();
        }
    }

    private Sum tenantSum(String tenant, String providerId) {
        return byTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(providerId, id -> new Sum());
    }

    /** Remembers a fallback of a call of {@code fallback.executionId()}; one outside executions is not kept. */
    void fellBack(LlmFallbackEvent fallback) {
        if (fallback.executionId() != null) {
            entry(fallback.executionId()).fallbacks.add(fallback);
        }
    }

    /**
     * Whether this is the first call of the execution that skips the provider during its circuit's {@code opening}:
     * the execution is told once per opening, not once per call.
     */
    boolean firstSkip(String executionId, String providerId, long opening) {
        return entry(executionId).skippedOpenings.add(providerId + "#" + opening);
    }

    /** Remembers that a call of the execution was too long for every model; one outside executions is not kept. */
    void requestTooLong(String executionId) {
        if (executionId != null) {
            entry(executionId).tooLong = true;
        }
    }

    boolean wasRequestTooLong(String executionId) {
        ExecutionEntry entry = executionId == null ? null : byExecution.get(executionId);
        return entry != null && entry.tooLong;
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
        return totals(byProvider);
    }

    /** What the calls of {@code tenant}'s executions spent, by provider; empty for a tenant with none. */
    Map<String, UsageSummary> providers(String tenant) {
        return totals(byTenant.getOrDefault(tenant, Map.of()));
    }

    private static Map<String, UsageSummary> totals(Map<String, Sum> sums) {
        Map<String, UsageSummary> totals = new TreeMap<>();
        sums.forEach((id, sum) -> totals.put(id, sum.total()));
        return Collections.unmodifiableMap(totals);
    }
}
