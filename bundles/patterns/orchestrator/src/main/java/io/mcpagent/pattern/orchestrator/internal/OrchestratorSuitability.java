package io.mcpagent.pattern.orchestrator.internal;

import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

/**
 * How well the orchestrator fits a task, in [0, 1]: it pays for a planner and a synthesis agent, so it fits work that
 * breaks into several dependent steps, not a one-step question.
 * <ol>
 * <li>By complexity: SIMPLE 0.10, MODERATE 0.40, COMPLEX 0.70, EXPERT 0.80.</li>
 * <li>By estimated steps: 4 or more +0.15, 3 +0.10, 2 nothing, 0 or 1 -0.15 (a chain of dependent steps is what it
 * plans; independent parts suit the parallel pattern, one step the direct one).</li>
 * <li>MULTI_DOMAIN tasks (several kinds of work, so several workers) +0.10; two or more required capabilities
 * (several MCP servers) +0.05.</li>
 * <li>Clamped to [0, 1]; then, when the analysis recommends {@code orchestrator}, it moves towards 1 by half the
 * distance times the analysis's confidence. Recommending another pattern changes nothing, so being recommended
 * never lowers the score.</li>
 * </ol>
 */
final class OrchestratorSuitability {

    private OrchestratorSuitability() {
    }

    static double of(TaskAnalysis analysis) {
        double score = switch (analysis.complexity()) {
            case SIMPLE -> 0.10;
            case MODERATE -> 0.40;
            case COMPLEX -> 0.70;
            case EXPERT -> 0.80;
        };
        int steps = analysis.estimatedSteps();
        score += steps >= 4 ? 0.15 : steps == 3 ? 0.10 : steps <= 1 ? -0.15 : 0.0;
        if (analysis.type() == TaskType.MULTI_DOMAIN) {
            score += 0.10;
        }
        if (analysis.requiredCapabilities().size() >= 2) {
            score += 0.05;
        }
        score = Math.min(1.0, Math.max(0.0, score));
        if (OrchestratorPattern.NAME.equals(analysis.recommendedPattern())) {
            score += (1.0 - score) * 0.5 * analysis.confidence();
        }
        return score;
    }
}
