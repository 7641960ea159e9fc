package io.mcpagent.autonomous.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ServerRecommendation;

/**
 * A catalog of entries the test sets. Install registers the entry as a server plugin, as the real catalog does once
 * the server connects, unless the test made the entry fail; every install call is recorded.
 */
class FakeCatalog implements McpCatalog {
    private final FakePlugins plugins;
    private volatile List<CatalogEntry> entries = List.of();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    final List<String> installCalls = Collections.synchronizedList(new ArrayList<>());

    FakeCatalog(FakePlugins plugins) {
        this.plugins = plugins;
    }

    static CatalogEntry entry(String id, int priority, String... capabilities) {
        return new CatalogEntry(id, id, "", "other", List.of(capabilities), List.of(), priority, "@test/" + id,
                "1.0.0", null, List.of(), List.of(), null, null);
    }

    /** The built-in catalog's entries with their capabilities and priorities (bundles/mcp builtin-catalog.json). */
    static List<CatalogEntry> builtin() {
        return List.of(entry("fetch", 85, "web_fetch"), entry("filesystem", 80, "file_read", "file_write"),
                entry("github", 80, "code_repository"), entry("sqlite", 65, "database_query"),
                entry("puppeteer", 70, "browser_automation", "web_fetch"), entry("postgres", 70, "database_query"),
                entry("brave-search", 70, "web_search"), entry("google-drive", 60, "documents", "cloud_storage"),
                entry("memory", 75, "memory", "knowledge_graph"), entry("everything", 20, "testing"),
                entry("sequential-thinking", 60, "reasoning"), entry("git", 65, "code_repository"),
                entry("slack", 60, "messaging"), entry("redis", 45, "key_value"),
                entry("gitlab", 60, "code_repository"), entry("google-maps", 60, "maps"),
                entry("sentry", 55, "monitoring"), entry("time", 50, "time"),
                entry("aws-kb-retrieval", 40, "documents", "cloud_storage"), entry("everart", 40, "image_generation"),
                entry("playwright", 70, "browser_automation", "web_fetch", "testing"),
                entry("notion", 55, "documents"), entry("tavily", 60, "web_search", "web_fetch"),
                entry("exa", 55, "web_search"), entry("firecrawl", 55, "web_fetch", "web_search"),
                entry("context7", 55, "documentation"), entry("kubernetes", 45, "cloud_infrastructure"),
                entry("stripe", 45, "payments"), entry("supabase", 45, "database_query", "cloud_infrastructure"),
                entry("elasticsearch", 45, "full_text_search"), entry("deepwiki", 40, "documentation"));
    }

    FakeCatalog entries(List<CatalogEntry> newEntries) {
        entries = newEntries.stream().sorted(Comparator.comparing(CatalogEntry::id)).toList();
        return this;
    }

    FakeCatalog failInstalling(String id) {
        failing.add(id);
        return this;
    }

    @Override
    public List<CatalogEntry> entries() {
        return entries;
    }

    @Override
    public Optional<CatalogEntry> entry(String id) {
        return entries.stream().filter(entry -> entry.id().equals(id)).findFirst();
    }

    @Override
    public List<ServerRecommendation> recommend(String task, int max) {
        throw new UnsupportedOperationException("the autonomous layer matches capabilities, not words");
    }

    @Override
    public Set<String> installedEntries() {
        throw new UnsupportedOperationException("the autonomous layer asks the plugins which servers run");
    }

    @Override
    public InstallReport install(String id) {
        installCalls.add(id);
        if (failing.contains(id)) {
            throw new McpException(id, "npm install failed: E404 (test)");
        }
        plugins.server(id);
        return new InstallReport(id, "etc/io.mcpagent.mcp.server~" + id + ".cfg.json", "data/mcp/servers/" + id,
                List.of("tool"));
    }

    @Override
    public void uninstall(String id) {
        plugins.remove(id);
    }
}
