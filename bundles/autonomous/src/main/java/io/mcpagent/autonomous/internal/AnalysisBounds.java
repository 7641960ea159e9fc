package io.mcpagent.autonomous.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.task.Capability;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * Keeps a third-party analyzer's analysis within what the rest of the platform works with. {@link TaskAnalysis} itself
 * refuses a null type or complexity, negative steps and confidences outside [0, 1] or NaN; what it lets through and
 * this corrects, with one WARN naming the analyzer and each field: capabilities outside the vocabulary
 * ({@link Capability}) are dropped (no server can be found for them: the catalog takes none), the rest spelt as the
 * vocabulary does ({@code Web-Search} is {@code web_search}); {@code estimatedSteps} above {@value #MAX_STEPS} becomes
 * {@value #MAX_STEPS}; a blank {@code recommendedPattern} becomes none.
 */
final class AnalysisBounds {
    /** The most steps an analysis may estimate: the LLM analyzer's upper bound; no pattern tells more steps apart. */
    static final int MAX_STEPS = 50;
    /** How many dropped capabilities the warning names, and how much of each: an analyzer may send anything. */
    private static final int NAMED = 5;
    private static final int NAME_CHARS = 40;
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisBounds.class);

    private AnalysisBounds() {
    }

    /** The analysis within bounds: the same instance when it was (the usual case, checked without copying it). */
    static TaskAnalysis checked(TaskAnalysis analysis, String analyzerId) {
        if (withinBounds(analysis)) {
            return analysis;
        }
        List<String> corrections = new ArrayList<>(3);
        Set<String> capabilities = new LinkedHashSet<>();
        List<String> dropped = new ArrayList<>();
        for (String capability : analysis.requiredCapabilities()) {
            vocabularyId(capability).ifPresentOrElse(capabilities::add, () -> dropped.add(capability));
        }
        if (!dropped.isEmpty()) {
            corrections.add("requiredCapabilities: dropped " + named(dropped) + ", not in the capability vocabulary"
                    + " (io.mcpagent.api.task.Capability)");
        }
        int steps = analysis.estimatedSteps();
        if (steps > MAX_STEPS) {
            corrections.add("estimatedSteps: " + steps + " taken as " + MAX_STEPS + ", the most an analysis may"
                    + " estimate");
            steps = MAX_STEPS;
        }
        String pattern = analysis.recommendedPattern();
        if (pattern != null && pattern.isBlank()) {
            corrections.add("recommendedPattern: blank, taken as none");
            pattern = null;
        }
        if (!corrections.isEmpty()) {
            LOG.warn("task analyzer '{}' gave an analysis out of bounds, corrected: {}", analyzerId,
                    String.join("; ", corrections));
        }
        return new TaskAnalysis(analysis.type(), analysis.complexity(), steps, capabilities, analysis.confidence(),
                pattern, analysis.reasoning(), analysis.analyzerId(), analysis.capabilityConfidence(),
                analysis.passedOver());
    }

    private static boolean withinBounds(TaskAnalysis analysis) {
        if (analysis.estimatedSteps() > MAX_STEPS
                || analysis.recommendedPattern() != null && analysis.recommendedPattern().isBlank()) {
            return false;
        }
        for (String capability : analysis.requiredCapabilities()) {
            if (Capability.ofId(capability).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The vocabulary's id of a capability spelt in any case, with spaces or hyphens for underscores. */
    private static Optional<String> vocabularyId(String capability) {
        return Capability.ofId(CapabilityIndex.normalise(capability)).map(Capability::id);
    }

    private static String named(List<String> capabilities) {
        String names = capabilities.stream().limit(NAMED)
                .map(name -> "'" + (name.length() > NAME_CHARS ? name.substring(0, NAME_CHARS) + "..." : name)
                        .replaceAll("\\p{Cntrl}", "?") + "'") // no line breaks of theirs in our log
                .collect(Collectors.joining(", "));
        return capabilities.size() > NAMED ? names + " and " + (capabilities.size() - NAMED) + " more" : names;
    }
}
