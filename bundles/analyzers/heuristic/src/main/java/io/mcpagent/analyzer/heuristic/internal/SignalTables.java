package io.mcpagent.analyzer.heuristic.internal;

import static io.mcpagent.analyzer.heuristic.internal.Capability.BROWSER_AUTOMATION;
import static io.mcpagent.analyzer.heuristic.internal.Capability.CLOUD_INFRASTRUCTURE;
import static io.mcpagent.analyzer.heuristic.internal.Capability.CLOUD_STORAGE;
import static io.mcpagent.analyzer.heuristic.internal.Capability.CODE_REPOSITORY;
import static io.mcpagent.analyzer.heuristic.internal.Capability.DATABASE_QUERY;
import static io.mcpagent.analyzer.heuristic.internal.Capability.DOCUMENTATION;
import static io.mcpagent.analyzer.heuristic.internal.Capability.DOCUMENTS;
import static io.mcpagent.analyzer.heuristic.internal.Capability.FULL_TEXT_SEARCH;
import static io.mcpagent.analyzer.heuristic.internal.Capability.IMAGE_GENERATION;
import static io.mcpagent.analyzer.heuristic.internal.Capability.KEY_VALUE;
import static io.mcpagent.analyzer.heuristic.internal.Capability.KNOWLEDGE_GRAPH;
import static io.mcpagent.analyzer.heuristic.internal.Capability.MAPS;
import static io.mcpagent.analyzer.heuristic.internal.Capability.MEMORY;
import static io.mcpagent.analyzer.heuristic.internal.Capability.MESSAGING;
import static io.mcpagent.analyzer.heuristic.internal.Capability.MONITORING;
import static io.mcpagent.analyzer.heuristic.internal.Capability.PAYMENTS;
import static io.mcpagent.analyzer.heuristic.internal.Capability.REASONING;
import static io.mcpagent.analyzer.heuristic.internal.Capability.TESTING;
import static io.mcpagent.analyzer.heuristic.internal.Capability.TIME;
import static io.mcpagent.analyzer.heuristic.internal.Capability.WEB_FETCH;
import static io.mcpagent.analyzer.heuristic.internal.Capability.WEB_SEARCH;
import static io.mcpagent.api.task.TaskType.ANALYSIS;
import static io.mcpagent.api.task.TaskType.AUTOMATION;
import static io.mcpagent.api.task.TaskType.CODING;
import static io.mcpagent.api.task.TaskType.COMMUNICATION;
import static io.mcpagent.api.task.TaskType.CONTENT_CREATION;
import static io.mcpagent.api.task.TaskType.DATA_PROCESSING;
import static io.mcpagent.api.task.TaskType.GENERAL;
import static io.mcpagent.api.task.TaskType.RESEARCH;

/**
 * The cue tables: which words and phrases say what about a task. Written from the labelling guide (type,
 * complexity, capability and pattern definitions) and tuned on the development corpus
 * ({@code bundles/analyzers/corpus/dev.tsv}) only. A cue may appear in several tables; its signal is the sum.
 * Words match with their inflections ("tests", "testing" find "test"; "summarize" finds "summarise");
 * {@code b.verb()} cues count only when the word opens its clause segment ("email the team", not "the email").
 */
final class SignalTables {

    private SignalTables() {
    }

    static Lexicon lexicon() {
        Lexicon.Builder b = new Lexicon.Builder();
        structure(b);
        types(b);
        capabilities(b);
        patterns(b);
        size(b);
        return b.build();
    }

    /** Words that shape the scan: verbs and steps, order, lists, negation, files. */
    private static void structure(Lexicon.Builder b) {
        b.flag(Signal.DETERMINER, "the", "a", "an", "this", "that", "these", "those", "my", "our", "your", "their",
                "its", "his", "her", "some", "all", "any", "each", "every", "whatever", "every single");
        b.flag(Signal.COLLECTIVE, "these", "those", "all");
        b.flag(Signal.CONJUNCTION, "and", "plus");
        b.flag(Signal.ALTERNATIVE, "or");
        b.flag(Signal.SEQUENCE | Signal.FILLER, "then", "afterwards", "finally", "lastly", "subsequently");
        b.flag(Signal.SEQUENCE, "after that", "followed by", "once done", "once that is done", "and then");
        b.flag(Signal.NEGATION, "without", "not", "never", "no need", "avoid", "instead of", "except");
        b.flag(Signal.QUESTION, "what", "whats", "who", "when", "where", "why", "how", "which", "is", "are", "does",
                "do", "should", "could", "can");
        b.flag(Signal.FILLER, "please", "pls", "plz", "kindly", "can", "could", "would", "will", "should", "must",
                "may", "might", "you", "u", "i", "we", "me", "us", "let", "lets", "want", "need", "like", "to",
                "also", "just", "now", "quickly", "first", "ok", "okay", "so", "go", "ahead", "help", "try", "do",
                "be", "have", "it", "them", "him", "her", "then", "immediately", "simply", "really", "actually",
                "somehow", "hey", "hi", "ugh", "yes", "yeah");
        b.flag(Signal.PREPOSITION, "with", "in", "on", "at", "for", "from", "by", "of", "about", "into", "under",
                "over", "per", "via", "near", "between", "against", "after", "before", "during", "including",
                "within", "inside", "without", "than");
        b.flag(Signal.UNIT, "ms", "milliseconds", "seconds", "minutes", "hours", "days", "weeks", "months", "years",
                "percent", "times", "words", "lines", "characters", "sentences", "paragraphs", "points", "bullets",
                "dollars", "euros", "km", "miles", "degrees", "steps", "runs", "mb", "gb", "tb", "rows", "nights",
                "replicas", "queries", "examples", "pages", "people", "employees", "jan", "feb", "mar", "apr",
                "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february", "march",
                "april", "june", "july", "august", "september", "october", "november", "december", "monday",
                "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");
        b.flag(Signal.TOPIC | Signal.PREPOSITION, "about", "regarding", "concerning");
        b.verb().flag(Signal.TOPIC, "research", "learn about", "explain");
        b.flag(Signal.TARGET, "to", "into", "as", "called", "named");
        b.flag(Signal.WRITE_INTENT, "write", "save", "export", "create", "generate", "output", "store", "dump");
        b.flag(Signal.EDIT_INTENT, "edit", "fix", "patch", "modify", "update", "change", "refactor", "rename",
                "move", "tidy", "organise", "clean", "clean up", "dedupe", "deduplicate", "convert", "sort",
                "delete", "add", "append", "tune", "write back", "merge", "reformat");
        b.flag(Signal.LOCAL_FILES, "folder", "folders", "directory", "directories", "files", "local file",
                "local files", "desktop", "downloads", "subfolder", "file system", "filesystem", "file", "dockerfile",
                "makefile");
        b.flag(Signal.PICTURES, "image", "images", "picture", "pictures", "illustration", "logo", "logos", "drawing",
                "poster", "banner", "icon", "icons", "artwork", "thumbnail", "infographic", "photo", "photos");
        b.flag(Signal.MAKES, "generate", "regenerate", "create", "make", "draw", "design", "render", "produce",
                "illustrate", "sketch", "paint", "build", "set up", "stand up", "write", "draft", "compose");
        b.flag(Signal.TESTS, "tests", "test suite", "test", "specs");
        b.flag(Signal.RUNS, "run", "rerun", "re run", "execute", "running");
        b.number(1, "one", "single");
        b.number(2, "two", "both", "pair", "couple");
        b.number(3, "three");
        b.number(4, "four");
        b.number(5, "five");
        b.number(6, "six");
        b.number(7, "seven");
        b.number(8, "eight");
        b.number(9, "nine");
        b.number(10, "ten");
        b.number(12, "twelve", "dozen");
        b.number(20, "twenty");
        b.flag(Signal.VERB, "tell", "give", "show", "thank", "suggest", "propose", "recommend", "answer", "describe",
                "include", "keep", "let", "explain", "use", "help", "decide", "return", "hand", "pass");
        // Work verbs: opening a clause segment, each is one step.
        b.flag(Signal.ACTION, "research", "find", "search", "look up", "gather", "collect", "investigate",
                "read", "fetch", "download", "scrape", "crawl", "open", "check", "browse", "visit", "pull", "grab",
                "analyse", "compare", "evaluate", "assess", "review", "diagnose", "identify", "audit", "inventory",
                "calculate", "compute", "estimate", "forecast", "rank", "score", "test", "measure", "benchmark",
                "write", "draft", "compose", "summarise", "translate", "create", "generate", "produce", "design",
                "outline", "rewrite", "edit", "proofread", "prepare", "illustrate", "draw", "make", "build",
                "code", "implement", "refactor", "fix", "debug", "add", "port", "optimise", "migrate", "patch",
                "convert", "clean", "extract", "transform", "parse", "merge", "aggregate", "normalise", "dedupe",
                "deduplicate", "filter", "sort", "split", "join", "load", "import", "export", "tabulate", "map",
                "deploy", "schedule", "configure", "set up", "install", "upgrade", "update", "backup", "back up",
                "restore", "rename", "move", "copy", "delete", "archive", "upload", "sync", "automate", "monitor",
                "restart", "provision", "scale", "roll back", "rollback", "publish", "release", "run", "rerun",
                "execute", "fill", "click", "book", "save", "store", "commit", "push", "list", "organise", "track",
                "tag", "send", "email", "e mail", "reply", "respond", "notify", "announce", "post", "share", "forward",
                "invite", "remind", "message", "ping", "text", "dm", "inform", "route", "classify", "triage",
                "assign", "categorise", "plan", "verify", "validate", "report", "record", "label", "watch",
                "reproduce", "confirm", "backfill", "clone", "rotate", "reconcile", "flag", "geocode", "snapshot",
                "terminate", "stand up", "log into", "sign in", "page", "repost", "pick", "detect", "query",
                "set", "put", "take", "go through", "look at", "work out", "figure out", "ask", "tidy",
                "turn", "shrink", "iterate", "revise", "refine", "critique", "polish", "regenerate",
                "improve", "repeat");
    }

    /** Evidence for each task type; a verb opening a segment counts double. */
    private static void types(Lexicon.Builder b) {
        b.type(RESEARCH, 1.5, "research", "investigate", "look up", "find out", "literature", "literature review",
                "market research", "find information", "gather information", "state of the art", "news", "latest",
                "stack overflow", "forum", "forums", "competitor research", "look it up");
        b.type(RESEARCH, 1.0, "search", "gather", "discover", "survey", "competitors", "look for", "browse",
                "recent", "hotel", "hotels", "flights", "places", "restaurants", "directions", "weather",
                "forecast for", "pricing", "prices", "release", "knowledge graph", "docs", "documentation");
        b.type(RESEARCH, 0.8, "find", "collect", "explore", "online", "web", "information", "according to");

        b.type(ANALYSIS, 1.5, "analyse", "analysis", "diagnose", "diagnosis", "root cause", "evaluate",
                "assess", "assessment", "interpret", "insights", "pros and cons", "swot", "correlation",
                "what went wrong", "sentiment", "anomalies", "anomaly", "outliers", "bottleneck", "red flag", "likely causes", "what s going on", "audit", "security audit",
                "proof", "prove", "puzzle", "trade offs", "tradeoffs", "reason through");
        b.type(ANALYSIS, 1.0, "compare", "comparison", "trend", "trends", "statistics", "identify",
                "determine", "predict", "figure out", "breakdown", "risk", "risks", "churn", "churned",
                "explain why", "benchmark", "patterns", "versus", "vs", "evaluation", "worst", "best",
                "why", "recommend", "drivers", "culprits", "funnel");
        b.type(ANALYSIS, 0.6, "review", "explain", "estimate", "rank", "check", "measure", "look at", "score");

        b.type(CONTENT_CREATION, 1.5, "summarise", "summary", "translate", "translation", "essay", "poem", "story",
                "blog", "blog post", "cover letter", "tagline", "slogan", "proofread", "rewrite", "paraphrase",
                "outline", "press release", "newsletter", "caption", "headline", "lyrics", "speech", "copywriting",
                "product description", "job description", "bio", "tweet", "haiku", "limerick", "illustration",
                "logo", "poster", "banner", "infographic", "slide deck", "presentation", "article", "takeaways",
                "write up", "tldr", "abstract", "script", "storyboard", "transcript", "toast", "subject lines",
                "copy", "readme", "memo", "proposal", "timeline", "image", "picture", "photo", "scene",
                "announcement", "sections", "bullets");
        b.type(CONTENT_CREATION, 0.5, "write");
        b.type(CONTENT_CREATION, 1.0, "draft", "report", "post", "description", "letter", "guide",
                "tutorial", "faq", "agenda", "minutes", "brochure", "content", "polish", "itinerary", "recipe",
                "deck", "slides", "brainstorm", "concepts", "watercolor", "style", "wording", "tone");
        b.type(CONTENT_CREATION, 0.3, "create", "generate", "produce", "compose", "design", "make", "words",
                "document");
        b.type(CONTENT_CREATION, 1.5, "simulated", "transcript", "script", "scene");
        b.verb().type(COMMUNICATION, 2.0, "text", "email", "message", "dm", "ping", "page");
        b.type(GENERAL, 1.5, "mock interview", "tutor", "practise", "practice", "game", "quiz me", "play");

        b.type(CODING, 2.0, "refactor", "debug", "unit test", "unit tests", "code review", "stack trace",
                "memory leak", "regex", "regular expression", "compile", "compiler", "segfault", "null pointer",
                "pull request", "merge request", "failing test", "flaky", "type error", "syntax error",
                "linter", "lint", "off by one", "null checks", "race condition", "dockerfile", "doctests",
                "function", "functions", "codebase", "monolith",
                "feature flag", "regression test", "dependencies", "vulnerabilities", "terraform", "sdk");
        b.type(CODING, 1.5, "code", "coding", "bug", "bugs", "implement", "python", "java", "javascript",
                "typescript", "golang", "rust", "kotlin", "swift", "ruby", "php", "scala", "react", "django",
                "flask", "spring boot", "algorithm", "endpoint", "api endpoint", "rest api", "graphql", "class",
                "method", "exception", "programming", "program", "snippet", "frontend", "backend", "css", "html",
                "library", "dependency", "test suite", "tests", "repo", "repository", "commit", "commits",
                "branch", "git", "github", "pr", "prs", "cli", "npm", "maven", "gradle", "pytest", "junit",
                "jest", "module", "parser", "query", "schema", "fix", "build", "app", "service", "caching",
                "heap", "gc", "ooms", "oom", "playwright", "cypress", "flag", "dry run", "sql", "orm");
        b.type(CODING, 0.8, "script", "api", "crash", "error", "errors", "migration", "test", "optimise", "port",
                "feature", "upgrade", "deprecated", "ci", "issue", "issues", "performance", "patch", "developer",
                "engineer", "node", "indexes", "p99", "latency", "benchmark");

        b.type(DATA_PROCESSING, 1.5, "csv", "json", "xml", "yaml", "excel", "spreadsheet", "xlsx", "parquet",
                "dedupe", "deduplicate", "duplicates", "normalise", "etl", "elt", "pivot", "aggregate", "reformat",
                "dataset", "data set", "parse", "convert", "transform", "records", "rows", "columns", "column",
                "group by", "tabulate", "totals", "json lines", "iso 8601", "e 164", "extract", "median",
                "std dev", "standard deviation", "geocode", "lat long", "backfill", "star schema",
                "data warehouse", "data quality", "nps", "survey responses", "contacts", "vcf", "merge");
        b.type(DATA_PROCESSING, 1.0, "clean", "combine", "consolidate", "sort", "filter", "table", "entries",
                "fields", "field", "format", "mapping", "import", "export", "average", "sum", "count", "split",
                "join", "encode", "decode", "base64", "sheet", "list of", "values", "structured", "data",
                "load", "numbers", "revenue", "signups", "categorise", "pull", "compute", "cross reference",
                "units", "addresses", "pdf");

        b.type(AUTOMATION, 1.5, "schedule", "deploy", "deployment", "automate", "automation", "cron", "webhook",
                "backup", "back up", "provision", "restart", "rollback", "roll back", "set up", "configure",
                "every morning", "every day", "every hour", "every week", "every monday", "every night",
                "daily", "hourly", "nightly", "trigger", "pipeline", "ci cd", "ansible", "install", "sync",
                "rename", "archive", "fill out", "fill in", "log into", "click", "screenshot", "monitoring",
                "alerting", "rotate", "renew", "upload", "move", "delete", "tidy", "folder", "folders",
                "directory", "replicas", "scale", "cluster", "clusters", "snapshot", "terminate", "refund",
                "cancel", "ttl", "redis key", "stand up", "environment", "secrets", "password", "cutover",
                "dns", "label each", "assign", "create an issue", "open an issue", "alert", "alerts");
        b.type(AUTOMATION, 0.3, "run");
        b.type(AUTOMATION, 1.0, "copy", "download", "organise", "files", "server", "servers", "bucket",
                "kubernetes", "reminder", "calendar", "book", "execute", "launch", "release", "publish",
                "form", "browser", "workflow", "job", "jobs", "list", "clean up", "update", "subscribe",
                "unsubscribe", "charge", "older than", "pods", "ec2", "instances", "aws", "upgrade", "set",
                "screenshots", "viewport", "create a folder", "subfolder", "store", "watch", "health");

        b.type(COMMUNICATION, 2.0, "email", "e mail", "reply", "slack", "sms", "announce", "notify", "dm",
                "text message", "whatsapp", "telegram", "discord", "respond to", "follow up", "thank you note",
                "let them know", "let the team know", "reach out", "inform", "inbox", "post in", "post to",
                "reminder to", "message to", "send", "forward", "repost");
        b.type(COMMUNICATION, 1.5, "message", "messages", "mail", "respond", "channel", "invite", "invitation",
                "remind", "ping", "apology", "apologise", "congratulate", "customer", "chat", "chats",
                "notification", "response", "write to", "neighbour", "wife", "husband", "friendly", "thank",
                "help desk", "helpdesk", "intake", "front desk", "escalation");
        b.type(COMMUNICATION, 0.6, "team", "colleague", "colleagues", "manager", "client", "clients",
                "stakeholders", "everyone", "boss", "user", "customers", "approver", "lead", "leads", "support",
                "ticket");

        b.type(GENERAL, 2.0, "joke", "trivia", "fun fact", "riddle", "how are you", "how s it going", "hello",
                "capital of", "meaning of", "definition of", "who wrote", "who invented", "who was", "who is",
                "difference between", "explain like", "tutor me", "practise",
                "practice", "what did i tell you", "remember that", "time in", "what time");
        b.type(GENERAL, 1.0, "what", "who", "define", "definition", "tell me", "fact", "calculate", "percent",
                "recipe", "synonym", "opinion", "advice", "tip", "tips", "idea", "ideas", "price",
                "worth", "remember", "recall", "last time", "hey", "time zone", "dst");
    }

    /** Capabilities (the MCP catalog's vocabulary), as the labelling guide and the corpus conventions define them. */
    private static void capabilities(Lexicon.Builder b) {
        b.capability(WEB_FETCH, "<URL>", "webpage", "web page", "web pages");
        b.weakCapability(WEB_FETCH, "<DOMAIN>", "<WEB_FILE>", "website", "websites", "homepage", "landing pages", "blog posts at");
        b.verb().capability(WEB_FETCH, "fetch", "scrape", "crawl");

        b.capability(WEB_SEARCH, "online", "internet", "search the web", "web search", "on the web", "news",
                "search online", "stack overflow", "forum", "forums", "reddit", "hacker news", "literature review",
                "competitor research", "google it", "hotel", "hotels", "flights");
        b.weakCapability(WEB_SEARCH, "latest", "look up", "find out", "prices", "pricing", "weather",
                "forecast", "reviews", "stock price", "exchange rate", "currency", "regulations");
        b.verb().capability(WEB_SEARCH, "research");
        b.verb().weakCapability(WEB_SEARCH, "search", "look up", "google");

        b.capability(BROWSER_AUTOMATION, "browser", "real browser", "click", "fill out", "fill in", "web form",
                "screenshot of", "take a screenshot", "full page screenshot", "log into", "log in to", "sign in",
                "headless", "selenium", "puppeteer", "viewport");
        b.verb().capability(BROWSER_AUTOMATION, "screenshot", "log in", "navigate");

        b.capability(CODE_REPOSITORY, "<REPOSITORY_URL>", "<ISSUE_NUMBER>", "github", "gitlab", "bitbucket", "repo",
                "repos", "repository", "repositories", "pull request", "pull requests", "merge request", "open a pr",
                "open pr", "the pr", "a pr", "this pr", "merged prs", "open prs", "commit", "commits", "git", "create an issue", "open an issue", "file an issue", "github issue",
                "dependabot", "branch protection");
        b.weakCapability(CODE_REPOSITORY, "<REPOSITORY_SLUG>", "issue", "issues", "pr", "prs");
        b.verb().capability(CODE_REPOSITORY, "clone", "fork");
        b.veto(CODE_REPOSITORY, "github actions", "monorepo");

        b.capability(DATABASE_QUERY, "database", "databases", "the db", "mysql", "sqlite", "mariadb", "mongodb",
                "bigquery", "snowflake", "redshift", "data warehouse", "orders table", "users table",
                "customers table", "subscriptions table", "expenses table", "staging tables", "from postgres",
                "postgres schema", "postgres role", "rds", "row counts", "query it", ".sql");
        b.weakCapability(DATABASE_QUERY, "postgres", "postgresql", "table", "tables", "sql", "db");
        b.verb().capability(DATABASE_QUERY, "query");
        b.veto(DATABASE_QUERY, "write a postgres query", "sql schema", "design a sql schema", "sql expert");

        b.capability(KEY_VALUE, "redis", "key value", "kv store", "memcached", "etcd", "dynamodb");

        b.capability(FULL_TEXT_SEARCH, "elasticsearch", "opensearch", "solr", "full text", "lucene", "algolia",
                "search index", "docs index", "faq index", "our index", "elasticsearch index", "internal docs",
                "knowledge base", "internal source");
        b.veto(FULL_TEXT_SEARCH);
        b.veto(DOCUMENTATION, "docs index", "internal docs", "google docs", "google doc");

        b.capability(KNOWLEDGE_GRAPH, "knowledge graph", "ontology", "neo4j", "nodes and edges");
        b.weakCapability(KNOWLEDGE_GRAPH, "relations", "relationships", "entities");

        b.capability(MEMORY, "remember", "recall", "memorise", "last time", "previous conversation",
                "you told me", "from now on", "keep in mind", "what did i tell you", "in memory", "to memory",
                "your memory", "next session");

        b.capability(MESSAGING, "<CHANNEL>", "slack", "sms", "text message", "whatsapp", "telegram", "discord",
                "dm", "dms", "inbox", "microsoft teams", "teams channel", "latest email", "slack dm");
        b.weakCapability(MESSAGING, "<EMAIL_ADDRESS>", "<MENTION>");
        b.veto(MESSAGING, "right tool", "right agent");
        b.verb().capability(MESSAGING, "email", "e mail", "text", "message", "ping", "notify", "send", "reply",
                "forward", "page", "repost", "dm", "slack", "announce", "mail");
        b.verb().weakCapability(MESSAGING, "post");

        b.capability(DOCUMENTS, "google docs", "google doc", "google drive", "in drive", "drive folder",
                "on drive", "from drive", "shared drive", "notion", "word document", "docx", "pptx", "powerpoint",
                "google sheets", "google sheet", "google slides", "confluence", "sharepoint", "onedrive", ".docx",
                ".xlsx", ".pptx", ".doc", "pdf on", "the pdf", "pdf in", "pdfs in");
        b.weakCapability(DOCUMENTS, "pdf", "pdfs", ".pdf", "spreadsheet", "excel", "document", "documents");

        b.capability(DOCUMENTATION, "documentation", "api docs", "official docs", "api reference",
                "reference docs", "library docs", "man page", "docs");

        b.capability(MAPS, "map", "maps", "directions", "how far", "nearby", "near me", "restaurants", "geocode",
                "latitude", "longitude", "driving time", "drive from", "walking distance",
                "walking route", "driving route", "a route", "the route", "route between", "route from",
                "fastest route", "best route", "travel time", "hotel", "hotels", "places", "cafes",
                "transit");
        b.verb().veto(MAPS, "map");

        b.capability(TIME, "what time", "time zone", "time zones", "timezone", "timezones", "current time",
                "local time", "daylight saving", "dst", "time in", "working hours", "pacific",
                "time right now");
        b.veto(TIME, "timezone column");

        b.capability(REASONING, "step by step", "think through", "reason through", "reason about", "puzzle",
                "riddle", "proof", "prove", "logic puzzle", "think carefully", "chain of thought", "brain teaser",
                "think it through");

        b.capability(MONITORING, "sentry", "grafana", "prometheus", "datadog", "loki", "kibana", "pagerduty",
                "new relic", "error logs", "logs", "error rate", "error rates", "alert", "alerts", "dashboard",
                "dashboards", "observability", "uptime", "apm", "opentelemetry");
        b.weakCapability(MONITORING, "metrics", "latency", "incident", "outage");
        b.veto(MONITORING, "dependabot alerts", "access logs");

        b.capability(CLOUD_STORAGE, "<STORAGE_URL>", "s3", "bucket", "buckets", "gcs", "blob storage",
                "azure blob", "cloud storage", "object storage", "minio");

        b.capability(CLOUD_INFRASTRUCTURE, "aws", "gcp", "azure", "kubernetes", "k8s", "cluster", "clusters",
                "pod", "pods", "ec2", "eks", "gke", "aks", "helm", "cloud run", "vm", "vms", "instances",
                "autoscaling", "load balancer", "ecs", "cloudformation", "iam", "secrets manager");
        b.weakCapability(CLOUD_INFRASTRUCTURE, "deploy", "production environment", "infrastructure");
        b.verb().capability(CLOUD_INFRASTRUCTURE, "roll back", "rollback");
        b.veto(CLOUD_INFRASTRUCTURE);

        // Pictures named in a task that makes something need image_generation (Signal.PICTURES and MAKES).
        b.capability(IMAGE_GENERATION, "dall e", "midjourney", "stable diffusion", "text to image");
        b.veto(IMAGE_GENERATION, "dockerfile", "docker", "container image");

        b.capability(PAYMENTS, "stripe", "braintree", "adyen", "payments api", "payouts", "payout",
                "payment provider");
        b.weakCapability(PAYMENTS, "paypal", "refund", "charge", "charges");

        b.capability(TESTING, "test suite", "test suites", "e2e", "end to end test", "end to end tests",
                "integration tests", "cypress", "jest", "pytest", "regression test", "regression tests",
                "smoke test", "load test", "contract tests", "playwright", "failing test", "flaky");
        b.veto(TESTING, "write unit tests", "write tests");

        // Extensions: the file shape adds file_read or file_write; these add what the format says.
        b.type(DATA_PROCESSING, 1.0, ".csv", ".json", ".jsonl", ".xml", ".yaml", ".yml", ".parquet", ".tsv",
                ".xlsx", ".vcf");
        b.type(CODING, 1.0, ".py", ".java", ".js", ".ts", ".go", ".rs", ".rb", ".kt", ".cpp", ".c", ".h", ".cs",
                ".php", ".sql", ".sh", ".gradle", ".toml");
        b.type(CONTENT_CREATION, 0.5, ".md", ".txt", ".docx", ".pptx");
        b.known(".log", ".html", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".zip", ".doc", ".lock", ".ini",
                ".cfg", ".conf", ".env", ".properties", ".xml");
    }

    /** Words that point at one workflow pattern. */
    private static void patterns(Lexicon.Builder b) {
        b.pattern(Pattern.PARALLEL, 3.0, "in parallel", "parallel", "simultaneously", "concurrently",
                "at the same time", "side by side", "at once");
        b.pattern(Pattern.PARALLEL, 1.2, "each of", "for each of", "each one", "every one", "all three",
                "all four", "all of them", "one combined", "into one", "in one list", "versus", "vs");
        b.pattern(Pattern.PARALLEL, 0.8, "several", "multiple", "across", "respectively", "compare", "concepts");
        b.pattern(Pattern.PARALLEL, 0.3, "each");
        b.pattern(Pattern.PARALLEL, -1.0, "after each", "for each day", "each day", "each customer",
                "each person", "each with");

        b.pattern(Pattern.ROUTER, 2.5, "whichever", "right team", "right department", "right queue",
                "right approver", "right repo", "right tool", "right one", "right person", "right specialist",
                "right agent", "appropriate team", "relevant team", "correct team", "which department",
                "which team", "which agent", "which specialist", "best suited", "wherever it belongs",
                "whoever owns", "front door", "should own", "should deal with", "belongs to");
        b.pattern(Pattern.ROUTER, 1.5, "decide which", "decide whether", "work out whether", "figure out whether",
                "decide for each", "is this a", "matching", "if it's about", "if it is about", "fits best", "fits", "belongs", "classify",
                "categorise", "label each", "whether it", "detect the language", "pass it to", "hand this to",
                "hand it to", "send it to the right", "owns", "who should");
        b.verb().pattern(Pattern.ROUTER, 2.5, "route", "triage", "dispatch");
        b.verb().pattern(Pattern.ROUTER, 1.0, "forward", "assign", "repost", "decide", "page");

        b.pattern(Pattern.SWARM, 2.5, "hand off", "hands off", "handing off", "handoff", "handoffs", "hand over",
                "handing over", "hands them", "hand them", "hand the floor", "passing the floor", "pass me",
                "pass the visitor", "take over", "takes over", "taking over", "jump in", "cuts in", "cut in",
                "back and forth", "each other", "hand back", "handing back", "comes back to me", "role play",
                "roleplay", "help desk", "helpdesk", "as a team", "room of agents", "war room",
                "escalation flow", "escalates");
        b.pattern(Pattern.SWARM, 1.2, "agents", "mock", "simulate", "debate", "negotiate", "negotiation",
                "front desk", "concierge", "intake",
                "panel", "tutor", "practise", "practice", "hands", "handing", "as needed", "conversation",
                "argue");
        b.pattern(Pattern.SWARM, 1.2, "moderator", "referee", "narrator", "facilitator");
        b.pattern(Pattern.SWARM, 0.6, "agent", "chat", "chats", "personas", "roles");

        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 3.0, "keep improving", "keep revising", "keep going",
                "review and revise", "high fidelity", "repeat until",
                "iterate", "rubric", "critique", "refine", "polish", "regenerate", "revise", "revising",
                "critique pass", "between runs", "after each change", "after every change", "after each round",
                "after each draft", "keep the best", "tighten");
        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 1.5, "improve", "perfect", "excellent", "criteria", "iterations",
                "drafts", "tune", "optimise", "high quality", "score them", "score it", "check it against",
                "check it for", "against our", "best practices", "fidelity", "rewrite it");
        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 0.8, "keep", "until", "till");

        b.pattern(Pattern.ORCHESTRATOR, 1.0, "plan and execute", "end to end", "migrate", "migration",
                "workflow", "phases", "stages", "go to market", "quarterly close", "get us ready");
        b.verb().pattern(Pattern.ORCHESTRATOR, 0.8, "build");
    }

    /** Cues of a larger, more critical task, and of a small one. */
    private static void size(Lexicon.Builder b) {
        b.complexity(2.0, "production", "prod", "mission critical", "zero downtime", "multi region",
                "disaster recovery", "compliance", "gdpr", "hipaa", "soc 2", "security audit", "architecture",
                "architectures", "from scratch", "enterprise", "large scale", "distributed", "company wide",
                "go to market", "quarterly close", "board", "downtime", "real time", "data warehouse");
        b.complexity(1.0, "comprehensive", "in depth", "thorough", "strategy", "end to end", "migrate",
                "migration", "scalable", "roadmap", "business plan", "critical", "whole", "complete", "detailed",
                "all services", "platform", "infrastructure", "upgrade", "microservices", "proposal",
                "rationale", "highly available", "failover", "every failure case", "licensing");
        b.complexity(-1.0, "quick", "quickly", "simple", "just", "briefly", "one sentence", "short", "one line",
                "single", "keep it simple", "rn", "right now");
    }
}
