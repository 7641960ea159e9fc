package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accuracy on the labelled corpus (bundles/analyzers/corpus): {@code dev.tsv} is the file the tables were tuned on,
 * {@code test.tsv} the held-out file, evaluated once at the end and never tuned on. Prints the figures and the
 * pattern confusion matrices; {@code -Dcorpus.misses=true} also prints the development file's misses.
 * <p>The goals are pattern accuracy >= 0.85 and capabilities accuracy (the exact set, per task) >= 0.90.
 * Where a file meets a goal the goal is asserted; where it does not, the floor is the figure measured at the one
 * held-out evaluation, rounded down, so that the test guards against regressions without hiding the gap (see the
 * module README).
 */
class CorpusAccuracyTest {
    private static final double PATTERN_GOAL = 0.85;
    private static final double CAPABILITIES_GOAL = 0.90;
    /** Held-out file, measured 0.8093 (157 of 194): below the goal. */
    private static final double HELD_OUT_PATTERN_FLOOR = 0.80;
    /** Held-out file, measured 0.6134 (119 of 194): far below the goal (the capability cues were fitted to dev.tsv). */
    private static final double HELD_OUT_CAPABILITIES_FLOOR = 0.61;
    /** Both files, measured 0.7597 (294 of 387): below the goal. */
    private static final double COMBINED_CAPABILITIES_FLOOR = 0.75;

    private static Scorecard dev;
    private static Scorecard test;
    private static Scorecard combined;

    @BeforeAll
    static void score() throws IOException {
        HeuristicTaskAnalyzer analyzer = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        Corpus devCorpus = Corpus.load("dev.tsv");
        Corpus testCorpus = Corpus.load("test.tsv");
        dev = Scorecard.of(devCorpus, analyzer);
        test = Scorecard.of(testCorpus, analyzer);
        combined = Scorecard.of(Corpus.combine("combined", devCorpus, testCorpus), analyzer);
        System.out.println(Scorecard.table(List.of(dev, test, combined)));
        System.out.println(dev.confusionMatrix());
        System.out.println(test.confusionMatrix());
        System.out.println(combined.confusionMatrix());
        if (Boolean.getBoolean("corpus.misses")) {
            dev.misses.forEach(System.out::println);
        }
    }

    @Test
    void theCorpusHoldsAtLeastTwoHundredTasks() {
        assertTrue(combined.tasks >= 200, "combined corpus has " + combined.tasks + " tasks");
    }

    @Test
    void developmentFileMeetsTheGoals() {
        atLeast(dev, "pattern", dev.patternAccuracy(), PATTERN_GOAL);
        atLeast(dev, "capabilities (exact set)", dev.capabilityExactAccuracy(), CAPABILITIES_GOAL);
    }

    @Test
    void combinedCorpusMeetsThePatternGoalAndKeepsItsCapabilityFigure() {
        atLeast(combined, "pattern", combined.patternAccuracy(), PATTERN_GOAL);
        atLeast(combined, "capabilities (exact set)", combined.capabilityExactAccuracy(), COMBINED_CAPABILITIES_FLOOR);
    }

    @Test
    void heldOutFileKeepsItsMeasuredFigures() {
        atLeast(test, "pattern", test.patternAccuracy(), HELD_OUT_PATTERN_FLOOR);
        atLeast(test, "capabilities (exact set)", test.capabilityExactAccuracy(), HELD_OUT_CAPABILITIES_FLOOR);
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
