package io.mcpagent.analyzer.heuristic.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mcpagent.api.task.TaskType;

/**
 * The analyzer's tables, built once and then only read: a word table (every cue word with its inflections, so
 * "tests" and "testing" find "test"), a trie of phrases over word ids ("pull request", "step by step"), a table
 * of file extensions, and the signals of shapes (a URL, a path, an e-mail address, a chat channel). A word or
 * phrase may carry a second signal that applies only in verb position ("email the team" vs "the email").
 */
final class Lexicon {
    /** Longer words are never cues, so they are not looked up. */
    static final int MAX_WORD = 32;

    /**
     * A known word: its id in the phrase trie (-1 when in no phrase), the trie node of the phrases it starts (-1 when
     * none), its signal and its verb-position signal (either may be null), its value when it is a number word, and
     * whether this form can be an imperative verb (the base or the {@code -ing} form; "emails", "removed" cannot).
     */
    record Word(int id, int startNode, Signal signal, Signal verbSignal, int number, boolean verbForm) {
        long flags() {
            return signal == null ? 0 : signal.flags;
        }

        Word inflected(String form) {
            return new Word(id, startNode, signal, verbSignal, number, form.endsWith("ing"));
        }
    }

    /** Shapes recognised from a whitespace-delimited chunk rather than from words; cues {@code <URL>} etc. */
    enum Shape {
        URL("a URL"), REPOSITORY_URL("a repository URL"), STORAGE_URL("a storage URL"), DOMAIN("a domain"),
        PATH("a path"), FILE_NAME("a file name"), WEB_FILE("a web file (robots.txt)"), EXTENSION("a file type"), REPOSITORY_SLUG("an owner/repo name"),
        EMAIL_ADDRESS("an e-mail address"), MENTION("an @mention"), CHANNEL("a #channel"),
        ISSUE_NUMBER("an issue number");

        private final String description;

        Shape(String description) {
            this.description = description;
        }
    }

    private final WordTable<Word> words;
    private final WordTable<Signal> extensions;
    private final Signal[] shapes;
    /**
     * The trie's edges, open addressing: per slot its key ({@code node << 32 | wordId}, -1 when empty) and, right
     * after it, the node it leads to, so that a probe that hits reads one cache line.
     */
    private final long[] edges;
    private final int edgeMask;
    private final Signal[] phraseSignals;
    private final Signal[] phraseVerbSignals;

    private Lexicon(Builder builder) {
        // Phrases first: every phrase word gets an id, and the trie is built over the ids.
        Map<String, Integer> ids = new HashMap<>();
        List<int[]> phrasePaths = new ArrayList<>();
        List<String> phraseKeys = new ArrayList<>();
        for (String key : builder.keys()) {
            String[] parts = key.split(" ");
            if (parts.length > 1) {
                int[] path = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    path[i] = ids.computeIfAbsent(parts[i], k -> ids.size());
                }
                phrasePaths.add(path);
                phraseKeys.add(key);
            }
        }
        int edgeCount = phrasePaths.stream().mapToInt(p -> p.length).sum();
        int capacity = Integer.highestOneBit(Math.max(4, edgeCount * 2)) << 1;
        edges = new long[2 * capacity];
        Arrays.fill(edges, -1L);
        edgeMask = capacity - 1;
        List<Signal> nodeSignals = new ArrayList<>();
        List<Signal> nodeVerbSignals = new ArrayList<>();
        nodeSignals.add(null); // the root
        nodeVerbSignals.add(null);
        for (int p = 0; p < phrasePaths.size(); p++) {
            int node = 0;
            for (int wordId : phrasePaths.get(p)) {
                int child = child(node, wordId);
                if (child < 0) {
                    child = nodeSignals.size();
                    nodeSignals.add(null);
                    nodeVerbSignals.add(null);
                    putEdge(node, wordId, child);
                }
                node = child;
            }
            nodeSignals.set(node, builder.signal(phraseKeys.get(p), false));
            nodeVerbSignals.set(node, builder.signal(phraseKeys.get(p), true));
        }
        phraseSignals = nodeSignals.toArray(new Signal[0]);
        phraseVerbSignals = nodeVerbSignals.toArray(new Signal[0]);

        Map<String, Word> explicit = new LinkedHashMap<>();
        for (String key : builder.keys()) {
            if (!key.contains(" ") && !key.startsWith(".") && !key.startsWith("<")) {
                explicit.put(key, word(ids.getOrDefault(key, -1), builder.signal(key, false), builder.signal(key, true),
                        builder.numbers.getOrDefault(key, 0)));
            }
        }
        ids.forEach((key, id) -> explicit.putIfAbsent(key, word(id, null, null, builder.numbers.getOrDefault(key, 0))));
        builder.numbers.forEach((key, value) -> explicit.putIfAbsent(key, word(-1, null, null, value)));
        Map<String, Word> wordEntries = new LinkedHashMap<>(explicit);
        // Inflections never replace an explicit word; the first word to claim one keeps it. Function words have
        // none: "notes" is no form of "not", nor "ores" of "or".
        long functionWord = Signal.NEGATION | Signal.DETERMINER | Signal.CONJUNCTION | Signal.ALTERNATIVE
                | Signal.PREPOSITION | Signal.QUESTION;
        explicit.forEach((key, word) -> {
            if ((word.flags() & functionWord) != 0) {
                return;
            }
            for (String variant : inflections(key)) {
                wordEntries.putIfAbsent(variant, word.inflected(variant));
            }
        });
        words = new WordTable<>(wordEntries);

        Map<String, Signal> extensionEntries = new LinkedHashMap<>();
        shapes = new Signal[Shape.values().length];
        for (String key : builder.keys()) {
            if (key.startsWith(".")) {
                extensionEntries.put(key.substring(1), builder.signal(key, false));
            } else if (key.startsWith("<")) {
                shapes[Shape.valueOf(key.substring(1, key.length() - 1)).ordinal()] = builder.signal(key, false);
            }
        }
        for (Shape shape : Shape.values()) {
            if (shapes[shape.ordinal()] == null) {
                shapes[shape.ordinal()] = new Builder.Draft(shape.description, true).toSignal();
            }
        }
        extensions = new WordTable<>(extensionEntries);
    }

    /** A base-form word; the trie must be built, since the word keeps the node its phrases start at. */
    private Word word(int id, Signal signal, Signal verbSignal, int number) {
        return new Word(id, id < 0 ? -1 : child(0, id), signal, verbSignal, number, true);
    }

    /**
     * The word {@code chars[0, length)} (lower-case) whose running hash ({@link WordTable#mix}, computed as it was
     * read) is {@code hash}, or null when it is no cue and in no phrase.
     */
    Word word(char[] chars, int length, int hash) {
        return words.get(chars, length, hash);
    }

    /** Whether the word {@code chars[0, length)} (lower-case) is a half of a common slash pair. */
    boolean isSlashPairWord(char[] chars, int length) {
        Word known = words.get(chars, length);
        return known != null && (known.flags() & Signal.SLASH_PAIR) != 0;
    }

    /** The flags of the word {@code chars[0, length)} (lower-case), 0 when it is unknown. */
    long flagsOf(char[] chars, int length) {
        Word known = words.get(chars, length);
        return known == null ? 0 : known.flags();
    }

    /** The signal of a file extension without its dot ({@code csv}), or null. */
    Signal extension(char[] chars, int length) {
        return extensions.get(chars, length);
    }

    Signal shape(Shape shape) {
        return shapes[shape.ordinal()];
    }

    /** The trie node reached from {@code node} (0 = root) by the word {@code wordId}, or -1. */
    int child(int node, int wordId) {
        long key = ((long) node << 32) | wordId;
        int slot = Long.hashCode(key * 0x9E3779B97F4A7C15L) & edgeMask;
        long found;
        while ((found = edges[2 * slot]) != -1L) {
            if (found == key) {
                return (int) edges[2 * slot + 1];
            }
            slot = (slot + 1) & edgeMask;
        }
        return -1;
    }

    /** The signal of the phrase ending at {@code node}, or null. */
    Signal phraseAt(int node) {
        return phraseSignals[node];
    }

    /** The extra signal of the phrase ending at {@code node} when it starts in verb position, or null. */
    Signal verbPhraseAt(int node) {
        return phraseVerbSignals[node];
    }

    private void putEdge(int node, int wordId, int child) {
        long key = ((long) node << 32) | wordId;
        int slot = Long.hashCode(key * 0x9E3779B97F4A7C15L) & edgeMask;
        while (edges[2 * slot] != -1L) {
            slot = (slot + 1) & edgeMask;
        }
        edges[2 * slot] = key;
        edges[2 * slot + 1] = child;
    }

    /**
     * The inflected forms of a word that should find it: plurals and third person ({@code -s}, {@code -es},
     * {@code -ies}), past and gerund ({@code -ed}, {@code -ing}, with a final {@code e} dropped or the consonant
     * doubled), and the other spelling of {@code -ise}/{@code -ize}, {@code -yse}/{@code -yze}. Nonsense forms
     * are harmless: no task contains them.
     */
    static List<String> inflections(String word) {
        List<String> forms = new ArrayList<>();
        if (word.length() < 3 || !word.chars().allMatch(Character::isLetter)) {
            return forms;
        }
        addInflections(word, forms);
        String other = otherSpelling(word);
        if (other != null) {
            forms.add(other);
            addInflections(other, forms);
        }
        return forms;
    }

    private static void addInflections(String word, List<String> forms) {
        int length = word.length();
        char last = word.charAt(length - 1);
        String stem = word.substring(0, length - 1);
        forms.add(word + "s");
        forms.add(word + "es");
        if (last == 'e') {
            forms.add(word + "d");
            forms.add(stem + "ing");
        } else {
            forms.add(word + "ed");
            forms.add(word + "ing");
        }
        if (last == 'y' && !isVowel(word.charAt(length - 2))) {
            forms.add(stem + "ies");
            forms.add(stem + "ied");
        }
        if (length <= 6 && isShortSyllable(word)) {
            forms.add(word + last + "ing");
            forms.add(word + last + "ed");
        }
    }

    /** Consonant, single vowel, consonant at the end (not w, x, y): "debug" doubles to "debugging". */
    private static boolean isShortSyllable(String word) {
        int n = word.length();
        char last = word.charAt(n - 1);
        return !isVowel(last) && last != 'w' && last != 'x' && last != 'y'
                && isVowel(word.charAt(n - 2)) && !isVowel(word.charAt(n - 3));
    }

    private static String otherSpelling(String word) {
        for (String[] pair : new String[][] {{"ise", "ize"}, {"ize", "ise"}, {"yse", "yze"}, {"yze", "yse"},
                {"isation", "ization"}, {"ization", "isation"}}) {
            if (word.endsWith(pair[0])) {
                return word.substring(0, word.length() - pair[0].length()) + pair[1];
            }
        }
        return null;
    }

    private static boolean isVowel(char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    }

    /**
     * Collects cues: a word, a phrase (words separated by spaces or punctuation), a file extension ({@code .csv}) or
     * a shape ({@code <URL>}). A cue named several times gets the sum of what each mention says. {@link #verb()}
     * gives a builder whose cues apply only in verb position.
     */
    static final class Builder {
        private final Map<String, Draft> drafts;
        private final Map<String, Draft> verbDrafts;
        private final Map<String, Integer> numbers;
        private final boolean verb;

        Builder() {
            this(new LinkedHashMap<>(), new LinkedHashMap<>(), new HashMap<>(), false);
        }

        private Builder(Map<String, Draft> drafts, Map<String, Draft> verbDrafts, Map<String, Integer> numbers,
                        boolean verb) {
            this.drafts = drafts;
            this.verbDrafts = verbDrafts;
            this.numbers = numbers;
            this.verb = verb;
        }

        /** A view of this builder whose cues apply only when the word (or a phrase's first word) is a verb. */
        Builder verb() {
            return new Builder(drafts, verbDrafts, numbers, true);
        }

        Builder type(TaskType type, double weight, String... cues) {
            for (String cue : cues) {
                draft(cue).types[type.ordinal()] += (float) weight;
            }
            return this;
        }

        Builder capability(Capability capability, String... cues) {
            for (String cue : cues) {
                draft(cue).capabilities |= capability.bit();
            }
            return this;
        }

        Builder weakCapability(Capability capability, String... cues) {
            for (String cue : cues) {
                draft(cue).weakCapabilities |= capability.bit();
            }
            return this;
        }

        /** The cues rule the capability out in their clause, whatever else names it there. */
        Builder veto(Capability capability, String... cues) {
            for (String cue : cues) {
                draft(cue).vetoedCapabilities |= capability.bit();
            }
            return this;
        }

        Builder pattern(Pattern pattern, double weight, String... cues) {
            for (String cue : cues) {
                draft(cue).patterns[pattern.ordinal()] += (float) weight;
            }
            return this;
        }

        Builder complexity(double weight, String... cues) {
            for (String cue : cues) {
                draft(cue).complexity += (float) weight;
            }
            return this;
        }

        Builder flag(long flag, String... cues) {
            for (String cue : cues) {
                draft(cue).flags |= flag;
            }
            return this;
        }

        /** Cues that mean nothing by themselves but are recognised (a file extension that still marks a file). */
        Builder known(String... cues) {
            for (String cue : cues) {
                draft(cue);
            }
            return this;
        }

        Builder number(int value, String... cues) {
            for (String cue : cues) {
                numbers.put(normalise(cue), value);
            }
            return this;
        }

        Lexicon build() {
            return new Lexicon(this);
        }

        private List<String> keys() {
            List<String> keys = new ArrayList<>(drafts.keySet());
            verbDrafts.keySet().forEach(key -> {
                if (!drafts.containsKey(key)) {
                    keys.add(key);
                }
            });
            return keys;
        }

        private Signal signal(String key, boolean verbPosition) {
            Draft draft = (verbPosition ? verbDrafts : drafts).get(key);
            return draft == null ? null : draft.toSignal();
        }

        private Draft draft(String cue) {
            String key = cue.startsWith("<") ? cue : cue.startsWith(".") ? cue.toLowerCase(Locale.ROOT) : normalise(cue);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a cue needs at least one letter or digit: '" + cue + "'");
            }
            if (verb && (key.startsWith("<") || key.startsWith("."))) {
                throw new IllegalArgumentException("shapes and extensions have no verb position: '" + cue + "'");
            }
            return (verb ? verbDrafts : drafts).computeIfAbsent(key, k -> cue.startsWith("<")
                    ? new Draft(Shape.valueOf(cue.substring(1, cue.length() - 1)).description, true)
                    : new Draft(cue, false));
        }

        /**
         * Lower case, words separated by one space, as the scanner splits a task: "e-mail" is "e mail", and a
         * short ending after an apostrophe is dropped ("it's" is "it") as the scanner drops it.
         */
        static String normalise(String cue) {
            StringBuilder out = new StringBuilder(cue.length());
            boolean space = false;
            for (int i = 0; i < cue.length(); i++) {
                char c = Character.toLowerCase(cue.charAt(i));
                if ((c == '\'' || c == '\u2019') && i + 1 < cue.length()) {
                    int end = i + 1;
                    while (end < cue.length() && Character.isLetter(cue.charAt(end))) {
                        end++;
                    }
                    if (end - i - 1 <= 2) {
                        i = end - 1;
                        continue;
                    }
                }
                if (Character.isLetterOrDigit(c) || c == '_') {
                    if (space && !out.isEmpty()) {
                        out.append(' ');
                    }
                    space = false;
                    out.append(c);
                } else {
                    space = true;
                }
            }
            return out.toString();
        }

        /** A cue being collected. */
        static final class Draft {
            private final String cue;
            private final boolean shape;
            private final float[] types = new float[Signal.typeCount()];
            private final float[] patterns = new float[Pattern.count()];
            private int capabilities;
            private int weakCapabilities;
            private int vetoedCapabilities;
            private float complexity;
            private long flags;

            Draft(String cue, boolean shape) {
                this.cue = cue;
                this.shape = shape;
            }

            Signal toSignal() {
                return new Signal(cue, shape, types.clone(), capabilities, weakCapabilities, vetoedCapabilities,
                        patterns.clone(), complexity, flags);
            }
        }
    }
}
