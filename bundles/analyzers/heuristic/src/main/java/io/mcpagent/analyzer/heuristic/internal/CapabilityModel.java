package io.mcpagent.analyzer.heuristic.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskType;

/**
 * Second opinion on the rules' capability set, task type and complexity: one logistic model per capability, per type
 * and per complexity over the task's words and word pairs ({@link TextFeatures}) and the facts of the rule-based
 * analysis (the capabilities the rules found, the pattern, type and complexity). A capability is needed when its score
 * is above 0; the type and the complexity are those of highest score. The weights are trained on the
 * development files of the corpus by {@code CapabilityModelTraining} (a test, which also checks that the file in the
 * bundle is the one the corpus trains); the rules' own answer starts with a large weight, so the model keeps it
 * unless the words of the task are strong evidence against it.
 *
 * <p>The file ({@value #RESOURCE}) has one feature per line: its name, then pairs of capability and weight, all
 * separated by tabs; lines starting with {@code #} without a tab are comments ({@code #} followed by a tab is the
 * feature "#"). Immutable and thread-safe.
 */
final class CapabilityModel {
    static final String RESOURCE = "capability-model.tsv";
    /** The feature every task has. */
    static final String BIAS = "(bias)";
    /** Features of the rule-based analysis: "rule:web_search", "pattern:router", "type:coding", "complexity:simple". */
    static final String RULE = "rule:";
    static final String PATTERN = "pattern:";
    static final String TYPE = "type:";
    static final String COMPLEXITY = "complexity:";
    private static final TaskType[] TYPES = TaskType.values();
    private static final Complexity[] COMPLEXITIES = Complexity.values();

    private static final int CAPABILITIES = Capability.count();
    /**
     * What the model scores, by index: the capabilities (by ordinal), then the task types, then the complexities. The
     * file names a type's label "type:coding" and a complexity's "complexity:simple", as the facts are named.
     */
    private static final int TYPE_LABELS = CAPABILITIES;
    private static final int COMPLEXITY_LABELS = TYPE_LABELS + TYPES.length;
    static final int LABELS = COMPLEXITY_LABELS + COMPLEXITIES.length;
    /**
     * Word weights are held as multiples of 1/32 in a byte (40 bytes per feature: 23 capabilities, 9 types, 4
     * complexities and padding; 445 KB in all), so that eight are summed at once. The rounding moves a task's score by a few hundredths (one held-out task of 1,849 changed); the
     * file's word weights stay within 3.2.
     */
    private static final float WORD_WEIGHT_STEP = 1f / 32;
    private static final float MAX_WORD_WEIGHT = 127 * WORD_WEIGHT_STEP;
    /** A decision at |score| >= 8 is right with probability > 0.9997: not worth an exp in the confidence. */
    private static final float SURE_SCORE = 8f;
    private static final long FINGERPRINT = 0xffffffff00000000L;
    private static final int ROW_LONGS = (LABELS + 7) / 8;
    /** Added to a weight in steps (-127 to 127) so that its byte is 1 to 255. */
    private static final int WEIGHT_BIAS = 128;
    /** The even bytes of a long, each in a 16-bit lane. */
    private static final long EVEN_BYTES = 0x00ff00ff00ff00ffL;
    /** A 16-bit lane holds the sum of 257 bytes. */
    private static final int MAX_PENDING = 256;
    /** The model that keeps the rules' answer: the training of the real one starts from it. */
    static final CapabilityModel RULES_ONLY = new CapabilityModel(Map.of(), List.of(), List.of());

    /**
     * Open-addressing table from word-feature hash to its index: a slot holds the hash's upper 32 bits and the index
     * plus one, so that a lookup reads one long; the low bits of the hash choose the slot. A zero slot is empty.
     */
    private final long[] slots;
    private final int mask;
    /**
     * The weights of the word features, {@value #ROW_LONGS} longs per feature, eight labels per long: the weight
     * in steps plus 128, one byte per label (by index). Summed eight at a time ({@link Scoring#add}): a task
     * finds about 40 features with 500 non-zero weights among them, and adding those one by one was a third of the
     * model's time.
     */
    private final long[] rows;
    /** The rows of the facts of the analysis (null where the file has none). */
    private final float[] bias;
    private final float[][] ruleRows = new float[CAPABILITIES][];
    private final float[][] patternRows = new float[Pattern.count()][];
    private final float[][] typeRows = new float[TYPES.length][];
    private final float[][] complexityRows = new float[COMPLEXITIES.length][];
    private final boolean rulesOnly;

    private CapabilityModel(Map<String, float[]> facts, List<String> wordNames, List<float[]> wordRows) {
        rulesOnly = facts.isEmpty() && wordNames.isEmpty();
        int words = wordNames.size();
        int capacity = Integer.highestOneBit(Math.max(16, words + words / 2)) << 1;
        slots = new long[capacity];
        mask = capacity - 1;
        rows = new long[words * ROW_LONGS];
        for (int f = 0; f < words; f++) {
            float[] row = wordRows.get(f);
            for (int c = 0; c < 8 * ROW_LONGS; c++) { // the bytes past the last label weigh 0
                long steps = c < LABELS ? Math.round(row[c] / WORD_WEIGHT_STEP) : 0;
                rows[f * ROW_LONGS + c / 8] |= (steps + WEIGHT_BIAS) << 8 * (c % 8);
            }
            put(wordNames.get(f), f);
        }
        bias = facts.get(BIAS);
        for (Capability c : Capability.values()) {
            ruleRows[c.ordinal()] = facts.get(RULE + c.id());
        }
        for (Pattern p : Pattern.values()) {
            patternRows[p.ordinal()] = facts.get(PATTERN + p.id());
        }
        for (TaskType t : TYPES) {
            typeRows[t.ordinal()] = facts.get(TYPE + t.name().toLowerCase(Locale.ROOT));
        }
        for (Complexity c : COMPLEXITIES) {
            complexityRows[c.ordinal()] = facts.get(COMPLEXITY + c.name().toLowerCase(Locale.ROOT));
        }
    }

    /** The model in this bundle. */
    static CapabilityModel bundled() {
        try (InputStream in = CapabilityModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the capability model " + RESOURCE + " is missing from the bundle");
            }
            return read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the capability model " + RESOURCE, e);
        }
    }

    /** Reads a model file; a malformed line is refused with its number and what is wrong with it. */
    static CapabilityModel read(InputStream in, String source) throws IOException {
        Map<String, float[]> facts = new HashMap<>();
        List<String> wordNames = new ArrayList<>();
        List<float[]> wordRows = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            // "#" is a feature too (channels, issue numbers): a comment is a "#" line without a tab
            if (line.isEmpty() || (line.startsWith("#") && line.indexOf('\t') < 0)) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length < 3 || fields.length % 2 == 0 || fields[0].isEmpty()) {
                throw malformed(source, lineNumber, "a feature name then label and weight pairs");
            }
            float[] row = new float[LABELS];
            for (int i = 1; i < fields.length; i += 2) {
                int label = labelOf(fields[i]);
                if (label < 0) {
                    throw malformed(source, lineNumber, "no capability, type or complexity named '" + fields[i] + "'");
                }
                float weight;
                try {
                    weight = Float.parseFloat(fields[i + 1]);
                } catch (NumberFormatException e) {
                    weight = Float.NaN;
                }
                if (!Float.isFinite(weight)) {
                    throw malformed(source, lineNumber, "'" + fields[i + 1] + "' is no weight");
                }
                row[label] = weight;
            }
            if (isFact(fields[0])) {
                if (facts.put(fields[0], row) != null) {
                    throw malformed(source, lineNumber, "'" + fields[0] + "' is named twice");
                }
            } else {
                for (float w : row) {
                    if (Math.abs(w) > MAX_WORD_WEIGHT) {
                        throw malformed(source, lineNumber,
                                "a word weight of " + w + " is beyond +-" + MAX_WORD_WEIGHT);
                    }
                }
                wordNames.add(fields[0]);
                wordRows.add(row);
            }
        }
        // without it every capability would lean towards needed; an empty or cut file would pass for a model
        if (!facts.containsKey(BIAS)) {
            throw new IllegalArgumentException(source + ": no " + BIAS + " line; is the file complete?");
        }
        return new CapabilityModel(facts, wordNames, wordRows);
    }

    /** The index of a label as the file names it ("web_search", "type:coding", "complexity:simple"), or -1. */
    static int labelOf(String name) {
        Capability capability = Capability.ofId(name);
        if (capability != null) {
            return capability.ordinal();
        }
        for (TaskType t : TYPES) {
            if (name.equals(TYPE + t.name().toLowerCase(Locale.ROOT))) {
                return TYPE_LABELS + t.ordinal();
            }
        }
        for (Complexity c : COMPLEXITIES) {
            if (name.equals(COMPLEXITY + c.name().toLowerCase(Locale.ROOT))) {
                return COMPLEXITY_LABELS + c.ordinal();
            }
        }
        return -1;
    }

    /** The name of a label in the file: {@link #labelOf} reversed. */
    static String labelName(int label) {
        if (label < TYPE_LABELS) {
            return Capability.values()[label].id();
        }
        if (label < COMPLEXITY_LABELS) {
            return TYPE + TYPES[label - TYPE_LABELS].name().toLowerCase(Locale.ROOT);
        }
        return COMPLEXITY + COMPLEXITIES[label - COMPLEXITY_LABELS].name().toLowerCase(Locale.ROOT);
    }

    /** A fact of the rule-based analysis, not a word of the task. */
    static boolean isFact(String name) {
        return name.equals(BIAS) || name.startsWith(RULE) || name.startsWith(PATTERN) || name.startsWith(TYPE)
                || name.startsWith(COMPLEXITY);
    }

    private static IllegalArgumentException malformed(String source, int line, String problem) {
        return new IllegalArgumentException(source + " line " + line + ": " + problem);
    }

    /**
     * Scores every capability, type and complexity for the task {@code text}, of which {@code tokens} are those of
     * the part the rules read ({@link Scan} collects them), and the rules' analysis of it. The rules-only model keeps
     * the rules' answer: {@code ruleMask} (each capability scored +-1), type and complexity.
     */
    Scoring score(CharSequence text, TextFeatures.Tokens tokens, int ruleMask, Pattern pattern, TaskType type,
            Complexity complexity) {
        Scoring scoring = new Scoring(text);
        float[] scores = scoring.scores;
        if (rulesOnly) {
            for (int c = 0; c < CAPABILITIES; c++) {
                scores[c] = (ruleMask & (1 << c)) != 0 ? 1f : -1f;
            }
            scoring.mask = ruleMask;
            scoring.type = type;
            scoring.complexity = complexity;
            return scoring;
        }
        add(bias, scores);
        for (int remaining = ruleMask; remaining != 0; remaining &= remaining - 1) {
            add(ruleRows[Integer.numberOfTrailingZeros(remaining)], scores);
        }
        add(patternRows[pattern.ordinal()], scores);
        add(typeRows[type.ordinal()], scores);
        add(complexityRows[complexity.ordinal()], scores);
        tokens.visit(scoring);
        scoring.flush();
        for (int c = 0; c < LABELS; c++) {
            scores[c] += scoring.sums[c] * WORD_WEIGHT_STEP;
        }
        for (int c = 0; c < CAPABILITIES; c++) {
            scoring.mask |= scores[c] > 0 ? 1 << c : 0;
        }
        scoring.type = TYPES[best(scores, TYPE_LABELS, TYPES.length)];
        scoring.complexity = COMPLEXITIES[best(scores, COMPLEXITY_LABELS, COMPLEXITIES.length)];
        return scoring;
    }

    /** Which of {@code scores[from, from + count)} is highest, relative to {@code from}; the first of equals. */
    private static int best(float[] scores, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (scores[from + i] > scores[from + best]) {
                best = i;
            }
        }
        return best;
    }

    /** The weight in steps of a word feature for the capability. */
    private int weight(int feature, Capability capability) {
        int c = capability.ordinal();
        return (int) (rows[feature * ROW_LONGS + c / 8] >>> 8 * (c % 8) & 0xff) - WEIGHT_BIAS;
    }

    private static boolean hasLetter(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isLetter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A token the lexicon knows as no function word. */
    private static boolean isContentWord(CharSequence text, int from, int to, Lexicon lexicon) {
        char[] lower = new char[to - from];
        for (int i = from; i < to; i++) {
            lower[i - from] = Chars.lower(text.charAt(i));
        }
        return (lexicon.flagsOf(lower, lower.length) & Scan.FUNCTION_WORD) == 0;
    }

    /** The text of a span with every run of white space as one space. */
    private static String written(CharSequence text, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!Chars.isSpace(c)) {
                out.append(c);
            } else if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                out.append(' ');
            }
        }
        return out.toString();
    }

    /**
     * The model's scores for one task ({@link #scores} by label, {@link #mask} the capabilities above 0, the
     * {@link #type} and {@link #complexity} of highest score), and the word features that made them. While the text streams by it sums the word weights of the known features among
     * its tokens and token pairs, in steps (exact integer sums), each feature once however often it occurs (as in
     * training), and notes where each was first seen, so that the reasoning can quote it without a second pass.
     */
    final class Scoring implements TextFeatures.TokenVisitor {
        final float[] scores = new float[LABELS];
        int mask;
        TaskType type;
        Complexity complexity;
        private final CharSequence text;
        private final int[] sums = new int[LABELS];
        /** The features seen so far, plus one, in a small open-addressing set; 0 is an empty slot. */
        private int[] seen = new int[128];
        private int seenCount;
        /**
         * Per feature seen, in order: its index and where it starts and ends in the text (room for 64: a corpus task
         * has about 40).
         */
        private int[] found = new int[3 * 64];
        private int foundCount;
        /** Per long of a row, the sums of its even and of its odd bytes in 16-bit lanes, since the last flush. */
        private final long[] lanes = new long[2 * ROW_LONGS];
        private int pending;
        private long previous;
        private int previousFrom = -1;

        private Scoring(CharSequence text) {
            this.text = text;
        }

        /** The model's probability that the capability is needed. */
        double probability(Capability capability) {
            return 1.0 / (1.0 + Math.exp(-scores[capability.ordinal()]));
        }

        /**
         * How likely the set ({@link #mask}) is exactly right: the product over the capabilities of the probability
         * of the decision taken on each (needed or not).
         */
        double confidence() {
            double probability = 1.0;
            for (int c = 0; c < CAPABILITIES; c++) {
                float score = scores[c];
                if (Math.abs(score) < SURE_SCORE) {
                    probability /= 1.0 + Math.exp(-Math.abs(score));
                }
            }
            return probability;
        }

        @Override
        public void token(long hash, int from, int to) {
            add(indexOf(hash), from, to);
            if (previousFrom >= 0) {
                add(indexOf(TextFeatures.pair(previous, hash)), previousFrom, to);
            }
            previous = hash;
            previousFrom = from;
        }

        private void add(int feature, int from, int to) {
            if (feature < 0 || !firstSight(feature + 1)) {
                return;
            }
            for (int k = 0, row = feature * ROW_LONGS; k < ROW_LONGS; k++) {
                long weights = rows[row + k];
                lanes[2 * k] += weights & EVEN_BYTES;
                lanes[2 * k + 1] += weights >>> 8 & EVEN_BYTES;
            }
            if (++pending == MAX_PENDING) {
                flush();
            }
            if (3 * (foundCount + 1) > found.length) {
                found = Arrays.copyOf(found, found.length * 2);
            }
            int at = 3 * foundCount++;
            found[at] = feature;
            found[at + 1] = from;
            found[at + 2] = to;
        }

        /**
         * The words of the task that weighed most for ({@code positive}) or against a capability, as they are written
         * (a word pair with one space between), strongest first, at most {@code max}: what the reasoning quotes when
         * the model adds or drops a capability. Punctuation and function words ("the", "for") weigh too, but tell a
         * reader nothing: a single token is quoted when it is a content word, a pair when both are words and one of
         * them a content word ("our refund", not "GitHub,").
         */
        List<String> strongestWords(Capability capability, boolean positive, int max, Lexicon lexicon) {
            // the strongest so far, strongest first; of equal weight, the first seen
            int[] strongest = new int[max];
            int[] strength = new int[max];
            int count = 0;
            for (int f = 0; f < foundCount; f++) {
                int at = 3 * f;
                int steps = weight(found[at], capability);
                int weight = positive ? steps : -steps;
                if (weight <= 0 || (count == max && weight <= strength[max - 1]) || !isQuotable(at, lexicon)) {
                    continue;
                }
                int i = count < max ? count++ : max - 1;
                for (; i > 0 && strength[i - 1] < weight; i--) {
                    strongest[i] = strongest[i - 1];
                    strength[i] = strength[i - 1];
                }
                strongest[i] = at;
                strength[i] = weight;
            }
            List<String> words = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                words.add(written(text, found[strongest[i] + 1], found[strongest[i] + 2]));
            }
            return words;
        }

        private boolean isQuotable(int at, Lexicon lexicon) {
            int from = found[at + 1];
            int to = found[at + 2];
            int firstEnd = TextFeatures.tokenEnd(text, from, to);
            if (firstEnd == to) {
                return hasLetter(text, from, to) && isContentWord(text, from, to, lexicon);
            }
            int secondStart = firstEnd;
            while (Chars.isSpace(text.charAt(secondStart))) {
                secondStart++;
            }
            return hasLetter(text, from, firstEnd) && hasLetter(text, secondStart, to)
                    && (isContentWord(text, from, firstEnd, lexicon) || isContentWord(text, secondStart, to, lexicon));
        }

        /** Moves the lanes' sums into {@link #sums}. */
        private void flush() {
            for (int k = 0; k < ROW_LONGS; k++) {
                for (int lane = 0; lane < 4; lane++) {
                    int label = 8 * k + 2 * lane;
                    if (label < LABELS) {
                        sums[label] += (int) (lanes[2 * k] >>> 16 * lane & 0xffff) - WEIGHT_BIAS * pending;
                    }
                    if (label + 1 < LABELS) {
                        sums[label + 1] += (int) (lanes[2 * k + 1] >>> 16 * lane & 0xffff) - WEIGHT_BIAS * pending;
                    }
                }
                lanes[2 * k] = 0;
                lanes[2 * k + 1] = 0;
            }
            pending = 0;
        }

        private boolean firstSight(int key) {
            if (2 * (seenCount + 1) > seen.length) {
                int[] old = seen;
                seen = new int[old.length * 2];
                for (int k : old) {
                    if (k != 0) {
                        seen[slotFor(k)] = k;
                    }
                }
            }
            int slot = slotFor(key);
            if (seen[slot] == key) {
                return false;
            }
            seen[slot] = key;
            seenCount++;
            return true;
        }

        /** The slot holding {@code key}, or the empty one where it goes. */
        private int slotFor(int key) {
            int m = seen.length - 1;
            int slot = (key * 0x9e3779b1) & m;
            while (seen[slot] != 0 && seen[slot] != key) {
                slot = (slot + 1) & m;
            }
            return slot;
        }
    }

    private static void add(float[] row, float[] scores) {
        if (row != null) {
            for (int c = 0; c < LABELS; c++) {
                scores[c] += row[c];
            }
        }
    }

    private void put(String name, int feature) {
        long hash = TextFeatures.hash(name);
        if (indexOf(hash) >= 0) {
            throw new IllegalArgumentException("the capability model names the feature '" + name
                    + "' twice, or two features with the same hash");
        }
        int slot = (int) hash & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = (hash & FINGERPRINT) | (feature + 1);
    }

    /** The index of the feature with this hash, or -1 when the model does not know it. */
    private int indexOf(long hash) {
        long fingerprint = hash & FINGERPRINT;
        for (int slot = (int) hash & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            if ((slots[slot] & FINGERPRINT) == fingerprint) {
                return (int) slots[slot] - 1;
            }
        }
        return -1;
    }
}
