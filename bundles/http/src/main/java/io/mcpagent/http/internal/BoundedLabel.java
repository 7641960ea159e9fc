package io.mcpagent.http.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values one metric label may take. Values come from plugin ids, model and tool names that callers and
 * plugins choose, so each label keeps at most {@code limit} distinct values and folds the rest into
 * {@value #OTHER}: a hostile or buggy caller cannot grow the number of time series, and with it the memory
 * of the registry and the size of every scrape, without bound.
 */
final class BoundedLabel {
    static final String OTHER = "other";
    static final String UNKNOWN = "unknown";
    /** Longer values are cut: a label value is a name, not a message. */
    static final int MAX_LENGTH = 100;

    private final int limit;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundedLabel(int limit) {
        this.limit = limit;
    }

    /** The value to record: {@code value} itself while there is room, {@value #UNKNOWN} for none. */
    String bound(String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN;
        }
        String name = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
        if (seen.contains(name)) {
            return name;
        }
        synchronized (seen) { // only a new value pays for the lock; the size check and the add stay together
            if (seen.contains(name) || seen.size() < limit) {
                seen.add(name);
                return name;
            }
        }
        return OTHER;
    }
}
