package io.mcpagent.history.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.h2.mvstore.DataUtils;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    /**
     * A file H2 cannot write (a full disk, an immutable or read-only file) is an outage the writer waits out, while
     * damage in its data pages fails the statements that read them, and their events are skipped: waiting would never
     * end.
     */
    @Test
    void aFailedWriteIsToldFromDamage() {
        SQLException failure = new SQLException("General error: \"org.h2.mvstore.MVStoreException: Writing to"
                + " /data/history/executions.mv.db failed; length 4096 at 12288 [2.4.240/2]\"", "HY000", 50000,
                DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED,
                        "Writing to {0} failed; length {1} at {2}", "/data/history/executions.mv.db", 4096, 12288));
        assertTrue(Database.writingFailed(failure));
        assertFalse(Database.writingFailed(new SQLException("General error: \"org.h2.mvstore.MVStoreException: File"
                + " corrupted in chunk 12\"", "HY000", 50000)));
    }
}
