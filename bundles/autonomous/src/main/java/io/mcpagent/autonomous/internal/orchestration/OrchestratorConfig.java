package io.mcpagent.autonomous.internal.orchestration;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP-Agent autonomous orchestrator",
        description = "Admission limits and fallbacks of autonomous executions")
public @interface OrchestratorConfig {
    String PID = "io.mcpagent.autonomous.orchestrator";

    @AttributeDefinition(description = "Autonomous executions running at once, in all")
    int maxConcurrent() default 16;

    @AttributeDefinition(description = "Autonomous executions running at once for one tenant")
    int maxConcurrentPerTenant() default 8;

    @AttributeDefinition(description = "Autonomous executions running at once pinned to one LLM provider")
    int maxConcurrentPerProvider() default 8;

    @AttributeDefinition(description = "Executions that may wait for a slot; beyond that new ones are refused")
    int queueCapacity() default 100;

    @AttributeDefinition(description = "Alternative patterns tried after the chosen one fails (0: none)")
    int maxFallbacks() default 1;
}
