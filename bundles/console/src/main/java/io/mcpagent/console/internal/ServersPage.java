package io.mcpagent.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.security.SecretMasker;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * "MCP servers": each MCP server plugin with its transport, protocol revision, health, capabilities, roots and tools,
 * with the annotation hints their server gives. Read only.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + ServersPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=MCP servers",
        ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY})
public final class ServersPage extends ConsolePage {
    static final String LABEL = "mcp-servers";
    private static final long serialVersionUID = 1L;

    private final transient OptionalService<PluginManager> plugins =
            new OptionalService<>("io.mcpagent.core");
    /** Masks configured secrets too (core's masker); absent, health and errors are masked by pattern alone. */
    private final transient ConsoleMasker masker;

    @Activate
    public ServersPage(@Reference ConsoleMasker masker) {
        this.masker = masker;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPlugins")
    void bindPlugins(PluginManager service) {
        plugins.bind(service);
    }

    void unbindPlugins(PluginManager service) {
        plugins.unbind(service);
    }

    @Override
    String label() {
        return LABEL;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ConsoleUser> user = user(request);
        if (user.isEmpty()) {
            return;
        }
        PrintWriter out = header(request, response, user.get());
        out.println("<h2>MCP servers</h2>");
        Optional<PluginManager> manager = plugins.orSayMissing(out, "The plugin whiteboard");
        if (manager.isEmpty()) {
            return;
        }
        List<PluginInfo> servers = manager.get().list(PluginKind.MCP_SERVER);
        if (servers.isEmpty()) {
            out.println("<p>No MCP server is configured. Add etc/io.mcpagent.mcp.server~&lt;name&gt;.cfg.json, or"
                    + " install one from the catalog (mcp:install in the shell).</p>");
            // a server made in the console lives in ConfigAdmin, not in etc/: admins have Felix's Configuration page
            out.println("<p>An admin can also add one on this console's Configuration page: factory \"MCP server\","
                    + " +, and set its id, the server's name.</p>");
            return;
        }
        SecretMasker secrets = masker.current();
        for (PluginInfo plugin : servers) {
            renderServer(out, manager.get(), plugin, secrets);
        }
    }

    /** A server's health and a failure to list its tools may quote what it answered: masked, as the REST API does. */
    private static void renderServer(PrintWriter out, PluginManager manager, PluginInfo plugin, SecretMasker masker) {
        PluginHealth health = manager.health(plugin.id()).orElse(PluginHealth.unknown("the server went away"));
        Optional<McpServer> server = manager.service(plugin.id(), McpServer.class);
        McpServerInfo info = server.map(McpServer::info).orElse(null);
        out.println("<section class=\"mcpa-server\" data-server=\"" + Html.text(plugin.id()) + "\"><h3>"
                + Html.text(plugin.id()) + "</h3><p>" + PluginsPage.healthBadge(health, masker) + "</p>");
        if (info != null) {
            // a server that never connected has no protocol yet: "protocol , server broken" said nothing
            String protocol = info.protocolVersion() == null || info.protocolVersion().isBlank()
                    ? "not agreed yet (never connected)" : info.protocolVersion();
            out.println("<p>Transport " + Html.text(info.transport()) + ", protocol " + Html.text(protocol)
                    + ", server " + Html.text(info.name()) + " " + Html.text(info.version()) + "</p>");
        }
        // what agents are bound to it for, and where it works: as GET /api/v1/servers shows them
        String capabilities = plugin.properties().get(PluginProperties.MCP_CAPABILITIES);
        String source = plugin.properties().getOrDefault(PluginProperties.MCP_CAPABILITIES_SOURCE, "declared");
        out.println("<p class=\"mcpa-capabilities\">Capabilities " + (capabilities == null ? "none"
                : Html.text(String.join(", ", capabilities.strip().split("\\s*,\\s*"))) + " (" + Html.text(source)
                + ")") + "</p>");
        List<String> roots = server.map(McpServer::rootFolders).orElse(List.of());
        out.println("<p class=\"mcpa-roots\">" + (roots.isEmpty() ? "No roots given"
                : "Roots, the folders it works in: " + Html.text(String.join(", ", roots))) + "</p>");
        boolean connected = health.status() == PluginHealth.Status.UP
                || health.status() == PluginHealth.Status.DEGRADED;
        if (server.isEmpty() || !connected) {
            out.println("<p>Tools are listed once the server is connected.</p></section>");
            return;
        }
        List<ToolDescriptor> tools;
        try {
            tools = server.get().listTools();
        } catch (RuntimeException e) {
            out.println("<p class=\"mcpa-error\">Its tools cannot be listed: " + Html.text(masker.mask(e.getMessage()))
                    + "</p></section>");
            return;
        }
        out.println("<details><summary>" + tools.size() + " tools</summary><table class=\"mcpa-table\"><thead><tr>"
                + "<th>Tool</th><th>Title</th><th>Hints</th><th>Description</th></tr></thead><tbody>");
        for (ToolDescriptor tool : tools) {
            out.println("<tr><td>" + Html.text(tool.name()) + "</td><td>" + Html.text(tool.shownTitle()) + "</td><td>"
                    + Html.text(String.join(", ", tool.annotations().hints())) + "</td><td>"
                    + Html.text(tool.description()) + "</td></tr>");
        }
        out.println("</tbody></table></details></section>");
    }

    @Override
    String allowedMethods() {
        return "GET, HEAD";
    }

    @Override
    void act(HttpServletRequest request, HttpServletResponse response, ConsoleUser user, String action)
            throws IOException {
        refuseMethod(response, "The MCP servers page only shows; install and remove servers with mcp:install or"
                + " POST /api/v1/servers/install.");
    }
}
