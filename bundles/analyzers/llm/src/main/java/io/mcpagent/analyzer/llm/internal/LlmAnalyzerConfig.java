package io.mcpagent.analyzer.llm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the LLM-assisted analyzer ({@code etc/io.mcpagent.analyzer.llm.cfg.json}); changes apply live. */
@ObjectClassDefinition(name = "LLM-assisted task analyzer",
        description = "Labels a task with one structured-output model call; ranked below the heuristic analyzer, so "
                + "the analysis service asks it only when the heuristic one is unsure.")
public @interface LlmAnalyzerConfig {

    /**
     * Ranking of the TaskAnalyzer service. The analysis service asks analyzers from the highest ranking down and
     * takes the first confident answer: -100 puts this slow, paid analyzer after the heuristic one (0).
     */
    @AttributeDefinition(name = "Service ranking",
            description = "Ranking of the TaskAnalyzer service; analyzers are asked from the highest ranking down")
    int service_ranking() default LlmTaskAnalyzer.DEFAULT_RANKING;

    @AttributeDefinition(description = "Provider plugin id to pin the call to; empty lets the router choose")
    String provider() default "";

    @AttributeDefinition(description = "Model id to pin the call to; empty lets the router choose")
    String model() default "";

    @AttributeDefinition(description = "Milliseconds to wait for the model's answer (at least 1000); then the call is "
            + "interrupted and the analysis fails with confidence 0", min = "1000")
    long timeoutMs() default LlmTaskAnalyzer.DEFAULT_TIMEOUT_MS;

    @AttributeDefinition(description = "Characters of a task sent to the model (at least 500); a longer task is cut "
            + "and the model is told so", min = "500")
    int maxTaskChars() default LlmTaskAnalyzer.DEFAULT_MAX_TASK_CHARS;

    @AttributeDefinition(description = "Sampling temperature; a negative value sends none (the provider's default), "
            + "for models that reject a temperature, such as OpenAI's reasoning models")
    double temperature() default 0.0;
}
