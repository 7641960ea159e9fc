package io.mcpagent.pattern.router.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Defaults of the router pattern: {@code etc/io.mcpagent.pattern.router.cfg.json}; every property is optional, and a
 * request's options of the same names override them.
 */
@ObjectClassDefinition(name = "Router workflow pattern",
        description = "A routing agent picks the best worker (or the top k) for a task, with confidence and reasoning.")
public @interface RouterConfig {

    @AttributeDefinition(description = "how many of the routing agent's choices to run (at least 1)", min = "1")
    int topK() default 1;

    @AttributeDefinition(description = "choices with a lower confidence than this (0 to 1) are dropped", min = "0",
            max = "1")
    double minConfidence() default 0.0;

    @AttributeDefinition(description = "offer the installed MCP servers as candidates too, each as an agent with that server")
    boolean servers() default false;

    @AttributeDefinition(description = "provider id for the agents the pattern creates (routing agent, server agents); "
            + "empty = any provider")
    String provider() default "";

    @AttributeDefinition(description = "model for the agents the pattern creates; empty = the provider's choice")
    String model() default "";
}
