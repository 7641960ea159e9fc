package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accuracy on the labelled corpus (bundles/analyzers/corpus). All four files are development data now: the tables
 * were tuned on {@code dev.tsv} first; {@code test.tsv} was then evaluated once, held out, at pattern 0.809 and
 * capabilities 0.613 (exact set), and after that used for tuning as well. {@code holdout.tsv} (258 tasks, written
 * by someone who never saw the analyzer's code) was evaluated once with the analyzer frozen, at pattern 0.864 and
 * capabilities 0.702 (exact set). {@code holdout2.tsv} (260 tasks, written blind) was evaluated once with the
 * analyzer frozen at 4a4efeb, at pattern 0.842 (219 of 260) and capabilities 0.777 (202 of 260; micro F1 0.867,
 * precision 0.886, recall 0.849); those evaluations are spent, and the errors of all four files were analysed for
 * cue families and structural rules. The next held-out file, {@code holdout3.tsv}, is evaluated by the coordinator
 * ({@link #heldOutFileKeepsItsMeasuredFigures}); then a blind batch of six files and {@code holdout4.tsv}, then
 * {@code holdout5.tsv}, then {@code holdout6.tsv}, then a second blind batch of four files and {@code holdout7.tsv},
 * then a third and {@code holdout8.tsv}, then {@code holdout9.tsv}.
 * Prints the figures and the pattern confusion matrices; {@code -Dcorpus.misses=true} also prints the misses of the
 * development files.
 * <p>The goals are pattern accuracy >= 0.85 and capabilities accuracy (the exact set, per task) >= 0.90.
 * Where a file meets a goal the goal is asserted; where it does not, the floor is the measured figure minus a small
 * margin, so that the test guards against regressions without hiding the gap (see the module README).
 * <p>Since the capability model ({@link CapabilityModel}) the capability figures of the development files are its
 * training fit (every set right); its figure on tasks it was not trained on is cross-fitted in
 * {@code CapabilityModelTest} (0.836) and measured on the held-out files, whose floors below follow the measurement
 * with the model: holdout3 0.831, holdout4 0.792, holdout5 0.854, holdout6 0.803 (0.806 before a retraining for the
 * "send me" fix), holdout7 0.819, holdout8 0.798,
 * holdout9 0.827; all seven 0.818 (1,849 tasks; 0.773 with the rules alone). The patterns are the rules' alone.
 */
class CorpusAccuracyTest {
    private static final double PATTERN_GOAL = 0.85;
    private static final double CAPABILITIES_GOAL = 0.90;
    /** test.tsv, measured 0.8711 (169 of 194): below the goal. */
    private static final double TEST_FILE_CAPABILITIES_FLOOR = 0.86;
    /** holdout.tsv, measured 0.8682 (224 of 258) since it became development data (0.7016 at its evaluation). */
    private static final double HOLDOUT_FILE_CAPABILITIES_FLOOR = 0.85;
    /**
     * holdout2.tsv, measured 0.8385 (218 of 260) since it became development data (0.777 at its one held-out
     * evaluation; its pattern accuracy was 0.842 then and is 0.908 now).
     */
    private static final double HOLDOUT2_FILE_CAPABILITIES_FLOOR = 0.82;
    /** All four files, measured 0.8729 (790 of 905): below the goal. */
    private static final double COMBINED_CAPABILITIES_FLOOR = 0.86;

    /**
     * holdout3.tsv at its one held-out evaluation: 0.773 (201 of 260); 0.796 (207) after the fourth and fifth rounds
     * and the fitted pattern weights, which were made without looking at it (pattern 0.850 then, 0.873 now); 0.792
     * after the seventh round and 0.788 (205) after the eighth (pattern 0.865), made without looking at it either: the
     * floor follows the measurement down, it is not tuned back up.
     */
    private static final double HELD_OUT_CAPABILITIES_FLOOR = 0.82;
    /**
     * train1-6.tsv at their one blind evaluation: pattern 0.825, capabilities 0.715 (2,095 tasks); development data
     * since, at 0.826 and 0.747 after the rules for things named in passing (material, names, drafts, carried files),
     * and at 0.865 (1,813 of 2,095) and 0.790 (1,656) after the fifth round (subjects, items, loops, choices, casts);
     * pattern 0.877 (1,837) with the pattern weights fitted on the development files.
     */
    private static final double BLIND_BATCH_PATTERN_FLOOR = 0.87;
    private static final double BLIND_BATCH_CAPABILITIES_FLOOR = 0.79;
    /**
     * holdout4.tsv at its one held-out evaluation: pattern 0.838, capabilities 0.708 (260 tasks); pattern 0.865 (the
     * goal) and capabilities 0.731 after the fourth and fifth rounds and the fitted pattern weights, made without
     * looking at it; 0.873 and 0.754 after the seventh round (made without looking at it either).
     */
    private static final double SECOND_HELD_OUT_PATTERN_FLOOR = PATTERN_GOAL;
    private static final double SECOND_HELD_OUT_CAPABILITIES_FLOOR = 0.79;

    /**
     * holdout5.tsv (281 tasks written blind on 2026-12-04 by two writers who saw only the labelling guide), scored once
     * with the analyzer frozen at 5136e69: pattern 0.868 (the goal), capabilities 0.794 (micro F1 0.890); the analyzer
     * of the session before (99f8cc7) scores 0.843 and 0.758 on it. Held out.
     */
    private static final double THIRD_HELD_OUT_CAPABILITIES_FLOOR = 0.85;
    /**
     * holdout6.tsv (284 tasks written blind on 2026-12-04 by two more writers, a third of them traps), scored once with
     * the analyzer frozen at f890cee: pattern 0.873 (the goal), capabilities 0.736 (209 of 284; micro F1 0.866); the
     * version before rule round six (1ce15f4) scores the same. Held out; 0.754 after the seventh round, made without
     * looking at it.
     */
    private static final double FOURTH_HELD_OUT_CAPABILITIES_FLOOR = 0.80;
    /**
     * train7-10.tsv (551 tasks written blind on 2026-12-04 by four more writers, half of each file on a theme), scored
     * once with the analyzer frozen at e5bb3c8: pattern 0.829, capabilities 0.701 (micro F1 0.843); development data
     * since, at 0.829 and 0.735 after rule round seven.
     */
    private static final double SECOND_BLIND_BATCH_PATTERN_FLOOR = 0.82;
    private static final double SECOND_BLIND_BATCH_CAPABILITIES_FLOOR = 0.73;
    /**
     * holdout7.tsv (270 tasks written blind on 2026-12-04 by two more writers, no theme), scored once with the analyzer
     * before rule round seven (c7ebe3e: pattern 0.893, capabilities 0.752, micro F1 0.883) and once after it
     * (4eec187: pattern 0.896, capabilities 0.770, micro F1 0.892). Held out.
     */
    private static final double FIFTH_HELD_OUT_CAPABILITIES_FLOOR = 0.81;
    /**
     * train11-14.tsv (572 tasks written blind on 2026-12-04 by four more writers, half of each file on a theme), scored
     * once with the analyzer frozen at 51d3b64: pattern 0.855, capabilities 0.733 (micro F1 0.872); development data
     * since, and the source of rule round eight.
     */
    private static final double THIRD_BLIND_BATCH_PATTERN_FLOOR = 0.85;
    private static final double THIRD_BLIND_BATCH_CAPABILITIES_FLOOR = 0.74;
    /**
     * holdout8.tsv (263 tasks written blind on 2026-12-04 by two more writers, no theme), scored once with the analyzer
     * before rule round eight (51d3b64: pattern 0.833, capabilities 0.749, micro F1 0.878) and once after it (pattern
     * 0.840, capabilities 0.749, micro F1 0.879): the first held-out file below the pattern goal. Rule round nine,
     * written without looking at it, brought its pattern to 0.856. Held out.
     */
    private static final double SIXTH_HELD_OUT_PATTERN_FLOOR = PATTERN_GOAL;
    private static final double SIXTH_HELD_OUT_CAPABILITIES_FLOOR = 0.79;
    /**
     * holdout9.tsv (231 tasks written blind on 2026-12-04 by two more writers, no theme), scored once with the analyzer
     * before rule round nine (27bc6c3: pattern 0.874, capabilities 0.784, micro F1 0.907) and once after it (pattern
     * 0.896, capabilities 0.784). Held out.
     */
    private static final double SEVENTH_HELD_OUT_CAPABILITIES_FLOOR = 0.82;

    /** The four files written blind in a third batch (see the corpus README). */
    private static final List<String> THIRD_BLIND_BATCH = List.of("train11.tsv", "train12.tsv", "train13.tsv",
            "train14.tsv");
    /** The four files written blind in a second batch (see the corpus README). */
    private static final List<String> SECOND_BLIND_BATCH = List.of("train7.tsv", "train8.tsv", "train9.tsv",
            "train10.tsv");
    /** The six files of 350 tasks written blind in one batch (see the corpus README). */
    private static final List<String> BLIND_BATCH = List.of("train1.tsv", "train2.tsv", "train3.tsv", "train4.tsv",
            "train5.tsv", "train6.tsv");

    private static Scorecard dev;
    private static Scorecard test;
    private static Scorecard holdout;
    private static Scorecard holdout2;
    private static Scorecard combined;
    private static Scorecard heldOut;
    private static Scorecard blindBatch;
    private static Scorecard secondHeldOut;
    private static Scorecard thirdHeldOut;
    private static Scorecard fourthHeldOut;
    private static Scorecard secondBlindBatch;
    private static Scorecard fifthHeldOut;
    private static Scorecard thirdBlindBatch;
    private static Scorecard sixthHeldOut;
    private static Scorecard seventhHeldOut;
    private static Scorecard allHeldOut;

    @BeforeAll
    static void score() throws IOException {
        HeuristicTaskAnalyzer analyzer = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        Corpus devCorpus = Corpus.load("dev.tsv");
        Corpus testCorpus = Corpus.load("test.tsv");
        Corpus holdoutCorpus = Corpus.load("holdout.tsv");
        Corpus holdout2Corpus = Corpus.load("holdout2.tsv");
        dev = Scorecard.of(devCorpus, analyzer);
        test = Scorecard.of(testCorpus, analyzer);
        holdout = Scorecard.of(holdoutCorpus, analyzer);
        holdout2 = Scorecard.of(holdout2Corpus, analyzer);
        combined = Scorecard.of(Corpus.combine("combined", devCorpus, testCorpus, holdoutCorpus, holdout2Corpus),
                analyzer);
        heldOut = Scorecard.of(Corpus.load("holdout3.tsv"), analyzer);
        System.out.println(Scorecard.table(List.of(dev, test, holdout, holdout2, combined, heldOut)));
        List<Scorecard> batchCards = new ArrayList<>();
        for (String file : BLIND_BATCH) {
            batchCards.add(Scorecard.of(Corpus.load(file), analyzer));
        }
        blindBatch = Scorecard.of(Corpus.loadAll("train1-6", BLIND_BATCH), analyzer);
        secondHeldOut = Scorecard.of(Corpus.load("holdout4.tsv"), analyzer);
        thirdHeldOut = Scorecard.of(Corpus.load("holdout5.tsv"), analyzer);
        fourthHeldOut = Scorecard.of(Corpus.load("holdout6.tsv"), analyzer);
        secondBlindBatch = Scorecard.of(Corpus.loadAll("train7-10", SECOND_BLIND_BATCH), analyzer);
        fifthHeldOut = Scorecard.of(Corpus.load("holdout7.tsv"), analyzer);
        thirdBlindBatch = Scorecard.of(Corpus.loadAll("train11-14", THIRD_BLIND_BATCH), analyzer);
        sixthHeldOut = Scorecard.of(Corpus.load("holdout8.tsv"), analyzer);
        seventhHeldOut = Scorecard.of(Corpus.load("holdout9.tsv"), analyzer);
        allHeldOut = Scorecard.of(Corpus.loadAll("held-out", List.of("holdout3.tsv", "holdout4.tsv", "holdout5.tsv",
                "holdout6.tsv", "holdout7.tsv", "holdout8.tsv", "holdout9.tsv")), analyzer);
        batchCards.addAll(List.of(blindBatch, secondHeldOut, thirdHeldOut, fourthHeldOut, secondBlindBatch,
                fifthHeldOut, thirdBlindBatch, sixthHeldOut, seventhHeldOut, allHeldOut));
        System.out.println(Scorecard.table(batchCards));
        for (Scorecard card : List.of(dev, test, holdout, holdout2, combined, heldOut)) {
            System.out.println(card.confusionMatrix());
        }
        if (Boolean.getBoolean("corpus.misses")) {
            for (Scorecard card : List.of(dev, test, holdout, holdout2)) {
                card.misses.forEach(System.out::println);
            }
        }
    }

    @Test
    void theCorpusHoldsAtLeastTwoHundredTasks() {
        assertTrue(combined.tasks >= 200, "combined corpus has " + combined.tasks + " tasks");
    }

    @Test
    void firstDevelopmentFileMeetsTheGoals() {
        meetsThePatternGoalAndKeeps(dev, CAPABILITIES_GOAL);
    }

    @Test
    void secondDevelopmentFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(test, TEST_FILE_CAPABILITIES_FLOOR);
    }

    @Test
    void thirdDevelopmentFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(holdout, HOLDOUT_FILE_CAPABILITIES_FLOOR);
    }

    @Test
    void fourthDevelopmentFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(holdout2, HOLDOUT2_FILE_CAPABILITIES_FLOOR);
    }

    @Test
    void combinedCorpusMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(combined, COMBINED_CAPABILITIES_FLOOR);
    }

    /**
     * The held-out file, {@code holdout3.tsv} (260 tasks written blind to the analyzer and to the other files), scored
     * once with the analyzer frozen at 9da7b5c: pattern 0.850 (221 of 260, the goal), capabilities 0.773 (201 of 260,
     * micro F1 0.874; goal 0.90 not met). The floors are those figures.
     */
    @Test
    void heldOutFileKeepsItsMeasuredFigures() {
        meetsThePatternGoalAndKeeps(heldOut, HELD_OUT_CAPABILITIES_FLOOR);
    }

    /**
     * The batch of six files written blind on 2026-12-04 (2,095 tasks, more traps by design: products named in passing,
     * drafts, negations), scored once with the analyzer frozen at f1d3f0e: pattern 0.825, capabilities 0.715 (micro
     * F1 0.850). Both goals are missed there; the floors are the measured figures less a small margin. Development
     * data from now on.
     */
    @Test
    void blindBatchKeepsItsMeasuredFigures() {
        keeps(blindBatch, BLIND_BATCH_PATTERN_FLOOR, BLIND_BATCH_CAPABILITIES_FLOOR);
    }

    /**
     * {@code holdout4.tsv} (260 tasks written blind, apart from the batch), scored once with the analyzer frozen at
     * f1d3f0e: pattern 0.838, capabilities 0.708 (micro F1 0.842). Held out.
     */
    @Test
    void secondHeldOutFileKeepsItsMeasuredFigures() {
        keeps(secondHeldOut, SECOND_HELD_OUT_PATTERN_FLOOR, SECOND_HELD_OUT_CAPABILITIES_FLOOR);
    }

    @Test
    void thirdHeldOutFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(thirdHeldOut, THIRD_HELD_OUT_CAPABILITIES_FLOOR);
    }

    @Test
    void fourthHeldOutFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(fourthHeldOut, FOURTH_HELD_OUT_CAPABILITIES_FLOOR);
    }

    @Test
    void secondBlindBatchKeepsItsMeasuredFigures() {
        keeps(secondBlindBatch, SECOND_BLIND_BATCH_PATTERN_FLOOR, SECOND_BLIND_BATCH_CAPABILITIES_FLOOR);
    }

    @Test
    void fifthHeldOutFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(fifthHeldOut, FIFTH_HELD_OUT_CAPABILITIES_FLOOR);
    }

    @Test
    void thirdBlindBatchKeepsItsMeasuredFigures() {
        keeps(thirdBlindBatch, THIRD_BLIND_BATCH_PATTERN_FLOOR, THIRD_BLIND_BATCH_CAPABILITIES_FLOOR);
    }

    @Test
    void sixthHeldOutFileKeepsItsMeasuredFigures() {
        keeps(sixthHeldOut, SIXTH_HELD_OUT_PATTERN_FLOOR, SIXTH_HELD_OUT_CAPABILITIES_FLOOR);
    }

    @Test
    void seventhHeldOutFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        meetsThePatternGoalAndKeeps(seventhHeldOut, SEVENTH_HELD_OUT_CAPABILITIES_FLOOR);
    }

    /**
     * Types and complexities as the capability model corrects them, on all held-out files at once (measured 0.827 and
     * 0.792; the rules alone 0.554 and 0.634): floors a little below, so that a regression fails the build.
     */
    @Test
    void heldOutTypesAndComplexitiesKeepTheirMeasuredFigures() {
        atLeast(allHeldOut, "type", allHeldOut.typeAccuracy(), 0.80);
        atLeast(allHeldOut, "complexity (exact)", allHeldOut.complexityAccuracy(), 0.76);
    }

    @Test
    void confidentAnswersAreRightMoreOften() {
        double low = combined.bandAccuracy(0);
        double high = combined.bandAccuracy(Scorecard.BANDS.length - 1);
        assertTrue(!(high < low), String.format(Locale.ROOT,
                "pattern accuracy at confidence >= 0.7 (%.3f) is below that under 0.5 (%.3f)", high, low));
    }

    /**
     * How many capabilities the analyzer names tells how far its set can be trusted, where the confidence does not
     * (it measures the pattern): on the held-out files a set of two or more is right far less often than a set of one
     * (the development files cannot tell: the capability model is trained on them and right on all of them).
     */
    @Test
    void setsOfSeveralCapabilitiesAreRightLessOften() {
        double single = allHeldOut.namedCapabilityAccuracy(1);
        double several = allHeldOut.namedCapabilityAccuracy(2);
        assertTrue(several + 0.15 < single, String.format(Locale.ROOT,
                "exact sets of two or more capabilities (%.3f) are not clearly below sets of one (%.3f)", several,
                single));
    }

    /** Pattern accuracy at the goal, and the capability set (exact) at least at {@code capabilityFloor}. */
    private static void meetsThePatternGoalAndKeeps(Scorecard card, double capabilityFloor) {
        keeps(card, PATTERN_GOAL, capabilityFloor);
    }

    private static void keeps(Scorecard card, double patternFloor, double capabilityFloor) {
        atLeast(card, "pattern", card.patternAccuracy(), patternFloor);
        atLeast(card, "capabilities (exact set)", card.capabilityExactAccuracy(), capabilityFloor);
    }

    private static void atLeast(Scorecard card, String metric, double value, double floor) {
        assertTrue(value >= floor, String.format(Locale.ROOT, "%s accuracy on %s is %.3f, below %.2f", metric,
                card.name, value, floor));
    }
}
