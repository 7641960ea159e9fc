package io.mcpagent.mcp.internal.catalog;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.mcp.CatalogEntry;

/**
 * The catalog at one moment: entries by id (in id order), where each came from, and the ranker built for them.
 * Replaced as a whole when contributions come and go, so readers never see half an update.
 */
record CatalogSnapshot(Map<String, CatalogEntry> entriesById, Map<String, String> sourcesById,
                       RecommendationRanker ranker) {

    static final String BUILT_IN = "the built-in catalog";

    /** {@code entriesById} must iterate in id order; the entry list and the ranker follow it. */
    static CatalogSnapshot of(Map<String, CatalogEntry> entriesById, Map<String, String> sourcesById) {
        List<CatalogEntry> entries = List.copyOf(entriesById.values());
        return new CatalogSnapshot(Map.copyOf(entriesById), Map.copyOf(sourcesById), new RecommendationRanker(entries));
    }

    List<CatalogEntry> entries() {
        return ranker.entries();
    }
}
