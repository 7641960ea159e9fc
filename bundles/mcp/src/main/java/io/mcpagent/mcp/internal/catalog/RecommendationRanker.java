package io.mcpagent.mcp.internal.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.task.Capability;

/**
 * Ranks catalog entries for a task in plain words. Everything that depends only on the entries is computed once
 * in the constructor, into arrays: the terms (stemmed words and phrases) with the entries that contain each
 * (an inverted index), the capabilities each term implies, and the entries with each capability. Ranking a task
 * then only stems its few words and walks short posting lists. Immutable and thread-safe; build a new one when
 * the entries change.
 * <p>
 * Public with a public constructor so that benchmarks can use it outside OSGi.
 */
public final class RecommendationRanker {

    /** A word of the entry's id or name, a keyword, or the category; a term counts once, with its best weight. */
    private static final float NAME_WEIGHT = 1.0f;
    private static final float KEYWORD_WEIGHT = 0.8f;
    private static final float CATEGORY_WEIGHT = 0.4f;
    /** For each capability the task implies and the entry has. */
    private static final double CAPABILITY_WEIGHT = 0.6;
    /** The score is raw / (raw + SATURATION): one solid match gives about 0.3, four about 0.6. */
    private static final double SATURATION = 2.0;
    /** Priority 0..100 scales the score by 0.9..1.0: it decides between near-equal matches, never more. */
    private static final double PRIORITY_SHARE = 0.1;
    /**
     * A local path written in the task ("~/notes", "./docs", "/var/log/app", "C:\reports"), without the punctuation
     * around it; not a route of a web API ("/api/search", "/v2/orders").
     */
    private static final Pattern LOCAL_PATH = Pattern.compile(
            "(?:~|\\.{1,2})?/(?!api/|v\\d+/)[\\w.-]+(?:/[\\w.-]*)*|[A-Za-z]:\\\\[\\w.\\\\-]*");
    private static final String PATH_TRIM = "\"'`()[]{},;:!?";
    /**
     * Added for the capability a local path implies: a path names the local file system as plainly as the server's
     * name would, beyond the words of the task ("my notes" is no notes app when they are in ~/notes).
     */
    private static final double LOCAL_PATH_WEIGHT = NAME_WEIGHT;

    private final List<CatalogEntry> entries;
    /** Term id of each known single stem; phrases continue from there through {@link #childStems}. */
    private final Map<String, Integer> termOfStem;
    /** Per term: the stems that continue it into a longer phrase, and the terms they lead to. */
    private final String[][] childStems;
    private final int[][] childTerms;
    /** Per term: true if it is a whole keyword, synonym or name word, not only the start of a longer phrase. */
    private final boolean[] complete;
    /** Per term: how it reads, for reasons. */
    private final String[] termText;
    /** Per term: the entries containing it (ascending) and the weight of the term for each. */
    private final int[][] termEntries;
    private final float[][] termWeights;
    /** Per term: the capabilities it implies (indexes into {@link #capabilityNames}). */
    private final int[][] termCapabilities;
    private final String[] capabilityNames;
    /** Per capability: the entries that have it, ascending. */
    private final int[][] capabilityEntries;
    /** The capability a local path named in the task implies: its files are read. */
    private final int fileRead;

    public RecommendationRanker(List<CatalogEntry> entries) {
        this.entries = List.copyOf(entries);
        IndexBuilder builder = new IndexBuilder();
        CapabilitySynonyms.BY_CAPABILITY.forEach((capability, phrases) -> {
            int capabilityId = builder.capability(capability.id());
            phrases.forEach(phrase -> builder.impliesCapability(builder.term(phrase), capabilityId));
        });
        for (int entry = 0; entry < this.entries.size(); entry++) {
            builder.addEntry(entry, this.entries.get(entry));
        }
        // Capability names read as words too ("memory", "web fetch"), including those only entries mention.
        for (String capability : List.copyOf(builder.capabilityIds.keySet())) {
            builder.impliesCapability(builder.term(capability.replace('_', ' ')), builder.capability(capability));
        }
        int termCount = builder.texts.size();
        this.termOfStem = Map.copyOf(builder.termOfStem);
        this.childStems = new String[termCount][];
        this.childTerms = new int[termCount][];
        this.complete = new boolean[termCount];
        this.termText = builder.texts.toArray(String[]::new);
        this.termEntries = new int[termCount][];
        this.termWeights = new float[termCount][];
        this.termCapabilities = new int[termCount][];
        for (int term = 0; term < termCount; term++) {
            List<Map.Entry<String, Integer>> children = List.copyOf(builder.children.get(term).entrySet());
            childStems[term] = children.stream().map(Map.Entry::getKey).toArray(String[]::new);
            childTerms[term] = children.stream().mapToInt(Map.Entry::getValue).toArray();
            complete[term] = builder.complete.get(term);
            TreeMap<Integer, Float> postings = builder.postings.get(term);
            termEntries[term] = postings.keySet().stream().mapToInt(Integer::intValue).toArray();
            termWeights[term] = new float[postings.size()];
            int i = 0;
            for (float weight : postings.values()) {
                termWeights[term][i++] = weight;
            }
            termCapabilities[term] = builder.implied.get(term).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        this.fileRead = builder.capability(Capability.FILE_READ.id());
        this.capabilityNames = builder.capabilityIds.keySet().toArray(String[]::new);
        this.capabilityEntries = new int[capabilityNames.length][];
        builder.capabilityIds.forEach((name, id) -> capabilityEntries[id] =
                builder.capabilityHolders.get(id).stream().mapToInt(Integer::intValue).distinct().sorted().toArray());
    }

    public List<CatalogEntry> entries() {
        return entries;
    }

    /**
     * The entries that match the task, best first, at most {@code max}, each with a score in 0..1 and a reason.
     *
     * @param installed tells whether a server with a given id is installed; asked only for the results
     * @throws IllegalArgumentException if {@code max <= 0} or the task is blank
     */
    public List<ServerRecommendation> recommend(String task, int max, Predicate<String> installed) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("task is blank: describe in plain words what the servers are for");
        }
        List<String> paths = localPaths(task);
        String words = task;
        for (String path : paths) { // a folder's name is no topic: "~/notes" is no notes app
            words = words.replace(path, " ");
        }
        int[] taskTerms = taskTerms(words);
        int[] taskCapabilities = capabilitiesOf(taskTerms, !paths.isEmpty());
        double[] raw = new double[entries.size()];
        for (int term : taskTerms) {
            int[] holders = termEntries[term];
            float[] weights = termWeights[term];
            for (int i = 0; i < holders.length; i++) {
                raw[holders[i]] += weights[i];
            }
        }
        for (int capability : taskCapabilities) {
            for (int holder : capabilityEntries[capability]) {
                raw[holder] += CAPABILITY_WEIGHT + (capability == fileRead && !paths.isEmpty() ? LOCAL_PATH_WEIGHT : 0);
            }
        }
        int[] best = best(raw, Math.min(max, entries.size()));
        List<ServerRecommendation> recommendations = new ArrayList<>(best.length);
        for (int entry : best) {
            CatalogEntry catalogEntry = entries.get(entry);
            recommendations.add(new ServerRecommendation(catalogEntry, score(raw[entry], catalogEntry.priority()),
                    reason(entry, taskTerms, taskCapabilities, paths), installed.test(catalogEntry.id())));
        }
        return recommendations;
    }

    /** The distinct terms of the task, each phrase matched as long as it goes ("pull request", not "pull"). */
    private int[] taskTerms(String task) {
        List<String> words = Words.words(task);
        String[] stems = new String[words.size()];
        for (int i = 0; i < stems.length; i++) {
            stems[i] = Words.stem(words.get(i));
        }
        int[] found = new int[stems.length];
        int count = 0;
        int position = 0;
        while (position < stems.length) {
            Integer first = termOfStem.get(stems[position]);
            if (first == null) {
                position++;
                continue;
            }
            int term = first;
            int match = complete[term] ? term : -1;
            int matchEnd = position + 1;
            for (int next = position + 1; next < stems.length; next++) {
                term = child(term, stems[next]);
                if (term < 0) {
                    break;
                }
                if (complete[term]) {
                    match = term;
                    matchEnd = next + 1;
                }
            }
            if (match >= 0) {
                if (!contains(found, count, match)) {
                    found[count++] = match;
                }
                position = matchEnd;
            } else {
                position++;
            }
        }
        return Arrays.copyOf(found, count);
    }

    private int child(int term, String stem) {
        String[] stems = childStems[term];
        for (int i = 0; i < stems.length; i++) {
            if (stems[i].equals(stem)) {
                return childTerms[term][i];
            }
        }
        return -1;
    }

    /**
     * The local paths the task names ("~/notes", "./docs/", "/var/log/app.log"): the files a server is needed to read,
     * whatever words name them ("read my notes in ~/notes" is about a folder, not a notes app).
     */
    private static List<String> localPaths(String task) {
        if (task.indexOf('/') < 0 && task.indexOf('\\') < 0) { // most tasks: no split, no pattern
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        for (String chunk : task.split("\\s+")) {
            int start = 0;
            int end = chunk.length();
            while (start < end && PATH_TRIM.indexOf(chunk.charAt(start)) >= 0) {
                start++;
            }
            while (end > start && (PATH_TRIM.indexOf(chunk.charAt(end - 1)) >= 0 || chunk.charAt(end - 1) == '.')) {
                end--;
            }
            String candidate = chunk.substring(start, end);
            if (LOCAL_PATH.matcher(candidate).matches() && !paths.contains(candidate)) {
                paths.add(candidate);
            }
        }
        return paths;
    }

    private int[] capabilitiesOf(int[] terms, boolean namesLocalPath) {
        int[] found = new int[capabilityNames.length];
        int count = 0;
        if (namesLocalPath) {
            found[count++] = fileRead;
        }
        for (int term : terms) {
            for (int capability : termCapabilities[term]) {
                if (!contains(found, count, capability)) {
                    found[count++] = capability;
                }
            }
        }
        return Arrays.copyOf(found, count);
    }

    /** Indexes of the best entries with a positive score, best first; ties go to priority, then to id order. */
    private int[] best(double[] raw, int limit) {
        int[] best = new int[limit];
        double[] bestScores = new double[limit];
        int count = 0;
        for (int entry = 0; entry < raw.length; entry++) {
            if (raw[entry] <= 0) {
                continue;
            }
            double score = score(raw[entry], entries.get(entry).priority());
            if (count == limit && score <= bestScores[count - 1]) {
                continue; // entries come in id order, so an equal score later loses the tie
            }
            int slot = count == limit ? limit - 1 : count++;
            while (slot > 0 && score > bestScores[slot - 1]) {
                best[slot] = best[slot - 1];
                bestScores[slot] = bestScores[slot - 1];
                slot--;
            }
            best[slot] = entry;
            bestScores[slot] = score;
        }
        return Arrays.copyOf(best, count);
    }

    private static double score(double raw, int priority) {
        double match = raw / (raw + SATURATION);
        return match * (1 - PRIORITY_SHARE + PRIORITY_SHARE * priority / 100.0);
    }

    /**
     * "matches 'github', 'pull request', 'repo' -> code_repository": the task's words that matched the entry
     * directly, then per capability the words that led to it (a word appears once). Built only for the results.
     */
    private String reason(int entry, int[] taskTerms, int[] taskCapabilities, List<String> paths) {
        boolean[] explained = new boolean[taskTerms.length];
        for (int capability : taskCapabilities) {
            if (hasCapability(entry, capability)) {
                for (int i = 0; i < taskTerms.length; i++) {
                    explained[i] |= implies(taskTerms[i], capability);
                }
            }
        }
        StringBuilder reason = new StringBuilder("matches ");
        String separator = "";
        for (int i = 0; i < taskTerms.length; i++) {
            if (!explained[i] && Arrays.binarySearch(termEntries[taskTerms[i]], entry) >= 0) {
                appendQuoted(reason.append(separator), termText[taskTerms[i]]);
                separator = ", ";
            }
        }
        for (int capability : taskCapabilities) {
            if (!hasCapability(entry, capability)) {
                continue;
            }
            reason.append(separator);
            String wordSeparator = "";
            if (capability == fileRead) {
                for (String path : paths) {
                    appendQuoted(reason.append(wordSeparator), path);
                    wordSeparator = ", ";
                }
            }
            for (int term : taskTerms) {
                if (implies(term, capability)) {
                    appendQuoted(reason.append(wordSeparator), termText[term]);
                    wordSeparator = ", ";
                }
            }
            reason.append(" -> ").append(capabilityNames[capability]);
            separator = "; ";
        }
        return reason.toString();
    }

    private boolean hasCapability(int entry, int capability) {
        return Arrays.binarySearch(capabilityEntries[capability], entry) >= 0;
    }

    private boolean implies(int term, int capability) {
        return contains(termCapabilities[term], termCapabilities[term].length, capability);
    }

    private static void appendQuoted(StringBuilder text, String word) {
        text.append('\'').append(word).append('\'');
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Collects terms, postings and capabilities in maps and lists; the ranker freezes them into arrays. */
    private static final class IndexBuilder {
        final Map<String, Integer> termOfStem = new HashMap<>();
        final List<Map<String, Integer>> children = new ArrayList<>();
        final List<Boolean> complete = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        final List<TreeMap<Integer, Float>> postings = new ArrayList<>();
        final List<List<Integer>> implied = new ArrayList<>();
        /** Capability ids in the order of creation, so the key set lists the names by id. */
        final Map<String, Integer> capabilityIds = new LinkedHashMap<>();
        final Map<Integer, List<Integer>> capabilityHolders = new HashMap<>();

        int capability(String name) {
            return capabilityIds.computeIfAbsent(name, n -> {
                capabilityHolders.put(capabilityIds.size(), new ArrayList<>());
                return capabilityIds.size();
            });
        }

        /** The term for a word or phrase, created as needed; -1 if the text has only stop words. */
        int term(String text) {
            List<String> words = Words.words(text);
            if (words.isEmpty()) {
                return -1;
            }
            int term = termOfStem.computeIfAbsent(Words.stem(words.get(0)), stem -> newTerm());
            for (String word : words.subList(1, words.size())) {
                Map<String, Integer> next = children.get(term);
                Integer child = next.get(Words.stem(word));
                if (child == null) {
                    child = newTerm();
                    next.put(Words.stem(word), child);
                }
                term = child;
            }
            if (!complete.get(term)) {
                complete.set(term, true);
                texts.set(term, String.join(" ", words));
            }
            return term;
        }

        private int newTerm() {
            children.add(new HashMap<>());
            complete.add(false);
            texts.add("");
            postings.add(new TreeMap<>());
            implied.add(new ArrayList<>());
            return texts.size() - 1;
        }

        void impliesCapability(int term, int capability) {
            if (term >= 0) {
                implied.get(term).add(capability);
            }
        }

        void addEntry(int entry, CatalogEntry catalogEntry) {
            for (String word : Words.words(catalogEntry.id() + " " + catalogEntry.name())) {
                post(term(word), entry, NAME_WEIGHT);
            }
            catalogEntry.keywords().forEach(keyword -> post(term(keyword), entry, KEYWORD_WEIGHT));
            post(term(catalogEntry.category()), entry, CATEGORY_WEIGHT);
            for (String name : catalogEntry.capabilities()) {
                capabilityHolders.get(capability(name)).add(entry);
            }
        }

        private void post(int term, int entry, float weight) {
            if (term >= 0) {
                postings.get(term).merge(entry, weight, Math::max);
            }
        }
    }
}
