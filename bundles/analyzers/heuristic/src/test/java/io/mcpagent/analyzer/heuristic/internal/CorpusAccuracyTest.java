package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

    /** holdout3.tsv at its one held-out evaluation: 0.773 (201 of 260). */
    private static final double HELD_OUT_CAPABILITIES_FLOOR = 0.77;

    private static Scorecard dev;
    private static Scorecard test;
    private static Scorecard holdout;
    private static Scorecard holdout2;
    private static Scorecard combined;
    private static Scorecard heldOut;

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

    @Test
    void confidentAnswersAreRightMoreOften() {
        double low = combined.bandAccuracy(0);
        double high = combined.bandAccuracy(Scorecard.BANDS.length - 1);
        assertTrue(!(high < low), String.format(Locale.ROOT,
                "pattern accuracy at confidence >= 0.7 (%.3f) is below that under 0.5 (%.3f)", high, low));
    }

    /** Pattern accuracy at the goal, and the capability set (exact) at least at {@code capabilityFloor}. */
    private static void meetsThePatternGoalAndKeeps(Scorecard card, double capabilityFloor) {
        atLeast(card, "pattern", card.patternAccuracy(), PATTERN_GOAL);
        atLeast(card, "capabilities (exact set)", card.capabilityExactAccuracy(), capabilityFloor);
    }

    private static void atLeast(Scorecard card, String metric, double value, double floor) {
        assertTrue(value >= floor, String.format(Locale.ROOT, "%s accuracy on %s is %.3f, below %.2f", metric,
                card.name, value, floor));
    }
}
