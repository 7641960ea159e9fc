package io.mcpagent.shell.internal;

import static io.mcpagent.shell.internal.CommandArguments.NO_ARGUMENTS;
import static io.mcpagent.shell.internal.CommandArguments.argument;
import static io.mcpagent.shell.internal.CommandArguments.arguments;
import static io.mcpagent.shell.internal.CommandArguments.noArguments;
import static io.mcpagent.shell.internal.CommandArguments.optionalArgument;
import static io.mcpagent.shell.internal.CommandArguments.OPTION;
import static io.mcpagent.shell.internal.CommandArguments.wholeNumber;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.mcp.WrappedArguments;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.shell.internal.CommandArguments.Words;

/**
 * The {@code mcp:} Gogo commands: the MCP servers on the plugin whiteboard, their tools and health, and the
 * catalog of installable servers. Like the {@code plugin:} commands, each returns the text Gogo prints and throws
 * an exception whose message says what to do when it cannot answer. Arguments (and {@code mcp:call}'s option) are
 * taken as lists and numbers as text, checked by {@link CommandArguments}, so a missing argument or option value, an
 * unknown option, an extra word or a malformed number is named with the command's usage instead of Gogo's
 * {@code Cannot coerce ...} or {@code argument type mismatch}.
 * <p>
 * Both references are optional and dynamic, so the commands stay available (and name the bundle to start) while
 * {@code io.mcpagent.core} or {@code io.mcpagent.mcp} is stopped.
 */
@Component(service = McpCommands.class)
@GogoCommand(scope = "mcp", function = {"servers", "tools", "call", "catalog", "recommend", "install", "uninstall",
        "health"})
public final class McpCommands {
    static final String CATALOG_NOT_RUNNING = "MCP server catalog not running (bundle io.mcpagent.mcp); start that"
            + " bundle (see 'lb -s') and check its components with 'scr:list'";
    static final String DEFAULT_TIMEOUT_SECONDS = "60";
    /** Longest {@code --timeout}: an hour, as the REST API's {@code timeoutSeconds}. */
    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final int DEFAULT_RECOMMENDATIONS = 5;
    /** Most recommendations {@code mcp:recommend} gives, as the REST API's {@code limit}. */
    static final int MAX_RECOMMENDATIONS = 50;
    /** How the commands with arguments are called, for the message when one is missing, split or malformed. */
    private static final String TOOLS = "mcp:tools [<server>] (mcp:servers lists them)";
    private static final String CALL = "mcp:call [--timeout <seconds>] <server> <tool> ['<json-args>']";
    private static final String RECOMMEND = "mcp:recommend \"<task>\" [max]";
    private static final String INSTALL = "mcp:install <id> (mcp:catalog lists them)";
    private static final String UNINSTALL = "mcp:uninstall <id> (mcp:servers lists them)";
    /** The audit action of a tool called from the shell, as the REST API records it. */
    private static final String TOOL_CALL = "tool.call";
    /** Longest tool description shown by {@code mcp:tools}, in characters, so that each tool stays one line. */
    static final int DESCRIPTION_WIDTH = 100;
    /** Longest tool title shown by {@code mcp:tools}, in characters. */
    static final int TITLE_WIDTH = 40;
    /**
     * Reads JSON as the REST API reads request bodies: one value with nothing after it, no member given twice (of
     * {@code {"path":"a","path":"b"}} one would be dropped unseen), and numbers as written, since a tool's arguments
     * are passed on (read as doubles, {@code 1e400} would reach the server as the string "Infinity").
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /**
     * How the problem of a refused server configuration names it: the configuration's PID, {@code
     * io.mcpagent.mcp.server~<id>} for the file {@code etc/io.mcpagent.mcp.server~<id>.cfg.json}.
     */
    private static final String SERVER_CONFIGURATION = "io.mcpagent.mcp.server~";

    private final OptionalReference<PluginManager> plugins;
    private final OptionalReference<McpCatalog> serverCatalog;
    private final ShellSecurity security;
    private final ShellMasker masker;
    private final ProblemReporters reporters = new ProblemReporters();

    @Activate
    public McpCommands(BundleContext context, @Reference ShellSecurity security, @Reference ShellMasker masker) {
        this.plugins = Plugins.whiteboard(context);
        this.serverCatalog = OptionalReference.of(context, "io.mcpagent.mcp", "the MCP server catalog",
                CATALOG_NOT_RUNNING, () -> BundleServices.notInstalled(context, "the MCP server catalog",
                        "io.mcpagent.mcp", "mcp"));
        this.security = security;
        this.masker = masker;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPluginManager")
    void bindPluginManager(PluginManager manager) {
        plugins.bind(manager);
    }

    void unbindPluginManager(PluginManager manager) {
        plugins.unbind(manager);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindCatalog")
    void bindCatalog(McpCatalog mcpCatalog) {
        serverCatalog.bind(mcpCatalog);
    }

    void unbindCatalog(McpCatalog mcpCatalog) {
        serverCatalog.unbind(mcpCatalog);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeReporter")
    void addReporter(ProblemReporter reporter, Map<String, Object> properties) {
        reporters.add(reporter, properties);
    }

    void removeReporter(Map<String, Object> properties) {
        reporters.remove(properties);
    }

    @Descriptor("list the MCP servers with their transport, protocol revision, health and number of tools")
    public String servers(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        security.require(session, Role.VIEWER, "mcp:servers");
        noArguments(none, "mcp:servers");
        PluginManager manager = plugins.require();
        List<PluginInfo> servers = manager.list(PluginKind.MCP_SERVER);
        String count = TextTable.count(servers.size(), "MCP server");
        if (servers.isEmpty()) {
            return count;
        }
        TextTable table = TextTable.of("ID", "TRANSPORT", "PROTOCOL", "HEALTH", "TOOLS", "NAME", "ROOTS");
        for (PluginInfo plugin : servers) {
            PluginHealth health = Plugins.health(manager, plugin.id(), "mcp:servers");
            Optional<McpServer> server = manager.service(plugin.id(), McpServer.class);
            Optional<McpServerInfo> info = server.map(McpServer::info);
            table.row(plugin.id(), info.map(McpServerInfo::transport).orElse(null),
                    info.map(McpServerInfo::protocolVersion).orElse(null), health.status(),
                    toolCount(server, health), plugin.name(),
                    server.map(McpServer::rootFolders).filter(roots -> !roots.isEmpty())
                            .map(roots -> String.join(", ", roots)).orElse(null));
        }
        return table.render() + "\n" + count;
    }

    @Descriptor("list the tools of every connected MCP server, or of one")
    public String tools(CommandSession session,
                        @Descriptor("server id, as shown by mcp:servers (default: every server)") String... serverId) {
        security.require(session, Role.VIEWER, "mcp:tools");
        Optional<String> one = optionalArgument(serverId, "one server id", TOOLS);
        PluginManager manager = plugins.require();
        TextTable table = TextTable.of("SERVER", "TOOL", "TITLE", "HINTS", "DESCRIPTION");
        if (one.isPresent()) {
            addTools(table, one.get(), listTools(server(manager, one.get())));
            String count = TextTable.count(table.size(), "tool");
            return table.size() == 0 ? count : table.render() + "\n" + count;
        }
        List<String> notListed = new ArrayList<>();
        for (PluginInfo plugin : manager.list(PluginKind.MCP_SERVER)) {
            // A server that left since the listing has no tools to show.
            Optional<McpServer> server = manager.service(plugin.id(), McpServer.class);
            try {
                server.ifPresent(s -> addTools(table, plugin.id(), s.listTools()));
            } catch (McpException e) {
                notListed.add("not listed: " + plugin.id() + " (" + TextTable.cell(masker.mask(e.getMessage())) + ")");
            }
        }
        List<String> lines = new ArrayList<>();
        if (table.size() > 0) {
            lines.add(table.render());
        }
        lines.add(TextTable.count(table.size(), "tool"));
        lines.addAll(notListed);
        return String.join("\n", lines);
    }

    @Descriptor("call a tool and print its result: text, images by type and size, structured content as JSON")
    public String call(CommandSession session,
            @Descriptor("server id (as shown by mcp:servers), tool name (as shown by mcp:tools), and optionally the"
                    + " arguments as a JSON object in single quotes, e.g. '{\"path\":\"/tmp\"}' (default {});"
                    + " the option, before or after them:"
                    + OPTION + "--timeout <seconds>   seconds to wait for the result, 1 to " + MAX_TIMEOUT_SECONDS
                    + " (default " + DEFAULT_TIMEOUT_SECONDS + ")")
            String... words) {
        Principal caller = security.require(session, Role.OPERATOR, "mcp:call");
        Words given = CommandArguments.words(words, CALL, List.of(), List.of("--timeout"));
        List<String> serverToolArguments = arguments(given.arguments(), 2, CALL, "the server id", "the tool name",
                "the arguments as one JSON object in single quotes");
        String serverId = serverToolArguments.get(0);
        String tool = serverToolArguments.get(1);
        long timeout = wholeNumber("--timeout", given.option("--timeout", DEFAULT_TIMEOUT_SECONDS), 1,
                MAX_TIMEOUT_SECONDS);
        JsonNode arguments = jsonObject(serverToolArguments.size() > 2 ? serverToolArguments.get(2) : "{}");
        McpServer server = server(plugins.require(), serverId);
        ToolDescriptor offered = listTools(server).stream().filter(t -> t.name().equals(tool)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tool '" + tool + "' on MCP server '" + serverId
                        + "'; see mcp:tools " + serverId));
        refuseWrappedArguments(serverId, offered, arguments);
        ToolCallResult result;
        // audited once it reaches the server, as POST /servers/{id}/tools/{tool}/call is: it acts on the world
        try {
            result = server.callTool(tool, arguments.toString(), Duration.ofSeconds(timeout));
        } catch (RuntimeException e) {
            security.record(caller, TOOL_CALL, serverId + "/" + tool, AuditEntry.FAILED, e.getMessage());
            throw e instanceof McpException failure ? failed(failure) : e;
        }
        security.record(caller, TOOL_CALL, serverId + "/" + tool, result.isError() ? AuditEntry.FAILED
                : AuditEntry.SUCCEEDED, result.isError() ? "the tool answered with an error (isError)" : null);
        // a tool may repeat a secret it read (a file, an environment): masked, as an agent's tool results are
        return masker.mask(render(result));
    }

    @Descriptor("list the catalog of installable MCP servers, ordered by id")
    public String catalog(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        security.require(session, Role.VIEWER, "mcp:catalog");
        noArguments(none, "mcp:catalog");
        McpCatalog catalog = serverCatalog.require();
        List<CatalogEntry> entries = catalog.entries();
        Set<String> installed = catalog.installedEntries();
        String count = TextTable.count(entries.size(), "catalog entry", "catalog entries");
        if (entries.isEmpty()) {
            return count;
        }
        TextTable table = TextTable.of("ID", "CATEGORY", "PRIORITY", "INSTALLED", "NAME");
        entries.forEach(e -> table.row(e.id(), e.category(), e.priority(), installed.contains(e.id()) ? "yes" : "no",
                e.name()));
        return table.render() + "\n" + count;
    }

    @Descriptor("recommend catalog servers for a task, best first")
    public String recommend(CommandSession session,
                            @Descriptor("the task in plain words, in double quotes, then optionally how many"
                                    + " recommendations at most, 1 to " + MAX_RECOMMENDATIONS + " (default "
                                    + DEFAULT_RECOMMENDATIONS + ")") String... taskAndMax) {
        security.require(session, Role.VIEWER, "mcp:recommend");
        List<String> words = arguments(taskAndMax, 1, RECOMMEND, "the task in quotes", "the number of recommendations");
        String task = words.get(0);
        if (task.isBlank()) {
            throw new IllegalArgumentException("describe the task in words, e.g. mcp:recommend \"read files in a"
                    + " folder\"");
        }
        int max = words.size() > 1 ? recommendations(words.get(1)) : DEFAULT_RECOMMENDATIONS;
        List<ServerRecommendation> recommendations = serverCatalog.require().recommend(task, max);
        if (recommendations.isEmpty()) {
            return "no catalog entry fits '" + TextTable.cell(task) + "'; see mcp:catalog";
        }
        // installed: a server runs the entry already (mcp:servers), so there is nothing to mcp:install
        TextTable table = TextTable.of("SCORE", "ID", "INSTALLED", "REASON");
        recommendations.forEach(r -> table.row(String.format(Locale.ROOT, "%.2f", r.score()), r.entry().id(),
                r.installed() ? "yes" : "no", r.reason()));
        return table.render();
    }

    /** The number of recommendations; a word that is no number may be the second word of a task not in quotes. */
    private static int recommendations(String max) {
        try {
            return (int) wholeNumber("mcp:recommend: the number of recommendations", max, 1, MAX_RECOMMENDATIONS);
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof NumberFormatException)) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + "; a task of several words goes in quotes: "
                    + RECOMMEND, e);
        }
    }

    @Descriptor("install a catalog server: configure it, wait until it connects and list its tools")
    public String install(CommandSession session,
                          @Descriptor("catalog id, as shown by mcp:catalog") String... catalogId) {
        Principal caller = security.require(session, Role.ADMIN, "mcp:install");
        String id = argument(catalogId, "the catalog id", INSTALL);
        McpCatalog mcpCatalog = serverCatalog.require();
        if (mcpCatalog.entry(id).isEmpty()) {
            throw new IllegalArgumentException("no catalog entry '" + id + "'; see mcp:catalog");
        }
        InstallReport report;
        try {
            report = mcpCatalog.install(id);
        } catch (RuntimeException e) {
            security.record(caller, "server.install", id, AuditEntry.FAILED, e.getMessage());
            throw e instanceof McpException failure ? failed(failure) : e;
        }
        security.record(caller, "server.install", id, AuditEntry.SUCCEEDED, String.join(", ", report.tools()));
        return String.join("\n", TextTable.field("id", report.id()),
                TextTable.field("configFile", report.configFile()),
                TextTable.field("installDirectory", report.installDirectory()),
                TextTable.field("tools", String.join(", ", report.tools())));
    }

    @Descriptor("uninstall a catalog server: remove its configuration and installed files")
    public String uninstall(CommandSession session,
                            @Descriptor("id of the installed server, as shown by mcp:servers") String... serverId) {
        Principal caller = security.require(session, Role.ADMIN, "mcp:uninstall");
        String id = argument(serverId, "the server id", UNINSTALL);
        try {
            serverCatalog.require().uninstall(id);
        } catch (RuntimeException e) {
            security.record(caller, "server.uninstall", id, AuditEntry.FAILED, e.getMessage());
            throw e instanceof McpException failure ? failed(failure) : e;
        }
        security.record(caller, "server.uninstall", id, AuditEntry.SUCCEEDED, null);
        return "uninstalled '" + id + "'";
    }

    @Descriptor("show the health of every MCP server")
    public String health(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        security.require(session, Role.VIEWER, "mcp:health");
        noArguments(none, "mcp:health");
        PluginManager manager = plugins.require();
        List<PluginInfo> servers = manager.list(PluginKind.MCP_SERVER);
        if (servers.isEmpty()) {
            return TextTable.count(0, "MCP server");
        }
        TextTable table = TextTable.of("ID", "STATUS", "MESSAGE");
        for (PluginInfo plugin : servers) {
            PluginHealth health = Plugins.health(manager, plugin.id(), "mcp:servers");
            // a server's health may quote what it wrote before it exited
            table.row(plugin.id(), health.status(), masker.mask(health.message()));
        }
        return table.render();
    }

    private List<ToolDescriptor> listTools(McpServer server) {
        try {
            return server.listTools();
        } catch (McpException e) {
            throw failed(e);
        }
    }

    /**
     * A server's or the installer's failure as the console shows it: its message masked (it may quote the server's
     * or npm's output, or a header value), as {@code llm:chat} shows a provider's failure. It carries the failure's
     * stack trace, not the failure as its cause, whose message is the unmasked one.
     */
    private IllegalStateException failed(McpException failure) {
        IllegalStateException failed = new IllegalStateException(masker.mask(failure.getMessage()));
        failed.setStackTrace(failure.getStackTrace());
        return failed;
    }

    /**
     * The server of that id; refused when there is none, saying why when its file in etc/ was refused (it said only
     * that there is none, and the refusal was in plugin:problems alone).
     */
    private McpServer server(PluginManager manager, String id) {
        String configuration = SERVER_CONFIGURATION + id;
        return manager.service(id, McpServer.class).orElseThrow(() -> new IllegalArgumentException(
                "no MCP server '" + id + "'" + reporters.problems(PluginCommands.SOURCE).stream()
                        .filter(problem -> configuration.equals(problem.subject()) // the MCP bundle's refusal
                                || (configuration + ".cfg.json").equals(problem.subject())).findFirst() // the file's
                        .map(problem -> ": " + masker.mask(problem.message())).orElse("; see mcp:servers")));
    }

    /**
     * The number of tools of a connected server, or null. A disconnected server is not asked (it could wait for a
     * connection); one that cannot list its tools counts as not connected, and {@code mcp:tools <id>} says why.
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

    private static void addTools(TextTable table, String serverId, List<ToolDescriptor> tools) {
        tools.stream().sorted(Comparator.comparing(ToolDescriptor::name)).forEach(t -> table.row(serverId, t.name(),
                cut(t.shownTitle(), TITLE_WIDTH),
                String.join(",", t.annotations().hints()), summary(t.description())));
    }

    /** The first line of a description, cut to {@value #DESCRIPTION_WIDTH} characters. */
    static String summary(String description) {
        return cut(description, DESCRIPTION_WIDTH);
    }

    /** The first line of a text (null stays null), cut to {@code width} characters. */
    private static String cut(String text, int width) {
        if (text == null) {
            return null;
        }
        String firstLine = text.strip().lines().findFirst().orElse("");
        if (firstLine.codePointCount(0, firstLine.length()) <= width) {
            return firstLine;
        }
        return firstLine.substring(0, firstLine.offsetByCodePoints(0, width - 3)) + "...";
    }

    /**
     * {@code '{"arguments": {...}}'} (the shape of MCP's own tools/call parameters) for a tool that declares no
     * parameter "arguments" would reach the server as one unknown argument; refused in the REST API's words.
     */
    @SuppressWarnings("unchecked")
    private static void refuseWrappedArguments(String server, ToolDescriptor tool, JsonNode arguments) {
        Map<String, ?> inputSchema;
        try {
            inputSchema = JSON.readValue(tool.inputSchemaJson(), Map.class);
        } catch (JsonProcessingException e) {
            inputSchema = null; // nothing to tell by: the server judges the arguments
        }
        Map<String, ?> given = JSON.convertValue(arguments, Map.class);
        WrappedArguments.refusal(server, tool.name(), given, inputSchema, "the JSON argument", null)
                .ifPresent(refusal -> {
                    throw new IllegalArgumentException(refusal);
                });
    }

    /** Checks that the text is one JSON object; the error names the JSON problem. */
    private static JsonNode jsonObject(String text) {
        JsonNode arguments;
        try {
            arguments = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException("the arguments are not valid JSON" + where + ": "
                    + ParserMessages.withoutSource(e.getOriginalMessage())
                            + "; give a JSON object in single quotes, e.g. '{\"key\":\"value\"}'", e);
        }
        if (!arguments.isObject()) {
            String found = arguments.isMissingNode() ? "nothing" : arguments.getNodeType().name().toLowerCase(Locale.ROOT);
            throw new IllegalArgumentException("the arguments must be a JSON object, not " + found
                    + "; e.g. '{\"key\":\"value\"}'");
        }
        return arguments;
    }

    /** The result as the console shows it; every text the server sent is made console-safe. */
    static String render(ToolCallResult result) {
        List<String> blocks = new ArrayList<>();
        if (result.isError()) {
            blocks.add("isError: true (the tool reports a failure)");
        }
        result.content().forEach(part -> blocks.add(render(part)));
        if (result.structuredContentJson() != null) {
            blocks.add("structuredContent:\n" + prettyJson(result.structuredContentJson()));
        }
        return blocks.isEmpty() ? "(no content)" : String.join("\n", blocks);
    }

    private static String render(Part part) {
        return switch (part) {
            case TextPart text -> TextTable.block(text.text());
            case MediaPart media -> "[" + media.kind().name().toLowerCase(Locale.ROOT) + " "
                    + TextTable.cell(media.mimeType()) + ", " + where(media.source()) + "]";
            case CitationPart link -> "[link " + TextTable.cell(link.title()) + " " + TextTable.cell(link.url()) + "]";
            case OpaquePart opaque -> "[" + TextTable.cell(opaque.provider()) + " content] "
                    + TextTable.cell(opaque.rawJson());
            default -> "[" + part.getClass().getSimpleName() + "]";
        };
    }

    private static String where(MediaSource source) {
        return switch (source) {
            case MediaSource.Inline inline -> inline.data().length + " bytes";
            case MediaSource.Url url -> TextTable.cell(url.url());
            case MediaSource.ProviderFileRef file -> TextTable.cell(file.reference());
        };
    }

    private static String prettyJson(String json) {
        try {
            return TextTable.block(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json)));
        } catch (JsonProcessingException e) {
            return TextTable.block(json) + "\n(not valid JSON: "
                    + TextTable.cell(ParserMessages.withoutSource(e.getOriginalMessage())) + ")";
        }
    }
}
