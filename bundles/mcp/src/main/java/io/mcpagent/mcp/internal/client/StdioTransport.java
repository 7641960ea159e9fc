package io.mcpagent.mcp.internal.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.mcp.internal.McpServerComponent;


/**
 * MCP over a child process: one compact JSON message per line on stdin/stdout, stderr drained into our log.
 * Writes are serialised by a lock and made on the sender's thread. A server that stops reading its stdin fills the
 * pipe, and a write to it blocks, whatever its timeout: a watcher of the connection kills such a server (and what it
 * started) once a write has outlived its message's timeout, which ends the write with a broken pipe and the connection
 * with it. A line on stdout that is no message is logged (the first few) and skipped. Closing runs the shutdown
 * ladder the spec asks for: close stdin, wait, SIGTERM, wait, SIGKILL (server-everything ignores EOF), for the
 * child and everything it started.
 */
public final class StdioTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);
    /** Non-JSON stdout lines logged one by one per connection; later ones are only counted. */
    private static final int LOGGED_NON_JSON_LINES = 5;
    private static final long NON_JSON_SUMMARY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Waits for the process to exit that are shorter than this go unsaid in the log. */
    private static final long UNSAID_WAIT_MILLIS = 500;
    /** The last stderr lines kept to say why a server ended: a server that cannot start says why there. */
    private static final int KEPT_STDERR_LINES = 5;
    /** A stack frame of Node or Java, stripped: the lines that say why come before them. */
    private static final Pattern STACK_FRAME = Pattern.compile(
            "at \\S.*(:\\d+\\)?( \\{)?|\\((Native Method|Unknown Source)\\))");
    private static final int KEPT_STDERR_CHARS = 200;
    /** Stderr is read in lines of at most this many bytes (the log shows 500 characters of each anyway). */
    private static final int MAX_STDERR_LINE_BYTES = 8192;
    /** How long an ended server's stderr is read on before its last lines are quoted. */
    private static final long STDERR_DRAIN_MILLIS = 200;
    /**
     * How often the stdin watcher looks for a write under way; once it sees one, it wakes at that write's deadline.
     * A write whose timeout is shorter may be cut this much after it.
     */
    private static final long WATCH_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** {@link #writeDeadline} when no write is under way, or the one under way has no timeout. */
    private static final long NO_DEADLINE = Long.MIN_VALUE;
    private static final String STDIN_NOT_READ = "the server did not read its stdin";

    /**
     * What to run, with exactly which environment (nothing of the runtime's is added), and how to stop it;
     * {@code harmlessNames} are variables of that environment whose values are no secrets (HOME, PATH, LANG: the
     * defaults every server inherits), so that the server's output quoting them stays readable.
     */
    public record Command(List<String> command, Map<String, String> environment, Path workingDirectory,
                          Duration gracePeriod, int maxMessageBytes, Set<String> harmlessNames) {
        public Command {
            command = List.copyOf(command);
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            gracePeriod = gracePeriod == null ? Duration.ofSeconds(2) : gracePeriod;
            harmlessNames = harmlessNames == null ? Set.of() : Set.copyOf(harmlessNames);
        }

        /** Every value of the environment counts as a secret. */
        public Command(List<String> command, Map<String, String> environment, Path workingDirectory,
                       Duration gracePeriod, int maxMessageBytes) {
            this(command, environment, workingDirectory, gracePeriod, maxMessageBytes, Set.of());
        }

        /** The environment's values that may be secrets: all but those of the harmless names. */
        List<String> secretValues() {
            return environment.entrySet().stream().filter(variable -> !harmlessNames.contains(variable.getKey()))
                    .map(Map.Entry::getValue).toList();
        }
    }

    private final String serverId;
    private final Command command;
    private final ObjectMapper mapper;
    private final Logger serverLog;
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * The {@link System#nanoTime()} by which the write under way must be done, or {@link #NO_DEADLINE}: set and
     * cleared by the writer, read by the watcher; two volatile writes per message, which the hot path can afford.
     */
    private volatile long writeDeadline = NO_DEADLINE;
    /** Set once the server was killed for not reading its stdin: why, for the writes failing since and the end. */
    private final AtomicReference<String> killedBecause = new AtomicReference<>();
    private volatile Process process;
    private volatile OutputStream stdin;
    private volatile boolean closing;
    private volatile int nonJsonLines;
    private volatile String firstNonJsonLine;
    private final Deque<String> lastStderrLines = new ArrayDeque<>(KEPT_STDERR_LINES);
    private volatile Thread stderrReader;
    private int nonJsonLinesNotLogged;
    private long lastNonJsonSummary;
    private Thread shutdownHook;
    private volatile String configuredIn;

    public StdioTransport(String serverId, Command command, ObjectMapper mapper) {
        this.serverId = serverId;
        this.command = command;
        this.mapper = mapper;
        this.serverLog = LoggerFactory.getLogger("io.mcpagent.mcp.server." + serverId);
        this.configuredIn = McpServerComponent.file(serverId);
    }

    /**
     * Where the server's configuration is changed, which a message over {@code maxMessageBytes} names: its file in
     * etc/ unless told otherwise, such as the configuration of a server made in the Web Console.
     */
    public StdioTransport configuredIn(String place) {
        this.configuredIn = place;
        return this;
    }

    @Override
    public void start(Inbound inbound) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command.command());
        // The runtime's environment holds its own secrets (its admin key, credentials): the child gets none of it.
        builder.environment().clear();
        builder.environment().putAll(command.environment());
        if (command.workingDirectory() != null) {
            // the JDK's message names the command, and the hint sent the reader looking for it on the PATH
            if (!Files.isDirectory(command.workingDirectory())) {
                throw new ProcessStartException("cannot start '" + command.command().get(0) + "': its working"
                        + " directory '" + command.workingDirectory() + "' (cwd) is not a folder that exists");
            }
            builder.directory(command.workingDirectory().toFile());
        }
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            // The JDK's message ends with a space.
            throw new ProcessStartException("cannot start '" + command.command().get(0) + "': " + e.getMessage().strip()
                    + " (check the command and that it is on the PATH of the runtime)", e);
        }
        process = started;
        stdin = started.getOutputStream();
        // The runtime exiting without stopping this bundle must not leave the child behind.
        shutdownHook = new Thread(this::runtimeExiting, "mcp-" + serverId + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        // stderr's reader first: a server that ends at once must find it there to wait for, or its end would quote
        // none of what it wrote on stderr
        stderrReader = Thread.ofPlatform().daemon().name("mcp-" + serverId + "-stderr")
                .start(() -> drainStderr(started.getErrorStream()));
        Thread.ofPlatform().daemon().name("mcp-" + serverId + "-stdout")
                .start(() -> readStdout(started.getInputStream(), inbound));
        // A virtual thread asleep holds no carrier; it wakes ten times a second, and the writers never signal it.
        Thread.ofVirtual().name("mcp-" + serverId + "-stdin-watch").start(() -> watchStdin(started));
    }

    /**
     * Kills the server once a write has outlived its deadline: the write, deaf to interrupts, is let go only when the
     * pipe breaks. Ends with the process (or when the transport closes, whose ladder ends it anyway).
     */
    private void watchStdin(Process watched) {
        try {
            while (!closing && watched.isAlive()) {
                long now = System.nanoTime(); // before the deadline: a write seen after it was under way at 'now'
                long deadline = writeDeadline;
                if (deadline != NO_DEADLINE && now - deadline >= 0) {
                    killForStdinNotRead();
                    return;
                }
                long sleep = deadline == NO_DEADLINE ? WATCH_PERIOD_NANOS
                        : Math.min(deadline - now, WATCH_PERIOD_NANOS);
                TimeUnit.NANOSECONDS.sleep(Math.max(sleep, 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nothing of ours interrupts it; the watch ends
        }
    }

    /**
     * A message waited past its timeout for the server to read its stdin: it is stuck, or paused, or busy without
     * reading. Killing it (as the last step of the ladder does, for it and its descendants) breaks the pipe, which
     * releases the write and every sender behind it, and ends the connection, so that the server is restarted.
     */
    private void killForStdinNotRead() {
        if (closing || !killedBecause.compareAndSet(null,
                "server process killed: it did not read its stdin within a message's timeout")) {
            return; // the ladder ends it, or it is ended already
        }
        LOG.warn("MCP server '{}' did not read its stdin within a message's timeout (the pipe to it stayed full);"
                + " killing it and its descendants", serverId);
        killNow();
    }

    private void readStdout(InputStream out, Inbound inbound) {
        Exception cause = null;
        IOException readerFailure = null;
        try (InputStream stdout = new BufferedInputStream(out, 65536)) {
            String line;
            while ((line = readBoundedLine(stdout)) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message;
                try {
                    message = mapper.readTree(line);
                } catch (IOException notJson) {
                    strayLine(line, "not JSON");
                    continue;
                }
                if (message != null && message.isObject()) {
                    inbound.onMessage(message);
                } else if (isBatch(message)) {
                    message.forEach(inbound::onMessage);
                } else {
                    strayLine(line, "JSON but no message");
                }
            }
        } catch (IOException e) {
            cause = e;
        } catch (RuntimeException e) {
            // a fault here, not the server's end: reported as such, the reader being gone while the process runs on
            readerFailure = new IOException("reading the server's stdout failed: " + e, e);
        } finally {
            inbound.onClosed(closing ? null : readerFailure != null ? readerFailure : whyClosed(cause));
        }
    }

    /**
     * A JSON-RPC batch (2025-03-26): an array of messages. An array of anything else ({@code [1,2,3]}, {@code []}) is
     * no message: its numbers were taken for messages answering no request ("the last: 3") and the line went unlogged.
     */
    private static boolean isBatch(JsonNode message) {
        if (message == null || !message.isArray() || message.isEmpty()) {
            return false;
        }
        for (JsonNode element : message) {
            if (!element.isObject()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A line that is no message ({@code what} it is): logs the first few per connection, then a count at most once a
     * minute: a chatty server must not flood the log, whether with text or with JSON such as {@code 42}.
     */
    private void strayLine(String line, String what) {
        int count = ++nonJsonLines; // only the stdout thread writes
        if (count == 1) {
            firstNonJsonLine = line.length() <= 80 ? line : line.substring(0, 80) + "...";
        }
        long now = System.nanoTime();
        if (count <= LOGGED_NON_JSON_LINES) {
            LOG.warn("MCP server '{}' wrote a line that is {} on stdout (ignored{}): {}", serverId, what,
                    count == LOGGED_NON_JSON_LINES ? "; further ones are counted once a minute" : "",
                    abbreviate(masked(line)));
            lastNonJsonSummary = now;
            return;
        }
        nonJsonLinesNotLogged++;
        if (now - lastNonJsonSummary >= NON_JSON_SUMMARY_NANOS) {
            LOG.warn("MCP server '{}' wrote {} more lines that are no JSON-RPC message on stdout (ignored)", serverId,
                    nonJsonLinesNotLogged);
            nonJsonLinesNotLogged = 0;
            lastNonJsonSummary = now;
        }
    }

    /** A killed server's write fails at once, its reader reporting the end later (after its stderr's last lines). */
    @Override
    public boolean isOpen() {
        Process p = process;
        return !closing && killedBecause.get() == null && p != null && p.isAlive();
    }

    @Override
    public String strayOutput() {
        int count = nonJsonLines;
        return count == 0 ? null : "the server wrote " + count + (count == 1 ? " line" : " lines")
                + " that are not JSON-RPC on stdout, e.g. '" + firstNonJsonLine + "'";
    }

    private IOException whyClosed(Exception cause) {
        if (cause instanceof MessageTooLargeException tooLarge) {
            return tooLarge; // the server is fine; its message broke our limit
        }
        String killed = killedBecause.get();
        if (killed != null) {
            return new IOException(killed + lastStderr()); // its exit code, 137, would say less
        }
        Process p = process;
        String exit = "";
        if (p != null) {
            try {
                if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
                    exit = " (exit code " + p.exitValue() + ")";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new IOException("server process ended" + exit + (cause == null ? "" : ": " + cause.getMessage())
                + lastStderr());
    }

    /**
     * Why a write failed: when the server ended, its exit code and last stderr lines, not the JDK's "Stream closed"
     * or "Broken pipe" that say neither.
     */
    private IOException ended(IOException writeFailure) {
        Process p = process;
        boolean ended;
        try {
            ended = p != null && !closing && p.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return writeFailure;
        }
        if (!ended) {
            return writeFailure;
        }
        IOException why = whyClosed(null);
        why.initCause(writeFailure);
        return why;
    }

    /**
     * "; its last lines on stderr: ..." once the server's stderr is read to its end (or a moment passed: a child it
     * started may hold it open), or "" when it wrote none: the log has them, the health and the error should too.
     */
    private String lastStderr() {
        Thread reader = stderrReader;
        if (reader != null) {
            try {
                reader.join(STDERR_DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lastStderrLines) {
            return lastStderrLines.isEmpty() ? "" : "; its last lines on stderr: " + String.join(" | ", lastStderrLines);
        }
    }

    /** One line of UTF-8, counted in bytes as {@code maxMessageBytes} says; a newline byte never occurs inside a character. */
    private String readBoundedLine(InputStream stdout) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = stdout.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b != '\r') {
                if (line.size() >= command.maxMessageBytes()) {
                    throw new MessageTooLargeException(configuredIn, command.maxMessageBytes());
                }
                line.write(b);
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private void drainStderr(InputStream err) {
        StderrLog log = new StderrLog(serverLog, serverId, System::nanoTime);
        try (err) {
            StderrLines.read(err, MAX_STDERR_LINE_BYTES, line -> {
                String masked = masked(line);
                log.line(abbreviate(masked));
                keepStderrLine(masked.strip());
            });
        } catch (IOException e) {
            LOG.debug("stderr of MCP server '{}' closed: {}", serverId, e.getMessage());
        } finally {
            log.end();
        }
    }

    /**
     * Keeps the line, masked already: it goes into the server's health, which every viewer reads. A stack frame
     * ({@code at Module._load (node:...)}, Java's {@code at x.y(Z.java:1)}) is not kept: Node's "Error: Cannot find
     * module ..." was pushed out by the frames after it, and the health quoted them alone.
     */
    private void keepStderrLine(String masked) {
        if (masked.isEmpty() || STACK_FRAME.matcher(masked).matches()) {
            return;
        }
        synchronized (lastStderrLines) {
            if (lastStderrLines.size() == KEPT_STDERR_LINES) {
                lastStderrLines.removeFirst();
            }
            lastStderrLines.addLast(masked.length() <= KEPT_STDERR_CHARS ? masked
                    : masked.substring(0, KEPT_STDERR_CHARS) + "...");
        }
    }

    /**
     * Writes the message on the caller's thread, within its timeout (none: until written or the process ends). A
     * write, or a wait for the write ahead of it, that outlives the timeout gets the server killed (see
     * {@link #watchStdin}) and fails with {@link SendingTimedOutException}; the writes behind it fail at once.
     */
    @Override
    public Exchange send(ObjectNode message, Outgoing outgoing) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(message);
        OutputStream out = stdin;
        if (out == null || closing) {
            throw new IOException("server process not running");
        }
        Duration timeout = outgoing == null ? null : outgoing.timeout();
        lock(timeout);
        long deadline = NO_DEADLINE;
        try {
            String killed = killedBecause.get();
            if (killed != null) {
                throw new IOException(killed);
            }
            // from the write's start: the watcher must see a write held this long, not one that began late
            deadline = timeout == null ? NO_DEADLINE : deadlineIn(timeout);
            writeDeadline = deadline;
            out.write(bytes);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw killedBecause.get() == null ? ended(e) : notRead(deadline, e);
        } finally {
            writeDeadline = NO_DEADLINE;
            writeLock.unlock();
        }
        return Exchange.DONE;
    }

    private static long deadlineIn(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return deadline == NO_DEADLINE ? deadline + 1 : deadline;
    }

    /**
     * Takes the write lock, waiting at most {@code timeout} (null: without bound): a write ahead that holds it so long
     * is held by a server that does not read its stdin, and the wait ends as that write would.
     */
    private void lock(Duration timeout) throws IOException {
        if (timeout == null) {
            writeLock.lock();
            return;
        }
        try {
            if (writeLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write to the server's stdin");
        }
        killForStdinNotRead();
        throw new SendingTimedOutException(STDIN_NOT_READ + "; its process was killed");
    }

    /**
     * A write failed after the server was killed for not reading its stdin: a timeout for the write whose deadline
     * passed, the reason of the kill for a write cut off before its own.
     */
    private IOException notRead(long deadline, IOException writeFailure) {
        IOException failure = deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0
                ? new SendingTimedOutException(STDIN_NOT_READ + "; its process was killed")
                : new IOException(killedBecause.get());
        failure.initCause(writeFailure);
        return failure;
    }

    @Override
    public String kind() {
        return "stdio";
    }

    /** The process id, for tests and diagnostics; -1 when not running. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public void close() {
        closing = true;
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = new ArrayList<>(p.descendants().toList());
        try {
            long grace = command.gracePeriod().toMillis();
            String notEnded = !closedStdin(grace)
                    ? "has not read its stdin for " + grace + " ms (a write to it is under way)"
                    : exitedAfterStdinClosed(p, grace) ? null
                    : "did not exit within " + grace + " ms of its stdin closing";
            if (notEnded != null) {
                LOG.info("MCP server '{}' {}; sending SIGTERM, waiting up to {} ms", serverId, notEnded, grace);
                p.destroy();
                descendants.forEach(ProcessHandle::destroy);
                if (!p.waitFor(grace, TimeUnit.MILLISECONDS)) {
                    LOG.warn("MCP server '{}' ignored SIGTERM for {} ms; killing it", serverId, grace);
                    p.destroyForcibly();
                }
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killNow();
        } finally {
            removeShutdownHook();
        }
    }

    /**
     * Closes stdin, unless a write to it stays under way for {@code grace}: closing waits for that write, which a
     * server not reading its stdin holds until it dies (a write without timeout, which the watcher leaves alone).
     */
    private boolean closedStdin(long grace) throws InterruptedException {
        if (!writeLock.tryLock(grace, TimeUnit.MILLISECONDS)) {
            return false;
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed by the child
        } finally {
            writeLock.unlock();
        }
        return true;
    }

    /**
     * Waits up to {@code grace} for the process to exit on its own; past the first moment says so, with the whole
     * ladder ahead, since a stop of the runtime waits for it.
     */
    private boolean exitedAfterStdinClosed(Process p, long grace) throws InterruptedException {
        long moment = Math.min(UNSAID_WAIT_MILLIS, grace);
        if (p.waitFor(moment, TimeUnit.MILLISECONDS)) {
            return true;
        }
        LOG.info("MCP server '{}' has not exited {} ms after its stdin closed; waiting up to {} ms more, then SIGTERM"
                + " and up to {} ms, then SIGKILL (at most {} ms in all)", serverId, moment, grace - moment,
                grace, 2 * grace);
        return p.waitFor(grace - moment, TimeUnit.MILLISECONDS);
    }

    /**
     * The JVM exits: a graceful stop of the framework, whose shutdown hook runs beside this one, stops the bundle,
     * which closes this transport and so ends the process the ladder's way. The process is killed only when it is left
     * behind: still alive once that ladder would have ended it. Killed at once, the server of a runtime stopped by
     * SIGTERM ended with exit code 137 before its bundle stopped, logged as a lost connection.
     */
    void runtimeExiting() {
        Process p = process;
        try {
            if (p == null || p.waitFor(3 * command.gracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killNow();
    }

    private void killNow() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void removeShutdownHook() {
        try {
            if (shutdownHook != null) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and runs the hook itself
        }
    }

    /**
     * The server's output masked for the log or its health: a server may print the token it was given. Its environment
     * values are secrets to the platform (ServerSettings.secretValues), but for the harmless defaults: a path under
     * HOME stays readable.
     */
    private String masked(String output) {
        return ServerText.masked(output, command.secretValues());
    }

    static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
