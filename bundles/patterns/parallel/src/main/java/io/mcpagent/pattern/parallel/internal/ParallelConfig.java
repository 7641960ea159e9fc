package io.mcpagent.pattern.parallel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Defaults of the parallel pattern ({@code etc/io.mcpagent.pattern.parallel.cfg.json}); the request options of the
 * same names override them.
 */
@ObjectClassDefinition(name = "Parallel workflow pattern",
        description = "Fans a task out to several workers at once, then fans their answers in through an aggregator.")
public @interface ParallelConfig {

    @AttributeDefinition(description = "Most fan-out workers running at once within one execution (at least 1)",
            min = "1")
    int maxConcurrency() default 8;

    @AttributeDefinition(description = "Fail the execution when any fan-out worker fails, instead of aggregating "
            + "the answers of those that succeeded")
    boolean requireAll() default false;
}
