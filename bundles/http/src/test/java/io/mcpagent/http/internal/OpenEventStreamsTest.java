package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class OpenEventStreamsTest {
    private final RequestLimits limits = new RequestLimits(limits(2, 3));
    private final OpenEventStreams open = new OpenEventStreams(limits::streamLimits);

    private static HttpConfig limits(int perCaller, int inAll) {
        return ServletCalls.config(Map.of("maxEventStreamsPerCaller", perCaller, "maxEventStreams", inAll));
    }

    @Test
    void theConfiguredLimitsApplyAndAChangeAppliesToTheNextStreamWhileTheOpenOnesStay() throws ApiError {
        open.admit("key:a");
        open.admit("key:a");
        ApiError perCaller = assertThrows(ApiError.class, () -> open.admit("key:a"));
        assertEquals(429, perCaller.status);
        assertEquals("the API key or token key:a has 2 event streams open, the most one caller may (2,"
                + " maxEventStreamsPerCaller in etc/io.mcpagent.http.cfg.json); close one (a stream also ends with its"
                + " execution) and try again", perCaller.getMessage());
        open.admit("key:b");
        ApiError inAll = assertThrows(ApiError.class, () -> open.admit("key:c"));
        assertEquals("the API has 3 event streams open, the most it serves at once (3, maxEventStreams in"
                + " etc/io.mcpagent.http.cfg.json); try again later, or GET the execution for its record",
                inAll.getMessage());

        limits.modified(limits(3, 4));
        open.admit("key:a");
        assertThrows(ApiError.class, () -> open.admit("key:c"), "4 in all now");

        limits.modified(limits(1, 1));
        open.release("key:a");
        assertThrows(ApiError.class, () -> open.admit("key:b"), "lowered: the open ones stay and count");
    }

    @Test
    void aLimitOutOfItsRangeIsRefusedAndTheOneInForceStays() {
        limits.modified(limits(0, 3));
        limits.modified(limits(2, 10_001));

        assertFalse(limits.problems().isEmpty(), "refused");
        assertEquals(new RequestLimits.StreamLimits(2, 3), limits.streamLimits());
    }
}
