package io.mcpagent.core.internal.workflow;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Workflow engine",
        description = "Runs workflow patterns on virtual threads and keeps the recent results in memory.")
public @interface WorkflowEngineConfig {

    @AttributeDefinition(description = "finished executions kept for lookup, at least 0; the oldest are forgotten "
            + "first", min = "0")
    int keepFinished() default 1000;

    @AttributeDefinition(description = "seconds a workflow pattern that is missing (its deployed jar being replaced)"
            + " is waited for: by an execution that needs it as a nested pattern, before that worker fails; and to"
            + " tell whether one that went away while executions used it was replaced, before they end; 0 to 300;"
            + " 0 = no waiting", min = "0", max = "300")
    int patternGraceSeconds() default 5;
}
