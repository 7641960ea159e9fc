package io.mcpagent.core.internal.workflow;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Workflow engine",
        description = "Runs workflow patterns on virtual threads and keeps the recent results in memory.")
public @interface WorkflowEngineConfig {

    @AttributeDefinition(description = "finished executions kept for lookup, at least 0; the oldest are forgotten "
            + "first", min = "0")
    int keepFinished() default 1000;

    @AttributeDefinition(description = "seconds an execution waits for a nested workflow pattern that is missing when"
            + " it needs it (its deployed jar being replaced) to come back before that worker fails, 0 to 300; 0 = no"
            + " waiting", min = "0", max = "300")
    int patternGraceSeconds() default 5;
}
