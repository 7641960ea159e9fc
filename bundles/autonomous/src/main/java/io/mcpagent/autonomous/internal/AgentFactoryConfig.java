package io.mcpagent.autonomous.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the agent factory ({@code etc/io.mcpagent.autonomous.agents.cfg.json}): the instruction template
 * of each role ({@code {task}} and {@code {capabilities}} are replaced; blank = built-in), the most agents one plan
 * may have, and the model and limits of agents whose plan options name none.
 * <p>
 * The templates default to blank, not to the built-in texts: a default is written into the component description
 * (XML), whose parser turns each line break of an attribute into a space, so the built-in templates' blank line
 * before the task would reach the agents as a double space.
 */
@ObjectClassDefinition(name = "MCP-Agent dynamic agent factory",
        description = "Plans role-specialised agents for a task and binds them to the MCP servers they need.")
public @interface AgentFactoryConfig {

    @AttributeDefinition(description = "The most agents in one plan (at least 1); the plan options' maxAgents may only"
            + " lower it", min = "1")
    int maxAgents() default 8;

    @AttributeDefinition(description = "Instruction template of analysts ({task}, {capabilities}); blank = built-in")
    String analystInstruction() default "";

    @AttributeDefinition(description = "Instruction template of creators ({task}, {capabilities}); blank = built-in")
    String creatorInstruction() default "";

    @AttributeDefinition(description = "Instruction template of researchers ({task}, {capabilities}); blank = built-in")
    String researcherInstruction() default "";

    @AttributeDefinition(description = "Instruction template of specialists ({task}, {capabilities}); blank = built-in")
    String specialistInstruction() default "";

    @AttributeDefinition(description = "Provider plugin id agents are pinned to when the plan options name no model; "
            + "blank = any")
    String provider() default "";

    @AttributeDefinition(description = "Model id agents are pinned to when the plan options name no model; blank = any")
    String model() default "";

    @AttributeDefinition(description = "What the model router prefers among fitting models: COST, SPEED or QUALITY")
    String preference() default "COST";

    @AttributeDefinition(description = "Model calls one agent run may make (at least 1); autonomous executions use it"
            + " as it is", min = "1")
    int maxIterations() default 10;

    @AttributeDefinition(description = "Tokens one agent run may use (0 = no limit); in an autonomous execution the"
            + " tighter of this and the execution's token budget", min = "0")
    long maxTokens() default 0;

    @AttributeDefinition(description = "Cost in USD one agent run may incur (blank or 0 = no limit, as for maxTokens;"
            + " else 0.0000000001 to 1.8e308); in an autonomous execution the tighter of this and the execution's cost"
            + " budget")
    String maxCostUsd() default "";

    @AttributeDefinition(description = "Wall time of one agent run in seconds (at least 1); in an autonomous execution"
            + " the tighter of this and the execution's time budget", min = "1")
    int maxTimeSeconds() default 600;

    @AttributeDefinition(description = "Time one tool call may take in seconds (at least 1); autonomous executions use"
            + " it as it is", min = "1")
    int toolTimeoutSeconds() default 60;
}
