package io.mcpagent.pattern.swarm.internal;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * How well a swarm of specialists handing control to each other fits a task; the table is in the module README.
 * A swarm pays off when a task crosses domains whose specialists must take turns in one conversation (triage,
 * support, multi-domain work) and is moderately to very complex; a simple task does not need the handoffs, and a
 * long fixed sequence of steps is better planned up front by the orchestrator.
 */
final class SwarmSuitability {
    static final double FLOOR = 0.05;
    /** The highest score without a recommendation, below what direct or orchestrator reach in their own fields. */
    static final double CEILING = 0.8;
    /** Added, scaled by the analysis' confidence, when the analysis recommends this pattern. */
    static final double RECOMMENDATION_BOOST = 0.3;

    private SwarmSuitability() {
    }

    static double of(TaskAnalysis analysis) {
        double score = switch (analysis.complexity()) {
            case SIMPLE -> 0.1;
            case MODERATE -> 0.4;
            case COMPLEX -> 0.45;
            case EXPERT -> 0.4;
        };
        score += switch (analysis.type()) {
            case MULTI_DOMAIN -> 0.2;
            case COMMUNICATION -> 0.1; // conversations routed between specialists, as in support triage
            case DATA_PROCESSING, AUTOMATION -> -0.05; // fixed pipelines: a plan fits better than handoffs
            default -> 0.0;
        };
        int capabilities = analysis.requiredCapabilities().size();
        if (capabilities > 1) {
            score += Math.min(0.1, 0.05 * (capabilities - 1)); // each capability is one more specialist to hand to
        }
        int steps = analysis.estimatedSteps();
        if (steps >= 2 && steps <= 6) {
            score += 0.05;
        } else if (steps > 8) {
            score -= 0.1; // every handoff re-reads the conversation; long runs belong to the orchestrator
        }
        score = Math.max(FLOOR, Math.min(CEILING, score));
        if (SwarmPattern.NAME.equalsIgnoreCase(analysis.recommendedPattern())) {
            score += RECOMMENDATION_BOOST * analysis.confidence();
        }
        return Math.min(1.0, score);
    }
}
