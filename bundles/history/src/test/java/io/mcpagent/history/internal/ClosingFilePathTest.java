package io.mcpagent.history.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.Test;

/**
 * The check's file system is in H2's global list only while a check runs: H2 is a bundle of its own, and an entry left
 * there kept the history bundle's class loader alive after a refresh or an uninstall.
 */
class ClosingFilePathTest {

    @Test
    void theSchemeIsGoneWhenTheCheckEndsWhetherItSucceededOrFailed() throws Exception {
        ClosingFilePath.closingWhatItOpens(() -> assertTrue(registered(), "the check reads through it"));
        assertFalse(registered());

        assertThrows(SQLException.class, () -> ClosingFilePath.closingWhatItOpens(() -> {
            throw new SQLException("the file is damaged");
        }));
        assertFalse(registered());
    }

    @Test
    void aCheckThatEndsWhileAnotherRunsLeavesTheSchemeToTheOther() throws Exception {
        CountDownLatch otherChecking = new CountDownLatch(1);
        CountDownLatch otherMayEnd = new CountDownLatch(1);
        CompletableFuture<Boolean> otherStillRegistered = CompletableFuture.supplyAsync(() -> {
            try {
                boolean[] seen = new boolean[1];
                ClosingFilePath.closingWhatItOpens(() -> {
                    otherChecking.countDown();
                    await(otherMayEnd);
                    seen[0] = registered();
                });
                return seen[0];
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await(otherChecking);

        ClosingFilePath.closingWhatItOpens(() -> assertTrue(registered()));
        otherMayEnd.countDown();

        assertTrue(otherStillRegistered.get(10, TimeUnit.SECONDS), "the other check still reads through it");
        assertFalse(registered(), "the last check to end unregistered it");
    }

    /** Whether H2 hands a path of the check's scheme to the check's file system (it falls back to the disk's). */
    private static boolean registered() {
        return FilePath.get(ClosingFilePath.SCHEME + ":/history/executions.mv.db") instanceof ClosingFilePath;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
