package io.mcpagent.analyzer.heuristic.internal;

import java.util.Map;

/**
 * An immutable open-addressing hash map from words to values, looked up by a range of a {@code char[]} so that
 * scanning a task allocates no strings. Keys are lower-case; at most half the slots are used.
 */
final class WordTable<V> {
    private final char[][] keys;
    /** The keys' hashes: a probe compares them first, so most misses touch no key. */
    private final int[] hashes;
    private final Object[] values;
    private final int mask;

    WordTable(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2)) << 1;
        keys = new char[capacity][];
        hashes = new int[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        entries.forEach(this::put);
    }

    private void put(String key, V value) {
        char[] chars = key.toCharArray();
        int hash = SEED;
        for (char c : chars) {
            hash = mix(hash, c);
        }
        int slot = spread(hash) & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = chars;
        hashes[slot] = hash;
        values[slot] = value;
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
        int slot = spread(hash) & mask;
        char[] key;
        while ((key = keys[slot]) != null) {
            if (hashes[slot] == hash && matches(key, chars, length)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private static boolean matches(char[] key, char[] chars, int length) {
        if (key.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (key[i] != chars[i]) {
                return false;
            }
        }
        return true;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
