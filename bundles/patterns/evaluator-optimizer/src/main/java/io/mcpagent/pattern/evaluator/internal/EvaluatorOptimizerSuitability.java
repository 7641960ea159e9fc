package io.mcpagent.pattern.evaluator.internal;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * How well generate-evaluate-refine fits a task; the table is in the module README. It pays off where the quality of
 * one artifact matters and can be judged (writing, code) and the task is not trivial; it fits poorly where a
 * refinement would repeat actions with side effects, or where the work is a long sequence of different steps.
 */
final class EvaluatorOptimizerSuitability {
    static final double FLOOR = 0.05;
    /** The highest score without a recommendation, below what direct or orchestrator reach in their own fields. */
    static final double CEILING = 0.8;
    /** Added, scaled by the analysis' confidence, when the analysis recommends this pattern. */
    static final double RECOMMENDATION_BOOST = 0.3;

    private EvaluatorOptimizerSuitability() {
    }

    static double of(TaskAnalysis analysis) {
        double score = switch (analysis.complexity()) {
            case SIMPLE -> 0.2; // one pass is usually good enough; the evaluation would double the cost
            case MODERATE -> 0.45;
            case COMPLEX -> 0.5;
            case EXPERT -> 0.45;
        };
        score += switch (analysis.type()) {
            case CONTENT_CREATION -> 0.25;
            case CODING -> 0.2;
            case COMMUNICATION -> 0.1;
            case ANALYSIS -> 0.05;
            case AUTOMATION -> -0.15; // every refinement re-runs the generator, repeating its side effects
            case MULTI_DOMAIN -> -0.1; // many different parts: better planned than polished as one draft
            default -> 0.0;
        };
        int steps = analysis.estimatedSteps();
        if (steps <= 3) {
            score += 0.05; // one artifact, produced in a few steps
        } else if (steps > 5) {
            score -= 0.1;
        }
        if (analysis.requiredCapabilities().size() > 2) {
            score -= 0.05;
        }
        score = Math.max(FLOOR, Math.min(CEILING, score));
        if (EvaluatorOptimizerPattern.NAME.equalsIgnoreCase(analysis.recommendedPattern())) {
            score += RECOMMENDATION_BOOST * analysis.confidence();
        }
        return Math.min(1.0, score);
    }
}
