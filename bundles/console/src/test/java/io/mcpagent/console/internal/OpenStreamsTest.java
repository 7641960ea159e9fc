package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class OpenStreamsTest {
    private final ConsoleConfiguration configuration = new ConsoleConfiguration(limits(2, 3));
    private final OpenStreams open = new OpenStreams(configuration::settings);

    private static ConsoleConfig limits(int perUser, int inAll) {
        return Configs.console(Map.of("maxLiveStreamsPerUser", perUser, "maxLiveStreams", inAll));
    }

    @Test
    void theConfiguredLimitsApplyAndAChangeAppliesToTheNextStreamWhileTheOpenOnesStay() {
        assertEquals(Optional.empty(), open.open("key:a"));
        assertEquals(Optional.empty(), open.open("key:a"));
        assertEquals(Optional.of("The console user key:a has 2 live progress streams open, the most one user may (2,"
                + " maxLiveStreamsPerUser in etc/io.mcpagent.console.cfg.json); close one (a stream also ends with its"
                + " execution) and try again."), open.open("key:a"));
        assertEquals(Optional.empty(), open.open("key:b"));
        assertEquals(Optional.of("The console has 3 live progress streams open, the most it serves at once (3,"
                + " maxLiveStreams in etc/io.mcpagent.console.cfg.json); try again later (the execution's page shows"
                + " its record meanwhile)."), open.open("key:c"));

        configuration.modified(limits(3, 4));
        assertEquals(Optional.empty(), open.open("key:a"));
        assertTrue(open.open("key:c").isPresent(), "4 in all now");

        configuration.modified(limits(1, 1));
        open.close("key:a");
        assertTrue(open.open("key:b").isPresent(), "lowered: the open ones stay and count");
    }
}
