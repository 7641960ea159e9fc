package io.mcpagent.analyzer.llm.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The MCP catalog's capability vocabulary with the meaning the labelling guide gives each name. The system
 * instruction, the answer schema and the parser are all built from this one list, so they cannot drift apart.
 */
enum Capability {
    WEB_FETCH("web_fetch", "fetch a known URL or page"),
    WEB_SEARCH("web_search", "search the web"),
    BROWSER_AUTOMATION("browser_automation", "click, fill in or screenshot web pages"),
    FILE_READ("file_read", "read local files or folders"),
    FILE_WRITE("file_write", "write local files, e.g. a summary.md"),
    CODE_REPOSITORY("code_repository", "git, GitHub, GitLab: issues, pull requests, commits"),
    DATABASE_QUERY("database_query", "SQL or database tables"),
    KEY_VALUE("key_value", "Redis or other key-value stores"),
    FULL_TEXT_SEARCH("full_text_search", "search an index such as Elasticsearch, or \"our docs index\""),
    KNOWLEDGE_GRAPH("knowledge_graph", "a graph of entities and relations"),
    MEMORY("memory", "remember or recall across conversations"),
    MESSAGING("messaging", "send or read Slack, Teams, email or SMS messages"),
    DOCUMENTS("documents", "Google Docs or Drive, Notion, PDF or Office documents"),
    DOCUMENTATION("documentation", "look up library or API documentation"),
    MAPS("maps", "places, routes, geocoding"),
    TIME("time", "current time, time zones, time conversion"),
    REASONING("reasoning", "explicit step-by-step thinking tools; only when the task says to think step by step or "
            + "reason through, or is a puzzle or a proof"),
    MONITORING("monitoring", "metrics, logs, alerts (Sentry, Grafana, Prometheus)"),
    CLOUD_STORAGE("cloud_storage", "S3, GCS or Azure Blob buckets"),
    CLOUD_INFRASTRUCTURE("cloud_infrastructure", "AWS, GCP, Azure or Kubernetes resources"),
    IMAGE_GENERATION("image_generation", "create images"),
    PAYMENTS("payments", "Stripe, invoices, charges"),
    TESTING("testing", "run test suites, end-to-end or browser tests");

    private static final Map<String, Capability> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Capability::id, Function.identity()));

    private final String id;
    private final String meaning;

    Capability(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    /** The vocabulary name, e.g. {@code web_search}. */
    String id() {
        return id;
    }

    String meaning() {
        return meaning;
    }

    /**
     * The capability a model's label names: case, surrounding blanks, and hyphens or spaces in place of underscores
     * are forgiven ({@code "Web-Search"} is {@code web_search}); anything else is not in the vocabulary.
     */
    static Optional<Capability> fromLabel(String label) {
        String normalised = label.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        return Optional.ofNullable(BY_ID.get(normalised));
    }
}
