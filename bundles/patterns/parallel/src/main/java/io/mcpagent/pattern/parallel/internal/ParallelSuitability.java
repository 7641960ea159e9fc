package io.mcpagent.pattern.parallel.internal;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * How well independent workers running side by side, then one aggregation, fit a task; the table is in the module
 * README. Parallel suits moderate and complex tasks that split into independent parts (gathering from several
 * sources, analysing from several angles, several domains at once); it does not suit simple tasks (the fan-in costs
 * more than it brings) nor long chains of dependent steps (its workers cannot use each other's results).
 */
final class ParallelSuitability {
    /** Added, scaled by the analysis' confidence, when the analysis recommends this pattern. */
    static final double RECOMMENDATION_BOOST = 0.3;

    private ParallelSuitability() {
    }

    static double of(TaskAnalysis analysis) {
        double score = switch (analysis.complexity()) {
            case SIMPLE -> 0.2;
            case MODERATE -> 0.55;
            case COMPLEX -> 0.6;
            case EXPERT -> 0.5;
        };
        score += switch (analysis.type()) {
            case RESEARCH, MULTI_DOMAIN -> 0.15;
            case ANALYSIS, DATA_PROCESSING -> 0.1;
            case CONTENT_CREATION, GENERAL -> 0.0;
            // ordered edits and actions with side effects: concurrent workers would step on each other
            case CODING, AUTOMATION, COMMUNICATION -> -0.1;
        };
        int capabilities = analysis.requiredCapabilities().size();
        if (capabilities > 1) {
            score += Math.min(0.15, 0.05 * (capabilities - 1)); // one worker per source or tool set
        }
        int steps = analysis.estimatedSteps();
        if (steps > 5) {
            score -= 0.1; // a long chain of steps tends to depend on itself: the orchestrator's ground
        } else if (steps >= 2) {
            score += 0.05;
        }
        score = Math.max(0.0, score);
        if (ParallelPattern.NAME.equalsIgnoreCase(analysis.recommendedPattern())) {
            score += RECOMMENDATION_BOOST * analysis.confidence();
        }
        return Math.min(1.0, score);
    }
}
