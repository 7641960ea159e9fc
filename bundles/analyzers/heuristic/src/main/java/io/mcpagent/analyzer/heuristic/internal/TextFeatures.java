package io.mcpagent.analyzer.heuristic.internal;

/**
 * The words and word pairs of a task as the capability model sees them: a token is a run of word characters or one
 * other character that is not a space, lower-cased; a feature is a token or two adjacent tokens. Each is known by a
 * 64-bit hash computed from its characters as they stream by, so scoring a task builds no string. The model's file
 * names features by their text ("web", "look up"); {@link #hash(String)} turns such a name into the same hash.
 */
final class TextFeatures {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long PAIR_MULTIPLIER = 0x9e3779b97f4a7c15L;

    /** Receives the tokens of a text in order: the token's hash and its span in the text. */
    interface TokenVisitor {
        void token(long hash, int from, int to);
    }

    private TextFeatures() {
    }

    /** Visits the tokens of {@code text[0, end)}. */
    static void tokens(CharSequence text, int end, TokenVisitor visitor) {
        int start = -1;
        long hash = FNV_OFFSET;
        for (int i = 0; i < end; i++) {
            char c = Chars.lower(text.charAt(i));
            if ((Chars.kind(c) & Chars.WORD) != 0) {
                if (start < 0) {
                    start = i;
                    hash = FNV_OFFSET;
                }
                hash = (hash ^ c) * FNV_PRIME;
                continue;
            }
            if (start >= 0) {
                visitor.token(finish(hash), start, i);
                start = -1;
            }
            if (!Chars.isSpace(c)) {
                visitor.token(finish((FNV_OFFSET ^ c) * FNV_PRIME), i, i + 1);
            }
        }
        if (start >= 0) {
            visitor.token(finish(hash), start, end);
        }
    }

    /** Where the token that {@link #tokens} found at {@code from} ends, no further than {@code limit}. */
    static int tokenEnd(CharSequence text, int from, int limit) {
        int end = from + 1;
        if ((Chars.kind(text.charAt(from)) & Chars.WORD) != 0) {
            while (end < limit && (Chars.kind(text.charAt(end)) & Chars.WORD) != 0) {
                end++;
            }
        }
        return end;
    }

    /** The feature of two adjacent tokens. */
    static long pair(long first, long second) {
        return finish(first * PAIR_MULTIPLIER + second);
    }

    /**
     * The hash of a feature named in the model's file: a token ("web"), two tokens joined by one space ("look up"),
     * or a fact of the rule-based analysis ("rule:web_search"), hashed as one token would be.
     */
    static long hash(String name) {
        int space = name.indexOf(' ');
        if (space > 0) {
            return pair(hashOf(name, 0, space), hashOf(name, space + 1, name.length()));
        }
        return hashOf(name, 0, name.length());
    }

    private static long hashOf(String name, int from, int to) {
        long hash = FNV_OFFSET;
        for (int i = from; i < to; i++) {
            hash = (hash ^ name.charAt(i)) * FNV_PRIME;
        }
        return finish(hash);
    }

    /** Spreads the bits (the finaliser of MurmurHash3), so that the table of features can use the low ones. */
    private static long finish(long hash) {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb53fe63a4e53L;
        h ^= h >>> 33;
        return h;
    }
}
