package io.mcpagent.pattern.orchestrator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The orchestrator's defaults; a request's options of the same names override them for one execution. */
@ObjectClassDefinition(name = "Orchestrator workflow pattern",
        description = "A planner splits the task into sequential steps of parallel worker tasks; a synthesis agent "
                + "writes the answer from their results.")
public @interface OrchestratorConfig {

    @AttributeDefinition(description = "full: plan every step up front; iterative: plan one step at a time from the "
            + "results so far", options = {@Option(value = "full", label = "full"),
            @Option(value = "iterative", label = "iterative")})
    String mode() default "full";

    @AttributeDefinition(description = "most steps a plan may have (full) or that are planned and run (iterative); at"
            + " least 1", min = "1")
    int maxSteps() default 8;

    @AttributeDefinition(description = "true: a synthesis agent writes the answer; false: the last step's results "
            + "are the answer")
    boolean synthesize() default true;

    @AttributeDefinition(description = "true: the first failed task ends the execution FAILED; false: failures are "
            + "reported to later steps and the synthesis")
    boolean failFast() default false;

    @AttributeDefinition(description = "characters of one task's result (and instruction) passed on to later steps, "
            + "the planner and the synthesis; longer ones are cut; at least 1", min = "1")
    int maxResultChars() default 4000;

    @AttributeDefinition(description = "characters of earlier results in one input; the oldest steps are left out "
            + "first; at least 1", min = "1")
    int maxContextChars() default 16000;
}
