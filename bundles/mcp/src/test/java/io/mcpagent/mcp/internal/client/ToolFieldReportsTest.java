package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The tool fields of a wrong type a server may make logged: each once, and past the cap at most one a minute. */
class ToolFieldReportsTest {
    private static final long MINUTE = ToolFieldReports.UNREMEMBERED_INTERVAL.toNanos();

    private final AtomicLong now = new AtomicLong(-5); // nanoTime may be negative
    private final ToolFieldReports reports = new ToolFieldReports(now::get);

    @Test
    void eachToolFieldIsLoggedOnce() {
        assertEquals(OptionalLong.of(0), reports.report("echo", "title"));
        assertEquals(OptionalLong.of(0), reports.report("echo", "annotations.readOnlyHint"));
        assertEquals(OptionalLong.of(0), reports.report("other", "title"));
        assertEquals(OptionalLong.empty(), reports.report("echo", "title"));
    }

    /** A server renaming its tools on every listing: past the cap none is remembered, one a minute is logged. */
    @Test
    void pastTheCapFurtherFieldsAreNotRememberedAndOneIsLoggedAMinuteWithTheCountLeftOut() {
        for (int i = 0; i < ToolFieldReports.MAX_REMEMBERED; i++) {
            assertEquals(OptionalLong.of(0), reports.report("t" + i, "title"));
        }
        assertEquals(OptionalLong.of(0), reports.report("renamed1", "title"));
        assertEquals(OptionalLong.empty(), reports.report("renamed2", "title"));
        assertEquals(OptionalLong.empty(), reports.report("renamed1", "title"));
        now.addAndGet(MINUTE - 1);
        assertEquals(OptionalLong.empty(), reports.report("renamed3", "title"));
        now.incrementAndGet();
        assertEquals(OptionalLong.of(3), reports.report("renamed1", "title"), "not remembered: logged again");
        assertEquals(OptionalLong.empty(), reports.report("t0", "title"), "one within the cap stays remembered");
        now.addAndGet(10 * MINUTE);
        assertEquals(OptionalLong.of(0), reports.report("renamed4", "title"));
    }

    /** Tool names as long as a server likes are remembered by their start, so that the cap bounds the memory. */
    @Test
    void aLongToolNameIsRememberedByItsStart() {
        String start = "x".repeat(ToolFieldReports.MAX_REMEMBERED_NAME);
        assertEquals(OptionalLong.of(0), reports.report(start + "a".repeat(100_000), "title"));
        assertEquals(OptionalLong.empty(), reports.report(start + "b", "title"));
    }
}
