package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.task.Capability;

class BuiltinCatalogTest {

    private final List<CatalogEntry> entries = BuiltinCatalog.load();

    @Test
    void hasTheOriginalEightAndAtLeast24Entries() {
        Set<String> ids = new HashSet<>(entries.stream().map(CatalogEntry::id).toList());
        assertTrue(entries.size() >= 24, "only " + entries.size() + " entries");
        assertTrue(ids.containsAll(List.of("fetch", "filesystem", "github", "sqlite", "puppeteer", "postgres",
                "brave-search", "google-drive")), ids.toString());
    }

    @Test
    void idsAreValidAndUnique() {
        Set<String> ids = new HashSet<>();
        for (CatalogEntry entry : entries) {
            assertTrue(CatalogEntry.ID.matcher(entry.id()).matches(), entry.id());
            assertTrue(ids.add(entry.id()), "duplicate " + entry.id());
        }
    }

    @Test
    void everyEntryIsDescribedAndInstallable() {
        for (CatalogEntry entry : entries) {
            assertEquals(List.of(), CatalogEntryChecks.problems(entry), entry.id());
            assertFalse(entry.description().isBlank(), entry.id() + " has no description");
            assertFalse(entry.capabilities().isEmpty(), entry.id() + " has no capabilities");
            assertTrue(entry.keywords().size() >= 5, entry.id() + " has too few keywords");
            assertNotNull(entry.homepage(), entry.id() + " has no homepage");
            assertTrue(entry.npmPackage() != null || entry.command() != null || entry.url() != null, entry.id());
        }
    }

    /** Task words reach a capability through the synonym table, so entries must use its vocabulary. */
    @Test
    void capabilitiesComeFromTheSharedVocabulary() {
        for (CatalogEntry entry : entries) {
            for (String capability : entry.capabilities()) {
                assertTrue(Capability.ofId(capability).isPresent(),
                        entry.id() + " uses capability " + capability + ", which is not in the vocabulary");
            }
        }
    }

    @Test
    void everyCapabilityOfTheVocabularyHasSynonyms() {
        assertEquals(EnumSet.allOf(Capability.class), EnumSet.copyOf(CapabilitySynonyms.BY_CAPABILITY.keySet()));
    }
}
