package io.mcpagent.api.autonomous;

/**
 * The orchestrator's admission at one moment: executions running and waiting, admitted and refused since it
 * started, and the limits (in all, per tenant, per pinned provider, queue capacity, and since 1.7 the share of the
 * queue one tenant may fill, {@code maxWaitingPerTenant}).
 */
public record AdmissionStats(int running, int waiting, long admitted, long rejected, int maxConcurrent,
                             int maxConcurrentPerTenant, int maxConcurrentPerProvider, int queueCapacity,
                             int maxWaitingPerTenant) {

    /**
     * Stats without a tenant's share of the queue (version 1.6 of this package): the share is taken to be the whole
     * queue, which is what it amounts to when no smaller share is set.
     */
    public AdmissionStats(int running, int waiting, long admitted, long rejected, int maxConcurrent,
                          int maxConcurrentPerTenant, int maxConcurrentPerProvider, int queueCapacity) {
        this(running, waiting, admitted, rejected, maxConcurrent, maxConcurrentPerTenant, maxConcurrentPerProvider,
                queueCapacity, queueCapacity);
    }
}
