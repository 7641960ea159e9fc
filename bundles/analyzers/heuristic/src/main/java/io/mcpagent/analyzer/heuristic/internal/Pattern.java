package io.mcpagent.analyzer.heuristic.internal;

/** The workflow patterns the analyzer may recommend, by their plugin names; the ordinal indexes score arrays. */
enum Pattern {
    DIRECT("direct"),
    PARALLEL("parallel"),
    ROUTER("router"),
    ORCHESTRATOR("orchestrator"),
    SWARM("swarm"),
    EVALUATOR_OPTIMIZER("evaluator-optimizer");

    private static final Pattern[] ALL = values();

    private final String id;

    Pattern(String id) {
        this.id = id;
    }

    /** The pattern's plugin name, e.g. {@code evaluator-optimizer}. */
    String id() {
        return id;
    }

    static Pattern ofOrdinal(int ordinal) {
        return ALL[ordinal];
    }

    static int count() {
        return ALL.length;
    }
}
