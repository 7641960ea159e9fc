package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.Secrets;

/**
 * A plugin's health message may quote its failure: an MCP server's error answer can echo the request's headers, the
 * configured credential among them. The Plugins and MCP servers pages, open to viewers, show it masked.
 */
class HealthMaskingTest {
    /** A configured value of no known shape: only the platform's masker knows it. */
    private static final String SECRET = "literal-XSECRET-777";
    private static final String ECHOED = "initialize failed: HTTP 500: you sent: Authorization: Bearer " + SECRET;

    @TempDir
    Path deploy;

    private final PluginManager manager = mock(PluginManager.class);
    private final PluginInfo server = new PluginInfo("leaky", PluginKind.MCP_SERVER, "1", "leaky", "", "io.mcpagent.mcp",
            "1", 7, 9, Map.of());

    @BeforeEach
    void setUp() {
        when(manager.list()).thenReturn(List.of(server));
        when(manager.list(PluginKind.MCP_SERVER)).thenReturn(List.of(server));
        when(manager.health("leaky")).thenReturn(Optional.of(PluginHealth.down(ECHOED)));
    }

    /** The console's masker with the platform's bound: it knows the configured secret. */
    private static ConsoleMasker platformMasker() {
        ConsoleMasker masker = new ConsoleMasker();
        masker.bindMasker(text -> text == null ? null : text.replace(SECRET, Secrets.MASK));
        return masker;
    }

    private static String viewed(ConsolePage page, String label) throws Exception {
        return RenderedPage.html(page, label, new Principal("key:v", Role.VIEWER, null));
    }

    @Test
    void theServersPageMasksAServersHealthMessage() throws Exception {
        ServersPage page = new ServersPage(platformMasker());
        page.bindPlugins(manager);

        String html = viewed(page, ServersPage.LABEL);
        assertFalse(html.contains(SECRET), html);
        assertTrue(html.contains("you sent: Authorization: Bearer " + Secrets.MASK), html);
    }

    @Test
    void theServersPageMasksAFailureToListTools() throws Exception {
        McpServer mcp = mock(McpServer.class);
        when(manager.health("leaky")).thenReturn(Optional.of(PluginHealth.up()));
        when(manager.service("leaky", McpServer.class)).thenReturn(Optional.of(mcp));
        when(mcp.listTools()).thenThrow(new IllegalStateException("tools/list failed: " + ECHOED));
        ServersPage page = new ServersPage(platformMasker());
        page.bindPlugins(manager);

        String html = viewed(page, ServersPage.LABEL);
        assertFalse(html.contains(SECRET), html);
        assertTrue(html.contains("Its tools cannot be listed"), html);
    }

    /** The Plugins page over the deploy folder, with the platform's masker and the whiteboard bound. */
    private PluginsPage pluginsPage() {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(DeployFolder.PROPERTY)).thenReturn(deploy.toString());
        when(context.getBundles()).thenReturn(new Bundle[0]);
        PluginsPage page = new PluginsPage(context, new ConsoleConfiguration(Configs.console(Map.of())),
                platformMasker());
        page.bindPlugins(manager);
        return page;
    }

    @Test
    void thePluginsPageMasksAPluginsHealthMessage() throws Exception {
        PluginsPage page = pluginsPage();

        String html = viewed(page, PluginsPage.LABEL);
        assertFalse(html.contains(SECRET), html);
        assertTrue(html.contains("Authorization: Bearer " + Secrets.MASK), html);
    }

    /**
     * The Plugins page lists the platform's problems as plugin:problems does (a deployed jar that does not resolve or
     * start, a refused configuration), masked; before, an admin deploying there saw a jar listed like any other and
     * never why its plugins did not come (a walkthrough). A reporter that fails is named, the others still listed.
     */
    @Test
    void thePluginsPageListsTheProblemsMasked() throws Exception {
        PluginsPage page = pluginsPage();
        assertTrue(viewed(page, PluginsPage.LABEL).contains("<p id=\"mcpa-problems\">No problems.</p>"));

        page.bindReporter(() -> List.of(new Problem("deploy", "com.example.act 1.0.0", "bundle com.example.act 1.0.0"
                + " (file:deploy/act.jar) is resolved but did not start: Not found: com.example.NoSuchActivator",
                java.time.Instant.parse("2026-12-07T09:00:00Z"))), Map.of("service.id", 3L));
        page.bindReporter(() -> {
            throw new IllegalStateException("broken reporter");
        }, Map.of("service.id", 4L));
        page.bindReporter(() -> List.of(new Problem("config", "io.mcpagent.mcp.server~x", "refused: " + ECHOED, null)),
                Map.of("service.id", 5L));

        String html = viewed(page, PluginsPage.LABEL);
        assertTrue(html.contains("<td>deploy</td><td class=\"mcpa-id\">com.example.act 1.0.0</td><td>bundle"
                + " com.example.act 1.0.0 (file:deploy/act.jar) is resolved but did not start: Not found:"
                + " com.example.NoSuchActivator</td><td>2026-12-07T09:00:00Z</td>"), html);
        assertTrue(html.contains("its problems cannot be listed: java.lang.IllegalStateException: broken reporter"),
                html);
        assertFalse(html.contains(SECRET), html);
        assertTrue(html.contains("refused: initialize failed"), html);
        assertTrue(html.contains("2 problems, as plugin:problems lists them."), html);
    }

    @Test
    void withoutThePlatformsMaskerTheShapesOfSecretsAreMaskedStill() throws Exception {
        String token = "sk-ant-api03-" + "A".repeat(40);
        when(manager.health("leaky")).thenReturn(Optional.of(PluginHealth.down("HTTP 401: key " + token
                + " is invalid")));
        ServersPage page = new ServersPage(new ConsoleMasker());
        page.bindPlugins(manager);

        String html = viewed(page, ServersPage.LABEL);
        assertFalse(html.contains(token), html);
    }
}
