package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleSettingsTest {

    @Test
    void theDefaultsReadInTheirUnits() {
        assertEquals(new ConsoleSettings(Duration.ofMinutes(30), Duration.ofHours(8), 1000, 50L * 1024 * 1024, 10, 100),
                ConsoleSettings.from(Configs.console(Map.of())));
    }

    @Test
    void everyPropertyOutOfItsRangeIsNamedWithItsRangeAndValue() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ConsoleSettings.from(Configs.console(Map.of("sessionIdleMinutes", 0, "sessionMaxHours", -1,
                        "maxSessions", 0, "maxUploadMegabytes", -5, "maxLiveStreamsPerUser", 0, "maxLiveStreams",
                        10_001))));

        assertEquals("sessionIdleMinutes must be at least 1, was 0; sessionMaxHours must be at least 1, was -1;"
                + " maxSessions must be at least 1, was 0; maxUploadMegabytes must be at least 1, was -5;"
                + " maxLiveStreamsPerUser must be within [1, 1000], was 0; maxLiveStreams must be within [1, 10000],"
                + " was 10001",
                refused.getMessage());
    }

    @Test
    void oneIsEnoughEverywhere() {
        assertEquals(new ConsoleSettings(Duration.ofMinutes(1), Duration.ofHours(1), 1, 1024 * 1024, 1, 1),
                ConsoleSettings.from(Configs.console(Map.of("sessionIdleMinutes", 1, "sessionMaxHours", 1,
                        "maxSessions", 1, "maxUploadMegabytes", 1, "maxLiveStreamsPerUser", 1, "maxLiveStreams", 1))));
    }
}
