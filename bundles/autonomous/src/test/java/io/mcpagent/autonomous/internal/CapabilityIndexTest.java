package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.mcp.CatalogEntry;

class CapabilityIndexTest {

    @Test
    void providersAreRankedByPriorityThenId() {
        CapabilityIndex index = CapabilityIndex.of(FakeCatalog.builtin());

        assertEquals(List.of("brave-search", "tavily", "exa", "firecrawl"),
                index.providers("web_search").stream().map(CatalogEntry::id).toList());
        assertEquals(List.of(), index.providers("teleportation"));
        assertTrue(index.provides("playwright", "testing"));
        assertFalse(index.provides("playwright", "web_search"));
        assertFalse(index.provides("not-in-the-catalog", "web_search"));
    }

    @Test
    void capabilityNamesAreNormalisedToTheVocabulary() {
        assertEquals("web_search", CapabilityIndex.normalise(" Web-Search "));
        assertEquals("x_ray_vision", CapabilityIndex.normalise("x-ray vision"));
        String clean = "file_read";
        assertSame(clean, CapabilityIndex.normalise(clean));

        CapabilityIndex index = CapabilityIndex.of(List.of(FakeCatalog.entry("odd", 50, "Web-Search")));
        assertTrue(index.provides("odd", "web_search"), "entries are normalised too");
    }

    @Test
    void requiredCapabilitiesAreNormalisedSortedAndDistinct() {
        assertEquals(List.of("file_read", "web_search"),
                Capabilities.sorted(Set.of("web-search", "web_search", "file_read", " ")));
        assertEquals(List.of(), Capabilities.sorted(Set.of()));
    }

    @Test
    void theIndexIsReusedWhileTheCatalogIsUnchangedAndRebuiltWhenItChanges() {
        FakeCatalog catalog = new FakeCatalog(new FakePlugins()).entries(FakeCatalog.builtin());
        CapabilityIndexCache cache = new CapabilityIndexCache();

        CapabilityIndex first = cache.indexOf(catalog);
        assertSame(first, cache.indexOf(catalog));

        catalog.entries(new ArrayList<>(FakeCatalog.builtin()));
        assertSame(first, cache.indexOf(catalog), "an equal entry list keeps the index");

        List<CatalogEntry> changed = new ArrayList<>(FakeCatalog.builtin());
        changed.add(FakeCatalog.entry("teleporter", 90, "teleportation"));
        catalog.entries(changed);
        CapabilityIndex rebuilt = cache.indexOf(catalog);
        assertNotSame(first, rebuilt);
        assertEquals("teleporter", rebuilt.providers("teleportation").get(0).id());

        assertSame(CapabilityIndex.EMPTY, cache.indexOf(null));
    }
}
