package io.mcpagent.analyzer.heuristic.internal;

/**
 * Character classes of the scan, from a table for ASCII (nearly every character of a task) and from
 * {@link Character} for the rest; the table is a constant, filled once.
 */
final class Chars {
    static final int WORD = 1;
    static final int SPACE = 1 << 1;
    static final int OPENING = 1 << 2;
    static final int CLOSING = 1 << 3;
    static final int NUMBER_GLUE = 1 << 4;
    static final int SHAPE_MARK = 1 << 5;
    private static final byte[] ASCII = new byte[128];
    /** ASCII lower-cased by a lookup: no branch that capitals mispredict in the scan's tightest loop. */
    private static final char[] LOWER_ASCII = new char[128];
    /** ASCII word characters lower-cased, 0 for the rest: the scan's word loop tests and lower-cases by one lookup. */
    private static final char[] WORD_LOWER_ASCII = new char[128];

    static {
        for (char c = 0; c < 128; c++) {
            int kind = 0;
            kind |= Character.isLetterOrDigit(c) || c == '_' ? WORD : 0;
            kind |= Character.isWhitespace(c) ? SPACE : 0;
            kind |= "(\"'<[`*".indexOf(c) >= 0 ? OPENING : 0;
            kind |= ".,;:!?)\"'>]`*".indexOf(c) >= 0 ? CLOSING : 0;
            kind |= ".,:$-/+%".indexOf(c) >= 0 ? NUMBER_GLUE : 0;
            kind |= "./@#:~(".indexOf(c) >= 0 ? SHAPE_MARK : 0; // only shapes and code have these inside a chunk
            ASCII[c] = (byte) kind;
            LOWER_ASCII[c] = Character.toLowerCase(c);
            WORD_LOWER_ASCII[c] = (kind & WORD) != 0 ? LOWER_ASCII[c] : 0;
        }
    }

    private Chars() {
    }

    /** The classes of {@code c} as bits of the constants above; one table lookup for ASCII. */
    static int kind(char c) {
        if (c < 128) {
            return ASCII[c];
        }
        return (Character.isLetterOrDigit(c) ? WORD : 0) | (Character.isWhitespace(c) ? SPACE : 0)
                | (c == '\u20ac' || c == '\u00a3' ? NUMBER_GLUE : 0);
    }

    static boolean isSpace(char c) {
        return c < 128 ? (ASCII[c] & SPACE) != 0 : Character.isWhitespace(c);
    }

    static char lower(char c) {
        return c < 128 ? LOWER_ASCII[c] : Character.toLowerCase(c);
    }

    /** {@code c} lower-cased when it is a word character, else 0. */
    static char wordLower(char c) {
        if (c < 128) {
            return WORD_LOWER_ASCII[c];
        }
        return (kind(c) & WORD) != 0 ? Character.toLowerCase(c) : 0;
    }

    /** Punctuation that ends a sentence. */
    static boolean endsSentence(char c) {
        return c == '.' || c == '?' || c == '!';
    }

    /** Punctuation that may open a chunk around a shape: "(see https://...)". */
    static boolean isOpening(char c) {
        return c < 128 && (ASCII[c] & OPENING) != 0;
    }

    /** Punctuation that may close a chunk after a shape: "summary.md," */
    static boolean isClosing(char c) {
        return c < 128 && (ASCII[c] & CLOSING) != 0;
    }

    /** Makes digits next to it part of an amount, a date or a version ("$1.10", "2/14", "30%"), not a count. */
    static boolean isNumberGlue(char c) {
        return (kind(c) & NUMBER_GLUE) != 0;
    }
}
