package io.mcpagent.console.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's configuration ({@link ConsoleConfig}, PID {@value ConsoleConfig#PID}) once checked: every property
 * must be at least 1, the stream limits at most 1000 (per user) and 10000 (in all). {@link ConsoleConfiguration} keeps the settings in force.
 */
record ConsoleSettings(Duration sessionIdle, Duration sessionMaxAge, int maxSessions, long maxUploadBytes,
                       int maxLiveStreamsPerUser, int maxLiveStreams) {
    private static final long MEBIBYTE = 1024L * 1024L;

    /** @throws IllegalArgumentException naming each property that is out of range, with its value */
    static ConsoleSettings from(ConsoleConfig config) {
        List<String> wrong = new ArrayList<>();
        requireAtLeastOne(wrong, "sessionIdleMinutes", config.sessionIdleMinutes());
        requireAtLeastOne(wrong, "sessionMaxHours", config.sessionMaxHours());
        requireAtLeastOne(wrong, "maxSessions", config.maxSessions());
        requireAtLeastOne(wrong, "maxUploadMegabytes", config.maxUploadMegabytes());
        requireWithin(wrong, "maxLiveStreamsPerUser", config.maxLiveStreamsPerUser(), 1000);
        requireWithin(wrong, "maxLiveStreams", config.maxLiveStreams(), 10_000);
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", wrong));
        }
        return new ConsoleSettings(Duration.ofMinutes(config.sessionIdleMinutes()),
                Duration.ofHours(config.sessionMaxHours()), config.maxSessions(),
                config.maxUploadMegabytes() * MEBIBYTE, config.maxLiveStreamsPerUser(), config.maxLiveStreams());
    }

    private static void requireWithin(List<String> wrong, String property, int value, int maximum) {
        if (value < 1 || value > maximum) {
            wrong.add(property + " must be within [1, " + maximum + "], was " + value);
        }
    }

    private static void requireAtLeastOne(List<String> wrong, String property, int value) {
        if (value < 1) {
            wrong.add(property + " must be at least 1, was " + value);
        }
    }
}
