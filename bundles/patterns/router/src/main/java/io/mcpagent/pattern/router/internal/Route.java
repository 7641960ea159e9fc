package io.mcpagent.pattern.router.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routing decision: every choice of the routing agent with what became of it, best first, and notes on what
 * was adjusted. A confidence outside [0, 1] is clamped into it (and noted) rather than failing the execution: the
 * schema already asks for the range, and an over-eager 1.2 still ranks the candidate clearly.
 */
record Route(List<Decision> decisions, List<String> notes) {

    /** What became of one choice. */
    enum Verdict {
        SELECTED, UNKNOWN_CANDIDATE, DUPLICATE, BELOW_MIN_CONFIDENCE, BEYOND_TOP_K;

        /** As it appears in the route event: {@code below-min-confidence}. */
        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    record Decision(Choice choice, Verdict verdict) {
    }

    Route {
        decisions = List.copyOf(decisions);
        notes = List.copyOf(notes);
    }

    /**
     * Ranks the choices by confidence (ties keep the agent's order) and selects, from the top, the first
     * {@code topK} that name a candidate, were not chosen before, and reach {@code minConfidence}.
     */
    static Route decide(List<Choice> choices, Set<String> candidates, int topK, double minConfidence) {
        List<String> notes = new ArrayList<>();
        List<Choice> ranked = new ArrayList<>();
        for (Choice choice : choices) {
            double clamped = RouteOptions.clamp(choice.confidence());
            if (clamped != choice.confidence()) {
                notes.add("confidence " + choice.confidence() + " of '" + choice.candidate() + "' is outside [0, 1]: "
                        + "taken as " + clamped);
            }
            ranked.add(new Choice(choice.candidate(), clamped, choice.reasoning()));
        }
        ranked.sort(Comparator.comparingDouble(Choice::confidence).reversed());
        List<Decision> decisions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int selected = 0;
        for (Choice choice : ranked) {
            Verdict verdict;
            if (!candidates.contains(choice.candidate())) {
                verdict = Verdict.UNKNOWN_CANDIDATE;
                notes.add("'" + choice.candidate() + "' is not a candidate: ignored");
            } else if (!seen.add(choice.candidate())) {
                verdict = Verdict.DUPLICATE;
            } else if (choice.confidence() < minConfidence) {
                verdict = Verdict.BELOW_MIN_CONFIDENCE;
            } else if (selected == topK) {
                verdict = Verdict.BEYOND_TOP_K;
            } else {
                verdict = Verdict.SELECTED;
                selected++;
            }
            decisions.add(new Decision(choice, verdict));
        }
        return new Route(decisions, notes);
    }

    /** The route when there is one candidate only: it is taken without asking a model. */
    static Route only(String candidate) {
        return new Route(List.of(new Decision(new Choice(candidate, 1.0, "the only candidate"), Verdict.SELECTED)),
                List.of("only one candidate: taken without a routing model call"));
    }

    /** The selected choices, best first. */
    List<Choice> selected() {
        return decisions.stream().filter(d -> d.verdict() == Verdict.SELECTED).map(Decision::choice).toList();
    }

    /** Why nothing was selected, for the error of the execution. */
    String whyNothingSelected(List<String> candidates, double minConfidence) {
        if (decisions.isEmpty()) {
            return "the routing agent chose no candidate";
        }
        String reasons = decisions.stream().map(d -> switch (d.verdict()) {
            case UNKNOWN_CANDIDATE -> "'" + d.choice().candidate() + "' is not a candidate";
            case BELOW_MIN_CONFIDENCE -> "'" + d.choice().candidate() + "' has confidence " + d.choice().confidence()
                    + " < minConfidence " + minConfidence;
            default -> "'" + d.choice().candidate() + "' was " + d.verdict().id();
        }).collect(Collectors.joining(", "));
        return "no choice of the routing agent can run (" + reasons + "); the candidates are "
                + String.join(", ", candidates);
    }
}
