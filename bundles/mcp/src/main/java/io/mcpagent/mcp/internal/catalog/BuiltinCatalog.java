package io.mcpagent.mcp.internal.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.mcpagent.api.mcp.CatalogEntry;

/**
 * The catalog entries shipped in the bundle ({@value #RESOURCE}, a JSON array of {@link CatalogEntry} objects).
 * Unknown fields, invalid entries and duplicate ids fail loading, and the unit tests load it, so a broken
 * resource fails the build rather than the runtime. Public so that benchmarks can load it outside OSGi.
 */
public final class BuiltinCatalog {

    static final String RESOURCE = "builtin-catalog.json";

    private BuiltinCatalog() {
    }

    public static List<CatalogEntry> load() {
        try (InputStream in = BuiltinCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in catalog " + RESOURCE + " is missing from the bundle");
            }
            List<CatalogEntry> entries = JsonMapper.builder().build().readValue(in, new TypeReference<>() { });
            Set<String> ids = new HashSet<>();
            for (CatalogEntry entry : entries) {
                if (!ids.add(entry.id())) {
                    throw new IllegalStateException("the built-in catalog has two entries with id '" + entry.id() + "'");
                }
                List<String> problems = CatalogEntryChecks.problems(entry);
                if (!problems.isEmpty()) {
                    throw new IllegalStateException("built-in catalog entry '" + entry.id() + "': "
                            + String.join("; ", problems));
                }
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in catalog " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
