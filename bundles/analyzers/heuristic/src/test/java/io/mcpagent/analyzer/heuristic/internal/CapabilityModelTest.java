package io.mcpagent.analyzer.heuristic.internal;

import static io.mcpagent.analyzer.heuristic.internal.Analyzers.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

/**
 * The capability model: the file in the bundle is exactly what the development files train (so it never drifts from
 * the rules it corrects), it is read strictly, and the scoring of a task sees the features the training saw.
 */
class CapabilityModelTest {
    /** Set to rewrite the bundled model from the corpus (after a rule change): {@code -Dcapability.model.write}. */
    private static final String WRITE_PROPERTY = "capability.model.write";
    private static final Path BUNDLED = Path.of(System.getProperty("basedir", "."))
            .resolve("src/main/resources/io/mcpagent/analyzer/heuristic/internal").resolve(CapabilityModel.RESOURCE);

    @Test
    void theBundledModelIsWhatTheDevelopmentFilesTrain() throws IOException {
        String trained = CapabilityModelTraining.train(
                Corpus.loadAll("training", CapabilityModelTraining.TRAINING_FILES).tasks());
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.createDirectories(BUNDLED.getParent());
            Files.writeString(BUNDLED, trained, StandardCharsets.UTF_8);
        }
        String bundled = Files.exists(BUNDLED) ? Files.readString(BUNDLED, StandardCharsets.UTF_8) : "";
        assertTrue(trained.equals(bundled), "the bundled capability model is not what the corpus trains with the "
                + "rules as they are now; retrain it: ./mvnw -o -f bundles/analyzers/heuristic/pom.xml test "
                + "-Dtest=CapabilityModelTest -D" + WRITE_PROPERTY + "=true");
    }

    /**
     * The model's figure on tasks it was not trained on, from the development files alone: five groups of files, each
     * scored by a model trained on the other four (capability sets: the rules alone 0.812, with the model 0.836;
     * types 0.563 and 0.80, complexities 0.62 and 0.77).
     */
    @Test
    void onDevelopmentFilesItWasNotTrainedOnItBeatsTheRules() throws IOException {
        List<List<String>> groups = List.of(List.of("dev.tsv", "test.tsv", "holdout.tsv", "holdout2.tsv"),
                List.of("train1.tsv", "train2.tsv", "train3.tsv"), List.of("train4.tsv", "train5.tsv", "train6.tsv"),
                List.of("train7.tsv", "train8.tsv", "train9.tsv", "train10.tsv"),
                List.of("train11.tsv", "train12.tsv", "train13.tsv", "train14.tsv"));
        assertEquals(Set.copyOf(CapabilityModelTraining.TRAINING_FILES),
                Set.copyOf(groups.stream().flatMap(List::stream).toList()));
        Lexicon lexicon = SignalTables.lexicon();
        int tasks = 0;
        int rulesRight = 0;
        int modelRight = 0;
        int[] typesRight = new int[2]; // rules, model
        int[] complexitiesRight = new int[2];
        for (List<String> scored : groups) {
            List<String> others = CapabilityModelTraining.TRAINING_FILES.stream().filter(f -> !scored.contains(f))
                    .toList();
            CapabilityModel model = model(CapabilityModelTraining.train(Corpus.loadAll("others", others).tasks()));
            for (Corpus.Labelled task : Corpus.loadAll("scored", scored).tasks()) {
                Scan scan = new Scan(lexicon).run(task.text(), HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
                tasks++;
                TaskAnalysis corrected = Decision.of(scan, task.text(), model);
                TaskAnalysis rules = CapabilityModelTraining.rulesOnly(lexicon, task.text());
                modelRight += corrected.requiredCapabilities().equals(task.capabilities()) ? 1 : 0;
                rulesRight += rules.requiredCapabilities().equals(task.capabilities()) ? 1 : 0;
                typesRight[0] += rules.type() == task.type() ? 1 : 0;
                typesRight[1] += corrected.type() == task.type() ? 1 : 0;
                complexitiesRight[0] += rules.complexity() == task.complexity() ? 1 : 0;
                complexitiesRight[1] += corrected.complexity() == task.complexity() ? 1 : 0;
            }
        }
        double rules = (double) rulesRight / tasks;
        double corrected = (double) modelRight / tasks;
        System.out.printf(java.util.Locale.ROOT, "cross-fitted capability sets on %d development tasks: rules %.3f, "
                + "with the model %.3f%n", tasks, rules, corrected);
        assertTrue(corrected >= 0.83 && corrected >= rules + 0.015, rules + " -> " + corrected);
        double[] types = {(double) typesRight[0] / tasks, (double) typesRight[1] / tasks};
        double[] complexities = {(double) complexitiesRight[0] / tasks, (double) complexitiesRight[1] / tasks};
        System.out.printf(java.util.Locale.ROOT, "cross-fitted types: rules %.3f, with the model %.3f; complexities: "
                + "rules %.3f, with the model %.3f%n", types[0], types[1], complexities[0], complexities[1]);
        assertTrue(types[1] >= types[0] + 0.15, "types " + types[0] + " -> " + types[1]);
        assertTrue(complexities[1] >= complexities[0] + 0.08, "complexities " + complexities[0] + " -> "
                + complexities[1]);
    }

    /**
     * A model that gives every word feature the training names for a text the same small weight scores that text at
     * exactly their number of steps: the scoring finds each of them, each once, and nothing else.
     */
    @Test
    void theScoringSeesTheFeaturesTheTrainingNamed() throws IOException {
        for (String text : List.of("Read notes.md and write the summary to ~/out/summary.md!",
                "Größe der Datei prüfen: «README» — ÄÖÜ straße", "tabs\tand\nnew lines,,;; x=1+2 (ok) 100%",
                "S3 bucket 'acme-logs' > 5GB? email @ops #alerts notes notes")) {
            List<String> words = CapabilityModelTraining.features(text,
                    CapabilityModelTraining.rulesOnly(SignalTables.lexicon(), text)).stream()
                    .filter(name -> !CapabilityModel.isFact(name)).toList();
            StringBuilder file = new StringBuilder(CapabilityModel.BIAS + "\tweb_search\t0\n");
            words.forEach(word -> file.append(word).append("\tweb_search\t0.03125\n"));
            float score = score(model(file.toString()), text, text.length(), 0)
                    .scores[Capability.WEB_SEARCH.ordinal()];
            assertEquals(words.size() / 32f, score, 1e-4, text);
        }
    }

    @Test
    void aModelAddsAndDropsCapabilitiesByTheWordsOfTheTask() throws IOException {
        CapabilityModel model = model("""
                # a small model by hand
                (bias)\tweb_search\t-1.0\tfile_read\t-1.0
                rule:web_search\tweb_search\t3.0
                look up\tweb_search\t-2.5
                notes\tfile_read\t1.5
                """);
        String text = "Look up NOTES";
        CapabilityModel.Scoring scoring = score(model, text, text.length(), Capability.WEB_SEARCH.bit());
        assertEquals(Capability.FILE_READ.bit(), scoring.mask);
        assertEquals(-0.5f, scoring.scores[Capability.WEB_SEARCH.ordinal()], 1e-6);
        assertEquals(0.5f, scoring.scores[Capability.FILE_READ.ordinal()], 1e-6);

        // a word counts once however often it occurs, as in training
        String repeated = "notes notes notes";
        assertEquals(0.5f, score(model, repeated, repeated.length(), 0).scores[Capability.FILE_READ.ordinal()], 1e-6);
        // only the scanned part of the text is read
        CapabilityModel.Scoring start = score(model, text, 7, Capability.WEB_SEARCH.bit());
        assertEquals(-0.5f, start.scores[Capability.WEB_SEARCH.ordinal()], 1e-6);
        assertEquals(-1.0f, start.scores[Capability.FILE_READ.ordinal()], 1e-6);
    }

    @Test
    void theSumsAreExactOverManyFeaturesAndTheLargestWeights() throws IOException {
        // weights are summed eight capabilities at a time in 16-bit lanes, moved out every 256 features: 600 words
        // of the largest weight either way must add up exactly, for the first and the last capability alike
        StringBuilder file = new StringBuilder(CapabilityModel.BIAS + "\tweb_fetch\t0\n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            file.append('w').append(i).append("\tweb_fetch\t3.96875\ttesting\t-3.96875\tmaps\t")
                    .append(i % 2 == 0 ? "0.03125" : "-0.0625").append('\n');
            text.append(" w").append(i);
        }
        CapabilityModel.Scoring scoring = score(model(file.toString()), text, text.length(), 0);
        assertEquals(600 * 127 / 32f, scoring.scores[Capability.WEB_FETCH.ordinal()], 1e-3);
        assertEquals(-600 * 127 / 32f, scoring.scores[Capability.TESTING.ordinal()], 1e-3);
        assertEquals(300 * (1 - 2) / 32f, scoring.scores[Capability.MAPS.ordinal()], 1e-4);
        assertEquals(0f, scoring.scores[Capability.TIME.ordinal()]);
    }

    @Test
    void aMalformedModelFileIsRefusedNamingTheLineAndTheProblem() {
        refused("(bias)\tweb_search\t-1\nnotes\tfax\t1.0\n", "test line 2: no capability, type or complexity named 'fax'");
        refused("notes\tfile_read\tmany\n", "test line 1: 'many' is no weight");
        refused("(bias)\tweb_search\t-1\nnotes\tfile_read\tNaN\n", "test line 2: 'NaN' is no weight");
        refused("notes\tfile_read\t4.5\n", "test line 1: a word weight of 4.5 is beyond +-3.96875");
        refused("# fine\nnotes\tfile_read\n", "test line 2: a feature name then label and weight pairs");
        refused("(bias)\tweb_search\t-1\nnotes\tfile_read\t1\nnotes\tfile_write\t1\n",
                "the capability model names the feature 'notes' twice, or two features with the same hash");
        // an empty or cut file is no model: without the bias every capability would lean towards needed
        refused("# nothing\n", "test: no (bias) line; is the file complete?");
        refused("notes\tfile_read\t1\n", "test: no (bias) line; is the file complete?");
    }

    @Test
    void theFeatureHashIsNoComment() throws IOException {
        // "#" alone and "# alerts" are features (with a tab); "# a comment" is a comment (without one)
        CapabilityModel model = model("# a comment\n(bias)\tmessaging\t0\n#\tmessaging\t1.0\n"
                + "# alerts\tmessaging\t0.5\n");
        assertEquals(1.5f, score(model, "post in #alerts", 15, 0).scores[Capability.MESSAGING.ordinal()], 1e-6);
    }

    @Test
    void theReasoningSaysWhatTheModelAddedOrDroppedAndWhy() {
        // The rules name no capability here; in the development files such tasks read the file they name.
        TaskAnalysis added = analyze("Write unit tests for each of the five functions in finance_utils.py and save "
                + "them under tests/");
        assertTrue(added.requiredCapabilities().contains("file_read"), added.toString());
        assertTrue(added.reasoning().matches(".*file_read \\(similar tasks 0\\.\\d+, for: '[^']+'(, '[^']+')?\\).*"),
                added.reasoning());
        assertFalse(added.reasoning().contains("dropped"), added.reasoning());

        // The rules find a web search; the model drops it, and the reasoning quotes the words that weighed against.
        TaskAnalysis dropped = analyze("Fetch https://shop.example.com/item/4821 and look up what other shops ask for "
                + "the same kettle");
        assertTrue(dropped.reasoning().matches(
                ".*dropped: web_search \\('look up'; similar tasks 0\\.\\d+, against: '[^']+'(, '[^']+')?\\).*"),
                dropped.reasoning());
    }

    @Test
    void theWordsQuotedAreTheStrongestAsWrittenOnceEach() throws IOException {
        CapabilityModel model = model("""
                (bias)\tweb_search\t-1.0
                look up\tweb_search\t2.0
                kettle\tweb_search\t-1.0
                shops\tweb_search\t-2.5
                price\tweb_search\t0.5
                """);
        String text = "Look   up the KETTLE price, shops and kettle";
        Lexicon lexicon = SignalTables.lexicon();
        CapabilityModel.Scoring scoring = score(model, text, text.length(), 0);
        assertEquals(List.of("shops", "KETTLE"), scoring.strongestWords(Capability.WEB_SEARCH, false, 2, lexicon));
        assertEquals(List.of("Look up", "price"), scoring.strongestWords(Capability.WEB_SEARCH, true, 3, lexicon));
        assertEquals(List.of(), scoring.strongestWords(Capability.FILE_READ, true, 2, lexicon));
        // function words and punctuation weigh, but are not quoted
        CapabilityModel plain = model("(bias)\tweb_search\t0\nthe\tweb_search\t-3.0\n,\tweb_search\t-3.0\n"
                + "kettle\tweb_search\t-0.5\n");
        assertEquals(List.of("kettle"), score(plain, "the kettle, the", 15, 0)
                .strongestWords(Capability.WEB_SEARCH, false, 2, lexicon));
        // a word cut where the scan stopped is quoted as far as it was read
        CapabilityModel cut = model("(bias)\tweb_search\t0\nkett\tweb_search\t-1.0\nthe kett\tweb_search\t-0.5\n");
        assertEquals(List.of("kett", "the kett"), score(cut, "the  kettle", 9, 0)
                .strongestWords(Capability.WEB_SEARCH, false, 2, lexicon));
    }

    private static void refused(String file, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> model(file)).getMessage());
    }

    private static CapabilityModel.Scoring score(CapabilityModel model, CharSequence text, int end, int ruleMask) {
        TextFeatures.Tokens tokens = new TextFeatures.Tokens();
        TextFeatures.tokens(text, 0, end, tokens);
        return model.score(text, tokens, ruleMask, Pattern.DIRECT, TaskType.RESEARCH, Complexity.SIMPLE);
    }

    private static CapabilityModel model(String text) throws IOException {
        try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            return CapabilityModel.read(in, "test");
        }
    }
}
