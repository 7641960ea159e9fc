package io.mcpagent.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.ElicitationHandler;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerEvent;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.mcp.internal.client.CallTimer;
import io.mcpagent.mcp.internal.client.ClientOptions;
import io.mcpagent.mcp.internal.client.LegacySseTransport;
import io.mcpagent.mcp.internal.client.McpClient;
import io.mcpagent.mcp.internal.client.McpRpcException;
import io.mcpagent.mcp.internal.client.MessageTooLargeException;
import io.mcpagent.mcp.internal.client.NotSentException;
import io.mcpagent.mcp.internal.client.ProcessStartException;
import io.mcpagent.mcp.internal.client.ServerOutputException;
import io.mcpagent.mcp.internal.client.ServerText;
import io.mcpagent.mcp.internal.client.SessionDeletes;
import io.mcpagent.mcp.internal.client.StdioTransport;
import io.mcpagent.mcp.internal.client.StreamableHttpTransport;
import io.mcpagent.mcp.internal.client.ToolFieldReports;
import io.mcpagent.mcp.internal.client.ToolInfo;
import io.mcpagent.mcp.internal.client.Transport;
import io.mcpagent.mcp.internal.client.auth.OAuthAuthorizer;

/**
 * One configured MCP server, kept alive: connects eagerly or on first use, caches the tool list (refreshed on
 * {@code list_changed}), checks health periodically, reconnects with exponential backoff after a crash or a
 * dropped connection, and bounds concurrent calls. Tool failures the server reports, as {@code isError} results
 * or as JSON-RPC errors, come back as error results; only an unreachable server is an {@link McpException}.
 */
final class ManagedServer implements McpServer {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedServer.class);
    private static final String SAMPLING = "sampling/createMessage";
    private static final String ELICITATION = "elicitation/create";
    private static final int METHOD_NOT_FOUND = -32601;
    private static final int INVALID_PARAMS = -32602;
    private static final int INTERNAL_ERROR = -32603;
    /** Connects failed in a row before a server that starts but does not connect is a problem, not a blip. */
    static final int REPEATED_FAILURES = 3;

    /** What a server needs from its surroundings; the DS component supplies it. */
    interface Environment {
        ObjectMapper mapper();

        java.net.http.HttpClient http();

        /** The session DELETEs of closed transports that the HTTP client's owner waits for before shutting it down. */
        SessionDeletes sessionDeletes();

        ScheduledExecutorService scheduler();

        void publish(ExecutionEvent event);

        Optional<ElicitationHandler> elicitationHandler();

        Optional<LlmProvider> provider(String pluginId);

        String clientVersion();

        /**
         * Where the server's configuration comes from, for messages about it: its file in etc/, or Configuration
         * Admin for one without a file ({@link io.mcpagent.api.runtime.ConfigurationOrigins#describe}).
         */
        String configurationOrigin();

        /** The PID of the server's configuration: {@code <factory PID>~<id>}, or one the Web Console generated. */
        String configurationPid();
    }

    private final ServerSettings settings;
    private final Environment environment;
    private final Semaphore calls;
    /** The calls holding a slot: requests in flight, or about to be sent. */
    private final AtomicInteger callsInSlots = new AtomicInteger();
    /** Completed once the server is stopped and no call holds a slot: what {@link #drain} waits for. */
    private final CompletableFuture<Void> callsEnded = new CompletableFuture<>();
    /** Set by the first stop, which wakes the calls waiting for a slot. */
    private final AtomicBoolean waitingWoken = new AtomicBoolean();
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile McpClient client;
    /** The client whose handshake is under way, so that stop() cuts off the calls waiting for it too. */
    private volatile McpClient handshaking;
    /** The last listing and the change generation it started at; stale once {@link #toolsChanges} has moved on. */
    private volatile ToolList tools;
    /** Counts list_changed notifications and reconnects: each makes the tools listed before it stale. */
    private final AtomicLong toolsChanges = new AtomicLong();
    /** One listing at a time: callers arriving meanwhile wait for it rather than list again. */
    private final ReentrantLock listing = new ReentrantLock();
    /** A tools-changed event was published since the last listing; more notifications are not announced again. */
    private final AtomicBoolean changeAnnounced = new AtomicBoolean();
    private volatile PluginHealth health;
    private volatile boolean stopped;
    /** Why {@link #stop} stopped the server, which the calls coming after it are told. */
    private volatile String stopReason;
    private volatile int failures;
    /** Connect attempts ended, written with {@link #connecting} held: a caller that waited for one makes none. */
    private volatile long connectAttempts;
    /** The last connect's failure, guarded by {@link #connecting}; null once one succeeded. */
    private McpException connectFailure;
    /** Until when, in {@link System#nanoTime()}, calls fail with {@link #connectFailure} rather than connect anew. */
    private long connectAgainFrom;
    private volatile ScheduledFuture<?> reconnect;
    /**
     * True from scheduling a reconnect until it starts. Not {@code reconnect.isDone()}: a reconnect that fails must
     * schedule the next one from inside its own task, which is not done yet.
     */
    private final AtomicBoolean reconnectPending = new AtomicBoolean();
    private volatile ScheduledFuture<?> healthCheck;
    private volatile StdioTransport pidProbe;
    /**
     * The tool fields of a wrong JSON type logged already: shared by the server's connections, so that a server
     * reconnecting is not logged again for each. A changed configuration makes a new ManagedServer.
     */
    private final ToolFieldReports toolFieldReports = new ToolFieldReports();
    /** One per server, so tokens and client registrations survive reconnects. */
    private volatile OAuthAuthorizer authorizer;
    /** Why the connection was lost last, for the calls still on the old client that the reconnect cuts off. */
    private volatile String lostBecause;
    /** Why what the server sent last could not be used (it is DEGRADED); null once an exchange worked. */
    private volatile String outputProblem;
    /**
     * The configured command cannot be started, or the server failed to connect {@value #REPEATED_FAILURES} times in a
     * row (it exits, hangs or writes what is no MCP); null once a connect got past that.
     */
    private volatile Problem startProblem;

    ManagedServer(ServerSettings settings, Environment environment) {
        this.settings = settings;
        this.environment = environment;
        this.calls = new Semaphore(settings.maxConcurrentCalls(), true);
        this.health = PluginHealth.unknown(settings.eager() ? "connecting" : "connects on first use");
    }

    void start() {
        if (settings.eager()) {
            environment.scheduler().execute(this::connectQuietly);
        }
        long period = settings.healthInterval().toMillis();
        if (period > 0) {
            healthCheck = environment.scheduler().scheduleWithFixedDelay(this::runHealthCheck, period, period,
                    TimeUnit.MILLISECONDS);
        }
    }

    String id() {
        return settings.id();
    }

    ServerSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- McpServer

    @Override
    public McpServerInfo info() {
        McpClient current = client;
        if (current == null || current.serverInfo() == null) {
            return new McpServerInfo(settings.name(), "", "", settings.transport());
        }
        JsonNode info = current.serverInfo();
        return new McpServerInfo(info.path("name").asText(settings.name()), info.path("version").asText(""),
                current.protocolVersion(), current.transportKind());
    }

    @Override
    public PluginHealth health() {
        return health;
    }

    /**
     * What is wrong with the configuration as the latest connect found it: a command that cannot be started, or a
     * server that failed to connect {@value #REPEATED_FAILURES} times in a row. One failed connect is DOWN in its
     * health only.
     */
    List<Problem> problems() {
        Problem current = startProblem;
        return current == null ? List.of() : List.of(current);
    }

    @Override
    public List<ToolDescriptor> listTools() {
        toolInfos();
        return tools.descriptors();
    }

    /** The current listing's tools, or empty: reading a field, as a plan may ask on every call. */
    @Override
    public Optional<List<ToolDescriptor>> listedTools() {
        ToolList cached = tools;
        return cached != null && cached.changes() == toolsChanges.get() ? Optional.of(cached.descriptors())
                : Optional.empty();
    }

    /** The configured roots: the folders a server that honours them (the filesystem server) works in. */
    @Override
    public List<URI> roots() {
        return settings.roots() == null ? List.of() : settings.roots().stream().map(URI::create).toList();
    }

    /**
     * The cached tools, listed again when a change came after the listing they come from began: a flood of
     * list_changed notifications costs one listing for the callers that follow it, not one each, and a notification
     * arriving while a listing is under way makes the next call list again instead of keeping that listing's answer.
     */
    private List<ToolInfo> toolInfos() {
        return toolInfos(false);
    }

    /** {@code inCall}: the caller holds a call slot already, a call whose headers the server refused (-32020). */
    private List<ToolInfo> toolInfos(boolean inCall) {
        ToolList cached = tools;
        if (cached != null && cached.changes() == toolsChanges.get()) {
            return cached.tools();
        }
        // A connect under way is waited for as every caller waits for it, within its handshake's timeout: the listing
        // under way may be the one connecting, and requestTimeoutMs bounds the listing, not the handshake.
        connected();
        try {
            if (!listing.tryLock(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new McpException(settings.id(), "tools/list: the listing under way did not finish within "
                        + settings.requestTimeout().toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(settings.id(), "interrupted while waiting for the tool listing under way");
        }
        try {
            McpClient current = connected(); // before reading the generation, which a reconnect moves on
            long changes = toolsChanges.get();
            cached = tools;
            if (cached != null && cached.changes() == changes) {
                return cached.tools(); // listed by the caller this one waited for
            }
            changeAnnounced.set(false);
            List<ToolInfo> listed = inCall ? current.listTools()
                    : withPermit("tools/list", CallTimer.startingNow(settings.requestTimeout(), settings.requestTimeout()),
                            current::listTools);
            tools = new ToolList(listed, changes, settings);
            return listed;
        } finally {
            listing.unlock();
        }
    }

    /** A listing, with its tools as handed out (those the configuration allows), made once per listing. */
    private record ToolList(List<ToolInfo> tools, List<ToolDescriptor> descriptors, long changes) {
        ToolList(List<ToolInfo> tools, long changes, ServerSettings settings) {
            this(tools, tools.stream().filter(tool -> settings.allows(tool.name()))
                    .map(tool -> new ToolDescriptor(tool.name(), tool.title(), tool.description(),
                            tool.inputSchema().toString(),
                            tool.outputSchema() == null ? null : tool.outputSchema().toString(), tool.annotations()))
                    .toList(), changes);
        }
    }

    @Override
    public ToolCallResult callTool(String toolName, String argumentsJson, Duration timeout) {
        if (!settings.allows(toolName)) {
            return ToolResults.error("tool '" + toolName + "' of MCP server '" + settings.id()
                    + "' is not allowed by its configuration (allowedTools/deniedTools)");
        }
        JsonNode arguments;
        try {
            arguments = argumentsJson == null || argumentsJson.isBlank() ? environment.mapper().createObjectNode()
                    : exactNumbers(environment.mapper()).readTree(argumentsJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return ToolResults.error("arguments for '" + toolName + "' are not valid JSON: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()));
        }
        if (!arguments.isObject()) {
            return ToolResults.error("arguments for '" + toolName + "' must be a JSON object, not " + arguments.getNodeType());
        }
        McpClient current;
        Optional<ToolInfo> tool;
        try {
            current = connected();
            tool = toolInfos().stream().filter(t -> t.name().equals(toolName)).findFirst();
        } catch (NotSentException notSent) {
            throw notSent;
        } catch (McpException e) {
            if (stopped) {
                // the stop cut off the handshake or listing the call waited for: its own request never went out
                throw new NotSentException(settings.id(), withoutServerName(e), e);
            }
            throw e;
        }
        if (tool.isEmpty()) {
            return ToolResults.error("MCP server '" + settings.id() + "' has no tool '" + toolName + "'");
        }
        Duration perCall = timeout == null ? settings.requestTimeout() : timeout;
        Duration cap = timeout == null ? settings.maxCallTime() : max(timeout, settings.requestTimeout());
        CallTimer timer = CallTimer.startingNow(perCall, cap); // the wait for a call slot takes from the call's time
        try {
            JsonNode result = withPermit("tools/call", timer, () -> current.callTool(toolName, arguments, timer));
            return ToolResults.from(result, outputSchema(toolName));
        } catch (McpRpcException refused) {
            // Legacy servers report failures as JSON-RPC errors too (server-github: -32603): a tool error, not a crash.
            return ToolResults.error("tool '" + toolName + "' failed: " + refused.rpcMessage()
                    + " (JSON-RPC error " + refused.code() + ")");
        }
    }

    /**
     * The output schema of the tool as last listed, which a call's result answers to: a call the server refused with
     * -32020 is retried once the tools were listed again, and its tool may then describe another output. Null when
     * that listing holds no such tool.
     */
    private JsonNode outputSchema(String toolName) {
        return tools.tools().stream().filter(t -> t.name().equals(toolName)).findFirst().map(ToolInfo::outputSchema)
                .orElse(null);
    }

    /**
     * Arguments go to the server with their numbers as the caller wrote them: read as doubles, {@code 1e400} would
     * be sent as the string "Infinity" and {@code 0.1000000000000000000001} as 0.1.
     */
    private static ObjectReader exactNumbers(ObjectMapper mapper) {
        return mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }

    /** Any request (resources, prompts); used by the shell and the conformance client. */
    JsonNode request(String method, ObjectNode params) {
        McpClient current = connected();
        CallTimer timer = CallTimer.startingNow(settings.requestTimeout(), settings.maxCallTime());
        return withPermit(method, timer, () -> current.call(method, params, timer));
    }

    /**
     * Runs {@code work} in a call slot, waiting for one within the {@code timer} of the request ({@code method}), whose
     * time the wait takes from. A failure caused by what the server sent (a message over maxMessageBytes, a
     * tool list beyond its bounds) marks it DEGRADED, saying why, until an exchange works again: it answers, but not
     * in a way this configuration can use.
     */
    private <T> T withPermit(String method, CallTimer timer, java.util.function.Supplier<T> work) {
        if (stopped) {
            throw new NotSentException(settings.id(), method + " not sent: " + stopReason);
        }
        long waitFrom = System.nanoTime();
        try {
            if (!calls.tryAcquire(timer.left().toNanos(), TimeUnit.NANOSECONDS)) {
                int limit = settings.maxConcurrentCalls();
                int inFlight = limit - calls.availablePermits();
                int waiting = calls.getQueueLength();
                throw new McpException(settings.id(), method + " timed out after " + timer.limit().toMillis()
                        + " ms waiting for a call slot: " + inFlight + (inFlight == 1 ? " call" : " calls")
                        + " in flight (maxConcurrentCalls " + limit + ")"
                        + (waiting == 0 ? "" : ", " + waiting + " more waiting"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(settings.id(), "interrupted while waiting for a free call slot");
        }
        timer.waitedForSlot(System.nanoTime() - waitFrom);
        callsInSlots.incrementAndGet();
        try {
            if (stopped) {
                // woken by the stop (or a slot freed after it): a request of the stopped server is not sent any more
                throw new NotSentException(settings.id(), method + " not sent: " + stopReason);
            }
            T result = work.get();
            outputWorks();
            return result;
        } catch (McpException e) {
            // not over DOWN: a stdio server's oversized message drops the connection, which is worse
            PluginHealth.Status status = health.status();
            if (causedByServerOutput(e) && (status == PluginHealth.Status.UP || status == PluginHealth.Status.DEGRADED)) {
                outputProblem = masked(e.getMessage());
                health = PluginHealth.degraded(outputProblem);
            }
            throw e;
        } finally {
            if (callsInSlots.decrementAndGet() == 0 && stopped) {
                callsEnded.complete(null);
            }
            calls.release();
        }
    }

    private void outputWorks() {
        if (outputProblem != null) {
            outputProblem = null;
            if (health.status() == PluginHealth.Status.DEGRADED) {
                health = PluginHealth.up();
            }
        }
    }

    private static boolean causedByServerOutput(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerOutputException || cause instanceof MessageTooLargeException) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- connection lifecycle

    private McpClient connected() {
        return connected(false);
    }

    /**
     * The connected client, connecting first when there is none. Callers that came while a connect was under way
     * share its outcome, and after a failed one calls fail with its failure until half its backoff passed (the
     * {@code scheduled} reconnect excepted): each call started the server anew, one after another, each waiting for the
     * ones before it, and a broken server was restarted as often as it was asked for.
     */
    private McpClient connected(boolean scheduled) {
        McpClient current = client;
        if (current != null && current.isConnected()) {
            return current;
        }
        if (stopped) {
            throw stoppedFailure();
        }
        long attemptsBefore = connectAttempts;
        connecting.lock();
        try {
            current = client;
            if (current != null && current.isConnected()) {
                return current;
            }
            McpException failed = connectFailure;
            if (failed != null && !scheduled) {
                if (connectAttempts != attemptsBefore) {
                    throw new McpException(settings.id(), withoutServerName(failed) + " (the connect under way when"
                            + " this call came)", failed);
                }
                long wait = connectAgainFrom - System.nanoTime();
                if (wait > 0) {
                    throw new McpException(settings.id(), "not connected: its last connect failed ("
                            + withoutServerName(failed) + "); the next is made by a call in "
                            + Durations.text(Duration.ofNanos(wait)) + " or later", failed);
                }
            }
            return connect();
        } finally {
            connecting.unlock();
        }
    }

    /**
     * What a call to the stopped server fails with: it got the server just before its stop (an edit or a delete of its
     * configuration), which it is told, as the calls the stop cut off are.
     */
    private McpException stoppedFailure() {
        return new NotSentException(settings.id(), "stopped: " + stopReason);
    }

    /** Called with {@link #connecting} held. */
    private McpClient connect() {
        McpClient created = new McpClient(settings.id(), clientOptions(), transports(), new Callbacks(),
                environment.mapper()).heldSecrets(settings.secretValues()).toolFieldReports(toolFieldReports);
        handshaking = created;
        try {
            if (stopped) {
                throw stoppedFailure(); // stop() may have looked before it was set
            }
            created.connect();
        } catch (McpException e) {
            connectAttempts++;
            if (stopped) {
                throw e; // cut off by stop(), whose reason it carries; a stopped server is not failing
            }
            failures++;
            connectFailure = e;
            connectAgainFrom = System.nanoTime() + backoff().toNanos() / 2;
            health = PluginHealth.down(masked(e.getMessage()));
            noteStartProblem(e);
            publishState("failed", e.getMessage());
            throw e;
        } finally {
            handshaking = null;
        }
        connectAttempts++;
        connectFailure = null;
        startProblem = null;
        if (stopped) {
            created.close();
            throw stoppedFailure();
        }
        McpClient previous = client;
        client = created;
        toolsChanges.incrementAndGet();
        outputProblem = null;
        failures = 0;
        if (previous != null) {
            previous.close("the server reconnected (" + lostBecause + ")");
        }
        health = PluginHealth.up();
        publishState("connected", created.transportKind() + ", protocol " + created.protocolVersion());
        return created;
    }

    private void noteStartProblem(McpException failure) {
        String what;
        if (failure.getCause() instanceof ProcessStartException cannotStart) {
            what = cannotStart.getMessage() + "; the server is DOWN until it starts";
        } else if (failures >= REPEATED_FAILURES) {
            // a crash loop is as much the configuration's as a missing command, and monitoring watches problems
            what = "it failed to connect " + REPEATED_FAILURES + " or more times in a row, the latest: "
                    + masked(withoutServerName(failure)) + "; the server is DOWN until it connects";
        } else {
            startProblem = null;
            return;
        }
        Problem previous = startProblem;
        String pid = environment.configurationPid();
        startProblem = new Problem(GuardedConfiguration.SOURCE, pid, "configuration " + pid + " ("
                + environment.configurationOrigin() + "): " + what, previous == null ? null : previous.since());
    }

    /**
     * The eager connect and each reconnect, scheduled tasks: nothing may leave them, since an unexpected failure (a
     * fault of this client rather than the server's answer) scheduled no further attempt, and a server that never
     * connected has no health check to start one.
     */
    private void connectQuietly() {
        if (stopped) {
            return;
        }
        try {
            connected(true);
            toolInfos();
        } catch (McpException e) {
            // The exception's message names the server already.
            LOG.warn("connecting failed: {}", masked(e.getMessage()));
            scheduleReconnect();
        } catch (RuntimeException | Error e) {
            if (stopped) {
                return;
            }
            LOG.warn("MCP server '{}': connecting failed unexpectedly", settings.id(),
                    ServerText.masked(e, settings.secretValues()));
            failures++;
            health = PluginHealth.down(masked("MCP server '" + settings.id() + "': connecting failed: " + e));
            scheduleReconnect();
        }
    }

    /** The backoff after {@link #failures} failed connects in a row: a reconnect comes within it, from its half. */
    private Duration backoff() {
        return Duration.ofMillis(Math.min(settings.maxBackoff().toMillis(), 1000L << Math.min(failures, 16)));
    }

    private void scheduleReconnect() {
        if (stopped || !settings.eager()) {
            return;
        }
        long base = backoff().toMillis();
        long delay = base / 2 + (long) (Math.random() * base / 2);
        if (!reconnectPending.compareAndSet(false, true)) {
            return;
        }
        publishState("restarting", "reconnecting in " + delay + " ms");
        reconnect = environment.scheduler().schedule(() -> {
            reconnectPending.set(false);
            connectQuietly();
        }, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * The periodic task (tests run it directly). Nothing may leave it: scheduleWithFixedDelay runs a task that threw
     * no more, so one unexpected failure (a fault of this client rather than the server's answer) ended the server's
     * health checks for good.
     */
    void runHealthCheck() {
        McpClient current = client;
        try {
            checkHealth(current);
        } catch (RuntimeException | Error e) {
            if (stopped) {
                return;
            }
            LOG.warn("MCP server '{}': health check failed unexpectedly, reconnecting", settings.id(),
                    ServerText.masked(e, settings.secretValues()));
            healthCheckFailed(current, masked("MCP server '" + settings.id() + "': " + e), masked(e.toString()));
        }
    }

    private void checkHealth(McpClient current) {
        if (stopped || current == null) {
            return;
        }
        if (!current.isConnected()) {
            scheduleReconnect();
            return;
        }
        try {
            current.ping(min(settings.requestTimeout(), Duration.ofSeconds(10)));
            aliveAnswered();
        } catch (McpRpcException answered) {
            aliveAnswered(); // it answered, so it is alive
        } catch (McpException e) {
            if (current.connectionEnded()) {
                // The ping met the end of the connection (a session that could not be renewed, a stdio server killed
                // for not reading its stdin) or a stop or reconnect: the lost connection's report keeps the server DOWN
                // saying why, and reconnects; failing the check too would overwrite that with DEGRADED, and closing
                // the client here would drop a report still to come.
                LOG.debug("MCP server '{}': health check met the end of the connection: {}", settings.id(),
                        masked(e.getMessage()));
                return;
            }
            LOG.warn("health check failed, reconnecting: {}", masked(e.getMessage()));
            healthCheckFailed(current, masked(e.getMessage()), masked(withoutServerName(e)));
        }
    }

    /** {@code failure} names the server, {@code why} says the same without; both masked. */
    private void healthCheckFailed(McpClient current, String failure, String why) {
        health = PluginHealth.degraded("health check failed: " + failure);
        if (current != null) {
            current.close("the health check failed: " + why);
        }
        scheduleReconnect();
    }

    /** A server that answers its health check is UP, unless what it sent last could not be used. */
    private void aliveAnswered() {
        String problem = outputProblem;
        health = problem == null ? PluginHealth.up() : PluginHealth.degraded(problem);
    }

    /**
     * A failure's message masked for the log, the health, the state events and the calls it cuts off: it may quote what
     * the server answered or printed, and a server may echo the token it was sent (an HTTP 500 whose body repeats the
     * request's Authorization header). Not every reader of health masks it (the decision engine's reasons, history).
     */
    private String masked(String message) {
        return ServerText.masked(message, settings.secretValues());
    }

    /** The failure's own words, without the "MCP server 'x': " that the message it goes into repeats. */
    private String withoutServerName(Exception failure) {
        String prefix = "MCP server '" + settings.id() + "': ";
        String message = failure.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /**
     * Stops the server; calls in flight are cut off saying {@code reason}, and those not sent yet (waiting for a call
     * slot or the handshake, or coming after) fail with a {@link NotSentException} saying it. During a
     * {@link #drain} it cuts off the calls still being drained.
     */
    void stop(String reason) {
        stopTakingCalls(reason);
        closeConnection(reason);
    }

    /**
     * {@link #stop} on a thread of its own: closing the connection, or the one being made, runs its process's shutdown
     * ladder, which may take seconds (a process that ignores the end of its input and SIGTERM, 4 s). Completes once
     * the server is stopped.
     */
    CompletableFuture<Void> stopInBackground(String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("mcp-" + settings.id() + "-stop").start(() -> {
            try {
                stop(reason);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Stops the server once the calls it runs have ended, at most {@code longest} from now: those not sent yet (waiting
     * for a call slot or the handshake, or coming after) fail at once with a {@link NotSentException} saying
     * {@code reason}; those in flight run on, on the connection they were sent over, within their own time; those
     * still running after {@code longest} are cut off saying so. Completes once the connection is closed.
     */
    CompletableFuture<Void> drain(String reason, Duration longest) {
        stopTakingCalls(reason);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Thread.ofVirtual().name("mcp-" + settings.id() + "-drain").start(() -> {
            try {
                callsEnded.get(longest.toNanos(), TimeUnit.NANOSECONDS);
                closeConnection(reason);
            } catch (TimeoutException e) {
                closeConnection(reason + ", and the call did not end within the " + longest.toMillis() + " ms the"
                        + " server had to finish its calls; it is not sent to the restarted server, as its tool may"
                        + " have run");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeConnection(reason);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the end of the calls is completed, never failed", e);
            } finally {
                drained.complete(null);
            }
        });
        return drained;
    }

    /** No call is sent from now on: the handshake under way is cut off and the calls waiting for a slot woken. */
    private void stopTakingCalls(String reason) {
        stopReason = reason;
        stopped = true;
        cancel(reconnect);
        cancel(healthCheck);
        McpClient connecting = handshaking;
        if (connecting != null) {
            connecting.close(reason); // a call in an OAuth challenge too: its requests are among the connection's
        }
        health = PluginHealth.down("stopped");
        if (waitingWoken.compareAndSet(false, true)) {
            // A Semaphore cannot wake its waiters otherwise: each takes one of these permits, sees the stop and gives
            // it back. So many that none waits again, and few enough that those the calls in flight give back fit.
            calls.release((int) Math.max(0, Integer.MAX_VALUE - 2L * settings.maxConcurrentCalls()));
        }
        if (callsInSlots.get() == 0) {
            callsEnded.complete(null);
        }
    }

    /** Closes the connection: the calls still on it are cut off saying {@code reason}. */
    private void closeConnection(String reason) {
        McpClient current = client;
        client = null;
        if (current != null) {
            current.close(reason);
        }
    }

    /** Pid of the server process (stdio), for tests and diagnostics; -1 otherwise. */
    long processId() {
        return pidProbe == null ? -1 : pidProbe.pid();
    }

    /** For tests: whether {@code thread} waits for the connect under way. */
    boolean waitsForTheConnect(Thread thread) {
        return connecting.hasQueuedThread(thread);
    }

    /** For tests: whether {@code thread} waits for the tool listing under way. */
    boolean waitsForTheListing(Thread thread) {
        return listing.hasQueuedThread(thread);
    }

    /** For tests: how many calls wait for a call slot. */
    int callsWaitingForASlot() {
        return calls.getQueueLength();
    }

    /** Where the server's configuration is changed, which messages about a limit name. */
    private String configuredIn() {
        return McpServerComponent.configuredIn(environment.configurationPid(), environment.configurationOrigin());
    }

    private McpClient.TransportFactory transports() {
        ObjectMapper mapper = environment.mapper();
        Duration connectTimeout = settings.initTimeout();
        String configuredIn = configuredIn();
        return switch (settings.transport()) {
            case "stdio" -> () -> {
                StdioTransport stdio = new StdioTransport(settings.id(), new StdioTransport.Command(settings.command(),
                        settings.environment(), settings.workingDirectory(), Duration.ofSeconds(2),
                        settings.maxMessageBytes(), Set.copyOf(InheritedEnvironment.defaults())), mapper)
                        .configuredIn(configuredIn);
                pidProbe = stdio;
                return stdio;
            };
            case "sse" -> () -> new LegacySseTransport(settings.id(), settings.url(), settings.headers(),
                    environment.http(), mapper, settings.maxMessageBytes(), connectTimeout).configuredIn(configuredIn);
            default -> new McpClient.TransportFactory() {
                @Override
                public Transport primary() {
                    return new StreamableHttpTransport(settings.id(), settings.url(), settings.headers(),
                            environment.http(), mapper, settings.maxMessageBytes(), connectTimeout).authorizer(authorizer())
                            .heldSecrets(settings.secretValues()).sessionDeletes(environment.sessionDeletes())
                            .configuredIn(configuredIn);
                }

                @Override
                public Transport fallback() {
                    return new LegacySseTransport(settings.id(), settings.url(), settings.headers(),
                            environment.http(), mapper, settings.maxMessageBytes(), connectTimeout)
                            .configuredIn(configuredIn);
                }
            };
        };
    }

    private OAuthAuthorizer authorizer() {
        if (settings.oauth() == null) {
            return null;
        }
        OAuthAuthorizer current = authorizer;
        if (current == null) {
            current = new OAuthAuthorizer(settings.oauth(), environment.mapper());
            authorizer = current;
        }
        return current;
    }

    private ClientOptions clientOptions() {
        boolean sampling = !settings.sampling().isEmpty();
        boolean elicitation = !settings.elicitation().equals("decline");
        return new ClientOptions("mcp-agent", environment.clientVersion(), settings.protocol(), settings.initTimeout(),
                settings.requestTimeout(), settings.maxCallTime(), settings.roots(), sampling, elicitation,
                settings.maxMessageBytes(), settings.eraProbeTimeout(), configuredIn());
    }

    private final class Callbacks implements McpClient.Callbacks {
        @Override
        public JsonNode createMessage(JsonNode params) {
            return sample(params);
        }

        @Override
        public JsonNode elicit(JsonNode params) {
            return ManagedServer.this.elicit(params);
        }

        @Override
        public void onNotification(String method, JsonNode params) {
            switch (method) {
                case "notifications/tools/list_changed" -> {
                    toolsChanges.incrementAndGet();
                    if (changeAnnounced.compareAndSet(false, true)) {
                        publishState("tools-changed", ""); // once until the next listing: a flood is one event
                    }
                }
                // Masked here: the history and the console's stream show the event as it is.
                case "notifications/message" -> environment.publish(new McpServerEvent.Log(settings.id(),
                        params.path("level").asText("info"), masked(params.path("logger").asText(null)),
                        ServerText.masked(params.path("data"), settings.secretValues()).toString(), Instant.now()));
                default -> LOG.debug("MCP server '{}' sent {}", settings.id(), method);
            }
        }

        @Override
        public void onProgress(String method, JsonNode params) {
            JsonNode total = params.get("total");
            // Masked here as the log message is: the history and the console's stream show the event as it is.
            environment.publish(new McpServerEvent.Progress(settings.id(), method, params.path("progress").asDouble(),
                    total == null || !total.isNumber() ? null : total.asDouble(),
                    masked(params.path("message").asText(null)), Instant.now()));
        }

        /**
         * Through the cache, within the call's slot: a second slot could wait for the call's own. The listing is the
         * current client's; an outdated one replaced meanwhile is closed, and its retry fails either way.
         */
        @Override
        public void toolsOutdated(McpClient outdated) {
            toolsChanges.incrementAndGet();
            toolInfos(true);
        }

        @Override
        public void onDisconnected(Exception cause) {
            lostBecause = masked(withoutServerName(cause));
            failures++;
            health = PluginHealth.down(masked(cause.getMessage()));
            toolsChanges.incrementAndGet();
            LOG.warn("{}", masked(cause.getMessage()));
            publishState("disconnected", cause.getMessage());
            scheduleReconnect();
        }
    }

    /**
     * elicitation/create as configured: the schema's defaults, a decline, or the handler's answer. A request that is
     * no form (another mode, a message that is no string, a requestedSchema that is no object schema) is refused with
     * -32602 naming what is wrong; read leniently, the handler was shown an empty message and a form without fields.
     */
    private JsonNode elicit(JsonNode params) {
        JsonNode mode = params.get("mode");
        if (mode != null && !"form".equals(mode.textValue())) {
            throw invalidParams(ELICITATION, "mode must be \"form\" (this client offers form elicitation only)", mode);
        }
        JsonNode message = params.get("message");
        if (message == null || !message.isTextual()) {
            throw invalidParams(ELICITATION, "message must be a string", message);
        }
        JsonNode schema = params.get("requestedSchema");
        if (schema == null || !schema.isObject()) {
            throw invalidParams(ELICITATION, "requestedSchema must be an object", schema);
        }
        if (!"object".equals(schema.path("type").textValue())) {
            throw invalidParams(ELICITATION, "requestedSchema.type must be \"object\"", schema.get("type"));
        }
        JsonNode properties = schema.get("properties");
        if (properties == null || !properties.isObject()) {
            throw invalidParams(ELICITATION, "requestedSchema.properties must be an object", properties);
        }
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            if (!property.getValue().isObject()) {
                throw invalidParams(ELICITATION, "requestedSchema.properties." + property.getKey()
                        + " must be an object (a schema)", property.getValue());
            }
        }
        ObjectMapper mapper = environment.mapper();
        ObjectNode defaults = ElicitationDefaults.apply(schema, mapper.createObjectNode());
        ObjectNode result = mapper.createObjectNode();
        if (settings.elicitation().equals("defaults")) {
            result.put("action", "accept");
            result.set("content", defaults);
            return result;
        }
        Optional<ElicitationHandler> handler = environment.elicitationHandler();
        if (settings.elicitation().equals("decline") || handler.isEmpty()) {
            result.put("action", "decline");
            return result;
        }
        ElicitationHandler.ElicitationResponse answer = handler.get().elicit(settings.id(),
                message.textValue(), schema.toString(), defaults.toString());
        result.put("action", answer.action());
        if ("accept".equals(answer.action()) && answer.contentJson() != null) {
            try {
                JsonNode content = mapper.readTree(answer.contentJson());
                if (content instanceof ObjectNode object) {
                    result.set("content", ElicitationDefaults.apply(schema, object));
                }
            } catch (IOException e) {
                throw new McpException(settings.id(), "elicitation handler answered invalid JSON: " + e.getMessage());
            }
        }
        return result;
    }

    /**
     * sampling/createMessage through the configured LlmProvider; refused clearly when there is none, and with -32602
     * naming the parameter when the server's request is malformed (read leniently, messages "nope" became a model
     * call without messages and maxTokens "many" a limit of 0).
     */
    private JsonNode sample(JsonNode params) {
        String providerId = settings.sampling();
        if (providerId.isEmpty()) {
            throw new McpRpcException(settings.id(), SAMPLING, METHOD_NOT_FOUND, "sampling is not configured for this"
                    + " server (no sampling provider in its configuration, " + environment.configurationOrigin() + ")",
                    null);
        }
        JsonNode messageList = params.get("messages");
        if (messageList == null || !messageList.isArray() || messageList.isEmpty()) {
            throw invalidParams(SAMPLING, "messages must be a non-empty array", messageList);
        }
        JsonNode maxTokens = params.get("maxTokens");
        if (maxTokens != null && !(maxTokens.isIntegralNumber() && maxTokens.canConvertToInt() && maxTokens.intValue() > 0)) {
            throw invalidParams(SAMPLING, "maxTokens must be a positive integer", maxTokens);
        }
        JsonNode temperature = params.get("temperature");
        if (temperature != null && !temperature.isNull() && !temperature.isNumber()) {
            throw invalidParams(SAMPLING, "temperature must be a number", temperature);
        }
        LlmProvider provider = environment.provider(providerId).orElseThrow(() -> new McpRpcException(settings.id(),
                SAMPLING, INTERNAL_ERROR, "the sampling provider '" + providerId + "' of this server ("
                + environment.configurationOrigin() + ") is not available: no LLM provider plugin of that id"
                + " is installed and running", null));
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : messageList) {
            Role role = "assistant".equals(message.path("role").asText()) ? Role.ASSISTANT : Role.USER;
            List<Part> parts = new ArrayList<>();
            JsonNode content = message.path("content");
            for (JsonNode block : content.isArray() ? content : List.of(content)) {
                if ("text".equals(block.path("type").asText())) {
                    parts.add(TextPart.of(block.path("text").asText("")));
                }
            }
            messages.add(Message.of(role, parts));
        }
        String system = params.path("systemPrompt").asText(null);
        ChatRequest request = new ChatRequest(null, system == null ? List.of() : List.of(Instruction.of(system)), messages,
                List.of(), null, null, null, new GenerationParams(maxTokens == null ? null : maxTokens.intValue(),
                temperature == null || temperature.isNull() ? null : temperature.asDouble(), null, null, null), null, null);
        ChatResponse response = provider.chat(request);
        ObjectNode result = environment.mapper().createObjectNode();
        result.put("role", "assistant");
        StringBuilder text = new StringBuilder();
        response.message().parts().stream().filter(TextPart.class::isInstance)
                .forEach(part -> text.append(((TextPart) part).text()));
        result.putObject("content").put("type", "text").put("text", text.toString());
        result.put("model", response.model());
        result.put("stopReason", switch (response.stopReason()) {
            case MAX_TOKENS -> "maxTokens";
            case STOP_SEQUENCE -> "stopSequence";
            case TOOL_CALLS -> "toolUse";
            default -> "endTurn";
        });
        return result;
    }

    private McpRpcException invalidParams(String method, String rule, JsonNode value) {
        String found = "it is missing";
        if (value != null) {
            String json = value.toString();
            found = "not " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                    + (json.length() <= 80 ? json : json.substring(0, 80) + "...");
        }
        return new McpRpcException(settings.id(), method, INVALID_PARAMS, rule + ", " + found, null);
    }

    /** The detail is masked here: it may quote the server, and the event's listeners (history, console) may not mask. */
    private void publishState(String state, String detail) {
        environment.publish(new McpServerEvent.StateChanged(settings.id(), state, masked(detail), Instant.now()));
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(true);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
