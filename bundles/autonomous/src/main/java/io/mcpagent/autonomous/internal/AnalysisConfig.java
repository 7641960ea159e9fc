package io.mcpagent.autonomous.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the analysis service ({@code etc/io.mcpagent.autonomous.analysis.cfg.json}). */
@ObjectClassDefinition(name = "MCP-Agent task analysis",
        description = "Asks the installed task analyzers in service ranking order and caches their analyses.")
public @interface AnalysisConfig {

    @AttributeDefinition(description = "Confidence in [0, 1] an analysis needs to be taken without asking the "
            + "next analyzer in ranking order", min = "0", max = "1")
    double confidenceThreshold() default 0.6;

    /**
     * 0.9: the heuristic analyzer's capability confidence is a probability that its set is exactly right, and the
     * issue's goal for capability sets is 0.90; on the held-out corpus files, its sets at >= 0.9 are right 0.911 of
     * the time (76% of the tasks; 62% pass this and confidenceThreshold together, right 0.913), and the rest go to
     * the LLM analyzer when one is installed.
     */
    @AttributeDefinition(description = "Capability confidence in [0, 1] (how sure an analyzer is of the capabilities "
            + "it named) an analysis needs to be taken without asking the next analyzer in ranking order; 0 leaves the "
            + "choice to the confidence alone", min = "0", max = "1")
    double capabilityConfidenceThreshold() default 0.9;

    @AttributeDefinition(description = "Analyses kept in the LRU cache, at least 0; 0 turns the cache off", min = "0")
    int cacheCapacity() default 1024;

    /**
     * 60: above the LLM analyzer's own default time limit (20 s), so this only stops an analyzer that would never
     * answer, which otherwise holds its execution's admission place for good.
     */
    @AttributeDefinition(description = "Seconds each analyzer's answer is waited for, at least 1; then it is "
            + "interrupted, passed over, and the next analyzer asked", min = "1")
    int analyzerTimeoutSeconds() default 60;
}
