package io.mcpagent.history.internal;

import java.time.Duration;

/**
 * The settings of the history that are not about its database, checked: how long executions and audit entries are
 * kept, how many steps may wait to be written, how often the retention purge runs. Unlike the database settings, a
 * wrong value here never stops the history (see {@link HistoryComponent}).
 */
record Upkeep(int retentionDays, int auditRetentionDays, int writeQueueCapacity, Duration purgeInterval) {

    /** @throws IllegalArgumentException naming the property whose value is out of its range, with the range */
    static Upkeep from(HistoryConfig config) {
        return new Upkeep(atLeast(0, config.retentionDays(), "retentionDays", " (0: keep forever)"),
                atLeast(0, config.auditRetentionDays(), "auditRetentionDays", " (0: keep forever)"),
                atLeast(1, config.writeQueueCapacity(), "writeQueueCapacity", ""),
                Duration.ofMinutes(atLeast(1, config.purgeIntervalMinutes(), "purgeIntervalMinutes", "")));
    }

    /** These settings with nothing ever purged. */
    Upkeep keepingEverything() {
        return new Upkeep(0, 0, writeQueueCapacity, purgeInterval);
    }

    private static int atLeast(int minimum, int value, String property, String meaningOfMinimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(property + " must be at least " + minimum + meaningOfMinimum + ", was "
                    + value);
        }
        return value;
    }
}
