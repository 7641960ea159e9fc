package io.mcpagent.api.task;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The capability vocabulary: what an MCP server can do and a task needs, by the name that
 * {@link TaskAnalysis#requiredCapabilities()}, the MCP catalog's entries and a server's {@code capabilities}
 * configuration use ({@link #id()}, e.g. {@code web_search}). The one definition the analyzers, the catalog and the
 * autonomous layer share, so that what a task is said to need is what a server can be found for.
 */
public enum Capability {
    /** Fetch a known URL or page. */
    WEB_FETCH("web_fetch"),
    /** Search the web. */
    WEB_SEARCH("web_search"),
    /** Click, fill in or screenshot web pages. */
    BROWSER_AUTOMATION("browser_automation"),
    /** Read local files or folders. */
    FILE_READ("file_read"),
    /** Write local files. */
    FILE_WRITE("file_write"),
    /** Git hosting: issues, pull requests, commits. */
    CODE_REPOSITORY("code_repository"),
    /** SQL or database tables. */
    DATABASE_QUERY("database_query"),
    /** Redis or other key-value stores. */
    KEY_VALUE("key_value"),
    /** Search an index such as Elasticsearch. */
    FULL_TEXT_SEARCH("full_text_search"),
    /** A graph of entities and relations. */
    KNOWLEDGE_GRAPH("knowledge_graph"),
    /** Remember or recall across conversations. */
    MEMORY("memory"),
    /** Send or read chat, email or SMS messages. */
    MESSAGING("messaging"),
    /** Office, PDF, Google Docs or Notion documents. */
    DOCUMENTS("documents"),
    /** Library or API documentation. */
    DOCUMENTATION("documentation"),
    /** Places, routes, geocoding. */
    MAPS("maps"),
    /** Current time, time zones, time conversion. */
    TIME("time"),
    /** Explicit step-by-step thinking tools. */
    REASONING("reasoning"),
    /** Metrics, logs, alerts. */
    MONITORING("monitoring"),
    /** Object storage buckets (S3, GCS, Azure Blob). */
    CLOUD_STORAGE("cloud_storage"),
    /** Cloud or Kubernetes resources. */
    CLOUD_INFRASTRUCTURE("cloud_infrastructure"),
    /** Create images. */
    IMAGE_GENERATION("image_generation"),
    /** Payments, invoices, charges. */
    PAYMENTS("payments"),
    /** Run test suites, end-to-end or browser tests. */
    TESTING("testing");

    private static final Map<String, Capability> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Capability::id, Function.identity()));

    private final String id;

    Capability(String id) {
        this.id = id;
    }

    /** The vocabulary name, e.g. {@code web_search}: lower case, words joined by underscores. */
    public String id() {
        return id;
    }

    /** The capability named exactly {@code id} (e.g. {@code web_search}); empty for any other name, or null. */
    public static Optional<Capability> ofId(String id) {
        return Optional.ofNullable(id == null ? null : BY_ID.get(id));
    }
}
