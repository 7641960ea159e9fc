package io.mcpagent.pattern.orchestrator.internal;

import java.util.Locale;

/** When the planner plans: every step before the first runs ({@code full}), or one step at a time ({@code iterative}). */
enum Mode {
    FULL, ITERATIVE;

    static Mode parse(String value, String source) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "full" -> FULL;
            case "iterative" -> ITERATIVE;
            default -> throw new IllegalArgumentException(source + " must be 'full' or 'iterative', was '" + value + "'");
        };
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
