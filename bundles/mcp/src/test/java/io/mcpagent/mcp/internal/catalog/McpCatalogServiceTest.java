package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.mcpagent.api.mcp.CatalogContribution;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Problem;

class McpCatalogServiceTest {

    @TempDir
    Path root;

    private McpCatalogService catalog() {
        return catalog(Map.of("connectTimeoutSeconds", 0));
    }

    /** A catalog whose installs find neither Node.js nor npm. */
    private McpCatalogService catalog(Map<String, Object> config) {
        return new McpCatalogService(BuiltinCatalog.load(), config(config), root.resolve("data"), root.resolve("etc"),
                new FakeProcessRunner(), name -> null);
    }

    /** A configuration as DS would give it: the values given, the annotation's defaults otherwise. */
    private static McpCatalogService.Config config(Map<String, Object> values) {
        return (McpCatalogService.Config) Proxy.newProxyInstance(McpCatalogService.Config.class.getClassLoader(),
                new Class<?>[] {McpCatalogService.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> McpCatalogService.Config.class;
                    case "toString" -> "Config" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    /**
     * A server made in the Web Console lives in Configuration Admin alone: uninstall found no file and answered "not
     * installed: there is no etc/io.mcpagent.mcp.server~files.cfg.json". The component asks ConfigAdmin, and
     * refuses it as the operator's (409), saying to delete it in the console; another id is still not installed.
     */
    @Test
    @SuppressWarnings("unchecked")
    void uninstallOfAServerMadeInTheWebConsoleSaysToDeleteItThere() throws Exception {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty("mcpagent.data")).thenReturn(root.resolve("data").toString());
        when(context.getProperty("mcpagent.etc")).thenReturn(root.resolve("etc").toString());
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(admin);
        String pid = "io.mcpagent.mcp.server.1c2d3e4f-0000-4b8f-9d1c-3c7f1f0d2a11";
        Configuration made = mock(Configuration.class);
        when(made.getPid()).thenReturn(pid);
        when(made.getFactoryPid()).thenReturn("io.mcpagent.mcp.server");
        when(made.getProperties()).thenReturn(new Hashtable<>(Map.of("id", "files", "command", "npx")));
        when(admin.listConfigurations("(service.factoryPid=io.mcpagent.mcp.server)"))
                .thenReturn(new Configuration[] {made});
        McpCatalogService catalog = new McpCatalogService(context, config(Map.of("connectTimeoutSeconds", 0)));

        McpException refused = assertThrows(McpException.class, () -> catalog.uninstall("files"));
        assertEquals("MCP server 'files': configured by hand, not installed from the catalog (configuration " + pid
                + ", set through Configuration Admin, such as in the Web Console, not by a file in etc/): uninstall"
                + " removes only catalog installs; delete that configuration in the Web Console to remove the server",
                refused.getMessage());
        assertTrue(assertThrows(McpException.class, () -> catalog.uninstall("other")).getMessage()
                .contains("not installed: there is no "), "no configuration of that id");
    }

    @Test
    void listsTheBuiltInEntriesById() {
        McpCatalogService catalog = catalog();
        List<String> ids = catalog.entries().stream().map(CatalogEntry::id).toList();
        assertEquals(ids.stream().sorted().toList(), ids);
        assertEquals(BuiltinCatalog.load().size(), ids.size());
        assertEquals("GitHub", catalog.entry("github").orElseThrow().name());
        assertEquals(Optional.empty(), catalog.entry("no-such-server"));
    }

    @Test
    void aContributionOverridesTheBuiltInEntryAndLeavesWithItsService() {
        McpCatalogService catalog = catalog();
        CatalogEntry ownGithub = entry("github", "GitHub Enterprise", List.of("ghe"));
        CatalogContribution contribution = () -> List.of(ownGithub, entry("weather", "Weather", List.of("forecast")));

        catalog.addContribution(contribution, service(12, 0));

        assertEquals("GitHub Enterprise", catalog.entry("github").orElseThrow().name());
        assertEquals("weather", catalog.recommend("weather forecast for tomorrow", 1).get(0).entry().id());
        assertEquals("github", catalog.recommend("ghe", 1).get(0).entry().id());

        catalog.removeContribution(contribution, service(12, 0));

        assertEquals("GitHub", catalog.entry("github").orElseThrow().name());
        assertEquals(Optional.empty(), catalog.entry("weather"));
        assertEquals(List.of(), catalog.recommend("weather forecast", 3));
    }

    /** The catalog service is not re-registered when its entries change: its listeners are how servers learn. */
    @Test
    void listenersAreToldWhenTheyArriveAndWhenTheEntriesChangeWithTheEntriesAsTheyAreThen() {
        McpCatalogService catalog = catalog();
        List<List<String>> told = new ArrayList<>();
        CatalogListener listener = changed -> told.add(changed.entries().stream().map(CatalogEntry::id)
                .filter(id -> id.startsWith("weather")).toList());
        CatalogContribution contribution = () -> List.of(entry("weather", "Weather", List.of("forecast")));

        catalog.addListener(listener);
        catalog.addContribution(contribution, service(40, 0));
        catalog.addContribution(List::of, service(41, 0));
        catalog.removeContribution(contribution, service(40, 0));
        catalog.removeListener(listener);
        catalog.addContribution(contribution, service(42, 0));

        assertEquals(List.of(List.of(), List.of("weather"), List.of()), told,
                "at once, then for each change of the entries; an empty contribution changes none, and a listener"
                        + " removed is told nothing more");
    }

    @Test
    void aFailingListenerKeepsNeitherTheCatalogNorTheOtherListenersFromTheChange() {
        McpCatalogService catalog = catalog();
        List<Integer> told = new ArrayList<>();
        catalog.addListener(changed -> {
            throw new IllegalStateException("broken listener");
        });
        catalog.addListener(changed -> told.add(changed.entries().size()));

        catalog.addContribution(() -> List.of(entry("weather", "Weather", List.of())), service(43, 0));

        assertEquals(List.of(BuiltinCatalog.load().size(), BuiltinCatalog.load().size() + 1), told);
        assertEquals("Weather", catalog.entry("weather").orElseThrow().name());
    }

    @Test
    void theHigherRankedContributionWins() {
        McpCatalogService catalog = catalog();
        catalog.addContribution(() -> List.of(entry("weather", "Strong", List.of())), service(20, 5));
        catalog.addContribution(() -> List.of(entry("weather", "Weak", List.of())), service(21, 0));
        catalog.addContribution(() -> List.of(entry("weather", "Later", List.of())), service(22, 5));

        assertEquals("Strong", catalog.entry("weather").orElseThrow().name());
    }

    @Test
    void anInvalidContributedEntryIsIgnoredAndAProblemWhileItsServiceIsThere() {
        McpCatalogService catalog = catalog();
        CatalogEntry unpinned = new CatalogEntry("weather", null, "", "data", List.of("teleport"), List.of(), 50,
                "weather-mcp", "latest", null, List.of(), List.of(), null, null);
        CatalogContribution contribution = () -> List.of(unpinned);

        catalog.addContribution(contribution, service(30, 0));

        assertEquals(Optional.empty(), catalog.entry("weather"));
        List<Problem> problems = catalog.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("catalog", problems.get(0).source());
        assertEquals("weather", problems.get(0).subject());
        String message = problems.get(0).message();
        assertTrue(message.startsWith("catalog entry 'weather' from service 30 of bundle 9 is ignored: field"
                + " 'npmVersion' must be an exact version such as 1.2.3, was 'latest'; field 'capabilities' holds"
                + " 'teleport', which is not in the capability vocabulary: browser_automation, "), message);
        catalog.removeContribution(contribution, service(30, 0));
        assertEquals(List.of(), catalog.problems());
    }

    @Test
    void uninstallTakesAConfigurationWithoutTheMarkerForACatalogInstallOnlyIfTheCatalogHasItsId() throws Exception {
        McpCatalogService catalog = catalog();
        Path etc = Files.createDirectories(root.resolve("etc"));
        for (String id : List.of("filesystem", "not-in-catalog")) {
            Files.writeString(etc.resolve("io.mcpagent.mcp.server~" + id + ".cfg.json"), "{}");
            Files.createDirectories(root.resolve("data/mcp/servers/" + id));
        }

        catalog.uninstall("filesystem");
        McpException refused = assertThrows(McpException.class, () -> catalog.uninstall("not-in-catalog"));

        assertFalse(Files.exists(etc.resolve("io.mcpagent.mcp.server~filesystem.cfg.json")));
        assertTrue(refused.getMessage().contains("configured by hand"), refused.getMessage());
        assertTrue(Files.exists(etc.resolve("io.mcpagent.mcp.server~not-in-catalog.cfg.json")));
    }

    /**
     * An entry is installed when a server has its id, or when a server configured by hand under another name is the
     * entry (it runs its package): before, a server fs running the filesystem package left the entry filesystem
     * listed as not installed and recommended as if it were missing.
     */
    @Test
    void recommendationsAndTheInstalledEntriesKnowTheServersThatAreAnEntryByNameOrPackage() {
        McpCatalogService catalog = catalog();
        PluginManager plugins = mock(PluginManager.class);
        when(plugins.list(PluginKind.MCP_SERVER)).thenReturn(List.of(
                new PluginInfo("memory", PluginKind.MCP_SERVER, "", "", "", "", "", 1, 2, Map.of()),
                new PluginInfo("fs", PluginKind.MCP_SERVER, "", "", "", "", "", 1, 3,
                        Map.of(PluginProperties.MCP_CATALOG_ENTRY, "filesystem")),
                new PluginInfo("notes", PluginKind.MCP_SERVER, "", "", "", "", "", 1, 4, Map.of())));

        assertFalse(catalog.recommend("remember facts", 1).get(0).installed());
        assertEquals(Set.of(), catalog.installedEntries(), "no plugin manager: nothing known to run");
        catalog.setPluginManager(plugins);
        assertEquals(Set.of("filesystem", "memory"), catalog.installedEntries(), "notes is no entry");
        ServerRecommendation memory = catalog.recommend("remember facts", 1).get(0);
        assertEquals("memory", memory.entry().id());
        assertTrue(memory.installed());
        ServerRecommendation files = catalog.recommend("read the files in the folder", 1).get(0);
        assertEquals("filesystem", files.entry().id());
        assertTrue(files.installed());
        catalog.unsetPluginManager(plugins);
        assertFalse(catalog.recommend("remember facts", 1).get(0).installed());
    }

    @Test
    void installOfAnUnknownIdNamesTheKnownOnes() {
        McpException failure = assertThrows(McpException.class, () -> catalog().install("no-such-server"));
        assertTrue(failure.getMessage().contains("no catalog entry"), failure.getMessage());
        assertTrue(failure.getMessage().contains("github"), failure.getMessage());
    }

    @Test
    void recommendRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> catalog().recommend("", 5));
        assertThrows(IllegalArgumentException.class, () -> catalog().recommend("fetch a page", -1));
    }

    @Test
    void aTimeOutOfRangeAtStartIsRefusedAndTheDefaultsApply() {
        McpCatalogService catalog = catalog(Map.of("installTimeoutSeconds", 0, "nodeCommand", "node-22"));

        assertRefused(catalog, "installTimeoutSeconds must be at least 1, was 0; the defaults are in force");
        assertInstallLooksFor(catalog, "nodeCommand 'node'");
    }

    @Test
    void aRefusedChangeKeepsThePreviousSettingsUntilAValidOneArrives() {
        McpCatalogService catalog = catalog(Map.of("nodeCommand", "node-20", "connectTimeoutSeconds", 0));
        assertEquals(List.of(), catalog.problems());

        catalog.modified(config(Map.of("nodeCommand", "node-22", "connectTimeoutSeconds", -1)));
        assertRefused(catalog, "connectTimeoutSeconds must be at least 0 (0: look once, do not wait), was -1; "
                + "the previous settings stay in force");
        catalog.modified(config(Map.of("nodeCommand", "node-22", "installTimeoutSeconds", -300)));
        assertRefused(catalog, "installTimeoutSeconds must be at least 1, was -300");
        assertInstallLooksFor(catalog, "nodeCommand 'node-20'");

        catalog.modified(config(Map.of("nodeCommand", "node-22", "installTimeoutSeconds", 1)));
        assertEquals(List.of(), catalog.problems());
        assertInstallLooksFor(catalog, "nodeCommand 'node-22'");
    }

    @Test
    void installInheritEnvNamesTheFurtherVariablesNpmGets() {
        FakeProcessRunner runner = new FakeProcessRunner()
                .with("node", (command, directory) -> new ProcessRunner.Outcome(0, "v20.1.0", false));
        McpCatalogService catalog = new McpCatalogService(BuiltinCatalog.load(), config(Map.of("connectTimeoutSeconds",
                0, "installInheritEnv", new String[] {" NODE_OPTIONS ", "PIP_INDEX_URL"})), root.resolve("data"),
                root.resolve("etc"), runner, name -> null);
        assertEquals(List.of(), catalog.problems());

        assertThrows(McpException.class, () -> catalog.install("memory"), "this runner has no npm");

        assertEquals(List.of("node", "--version"), runner.commands.get(0));
        assertEquals(List.of("NODE_OPTIONS", "PIP_INDEX_URL"), runner.inheritEnvs.get(0));
    }

    @Test
    void installInheritEnvIsRefusedForWhatIsNoNameAndForTheRuntimesOwnVariables() {
        McpCatalogService catalog = catalog(Map.of("nodeCommand", "node-20", "connectTimeoutSeconds", 0));

        catalog.modified(config(Map.of("nodeCommand", "node-22", "installInheritEnv",
                new String[] {"*", "NPM_TOKEN=npm-XSECRET-1", "2FA", "mcpagent_admin_key", ""})));

        assertRefused(catalog, "installInheritEnv entry 1 of 5 ('*') would pass the runtime's whole environment, its"
                + " secrets with it (MCPAGENT_ADMIN_KEY, credentials): name each variable npm needs");
        assertRefused(catalog, "installInheritEnv entry 2 of 5 ('NPM_TOKEN') must be a variable name only; set the"
                + " variable in the runtime's environment");
        assertRefused(catalog, "installInheritEnv entry 3 of 5 (a single word, not shown: it may be a value) is not an"
                + " environment variable name (letters, digits and _, not starting with a digit)");
        assertRefused(catalog, "installInheritEnv entry 5 of 5 is not an environment variable name");
        assertRefused(catalog, "installInheritEnv entry 4 of 5 ('mcpagent_admin_key') is a variable of the runtime"
                + " itself: npm never gets MCPAGENT_* variables (MCPAGENT_ADMIN_KEY is the bootstrap admin key)");
        assertFalse(catalog.problems().get(0).message().contains("XSECRET"), catalog.problems().get(0).message());
        assertInstallLooksFor(catalog, "nodeCommand 'node-20'");
    }

    private static void assertRefused(McpCatalogService catalog, String why) {
        List<Problem> problems = catalog.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(McpCatalogService.PID, problems.get(0).subject());
        String message = problems.get(0).message();
        assertTrue(message.startsWith("configuration io.mcpagent.mcp.catalog (etc/io.mcpagent.mcp.catalog.cfg.json) "
                + "is refused: "), message);
        assertTrue(message.contains(why), message);
    }

    /** The settings in force show in what an install looks for first: Node.js, by the configured command. */
    private static void assertInstallLooksFor(McpCatalogService catalog, String nodeCommand) {
        McpException failure = assertThrows(McpException.class, () -> catalog.install("memory"));
        assertTrue(failure.getMessage().contains("Node.js was not found (" + nodeCommand + ")"), failure.getMessage());
    }

    private static CatalogEntry entry(String id, String name, List<String> keywords) {
        return new CatalogEntry(id, name, "", "data", List.of(), keywords, 50, null, null, "some-command", List.of(),
                List.of(), null, null);
    }

    private static Map<String, Object> service(long id, int ranking) {
        return Map.of(Constants.SERVICE_ID, id, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_BUNDLEID, 9L);
    }
}
