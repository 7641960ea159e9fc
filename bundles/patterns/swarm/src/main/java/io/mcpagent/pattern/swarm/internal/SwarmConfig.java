package io.mcpagent.pattern.swarm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Defaults of the swarm pattern ({@code etc/io.mcpagent.pattern.swarm.cfg.json}); the request options of the same
 * names override them for one execution.
 */
@ObjectClassDefinition(name = "Swarm workflow pattern",
        description = "Agents hand control to each other through transfer tools until one of them finishes the task.")
public @interface SwarmConfig {

    @AttributeDefinition(description = "Most handoffs in one execution, at least 0; one more fails the execution "
            + "(0 = no handoffs)", min = "0")
    int maxHandoffs() default 8;

    @AttributeDefinition(description = "When true, agents also get a 'finish' tool and the swarm is done only when one "
            + "of them calls it; when false, the first agent that answers without transferring ends the swarm")
    boolean done() default false;
}
