package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accuracy on the labelled corpus (bundles/analyzers/corpus). Both files are development data now: the tables were
 * tuned on {@code dev.tsv} first; {@code test.tsv} was then evaluated once, held out, at pattern 0.809 and
 * capabilities 0.613 (exact set), and after that used for tuning as well, for cue families that generalise rather
 * than for its sentences. {@code holdout.tsv} (258 tasks, written by someone who never saw the analyzer's code)
 * was evaluated once with the analyzer frozen: pattern 0.864, capabilities 0.702 (exact set); it is never tuned on.
 * Prints the figures and the pattern confusion matrices; {@code -Dcorpus.misses=true} also prints the misses of the
 * two development files.
 * <p>The goals are pattern accuracy >= 0.85 and capabilities accuracy (the exact set, per task) >= 0.90.
 * Where a file meets a goal the goal is asserted; where it does not, the floor is the measured figure rounded down,
 * so that the test guards against regressions without hiding the gap (see the module README).
 */
class CorpusAccuracyTest {
    private static final double PATTERN_GOAL = 0.85;
    private static final double CAPABILITIES_GOAL = 0.90;
    /** test.tsv, measured 0.8505 (165 of 194): below the goal. */
    private static final double TEST_FILE_CAPABILITIES_FLOOR = 0.85;
    /** Both files, measured 0.8811 (341 of 387): below the goal. */
    private static final double COMBINED_CAPABILITIES_FLOOR = 0.88;
    /** holdout.tsv, measured 0.7016 (181 of 258) at its one evaluation: far below the goal. */
    private static final double HOLDOUT_CAPABILITIES_FLOOR = 0.70;

    private static Scorecard dev;
    private static Scorecard test;
    private static Scorecard combined;
    private static Scorecard holdout;

    @BeforeAll
    static void score() throws IOException {
        HeuristicTaskAnalyzer analyzer = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        Corpus devCorpus = Corpus.load("dev.tsv");
        Corpus testCorpus = Corpus.load("test.tsv");
        dev = Scorecard.of(devCorpus, analyzer);
        test = Scorecard.of(testCorpus, analyzer);
        combined = Scorecard.of(Corpus.combine("combined", devCorpus, testCorpus), analyzer);
        holdout = Scorecard.of(Corpus.load("holdout.tsv"), analyzer);
        System.out.println(Scorecard.table(List.of(dev, test, combined, holdout)));
        System.out.println(holdout.confusionMatrix());
        System.out.println(dev.confusionMatrix());
        System.out.println(test.confusionMatrix());
        System.out.println(combined.confusionMatrix());
        if (Boolean.getBoolean("corpus.misses")) {
            dev.misses.forEach(System.out::println);
            test.misses.forEach(System.out::println);
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
    void heldOutFileMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        atLeast(holdout, "pattern", holdout.patternAccuracy(), PATTERN_GOAL);
        atLeast(holdout, "capabilities (exact set)", holdout.capabilityExactAccuracy(), HOLDOUT_CAPABILITIES_FLOOR);
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
