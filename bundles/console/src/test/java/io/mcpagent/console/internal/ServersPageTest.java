package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

class ServersPageTest {

    @Test
    void eachToolShowsTheHintsItsServerGivesAsTheShellDoes() throws Exception {
        String html = pageOfServerListing(
                new ToolDescriptor("read", "Read", "Reads a file.", null, null,
                        new ToolAnnotations(null, true, false, true, false)),
                new ToolDescriptor("write", null, "Writes a file.", null, null,
                        new ToolAnnotations(null, false, null, null, null)),
                new ToolDescriptor("plain", null, "Gives no hints.", null, null));
        assertTrue(html.contains("<th>Tool</th><th>Title</th><th>Hints</th><th>Description</th>"), html);
        assertTrue(html.contains("<tr><td>read</td><td>Read</td><td>readOnly, !destructive, idempotent, !openWorld"
                + "</td><td>Reads a file.</td></tr>"), html);
        assertTrue(html.contains("<tr><td>write</td><td></td><td>!readOnly</td><td>Writes a file.</td></tr>"), html);
        assertTrue(html.contains("<tr><td>plain</td><td></td><td></td><td>Gives no hints.</td></tr>"), html);
    }

    /** A tool without a top-level title shows its annotations' title, as mcp:tools does; its own title comes first. */
    @Test
    void aToolsTitleFallsBackToItsAnnotationsTitleAsTheShellDoes() throws Exception {
        String html = pageOfServerListing(
                new ToolDescriptor("annotated", null, "A.", null, null,
                        new ToolAnnotations("Annotated title", null, null, null, null)),
                new ToolDescriptor("both", "Own title", "B.", null, null,
                        new ToolAnnotations("Annotated title", null, null, null, null)));
        assertTrue(html.contains("<tr><td>annotated</td><td>Annotated title</td><td></td><td>A.</td></tr>"), html);
        assertTrue(html.contains("<tr><td>both</td><td>Own title</td><td></td><td>B.</td></tr>"), html);
    }

    /** A server that never connected has no protocol: it read "protocol , server broken" (a walkthrough). */
    @Test
    void aServerThatNeverConnectedSaysItHasNoProtocolYet() throws Exception {
        McpServer server = mock(McpServer.class);
        when(server.info()).thenReturn(new io.mcpagent.api.mcp.McpServerInfo("broken", "", null, "stdio"));
        when(server.listTools()).thenThrow(new io.mcpagent.api.mcp.McpException("broken", "exit code 3"));
        String html = page(new PluginInfo("broken", PluginKind.MCP_SERVER, "1", "broken", "", "io.mcpagent.mcp", "1",
                7, 9, Map.of()), server, PluginHealth.down("exit code 3"));
        assertTrue(html.contains("<p>Transport stdio, protocol not agreed yet (never connected), server broken </p>"),
                html);
    }

    /** Who is logged in reads as apikey:list and auth:whoami name the caller: an admin belongs to no tenant. */
    @Test
    void theHeaderNamesTheCallersTenantAndEveryTenantForAnAdmin() throws Exception {
        ServersPage page = new ServersPage(new ConsoleMasker());
        page.bindPlugins(mock(PluginManager.class));
        assertTrue(RenderedPage.html(page, ServersPage.LABEL, new Principal("key:a", Role.ADMIN, null))
                .contains("</b>, role <b id=\"mcpa-role\">admin</b>, every tenant.</p>"));
        assertTrue(RenderedPage.html(page, ServersPage.LABEL, new Principal("key:v", Role.VIEWER, "acme"))
                .contains("</b>, role <b id=\"mcpa-role\">viewer</b>, tenant acme.</p>"));
    }

    /** Without a server, the page names each way to add one: a file, the catalog and the console's own form. */
    @Test
    void withoutAServerThePageSaysHowToAddOneHereToo() throws Exception {
        ServersPage page = new ServersPage(new ConsoleMasker());
        page.bindPlugins(mock(PluginManager.class));
        String html = RenderedPage.html(page, ServersPage.LABEL, new Principal("key:a", Role.ADMIN, null));
        assertTrue(html.contains("<p>No MCP server is configured. Add etc/io.mcpagent.mcp.server~&lt;name&gt;.cfg.json,"
                + " or install one from the catalog (mcp:install in the shell).</p>"), html);
        assertTrue(html.contains("<p>An admin can also add one on this console's Configuration page: factory"
                + " \"MCP server\", +, and set its id, the server's name.</p>"), html);
    }

    /** The servers page as a viewer sees it, with one UP server "files" whose tool listing is {@code tools}. */
    private static String pageOfServerListing(ToolDescriptor... tools) throws Exception {
        McpServer server = mock(McpServer.class);
        when(server.listTools()).thenReturn(List.of(tools));
        return page(new PluginInfo("files", PluginKind.MCP_SERVER, "1", "files", "", "io.mcpagent.mcp", "1", 7, 9,
                Map.of()), server, PluginHealth.up());
    }

    /** The servers page as a viewer sees it, with the one server {@code plugin}: its service and its health. */
    private static String page(PluginInfo plugin, McpServer server, PluginHealth health) throws Exception {
        PluginManager manager = mock(PluginManager.class);
        when(manager.list(PluginKind.MCP_SERVER)).thenReturn(List.of(plugin));
        when(manager.health(plugin.id())).thenReturn(Optional.of(health));
        when(manager.service(plugin.id(), McpServer.class)).thenReturn(Optional.of(server));
        ServersPage page = new ServersPage(new ConsoleMasker());
        page.bindPlugins(manager);
        return RenderedPage.html(page, ServersPage.LABEL, new Principal("key:v", Role.VIEWER, null));
    }

    /**
     * The page says what agents are bound to a server for (its capabilities, and where they come from) and where it
     * works (its roots), as GET /api/v1/servers does: the folder a plan's warning asks to give a server is seen here.
     */
    @Test
    void aFileServerShowsItsCapabilitiesWithTheirSourceAndTheFoldersItWorksIn() throws Exception {
        McpServer files = mock(McpServer.class);
        when(files.roots()).thenReturn(List.of(URI.create("file:///srv/notes"), URI.create("file:///srv/out")));
        when(files.rootFolders()).thenCallRealMethod();
        PluginInfo plugin = new PluginInfo("files", PluginKind.MCP_SERVER, "1", "files", "", "io.mcpagent.mcp", "1", 7,
                9, Map.of(PluginProperties.MCP_CAPABILITIES, "file_read,file_write",
                        PluginProperties.MCP_CAPABILITIES_SOURCE, "catalog entry filesystem"));

        String html = page(plugin, files, PluginHealth.down("not started"));
        assertTrue(html.contains("<p class=\"mcpa-capabilities\">Capabilities file_read, file_write (catalog entry"
                + " filesystem)</p>"), html);
        assertTrue(html.contains("<p class=\"mcpa-roots\">Roots, the folders it works in: /srv/notes, /srv/out</p>"),
                html);
    }

    @Test
    void aServerWithoutCapabilitiesOrRootsSaysSo() throws Exception {
        PluginInfo plugin = new PluginInfo("odd", PluginKind.MCP_SERVER, "1", "odd", "", "io.mcpagent.mcp", "1", 7, 9,
                Map.of());

        String html = page(plugin, mock(McpServer.class), PluginHealth.unknown("not connected yet"));
        assertTrue(html.contains("<p class=\"mcpa-capabilities\">Capabilities none</p>"), html);
        assertTrue(html.contains("<p class=\"mcpa-roots\">No roots given</p>"), html);
    }
}
