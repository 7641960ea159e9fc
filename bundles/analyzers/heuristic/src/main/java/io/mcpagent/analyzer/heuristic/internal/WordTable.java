package io.mcpagent.analyzer.heuristic.internal;

import java.util.Map;

/**
 * An immutable open-addressing hash map from words to values, looked up by a range of a {@code char[]} so that
 * scanning a task allocates no strings. Keys are lower-case; at most half the slots are used.
 */
final class WordTable<V> {
    /**
     * Every key's characters, one after another: a probe compares a hit's key here instead of following a pointer to
     * a {@code char[]} of its own, which cost a cache miss per hit (17% of an analysis in a profile).
     */
    private final char[] arena;
    /** Per slot: where its key starts in {@link #arena}, and its length (0: an empty slot). */
    private final int[] offsets;
    private final int[] lengths;
    /** The keys' hashes: a probe compares them first, so most misses touch no key. */
    private final int[] hashes;
    private final Object[] values;
    private final int mask;

    WordTable(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2)) << 1;
        arena = new char[entries.keySet().stream().mapToInt(String::length).sum()];
        offsets = new int[capacity];
        lengths = new int[capacity];
        hashes = new int[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        int at = 0;
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            at = put(entry.getKey(), entry.getValue(), at);
        }
    }

    private int put(String key, V value, int at) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("an empty word");
        }
        int hash = SEED;
        for (int i = 0; i < key.length(); i++) {
            hash = mix(hash, key.charAt(i));
        }
        int slot = spread(hash) & mask;
        while (lengths[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        key.getChars(0, key.length(), arena, at);
        offsets[slot] = at;
        lengths[slot] = key.length();
        hashes[slot] = hash;
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
        int slot = spread(hash) & mask;
        for (int keyLength; (keyLength = lengths[slot]) != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && keyLength == length && matches(offsets[slot], chars, length)) {
                return (V) values[slot];
            }
        }
        return null;
    }

    private boolean matches(int offset, char[] chars, int length) {
        for (int i = 0; i < length; i++) {
            if (arena[offset + i] != chars[i]) {
                return false;
            }
        }
        return true;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
