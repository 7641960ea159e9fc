package io.mcpagent.pattern.evaluator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Defaults of the evaluator-optimizer pattern ({@code etc/io.mcpagent.pattern.evaluator.cfg.json}); the request
 * options of the same names override them for one execution.
 */
@ObjectClassDefinition(name = "Evaluator-optimizer workflow pattern",
        description = "A generator writes a draft, an evaluator rates it with feedback, the generator refines it.")
public @interface EvaluatorOptimizerConfig {

    @AttributeDefinition(description = "Lowest rating (1 to 5) that accepts a draft", min = "1", max = "5")
    int minRating() default 4;

    @AttributeDefinition(description = "Most refinements after the first draft, at least 0 (0 = evaluate the first "
            + "draft only)", min = "0")
    int maxRefinements() default 3;

    @AttributeDefinition(description = "When true, an execution whose drafts never reach minRating fails; when false, "
            + "it succeeds with the best-rated draft")
    boolean requireAcceptance() default false;

    @AttributeDefinition(description = "System instruction of the evaluator agent the pattern creates when a request "
            + "names no evaluator worker")
    String evaluatorInstruction() default EvaluatorOptimizerPattern.EVALUATOR_INSTRUCTION;
}
