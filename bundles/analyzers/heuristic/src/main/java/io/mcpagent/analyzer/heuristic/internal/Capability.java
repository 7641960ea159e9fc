package io.mcpagent.analyzer.heuristic.internal;

/**
 * The MCP catalog's capability vocabulary (bundles/mcp README-catalog.md), the only names the analyzer puts in
 * {@code TaskAnalysis.requiredCapabilities}. The ordinal is the bit in a capability mask.
 */
enum Capability {
    WEB_FETCH("web_fetch"),
    WEB_SEARCH("web_search"),
    BROWSER_AUTOMATION("browser_automation"),
    FILE_READ("file_read"),
    FILE_WRITE("file_write"),
    CODE_REPOSITORY("code_repository"),
    DATABASE_QUERY("database_query"),
    KEY_VALUE("key_value"),
    FULL_TEXT_SEARCH("full_text_search"),
    KNOWLEDGE_GRAPH("knowledge_graph"),
    MEMORY("memory"),
    MESSAGING("messaging"),
    DOCUMENTS("documents"),
    DOCUMENTATION("documentation"),
    MAPS("maps"),
    TIME("time"),
    REASONING("reasoning"),
    MONITORING("monitoring"),
    CLOUD_STORAGE("cloud_storage"),
    CLOUD_INFRASTRUCTURE("cloud_infrastructure"),
    IMAGE_GENERATION("image_generation"),
    PAYMENTS("payments"),
    TESTING("testing");

    private static final Capability[] ALL = values();

    private final String id;

    Capability(String id) {
        this.id = id;
    }

    /** The vocabulary name, e.g. {@code web_search}. */
    String id() {
        return id;
    }

    int bit() {
        return 1 << ordinal();
    }

    /** The capability of a vocabulary name, or null. */
    static Capability ofId(String id) {
        for (Capability c : ALL) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }

    static Capability ofOrdinal(int ordinal) {
        return ALL[ordinal];
    }

    static int count() {
        return ALL.length;
    }
}
