package io.mcpagent.analyzer.heuristic.internal;

import static io.mcpagent.analyzer.heuristic.internal.Analyzers.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * The capability confidence ranks capability sets by how likely they are right, so that the analysis service can hand
 * the unsure ones to an LLM analyzer (its default capabilityConfidenceThreshold is 0.9; 0.7 is the band measured here):
 * the sets the analyzer is sure of must be right clearly more often than the rest. It is the capability model's
 * probability that every one of its decisions is right; the model is trained on the development files and right on
 * all of them, so only the held-out files can tell (the development figures are printed, not asserted).
 */
class CapabilityConfidenceTest {
    private static final double THRESHOLD = 0.7;
    private static final List<String> DEVELOPMENT = List.of("dev.tsv", "test.tsv", "holdout.tsv", "holdout2.tsv",
            "train1.tsv", "train2.tsv", "train3.tsv", "train4.tsv", "train5.tsv", "train6.tsv", "train7.tsv", "train8.tsv",
            "train9.tsv", "train10.tsv", "train11.tsv", "train12.tsv", "train13.tsv", "train14.tsv");
    private static final List<String> HELD_OUT = List.of("holdout3.tsv", "holdout4.tsv", "holdout5.tsv",
            "holdout6.tsv", "holdout7.tsv", "holdout8.tsv", "holdout9.tsv");

    private static Scorecard development;
    private static Scorecard heldOut;

    @BeforeAll
    static void score() throws IOException {
        HeuristicTaskAnalyzer analyzer = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        development = Scorecard.of(Corpus.loadAll("development", DEVELOPMENT), analyzer);
        heldOut = Scorecard.of(Corpus.loadAll("held-out", HELD_OUT), analyzer);
        for (Scorecard card : List.of(development, heldOut)) {
            System.out.printf(Locale.ROOT, "%s: capability sets at capability confidence >= %.1f: %.3f of the tasks, "
                            + "exact %.3f; below: exact %.3f; all: %.3f%n", card.name, THRESHOLD, sureShare(card),
                    sureAccuracy(card), unsureAccuracy(card), card.capabilityExactAccuracy());
        }
    }

    /** Measured: 89.2% of the tasks at >= 0.7, right 0.863 of the time; the rest 0.447. */
    @Test
    void setsTheAnalyzerIsSureOfAreRightClearlyMoreOftenOnTheHeldOutFiles() {
        separates(heldOut, 0.84, 0.3);
    }

    @Test
    void aSetIsNoSurerThanItsLeastSureDecision() {
        TaskAnalysis plain = analyze("Send a Slack message to Priya saying the build is green");
        // the rules find a web search here and the model drops it, at a probability p: the set is no surer than 1 - p
        TaskAnalysis torn = analyze("Fetch https://shop.example.com/item/4821 and look up what other shops ask for "
                + "the same kettle");
        Matcher dropped = Pattern.compile("dropped: web_search \\('look up'; similar tasks (0\\.\\d+)[,)]")
                .matcher(torn.reasoning());
        assertTrue(dropped.find(), torn.reasoning());
        assertTrue(torn.capabilityConfidence() <= 1 - Double.parseDouble(dropped.group(1)) + 0.005, torn.toString());
        assertTrue(plain.capabilityConfidence() >= 0.9, plain.toString());
        assertTrue(plain.reasoning().endsWith(", of the capabilities " + plain.capabilityConfidence() + "."),
                plain.reasoning());
    }

    @Test
    void anEmptyTaskIsSureOfNothing() {
        assertEquals(0.0, analyze("  ").capabilityConfidence());
    }

    @Test
    void theCapabilityConfidenceStaysWithinItsBounds() {
        for (String task : List.of("hi", "Deploy it", "Find flights from Lisbon to Oslo in May, compare three hotels "
                + "near the centre, put it all in a Notion page and email my partner the link with a calendar invite")) {
            double confidence = analyze(task).capabilityConfidence();
            assertTrue(confidence >= 0.05 && confidence <= 0.95, task + ": " + confidence);
        }
    }

    /**
     * At least {@code sureFloor} of the sets at or above the threshold are right, and that is {@code gap} above the
     * accuracy of the sets below it.
     */
    private static void separates(Scorecard card, double sureFloor, double gap) {
        double sure = sureAccuracy(card);
        double unsure = unsureAccuracy(card);
        assertTrue(sure >= sureFloor, String.format(Locale.ROOT, "%s: sets at capability confidence >= %.1f are "
                + "right %.3f of the time, below %.2f", card.name, THRESHOLD, sure, sureFloor));
        assertTrue(sure >= unsure + gap, String.format(Locale.ROOT, "%s: sets the analyzer is sure of (%.3f) are not "
                + "%.2f above the others (%.3f)", card.name, sure, gap, unsure));
    }

    private static double sureAccuracy(Scorecard card) {
        return card.capabilityBandAccuracy(Scorecard.BANDS.length - 1);
    }

    private static double sureShare(Scorecard card) {
        return card.capabilityBandShare(Scorecard.BANDS.length - 1);
    }

    /** Exact-set accuracy of the tasks below the threshold (the two lower bands together). */
    private static double unsureAccuracy(Scorecard card) {
        int tasks = 0;
        int hits = 0;
        for (int band = 0; band < Scorecard.BANDS.length - 1; band++) {
            tasks += card.capabilityBandTasks[band];
            hits += card.capabilityBandHits[band];
        }
        return tasks == 0 ? Double.NaN : (double) hits / tasks;
    }
}
