package io.mcpagent.analyzer.heuristic.internal;

import java.lang.annotation.Annotation;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/** Builds the analyzer as DS would, from a configuration. */
final class Analyzers {
    private static final HeuristicTaskAnalyzer DEFAULT = create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);

    private Analyzers() {
    }

    static HeuristicTaskAnalyzer create(int maxScannedChars) {
        return new HeuristicTaskAnalyzer(new HeuristicAnalyzerConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HeuristicAnalyzerConfig.class;
            }

            @Override
            public int service_ranking() {
                return 0;
            }

            @Override
            public int maxScannedChars() {
                return maxScannedChars;
            }
        });
    }

    /** The analysis of {@code text} by an analyzer with the default configuration. */
    static TaskAnalysis analyze(String text) {
        return DEFAULT.analyze(Task.of(text));
    }
}
