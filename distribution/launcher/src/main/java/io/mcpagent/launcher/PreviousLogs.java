package io.mcpagent.launcher;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.logging.LogManager;

/**
 * Each start begins a new runtime log, and must not lose the one file that tells why the last run crashed. So before
 * the framework starts, the log is moved aside: {@code mcp-agent.log} becomes {@code mcp-agent.log.1}, {@code .1}
 * becomes {@code .2}, and so on; the oldest beyond {@link #KEPT} is deleted, so the disk used stays bounded. Within a
 * run, logback moves the log aside the same way when it reaches its size limit ({@code etc/logback.xml}). The
 * framework's own log ({@code java.util.logging}, {@code framework.log}) is kept the same way at start.
 */
final class PreviousLogs {
    /** How many earlier logs (of previous runs, or of this run before its size limit) are kept beside the current. */
    static final int KEPT = 5;
    /** The value of {@code MCPAGENT_LOG} that names the standard error stream, not a file. */
    static final String STDERR = "stderr";

    private PreviousLogs() {
    }

    /** Whether {@code log} (the value of {@code MCPAGENT_LOG}) names a file, not the standard error stream. */
    static boolean namesFile(String log) {
        return log != null && !log.isBlank() && !log.equals(STDERR);
    }

    /**
     * Moves {@code log} to {@code log.1} after moving the older ones up by one; nothing when {@code log} names a
     * stream or no file yet.
     */
    static void keep(String log) throws IOException {
        if (!namesFile(log)) {
            return;
        }
        Path current = Path.of(log);
        if (!Files.isRegularFile(current)) {
            return;
        }
        Files.deleteIfExists(numbered(current, KEPT));
        for (int n = KEPT - 1; n >= 1; n--) {
            Path older = numbered(current, n);
            if (Files.exists(older)) {
                Files.move(older, numbered(current, n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(current, numbered(current, 1), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * {@link #keep}, where a log that cannot be moved aside (a read-only folder, a directory in the way) is no reason
     * to refuse the start: what went wrong, for the console, or empty when the log was kept.
     */
    static Optional<String> keepOrSayWhyNot(String log) {
        try {
            keep(log);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("MCP-Agent: could not keep the previous log as " + log + ".1 (" + e
                    + "); this start writes over it");
        }
    }

    /**
     * Why the log file {@code log} cannot be written (its folder is missing or read-only, ...), or empty when it can
     * or names a stream. Opening it creates it empty, as the logger would.
     */
    static Optional<String> whyNotWritable(String log) {
        if (!namesFile(log)) {
            return Optional.empty();
        }
        try (OutputStream opened = Files.newOutputStream(Path.of(log), CREATE, APPEND)) {
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.of("no folder " + Path.of(log).toAbsolutePath().getParent());
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.toString());
        }
    }

    /**
     * The file {@code java.util.logging}'s file handler writes, as its configuration names it; empty when it names
     * none or a pattern of several files ({@code %g}, {@code %u}: not one file to keep). Reading the configuration
     * opens no handler, so nothing is written before the file is moved aside.
     */
    static Optional<String> frameworkLog(LogManager logging) {
        return singleFile(logging.getProperty("java.util.logging.FileHandler.pattern"));
    }

    static Optional<String> singleFile(String pattern) {
        return pattern == null || pattern.isBlank() || pattern.contains("%") ? Optional.empty() : Optional.of(pattern);
    }

    /** {@code mcp-agent.log.n}, beside the log. */
    static Path numbered(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }
}
