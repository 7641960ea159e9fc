package io.mcpagent.pattern.direct.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Defaults of the direct pattern ({@code etc/io.mcpagent.pattern.direct.cfg.json}) for the agent it creates when a
 * request brings no worker; the request options {@code instruction} and {@code servers} override them.
 */
@ObjectClassDefinition(name = "Direct workflow pattern",
        description = "One worker runs the task once; without workers, the pattern creates one agent for it.")
public @interface DirectConfig {

    @AttributeDefinition(description = "System instruction of the agent created when a request has no workers")
    String instruction() default DirectPattern.GENERAL_INSTRUCTION;

    @AttributeDefinition(description = "MCP server plugin ids the created agent may use when a request names none; "
            + "a blank id is refused")
    String[] servers() default {};
}
