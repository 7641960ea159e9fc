package io.mcpagent.console.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.mcpagent.api.runtime.GuardedConfiguration;

/**
 * The console's configuration ({@link ConsoleConfig}, PID {@value ConsoleConfig#PID}) once checked: every property
 * must be at least 1. Both components of the PID read it through {@link #guarded}, so they accept and refuse the same
 * configurations.
 */
record ConsoleSettings(Duration sessionIdle, Duration sessionMaxAge, int maxSessions, long maxUploadBytes) {
    private static final long MEBIBYTE = 1024L * 1024L;

    /** @throws IllegalArgumentException naming each property that is out of range, with its value */
    static ConsoleSettings from(ConsoleConfig config) {
        List<String> wrong = new ArrayList<>();
        requireAtLeastOne(wrong, "sessionIdleMinutes", config.sessionIdleMinutes());
        requireAtLeastOne(wrong, "sessionMaxHours", config.sessionMaxHours());
        requireAtLeastOne(wrong, "maxSessions", config.maxSessions());
        requireAtLeastOne(wrong, "maxUploadMegabytes", config.maxUploadMegabytes());
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", wrong));
        }
        return new ConsoleSettings(Duration.ofMinutes(config.sessionIdleMinutes()),
                Duration.ofHours(config.sessionMaxHours()), config.maxSessions(),
                config.maxUploadMegabytes() * MEBIBYTE);
    }

    /** The console's configuration as a component reads it: a refused one leaves the settings in force. */
    static GuardedConfiguration<ConsoleConfig, ConsoleSettings> guarded(Consumer<String> refused,
                                                                       Consumer<String> repaired) {
        return new GuardedConfiguration<>(ConsoleConfig.PID, ConsoleConfig.class, ConsoleSettings::from, refused,
                repaired);
    }

    private static void requireAtLeastOne(List<String> wrong, String property, int value) {
        if (value < 1) {
            wrong.add(property + " must be at least 1, was " + value);
        }
    }
}
