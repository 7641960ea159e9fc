package io.mcpagent.mcp.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpToolbox;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.mcp.ToolFilter;
import io.mcpagent.api.mcp.Toolset;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.mcp.internal.client.NotSentException;

/**
 * Aggregates the tools of MCP server plugins for agents. Exposed names are {@code <server>__<tool>}, reduced to
 * {@code [a-zA-Z0-9_-]} and at most 64 characters (a short hash keeps long names unique), so every LLM provider
 * accepts them; the mapping back to {@code server/tool} is kept, never parsed. Servers are looked up again for
 * every call, so a server removed meanwhile yields an error result the model can read, and a call coming while its
 * server restarts, as its configuration changed, waits for the restarted server ({@link ServerRestarts}); so does a
 * call the old server took just before and stopped before sending ({@link NotSentException}).
 */
@Component(service = McpToolbox.class)
public final class ToolboxComponent implements McpToolbox {
    private static final Logger LOG = LoggerFactory.getLogger(ToolboxComponent.class);
    static final int MAX_NAME = 64;

    private final PluginManager plugins;
    private final ServerRestarts restarts;
    /** Core's masker, which comes and goes with its bundle; masking by pattern alone while it is away. */
    private final AtomicReference<SecretMasker> masker = new AtomicReference<>();

    @Activate
    public ToolboxComponent(@Reference PluginManager plugins, @Reference ServerRestarts restarts) {
        this.plugins = plugins;
        this.restarts = restarts;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMasker")
    void bindMasker(SecretMasker service) {
        masker.set(service);
    }

    void unbindMasker(SecretMasker service) {
        masker.compareAndSet(service, null); // a later bind of another masker stays
    }

    @Override
    public Toolset toolset(Collection<String> serverIds, ToolFilter filter) {
        ToolFilter effective = filter == null ? ToolFilter.ALL : filter;
        Map<String, Origin> exposed = new LinkedHashMap<>();
        Map<String, Integer> nextSuffixes = new HashMap<>();
        List<ToolSpec> specs = new ArrayList<>();
        for (String serverId : serverIds) {
            Optional<PluginInfo> plugin = plugins.get(serverId);
            if (plugin.isEmpty() || plugin.get().kind() != PluginKind.MCP_SERVER) {
                throw new McpException(serverId, "no such MCP server plugin; installed: " + plugins.list(PluginKind.MCP_SERVER)
                        .stream().map(PluginInfo::id).toList());
            }
            List<ToolDescriptor> tools;
            try {
                tools = plugins.service(serverId, McpServer.class).map(McpServer::listTools).orElse(List.of());
            } catch (McpException e) {
                // the failure may quote the server's answer, which may echo the token it was sent
                LOG.warn("tools of MCP server '{}' left out of the toolset: {}", serverId, SecretMasker.orPatterns(masker.get()).mask(e.getMessage()));
                continue;
            }
            boolean readOnly = effective.readOnlyServers().contains(serverId) && annotatesReadOnly(tools);
            for (ToolDescriptor tool : tools) {
                if ((readOnly && !Boolean.TRUE.equals(tool.readOnlyHint()))
                        || !passes(effective, serverId + "/" + tool.name())) {
                    continue;
                }
                String name = uniqueName(exposedName(serverId, tool.name()), exposed, nextSuffixes);
                exposed.put(name, new Origin(serverId, tool.name()));
                String description = "[" + serverId + "] " + (!tool.description().isBlank() ? tool.description()
                        : tool.shownTitle() != null ? tool.shownTitle() : tool.name());
                specs.add(new ToolSpec(name, description, tool.inputSchemaJson(), false));
            }
        }
        return new ServerToolset(List.copyOf(specs), Map.copyOf(exposed));
    }

    private record Origin(String serverId, String tool) {
    }

    private final class ServerToolset implements Toolset {
        private final List<ToolSpec> specs;
        private final Map<String, Origin> origins;

        ServerToolset(List<ToolSpec> specs, Map<String, Origin> origins) {
            this.specs = specs;
            this.origins = origins;
        }

        @Override
        public List<ToolSpec> specs() {
            return specs;
        }

        @Override
        public String origin(String exposedName) {
            Origin origin = origins.get(exposedName);
            return origin == null ? null : origin.serverId() + "/" + origin.tool();
        }

        @Override
        public ToolCallResult call(String exposedName, String argumentsJson, Duration timeout) {
            Origin origin = origins.get(exposedName);
            if (origin == null) {
                return ToolResults.error("unknown tool '" + exposedName + "'; available: " + origins.keySet());
            }
            Served first = served(origin, timeout);
            if (first.server() == null) {
                return first.failure();
            }
            try {
                return callOn(first.server(), origin, argumentsJson, timeout);
            } catch (NotSentException notSent) {
                // The server stopped before the call reached it, as its configuration changed: the restarted server
                // takes it, which runs its tool once. One that went out is never sent again (it failed otherwise).
                Served restarted = served(origin, timeout);
                if (restarted.server() != null && restarted.server() != first.server()) {
                    try {
                        return callOn(restarted.server(), origin, argumentsJson, timeout);
                    } catch (NotSentException again) {
                        return ToolResults.error(again.getMessage());
                    }
                }
                // removed rather than restarted, or not back in time
                return restarted.waited() ? restarted.failure() : ToolResults.error(notSent.getMessage());
            }
        }
    }

    /**
     * The server of a call, or why there is none ({@code failure}); {@code waited}: the server was restarting, and the
     * call waited for that.
     */
    private record Served(McpServer server, ToolCallResult failure, boolean waited) {
    }

    /** The server registered now under {@code origin}'s id; one restarting is waited for within the call's timeout. */
    private Served served(Origin origin, Duration timeout) {
        Optional<McpServer> server = plugins.service(origin.serverId(), McpServer.class);
        boolean waited = server.isEmpty() && restarts.isRestarting(origin.serverId());
        if (waited) {
            Duration wait = restarts.waitFor(timeout);
            try {
                if (!restarts.awaitRestart(origin.serverId(), wait)) {
                    return new Served(null, ToolResults.error("MCP server '" + origin.serverId() + "' is restarting"
                            + " (its configuration changed) and was not back within " + wait.toMillis() + " ms"), true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Served(null, ToolResults.error("tool '" + origin.tool() + "' of MCP server '"
                        + origin.serverId() + "' was cancelled while waiting for the server's restart (its"
                        + " configuration changed)"), true);
            }
            server = plugins.service(origin.serverId(), McpServer.class);
        }
        return server.map(found -> new Served(found, null, false)).orElseGet(() -> new Served(null, ToolResults.error(
                "MCP server '" + origin.serverId() + "' is not installed any more"), waited));
    }

    /** The call on {@code server}; its failures as error results, but for one not sent, which may go elsewhere. */
    private ToolCallResult callOn(McpServer server, Origin origin, String argumentsJson, Duration timeout) {
        try {
            return server.callTool(origin.tool(), argumentsJson, timeout);
        } catch (NotSentException notSent) {
            throw notSent;
        } catch (McpException e) {
            return ToolResults.error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("tool {}/{} failed unexpectedly", origin.serverId(), origin.tool(), e);
            return ToolResults.error("tool '" + origin.tool() + "' of MCP server '" + origin.serverId()
                    + "' failed: " + e);
        }
    }

    /**
     * Whether the server tells its reading tools from the others: it gives some tool a {@code readOnlyHint}. One that
     * gives none is offered whole to an agent restricted to its read-only tools, as there is nothing to go by.
     */
    private static boolean annotatesReadOnly(List<ToolDescriptor> tools) {
        return tools.stream().anyMatch(tool -> tool.readOnlyHint() != null);
    }

    static boolean passes(ToolFilter filter, String qualifiedName) {
        return (filter.allow().isEmpty() || filter.allow().stream().anyMatch(g -> Globs.matches(g, qualifiedName)))
                && filter.deny().stream().noneMatch(g -> Globs.matches(g, qualifiedName));
    }

    static String exposedName(String serverId, String tool) {
        String name = sanitize(serverId) + "__" + sanitize(tool);
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = shortHash(serverId + "/" + tool);
        return name.substring(0, MAX_NAME - hash.length() - 1) + "_" + hash;
    }

    /**
     * {@code name}, or the first free {@code name_2}, {@code name_3}, ... The next suffix to try is kept per name: starting
     * at 2 each time made a server listing many names alike once cleaned ("t\u00e0", "t\u00e1", ... are all "t_") cost
     * the square of their number, minutes for the 250,000 that fit in one message.
     */
    private static String uniqueName(String name, Map<String, Origin> taken, Map<String, Integer> nextSuffixes) {
        if (!taken.containsKey(name)) {
            return name;
        }
        for (int i = nextSuffixes.getOrDefault(name, 2); ; i++) {
            String suffix = "_" + i;
            String candidate = (name.length() + suffix.length() > MAX_NAME
                    ? name.substring(0, MAX_NAME - suffix.length()) : name) + suffix;
            if (!taken.containsKey(candidate)) {
                nextSuffixes.put(name, i + 1);
                return candidate;
            }
        }
    }

    private static String sanitize(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            clean.append(allowed ? c : '_');
        }
        return clean.isEmpty() ? "_" : clean.toString();
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
