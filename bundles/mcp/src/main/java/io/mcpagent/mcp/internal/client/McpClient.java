package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.mcp.internal.McpServerComponent;

/**
 * Our MCP client for both protocol eras over any {@link Transport}.
 * <p>
 * Legacy era (2024-11-05 .. 2025-11-25): initialize, version check, initialized, sessions; server-to-client
 * requests (ping, roots, sampling, elicitation) answered. Modern era (2026-07-28): no handshake; every request
 * carries {@code _meta} with version, capabilities and client info; -32022 is answered by retrying with a version
 * both sides speak; {@code input_required} results are fulfilled and the request retried with a new id, the
 * responses and the server's {@code requestState} verbatim. Which era a server speaks is probed once with
 * {@code server/discover}: a result or a modern error means modern, anything else (or a timeout) legacy.
 * <p>
 * Calls block the calling thread. Each has a timeout that restarts when progress or an answer arrives and an overall
 * cap, shared by all the call takes ({@link CallTimer}); on timeout or interruption the request is cancelled
 * ({@code notifications/cancelled}, and on HTTP the response stream is closed) and a late answer is ignored.
 */
public final class McpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpClient.class);

    public static final String MODERN_VERSION = "2026-07-28";
    /** Newest first: the version we ask for in initialize, then those we accept. */
    public static final List<String> LEGACY_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_VERSION = -32022;
    /**
     * How long past its timeout {@link #ping} waits for a ping: that timeout starts once the ping is sent, and its
     * failure, which can say more (answers matching no request, say), comes first unless the sending is held up.
     */
    private static final Duration PING_SENDING_GRACE = Duration.ofSeconds(1);
    private static final String META_PREFIX = "io.modelcontextprotocol/";
    private static final int MAX_INPUT_ROUNDS = 8;
    private static final int MAX_LIST_PAGES = 1000;
    /** Requests of the server answered at once; more are refused. */
    static final int MAX_SERVER_REQUESTS = 16;
    /** A subscription stream lives as long as the connection. */
    private static final Duration LISTEN_TIMEOUT = Duration.ofDays(3650);

    /** What the client asks its owner for: answers to server requests and the notifications it receives. */
    public interface Callbacks {
        /** Answers sampling/createMessage; throw {@link McpRpcException} to refuse. */
        default JsonNode createMessage(JsonNode params) {
            throw new McpRpcException("client", "sampling/createMessage", METHOD_NOT_FOUND,
                    "sampling is not configured for this server", null);
        }

        /** Answers elicitation/create with {@code {action, content}}. */
        default JsonNode elicit(JsonNode params) {
            throw new McpRpcException("client", "elicitation/create", METHOD_NOT_FOUND,
                    "elicitation is not configured for this server", null);
        }

        default void onNotification(String method, JsonNode params) {
        }

        default void onProgress(String method, JsonNode params) {
        }

        /**
         * The connection broke without {@link McpClient#close()}, or the client closed itself as broken (a legacy
         * session it could not renew); the owner decides whether to reconnect.
         */
        default void onDisconnected(Exception cause) {
        }

        /**
         * The server refused a call with -32020: the x-mcp-header mappings of its tools changed. Lists them again on
         * {@code client} before the call is retried; an owner that caches the tools lists through its cache, so that
         * the cache agrees with the headers and calls meeting the mismatch together cost one listing.
         */
        default void toolsOutdated(McpClient client) {
            client.listTools();
        }
    }

    /** Transports the client may try in turn: Streamable HTTP first, legacy HTTP+SSE when initialize is refused. */
    public interface TransportFactory {
        Transport primary();

        /** The legacy HTTP+SSE fallback, or null when there is none. */
        default Transport fallback() {
            return null;
        }
    }

    /** {@code unmatchedBefore}: how many answers matched no request when this one was sent. */
    private record Pending(String method, CompletableFuture<JsonNode> future, CallTimer timer, String progressToken,
                           Transport.Exchange[] exchange, long unmatchedBefore) {
    }

    private final String serverId;
    private final ClientOptions options;
    private final Callbacks callbacks;
    private final ObjectMapper mapper;
    private final TransportFactory transports;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, ToolInfo> tools = new ConcurrentHashMap<>();
    /** The tool fields of a wrong JSON type logged already; this connection's unless shared. */
    private volatile ToolFieldReports toolFieldReports = new ToolFieldReports();
    private final ReentrantLock handshake = new ReentrantLock();
    /**
     * The renewal of an expired legacy session under way, or the last one (done); calls wait for one under way before
     * they are sent, so that none goes out without a session or with the expired one.
     */
    private volatile CompletableFuture<Void> sessionRenewal = CompletableFuture.completedFuture(null);
    private final Object renewalStart = new Object();
    /** Run by a call about to wait for a renewal under way: tests learn so that the call is held by it. */
    private volatile Runnable awaitingRenewal = () -> { };
    private final Semaphore serverRequests = new Semaphore(MAX_SERVER_REQUESTS);
    private final AtomicBoolean refusedServerRequests = new AtomicBoolean();
    private final AtomicLong unmatchedAnswers = new AtomicLong();
    private volatile String lastUnmatchedAnswer;
    private volatile Transport transport;
    private volatile boolean modern;
    private volatile String protocolVersion;
    private volatile JsonNode serverInfo;
    private volatile JsonNode serverCapabilities;
    private volatile String instructions;
    private volatile boolean closed;
    /** Why {@link #close(String)} was called, so calls it cuts off can tell their caller. */
    private volatile String closeReason;
    private volatile boolean connected;
    private volatile Collection<String> heldSecrets = List.of();

    public McpClient(String serverId, ClientOptions options, TransportFactory transports, Callbacks callbacks,
                     ObjectMapper mapper) {
        this.serverId = serverId;
        this.options = options;
        this.transports = transports;
        this.callbacks = callbacks;
        this.mapper = mapper;
    }

    /**
     * The server's secret values (its credential headers, its {@code ${env:}} values), masked with the patterns in
     * what the client logs or answers of a failed server request: a sampling provider's error may quote a key.
     */
    public McpClient heldSecrets(Collection<String> values) {
        this.heldSecrets = List.copyOf(values);
        return this;
    }

    /**
     * Where the tool fields of a wrong JSON type logged already are kept: an owner that connects again and again shares
     * one, so that each is logged once for the server, not once per connection.
     */
    public McpClient toolFieldReports(ToolFieldReports shared) {
        this.toolFieldReports = shared;
        return this;
    }

    /** For tests: {@code hook} runs on the thread of each call about to wait for a session renewal under way. */
    void onAwaitingRenewal(Runnable hook) {
        this.awaitingRenewal = hook;
    }

    // ---------------------------------------------------------------- connecting

    /** Connects, detects the era (unless configured) and completes the handshake the era needs. */
    public void connect() {
        Transport primary = transports.primary();
        try {
            open(primary);
            if (!options.era().equals("legacy") && tryModern()) {
                connected = true;
                listenForChanges();
                return;
            }
            if (options.era().equals("modern")) {
                throw new McpException(serverId, "server does not speak protocol " + MODERN_VERSION
                        + " (server/discover failed); set protocol to auto or legacy");
            }
            try {
                initialize(LEGACY_VERSIONS.get(0), options.initTimeout());
            } catch (McpException e) {
                Transport fallback = transports.fallback();
                if (fallback == null || !(e.getCause() instanceof HttpStatusException status)
                        || status.status() < 400 || status.status() >= 500) {
                    throw e;
                }
                LOG.info("MCP server '{}' refused Streamable HTTP ({}); trying legacy HTTP+SSE", serverId, status.status());
                primary.close();
                open(fallback);
                initialize(LEGACY_VERSIONS.get(0), options.initTimeout());
            }
            connected = true;
        } catch (RuntimeException e) {
            // the caller learns of the failure now: ending a server that hangs (the stdio ladder: stdin closed, then
            // SIGTERM, each waited for up to a grace period) goes on without it; a tool call waited for it too
            Transport failed = markClosed("the connect failed");
            if (failed != null) {
                Thread.ofVirtual().name("mcp-" + serverId + "-close").start(failed::close);
            }
            throw e;
        }
    }

    private void open(Transport candidate) {
        transport = candidate;
        try {
            candidate.start(new Inbound(candidate));
        } catch (IOException e) {
            throw new McpException(serverId, "cannot connect over " + candidate.kind() + ": " + e.getMessage(), e);
        }
    }

    private boolean tryModern() {
        modern = true;
        protocolVersion = MODERN_VERSION;
        transport.protocolVersion(MODERN_VERSION);
        Duration probe = options.era().equals("modern") ? options.initTimeout()
                : min(options.initTimeout(), options.eraProbeTimeout());
        long started = System.nanoTime();
        JsonNode discovered;
        try {
            discovered = discover(probe, started);
        } catch (McpRpcException e) {
            if (e.code() == UNSUPPORTED_VERSION) {
                // request() already retried with a version from the server's list; that failing means legacy.
                LOG.debug("MCP server '{}': no shared modern version: {}", serverId, e.getMessage());
            }
            return legacyEra();
        } catch (McpException e) {
            if (options.era().equals("modern")) {
                throw e;
            }
            LOG.debug("MCP server '{}' did not answer server/discover ({}); using the legacy handshake", serverId,
                    e.getMessage());
            return legacyEra();
        }
        // A result is a modern server's answer: one it cannot use is its mistake, said as it is, not a legacy server.
        if (!discovered.isObject()) {
            throw new McpException(serverId, "server answered server/discover with " + shown(discovered)
                    + ", not an object");
        }
        serverInfo = discovered.path("serverInfo");
        serverCapabilities = discovered.path("capabilities");
        instructions = discovered.path("instructions").asText(null);
        JsonNode supported = discovered.path("supportedVersions");
        if (supported.isArray() && supported.size() > 0 && !contains(supported, MODERN_VERSION)) {
            if (firstLegacy(supported) == null) {
                throw new McpException(serverId, "server supports only protocol versions " + supported
                        + "; this client speaks " + MODERN_VERSION + " and " + LEGACY_VERSIONS);
            }
            return legacyEra();
        }
        LOG.info("MCP server '{}' speaks {} ({})", serverId, MODERN_VERSION, serverInfo.path("name").asText("?"));
        return true;
    }

    /**
     * Sends server/discover within {@code probe}. A probe whose sending outlasted it in an OAuth challenge learned that
     * the server speaks HTTP with authorization, not that it lacks server/discover: it is sent once more, the
     * challenge going on, with what is left of initTimeout for its sending and its answer, so that a slow challenge
     * does not make a modern server legacy.
     */
    private JsonNode discover(Duration probe, long started) {
        try {
            return request("server/discover", mapper.createObjectNode(), CallTimer.startingNow(probe, probe), false);
        } catch (McpException e) {
            Duration left = options.initTimeout().minusNanos(System.nanoTime() - started);
            if (!(e.getCause() instanceof SendingTimedOutException) || left.isNegative() || left.isZero()) {
                throw e;
            }
            LOG.debug("MCP server '{}': {}; probing again within the rest of initTimeout", serverId, e.getMessage());
            return request("server/discover", mapper.createObjectNode(), CallTimer.startingNow(left, left), false);
        }
    }

    /** The server is taken as one of the legacy era, for the initialize handshake. */
    private boolean legacyEra() {
        modern = false;
        protocolVersion = null;
        transport.protocolVersion(null);
        return false;
    }

    /**
     * Modern era: list-changed notifications arrive on a {@code subscriptions/listen} request that stays open; it is
     * reopened (with backoff) whenever it ends, until the client closes.
     */
    private void listenForChanges() {
        if (!serverCapabilities.path("tools").path("listChanged").asBoolean(false)) {
            return;
        }
        Thread.ofVirtual().name("mcp-" + serverId + "-listen").start(() -> {
            long backoff = 1000;
            while (!closed) {
                ObjectNode params = mapper.createObjectNode();
                params.putObject("notifications").put("toolsListChanged", true);
                try {
                    request("subscriptions/listen", params, CallTimer.startingNow(LISTEN_TIMEOUT, LISTEN_TIMEOUT), false);
                    backoff = 1000;
                } catch (McpException e) {
                    if (closed) {
                        return;
                    }
                    LOG.debug("subscription stream of MCP server '{}' ended: {}", serverId, e.getMessage());
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(30_000, backoff * 2);
            }
        });
    }

    private void initialize(String version, Duration timeout) {
        handshake.lock();
        try {
            modern = false;
            ObjectNode params = mapper.createObjectNode();
            params.put("protocolVersion", version);
            params.set("capabilities", capabilities());
            params.set("clientInfo", clientInfo());
            JsonNode result = request("initialize", params, CallTimer.startingNow(timeout, timeout), false);
            // said as it is: read leniently, a result 42 or one without a version was "protocol version ''"
            if (!result.isObject()) {
                throw new McpException(serverId, "server answered initialize with " + shown(result) + ", not an object");
            }
            JsonNode answered = result.get("protocolVersion");
            if (answered == null || !answered.isTextual()) {
                throw new McpException(serverId, "server answered initialize " + (answered == null
                        ? "without a protocolVersion" : "with a protocolVersion that is " + shown(answered) + ", not a string")
                        + ": " + StdioTransport.abbreviate(masked(result.toString())));
            }
            String agreed = answered.textValue();
            if (!LEGACY_VERSIONS.contains(agreed)) {
                throw new McpException(serverId, "server answered initialize with protocol version '" + agreed
                        + "', which this client does not speak (" + LEGACY_VERSIONS + ")");
            }
            protocolVersion = agreed;
            serverInfo = result.path("serverInfo");
            serverCapabilities = result.path("capabilities");
            instructions = result.path("instructions").asText(null);
            transport.protocolVersion(agreed);
            notify("notifications/initialized", mapper.createObjectNode());
            transport.sessionEstablished(!capabilities().isEmpty());
            LOG.info("MCP server '{}' initialized: {} {} over {}, protocol {}", serverId,
                    serverInfo.path("name").asText("?"), serverInfo.path("version").asText(""), transport.kind(), agreed);
        } finally {
            handshake.unlock();
        }
    }

    private ObjectNode capabilities() {
        ObjectNode capabilities = mapper.createObjectNode();
        if (options.roots() != null) {
            capabilities.putObject("roots").put("listChanged", true);
        }
        if (options.sampling()) {
            capabilities.putObject("sampling");
        }
        if (options.elicitation()) {
            capabilities.putObject("elicitation").putObject("form");
        }
        return capabilities;
    }

    private ObjectNode clientInfo() {
        ObjectNode info = mapper.createObjectNode();
        info.put("name", options.clientName());
        info.put("version", options.clientVersion());
        return info;
    }

    // ---------------------------------------------------------------- the operations

    /**
     * All tools (following {@code nextCursor}); tools with invalid {@code x-mcp-header} annotations are dropped, as are
     * tools without a name and every later tool of a name listed already (a name must call one tool). Each
     * page is bounded by {@code maxMessageBytes}, and so are all pages together (tools and cursors as JSON): a server
     * whose cursors never end must not fill the heap page by page. A cursor that comes again is a loop, not more tools.
     */
    public List<ToolInfo> listTools() {
        List<ToolInfo> listed = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        Set<String> names = new HashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        List<String> schemaless = new ArrayList<>();
        int nameless = 0;
        long listedBytes = 0;
        String cursor = null;
        int pages = 0;
        do {
            ObjectNode params = mapper.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode result = call("tools/list", params);
            pages++;
            JsonNode page = result.get("tools");
            if (page == null || !page.isArray()) {
                throw new ServerOutputException(serverId, "tools/list: the answer has no tools array: "
                        + StdioTransport.abbreviate(masked(result.toString())));
            }
            for (JsonNode tool : page) {
                listedBytes += jsonBytes(tool);
                if (listedBytes > options.maxMessageBytes()) {
                    throw new ServerOutputException(serverId, "tools/list: the tools of " + pages + (pages == 1 ? " page" : " pages")
                            + " take more than maxMessageBytes (" + options.maxMessageBytes() + " bytes) in all; raise it in "
                            + configuredIn() + " if the server really has that many");
                }
                JsonNode name = tool.get("name");
                if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
                    nameless++;
                } else if (!names.add(name.textValue())) {
                    repeated.add(name.textValue());
                } else {
                    ToolInfo info = toolInfo(name.textValue(), tool);
                    if (info != null && !tool.path("inputSchema").isObject()) {
                        schemaless.add(info.name());
                    }
                    if (info != null) {
                        listed.add(info);
                    }
                }
            }
            JsonNode next = result.get("nextCursor");
            cursor = next != null && next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
            if (cursor != null) {
                listedBytes += cursor.getBytes(StandardCharsets.UTF_8).length;
                if (!cursors.add(cursor)) {
                    throw new ServerOutputException(serverId, "tools/list: the server's pagination loops: page " + pages
                            + " gave the cursor '" + StdioTransport.abbreviate(masked(cursor)) + "' again");
                }
                if (pages == MAX_LIST_PAGES) {
                    throw new ServerOutputException(serverId, "tools/list: the server's pagination did not end after "
                            + MAX_LIST_PAGES + " pages");
                }
            }
        } while (cursor != null);
        if (nameless > 0 || !repeated.isEmpty()) {
            // one line per listing: a server listing thousands of such tools must not flood the log
            LOG.warn("MCP server '{}' listed {} tools without a name and {} names more than once {}; ignored: the"
                    + " nameless tools and each later tool of a name", serverId, nameless, repeated.size(),
                    StdioTransport.abbreviate(masked(repeated.toString())));
        }
        if (!schemaless.isEmpty()) {
            // a tool must declare an object schema; the model then sees one without properties, so say which
            LOG.warn("MCP server '{}' listed {} tools whose inputSchema is missing or no object; given {\"type\":"
                    + "\"object\"}: {}", serverId, schemaless.size(), StdioTransport.abbreviate(masked(schemaless.toString())));
        }
        tools.clear();
        listed.forEach(tool -> tools.put(tool.name(), tool));
        return List.copyOf(listed);
    }

    private long jsonBytes(JsonNode value) {
        try {
            return mapper.writeValueAsBytes(value).length;
        } catch (IOException e) {
            throw new McpException(serverId, "tools/list: a tool cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private ToolInfo toolInfo(String name, JsonNode tool) {
        JsonNode input = tool.path("inputSchema");
        Map<String, String> headers;
        try {
            headers = ModernHeaders.parameterHeaders(input);
        } catch (IllegalArgumentException invalid) {
            if (modern) {
                LOG.warn("MCP server '{}': tool '{}' dropped: {}", serverId, name, invalid.getMessage());
                return null;
            }
            headers = Map.of();
        }
        String title = text(name, tool, "title", "");
        String description = text(name, tool, "description", "");
        JsonNode output = object(name, tool, "outputSchema", "");
        return new ToolInfo(name, title, description == null ? "" : description,
                input.isObject() ? wellFormed(name, (ObjectNode) input)
                        : mapper.createObjectNode().put("type", "object"),
                output, headers, annotations(name, tool));
    }

    /**
     * The input schema without its members of the wrong shape ({@code properties} no object, a property's schema
     * neither an object nor a boolean, {@code required} no array of names) and with {@code "type": "object"} for any
     * other type: a provider refuses a request with a malformed tool schema (OpenAI: "Invalid schema for function"),
     * which failed every model call of an agent bound to the server. Each is logged as a tool's other fields are; the
     * server still judges the arguments it is sent.
     */
    private ObjectNode wellFormed(String tool, ObjectNode schema) {
        JsonNode type = schema.get("type");
        JsonNode properties = schema.get("properties");
        JsonNode required = schema.get("required");
        boolean typeWrong = type != null && !"object".equals(type.textValue());
        boolean propertiesWrong = properties != null
                && !(properties.isObject() && properties.valueStream().allMatch(McpClient::isSchema));
        boolean requiredWrong = required != null
                && !(required.isArray() && required.valueStream().allMatch(JsonNode::isTextual));
        if (!typeWrong && !propertiesWrong && !requiredWrong) {
            return schema; // as nearly every schema: no copy
        }
        ObjectNode kept = schema.deepCopy();
        if (typeWrong) {
            reportIgnored(tool, "inputSchema.type", type, "\"object\"");
            kept.put("type", "object");
        }
        if (propertiesWrong && object(tool, schema, "properties", "inputSchema.") == null) {
            kept.remove("properties");
        } else if (propertiesWrong) {
            ObjectNode keptProperties = (ObjectNode) kept.get("properties");
            properties.properties().stream().filter(property -> !isSchema(property.getValue())).forEach(property -> {
                reportIgnored(tool, "inputSchema.properties." + property.getKey(), property.getValue(),
                        "a schema (an object)");
                keptProperties.remove(property.getKey());
            });
        }
        if (requiredWrong && given(tool, schema, "inputSchema.", "required", JsonNodeType.ARRAY, "an array") == null) {
            kept.remove("required");
        } else if (requiredWrong) {
            reportIgnored(tool, "inputSchema.required", required, "an array of property names");
            ArrayNode names = kept.putArray("required");
            required.valueStream().filter(JsonNode::isTextual).forEach(names::add);
        }
        return kept;
    }

    /** A JSON Schema: an object, or true or false (any value, none). */
    private static boolean isSchema(JsonNode value) {
        return value.isObject() || value.isBoolean();
    }

    private ToolAnnotations annotations(String name, JsonNode tool) {
        JsonNode annotations = object(name, tool, "annotations", "");
        if (annotations == null) {
            return ToolAnnotations.NONE;
        }
        return new ToolAnnotations(text(name, annotations, "title", "annotations."),
                bool(name, annotations, "readOnlyHint"), bool(name, annotations, "destructiveHint"),
                bool(name, annotations, "idempotentHint"), bool(name, annotations, "openWorldHint"));
    }

    /*
     * A tool's optional fields of the JSON type the spec gives them; absent (or JSON null) they are null. A server may
     * send anything: a value of another type (a hint "true", a title [..]) is ignored and the tool kept, as one bad
     * hint does not make the tool unusable; it is logged once per tool and field (see ToolFieldReports), as
     * servers list their tools again on every change and reconnect.
     */

    private String text(String tool, JsonNode owner, String field, String prefix) {
        JsonNode value = given(tool, owner, prefix, field, JsonNodeType.STRING, "a string");
        return value == null ? null : value.textValue();
    }

    private JsonNode object(String tool, JsonNode owner, String field, String prefix) {
        return given(tool, owner, prefix, field, JsonNodeType.OBJECT, "an object");
    }

    private Boolean bool(String tool, JsonNode annotations, String hint) {
        JsonNode value = given(tool, annotations, "annotations.", hint, JsonNodeType.BOOLEAN, "true or false");
        return value == null ? null : value.booleanValue();
    }

    /** The field of {@code owner} (named {@code prefix + field} in the log) when it is of that type, else null. */
    private JsonNode given(String tool, JsonNode owner, String prefix, String field, JsonNodeType type,
                           String expected) {
        JsonNode value = owner.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.getNodeType() == type) {
            return value;
        }
        reportIgnored(tool, prefix + field, value, expected);
        return null;
    }

    /** Logs a field of a tool that is ignored for its value, once per tool and field. */
    private void reportIgnored(String tool, String field, JsonNode value, String expected) {
        OptionalLong report = toolFieldReports.report(tool, field);
        if (report.isPresent()) {
            String json = value.toString();
            LOG.warn("MCP server '{}': tool '{}': its {} is {} {}, not {}; ignored, the tool is kept without it{}",
                    serverId, StdioTransport.abbreviate(masked(tool)), field,
                    value.getNodeType().name().toLowerCase(Locale.ROOT),
                    masked(json.length() <= 80 ? json : json.substring(0, 80) + "..."), expected,
                    report.getAsLong() == 0 ? "" : " (" + report.getAsLong() + " more such fields not logged: too many"
                            + " tools with them, at most one logged a minute)");
        }
    }

    /** Calls a tool and returns its raw result ({@code content}, {@code structuredContent}, {@code isError}). */
    public JsonNode callTool(String name, JsonNode arguments, Duration timeout, Duration maxTime) {
        return callTool(name, arguments, CallTimer.startingNow(timeout, maxTime));
    }

    /** {@link #callTool(String, JsonNode, Duration, Duration)} within the time of a call that began already. */
    public JsonNode callTool(String name, JsonNode arguments, CallTimer timer) {
        ObjectNode params = mapper.createObjectNode();
        params.put("name", name);
        params.set("arguments", arguments == null || arguments.isNull() ? mapper.createObjectNode() : arguments);
        try {
            return request("tools/call", params, timer, true);
        } catch (McpRpcException e) {
            if (modern && e.code() == HEADER_MISMATCH) {
                // Our cached schema is stale: the server's x-mcp-header mapping changed.
                callbacks.toolsOutdated(this);
                return request("tools/call", params, timer, true);
            }
            throw e;
        }
    }

    /** Any request with the default timeouts; for resources, prompts and the like. */
    public JsonNode call(String method, ObjectNode params) {
        return call(method, params, CallTimer.startingNow(options.requestTimeout(), options.maxCallTime()));
    }

    /** {@link #call(String, ObjectNode)} within the time of a call that began already. */
    public JsonNode call(String method, ObjectNode params, CallTimer timer) {
        return request(method, params, timer, false);
    }

    /**
     * A liveness check: ping in the legacy era, a cheap list call in the modern one (which has no ping). It fails
     * within {@code timeout} and {@link #PING_SENDING_GRACE} even when its sending is held up where the transport does
     * not bound it (an HTTP sending is bounded, OAuth challenges included, and so is a stdio write, the server that does
     * not read it being killed): the new handshake of an expired session. The ping then left waiting ends with that
     * sending, at once when the caller closes this client (as the health check does).
     */
    public void ping(Duration timeout) {
        String method = modern ? "server/discover" : "ping";
        CompletableFuture<JsonNode> ping = CompletableFuture.supplyAsync(
                () -> request(method, mapper.createObjectNode(), CallTimer.startingNow(timeout, timeout), false),
                work -> Thread.ofVirtual().name("mcp-" + serverId + "-ping").start(work));
        Duration bound = timeout.plus(PING_SENDING_GRACE);
        try {
            ping.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new McpException(serverId, method + " got no answer within " + bound.toMillis()
                    + " ms (its sending was held up)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // as it would have been thrown in the caller's thread, its answer (McpRpcException) too
            }
            throw new McpException(serverId, method + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(serverId, method + " cancelled (interrupted)");
        }
    }

    /** Tells a legacy server the roots changed (modern servers ask for roots inside each request instead). */
    public void rootsChanged() {
        if (!modern && connected && options.roots() != null) {
            notify("notifications/roots/list_changed", mapper.createObjectNode());
        }
    }

    // ---------------------------------------------------------------- requests

    /** The rounds of an input_required request share its {@code timer}: a server asking again gets no more time. */
    JsonNode request(String method, ObjectNode params, CallTimer timer, boolean withProgress) {
        ObjectNode current = params;
        for (int round = 0; ; round++) {
            JsonNode result;
            try {
                result = requestOnce(method, current, timer, withProgress);
            } catch (NotSentException notSent) {
                if (round == 0) {
                    throw notSent;
                }
                // the server saw the rounds before, which may have begun the work: it is no unsent call
                throw new McpException(serverId, withoutServerName(notSent) + " (round " + (round + 1)
                        + " of the call, whose earlier rounds the server answered)", notSent);
            }
            String resultType = result.path("resultType").asText("complete");
            if (resultType.equals("complete")) {
                return result;
            }
            if (!resultType.equals("input_required")) {
                throw new McpException(serverId, method + " returned unknown resultType '" + resultType + "'");
            }
            if (round >= MAX_INPUT_ROUNDS) {
                throw new McpException(serverId, method + " still requires input after " + MAX_INPUT_ROUNDS + " rounds");
            }
            current = retryWithInput(method, params, result);
        }
    }

    /**
     * The retry of an input_required request: the original params plus this round's responses and state only. A round
     * asks at most {@link #MAX_SERVER_REQUESTS} inputs, as many as the legacy era answers at once: each may be a model
     * call, and they are answered one after the other.
     */
    private ObjectNode retryWithInput(String method, ObjectNode original, JsonNode result) {
        JsonNode requests = result.get("inputRequests");
        if (requests == null || !requests.isObject()) {
            throw new ServerOutputException(serverId, method + " returned input_required without an inputRequests"
                    + " object: " + StdioTransport.abbreviate(masked(String.valueOf(requests))));
        }
        if (requests.size() > MAX_SERVER_REQUESTS) {
            throw new ServerOutputException(serverId, method + " returned input_required asking " + requests.size()
                    + " inputs at once; this client answers at most " + MAX_SERVER_REQUESTS + " per round");
        }
        ObjectNode retry = original.deepCopy();
        retry.remove("_meta");
        ObjectNode responses = retry.putObject("inputResponses");
        for (Map.Entry<String, JsonNode> request : requests.properties()) {
            String asked = request.getValue().path("method").asText("");
            responses.set(request.getKey(), answerInput(method, asked, request.getValue().path("params")));
        }
        JsonNode state = result.get("requestState");
        if (state != null && !state.isNull()) {
            retry.set("requestState", state);
        }
        return retry;
    }

    /**
     * One input of an input_required round. An elicitation this client refuses (one that is no form, say) is declined,
     * a valid answer, so that it fails no more than that input, as the legacy era's error to that request does; the
     * other refusals have no such answer and fail the call, saying why.
     */
    private JsonNode answerInput(String method, String asked, JsonNode params) {
        try {
            return answerServerRequest(asked, params);
        } catch (McpRpcException refused) {
            if (!asked.equals("elicitation/create")) {
                throw refused;
            }
            LOG.warn("MCP server '{}' asked for an elicitation in {} that this client refuses, declined: {}", serverId,
                    method, masked(refused.rpcMessage()));
            return mapper.createObjectNode().put("action", "decline");
        }
    }

    /**
     * One exchange; a legacy session that expired under it is initialized anew and the request sent again, both within
     * what is left of its {@code timer}: an expired session gives a call no more time. A call meeting a renewal under
     * way (sent during it, or its expiry met during it) waits for it within its own time and goes out with the new
     * session, or fails with the renewal's reason.
     */
    private JsonNode requestOnce(String method, ObjectNode params, CallTimer timer, boolean withProgress) {
        boolean renewable = !modern && !method.equals("initialize");
        CompletableFuture<Void> sentUnder = renewable ? awaitSessionRenewal(method, timer) : null;
        try {
            return exchange(method, params, timer, withProgress);
        } catch (SessionExpiredException expired) {
            if (!renewable) {
                throw new McpException(serverId, method + ": " + expired.getMessage(), expired);
            }
            renewSession(method, timer, expired, sentUnder);
            try {
                return exchange(method, params, timer, withProgress);
            } catch (SessionExpiredException again) {
                throw new McpException(serverId, method + ": session expired again right after initialize", again);
            }
        }
    }

    /** Waits for a renewal under way, within {@code timer}; returns the renewal the call is sent under. */
    private CompletableFuture<Void> awaitSessionRenewal(String method, CallTimer timer) {
        CompletableFuture<Void> renewal = sessionRenewal;
        if (renewal.isDone() && !renewal.isCompletedExceptionally()) {
            return renewal;
        }
        try {
            if (!renewal.isDone()) {
                awaitingRenewal.run();
            }
            renewal.get(Math.max(0, timer.nanosLeft(System.nanoTime())), TimeUnit.NANOSECONDS);
            return renewal;
        } catch (TimeoutException e) {
            throw timedOut(method, timer, System.nanoTime(), " waiting for the new session of an expired one");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(serverId, method + " cancelled (interrupted)");
        } catch (ExecutionException e) {
            McpException failed = (McpException) e.getCause();
            throw new McpException(serverId, method + ": " + withoutServerName(failed), failed);
        }
    }

    /**
     * Renews the session that expired under a call sent under {@code sentUnder}; a renewal begun since (under way or
     * done) is the call's too: a second initialize would replace the session the first one made for the calls
     * waiting on it.
     */
    private void renewSession(String method, CallTimer timer, SessionExpiredException expired,
                              CompletableFuture<Void> sentUnder) {
        CompletableFuture<Void> renewal;
        synchronized (renewalStart) {
            if (sessionRenewal != sentUnder) {
                renewal = null;
            } else if (timer.left().isZero()) {
                throw timedOut(method, timer, System.nanoTime(),
                        " (its session expired, and no time was left for a new one)");
            } else {
                renewal = new CompletableFuture<>();
                sessionRenewal = renewal;
            }
        }
        if (renewal == null) {
            LOG.debug("MCP server '{}': {} for {}; waiting for the new session", serverId, expired.getMessage(), method);
            awaitSessionRenewal(method, timer);
            return;
        }
        LOG.info("MCP server '{}': {}; initializing a new session", serverId, expired.getMessage());
        try {
            transport.resetSession();
            initialize(LEGACY_VERSIONS.get(0), min(options.initTimeout(), timer.left()));
            renewal.complete(null);
        } catch (McpException failed) {
            if (closed) {
                renewal.completeExceptionally(failed);
                throw failed; // cut off, saying why as every call the close cuts off does
            }
            // Left open, the client would send its next requests without a session: it is closed and reported
            // lost, so that the server is connected anew (and its health says why).
            String why = "its session expired, and a new one could not be initialized: " + withoutServerName(failed);
            close(why);
            renewal.completeExceptionally(new McpException(serverId, why, failed));
            McpException failure = new McpException(serverId, method + ": " + why, failed);
            callbacks.onDisconnected(failure);
            throw failure;
        } finally {
            if (!renewal.isDone()) {
                renewal.completeExceptionally(new McpException(serverId, "its session expired, and renewing it failed"));
            }
        }
    }

    private JsonNode exchange(String method, ObjectNode params, CallTimer timer, boolean withProgress)
            throws SessionExpiredException {
        return exchange(method, params, timer, withProgress, false);
    }

    private JsonNode exchange(String method, ObjectNode params, CallTimer timer, boolean withProgress,
                              boolean versionRetried) throws SessionExpiredException {
        if (closed) {
            throw new NotSentException(serverId, method + " not sent: " + closeReason);
        }
        long id = ids.incrementAndGet();
        String key = Long.toString(id);
        ObjectNode message = mapper.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        ObjectNode sentParams = params.deepCopy();
        String progressToken = null;
        if (withProgress) {
            progressToken = serverId + "-" + id;
            meta(sentParams).put("progressToken", progressToken);
        }
        if (modern) {
            addModernMeta(sentParams);
        }
        message.set("params", sentParams);
        // Its sending (an OAuth challenge of a 401, say) takes from the call's time too.
        long now = System.nanoTime();
        long left = timer.nanosLeft(now);
        if (left <= 0) {
            throw timedOut(method, timer, now, " before it could be sent");
        }
        // whole milliseconds, as the transports' messages name it: a fresh call's 500 ms, not 499
        Duration sending = Duration.ofMillis(Math.ceilDiv(left, 1_000_000L));
        Pending call = new Pending(method, new CompletableFuture<>(), timer, progressToken, new Transport.Exchange[1],
                unmatchedAnswers.get());
        pending.put(key, call);
        try {
            try {
                call.exchange()[0] = transport.send(message, outgoing(method, sentParams, sending));
            } catch (SessionExpiredException expired) {
                throw expired;
            } catch (AnswerTimedOutException e) {
                // the server has the request: awaited, so an answer already in counts and a missing one is cancelled
                LOG.debug("MCP server '{}': {} got {}", serverId, method, e.getMessage());
            } catch (SendingTimedOutException e) {
                throw new McpException(serverId, method + " timed out after " + timer.limit().toMillis()
                        + " ms while being sent: " + e.getMessage(), e);
            } catch (java.io.InterruptedIOException e) {
                Thread.currentThread().interrupt();
                throw new McpException(serverId, method + " cancelled (interrupted)", e);
            } catch (MessageTooLargeException e) {
                throw new McpException(serverId, method + ": " + e.getMessage(), e);
            } catch (IOException e) {
                if (closed) {
                    // close() aborted the send: the call fails as those it cut off while awaiting their answer do
                    throw cutOff(e);
                }
                throw new McpException(serverId, method + " could not be sent over " + transport.kind() + ": "
                        + e.getMessage(), e);
            }
            return await(id, call);
        } catch (McpRpcException e) {
            if (modern && e.code() == UNSUPPORTED_VERSION && !versionRetried) {
                String shared = sharedVersion(e);
                if (shared != null) {
                    protocolVersion = shared;
                    transport.protocolVersion(shared);
                    return exchange(method, params, timer, withProgress, true);
                }
            }
            throw e;
        } finally {
            pending.remove(key);
        }
    }

    private String sharedVersion(McpRpcException e) {
        try {
            JsonNode supported = e.dataJson() == null ? null : mapper.readTree(e.dataJson()).path("supported");
            return supported != null && contains(supported, MODERN_VERSION) ? MODERN_VERSION : null;
        } catch (IOException invalid) {
            return null;
        }
    }

    private JsonNode await(long id, Pending call) {
        while (true) {
            long now = System.nanoTime();
            long wait = call.timer().nanosLeft(now);
            if (wait <= 0 && !call.future().isDone()) {
                cancel(id, call, "timeout");
                String stray = call.method().equals("initialize") ? transport.strayOutput() : null;
                long unmatched = unmatchedAnswers.get() - call.unmatchedBefore();
                throw timedOut(call.method(), call.timer(), now, (stray == null ? "" : "; " + stray)
                        + (unmatched == 0 ? "" : "; meanwhile the server sent " + unmatched + (unmatched == 1
                                ? " message that answers" : " messages that answer") + " no request in flight, the last: "
                                + lastUnmatchedAnswer));
            }
            try {
                return call.future().get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // loop: progress may have moved the idle deadline
            } catch (InterruptedException e) {
                cancel(id, call, "cancelled by the caller");
                Thread.currentThread().interrupt();
                throw new McpException(serverId, call.method() + " cancelled");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof McpException failure) {
                    throw failure;
                }
                throw new McpException(serverId, call.method() + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** {@code detail} follows the time, as in "tools/call timed out after 500 ms in all; ...". */
    private McpException timedOut(String method, CallTimer timer, long now, String detail) {
        return new McpException(serverId, method + " timed out after " + (timer.capped(now) ? timer.maxTime().toMillis()
                + " ms in all" : timer.timeout().toMillis() + " ms without an answer") + timer.slotWait() + detail);
    }

    /** The failure's own words, without the "MCP server 'x': " that the message it goes into repeats. */
    private String withoutServerName(McpException failure) {
        String prefix = "MCP server '" + serverId + "': ";
        String message = failure.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private void cancel(long id, Pending call, String reason) {
        pending.remove(Long.toString(id));
        if (call.method().equals("initialize")) {
            return; // the spec forbids cancelling initialize
        }
        Transport.Exchange exchange = call.exchange()[0];
        if (exchange != null) {
            exchange.cancel();
        }
        if (closed) {
            return;
        }
        ObjectNode params = mapper.createObjectNode();
        params.put("requestId", id);
        params.put("reason", reason);
        // Sent in the background: a server that does not take it (an HTTP POST without response headers, a full stdin
        // pipe) would otherwise hold the caller, whose call has already failed, for another request timeout.
        Thread.ofVirtual().name("mcp-" + serverId + "-cancel").start(() -> {
            try {
                notify("notifications/cancelled", params);
            } catch (McpException e) {
                LOG.debug("could not cancel request {} at '{}': {}", id, serverId, e.getMessage());
            }
        });
    }

    private Transport.Outgoing outgoing(String method, ObjectNode params, Duration timeout) {
        if (!modern) {
            return new Transport.Outgoing(Map.of(), timeout);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Mcp-Method", method);
        JsonNode name = switch (method) {
            case "tools/call", "prompts/get" -> params.get("name");
            case "resources/read" -> params.get("uri");
            default -> null;
        };
        if (name != null && name.isTextual()) {
            headers.put("Mcp-Name", ModernHeaders.encode(name.asText()));
        }
        if (method.equals("tools/call") && name != null) {
            ToolInfo tool = tools.get(name.asText());
            if (tool != null) {
                headers.putAll(ModernHeaders.parameterValues(tool.parameterHeaders(), params.get("arguments")));
            }
        }
        return new Transport.Outgoing(headers, timeout);
    }

    private void addModernMeta(ObjectNode params) {
        ObjectNode meta = meta(params);
        meta.put(META_PREFIX + "protocolVersion", protocolVersion);
        meta.set(META_PREFIX + "clientCapabilities", capabilities());
        meta.set(META_PREFIX + "clientInfo", clientInfo());
    }

    private static ObjectNode meta(ObjectNode params) {
        JsonNode meta = params.get("_meta");
        return meta instanceof ObjectNode object ? object : params.putObject("_meta");
    }

    void notify(String method, ObjectNode params) {
        ObjectNode message = mapper.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        message.set("params", params);
        try {
            transport.send(message, outgoing(method, params, options.requestTimeout()));
        } catch (IOException e) {
            throw new McpException(serverId, method + " could not be sent: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- inbound

    /** Bound to one transport, so a replaced transport's late messages are not mistaken for the current one's. */
    private final class Inbound implements Transport.Inbound {
        private final Transport owner;

        Inbound(Transport owner) {
            this.owner = owner;
        }

        /**
         * Handles one message on the transport's reading thread. A failure to handle it (a callback that throws) is
         * logged and the next message read: escaping, it ended that thread without reporting the end, and the
         * connection looked open while its answers went unread, each call waiting out its timeout.
         */
        @Override
        public void onMessage(JsonNode message) {
            if (transport != owner) {
                return;
            }
            try {
                handle(message);
            } catch (RuntimeException e) {
                LOG.warn("handling a message from MCP server '{}' failed ({}): {}", serverId, masked(e.toString()),
                        StdioTransport.abbreviate(masked(message.toString())), masked(e));
            }
        }

        private void handle(JsonNode message) {
            JsonNode method = message.get("method");
            JsonNode id = message.get("id");
            if (method == null) {
                complete(id, message);
            } else if (id != null && !id.isNull()) {
                serverRequest(id, method.asText(), message.path("params"));
            } else {
                notification(method.asText(), message.path("params"));
            }
        }

        @Override
        public void onSendFailed(JsonNode requestId, Exception failure) {
            Pending call = requestId == null ? null : pending.get(requestId.asText());
            if (call != null) {
                call.future().completeExceptionally(new McpException(serverId, call.method() + ": "
                        + failure.getMessage(), failure));
            }
        }

        @Override
        public void onClosed(Exception cause) {
            if (transport != owner || closed) {
                return;
            }
            boolean wasConnected = connected;
            connected = false;
            // closed during the handshake (a server that exits at once): the connect fails with it, and says so; a
            // "connection lost" logged too, with a reconnect and a failure counted twice, named a connection never made
            McpException failure = new McpException(serverId, (wasConnected ? "connection lost"
                    : "the connection closed before the handshake ended")
                    + (cause == null ? "" : ": " + cause.getMessage()), cause);
            pending.values().forEach(call -> call.future().completeExceptionally(failure));
            if (wasConnected) {
                callbacks.onDisconnected(failure);
            }
        }
    }

    private void complete(JsonNode id, JsonNode message) {
        Pending call = id == null ? null : pending.get(id.asText());
        if (call == null) {
            // a late answer to a call given up, or one with an id we never sent: the timeout it causes quotes it
            lastUnmatchedAnswer = StdioTransport.abbreviate(masked(message.toString()));
            unmatchedAnswers.incrementAndGet();
            LOG.debug("MCP server '{}' answered unknown or abandoned request {}", serverId, id);
            return;
        }
        call.timer().activity(); // an answer: a round of input_required or an error the call is retried after
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            call.future().completeExceptionally(rpcError(call.method(), error));
        } else if (message.has("result")) {
            call.future().complete(message.get("result"));
        } else {
            call.future().completeExceptionally(new McpException(serverId, call.method()
                    + ": answer has neither result nor error"));
        }
    }

    /**
     * The server's error object. One without an integer code or a string message says so and quotes itself: read
     * leniently, {@code "error": "disk full"} became "(no message) (JSON-RPC error -32603)", a code it never sent.
     */
    private McpRpcException rpcError(String method, JsonNode error) {
        JsonNode code = error.get("code");
        JsonNode text = error.get("message");
        JsonNode data = error.get("data");
        boolean integerCode = code != null && code.isIntegralNumber() && code.canConvertToInt();
        List<String> wrong = new ArrayList<>();
        if (!error.isObject()) {
            wrong.add("it is no object");
        } else {
            if (!integerCode) {
                wrong.add(code == null ? "no code" : "a code that is no integer");
            }
            if (text == null || !text.isTextual()) {
                wrong.add(text == null ? "no message" : "a message that is no string");
            }
        }
        String rpcMessage = wrong.isEmpty() ? text.textValue() : "malformed error" + (integerCode ? ""
                : ", taken as " + INTERNAL_ERROR) + " (" + String.join(", ", wrong) + "): "
                + StdioTransport.abbreviate(masked(error.toString()));
        return new McpRpcException(serverId, method, integerCode ? code.intValue() : INTERNAL_ERROR, rpcMessage,
                data == null ? null : data.toString());
    }

    private void notification(String method, JsonNode params) {
        if (method.equals("notifications/progress")) {
            String token = params.path("progressToken").asText(null);
            for (Pending call : pending.values()) {
                if (token != null && token.equals(call.progressToken())) {
                    call.timer().activity();
                    callbacks.onProgress(call.method(), params);
                    return;
                }
            }
            return;
        }
        if (method.equals("notifications/tools/list_changed")) {
            tools.clear();
        }
        try {
            callbacks.onNotification(method, params);
        } catch (RuntimeException e) {
            LOG.warn("handling {} from MCP server '{}' failed: {}", method, serverId, masked(e.toString()), masked(e));
        }
    }

    /**
     * Answers a request of the server on a thread of its own, at most {@link #MAX_SERVER_REQUESTS} at once: each may
     * be a model call (sampling) or wait for a person (elicitation), and a server sending thousands must not start
     * thousands. One beyond that is refused at once, on the reading thread.
     */
    private void serverRequest(JsonNode id, String method, JsonNode params) {
        if (!serverRequests.tryAcquire()) {
            if (!refusedServerRequests.getAndSet(true)) {
                LOG.warn("MCP server '{}' sent more than {} requests to answer at once; refusing those beyond", serverId,
                        MAX_SERVER_REQUESTS);
            }
            respond(id, method, "error", error(INTERNAL_ERROR, "too many requests: this client answers at most "
                    + MAX_SERVER_REQUESTS + " requests of the server at once"));
            return;
        }
        Thread.ofVirtual().name("mcp-" + serverId + "-request").start(() -> {
            try {
                answer(id, method, params);
            } finally {
                serverRequests.release();
            }
        });
    }

    private ObjectNode error(int code, String message) {
        ObjectNode error = mapper.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        return error;
    }

    private void answer(JsonNode id, String method, JsonNode params) {
        JsonNode result;
        try {
            result = answerServerRequest(method, params);
        } catch (McpRpcException refused) {
            respond(id, method, "error", error(refused.code(), refused.rpcMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.warn("answering {} from MCP server '{}' failed: {}", method, serverId, masked(e.toString()), masked(e));
            respond(id, method, "error", error(INTERNAL_ERROR, "client failed: " + masked(e.getMessage())));
            return;
        }
        respond(id, method, "result", result);
    }

    /** Sends the answer ({@code field} result or error) to a request of the server. */
    private void respond(JsonNode id, String method, String field, JsonNode value) {
        ObjectNode response = mapper.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id);
        response.set(field, value);
        try {
            transport.send(response, Transport.Outgoing.NONE);
        } catch (IOException e) {
            LOG.debug("could not answer {} of MCP server '{}': {}", method, serverId, e.getMessage());
        }
    }

    private String masked(String text) {
        return ServerText.masked(text, heldSecrets);
    }

    /** A failure's masked stand-in, logged for its causes and stack: their messages may quote the server's secrets. */
    private Throwable masked(Throwable failure) {
        return ServerText.masked(failure, heldSecrets);
    }

    /** Server requests, asked directly (legacy era) or inside an input_required result (modern era). */
    private JsonNode answerServerRequest(String method, JsonNode params) {
        return switch (method) {
            case "ping" -> mapper.createObjectNode();
            case "roots/list" -> {
                if (options.roots() == null) {
                    throw new McpRpcException(serverId, method, METHOD_NOT_FOUND, "roots are not configured", null);
                }
                ObjectNode result = mapper.createObjectNode();
                ArrayNode roots = result.putArray("roots");
                options.roots().forEach(uri -> roots.addObject().put("uri", uri)
                        .put("name", uri.substring(uri.lastIndexOf('/') + 1)));
                yield result;
            }
            case "sampling/createMessage" -> callbacks.createMessage(params);
            case "elicitation/create" -> callbacks.elicit(params);
            default -> throw new McpRpcException(serverId, method, METHOD_NOT_FOUND, "method not found: " + method, null);
        };
    }

    // ---------------------------------------------------------------- state

    public boolean isConnected() {
        return connected && !closed;
    }

    /**
     * Whether the connection ended, reported to {@link Callbacks#onDisconnected} or not yet (a stdio server killed, whose
     * end its reader reports after the write that met it failed), or the client was closed.
     */
    public boolean connectionEnded() {
        Transport current = transport;
        return !isConnected() || current == null || !current.isOpen();
    }

    public boolean isModern() {
        return modern;
    }

    public String protocolVersion() {
        return protocolVersion;
    }

    public String transportKind() {
        Transport current = transport;
        return current == null ? "none" : current.kind();
    }

    public JsonNode serverInfo() {
        return serverInfo;
    }

    public JsonNode serverCapabilities() {
        return serverCapabilities;
    }

    public String instructions() {
        return instructions;
    }

    @Override
    public void close() {
        close("the client was closed");
    }

    /** Closes the connection; calls in flight fail with "the call was cut off: {@code reason}". */
    public void close(String reason) {
        Transport current = markClosed(reason);
        if (current != null) {
            current.close();
        }
    }

    /** Closes the client but its transport, which it returns to close; null when the client was closed already. */
    private Transport markClosed(String reason) {
        if (closed) {
            return null;
        }
        closeReason = reason;
        closed = true;
        connected = false;
        McpException failure = cutOff(null);
        pending.values().forEach(call -> {
            call.future().completeExceptionally(failure);
            Transport.Exchange exchange = call.exchange()[0];
            if (exchange != null) {
                exchange.cancel();
            }
        });
        return transport;
    }

    private McpException cutOff(Exception cause) {
        return new McpException(serverId, "the call was cut off: " + closeReason, cause);
    }

    /** A value of the server's as its JSON type and its first characters, masked. */
    private String shown(JsonNode value) {
        String json = value.toString();
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + masked(json.length() <= 80 ? json : json.substring(0, 80) + "...");
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String firstLegacy(JsonNode supported) {
        for (String version : LEGACY_VERSIONS) {
            if (contains(supported, version)) {
                return version;
            }
        }
        return null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Where the server's configuration is changed, which a message about a limit names: its file by default. */
    private String configuredIn() {
        return options.configuredIn() == null ? McpServerComponent.file(serverId) : options.configuredIn();
    }
}
