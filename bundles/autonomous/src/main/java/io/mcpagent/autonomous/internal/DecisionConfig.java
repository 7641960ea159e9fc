package io.mcpagent.autonomous.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the decision engine ({@code etc/io.mcpagent.autonomous.decision.cfg.json}). */
@ObjectClassDefinition(name = "MCP-Agent decision engine",
        description = "Chooses an installed workflow pattern for a task analysis.")
public @interface DecisionConfig {

    @AttributeDefinition(description = "Patterns never chosen, by plugin id or pattern name (case-insensitive), "
            + "e.g. patterns an operator disabled")
    String[] excludedPatterns() default {};

    @AttributeDefinition(description = "Score in [0, 1] a pattern needs to be chosen or offered as an alternative",
            min = "0", max = "1")
    double minimumScore() default 0.0;

    @AttributeDefinition(description = "Weight in [0, 1] of the analysis' recommendation in a pattern's score: "
            + "score = (1 - w) * suitability + w * confidence of the analysis if it recommends the pattern", min = "0",
            max = "1")
    double recommendationWeight() default 0.25;

    /**
     * 250: a suitability is a few arithmetic operations (the platform's patterns answer in microseconds on the
     * caller's thread); this only stops a third party's pattern that blocks, which would otherwise hold every plan.
     */
    @AttributeDefinition(description = "Milliseconds, 1 to 60000, the suitability of a pattern that does not declare "
            + "mcpagent.pattern.bounded is waited for in one decision; then it is passed over for that decision",
            min = "1", max = "60000")
    int suitabilityTimeoutMillis() default 250;
}
