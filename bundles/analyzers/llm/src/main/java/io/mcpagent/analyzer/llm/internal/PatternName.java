package io.mcpagent.analyzer.llm.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The workflow patterns a model may recommend, by their registered names, with the labelling guide's meaning of each;
 * the instruction, the schema and the parser are built from this list.
 */
enum PatternName {
    DIRECT("direct", "one agent in one tool loop is enough: simple or moderate single-domain work with one "
            + "deliverable and no decomposition"),
    PARALLEL("parallel", "several independent sub-tasks of the same kind over several items or sources, run at the "
            + "same time and then combined (compare the pricing of A, B and C; check these five URLs)"),
    ROUTER("router", "the main decision is which ONE specialist, tool, server or team handles the request: triage, "
            + "classification and dispatch"),
    ORCHESTRATOR("orchestrator", "a multi-step plan with dependent steps or several capabilities in sequence: "
            + "gather, then process, then produce or act (research X, write a report and email it)"),
    SWARM("swarm", "several roles hand the conversation to each other as it unfolds: open-ended dialogue with "
            + "handoffs (a support desk with triage, billing and technical agents; a mock negotiation)"),
    EVALUATOR_OPTIMIZER("evaluator-optimizer", "quality-driven iteration on one artefact: draft, critique against "
            + "criteria, refine (keep improving a cover letter until it is excellent)");

    private static final Map<String, PatternName> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(PatternName::id, Function.identity()));

    private final String id;
    private final String meaning;

    PatternName(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    /** The pattern's registered name, e.g. {@code evaluator-optimizer}. */
    String id() {
        return id;
    }

    String meaning() {
        return meaning;
    }

    /**
     * The pattern a model's label names: case, surrounding blanks, and underscores or spaces in place of hyphens are
     * forgiven ({@code "Evaluator_Optimizer"} is {@code evaluator-optimizer}); anything else names no pattern.
     */
    static Optional<PatternName> fromLabel(String label) {
        String normalised = label.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
        return Optional.ofNullable(BY_ID.get(normalised));
    }
}
