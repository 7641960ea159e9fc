package io.mcpagent.api.autonomous;

/**
 * The orchestrator's admission at one moment: executions running and waiting, admitted and refused since it
 * started, and the limits (in all, per tenant, per pinned provider, queue capacity).
 */
public record AdmissionStats(int running, int waiting, long admitted, long rejected, int maxConcurrent,
                             int maxConcurrentPerTenant, int maxConcurrentPerProvider, int queueCapacity) {
}
