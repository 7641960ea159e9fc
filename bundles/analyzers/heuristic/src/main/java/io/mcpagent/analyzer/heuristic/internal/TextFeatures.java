package io.mcpagent.analyzer.heuristic.internal;

import java.util.Arrays;

/**
 * The words and word pairs of a task as the capability model sees them: a token is a run of word characters or one
 * other character that is not a space, lower-cased; a feature is a token or two adjacent tokens. Each is known by a
 * 64-bit hash computed from its characters as they stream by, so scoring a task builds no string. The model's file
 * names features by their text ("web", "look up"); {@link #hash(String)} turns such a name into the same hash.
 */
final class TextFeatures {
    /** The hash of a word token before its first character; {@link Scan} hashes the words it reads from here. */
    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long PAIR_MULTIPLIER = 0x9e3779b97f4a7c15L;

    /** Receives the tokens of a text in order: the token's hash and its span in the text. */
    interface TokenVisitor {
        void token(long hash, int from, int to);
    }

    private TextFeatures() {
    }

    /** Visits the tokens of {@code text[from, to)}; {@code from} must not be inside a run of word characters. */
    static void tokens(CharSequence text, int from, int to, TokenVisitor visitor) {
        int start = -1;
        long hash = FNV_OFFSET;
        for (int i = from; i < to; i++) {
            char c = Chars.lower(text.charAt(i));
            if ((Chars.kind(c) & Chars.WORD) != 0) {
                if (start < 0) {
                    start = i;
                    hash = FNV_OFFSET;
                }
                hash = extend(hash, c);
                continue;
            }
            if (start >= 0) {
                visitor.token(finish(hash), start, i);
                start = -1;
            }
            if (!Chars.isSpace(c)) {
                visitor.token(otherToken(c), i, i + 1);
            }
        }
        if (start >= 0) {
            visitor.token(finish(hash), start, to);
        }
    }

    /** A word token's hash so far extended by its next character, lower-cased; {@link #finish} completes it. */
    static long extend(long hash, char lower) {
        return (hash ^ lower) * FNV_PRIME;
    }

    /** The hash of the token of a character that is neither a word character nor a space, lower-cased. */
    static long otherToken(char lower) {
        return finish(extend(FNV_OFFSET, lower));
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
            hash = extend(hash, name.charAt(i));
        }
        return finish(hash);
    }

    /** Spreads the bits (the finaliser of MurmurHash3), so that the table of features can use the low ones. */
    static long finish(long hash) {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb53fe63a4e53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * The tokens of a text kept in order: {@link Scan} collects them as it reads the text, so that the capability
     * model does not read the characters a second time.
     */
    static final class Tokens implements TokenVisitor {
        /** Room for 32 tokens to begin with: a corpus task has 30 on average. */
        private long[] hashes = new long[32];
        /** Where each token starts and ends, two ints per token. */
        private int[] spans = new int[64];
        private int count;

        @Override
        public void token(long hash, int from, int to) {
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, 2 * count);
                spans = Arrays.copyOf(spans, 4 * count);
            }
            hashes[count] = hash;
            spans[2 * count] = from;
            spans[2 * count + 1] = to;
            count++;
        }

        /** Hands the tokens, in order, to {@code visitor}. */
        void visit(TokenVisitor visitor) {
            for (int t = 0; t < count; t++) {
                visitor.token(hashes[t], spans[2 * t], spans[2 * t + 1]);
            }
        }
    }
}
