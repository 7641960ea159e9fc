package io.mcpagent.analyzer.heuristic.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the heuristic analyzer ({@code etc/io.mcpagent.analyzer.heuristic.cfg.json}). */
@ObjectClassDefinition(name = "Heuristic task analyzer",
        description = "Deterministic, rule-based task analysis from word tables, in microseconds and without an LLM.")
public @interface HeuristicAnalyzerConfig {

    /**
     * Ranking of the TaskAnalyzer service. 0 leaves it below any analyzer registered with a higher ranking (an
     * LLM-assisted one, say) for callers that take the highest-ranked analyzer.
     */
    @AttributeDefinition(name = "Service ranking",
            description = "Ranking of the TaskAnalyzer service; higher wins when a caller takes one analyzer")
    int service_ranking() default 0;

    /**
     * Characters of a task that are scanned; the rest is not read (the reasoning says so). Keeps a 1 MB paste
     * from costing milliseconds; real tasks are far shorter.
     */
    @AttributeDefinition(name = "Scanned characters",
            description = "How many characters of a task are scanned (at least 1000); the rest is not read",
            min = "1000")
    int maxScannedChars() default HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS;
}
