package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;

import org.h2.mvstore.DataUtils;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.Problem;

class SkippedEventsTest {

    /**
     * A file H2 cannot write (a full disk, an immutable or read-only file) was reported as damage in its data pages,
     * whose advice is to move the file aside, and said nothing of what is lost: H2 writes nothing more once a write
     * failed, and the executions recorded after it were gone at the next start.
     */
    @Test
    void aFileThatCannotBeWrittenIsReportedSoAndNotAsDamage() {
        SQLException failure = new SQLException("General error: \"org.h2.mvstore.MVStoreException: Writing to"
                + " /data/history/executions.mv.db failed; length 4096 at 12288 [2.4.240/2]\"", "HY000", 50000,
                DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED,
                        "Writing to {0} failed; length {1} at {2}", "/data/history/executions.mv.db", 4096, 12288));
        assertTrue(JdbcSink.writingFailed(failure));
        assertFalse(JdbcSink.writingFailed(new SQLException("General error: \"org.h2.mvstore.MVStoreException: File"
                + " corrupted in chunk 12\"", "HY000", 50000)));

        SkippedEvents skipped = new SkippedEvents("jdbc:h2:file:executions", Clock.fixed(at(5), ZoneOffset.UTC));
        skipped.skipped(Events.started("exec-1", at(1), "acme", "task", "direct"), failure.getMessage(), null, true);
        Problem problem = skipped.problems().get(0);
        assertEquals("the history database jdbc:h2:file:executions cannot record every event: 1 skipped since "
                + at(5) + ", the first execution.started of execution exec-1: " + failure.getMessage() + ". The"
                + " database cannot write its file (a full disk, a read-only file system, its permissions or"
                + " attributes?): what it records after this may be lost at the next start, as H2 writes nothing more"
                + " once a write failed. Make the file writable, then restart the bundle io.mcpagent.history",
                problem.message());
    }
}
