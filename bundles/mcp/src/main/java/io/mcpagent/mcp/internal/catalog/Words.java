package io.mcpagent.mcp.internal.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits plain text into lower-case words and reduces them to crude stems, the same way for tasks and for
 * catalog entries, so that "scraping", "scraped" and "scrape" meet. Not a linguistic stemmer: it only has to be
 * consistent with itself.
 */
final class Words {

    /** Words that say nothing about which server a task needs; "mcp" and "server" are in every entry's name. */
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "all", "an", "and", "any", "are", "as", "at", "be", "by", "can", "could", "do", "does",
            "for", "from", "get", "have", "how", "i", "in", "into", "is", "it", "its", "me", "mcp", "my", "new",
            "of", "on", "or", "our", "please", "server", "servers", "should", "some", "that", "the", "their",
            "them", "then", "there", "these", "this", "to", "us", "use", "using", "want", "we", "what",
            "when", "which", "will", "with", "would", "you", "your");

    private Words() {
    }

    /** The words of a text in order, lower case, without stop words; letters and digits form words. */
    static List<String> words(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean wordChar = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                String word = lower.substring(start, i);
                if (!STOP_WORDS.contains(word)) {
                    words.add(word);
                }
                start = -1;
            }
        }
        return words;
    }

    /** Strips plural and verb endings and a final "e": queries -> query, scraping -> scrap, tables -> tabl. */
    static String stem(String word) {
        if (word.length() <= 3) {
            return word;
        }
        String stem = word;
        if (stem.endsWith("ies") && stem.length() > 4) {
            stem = stem.substring(0, stem.length() - 3) + "y";
        } else if (stem.endsWith("sses")) {
            stem = stem.substring(0, stem.length() - 2);
        } else if (stem.endsWith("s") && !stem.endsWith("ss") && !stem.endsWith("us") && !stem.endsWith("is")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        if (stem.endsWith("ing") && stem.length() > 5) {
            stem = withoutDoubledEnd(stem.substring(0, stem.length() - 3));
        } else if (stem.endsWith("ed") && stem.length() > 4) {
            stem = withoutDoubledEnd(stem.substring(0, stem.length() - 2));
        }
        if (stem.endsWith("e") && stem.length() > 3) {
            stem = stem.substring(0, stem.length() - 1);
        }
        return stem;
    }

    /** running -> runn -> run, committed -> committ -> commit; but called -> call, passed -> pass. */
    private static String withoutDoubledEnd(String stem) {
        int length = stem.length();
        if (length >= 3 && stem.charAt(length - 1) == stem.charAt(length - 2) && "lsz".indexOf(stem.charAt(length - 1)) < 0) {
            return stem.substring(0, length - 1);
        }
        return stem;
    }
}
