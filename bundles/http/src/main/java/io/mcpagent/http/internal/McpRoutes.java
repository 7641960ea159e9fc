package io.mcpagent.http.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.mcp.WrappedArguments;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.SecretMasker;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.LoggerFactory;

/**
 * The MCP endpoints under {@code /api/v1/servers}: the MCP servers on the plugin whiteboard and their tools, tool
 * calls, and the catalog's recommendations, install and uninstall. Reading needs the role viewer; calling a tool acts
 * on the world, so it needs operator; installing and uninstalling change the platform, so they need admin (and are
 * audited). A failing MCP server or installer is answered 502 with its message. What a server or the installer says
 * (tool results, failures, health) is masked as the autonomous answers are: a tool may repeat a secret it read, and a
 * server's or npm's output may quote a header value or a token.
 */
final class McpRoutes {
    static final String PREFIX = "/servers";
    static final int DEFAULT_TIMEOUT_SECONDS = 60;
    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final int DEFAULT_RECOMMENDATIONS = 5;
    static final int MAX_RECOMMENDATIONS = 50;
    private static final String WILDCARD = "{}";
    /**
     * Matches one or more segments, their value joined by '/': a tool's name may hold a '/' (MCP's tool names allow
     * it), and Jetty refuses one written as {@code %2F} in a path as ambiguous, before any servlet sees it.
     */
    private static final String SEGMENTS = "{+}";
    /** The audit action of a tool called through the API, as the shell's {@code mcp:call} records it. */
    static final String TOOL_CALL = "tool.call";
    private static final ObjectMapper JSON = RequestJson.MAPPER;

    /** A service the routes need, or the 503 {@link ApiError} naming the bundle that is not running. */
    @FunctionalInterface
    interface Required<S> {
        S require() throws ApiError;
    }

    /** Checks the request's caller for a role and returns it: 401, 403, 429 or 503 as {@link ApiError}. */
    @FunctionalInterface
    interface Access {
        Principal require(Role role) throws ApiError;
    }

    /** One request to a route: the values of the path's {@value #WILDCARD} segments in order, the request, its body. */
    private record Call(List<String> params, HttpServletRequest request, byte[] body, Principal caller) {
        String param(int index) {
            return params.get(index);
        }
    }

    @FunctionalInterface
    private interface Handler {
        ApiReply handle(Call call) throws ApiError;
    }

    /**
     * A method and a path below {@link #PREFIX}, as segments where {@value #WILDCARD} matches any non-empty one and
     * {@value #SEGMENTS} (at most one in a route) any number of them from one on.
     */
    private record Route(String method, List<String> pattern, Role role, Handler handler) {
        boolean matches(List<String> segments) {
            return params(segments) != null;
        }

        long fixedSegments() {
            return pattern.stream().filter(segment -> !segment.equals(WILDCARD) && !segment.equals(SEGMENTS))
                    .count();
        }

        /** The values of the wildcards in order, or null if the segments do not match. */
        List<String> params(List<String> segments) {
            int spare = segments.size() - pattern.size(); // how many more segments a SEGMENTS wildcard takes
            if (spare < 0 || spare > 0 && !pattern.contains(SEGMENTS)) {
                return null;
            }
            List<String> params = new ArrayList<>();
            int at = 0;
            for (String expected : pattern) {
                int taken = expected.equals(SEGMENTS) ? 1 + spare : 1;
                List<String> matched = segments.subList(at, at + taken);
                at += taken;
                if (expected.equals(WILDCARD) || expected.equals(SEGMENTS)) {
                    if (matched.contains("")) {
                        return null;
                    }
                    params.add(String.join("/", matched));
                } else if (!expected.equals(matched.get(0))) {
                    return null;
                }
            }
            return params;
        }
    }

    private final Required<PluginManager> plugins;
    private final Required<McpCatalog> catalog;
    /** Why no MCP server can run here: the runtime was built without the feature mcp; empty when it was not. */
    private final Supplier<Optional<String>> notInstalled;
    private final RestAudit audit;
    private final SecretMasker masker;
    /**
     * How the problem of a refused server configuration names it: the configuration's PID, {@code
     * io.mcpagent.mcp.server~<name>} for the file {@code etc/io.mcpagent.mcp.server~<name>.cfg.json}.
     */
    private static final String SERVER_CONFIGURATION = "io.mcpagent.mcp.server~";
    /** The runtime's problems now, among them the refusals of server configurations. */
    private final Supplier<List<Problem>> problems;
    private final List<Route> routes;

    McpRoutes(Required<PluginManager> plugins, Required<McpCatalog> catalog, Supplier<Optional<String>> notInstalled,
              RestAudit audit, SecretMasker masker, Supplier<List<Problem>> problems) {
        this.plugins = plugins;
        this.catalog = catalog;
        this.notInstalled = notInstalled;
        this.audit = audit;
        this.masker = masker;
        this.problems = problems;
        this.routes = List.of(
                route("GET", "", Role.VIEWER, call -> ApiReply.ok(servers(Page.of(call.request())))),
                route("GET", "discover", Role.VIEWER, call -> ApiReply.ok(discover(call.request()))),
                route("GET", "catalog", Role.VIEWER, call -> ApiReply.ok(catalogEntries(Page.of(call.request())))),
                route("POST", "install", Role.ADMIN, call -> ApiReply.created(install(call.body(), call.caller()))),
                route("GET", WILDCARD, Role.VIEWER, call -> ApiReply.ok(serverEntry(call.param(0)))),
                route("DELETE", WILDCARD, Role.ADMIN, call -> uninstall(call.param(0), call.caller())),
                route("GET", WILDCARD + "/tools", Role.VIEWER,
                        call -> ApiReply.ok(tools(call.param(0), Page.of(call.request())))),
                route("POST", WILDCARD + "/tools/" + SEGMENTS + "/call", Role.OPERATOR,
                        call -> ApiReply.ok(callTool(call.param(0), call.param(1), call.request(), call.body(),
                                call.caller()))));
    }

    private static Route route(String method, String pattern, Role role, Handler handler) {
        return new Route(method, pattern.isEmpty() ? List.of() : List.of(pattern.split("/")), role, handler);
    }

    /** Whether a path (below {@code /api/v1}) is one of these routes' or would be. */
    static boolean handles(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    ApiReply route(HttpServletRequest request, String path, byte[] body, Access access) throws ApiError {
        List<String> segments = segments(path.substring(PREFIX.length()));
        List<Route> matching = mostSpecific(routes.stream().filter(r -> r.matches(segments)).toList());
        if (matching.isEmpty()) {
            throw ApiError.notFound("no endpoint " + request.getMethod() + " /api/v1" + ApiError.echo(path)
                    + "; the MCP endpoints are"
                    + " /api/v1/servers, /servers/discover, /servers/catalog, /servers/install, /servers/{name},"
                    + " /servers/{name}/tools and /servers/{name}/tools/{tool}/call");
        }
        Route route = matching.stream().filter(r -> r.method().equals(request.getMethod())).findFirst()
                .orElseThrow(() -> ApiError.methodNotAllowed(request.getMethod(),
                        matching.stream().map(Route::method).distinct().toList()));
        Principal caller = access.require(route.role());
        return route.handler().handle(new Call(route.params(segments), request, body, caller));
    }

    /**
     * The routes with the most fixed segments: {@code /servers/install} is the install endpoint, whose wrong methods
     * are a 405 naming POST, not a server named "install".
     */
    private static List<Route> mostSpecific(List<Route> matching) {
        long most = matching.stream().mapToLong(Route::fixedSegments).max().orElse(0);
        return matching.stream().filter(route -> route.fixedSegments() == most).toList();
    }

    /**
     * The segments of the path after a route's prefix, as they are: the container decoded the path already, and
     * decoding them again would turn a name's '+' or '%41' into ' ' or 'A'.
     */
    static List<String> segments(String rest) {
        return rest.isEmpty() ? List.of() : List.of(rest.substring(1).split("/", -1));
    }

    // ---- the endpoints --------------------------------------------------------------------------------------------

    private ObjectNode servers(Page page) throws ApiError {
        PluginManager manager = plugins.require();
        ObjectNode result = JSON.createObjectNode();
        ArrayNode array = result.putArray("servers");
        List<PluginInfo> listed = manager.list(PluginKind.MCP_SERVER);
        if (listed.isEmpty()) {
            requireInstalled(); // an empty list read as "none configured" in a runtime built without them
        }
        List<PluginInfo> shown = page.of(listed);
        for (PluginInfo plugin : shown) {
            array.add(serverNode(manager, plugin));
        }
        result.put("count", shown.size());
        return page.describe(result, listed.size());
    }

    /** One server as the list shows it. */
    private ObjectNode serverEntry(String name) throws ApiError {
        PluginManager manager = plugins.require();
        Optional<PluginInfo> plugin = manager.get(name).filter(found -> found.kind() == PluginKind.MCP_SERVER);
        if (plugin.isEmpty()) {
            requireInstalled();
            throw noServer(name);
        }
        return serverNode(manager, plugin.get());
    }

    /**
     * A 503 naming the feature when the runtime was built without MCP servers, as the catalog's endpoints answer: an
     * empty list, or a 404 for a server its file in etc/ still configures, said nothing of it (a walkthrough).
     */
    private void requireInstalled() throws ApiError {
        Optional<String> why = notInstalled.get();
        if (why.isPresent()) {
            throw ApiError.unavailable(why.get());
        }
    }

    private ObjectNode serverNode(PluginManager manager, PluginInfo plugin) {
        Optional<McpServer> server = manager.service(plugin.id(), McpServer.class);
        Optional<McpServerInfo> info = server.map(McpServer::info);
        PluginHealth health = manager.health(plugin.id())
                .orElse(PluginHealth.unknown("the server left while it was listed"));
        ObjectNode node = JSON.createObjectNode().put("id", plugin.id()).put("name", plugin.name())
                .put("transport", info.map(McpServerInfo::transport).orElse(null))
                .put("protocolVersion", info.map(McpServerInfo::protocolVersion).orElse(null));
        // a server's health may quote what it wrote before it exited
        node.putObject("health").put("status", health.status().name()).put("message", masker.mask(health.message()));
        node.put("toolCount", toolCount(server, health));
        ArrayNode capabilities = node.putArray("capabilities");
        String listed = plugin.properties().get(PluginProperties.MCP_CAPABILITIES);
        if (listed != null) {
            for (String capability : listed.split(",")) {
                capabilities.add(capability.strip());
            }
        }
        // a server another bundle registers may list capabilities without saying where they come from: its own word
        node.put("capabilitiesFrom", listed == null ? null
                : plugin.properties().getOrDefault(PluginProperties.MCP_CAPABILITIES_SOURCE, "declared"));
        ArrayNode roots = node.putArray("roots");
        server.map(McpServer::rootFolders).orElse(List.of()).forEach(roots::add);
        return node;
    }

    /** The catalog's entries, ordered by id as the catalog keeps them, as {@code mcp:catalog} lists them. */
    private ObjectNode catalogEntries(Page page) throws ApiError {
        McpCatalog servers = catalog.require();
        List<CatalogEntry> all = servers.entries();
        Set<String> installed = servers.installedEntries();
        List<CatalogEntry> entries = page.of(all);
        ObjectNode result = JSON.createObjectNode();
        ArrayNode array = result.putArray("entries");
        for (CatalogEntry entry : entries) {
            ObjectNode node = array.addObject().put("id", entry.id()).put("name", entry.name())
                    .put("description", entry.description()).put("category", entry.category())
                    .put("priority", entry.priority());
            entry.capabilities().forEach(node.putArray("capabilities")::add);
            entry.requiredEnv().forEach(node.putArray("requiredEnv")::add);
            node.put("installed", installed.contains(entry.id()));
        }
        result.put("count", entries.size());
        return page.describe(result, all.size());
    }

    /**
     * The number of tools of a connected server, or null. A disconnected server is not asked (it could wait for a
     * connection); one that cannot list its tools counts as not connected, and its {@code /tools} says why.
     */
    private static Integer toolCount(Optional<McpServer> server, PluginHealth health) {
        boolean connected = health.status() == PluginHealth.Status.UP
                || health.status() == PluginHealth.Status.DEGRADED;
        if (server.isEmpty() || !connected) {
            return null;
        }
        try {
            return server.get().listTools().size();
        } catch (McpException e) {
            return null;
        }
    }

    private ObjectNode discover(HttpServletRequest request) throws ApiError {
        String task = Page.parameter(request, "task");
        if (task == null || task.isBlank()) {
            throw ApiError.invalid("task", "the query parameter 'task' is missing: describe the task in words, e.g."
                    + " ?task=read+files+in+a+folder");
        }
        Page page = recommendationPage(request);
        McpCatalog mcpCatalog = catalog.require();
        // Every match is ranked (the catalog is small) so that total is the number of matches, not of this page.
        int reach = (int) Math.min((long) page.offset() + page.limit(), Integer.MAX_VALUE);
        List<ServerRecommendation> ranked = mcpCatalog.recommend(task, Math.max(reach, mcpCatalog.entries().size()));
        List<ServerRecommendation> recommendations = page.of(ranked);
        ObjectNode result = JSON.createObjectNode().put("task", task);
        ArrayNode array = result.putArray("recommendations");
        for (ServerRecommendation recommendation : recommendations) {
            CatalogEntry entry = recommendation.entry();
            array.addObject().put("id", entry.id()).put("name", entry.name()).put("category", entry.category())
                    .put("score", recommendation.score()).put("reason", recommendation.reason())
                    .put("installed", recommendation.installed());
        }
        result.put("count", recommendations.size());
        return page.describe(result, ranked.size());
    }

    /** {@code limit} is this endpoint's page size; {@code max}, its name before paging, is still understood. */
    private static Page recommendationPage(HttpServletRequest request) throws ApiError {
        boolean oldName = Page.parameter(request, "max") != null && Page.parameter(request, Page.LIMIT) == null;
        return Page.of(request, oldName ? "max" : Page.LIMIT, DEFAULT_RECOMMENDATIONS, MAX_RECOMMENDATIONS);
    }

    private ObjectNode install(byte[] body, Principal caller) throws ApiError {
        String expected = "{\"id\":\"<catalog id>\"}";
        JsonNode request = jsonObject(body, expected);
        JsonNode id = request.get("id");
        if (id == null) {
            throw ApiError.invalid("/id", "the body needs \"id\", the catalog id as a string: " + expected);
        }
        if (!id.isTextual() || id.asText().isBlank()) {
            // it was given: "needs id" would send the caller looking for a field that is there
            throw ApiError.invalid("/id", "\"id\" must be the catalog id as a string, not " + (id.isTextual()
                    ? (id.asText().isEmpty() ? "an empty one" : "a blank one") : id.getNodeType().name()
                    .toLowerCase(Locale.ROOT)) + ": " + expected);
        }
        // An install takes nothing but the id: a field it would ignore (an "env", a misspelt option) is refused
        // rather than let the caller believe it was applied.
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("id")) {
                throw ApiError.invalid(ApiError.pointer(name), "unknown field \"" + ApiError.echo(name)
                        + "\"; an install takes only the catalog id: " + expected);
            }
        }
        McpCatalog mcpCatalog = catalog.require();
        String entry = id.asText();
        if (mcpCatalog.entry(entry).isEmpty()) {
            throw ApiError.notFound("no catalog entry '" + ApiError.echo(entry)
                    + "'; GET /api/v1/servers/discover?task=... finds"
                    + " entries for a task");
        }
        Optional<PluginInfo> existing = plugins.require().get(entry);
        if (existing.isPresent()) {
            // DELETE refuses a server configured by hand (its file is the operator's): not the one way to free the id
            throw ApiError.conflict("'" + entry + "' is already installed (a plugin of kind "
                    + existing.get().kind().id() + " has this id): " + (existing.get().kind() == PluginKind.MCP_SERVER
                    ? "DELETE /api/v1/servers/" + entry + " first if the catalog installed it, else delete its file in"
                    + " etc/ (or its configuration in the Web Console)" : "ids are unique across kinds"));
        }
        InstallReport report;
        try {
            report = mcpCatalog.install(entry);
        } catch (McpException e) {
            audit.record(caller, "server.install", entry, AuditEntry.FAILED, e.getMessage());
            // 409 when the runtime lacks what the install needs (an environment variable, a program on PATH): the
            // operator has to fix that here; 502 when the install itself failed (npm, the server).
            boolean conflict = says(e, "already installed") || says(e, "cannot be installed on this runtime yet");
            String why = masker.mask(e.getMessage()); // npm's or the server's output may quote a token
            throw conflict ? ApiError.conflict(why) : ApiError.badGateway(why);
        }
        audit.record(caller, "server.install", entry, AuditEntry.SUCCEEDED, String.join(", ", report.tools()));
        ObjectNode result = JSON.createObjectNode().put("id", report.id()).put("configFile", report.configFile())
                .put("installDirectory", report.installDirectory());
        report.tools().forEach(result.putArray("tools")::add);
        return result;
    }

    /**
     * Uninstalls a catalog install, or removes what an interrupted one left. The catalog decides, so that the shell's
     * mcp:uninstall answers alike: a server configured by hand is the operator's file and one a bundle registers by
     * itself the bundle's (409), no trace is 404.
     */
    private ApiReply uninstall(String name, Principal caller) throws ApiError {
        McpCatalog mcpCatalog = catalog.require();
        try {
            mcpCatalog.uninstall(name);
        } catch (McpException e) {
            audit.record(caller, "server.uninstall", name, AuditEntry.FAILED, e.getMessage());
            String why = masker.mask(e.getMessage());
            if (says(e, "not installed from the catalog")) { // configured by hand, or a bundle's own
                throw ApiError.conflict(why);
            }
            throw says(e, "not installed") ? ApiError.notFound("no MCP server '" + ApiError.echo(name)
                    + "' is installed from the"
                    + " catalog; GET /api/v1/servers lists the servers") : ApiError.badGateway(why);
        }
        audit.record(caller, "server.uninstall", name, AuditEntry.SUCCEEDED, null);
        return ApiReply.noContent();
    }

    private ObjectNode tools(String name, Page page) throws ApiError {
        List<ToolDescriptor> all = listTools(server(name));
        List<ToolDescriptor> tools = page.of(all);
        ObjectNode result = JSON.createObjectNode().put("server", name);
        ArrayNode array = result.putArray("tools");
        for (ToolDescriptor tool : tools) {
            ObjectNode node = array.addObject().put("name", tool.name()).put("title", tool.title())
                    .put("description", tool.description());
            node.set("inputSchema", fromServer(name, "the input schema of tool '" + tool.name() + "'",
                    tool.inputSchemaJson()));
            node.set("outputSchema", fromServer(name, "the output schema of tool '" + tool.name() + "'",
                    tool.outputSchemaJson()));
            // null where the server does not say: the spec's default differs per hint, so not given is no false
            ToolAnnotations annotations = tool.annotations();
            node.putObject("annotations").put("title", annotations.title())
                    .put("readOnlyHint", annotations.readOnlyHint())
                    .put("destructiveHint", annotations.destructiveHint())
                    .put("idempotentHint", annotations.idempotentHint())
                    .put("openWorldHint", annotations.openWorldHint());
        }
        result.put("count", tools.size());
        return page.describe(result, all.size());
    }

    /**
     * Calls a tool for the caller. A call that reached the server is audited ({@value #TOOL_CALL}, target
     * {@code <server>/<tool>}), as it acts on the world as an operator asked (writes a file, sends a message): who did
     * what is in the log, its arguments are not (they may hold what the caller read).
     */
    private ObjectNode callTool(String name, String tool, HttpServletRequest request, byte[] body, Principal caller)
            throws ApiError {
        int timeoutSeconds = Page.number(request, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS);
        JsonNode arguments = body.length == 0 ? JSON.createObjectNode()
                : jsonObject(body, "the tool's arguments as a JSON object");
        McpServer server = server(name);
        ToolCallResult result;
        boolean sent = false;
        try {
            ToolDescriptor descriptor = listTools(server).stream().filter(t -> t.name().equals(tool)).findFirst()
                    .orElseThrow(() -> ApiError.notFound("no tool '" + ApiError.echo(tool) + "' on MCP server '"
                            + name + "'; GET /api/v1/servers/" + name + "/tools lists them"));
            refuseWrappedArguments(name, descriptor, arguments);
            sent = true;
            result = server.callTool(tool, arguments.toString(), Duration.ofSeconds(timeoutSeconds));
        } catch (McpException e) {
            auditToolCall(caller, name, tool, e.getMessage());
            throw ApiError.badGateway(masker.mask(e.getMessage()));
        } catch (RuntimeException e) {
            // A server plugin's bug is that server's failure, not the platform's: a 502 naming it, as for a provider.
            LoggerFactory.getLogger(McpRoutes.class).warn("MCP server '{}' failed unexpectedly calling tool '{}'",
                    name, tool, e);
            if (sent) {
                auditToolCall(caller, name, tool, "failed unexpectedly: " + e);
            }
            throw ApiError.badGateway(masker.mask("MCP server '" + name + "' failed unexpectedly: " + e));
        }
        auditToolCall(caller, name, tool, result.isError() ? "the tool answered with an error (isError)" : null);
        // a tool may repeat a secret it read (a file, an environment): masked, as an agent's tool results are
        ObjectNode answer = JSON.createObjectNode().put("isError", result.isError());
        ArrayNode content = answer.putArray("content");
        for (Part part : result.content()) {
            content.add(part(name, part));
        }
        answer.set("structuredContent", fromServer(name, "structured content",
                masker.mask(result.structuredContentJson())));
        return answer;
    }

    /**
     * A body {@code {"arguments": {...}}} (the shape of MCP's own tools/call parameters) for a tool that declares no
     * parameter "arguments" is a 400 naming it, in the words {@code mcp:call} refuses it with
     * ({@link WrappedArguments}).
     */
    @SuppressWarnings("unchecked")
    private static void refuseWrappedArguments(String server, ToolDescriptor tool, JsonNode arguments)
            throws ApiError {
        Map<String, ?> inputSchema;
        try {
            inputSchema = JSON.readValue(tool.inputSchemaJson(), Map.class);
        } catch (JsonProcessingException e) {
            inputSchema = null; // nothing to tell by: the server judges the arguments
        }
        Map<String, ?> body = JSON.convertValue(arguments, Map.class);
        Optional<String> refusal = WrappedArguments.refusal(server, tool.name(), body, inputSchema, "the body",
                "GET /api/v1/servers/" + server + "/tools");
        if (refusal.isPresent()) {
            throw ApiError.invalid("/" + WrappedArguments.MEMBER, refusal.get());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private McpServer server(String name) throws ApiError {
        return plugins.require().service(name, McpServer.class).orElseThrow(() -> noServer(name));
    }

    /**
     * 404 for a server that is not there, saying why when its configuration in etc/ was refused (it said only that
     * there is none, and the reason was in /status alone): by the MCP bundle (the problem's subject is its PID) or, a
     * file malformed or not fitting the metatype, by the config bundle (the file's name).
     */
    private ApiError noServer(String name) {
        String subject = SERVER_CONFIGURATION + name;
        return ApiError.notFound("no MCP server '" + ApiError.echo(name) + "'" + problems.get().stream()
                .filter(problem -> subject.equals(problem.subject())
                        || (subject + ".cfg.json").equals(problem.subject())).findFirst()
                .map(problem -> ": " + masker.mask(problem.message()))
                .orElse("; GET /api/v1/servers lists them"));
    }

    /** A tool call that reached the server, {@code failure} null when it succeeded. */
    private void auditToolCall(Principal caller, String server, String tool, String failure) {
        audit.record(caller, TOOL_CALL, server + "/" + tool, failure == null ? AuditEntry.SUCCEEDED : AuditEntry.FAILED,
                failure);
    }

    private List<ToolDescriptor> listTools(McpServer server) throws ApiError {
        try {
            return server.listTools();
        } catch (McpException e) {
            throw ApiError.badGateway(masker.mask(e.getMessage()));
        }
    }

    /**
     * A content part as MCP shows it: text, or media with its bytes in base64; its texts masked. Media bytes are not:
     * they are no text a secret could be read in, and a key shape could match inside base64 and corrupt it.
     */
    private ObjectNode part(String server, Part part) throws ApiError {
        ObjectNode node = JSON.createObjectNode();
        switch (part) {
            case TextPart text -> node.put("type", "text").put("text", masker.mask(text.text()));
            case MediaPart media -> {
                node.put("type", media.kind().name().toLowerCase(Locale.ROOT)).put("mimeType", media.mimeType());
                switch (media.source()) {
                    case MediaSource.Inline inline -> node.put("data", Base64.getEncoder().encodeToString(inline.data()));
                    case MediaSource.Url url -> node.put("url", masker.mask(url.url()));
                    case MediaSource.ProviderFileRef file -> node.put("reference", masker.mask(file.reference()));
                }
            }
            case CitationPart link -> node.put("type", "resource_link").put("uri", masker.mask(link.url()))
                    .put("name", masker.mask(link.title()));
            case OpaquePart opaque -> node.put("type", "opaque").put("provider", opaque.provider())
                    .set("raw", fromServer(server, "a content block", masker.mask(opaque.rawJson())));
            default -> node.put("type", part.getClass().getSimpleName());
        }
        return node;
    }

    /** JSON text a server sent, as a node ({@code null} stays null); text that is not JSON is the server's fault. */
    private static JsonNode fromServer(String server, String what, String json) throws ApiError {
        if (json == null) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw ApiError.badGateway("MCP server '" + server + "' sent " + what + " that is not valid JSON: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()));
        }
    }

    /**
     * The body as a JSON object, its numbers as written (tool arguments are passed on); the error names the JSON
     * problem and what to send instead.
     */
    private static JsonNode jsonObject(byte[] body, String expected) throws ApiError {
        JsonNode node = RequestJson.read(RequestJson.EXACT_NUMBERS, body, expected);
        if (node == null || node.isMissingNode()) {
            throw ApiError.badRequest("the body is empty; send " + expected);
        }
        if (!node.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object, not " + node.getNodeType().name()
                    .toLowerCase(Locale.ROOT) + "; send " + expected);
        }
        return node;
    }

    /** Whether the exception's message says {@code phrase}: the catalog reports these cases only in words. */
    private static boolean says(McpException e, String phrase) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains(phrase);
    }
}
