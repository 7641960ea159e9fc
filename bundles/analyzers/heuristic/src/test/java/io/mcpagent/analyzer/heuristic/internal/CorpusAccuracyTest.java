package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accuracy on the labelled corpus (bundles/analyzers/corpus). All three files are development data now: the tables
 * were tuned on {@code dev.tsv} first; {@code test.tsv} was then evaluated once, held out, at pattern 0.809 and
 * capabilities 0.613 (exact set), and after that used for tuning as well. {@code holdout.tsv} (258 tasks, written
 * by someone who never saw the analyzer's code) was evaluated once with the analyzer frozen, at pattern 0.864 and
 * capabilities 0.702 (exact set); that evaluation is spent, and its errors were analysed for cue families and
 * structural rules like the other two files'. {@code holdout2.tsv} took its place as the held-out file
 * ({@link #heldOutFileKeepsItsMeasuredFigures}).
 * Prints the figures and the pattern confusion matrices; {@code -Dcorpus.misses=true} also prints the misses of the
 * development files.
 * <p>The goals are pattern accuracy >= 0.85 and capabilities accuracy (the exact set, per task) >= 0.90.
 * Where a file meets a goal the goal is asserted; where it does not, the floor is the measured figure minus a small
 * margin, so that the test guards against regressions without hiding the gap (see the module README).
 */
class CorpusAccuracyTest {
    private static final double PATTERN_GOAL = 0.85;
    private static final double CAPABILITIES_GOAL = 0.90;
    /** test.tsv, measured 0.8763 (170 of 194): below the goal. */
    private static final double TEST_FILE_CAPABILITIES_FLOOR = 0.87;
    /** holdout.tsv, measured 0.8605 (222 of 258) since it became development data (0.7016 at its evaluation). */
    private static final double HOLDOUT_FILE_CAPABILITIES_FLOOR = 0.85;
    /** All three files, measured 0.8837 (567 of 645): below the goal. */
    private static final double COMBINED_CAPABILITIES_FLOOR = 0.88;

    /** holdout2.tsv at its one held-out evaluation: 0.842 (219 of 260). */
    private static final double HELD_OUT_PATTERN_FLOOR = 0.84;
    /** holdout2.tsv at its one held-out evaluation: 0.777 (202 of 260). */
    private static final double HELD_OUT_CAPABILITIES_FLOOR = 0.77;

    private static Scorecard dev;
    private static Scorecard test;
    private static Scorecard holdout;
    private static Scorecard combined;
    private static Scorecard heldOut;

    @BeforeAll
    static void score() throws IOException {
        HeuristicTaskAnalyzer analyzer = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        Corpus devCorpus = Corpus.load("dev.tsv");
        Corpus testCorpus = Corpus.load("test.tsv");
        Corpus holdoutCorpus = Corpus.load("holdout.tsv");
        dev = Scorecard.of(devCorpus, analyzer);
        test = Scorecard.of(testCorpus, analyzer);
        holdout = Scorecard.of(holdoutCorpus, analyzer);
        combined = Scorecard.of(Corpus.combine("combined", devCorpus, testCorpus, holdoutCorpus), analyzer);
        heldOut = Scorecard.of(Corpus.load("holdout2.tsv"), analyzer);
        System.out.println(Scorecard.table(List.of(dev, test, holdout, combined, heldOut)));
        System.out.println(dev.confusionMatrix());
        System.out.println(test.confusionMatrix());
        System.out.println(holdout.confusionMatrix());
        System.out.println(combined.confusionMatrix());
        System.out.println(heldOut.confusionMatrix());
        if (Boolean.getBoolean("corpus.misses")) {
            dev.misses.forEach(System.out::println);
            test.misses.forEach(System.out::println);
            holdout.misses.forEach(System.out::println);
        }
    }

    @Test
    void theCorpusHoldsAtLeastTwoHundredTasks() {
        assertTrue(combined.tasks >= 200, "combined corpus has " + combined.tasks + " tasks");
    }

    @Test
    void firstDevelopmentFileMeetsTheGoals() {
        atLeast(dev, "pattern", dev.patternAccuracy(), PATTERN_GOAL);
        atLeast(dev, "capabilities (exact set)", dev.capabilityExactAccuracy(), CAPABILITIES_GOAL);
    }

    @Test
    void secondDevelopmentFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        atLeast(test, "pattern", test.patternAccuracy(), PATTERN_GOAL);
        atLeast(test, "capabilities (exact set)", test.capabilityExactAccuracy(), TEST_FILE_CAPABILITIES_FLOOR);
    }

    @Test
    void combinedCorpusMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        atLeast(combined, "pattern", combined.patternAccuracy(), PATTERN_GOAL);
        atLeast(combined, "capabilities (exact set)", combined.capabilityExactAccuracy(), COMBINED_CAPABILITIES_FLOOR);
    }

    @Test
    void thirdDevelopmentFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        atLeast(holdout, "pattern", holdout.patternAccuracy(), PATTERN_GOAL);
        atLeast(holdout, "capabilities (exact set)", holdout.capabilityExactAccuracy(), HOLDOUT_FILE_CAPABILITIES_FLOOR);
    }

    /**
     * The held-out file, {@code holdout2.tsv} (260 tasks written blind to the analyzer), scored once with the analyzer
     * frozen at 4a4efeb: pattern 0.842 (219 of 260), capabilities 0.777 (202 of 260; micro F1 0.867). Both are below
     * the goals; the floors are those measured figures, so the test guards the held-out figures without hiding the
     * gap.
     */
    @Test
    void heldOutFileKeepsItsMeasuredFigures() {
        atLeast(heldOut, "pattern", heldOut.patternAccuracy(), HELD_OUT_PATTERN_FLOOR);
        atLeast(heldOut, "capabilities (exact set)", heldOut.capabilityExactAccuracy(), HELD_OUT_CAPABILITIES_FLOOR);
    }

    @Test
    void confidentAnswersAreRightMoreOften() {
        double low = combined.bandAccuracy(0);
        double high = combined.bandAccuracy(Scorecard.BANDS.length - 1);
        assertTrue(!(high < low), String.format(Locale.ROOT,
                "pattern accuracy at confidence >= 0.7 (%.3f) is below that under 0.5 (%.3f)", high, low));
    }

    private static void atLeast(Scorecard card, String metric, double value, double floor) {
        assertTrue(value >= floor, String.format(Locale.ROOT, "%s accuracy on %s is %.3f, below %.2f", metric,
                card.name, value, floor));
    }
}
