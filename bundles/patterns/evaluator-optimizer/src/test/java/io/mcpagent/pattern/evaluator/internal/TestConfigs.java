package io.mcpagent.pattern.evaluator.internal;

import java.lang.annotation.Annotation;

/** Configurations as ConfigAdmin would hand them to the component. */
final class TestConfigs {
    private TestConfigs() {
    }

    static EvaluatorOptimizerConfig config(int minRating, int maxRefinements, boolean requireAcceptance,
                                           String evaluatorInstruction) {
        return new EvaluatorOptimizerConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EvaluatorOptimizerConfig.class;
            }

            @Override
            public int minRating() {
                return minRating;
            }

            @Override
            public int maxRefinements() {
                return maxRefinements;
            }

            @Override
            public boolean requireAcceptance() {
                return requireAcceptance;
            }

            @Override
            public String evaluatorInstruction() {
                return evaluatorInstruction;
            }
        };
    }

    /** The component's defaults. */
    static EvaluatorOptimizerConfig defaults() {
        return config(4, 3, false, EvaluatorOptimizerPattern.EVALUATOR_INSTRUCTION);
    }
}
