package io.mcpagent.api.task;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analysis of a task. {@code requiredCapabilities} use the capability vocabulary, {@link Capability#id()}
 * (e.g. {@code file_read}, {@code web_search}); {@code confidence} is in [0, 1] and says how sure the analyzer is of
 * the type, complexity and recommended pattern; {@code recommendedPattern} is a pattern name (e.g.
 * {@code orchestrator}) and may be null; {@code reasoning} is for humans.
 * <p>
 * {@code capabilityConfidence} (since 1.1) is in [0, 1] and says how sure the analyzer is that
 * {@code requiredCapabilities} is exactly the set the task needs, none missing and none superfluous. It is separate
 * because an analyzer can be sure of the pattern and unsure of the tools (a product named in passing, say); the
 * analysis service asks the next analyzer when either is below its threshold. Analyzers written against 1.0 use the
 * constructor without it, which takes {@code confidence} for both.
 * <p>
 * {@code passedOver} (since 1.4) names the analyzers the analysis service asked besides the one that answered, in the
 * order it asked them, with why each answer was not taken; empty from an analyzer itself and when the first analyzer
 * asked answered.
 * <p>
 * {@code requiredCapabilities} iterates in name order (since 1.7), so that the analysis reads and is stored the same in
 * every run; before, its order changed from one JVM to the next.
 */
public record TaskAnalysis(TaskType type, Complexity complexity, int estimatedSteps, Set<String> requiredCapabilities,
                           double confidence, String recommendedPattern, String reasoning, String analyzerId,
                           double capabilityConfidence, List<AnalyzerPassedOver> passedOver) {
    public TaskAnalysis {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(complexity, "complexity");
        if (estimatedSteps < 0) {
            throw new IllegalArgumentException("estimatedSteps must be >= 0, was " + estimatedSteps);
        }
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within [0, 1], was " + confidence);
        }
        if (!(capabilityConfidence >= 0.0 && capabilityConfidence <= 1.0)) {
            throw new IllegalArgumentException("capabilityConfidence must be within [0, 1], was "
                    + capabilityConfidence);
        }
        requiredCapabilities = requiredCapabilities == null ? Set.of()
                : Collections.unmodifiableSortedSet(new TreeSet<>(requiredCapabilities));
        reasoning = reasoning == null ? "" : reasoning;
        passedOver = passedOver == null ? List.of() : List.copyOf(passedOver);
    }

    /** An analysis as an analyzer gives it: no other analyzer was passed over for it. */
    public TaskAnalysis(TaskType type, Complexity complexity, int estimatedSteps, Set<String> requiredCapabilities,
                        double confidence, String recommendedPattern, String reasoning, String analyzerId,
                        double capabilityConfidence) {
        this(type, complexity, estimatedSteps, requiredCapabilities, confidence, recommendedPattern, reasoning,
                analyzerId, capabilityConfidence, List.of());
    }

    /** An analysis equally sure of its capabilities as of the rest: {@code capabilityConfidence} is {@code confidence}. */
    public TaskAnalysis(TaskType type, Complexity complexity, int estimatedSteps, Set<String> requiredCapabilities,
                        double confidence, String recommendedPattern, String reasoning, String analyzerId) {
        this(type, complexity, estimatedSteps, requiredCapabilities, confidence, recommendedPattern, reasoning,
                analyzerId, confidence);
    }

    /** This analysis attributed to {@code analyzerId}, everything else unchanged. */
    public TaskAnalysis withAnalyzerId(String analyzerId) {
        return new TaskAnalysis(type, complexity, estimatedSteps, requiredCapabilities, confidence, recommendedPattern,
                reasoning, analyzerId, capabilityConfidence, passedOver);
    }

    /** This analysis with {@code reasoning} replaced, everything else unchanged. */
    public TaskAnalysis withReasoning(String reasoning) {
        return new TaskAnalysis(type, complexity, estimatedSteps, requiredCapabilities, confidence, recommendedPattern,
                reasoning, analyzerId, capabilityConfidence, passedOver);
    }

    /** This analysis with {@code passedOver} replaced, everything else unchanged. Since 1.4. */
    public TaskAnalysis withPassedOver(List<AnalyzerPassedOver> passedOver) {
        return new TaskAnalysis(type, complexity, estimatedSteps, requiredCapabilities, confidence, recommendedPattern,
                reasoning, analyzerId, capabilityConfidence, passedOver);
    }
}
