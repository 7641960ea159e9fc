package io.mcpagent.history.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.Problem;

/**
 * The files of embedded H2 databases the history has run on, kept in the bundle's data area: H2 creates a missing file
 * without a word, so a file deleted or moved (a clean-up of data/, a wrong working directory) gave an empty history at
 * the next start, all executions recorded before gone and nothing said. Such a file is named as missing, at the start
 * and while the history runs on it.
 */
final class KnownFiles {
    static final String FILE = "h2-files.properties";
    private static final Logger LOG = LoggerFactory.getLogger(KnownFiles.class);

    /** Where the list is kept; null outside a framework, where nothing is known or kept. */
    private final File store;

    KnownFiles(BundleContext context) {
        this.store = context == null ? null : context.getDataFile(FILE);
    }

    /**
     * The problem of {@code file}, an H2 database's data file about to be opened, when it is missing though the
     * history ran on it before: H2 is about to create it empty.
     */
    Optional<Problem> missingAtStart(Path file, Instant now) {
        if (Files.exists(file) || !known().containsKey(file.toString())) {
            return Optional.empty();
        }
        String message = "the history database file " + file + " is missing: the history ran on it before, and it"
                + " was deleted or moved since. A new, empty history is started in its place, without the executions"
                + " recorded before; to get them back, stop the runtime, put the file back (from a backup) and start"
                + " it";
        LOG.warn(message);
        return Optional.of(new Problem(SkippedEvents.SOURCE, file.toString(), message, now));
    }

    /** The problem of {@code file}, which the history runs on, when it was deleted meanwhile. */
    static Optional<Problem> deletedWhileRunning(Path file, Instant now) {
        if (Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(new Problem(SkippedEvents.SOURCE, file.toString(), "the history database file " + file
                + " was deleted while the history runs on it: H2 still writes to the deleted file, and what it records"
                + " is lost when the runtime stops. Copy the history elsewhere first (GET /api/v1/executions), or put"
                + " the file back from a backup before a restart", now));
    }

    /** Remembers that the history runs on {@code file}. */
    void remember(Path file) {
        if (store == null) {
            return;
        }
        Properties known = known();
        if (known.setProperty(file.toString(), "h2") != null) {
            return;
        }
        try (OutputStream out = Files.newOutputStream(store.toPath())) {
            known.store(out, "data files of embedded H2 databases the history ran on");
        } catch (IOException e) {
            LOG.warn("{}: cannot be written ({}); a deleted history file is not named at the next start", store, e);
        }
    }

    private Properties known() {
        Properties known = new Properties();
        if (store != null && store.isFile()) {
            try (InputStream in = Files.newInputStream(store.toPath())) {
                known.load(in);
            } catch (IOException e) {
                LOG.warn("{}: cannot be read ({}); a deleted history file is not named", store, e);
            }
        }
        return known;
    }
}
