package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class OpenEventStreamsTest {
    /** A stream whose client is there: a probe's write succeeds and it goes on. */
    private static final Runnable THERE = () -> { };

    private final RequestLimits limits = new RequestLimits(limits(2, 3));
    private final OpenEventStreams open = new OpenEventStreams(limits::streamLimits);

    private static HttpConfig limits(int perCaller, int inAll) {
        return ServletCalls.config(Map.of("maxEventStreamsPerCaller", perCaller, "maxEventStreams", inAll));
    }

    @Test
    void theConfiguredLimitsApplyAndAChangeAppliesToTheNextStreamWhileTheOpenOnesStay() throws Exception {
        open.admit("key:a", THERE);
        open.admit("key:a", THERE);
        ApiError perCaller = assertThrows(ApiError.class, () -> open.admit("key:a", THERE));
        assertEquals(429, perCaller.status);
        assertEquals("the API key or token key:a has 2 event streams open, the most one caller may (2,"
                + " maxEventStreamsPerCaller in etc/io.mcpagent.http.cfg.json); close one (a stream also ends with its"
                + " execution) and try again", perCaller.getMessage());
        open.admit("key:b", THERE);
        ApiError inAll = assertThrows(ApiError.class, () -> open.admit("key:c", THERE));
        assertEquals("the API has 3 event streams open, the most it serves at once (3, maxEventStreams in"
                + " etc/io.mcpagent.http.cfg.json); try again later, or GET the execution for its record",
                inAll.getMessage());

        limits.modified(limits(3, 4));
        OpenEventStreams.Place third = open.admit("key:a", THERE);
        assertThrows(ApiError.class, () -> open.admit("key:c", THERE), "4 in all now");

        limits.modified(limits(1, 1));
        third.close();
        assertThrows(ApiError.class, () -> open.admit("key:b", THERE), "lowered: the open ones stay and count");
    }

    /**
     * A client that left is noticed at the second write after it left: a stream that finds no place has those in its
     * way write twice at once, and takes the place of one that ends, where it was refused until their next keep-alives.
     */
    @Test
    void aStreamThatFindsNoPlaceProbesTheStreamsInItsWayAndTakesThePlaceOfOneWhoseClientLeft() throws Exception {
        AtomicInteger otherCallersProbes = new AtomicInteger();
        open.admit("key:b", otherCallersProbes::incrementAndGet);
        AtomicInteger thereProbes = new AtomicInteger();
        open.admit("key:a", thereProbes::incrementAndGet);
        AtomicInteger goneProbes = new AtomicInteger();
        AtomicReference<OpenEventStreams.Place> gone = new AtomicReference<>();
        gone.set(open.admit("key:a", () -> {
            if (goneProbes.incrementAndGet() == 2) {
                gone.get().close(); // its second write failed
            }
        }));

        open.admit("key:a", THERE);

        assertEquals(2, goneProbes.get());
        assertEquals(2, thereProbes.get());
        assertEquals(0, otherCallersProbes.get(), "only the caller's own streams were in its way");
        assertThrows(ApiError.class, () -> open.admit("key:c", THERE), "3 in all: every stream is probed, none ends");
        assertEquals(2, otherCallersProbes.get());
    }

    @Test
    void aLimitOutOfItsRangeIsRefusedAndTheOneInForceStays() {
        limits.modified(limits(0, 3));
        limits.modified(limits(2, 10_001));

        assertFalse(limits.problems().isEmpty(), "refused");
        assertEquals(new RequestLimits.StreamLimits(2, 3), limits.streamLimits());
    }
}
