package io.mcpagent.analyzer.heuristic.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;

/**
 * How an analyzer's answers compare with a corpus's labels: accuracy of pattern, type and complexity (exact and
 * within one level), capabilities as an exact set per task and as micro precision/recall/F1 over all tasks, the
 * pattern confusion matrix, pattern accuracy by confidence band and capability accuracy by capability confidence
 * band.
 */
final class Scorecard {
    static final List<String> PATTERN_ORDER = List.of("direct", "parallel", "router", "orchestrator", "swarm",
            "evaluator-optimizer");
    /** Lower bounds of the confidence bands. */
    static final double[] BANDS = {0.0, 0.5, 0.7};
    /** Labels of the groups by the number of capabilities the analyzer named. */
    static final String[] NAMED_GROUPS = {"0", "1", "2+"};

    final String name;
    int tasks;
    int patternHits;
    int typeHits;
    int complexityHits;
    int complexityNear;
    int capabilityExact;
    int truePositives;
    int falsePositives;
    int falseNegatives;
    final int[][] confusion = new int[PATTERN_ORDER.size()][PATTERN_ORDER.size()];
    final int[] bandTasks = new int[BANDS.length];
    final int[] bandHits = new int[BANDS.length];
    /** Tasks and exact capability sets by the band of the capability confidence. */
    final int[] capabilityBandTasks = new int[BANDS.length];
    final int[] capabilityBandHits = new int[BANDS.length];
    /** Tasks and exact capability sets by how many capabilities the analyzer named: none, one, two or more. */
    final int[] namedTasks = new int[NAMED_GROUPS.length];
    final int[] namedCapabilityHits = new int[NAMED_GROUPS.length];
    /** Misses, for tuning: "file:line: what differs". */
    final List<String> misses = new ArrayList<>();

    private Scorecard(String name) {
        this.name = name;
    }

    static Scorecard of(Corpus corpus, TaskAnalyzer analyzer) {
        Scorecard card = new Scorecard(corpus.name());
        for (Corpus.Labelled task : corpus.tasks()) {
            card.add(task, analyzer.analyze(Task.of(task.text())));
        }
        return card;
    }

    private void add(Corpus.Labelled expected, TaskAnalysis actual) {
        tasks++;
        boolean patternHit = expected.pattern().equals(actual.recommendedPattern());
        patternHits += patternHit ? 1 : 0;
        typeHits += expected.type() == actual.type() ? 1 : 0;
        int distance = Math.abs(expected.complexity().ordinal() - actual.complexity().ordinal());
        complexityHits += distance == 0 ? 1 : 0;
        complexityNear += distance <= 1 ? 1 : 0;
        boolean capabilitiesHit = expected.capabilities().equals(actual.requiredCapabilities());
        capabilityExact += capabilitiesHit ? 1 : 0;
        Set<String> common = new HashSet<>(actual.requiredCapabilities());
        common.retainAll(expected.capabilities());
        truePositives += common.size();
        falsePositives += actual.requiredCapabilities().size() - common.size();
        falseNegatives += expected.capabilities().size() - common.size();
        confusion[PATTERN_ORDER.indexOf(expected.pattern())][PATTERN_ORDER.indexOf(actual.recommendedPattern())]++;
        int band = band(actual.confidence());
        bandTasks[band]++;
        bandHits[band] += patternHit ? 1 : 0;
        int capabilityBand = band(actual.capabilityConfidence());
        capabilityBandTasks[capabilityBand]++;
        capabilityBandHits[capabilityBand] += capabilitiesHit ? 1 : 0;
        int named = Math.min(actual.requiredCapabilities().size(), NAMED_GROUPS.length - 1);
        namedTasks[named]++;
        namedCapabilityHits[named] += capabilitiesHit ? 1 : 0;
        if (!patternHit || !capabilitiesHit || expected.type() != actual.type() || distance > 0) {
            misses.add(String.format(Locale.ROOT, "%s:%d: %s%n    expected %s %s %s %s%n    actual   %s %s %s %s (%.2f)%n"
                            + "    %s", name, expected.line(), expected.text(), expected.type(), expected.complexity(),
                    new java.util.TreeSet<>(expected.capabilities()), expected.pattern(), actual.type(),
                    actual.complexity(), new java.util.TreeSet<>(actual.requiredCapabilities()),
                    actual.recommendedPattern(), actual.confidence(), actual.reasoning()));
        }
    }

    private static int band(double confidence) {
        int band = BANDS.length - 1;
        while (confidence < BANDS[band]) {
            band--;
        }
        return band;
    }

    double patternAccuracy() {
        return ratio(patternHits);
    }

    double typeAccuracy() {
        return ratio(typeHits);
    }

    double complexityAccuracy() {
        return ratio(complexityHits);
    }

    double complexityWithinOne() {
        return ratio(complexityNear);
    }

    double capabilityExactAccuracy() {
        return ratio(capabilityExact);
    }

    double capabilityPrecision() {
        int predicted = truePositives + falsePositives;
        return predicted == 0 ? 1.0 : (double) truePositives / predicted;
    }

    double capabilityRecall() {
        int expected = truePositives + falseNegatives;
        return expected == 0 ? 1.0 : (double) truePositives / expected;
    }

    double capabilityF1() {
        double p = capabilityPrecision();
        double r = capabilityRecall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** Capabilities accuracy (exact set) of the tasks whose capability confidence lies in band {@code band}, NaN when none. */
    double capabilityBandAccuracy(int band) {
        return capabilityBandTasks[band] == 0 ? Double.NaN
                : (double) capabilityBandHits[band] / capabilityBandTasks[band];
    }

    /** Share of the tasks whose capability confidence lies in band {@code band}. */
    double capabilityBandShare(int band) {
        return ratio(capabilityBandTasks[band]);
    }

    /** Capabilities accuracy (exact set) of the tasks in group {@code group} of {@link #NAMED_GROUPS}, NaN when none. */
    double namedCapabilityAccuracy(int group) {
        return namedTasks[group] == 0 ? Double.NaN : (double) namedCapabilityHits[group] / namedTasks[group];
    }

    /** Pattern accuracy of the tasks whose confidence lies in band {@code band}, NaN when there are none. */
    double bandAccuracy(int band) {
        return bandTasks[band] == 0 ? Double.NaN : (double) bandHits[band] / bandTasks[band];
    }

    private double ratio(int hits) {
        return tasks == 0 ? 0.0 : (double) hits / tasks;
    }

    static String table(List<Scorecard> cards) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s", "metric"));
        cards.forEach(card -> out.append(String.format(Locale.ROOT, " %12s", card.name)));
        out.append('\n');
        row(out, cards, "tasks", card -> (double) card.tasks, "%12.0f");
        row(out, cards, "pattern accuracy", Scorecard::patternAccuracy, "%12.3f");
        row(out, cards, "type accuracy", Scorecard::typeAccuracy, "%12.3f");
        row(out, cards, "complexity exact", Scorecard::complexityAccuracy, "%12.3f");
        row(out, cards, "complexity +-1 level", Scorecard::complexityWithinOne, "%12.3f");
        row(out, cards, "capabilities exact set", Scorecard::capabilityExactAccuracy, "%12.3f");
        row(out, cards, "capabilities micro P", Scorecard::capabilityPrecision, "%12.3f");
        row(out, cards, "capabilities micro R", Scorecard::capabilityRecall, "%12.3f");
        row(out, cards, "capabilities micro F1", Scorecard::capabilityF1, "%12.3f");
        for (int band = 0; band < BANDS.length; band++) {
            int b = band;
            String label = String.format(Locale.ROOT, "pattern acc conf>=%.1f", BANDS[band])
                    + (band + 1 < BANDS.length ? String.format(Locale.ROOT, "<%.1f", BANDS[band + 1]) : "");
            out.append(String.format(Locale.ROOT, "%-22s", label));
            cards.forEach(card -> out.append(String.format(Locale.ROOT, " %5.3f (%4d)", card.bandAccuracy(b),
                    card.bandTasks[b])));
            out.append('\n');
        }
        for (int band = 0; band < BANDS.length; band++) {
            int b = band;
            String label = String.format(Locale.ROOT, "capab. exact capconf>=%.1f", BANDS[band])
                    + (band + 1 < BANDS.length ? String.format(Locale.ROOT, "<%.1f", BANDS[band + 1]) : "");
            out.append(String.format(Locale.ROOT, "%-22s", label));
            cards.forEach(card -> out.append(String.format(Locale.ROOT, " %5.3f (%4d)",
                    card.capabilityBandAccuracy(b), card.capabilityBandTasks[b])));
            out.append('\n');
        }
        for (int group = 0; group < NAMED_GROUPS.length; group++) {
            int g = group;
            out.append(String.format(Locale.ROOT, "%-22s", "capab. exact, named " + NAMED_GROUPS[group]));
            cards.forEach(card -> out.append(String.format(Locale.ROOT, " %5.3f (%4d)",
                    card.namedCapabilityAccuracy(g), card.namedTasks[g])));
            out.append('\n');
        }
        return out.toString();
    }

    String confusionMatrix() {
        StringBuilder out = new StringBuilder("pattern confusion, ").append(name)
                .append(" (rows: label, columns: analyzer)\n");
        out.append(String.format(Locale.ROOT, "%-20s", ""));
        PATTERN_ORDER.forEach(p -> out.append(String.format(Locale.ROOT, " %6.6s", p)));
        out.append('\n');
        for (int row = 0; row < PATTERN_ORDER.size(); row++) {
            out.append(String.format(Locale.ROOT, "%-20s", PATTERN_ORDER.get(row)));
            for (int column = 0; column < PATTERN_ORDER.size(); column++) {
                out.append(String.format(Locale.ROOT, " %6d", confusion[row][column]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private interface Metric {
        double of(Scorecard card);
    }

    private static void row(StringBuilder out, List<Scorecard> cards, String label, Metric metric, String format) {
        out.append(String.format(Locale.ROOT, "%-22s", label));
        cards.forEach(card -> out.append(' ').append(String.format(Locale.ROOT, format, metric.of(card))));
        out.append('\n');
    }
}
