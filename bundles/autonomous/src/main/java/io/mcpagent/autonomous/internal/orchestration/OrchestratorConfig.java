package io.mcpagent.autonomous.internal.orchestration;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP-Agent autonomous orchestrator",
        description = "Admission limits and fallbacks of autonomous executions")
public @interface OrchestratorConfig {
    String PID = "io.mcpagent.autonomous.orchestrator";
    int DEFAULT_MAX_CONCURRENT_PER_TENANT = 8;

    @AttributeDefinition(description = "Autonomous executions running at once, in all (at least 1)", min = "1")
    int maxConcurrent() default 16;

    @AttributeDefinition(description = "Autonomous executions running at once for one tenant (at least 1)", min = "1")
    int maxConcurrentPerTenant() default DEFAULT_MAX_CONCURRENT_PER_TENANT;

    @AttributeDefinition(description = "Autonomous executions running at once pinned to one LLM provider (at least 1)",
            min = "1")
    int maxConcurrentPerProvider() default 8;

    @AttributeDefinition(description = "Executions that may wait for a slot, at least 0; beyond that new ones are "
            + "refused", min = "0")
    int queueCapacity() default 100;

    /*
     * Half the default queue: a tenant that fills its share still leaves the other half to the other tenants, and
     * one tenant alone may still queue a large batch.
     */
    @AttributeDefinition(description = "Executions of one tenant that may wait for a slot, at least 0; beyond that"
            + " the tenant's new ones are refused, so that one tenant cannot fill the queue shared by all (the"
            + " queue's capacity bounds it too)", min = "0")
    int maxWaitingPerTenant() default 50;

    @AttributeDefinition(description = "Alternative patterns tried after the chosen one fails, at least 0 (0: none)",
            min = "0")
    int maxFallbacks() default 1;
}
