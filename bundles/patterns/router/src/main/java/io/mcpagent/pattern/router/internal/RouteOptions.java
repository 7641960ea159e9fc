package io.mcpagent.pattern.router.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * The settings one routing runs with: the configured defaults, overridden by the request's options of the same
 * names. {@code aggregator} is a worker name or null; {@code provider} and {@code model} are empty for "any".
 */
record RouteOptions(int topK, double minConfidence, boolean servers, String aggregator, String provider, String model) {
    static final String TOP_K = "topK";
    static final String MIN_CONFIDENCE = "minConfidence";
    static final String SERVERS = "servers";
    static final String AGGREGATOR = "aggregator";
    static final String PROVIDER = "provider";
    static final String MODEL = "model";

    /** @throws IllegalArgumentException naming the setting that is out of range */
    RouteOptions {
        ConfigRanges.atLeast(TOP_K, topK, 1);
        ConfigRanges.withinUnit(MIN_CONFIDENCE, minConfidence);
        provider = provider == null ? "" : provider.strip();
        model = model == null ? "" : model.strip();
    }

    /** The configured defaults; a value out of range is an IllegalArgumentException naming the property. */
    static RouteOptions defaults(RouterConfig config) {
        return new RouteOptions(config.topK(), config.minConfidence(), config.servers(), null, config.provider(),
                config.model());
    }

    /** These defaults overridden by the request's options; an option that is wrong is refused with its name. */
    RouteOptions overriddenBy(WorkflowRequest request) {
        try {
            return new RouteOptions(
                    wholeNumber(request.option(TOP_K, null), topK),
                    fraction(request.option(MIN_CONFIDENCE, null), minConfidence),
                    yesNo(request.option(SERVERS, null), servers),
                    request.option(AGGREGATOR, aggregator),
                    request.option(PROVIDER, provider),
                    request.option(MODEL, model));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + e.getMessage(), e);
        }
    }

    /** What the agents the pattern creates ask of a model: the pinned provider and model, if any. */
    ModelRequirements modelRequirements() {
        if (provider.isEmpty() && model.isEmpty()) {
            return ModelRequirements.ANY;
        }
        return new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST,
                provider.isEmpty() ? null : provider, model.isEmpty() ? null : model, List.of());
    }

    static double clamp(double confidence) {
        return Double.isNaN(confidence) ? 0.0 : Math.max(0.0, Math.min(1.0, confidence));
    }

    private static int wholeNumber(String text, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TOP_K + " must be a whole number, was '" + text + "'");
        }
    }

    private static double fraction(String text, double fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MIN_CONFIDENCE + " must be a number within [0, 1], was '" + text + "'");
        }
    }

    private static boolean yesNo(String text, boolean fallback) {
        if (text == null) {
            return fallback;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(SERVERS + " must be true or false, was '" + text + "'");
        };
    }
}
