package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

import io.mcpagent.api.mcp.CatalogContribution;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;

class McpCatalogServiceTest {

    @TempDir
    Path root;

    private McpCatalogService catalog() {
        InstallSettings settings = new InstallSettings("npm", "node", Duration.ofSeconds(300), Duration.ZERO,
                root.resolve("data"), root.resolve("etc"));
        return new McpCatalogService(BuiltinCatalog.load(), settings, new FakeProcessRunner(), name -> null);
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

    @Test
    void theHigherRankedContributionWins() {
        McpCatalogService catalog = catalog();
        catalog.addContribution(() -> List.of(entry("weather", "Strong", List.of())), service(20, 5));
        catalog.addContribution(() -> List.of(entry("weather", "Weak", List.of())), service(21, 0));
        catalog.addContribution(() -> List.of(entry("weather", "Later", List.of())), service(22, 5));

        assertEquals("Strong", catalog.entry("weather").orElseThrow().name());
    }

    @Test
    void anInvalidContributedEntryIsIgnored() {
        McpCatalogService catalog = catalog();
        CatalogEntry unpinned = new CatalogEntry("weather", null, "", "data", List.of(), List.of(), 50, "weather-mcp",
                "latest", null, List.of(), List.of(), null, null);

        catalog.addContribution(() -> List.of(unpinned), service(30, 0));

        assertEquals(Optional.empty(), catalog.entry("weather"));
    }

    @Test
    void recommendationsKnowWhatIsInstalled() {
        McpCatalogService catalog = catalog();
        PluginManager plugins = mock(PluginManager.class);
        when(plugins.get("memory")).thenReturn(Optional.of(new PluginInfo("memory", PluginKind.MCP_SERVER, "", "", "",
                "", "", 1, 2, Map.of())));
        when(plugins.get("github")).thenReturn(Optional.empty());

        assertFalse(catalog.recommend("remember facts", 1).get(0).installed());
        catalog.setPluginManager(plugins);
        ServerRecommendation memory = catalog.recommend("remember facts", 1).get(0);
        assertEquals("memory", memory.entry().id());
        assertTrue(memory.installed());
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

    private static CatalogEntry entry(String id, String name, List<String> keywords) {
        return new CatalogEntry(id, name, "", "data", List.of(), keywords, 50, null, null, "some-command", List.of(),
                List.of(), null, null);
    }

    private static Map<String, Object> service(long id, int ranking) {
        return Map.of(Constants.SERVICE_ID, id, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_BUNDLEID, 9L);
    }
}
