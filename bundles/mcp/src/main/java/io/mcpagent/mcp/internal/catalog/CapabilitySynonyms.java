package io.mcpagent.mcp.internal.catalog;

import java.util.List;
import java.util.Map;

import io.mcpagent.api.task.Capability;

/**
 * Words and phrases a task uses for what a server can do, by capability of the vocabulary. A task that says "scrape the website"
 * needs {@code web_fetch} even if no entry lists "website" as a keyword. Capability names themselves
 * ("memory", "web fetch") match too and need not be repeated here.
 */
final class CapabilitySynonyms {

    static final Map<Capability, List<String>> BY_CAPABILITY = Map.ofEntries(
            Map.entry(Capability.WEB_FETCH, List.of("website", "web site", "web page", "webpage", "page", "url", "link",
                    "scrape", "fetch", "download", "html", "article", "crawl")),
            Map.entry(Capability.WEB_SEARCH, List.of("web search", "search web", "search online", "search", "google",
                    "look up", "lookup", "news", "internet", "research", "find online")),
            Map.entry(Capability.BROWSER_AUTOMATION, List.of("browser", "click", "screenshot", "navigate", "form",
                    "headless", "automate", "fill", "login")),
            Map.entry(Capability.FILE_READ, List.of("file", "folder", "directory", "read file", "local file")),
            Map.entry(Capability.FILE_WRITE, List.of("write file", "save", "edit file", "create file", "rename", "move file")),
            Map.entry(Capability.CODE_REPOSITORY, List.of("repo", "repository", "pull request", "pr", "issue", "commit",
                    "branch", "merge request", "code review", "git", "fork")),
            Map.entry(Capability.DATABASE_QUERY, List.of("sql", "table", "query", "database", "db", "select", "row",
                    "column", "schema")),
            Map.entry(Capability.KEY_VALUE, List.of("cache", "key value")),
            Map.entry(Capability.FULL_TEXT_SEARCH, List.of("full text", "index", "log search")),
            Map.entry(Capability.KNOWLEDGE_GRAPH, List.of("knowledge graph", "entity", "relation", "relationship")),
            Map.entry(Capability.MEMORY, List.of("remember", "recall", "fact", "forget", "memorize", "preference")),
            Map.entry(Capability.MESSAGING, List.of("message", "chat", "channel", "send", "post", "notify", "dm")),
            Map.entry(Capability.DOCUMENTS, List.of("document", "spreadsheet", "sheet", "note", "wiki", "pdf", "drive")),
            Map.entry(Capability.DOCUMENTATION, List.of("docs", "api reference", "library", "framework", "sdk")),
            Map.entry(Capability.MAPS, List.of("map", "location", "address", "direction", "route", "distance", "place",
                    "nearby", "geocode", "travel")),
            Map.entry(Capability.TIME, List.of("timezone", "time zone", "date", "clock", "utc", "today")),
            Map.entry(Capability.REASONING, List.of("think", "plan", "step by step", "reason", "break down", "complex",
                    "analyse", "analyze", "brainstorm")),
            Map.entry(Capability.MONITORING, List.of("error", "exception", "crash", "stack trace", "incident", "bug",
                    "alert", "monitor")),
            Map.entry(Capability.CLOUD_STORAGE, List.of("s3", "bucket", "cloud storage", "upload")),
            Map.entry(Capability.CLOUD_INFRASTRUCTURE, List.of("cluster", "pod", "kubernetes", "k8s", "deploy", "container")),
            Map.entry(Capability.IMAGE_GENERATION, List.of("image", "picture", "drawing", "illustration", "art", "logo",
                    "generate image")),
            Map.entry(Capability.PAYMENTS, List.of("payment", "invoice", "refund", "subscription", "billing", "charge")),
            Map.entry(Capability.TESTING, List.of("test", "e2e", "end to end")));

    private CapabilitySynonyms() {
    }
}
