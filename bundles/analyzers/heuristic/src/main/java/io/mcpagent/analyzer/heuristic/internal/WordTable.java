package io.mcpagent.analyzer.heuristic.internal;

import java.util.Map;

/**
 * An immutable open-addressing hash map from words to values, looked up by a range of a {@code char[]} so that
 * scanning a task allocates no strings. Keys are lower-case; at most half the slots are used.
 */
final class WordTable<V> {
    /** The layout of a slot: see {@link #slots}. */
    private static final int LENGTH_BITS = 8;
    private static final int MAX_LENGTH = (1 << LENGTH_BITS) - 1;
    private static final int MAX_OFFSET = (1 << 24) - 1;
    private static final long HASH_AND_LENGTH = 0xFFFF_FFFF_0000_0000L | MAX_LENGTH;

    /**
     * Every key's characters, one after another: a probe compares a hit's key here instead of following a pointer to
     * a {@code char[]} of its own, which cost a cache miss per hit (17% of an analysis in a profile). Keys are
     * Latin-1, one byte a character: half the cache lines of a {@code char[]}.
     */
    private final byte[] arena;
    /**
     * Per slot, packed into one {@code long} so that a probe reads one cache line, not one per field: the key's hash
     * (high 32 bits), where the key starts in {@link #arena} (24 bits) and its length (low 8 bits); 0 is an empty
     * slot (no key is empty). A probe compares hash and length at once and most misses touch no key.
     */
    private final long[] slots;
    private final Object[] values;
    private final int mask;

    WordTable(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2)) << 1;
        arena = new byte[entries.keySet().stream().mapToInt(String::length).sum()];
        if (arena.length > MAX_OFFSET) {
            throw new IllegalArgumentException("keys too long in total: " + arena.length + " characters");
        }
        slots = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        int at = 0;
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            at = put(entry.getKey(), entry.getValue(), at);
        }
    }

    private int put(String key, V value, int at) {
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a word of " + key.length() + " characters: '" + key + "'");
        }
        int hash = SEED;
        for (int i = 0; i < key.length(); i++) {
            hash = mix(hash, key.charAt(i));
        }
        int slot = spread(hash) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException("a word that is not Latin-1: '" + key + "'");
            }
            arena[at + i] = (byte) c;
        }
        slots[slot] = hashAndLength(hash, key.length()) | (long) at << LENGTH_BITS;
        values[slot] = value;
        return at + key.length();
    }

    /** Where a word's running hash starts; {@link #mix} adds one character. */
    static final int SEED = 0x811c9dc5;

    /** The running hash of a word with {@code c} appended (FNV-1a), so a scan can hash while it reads. */
    static int mix(int hash, char c) {
        return (hash ^ c) * 0x01000193;
    }

    /** The value of the word {@code chars[0, length)}, or null. */
    V get(char[] chars, int length) {
        int hash = SEED;
        for (int i = 0; i < length; i++) {
            hash = mix(hash, chars[i]);
        }
        return get(chars, length, hash);
    }

    /** The value of the word {@code chars[0, length)} whose running hash is {@code hash}, or null. */
    @SuppressWarnings("unchecked")
    V get(char[] chars, int length, int hash) {
        long wanted = hashAndLength(hash, length);
        int slot = spread(hash) & mask;
        for (long entry; (entry = slots[slot]) != 0; slot = (slot + 1) & mask) {
            if ((entry & HASH_AND_LENGTH) == wanted
                    && matches((int) (entry >>> LENGTH_BITS) & MAX_OFFSET, chars, length)) {
                return (V) values[slot];
            }
        }
        return null;
    }

    private boolean matches(int offset, char[] chars, int length) {
        for (int i = 0; i < length; i++) {
            if ((arena[offset + i] & 0xFF) != chars[i]) {
                return false;
            }
        }
        return true;
    }

    private static long hashAndLength(int hash, int length) {
        return (long) hash << 32 | length;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
