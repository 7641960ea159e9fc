package io.mcpagent.pattern.orchestrator.internal;

import java.util.Locale;
import java.util.Map;

import io.mcpagent.api.runtime.ConfigRanges;

/** The settings of one execution: the configured defaults, overridden by the request's options. */
record Settings(Mode mode, int maxSteps, boolean synthesize, boolean failFast, int maxResultChars,
                int maxContextChars) {
    static final String MODE = "mode";
    static final String MAX_STEPS = "maxSteps";
    static final String SYNTHESIZE = "synthesize";
    static final String FAIL_FAST = "failFast";
    static final String MAX_RESULT_CHARS = "maxResultChars";
    static final String MAX_CONTEXT_CHARS = "maxContextChars";

    Settings {
        atLeastOne(MAX_STEPS, maxSteps);
        atLeastOne(MAX_RESULT_CHARS, maxResultChars);
        atLeastOne(MAX_CONTEXT_CHARS, maxContextChars);
    }

    /** The configured defaults; a bad value is an IllegalArgumentException naming the property. */
    static Settings from(OrchestratorConfig config) {
        return new Settings(Mode.parse(config.mode(), MODE), config.maxSteps(), config.synthesize(),
                config.failFast(), config.maxResultChars(), config.maxContextChars());
    }

    /** These settings with the request's options applied; a bad option is an IllegalArgumentException naming it. */
    Settings withOptions(Map<String, String> options) {
        try {
            return new Settings(
                    has(options, MODE) ? Mode.parse(options.get(MODE), MODE) : mode,
                    has(options, MAX_STEPS) ? number(options, MAX_STEPS) : maxSteps,
                    has(options, SYNTHESIZE) ? bool(options, SYNTHESIZE) : synthesize,
                    has(options, FAIL_FAST) ? bool(options, FAIL_FAST) : failFast,
                    has(options, MAX_RESULT_CHARS) ? number(options, MAX_RESULT_CHARS) : maxResultChars,
                    has(options, MAX_CONTEXT_CHARS) ? number(options, MAX_CONTEXT_CHARS) : maxContextChars);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + e.getMessage(), e);
        }
    }

    private static boolean has(Map<String, String> options, String name) {
        String value = options.get(name);
        return value != null && !value.isBlank();
    }

    private static int number(Map<String, String> options, String name) {
        String value = options.get(name).strip();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static boolean bool(Map<String, String> options, String name) {
        return switch (options.get(name).strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + options.get(name) + "'");
        };
    }

    private static void atLeastOne(String name, int value) {
        ConfigRanges.atLeast(name, value, 1);
    }
}
