package io.mcpagent.pattern.direct.internal;

import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

/**
 * How well one agent in one tool loop fits a task; the table is in the module README. Direct is the natural choice
 * for simple, few-step tasks and falls off as the task grows in complexity, steps, capabilities and domains; it never
 * drops below {@value #FLOOR}, since one capable agent can still attempt anything.
 */
final class DirectSuitability {
    static final double FLOOR = 0.1;
    /** Added, scaled by the analysis' confidence, when the analysis recommends this pattern. */
    static final double RECOMMENDATION_BOOST = 0.3;

    private DirectSuitability() {
    }

    static double of(TaskAnalysis analysis) {
        double score = switch (analysis.complexity()) {
            case SIMPLE -> 0.9;
            case MODERATE -> 0.6;
            case COMPLEX -> 0.3;
            case EXPERT -> 0.15;
        };
        int steps = analysis.estimatedSteps();
        if (steps <= 1) {
            score += 0.05;
        } else if (steps > 2) {
            score -= Math.min(0.2, 0.05 * (steps - 2)); // every step beyond two is one more chance to lose the thread
        }
        int capabilities = analysis.requiredCapabilities().size();
        if (capabilities > 2) {
            score -= Math.min(0.15, 0.05 * (capabilities - 2)); // one agent juggling many servers' tools
        }
        if (analysis.type() == TaskType.MULTI_DOMAIN) {
            score -= 0.15;
        }
        score = Math.max(FLOOR, score);
        if (DirectPattern.NAME.equalsIgnoreCase(analysis.recommendedPattern())) {
            score += RECOMMENDATION_BOOST * analysis.confidence();
        }
        return Math.min(1.0, score);
    }
}
