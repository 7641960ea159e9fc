package io.mcpagent.pattern.router.internal;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * How well routing fits a task; the table is in the module README. Routing pays off for dispatch-like tasks: one
 * request that one of several specialists should take, of moderate complexity and few steps (a customer message, a
 * general question). It falls off for simple tasks (one agent answers them without a routing call), for long or
 * multi-domain work (that wants a plan, not one specialist) and for tasks needing many capabilities at once.
 */
final class RouterSuitability {
    static final double FLOOR = 0.05;
    /** Added, scaled by the analysis' confidence, when the analysis recommends this pattern. */
    static final double RECOMMENDATION_BOOST = 0.3;

    private RouterSuitability() {
    }

    static double of(TaskAnalysis analysis) {
        double score = switch (analysis.complexity()) {
            case SIMPLE -> 0.45;
            case MODERATE -> 0.7;
            case COMPLEX -> 0.4;
            case EXPERT -> 0.2;
        };
        score += switch (analysis.type()) {
            case COMMUNICATION -> 0.15; // "who should answer this message" is dispatch
            case GENERAL -> 0.1;
            case MULTI_DOMAIN -> -0.2; // several specialists must work together, not one chosen
            default -> 0.0;
        };
        int steps = analysis.estimatedSteps();
        if (steps <= 2) {
            score += 0.05;
        } else if (steps > 3) {
            score -= Math.min(0.25, 0.05 * (steps - 3)); // the chosen specialist gets the whole task in one go
        }
        int capabilities = analysis.requiredCapabilities().size();
        if (capabilities > 2) {
            score -= Math.min(0.15, 0.05 * (capabilities - 2)); // rarely one specialist has them all
        }
        score = Math.max(FLOOR, score);
        if (RouterPattern.NAME.equalsIgnoreCase(analysis.recommendedPattern())) {
            score += RECOMMENDATION_BOOST * analysis.confidence();
        }
        return Math.min(1.0, score);
    }
}
