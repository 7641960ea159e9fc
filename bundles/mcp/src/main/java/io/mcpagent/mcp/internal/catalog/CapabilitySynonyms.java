package io.mcpagent.mcp.internal.catalog;

import java.util.List;
import java.util.Map;

/**
 * Words and phrases a task uses for what a server can do, by capability. A task that says "scrape the website"
 * needs {@code web_fetch} even if no entry lists "website" as a keyword. Capability names themselves
 * ("memory", "web fetch") match too and need not be repeated here.
 */
final class CapabilitySynonyms {

    static final Map<String, List<String>> BY_CAPABILITY = Map.ofEntries(
            Map.entry("web_fetch", List.of("website", "web site", "web page", "webpage", "page", "url", "link",
                    "scrape", "fetch", "download", "html", "article", "crawl")),
            Map.entry("web_search", List.of("web search", "search web", "search online", "search", "google",
                    "look up", "lookup", "news", "internet", "research", "find online")),
            Map.entry("browser_automation", List.of("browser", "click", "screenshot", "navigate", "form",
                    "headless", "automate", "fill", "login")),
            Map.entry("file_read", List.of("file", "folder", "directory", "read file", "local file")),
            Map.entry("file_write", List.of("write file", "save", "edit file", "create file", "rename", "move file")),
            Map.entry("code_repository", List.of("repo", "repository", "pull request", "pr", "issue", "commit",
                    "branch", "merge request", "code review", "git", "fork")),
            Map.entry("database_query", List.of("sql", "table", "query", "database", "db", "select", "row",
                    "column", "schema")),
            Map.entry("key_value", List.of("cache", "key value")),
            Map.entry("full_text_search", List.of("full text", "index", "log search")),
            Map.entry("knowledge_graph", List.of("knowledge graph", "entity", "relation", "relationship")),
            Map.entry("memory", List.of("remember", "recall", "fact", "forget", "memorize", "preference")),
            Map.entry("messaging", List.of("message", "chat", "channel", "send", "post", "notify", "dm")),
            Map.entry("documents", List.of("document", "spreadsheet", "sheet", "note", "wiki", "pdf", "drive")),
            Map.entry("documentation", List.of("docs", "api reference", "library", "framework", "sdk")),
            Map.entry("maps", List.of("map", "location", "address", "direction", "route", "distance", "place",
                    "nearby", "geocode", "travel")),
            Map.entry("time", List.of("timezone", "time zone", "date", "clock", "utc", "today")),
            Map.entry("reasoning", List.of("think", "plan", "step by step", "reason", "break down", "complex",
                    "analyse", "analyze", "brainstorm")),
            Map.entry("monitoring", List.of("error", "exception", "crash", "stack trace", "incident", "bug",
                    "alert", "monitor")),
            Map.entry("cloud_storage", List.of("s3", "bucket", "cloud storage", "upload")),
            Map.entry("cloud_infrastructure", List.of("cluster", "pod", "kubernetes", "k8s", "deploy", "container")),
            Map.entry("image_generation", List.of("image", "picture", "drawing", "illustration", "art", "logo",
                    "generate image")),
            Map.entry("payments", List.of("payment", "invoice", "refund", "subscription", "billing", "charge")),
            Map.entry("testing", List.of("test", "e2e", "end to end")));

    private CapabilitySynonyms() {
    }
}
