package io.mcpagent.analyzer.heuristic.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

/**
 * Turns a {@link Scan} into a {@link TaskAnalysis}; the rules are in the module README. Stateless.
 */
final class Decision {
    static final String ANALYZER_ID = "heuristic";

    private static final TaskType[] TYPES = TaskType.values();
    /** Names as the reasoning writes them ("content_creation", "moderate"), computed once. */
    private static final String[] TYPE_NAMES = lowerCaseNames(TYPES);
    private static final String[] COMPLEXITY_NAMES = lowerCaseNames(Complexity.values());
    /**
     * Every confidence (two decimals) as the reasoning writes it ("0.85"), computed once: formatting a double cost
     * about 3% of an analysis.
     */
    private static final String[] CONFIDENCE_TEXTS = confidenceTexts();
    /*
     * Pattern scoring (patternScores): the cue evidence of each pattern times its weight (by Pattern ordinal), a
     * baseline for direct, list items for parallel, options for router, further steps, order cues, capabilities and
     * kinds of work for orchestrator. The structure is the design; the numbers were fitted on the ten development
     * files by a coordinate search over them (pattern accuracy there 0.885 to 0.897; in file-level cross-validation,
     * fitted on nine files and scored on the tenth, 0.885 to 0.892).
     */
    private static final double[] CUE_WEIGHTS = {1.0, 0.7, 1.25, 0.7, 1.25, 1.0};
    private static final double DIRECT_BASELINE = 1.0;
    /** A list under a verb that makes, writes or reworks one thing counts this much: it may be that thing's parts. */
    private static final double PARTS_LIST_WEIGHT = 0.5;
    private static final double FOUR_ITEMS = 1.8;
    private static final double THREE_ITEMS = 1.05;
    private static final double TWO_ITEMS = 0.33;
    private static final double COLLECTIVE_ITEMS = 1.5;
    private static final double NUMBERED_ITEMS = 0.5;
    private static final double THREE_OPTIONS = 2.25;
    private static final double TWO_OPTIONS = 0.6;
    private static final double PER_FURTHER_STEP = 0.5;
    private static final double PER_ORDER_CUE = 0.64;
    private static final double PER_FURTHER_CAPABILITY = 0.42;
    private static final double PER_FURTHER_DOMAIN = 0.3;
    private static final double READS_THEN_WRITES = 0.5;
    /** Words quoted for a decision of the capability model. */
    private static final int EVIDENCE_WORDS = 2;
    private static final int MULTI = TaskType.MULTI_DOMAIN.ordinal();
    private static final int GENERAL = TaskType.GENERAL.ordinal();

    private Decision() {
    }

    /**
     * The analysis of {@code text} from its scan; the capability set, the type and the complexity are the rules' as
     * {@code model} corrects them (the pattern and the steps are the rules' alone).
     */
    static TaskAnalysis of(Scan scan, String text, CapabilityModel model) {
        if (scan.words == 0) {
            return new TaskAnalysis(TaskType.GENERAL, Complexity.SIMPLE, 0, Set.of(), 0.0, Pattern.DIRECT.id(),
                    text.isBlank() ? "No words to analyse: an empty task is answered directly."
                            : "No words to analyse (only symbols or punctuation): the task is answered directly.",
                    ANALYZER_ID, 0.0);
        }
        int ruleMask = capabilities(scan);
        int capabilityCount = Integer.bitCount(ruleMask);
        int steps = Math.max(1, scan.steps);
        int domains = Integer.bitCount(scan.segmentTypes);

        // Type: the strongest kind of work other than GENERAL; the runner-up tells how clear that is.
        float[] typeScores = scan.typeScores;
        int best = -1;
        int second = -1;
        for (int t = 0; t < TYPES.length; t++) {
            if (t == MULTI || t == GENERAL) {
                continue;
            }
            if (best < 0 || typeScores[t] > typeScores[best]) {
                second = best;
                best = t;
            } else if (second < 0 || typeScores[t] > typeScores[second]) {
                second = t;
            }
        }
        TaskType type = type(typeScores, best, second, domains, steps);
        boolean typeUnclear = type == TaskType.MULTI_DOMAIN
                || (typeScores[best] > 0 && typeScores[second] >= 0.75 * typeScores[best]);

        double[] scores = patternScores(scan, steps, capabilityCount, domains, ruleMask);
        int chosen = 0;
        int runnerUp = -1;
        for (int p = 1; p < scores.length; p++) {
            if (scores[p] > scores[chosen]) {
                runnerUp = chosen;
                chosen = p;
            } else if (runnerUp < 0 || scores[p] > scores[runnerUp]) {
                runnerUp = p;
            }
        }
        Pattern pattern = Pattern.ofOrdinal(chosen);
        Complexity complexity = complexity(scan, type, pattern, capabilityCount);
        double confidence = confidence(scan, scores[chosen], scores[runnerUp], typeUnclear);
        CapabilityModel.Scoring scoring = model.score(text, scan.modelTokens, ruleMask, pattern, type, complexity);
        int capabilityMask = scoring.mask;
        double capabilityConfidence = bounded(scoring.confidence());

        String reasoning = reasoning(scan, scoring, type, complexity, steps, ruleMask, pattern, confidence,
                capabilityConfidence, text.length());
        return new TaskAnalysis(scoring.type, scoring.complexity, steps, names(capabilityMask), confidence,
                pattern.id(), reasoning, ANALYZER_ID, capabilityConfidence);
    }

    /**
     * MULTI_DOMAIN when at least three kinds of work each led a segment, the runner-up is not far behind and there
     * are at least three steps; GENERAL when no kind of work has clear evidence or general cues outweigh it.
     */
    private static TaskType type(float[] typeScores, int best, int second, int domains, int steps) {
        if (domains >= 3 && typeScores[second] >= 0.6f * typeScores[best] && steps >= 3) {
            return TaskType.MULTI_DOMAIN;
        }
        if (typeScores[best] < 1.0f || typeScores[GENERAL] > typeScores[best]) {
            return TaskType.GENERAL;
        }
        return TYPES[best];
    }

    /** Cue evidence per pattern plus the task's structure; direct is the baseline to beat. */
    private static double[] patternScores(Scan scan, int steps, int capabilityCount, int domains, int capabilityMask) {
        double[] scores = new double[Pattern.count()];
        for (int p = 0; p < scores.length; p++) {
            scores[p] = CUE_WEIGHTS[p] * scan.patternScores[p];
        }
        scores[Pattern.DIRECT.ordinal()] += DIRECT_BASELINE;
        // A list is several items to handle alike, unless the task makes, writes or reworks one thing of which they
        // are parts ("create a page with sections for agenda, travel and budget", "proofread this letter: grammar
        // and typos only").
        Signal head = scan.headVerb;
        boolean partsOfOneThing = head != null
                && (head.has(Signal.MAKES) || head.has(Signal.AUTHORS) || head.has(Signal.REWORKS));
        // A puzzle to reason through lists its own people and objects ("Ana, Ben and Cy each say..."): they are
        // its facts, neither items to handle alike nor options to route between.
        boolean puzzleFacts = (capabilityMask & Capability.REASONING.bit()) != 0;
        double listWeight = puzzleFacts ? 0.0 : partsOfOneThing ? PARTS_LIST_WEIGHT : 1.0;
        scores[Pattern.PARALLEL.ordinal()] += listWeight * (scan.maxItems >= 4 ? FOUR_ITEMS
                : scan.maxItems == 3 ? THREE_ITEMS : scan.maxItems == 2 ? TWO_ITEMS : 0.0)
                + (scan.collectiveItems >= 2 ? COLLECTIVE_ITEMS : scan.numberedItems >= 3 ? NUMBERED_ITEMS : 0.0);
        if (!puzzleFacts) {
            scores[Pattern.ROUTER.ordinal()] += scan.maxChoices >= 3 ? THREE_OPTIONS
                    : scan.maxChoices == 2 ? TWO_OPTIONS : 0.0;
        }
        scores[Pattern.ORCHESTRATOR.ordinal()] += PER_FURTHER_STEP * (steps - 1) + PER_ORDER_CUE * scan.sequenceCues
                + PER_FURTHER_CAPABILITY * Math.max(0, capabilityCount - 1)
                + PER_FURTHER_DOMAIN * Math.max(0, domains - 1)
                + (steps >= 2 && scan.readsThenWrites ? READS_THEN_WRITES : 0.0);
        return scores;
    }

    /**
     * Size from steps, capabilities, length, domains, explicit cues, and whether the work needs more than one agent;
     * then what the pattern implies: one agent in one loop is at most moderate work, a plan, a fan-out, a
     * conversation of several roles or a refinement loop at least moderate.
     */
    private static Complexity complexity(Scan scan, TaskType type, Pattern pattern, int capabilityCount) {
        boolean severalAgents = pattern != Pattern.DIRECT && pattern != Pattern.ROUTER;
        double size = 0.5 * scan.steps + 0.25 * capabilityCount + scan.complexity + scan.words / 20.0
                + (type == TaskType.MULTI_DOMAIN ? 1.0 : 0.0) + (severalAgents ? 1.0 : 0.0);
        Complexity complexity = size <= 2.5 ? Complexity.SIMPLE
                : size <= 4.0 ? Complexity.MODERATE
                : size <= 6.0 ? Complexity.COMPLEX
                : Complexity.EXPERT;
        if (pattern == Pattern.DIRECT && complexity.compareTo(Complexity.MODERATE) > 0) {
            return Complexity.MODERATE;
        }
        if (severalAgents && complexity == Complexity.SIMPLE) {
            return Complexity.MODERATE;
        }
        return complexity;
    }

    /**
     * Higher with more cues and a clearer lead of the chosen pattern over the runner-up, lower when the type is
     * unclear; within [0.05, 0.95], two decimals.
     */
    private static double confidence(Scan scan, double chosen, double runnerUp, boolean typeUnclear) {
        double margin = (chosen - runnerUp) / Math.max(1.0, chosen);
        double evidence = Math.min(1.0, scan.cues / 3.0);
        double confidence = 0.15 + 0.35 * evidence + 0.45 * margin * (0.5 + 0.5 * evidence);
        if (typeUnclear) {
            confidence -= 0.1;
        }
        return bounded(confidence);
    }

    /** A confidence within [0.05, 0.95], two decimals: as the analysis and its reasoning give it. */
    private static double bounded(double confidence) {
        return Math.round(Math.max(0.05, Math.min(0.95, confidence)) * 100) / 100.0;
    }

    /** Capabilities the scan found (negated cues named none); a browser loads pages itself, so no web_fetch. */
    private static int capabilities(Scan scan) {
        int mask = scan.capabilities;
        if ((mask & Capability.BROWSER_AUTOMATION.bit()) != 0) {
            mask &= ~Capability.WEB_FETCH.bit(); // the browser loads the page itself
        }
        return mask;
    }

    private static Set<String> names(int mask) {
        String[] names = new String[Integer.bitCount(mask)];
        int i = 0;
        for (int remaining = mask; remaining != 0; remaining &= remaining - 1) {
            names[i++] = Capability.ofOrdinal(Integer.numberOfTrailingZeros(remaining)).id();
        }
        return Set.of(names);
    }

    private static String reasoning(Scan scan, CapabilityModel.Scoring scoring, TaskType type, Complexity complexity,
                                    int steps, int ruleMask, Pattern pattern, double confidence,
                                    double capabilityConfidence, int textLength) {
        int capabilityMask = scoring.mask;
        StringBuilder out = new StringBuilder(320);
        // The type the model settled on; where it differs from the rules', their cues follow as what was overruled.
        boolean typeOverruled = scoring.type != type;
        out.append(TYPE_NAMES[scoring.type.ordinal()]);
        out.append(typeOverruled ? " by the words of the task (the cues said " + TYPE_NAMES[type.ordinal()] + ": "
                : ": ");
        if (type == TaskType.MULTI_DOMAIN) {
            boolean first = true;
            for (int remaining = scan.segmentTypes; remaining != 0; remaining &= remaining - 1) {
                int t = Integer.numberOfTrailingZeros(remaining);
                if (!first) {
                    out.append(", ");
                }
                first = false;
                out.append(TYPE_NAMES[t]).append(' ');
                quote(out, scan.typeEvidence, t * Scan.EVIDENCE_SLOTS, 1);
            }
        } else if (!quote(out, scan.typeEvidence, type.ordinal() * Scan.EVIDENCE_SLOTS, Scan.EVIDENCE_SLOTS)) {
            out.append("no specific cue");
        }
        if (typeOverruled) {
            out.append(')');
        }
        out.append("; ").append(pattern.id()).append(": ");
        int patternCues = pattern.ordinal() * Scan.EVIDENCE_SLOTS;
        switch (pattern) {
            case DIRECT -> out.append(steps == 1 ? "one step" : steps + " steps").append(", one deliverable");
            case ORCHESTRATOR -> {
                out.append(steps).append(steps == 1 ? " step" : " dependent steps");
                cuesInParentheses(out, scan.stepEvidence, 0, true);
                if (scan.sequenceCues > 0) {
                    out.append(", ").append(scan.sequenceCues).append(scan.sequenceCues == 1 ? " order cue" : " order cues");
                }
            }
            case PARALLEL -> {
                int items = Math.max(scan.maxItems, Math.max(scan.numberedItems, scan.collectiveItems));
                if (items >= 2) {
                    out.append(items).append(" independent items");
                }
                cuesInParentheses(out, scan.patternEvidence, patternCues, items >= 2);
            }
            case ROUTER -> {
                if (scan.maxChoices >= 2) {
                    out.append(scan.maxChoices).append(" options");
                }
                cuesInParentheses(out, scan.patternEvidence, patternCues, scan.maxChoices >= 2);
            }
            default -> quote(out, scan.patternEvidence, patternCues, Scan.EVIDENCE_SLOTS);
        }
        out.append(". Capabilities: ");
        if (capabilityMask == 0) {
            out.append("none");
        }
        // The rules' capabilities the model kept, with their cues; then those it added and those it dropped.
        int kept = capabilityMask & ruleMask;
        int added = capabilityMask & ~ruleMask;
        int dropped = ruleMask & ~capabilityMask;
        capabilities(out, kept, scan.capabilityEvidence, null, null);
        if (added != 0) {
            capabilities(out.append(kept != 0 ? ", " : ""), added, null, scoring, scan.lexicon());
        }
        if (dropped != 0) {
            capabilities(out.append(", dropped: "), dropped, scan.capabilityEvidence, scoring, scan.lexicon());
        }
        int ruledOut = scan.negatedCapabilities & ~capabilityMask & ~dropped;
        if (ruledOut != 0) {
            capabilities(out.append(", ruled out by negation: "), ruledOut, null, null, null);
        }
        out.append("; ").append(COMPLEXITY_NAMES[scoring.complexity.ordinal()]).append(" (");
        if (scoring.complexity != complexity) {
            out.append("by the words of the task, the cues said ").append(COMPLEXITY_NAMES[complexity.ordinal()])
                    .append("; ");
        }
        out.append(steps).append(steps == 1 ? " step" : " steps");
        if (scan.complexityEvidence[0] != null) {
            out.append(", ");
            quote(out, scan.complexityEvidence, 0, Scan.EVIDENCE_SLOTS);
        }
        out.append("); confidence ").append(confidenceText(confidence)).append(", of the capabilities ")
                .append(confidenceText(capabilityConfidence));
        if (scan.scannedChars < textLength) {
            out.append("; only the first ").append(scan.scannedChars).append(" of ").append(textLength)
                    .append(" characters were scanned");
        }
        return out.append('.').toString();
    }

    /**
     * "web_search ('research'), messaging ('email')": the capabilities of {@code mask} with their cues, and where the
     * capability model decided (it is given) its probability and the words that weighed most for that decision
     * ("file_read (similar tasks 0.81, for: 'tests', 'save')", "web_search ('look up'; similar tasks 0.13, against:
     * 'shops')").
     */
    private static void capabilities(StringBuilder out, int mask, Signal[] evidence, CapabilityModel.Scoring model,
                                     Lexicon lexicon) {
        boolean first = true;
        for (int remaining = mask; remaining != 0; remaining &= remaining - 1) {
            int c = Integer.numberOfTrailingZeros(remaining);
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(Capability.ofOrdinal(c).id());
            boolean cue = evidence != null && evidence[c] != null;
            if (cue || model != null) {
                out.append(" (");
                if (cue) {
                    out.append(evidence[c].quoted);
                }
                if (model != null) {
                    modelDecision(out.append(cue ? "; " : ""), model, Capability.ofOrdinal(c), lexicon);
                }
                out.append(')');
            }
        }
    }

    /** "similar tasks 0.13, against: 'shops', 'kettle'": the model's probability and the words behind it. */
    private static void modelDecision(StringBuilder out, CapabilityModel.Scoring model, Capability capability,
                                      Lexicon lexicon) {
        double probability = model.probability(capability);
        out.append("similar tasks ").append(confidenceText(Math.round(probability * 100) / 100.0));
        boolean needed = probability > 0.5;
        List<String> words = model.strongestWords(capability, needed, EVIDENCE_WORDS, lexicon);
        if (!words.isEmpty()) {
            out.append(needed ? ", for: '" : ", against: '").append(String.join("', '", words)).append('\'');
        }
    }

    /** Appends " ('cue', 'cue')" (without the space when {@code afterText} is false), or nothing without cues. */
    private static void cuesInParentheses(StringBuilder out, Signal[] slots, int from, boolean afterText) {
        int mark = out.length();
        out.append(afterText ? " (" : "(");
        if (quote(out, slots, from, Scan.EVIDENCE_SLOTS)) {
            out.append(')');
        } else {
            out.setLength(mark);
        }
    }

    private static String[] confidenceTexts() {
        String[] texts = new String[101];
        for (int hundredths = 0; hundredths < texts.length; hundredths++) {
            texts[hundredths] = Double.toString(hundredths / 100.0);
        }
        return texts;
    }

    /** {@code confidence} as {@link Double#toString} writes it. */
    private static String confidenceText(double confidence) {
        long hundredths = Math.round(confidence * 100);
        return hundredths >= 0 && hundredths <= 100 && hundredths / 100.0 == confidence
                ? CONFIDENCE_TEXTS[(int) hundredths] : Double.toString(confidence);
    }

    private static String[] lowerCaseNames(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /** Appends up to {@code max} quoted cues from {@code slots[from...]}; false when there were none. */
    private static boolean quote(StringBuilder out, Signal[] slots, int from, int max) {
        int written = 0;
        for (int i = from; i < from + max && i < slots.length && slots[i] != null; i++) {
            if (written > 0) {
                out.append(", ");
            }
            out.append(slots[i].quoted);
            written++;
        }
        return written > 0;
    }
}
