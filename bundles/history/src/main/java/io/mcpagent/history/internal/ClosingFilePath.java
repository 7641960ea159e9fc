package io.mcpagent.history.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk as H2 sees it through the URL prefix {@value #SCHEME}, recording the files H2 opens on a thread that runs
 * {@link #closingWhatItOpens}, which closes them all when it is done. H2 does not close its file when an open fails
 * after it read the file (the database it found is empty and cannot be written read-only, or a page is corrupt): the
 * channel, and with it the file's lock within this JVM, stayed until garbage collection, so a start retried soon
 * after read {@code Database may be already in use}. H2 creates these paths itself, by reflection through the public
 * constructor, so the record is the thread's, not an instance's.
 * <p>
 * The scheme is registered in H2's global list only while a check runs: H2 is a bundle of its own, and a registration
 * left there kept this bundle's class loader alive after a refresh or an uninstall. Checks may overlap (two
 * components, an activation and a move), so the last one to end unregisters it.
 */
public final class ClosingFilePath extends FilePathWrapper {
    static final String SCHEME = "mcpagent-history-check";
    private static final ThreadLocal<List<FileChannel>> OPENED = new ThreadLocal<>();
    private static final Logger LOG = LoggerFactory.getLogger(ClosingFilePath.class);
    private static final Object REGISTRATION = new Object();
    /** Checks running now; guarded by {@link #REGISTRATION}. */
    private static int checksRunning;

    /** A check against the database. */
    @FunctionalInterface
    interface Check {
        void run() throws SQLException;
    }

    /**
     * Runs {@code check}, whose URL names its file with the prefix {@value #SCHEME}, then closes every file it opened
     * through that prefix on this thread, whether it succeeded or failed.
     */
    static void closingWhatItOpens(Check check) throws SQLException {
        synchronized (REGISTRATION) {
            if (checksRunning++ == 0) {
                FilePath.register(new ClosingFilePath());
            }
        }
        List<FileChannel> opened = new ArrayList<>();
        OPENED.set(opened);
        try {
            check.run();
        } finally {
            OPENED.remove();
            for (FileChannel channel : opened) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing {} after checking it failed", channel, e);
                }
            }
            synchronized (REGISTRATION) {
                if (--checksRunning == 0) {
                    FilePath.unregister(new ClosingFilePath()); // H2 removes the scheme's entry
                }
            }
        }
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel channel = super.open(mode);
        List<FileChannel> opened = OPENED.get();
        if (opened != null) {
            opened.add(channel);
        }
        return channel;
    }
}
