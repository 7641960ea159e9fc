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
 * complexity, capability and pattern definitions) as families of words per capability and pattern (synonyms,
 * inflections, product names), and checked on both corpus files ({@code bundles/analyzers/corpus}). A cue may appear
 * in several tables; its signal is the sum.
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
        b.flag(Signal.DISTRIBUTIVE, "each", "every", "every single");
        b.flag(Signal.CONJUNCTION, "and", "plus");
        b.flag(Signal.ALTERNATIVE, "or");
        b.flag(Signal.SEQUENCE | Signal.FILLER, "then", "afterwards", "finally", "lastly", "subsequently");
        b.flag(Signal.SEQUENCE, "after that", "followed by", "once done", "once that is done", "and then");
        b.flag(Signal.NEGATION, "without", "not", "never", "no", "no need", "avoid", "instead of", "except");
        b.flag(Signal.QUESTION, "what", "whats", "who", "when", "where", "why", "how", "which", "is", "are", "does",
                "do", "should", "could", "can");
        b.flag(Signal.FILLER, "please", "pls", "plz", "kindly", "can", "could", "would", "will", "should", "must",
                "may", "might", "you", "u", "i", "we", "me", "us", "let", "lets", "want", "need", "like", "to",
                "also", "just", "now", "quickly", "first", "ok", "okay", "so", "go", "ahead", "help", "try", "do",
                "be", "have", "it", "them", "him", "her", "then", "immediately", "simply", "really", "actually",
                "somehow", "hey", "hi", "ugh", "yes", "yeah", "keep", "re", "start", "continue");
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
        // What is searched for is no tool: "articles that mention a refund window".
        b.flag(Signal.TOPIC, "mentioning", "that mention", "which mention", "still mention", "that mentions",
                "which mentions", "refer to", "refers to", "referring to");
        b.verb().flag(Signal.TOPIC, "research", "learn about", "explain");
        // What a text argues or explains is its content: "a blog intro arguing that Kubernetes is overkill".
        b.flag(Signal.TOPIC, "arguing that", "argue that", "argues that", "claiming that", "explaining that",
                "explaining how", "explaining why", "on why", "on how");
        b.flag(Signal.TARGET, "to", "into", "as", "called", "named");
        b.flag(Signal.SOURCE, "from", "out of");
        b.flag(Signal.REWORKS, "iterate", "refine", "revise", "rewrite", "polish", "tighten", "proofread", "reword",
                "shorten", "rework", "redo");
        b.flag(Signal.INTERNAL_RECIPIENT, "agent", "agents", "tutor", "tutors", "bot", "assistant", "model", "sink",
                "knowledge base",
                "send me", "send it to me", "send them to me", "forward me", "forward it to me", "forward them to me");
        b.flag(Signal.MESSAGE_CONTENT, "that", "saying");
        b.flag(Signal.REQUESTS, "need", "want");
        b.flag(Signal.SELF, "i", "send me", "send it to me", "send them to me", "forward me", "forward it to me",
                "forward them to me");
        b.flag(Signal.ADDRESSEE, "you", "u");
        b.flag(Signal.ENVIRONMENT, "prod", "staging", "stage", "stg", "dev", "qa", "uat", "eu", "us", "ap", "apac",
                "emea", "amer", "tmp");
        b.flag(Signal.SURVEYS, "compare", "look into", "contrast", "weigh up");
        b.flag(Signal.MATERIAL, "below", "above", "pasted", "attached", "following", "listed", "enclosed");
        b.flag(Signal.POSITIONAL, "below", "above");
        b.flag(Signal.PRONOUN, "it", "them", "everything", "each", "all");
        b.flag(Signal.TRANSFERS, "upload", "move", "copy", "download", "archive", "back up");
        // "our hotel guests", "a hotel receptionist", "supermarket prices": a place named as the user's own or as a
        // modifier of a noun is no place to find.
        b.flag(Signal.PLACE_KIND, "hotel", "hotels", "pharmacy", "pharmacies", "supermarket", "supermarkets",
                "restaurant", "restaurants", "cafe", "cafes");
        b.flag(Signal.POSSESSIVE, "our", "my");
        b.flag(Signal.ADVERB, "online", "nearby", "tonight", "today", "tomorrow", "open", "available", "instead",
                "closest", "nearest", "cheapest");
        b.flag(Signal.EXPLAINS, "how", "why", "difference between", "differences between");
        b.flag(Signal.RELATIVE, "that", "who", "which");
        // "opening hours of the pharmacy closest to ...", "the cheapest way from Heathrow to Paddington": the map's
        // place details, no web search beside maps.
        b.flag(Signal.PLACE_DETAIL, "opening hours", "opening times", "today", "current", "currently", "cheapest");
        b.flag(Signal.INDEFINITE, "a", "an", "one", "single", "another");
        // "Datadog APM list price per host?", "compare Notion, Coda and Confluence pricing": a product priced.
        b.flag(Signal.PRICE, "price", "prices", "pricing", "cost", "costs", "free tier", "free tiers", "list price",
                "pricing tiers", "fees", "rating", "ratings");
        // "from what you already know, how does Notion pricing compare with Confluence?": no tool is consulted.
        b.flag(Signal.KNOWLEDGE_ONLY, "what you already know", "just from what you know", "top of your head",
                "only what you know");
        // A scene played out ("Simulate a negotiation with a Datadog sales rep", "Tabletop exercise: our Stripe
        // secret leaked") names products as props: the agents act from knowledge. Not "mock": "mock the S3 client".
        b.verb().flag(Signal.KNOWLEDGE_ONLY, "simulate", "role play", "roleplay");
        b.flag(Signal.KNOWLEDGE_ONLY, "tabletop exercise", "tabletop");
        b.flag(Signal.AUXILIARY, "do", "does", "did", "is", "are", "was", "were", "can", "could", "should", "would",
                "will");
        b.flag(Signal.EVENT_NOUN, "alert", "alerts", "incident", "incidents");
        b.flag(Signal.FILE_KIND, "csv", "csvs", "csv file", "csv files", "json file", "markdown file", "text file",
                "tsv");
        b.flag(Signal.FILE_FORMAT, "pdf on", "the pdf", "pdf in", "pdfs in", "as pdf", "as pdfs", "as a pdf",
                "pdf files", "pdf report", "word doc",
                "word file", "excel file", "excel sheet", "excel workbook", "word document", "docx", "pptx");
        // Appending writes to a file without reading it ("append the results to dr-log.md").
        b.flag(Signal.WRITE_INTENT, "append", "write", "save", "export", "create", "generate", "output", "store", "dump",
                "document", "record", "log", "note down", "jot down", "write down", "download", "produce", "compile",
                "assemble");
        b.flag(Signal.PLACES, "put", "place", "drop", "paste", "insert", "stick");
        // What the model authors as its answer: code it names after these verbs is text ("write a bash one-liner").
        b.flag(Signal.AUTHORS, "write", "draft", "compose", "generate", "give", "show", "suggest", "craft",
                "propose", "come up with", "provide", "design");
        b.flag(Signal.CODE_ARTEFACT, "script", "one liner", "oneliner", "function", "query", "queries", "regex",
                "regular expression", "workflow", "handler", "snippet", "program", "command", "cron expression",
                "playbook", "terraform", "formula", "macro", "schema", "job", "ci job", "pipeline", "config",
                "configuration", "manifest");
        b.flag(Signal.ROLE, "concierge", "expert", "experts", "specialist", "specialists", "responder",
                "responders", "tutor", "tutors", "engineer", "engineers", "admin", "admins", "owner", "owners",
                "person", "analyst", "analysts", "squad", "rotation", "on call", "reviewer", "reviewers", "coach",
                "persona", "approver", "counsel", "lawyer", "rep", "reps", "department", "desk", "commander",
                "officer", "officers", "lead", "chair", "manager", "managers", "director", "ceo", "cfo", "cto",
                "founder", "banker", "attacker", "defender", "judge", "advisor", "adviser", "consultant",
                "coordinator", "planner", "assistant", "operator", "auditor", "architect", "moderator", "host",
                "scout", "critic", "writer", "editor", "researcher", "pm", "product manager", "tester", "designer",
                "investigator", "scribe", "fixer", "buyer", "seller", "interviewer", "negotiator", "referee", "investor",
                "mentor", "recruiter", "skeptic", "sceptic", "devil s advocate",
                // People who take part in a conversation: "a quizmaster, an explainer and a hint agent".
                "quizmaster", "gamemaster", "scorekeeper", "explainer", "receptionist", "nurse", "doctor", "teacher",
                "counsellor", "counselor", "showrunner", "historian", "economist", "sociologist", "genealogist", "chef",
                "sommelier", "waiter", "pilot", "searcher", "stylist", "observer", "passenger", "supervisor",
                "delegation", "delegations", "fact checker");
        b.flag(Signal.DESTINATION, "agent", "agents", "team", "queue", "channel", "inbox", "folder", "repo", "bucket", "tool", "model",
                "server", "place", "board", "project", "category", "label", "handler", "service", "assignee",
                "mailbox", "contact", "recipient", "workflow", "pipeline", "source", "knowledge base", "path");
        b.flag(Signal.MODIFIER_SUFFIX, "backed", "based", "powered", "driven", "compatible", "native", "style",
                "like", "specific", "aware", "enabled", "flavoured", "inspired", "themed");
        b.flag(Signal.ATTRIBUTE, "validation", "validator", "address", "addresses", "field", "column", "format",
                "regex", "folder", "tab", "template", "signature", "parser", "naming", "columns", "fields", "emoji",
                "emojis", "listing", "listings",
                // Code that receives a product's events: "our Stripe webhook handler", "Stripe webhooks".
                "webhook", "webhooks");
        b.flag(Signal.ROUTE_ADJECTIVE, "right", "appropriate", "correct", "relevant", "proper", "responsible",
                "suitable", "matching");
        b.flag(Signal.LOOKUP, "literature review", "find", "look up", "look it up", "look them up", "look things up",
                "look for", "look into", "search", "check", "compare", "get",
                "research", "google", "tell", "show", "list", "see", "gather", "collect", "pull", "track", "fetch",
                "find out", "figure out", "work out", "verify", "confirm", "recommend", "suggest", "pick", "choose",
                "shortlist", "monitor", "watch", "summarise", "report", "scan", "survey", "investigate", "explore",
                "dig into", "scour", "sanity check", "cross check", "fact check", "spot check", "double check",
                "checks"); // "checks" is also a word of phrases ("health checks"), so it does not inherit "check"
        b.flag(Signal.REVIEWS, "go through", "read through", "review", "verify", "judge", "critique", "grade", "score", "proofread", "double check",
                "inspect", "go over", "check", "assess", "evaluate", "test", "measure", "profile", "benchmark");
        b.flag(Signal.REVISES, "revise", "rewrite", "repair", "refine", "correct", "polish", "fix", "improve",
                "tighten", "redo", "rework", "adjust", "tweak", "change", "iterate", "edit", "update", "retry",
                "shrink", "trim", "simplify", "speed up", "punch up", "tune", "optimise", "harden");
        // "tweak parse.py until its output matches", "shrink the image until it is under 30 MB": a loop to a goal.
        // "rewrite, then check it again", "improve it twice": a second pass over the reworked thing loops too.
        b.flag(Signal.UNTIL, "until", "till", "untill", "again", "twice");
        b.flag(Signal.PARTS, "with", "including", "include", "containing", "covering", "columns", "column",
                "fields", "field", "attributes", "properties", "sections", "headings", "headers", "extract");
        // Halves of slash pairs that are no owner/repo name: "async/await", "before/after", "read/write".
        b.flag(Signal.SLASH_PAIR, "and", "or", "async", "await", "input", "output", "read", "write", "before",
                "after", "client", "server", "yes", "no", "true", "false", "on", "off", "pros", "cons", "he", "she",
                "his", "her", "tcp", "ip", "ci", "cd", "km", "dev", "prod", "staging", "frontend", "backend", "http",
                "https", "min", "max", "open", "close", "start", "stop", "get", "set", "push", "pull", "up", "down",
                "left", "right", "buy", "sell", "asc", "desc", "either", "import", "export", "upload", "download",
                "day", "week", "month", "year", "hour", "user", "users", "mobile", "desktop", "web", "text", "voice",
                "lat", "long", "latitude", "longitude", "width", "height");
        b.flag(Signal.EDIT_INTENT, "zip", "unzip", "compress", "decompress", "resize", "crop", "encrypt", "decrypt",
                "adjust", "tweak", "improve", "rewrite", "restructure", "reorganise", "optimise", "speed up");
        b.flag(Signal.EDIT_INTENT, "edit", "fix", "patch", "modify", "update", "change", "refactor", "rename",
                "move", "tidy", "organise", "clean", "clean up", "dedupe", "deduplicate", "convert", "sort",
                "delete", "add", "tune", "write back", "merge", "reformat");
        // Reworking and replacing change what they touch as well ("replace the prints in ingest.py").
        b.flag(Signal.EDIT_INTENT, "replace", "port", "split", "break", "break up", "tighten", "refine", "repair", "correct",
                "polish", "redo", "rework", "swap", "remove", "strip", "insert", "bump", "comment out", "in place");
        b.flag(Signal.LOCAL_FILES, "folder", "folders", "directory", "directories", "files", "local file",
                "local files", "my desktop", "desktop folder", "downloads", "subfolder", "file system", "filesystem", "file", "dockerfile",
                "makefile", "laptop", "hard drive", "home directory", "home folder", "my computer",
                "on my machine", "documents folder");
        b.flag(Signal.PICTURES, "image", "images", "picture", "pictures", "illustration", "logo", "logos", "drawing",
                "poster", "banner", "icon", "icons", "artwork", "thumbnail", "infographic", "photo", "photos",
                "cartoon", "cartoons", "comic", "painting", "portrait", "mascot", "avatar", "wallpaper", "cover art",
                "graphic", "graphics", "meme", "sticker", "stickers", "visual", "visuals", "mockup", "hero image",
                "watercolour", "watercolor", "pixel art", "vector art", "concept art", "clip art", "sketch",
                "illustrations", "emoji", "headshot", "cover image", "shot", "shots");
        // Verbs that make a picture; "write alt text for the photos" makes none.
        b.flag(Signal.MAKES, "generate", "regenerate", "create", "make", "draw", "design", "render", "produce",
                "illustrate", "sketch", "paint", "compose", "doodle", "imagine", "visualise", "prepare", "assemble",
                "put together", "set up", "stand up", "build", "compile");
        // A bare "test" is mostly a modifier or another kind of test ("test queries", "a pen test").
        b.flag(Signal.TESTS, "tests", "test suite", "specs", "suite", "suites", "coverage", "test run",
                "test cases", "evals", "eval suite", "eval set", "fixtures", "golden set",
                // accessibility checkers are test suites: "run an axe audit", "rerun until the accessibility score ..."
                "axe audit", "axe checks", "accessibility audit", "accessibility score", "lighthouse accessibility");
        // Tests that "pass" were run: "until tests/test_leave.py passes", "the tests still pass".
        b.flag(Signal.RUNS, "run", "rerun", "re run", "execute", "running", "dry run", "pass");
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
                "include", "let", "explain", "use", "help", "decide", "return", "hand", "pass");
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
                "redeploy", "fail over",
                "execute", "fill", "click", "book", "save", "store", "commit", "push", "list", "organise", "track",
                "tag", "send", "email", "e mail", "reply", "respond", "notify", "announce", "post", "share", "forward",
                "invite", "remind", "message", "ping", "text", "dm", "inform", "route", "classify", "triage",
                "assign", "categorise", "plan", "verify", "validate", "report", "record", "label", "watch",
                "reproduce", "confirm", "backfill", "clone", "rotate", "reconcile", "flag", "geocode", "snapshot",
                "terminate", "stand up", "log into", "sign in", "page", "repost", "pick", "detect", "query",
                "set", "put", "take", "go through", "look at", "work out", "figure out", "ask", "tidy",
                "turn", "shrink", "iterate", "revise", "refine", "critique", "polish", "regenerate",
                "improve", "repeat", "document", "break down", "group", "remember", "screenshot", "walk through",
                "profile", "change", "adjust", "tweak", "retry", "resize", "crop", "zip", "unzip", "compress",
                "sign up", "register", "subscribe", "submit", "train", "shortlist", "choose", "request", "swap",
                "replace", "free up", "shut down", "spin up", "tear down", "roll out", "escalate", "approve",
                "reject", "contact", "reach out", "follow up", "draw", "paint", "sketch", "render", "find out",
                "grade", "inspect", "double check", "go over", "land", "break", "file",
                // Verbs of handling that open a step as well ("bump the version", "enter them into the table").
                "bump", "get", "enter", "correlate", "cluster", "use", "anonymise", "de identify", "redact",
                "assemble", "put together", "scan", "cross reference", "match", "combine", "consolidate");
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
                "pull request", "merge request", "failing test", "failing tests", "flaky", "type error", "syntax error",
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
        // A script in a programming language is code, whatever else "script" can be (a podcast's, a video's).
        b.type(CODING, 5.0, "python script", "bash script", "shell script", "node script", "powershell script",
                "ruby script", "perl script", "javascript script", "js script", "sql script", "python scripts",
                "bash scripts", "shell scripts");
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
        b.capability(WEB_FETCH, "<URL>", "webpage", "web page", "web pages", "this link", "these links",
                "rss feed", "this article", "the article at");
        b.weakCapability(WEB_FETCH, "<DOMAIN>", "<WEB_FILE>", "homepage", "landing pages", "blog posts at");
        // Links and the pages of others named as a source ("the URLs below", "their careers pages").
        b.weakCapability(WEB_FETCH, "url", "urls", "careers page", "careers pages", "pricing page", "pricing pages",
                "product page", "product pages", "author page", "guidance page", "guidelines page", "store page",
                "profile page", "wikipedia page", "orcid page");
        b.verb().capability(WEB_FETCH, "fetch", "scrape", "crawl");

        b.capability(WEB_SEARCH, "internet", "search the web", "web search", "on the web", "news", "headlines",
                "search online", "find online", "look online", "check online", "online sources", "search engine",
                "stack overflow", "forum", "forums", "reddit", "hacker news", "wikipedia", "google scholar", "arxiv",
                "competitor research", "google it", "google for", "flights", "hotel", "hotels", "flight prices", "opening hours",
                "current sources", "recent sources", "credible sources", "reputable sources", "cite sources",
                "with sources", "citations", "market rates", "press coverage", "exchange rates", "stock prices",
                "share price", "release date", "public sources", "web sources");
        // Facts that change or live out there; they need a search only when the clause looks something up.
        b.weakCapability(WEB_SEARCH, "look up", "look it up", "look them up", "look things up", "find out", "prices", "pricing", "weather",
                "forecast", "reviews", "stock price", "exchange rate", "currency", "regulations", "online",
                "literature review", "current", "currently", "today", "up to date", "recent",
                "papers", "studies", "statistics", "sources", "competitors", "cited", "most popular", "trending",
                "interest rate", "inflation", "population", "market size", "laws", "ratings", "literature",
                "best rated", "top rated", "highest rated", "tax rates", "tax rate", "tax rules", "prior work", "visa", "visa rules",
                "minimum wage", "sunrise", "sunset", "sun set", "sunrise times", "sunset times");
        // What is cheapest or rated out there, and what rents go for: "cheapest AMS to Lisbon?", "the G2 rating".
        b.weakCapability(WEB_SEARCH, "cheapest", "rating", "rents");
        // Fares and timetables out there: "find a cheap flight from Berlin to Lisbon in March".
        b.weakCapability(WEB_SEARCH, "flight", "flights", "fares", "train times", "train tickets", "ferry times");
        // Places to stay or meet are found on the web, like hotels: "find a hostel near the Royal Mile".
        b.weakCapability(WEB_SEARCH, "venue", "venues", "hostel", "hostels", "ryokan", "ryokans", "guesthouse",
                "guesthouses", "campsite", "campsites", "holiday rental", "holiday rentals");
        b.verb().capability(WEB_SEARCH, "research");
        b.verb().weakCapability(WEB_SEARCH, "search", "look up", "google");

        b.capability(BROWSER_AUTOMATION, "browser", "real browser", "click", "fill out", "fill in", "web form",
                "screenshot of", "take a screenshot", "full page screenshot", "log into", "log in to", "sign in",
                "headless", "selenium", "puppeteer", "viewport");
        // A page audited in a browser: "the Lighthouse score of https://...".
        b.capability(BROWSER_AUTOMATION, "lighthouse score", "lighthouse performance", "lighthouse accessibility",
                "lighthouse audit", "lighthouse report", "run lighthouse");
        b.verb().capability(BROWSER_AUTOMATION, "screenshot", "log in", "navigate", "sign up", "register", "submit",
                "walk through");
        b.capability(BROWSER_AUTOMATION, "sign up for", "web admin", "admin panel", "admin console", "web ui",
                "web interface", "in a browser", "checkout flow", "signup flow", "click through", "screenshots of",
                "browser session", "login page", "captcha");
        // Browser tests are testing: the suite drives the browser.
        b.veto(BROWSER_AUTOMATION, "e2e", "end to end test", "end to end tests", "browser tests", "cross browser",
                "e2e suite", "playwright tests", "cypress tests");

        b.capability(CODE_REPOSITORY, "<REPOSITORY_URL>", "<ISSUE_NUMBER>", "github", "gitlab", "bitbucket", "repo",
                "repos", "repository", "repositories", "pull request", "pull requests", "merge request", "open a pr",
                "open pr", "the pr", "a pr", "this pr", "merged prs", "open prs", "commit", "commits", "git", "create an issue", "open an issue", "file an issue", "github issue",
                "dependabot", "branch protection");
        b.weakCapability(CODE_REPOSITORY, "<REPOSITORY_SLUG>", "pr", "prs");
        b.capability(CODE_REPOSITORY, "create issues", "file issues", "the issue tracker");
        b.verb().capability(CODE_REPOSITORY, "clone", "fork", "rebase", "cherry pick");
        b.capability(CODE_REPOSITORY, "main branch", "feature branch", "release branch", "default branch",
                "codeowners", "code owners", "merge conflict", "merge conflicts", "git history", "git blame",
                "issue tracker", "open issues", "release tag", "tagged release", "commit history");
        b.weakCapability(CODE_REPOSITORY, "branch", "branches", "changelog");
        b.veto(CODE_REPOSITORY, "github actions", "monorepo");

        b.capability(DATABASE_QUERY, "database", "databases", "the db", "mysql", "sqlite", "mariadb", "mongodb",
                "bigquery", "snowflake", "redshift", "data warehouse", "sql warehouse", "analytics warehouse",
                "finance warehouse", "warehouse table", "warehouse tables", "warehouse database", "warehouse db",
                "the warehouse", "our warehouse", "orders table", "users table",
                "customers table", "subscriptions table", "expenses table", "staging tables", "from postgres",
                "postgres schema", "postgres role", "rds", "row counts", "query it", ".sql");
        // A bare "warehouse" may be a building ("the Oslo warehouse"): alone it is a weak cue.
        b.weakCapability(DATABASE_QUERY, "warehouse");
        b.known("warehouses"); // several warehouses are buildings: "our Rotterdam and Antwerp warehouses"
        b.capability(DATABASE_QUERY, "postgres", "postgresql", "sql server", "oracle database",
                "supabase", "clickhouse", "duckdb", "cockroachdb", "aurora", "our db", "prod db", "production db",
                "cassandra", "firestore", "database table", "database tables", "psql", "read replica",
                "read replicas", "reporting replica", "explain analyze", "explain analyse", "slow query log");
        // A database inside a document tool is a document ("the Notion database").
        b.veto(DATABASE_QUERY, "notion database", "notion databases", "airtable base");
        b.weakCapability(DATABASE_QUERY, "table", "tables", "db");
        b.verb().capability(DATABASE_QUERY, "query");
        b.veto(DATABASE_QUERY, "sql schema", "design a sql schema");
        // A table as the shape of an answer, not a database table ("into one table" is a new table: Scan).
        b.veto(DATABASE_QUERY, "markdown table", "html table", "table of contents", "comparison table",
                "summary table", "pivot table");
        // Products compared are the subject of the comparison, not tools ("Postgres vs MySQL").
        b.veto(DATABASE_QUERY, "vs", "versus");
        b.veto(KEY_VALUE, "vs", "versus");
        b.veto(FULL_TEXT_SEARCH, "vs", "versus");
        b.veto(CLOUD_INFRASTRUCTURE, "vs", "versus");
        b.veto(CLOUD_STORAGE, "vs", "versus");
        b.veto(MONITORING, "vs", "versus");
        b.veto(MESSAGING, "vs", "versus");
        b.veto(DOCUMENTS, "vs", "versus");
        b.veto(PAYMENTS, "vs", "versus");

        b.capability(KEY_VALUE, "ttl", "ttls", "cache key", "cache keys", "redis", "key value", "kv store", "memcached", "etcd", "dynamodb", "valkey", "keydb",
                "kv namespace", "workers kv", "consul kv", "memcache");

        b.capability(FULL_TEXT_SEARCH, "elasticsearch", "opensearch", "solr", "full text", "lucene", "algolia",
                "search index", "docs index", "faq index", "our index", "elasticsearch index", "internal docs",
                "internal source", "meilisearch", "typesense", "search our docs", "indexed docs", "search indexes",
                "wiki index", "ticket index", "tickets index", "logs index", "log index", "support index");
        // The index is what is searched; the wiki or logs are what it holds.
        b.veto(DOCUMENTS, "wiki index");
        b.veto(MONITORING, "logs index", "log index");
        b.weakCapability(FULL_TEXT_SEARCH, "knowledge base", "knowledge bases", "index", "indexes", "indices");
        b.veto(FULL_TEXT_SEARCH);
        b.veto(DOCUMENTATION, "docs index", "internal docs", "google docs", "google doc");
        // "our docs site", "the docs repo": the docs are a place or a product here, not a lookup.
        b.veto(DOCUMENTATION, "docs site", "docs website", "docs repo", "docs repos", "docs team", "docs folder");

        b.capability(KNOWLEDGE_GRAPH, "knowledge graph", "ontology", "neo4j", "nodes and edges", "graph database",
                "entity graph", "triples", "rdf", "sparql", "cypher", "wikidata", "linked data", "graph of");
        b.weakCapability(KNOWLEDGE_GRAPH, "relations", "relationships", "entities");

        // The user recalling something is no request to remember it ("I vaguely remember a court case").
        b.veto(MEMORY, "i remember", "i vaguely remember", "if i remember", "i recall", "as far as i remember",
                "i seem to remember");
        b.capability(MEMORY, "remember", "recall", "memorise", "last time", "previous conversation",
                "you told me", "from now on", "keep in mind", "what did i tell you", "in memory", "to memory",
                "your memory", "next session", "next time", "for future reference", "going forward",
                "in future conversations", "i told you", "did i mention", "what did i say", "you know that i",
                "my preferences", "forget that", "don t forget", "like last time", "as i mentioned before",
                "save this for later", "note for later", "for later");
        // What the user gave the assistant before: "the wifi password I gave you", "remind me what I said".
        b.capability(MEMORY, "i gave you", "did i give you", "remind me what", "did i tell you", "i mentioned", "you ve stored",
                "you stored", "have it saved", "across our sessions", "our earlier chats", "what i said",
                "i saved with you", "my saved notes");

        b.capability(MESSAGING, "<CHANNEL>", "slack", "sms", "text message", "whatsapp", "telegram", "discord",
                "dm", "dms", "inbox", "microsoft teams", "teams channel", "latest email", "latest emails",
                "recent emails", "newest emails", "slack dm",
                "via email", "over email", "unread emails", "unread messages",
                "my emails", "my email", "emails from", "email from", "incoming emails", "new emails",
                "new email", "email thread", "mailbox", "gmail", "outlook", "imap", "mailing list", "mattermost",
                "google chat", "imessage", "twilio", "signal message", "on teams", "in teams", "via teams",
                "teams chat", "teams message", "ms teams", "that emails", "who emails", "that messages",
                "that texts", "that pings", "that notifies", "group chat", "email to", "emails to",
                "direct message", "voicemail", "send an email", "send a message", "send email", "of email",
                "of emails", "in my email", "through my email");
        b.weakCapability(MESSAGING, "attachments");
        b.weakCapability(MESSAGING, "<EMAIL_ADDRESS>", "<MENTION>");
        b.veto(MESSAGING, "right tool", "right agent");
        // The dungeon master of a game ("D&D night, you're the DM") sends no direct message.
        b.veto(MESSAGING, "d d", "dungeons and dragons", "dm agent", "the dm", "a dm", "dungeon master");
        b.verb().capability(MESSAGING, "email", "e mail", "text", "message", "ping", "notify", "send", "reply",
                "forward", "page", "repost", "dm", "slack", "announce", "mail", "respond", "contact", "reach out",
                "write back", "broadcast", "cc", "whatsapp", "sms");
        b.verb().weakCapability(MESSAGING, "post");

        b.capability(DOCUMENTS, "google docs", "google doc", "google drive", "in drive", "drive folder",
                "on drive", "from drive", "shared drive", "notion", "word document", "docx", "pptx", "powerpoint",
                "google sheets", "google sheet", "google slides", "confluence", "sharepoint", "onedrive", ".docx",
                ".xlsx", ".pptx", ".doc", "pdf on", "the pdf", "pdf in", "pdfs in", "as pdf", "as pdfs", "as a pdf",
                "gdoc", "gdocs", "to drive",
                "our drive", "dropbox", "word doc", "word file", "excel file", "excel sheet", "excel workbook",
                "office 365", "microsoft word", "ms word", "notion page", "notion database", "google form",
                "google forms", "quip", "coda doc", "keynote deck", "keynote file", "keynote slides", "pdf report", "pdf files", "docs folder",
                "in google", "shared folder");
        // A PDF file is read with the documents tools ("what's in /srv/q2.pdf?"); a bucket it goes to is storage.
        b.capability(DOCUMENTS, ".pdf");
        b.weakCapability(DOCUMENTS, "pdf", "pdfs", "spreadsheet", "excel", "document", "documents", "doc",
                "slides", "wiki", "drive", "sheet");
        // A sheet that is a kind of text, and "drive" the verb ("how long to drive from Porto").
        b.veto(DOCUMENTS, "term sheet", "cheat sheet", "balance sheet", "fact sheet", "spec sheet", "data sheet",
                "time sheet", "style sheet", "call sheet", "drive from", "drive between", "drive there");
        // A drive driven or a campaign: "drive times from Tilburg", "how long is the drive", "the spring food drive".
        b.veto(DOCUMENTS, "drive time", "drive times", "long is the drive", "spring drive", "food drive",
                "donation drive", "fundraising drive", "charity drive", "blood drive", "toy drive");

        b.capability(DOCUMENTATION, "documentation", "api docs", "official docs", "api reference",
                "reference docs", "library docs", "man page", "docs", "changelog", "mdn",
                "javadoc", "godoc", "docs rs", "developer docs", "sdk docs", "api documentation", "help center",
                "migration guide", "upgrade guide", "readthedocs");

        b.capability(MAPS, "maps", "on the map", "on a map", "map tool", "map lookup", "directions", "how far", "nearby", "near me", "restaurants", "geocode",
                "latitude", "longitude", "driving time", "drive from", "walking distance",
                "walking route", "driving route", "a route", "the route", "route between", "route from",
                "walking routes", "driving routes", "routes between", "routes from", "eta", "etas",
                "fastest route", "best route", "travel time", "hotel", "hotels", "cafes",
                "transit", "closest", "nearest", "public transport", "public transit", "bus route",
                "how long to drive", "drive to", "walk to", "walking distance", "walking distances", "distance between",
                "distance from", "distances", "gps coordinates", "reverse geocode", "lat long",
                "on a map", "google maps", "openstreetmap", "waypoints", "pharmacy", "pharmacies", "gas station",
                "petrol station", "supermarket", "atm", "charging station", "ev charger", "within walking",
                "km away", "miles away", "by train", "by car", "by bus", "on foot", "by bike",
                "fastest way", "quickest way", "how to get from", "how do i get to", "venues near",
                "commute time", "commute times", "commuting time", "commuting times");
        // Weak maps cues need a clause that looks something up: "split the postcodes into their own column" and
        // "score each offer on salary, equity and commute" find no place.
        b.weakCapability(MAPS, "places", "distance", "km", "kilometres", "kilometers", "miles", "postcode",
                "postcodes", "zip code", "zip codes", "commute", "commuting", "map",
                // "a flask route", "alert routing", "broken down by route": a bare route is also code's or a rule's
                "route", "routes",
                // "find a hostel near the Royal Mile": a place found by where it is
                "near");
        b.capability(MAPS, "driving distance", "driving distances", "driving loop", "driving directions",
                "drive time", "drive times", "driving times", "toll roads", "avoid tolls", "road trip", "walking time",
                "cycling route", "bike route", "by road");
        b.verb().veto(MAPS, "map");
        // Routing a request dispatches it; Route 53 is a DNS service.
        b.verb().veto(MAPS, "route");
        b.veto(MAPS, "route53");
        b.veto(MAPS, "api route", "route handler", "routes file", "route the", "route this", "route it",
                "route each");

        b.capability(TIME, "what time", "time zone", "time zones", "timezone", "timezones", "current time",
                "local time", "daylight saving", "dst", "time in", "working hours", "pacific",
                "time right now", "utc offset", "utc offsets", "time difference", "daytime", "night time",
                "what day", "today s date", "current date", "day of the week",
                "how many days until", "how many hours until", "berlin time", "london time", "tokyo time",
                "new york time", "paris time", "sydney time", "eastern time", "central time", "pacific time",
                "mountain time", "india time", "singapore time", "local times", "convert to utc", "in utc",
                "gmt", "cet", "cest", "pst", "pdt", "est", "edt", "jst", "aest", "bst");
        b.veto(TIME, "timezone column");
        b.capability(TIME, "too late to call", "too early to call", "working day", "business hours", "days from today", "weeks from today", "days from now", "weeks from now");

        b.capability(REASONING, "think step by step", "reason step by step", "solve step by step",
                "work it out step by step", "think through", "reason through", "reason about", "puzzle",
                "riddle", "proof", "prove", "logic puzzle", "think carefully", "chain of thought", "brain teaser",
                "think it through", "by induction", "by contradiction", "theorem", "lemma", "deduce", "deduction",
                "syllogism", "show your work", "show your working", "explain your reasoning", "sudoku",
                "knights and knaves", "word problem", "derive", "derivation");
        // "a chef guides me step by step" is a way of teaching, not a request to reason.
        b.weakCapability(REASONING, "step by step");

        b.capability(MONITORING, "sentry", "grafana", "prometheus", "datadog", "loki", "kibana", "pagerduty",
                "new relic", "error logs", "logs", "error rate", "error rates", "alert", "alerts",
                "observability", "uptime", "apm", "opentelemetry", "traces", "tracing",
                "jaeger", "honeycomb", "splunk", "cloudwatch", "stackdriver", "alertmanager", "opsgenie",
                "slo", "slos", "sli", "error budget", "log lines", "application logs", "server logs",
                "grafana dashboard", "metrics dashboard", "monitoring dashboard", "health checks", "elk");
        b.weakCapability(MONITORING, "metrics", "latency", "incident", "p99", "p95", "p50", "dashboards", "spikes");
        b.capability(MONITORING, "error spikes", "error spike", "latency spikes", "5xx", "5xxs", "500s");
        // How busy machines are: "the CPU usage of our production servers" (a store's "memory usage" is its own).
        b.capability(MONITORING, "cpu usage", "cpu utilisation", "cpu utilization", "cpu load");
        b.veto(MONITORING, "dependabot alerts", "access logs");
        // "alert #ops on Slack if it fails": alerting people over a messaging channel is a message (Scan).
        b.verb().flag(Signal.ALERTS_PEOPLE, "alert");

        b.capability(CLOUD_STORAGE, "<STORAGE_URL>", "s3", "bucket", "buckets", "gcs", "blob storage",
                "azure blob", "cloud storage", "object storage", "minio", "blob container", "storage account",
                "glacier", "backblaze", "object store", "r2 bucket", "storage bucket", "gcs bucket");

        b.capability(CLOUD_INFRASTRUCTURE, "ebs", "ebs volume", "efs", "ami", "amis", "auto scaling group",
                "nat gateway", "elastic ip", "crashloop", "crashlooping", "crashloopbackoff", "oomkilled",
                "oom kills", "oom killed", "resource requests", "resource limits", "cpu requests",
                "memory requests", "cpu limits", "memory limits", "configmap", "persistent volume", "node group",
                "worker nodes", "cordon");
        b.capability(CLOUD_INFRASTRUCTURE, "kubernetes", "k8s", "pod", "pods", "ec2", "eks", "gke", "aks", "helm",
                "cloud run", "vm", "vms", "autoscaling", "load balancer", "ecs", "cloudformation", "iam",
                "secrets manager", "hpa", "autoscaler", "kubectl", "namespace", "node pool", "vpc", "subnet",
                "subnets", "security group", "security groups", "route53", "cloudfront", "aws lambda", "lambdas",
                "fargate", "app engine", "cloud functions", "azure functions", "compute engine", "droplet",
                "digitalocean", "statefulset", "daemonset", "ingress", "terraform apply", "aws account",
                "aws accounts", "gcp project", "azure subscription", "lambda functions", "elastic beanstalk", "rds",
                "cloud sql", "azure sql");
        // A cloud vendor or a cluster named beside one of its services is that service's host ("the Azure storage
        // account", "our Redis clusters").
        // "the deploy freeze", "which deploy caused it": a deploy named is an event; deploying is the work.
        b.verb().weakCapability(CLOUD_INFRASTRUCTURE, "deploy");
        b.weakCapability(CLOUD_INFRASTRUCTURE, "production environment", "infrastructure", "aws", "gcp",
                "azure", "google cloud", "cluster", "clusters", "instances", "deployment", "deployments", "hosts",
                "servers", "staging environment");
        b.verb().capability(CLOUD_INFRASTRUCTURE, "roll back", "rollback");
        // Operations on running services: "redeploy staging", "fail over the replica", "a rolling upgrade",
        // "autoscale the deployment"; the noun "failover" is weak: it counts where nothing else in its segment
        // names a tool.
        b.verb().capability(CLOUD_INFRASTRUCTURE, "redeploy", "fail over");
        b.capability(CLOUD_INFRASTRUCTURE, "rolling upgrade", "rolling restart", "autoscale");
        b.weakCapability(CLOUD_INFRASTRUCTURE, "failover");
        b.verb().veto(CLOUD_INFRASTRUCTURE, "cluster"); // "cluster the complaints" groups them
        b.veto(CLOUD_INFRASTRUCTURE);

        // Pictures named in a task that makes something need image_generation (Signal.PICTURES and MAKES).
        b.capability(IMAGE_GENERATION, "dall e", "midjourney", "stable diffusion", "text to image", "imagen",
                "image generator", "image model");
        b.veto(IMAGE_GENERATION, "dockerfile", "docker", "container image");

        b.capability(PAYMENTS, "stripe", "braintree", "adyen", "payments api", "payouts", "payout",
                "payment provider");
        b.capability(PAYMENTS, "unpaid invoices", "overdue invoices", "open invoices", "chargeback", "chargebacks",
                "payment link", "payment links", "payment intent", "payment method", "square payments", "square pos",
                "square terminal", "square invoices", "square account", "mollie", "klarna",
                "razorpay", "paddle", "chargebee", "recurly", "billing portal", "subscription plan");
        b.weakCapability(PAYMENTS, "paypal", "refund", "refunds", "charge", "charges", "coupon", "coupons",
                "promo code", "subscriptions");
        b.capability(PAYMENTS, "send an invoice", "create an invoice", "issue an invoice");
        b.verb().capability(PAYMENTS, "invoice", "refund", "charge", "bill");

        b.capability(TESTING, "test suite", "test suites", "e2e", "end to end test", "end to end tests",
                "integration tests", "cypress", "jest", "pytest", "regression test", "regression tests",
                "smoke test", "load test", "contract tests", "playwright", "failing test", "failing tests",
                "failing unit test", "failing unit tests", "flaky");
        b.capability(TESTING, "mutation testing", "mutation tests", "stress test", "load testing", "vitest", "mocha",
                "rspec", "go test", "cargo test", "npm test", "test coverage", "regression suite",
                "integration test", "smoke tests", "run the suite");
        // A suite's outcome as the goal: "get the tests passing", "until the suite is green".
        b.capability(TESTING, "tests passing", "tests pass", "test passing", "tests green", "suite green",
                "test suite green", "tests are green");
        b.veto(TESTING, "write unit tests", "write tests");
        // Tests of other kinds than software: statistics, experiments, people.
        b.veto(TESTING, "statistical test", "t test", "chi square", "significance test", "hypothesis test",
                "a b test", "ab test", "blood test", "driving test", "personality test");

        // Extensions: the file shape adds file_read or file_write; these add what the format says.
        b.type(DATA_PROCESSING, 1.0, ".csv", ".json", ".jsonl", ".xml", ".yaml", ".yml", ".parquet", ".tsv",
                ".xlsx", ".vcf");
        b.type(CODING, 1.0, ".py", ".java", ".js", ".ts", ".go", ".rs", ".rb", ".kt", ".cpp", ".c", ".h", ".cs",
                ".php", ".sql", ".sh", ".gradle", ".toml", ".ipynb", ".tf", ".hcl", ".tsx", ".jsx", ".vue", ".svelte",
                ".swift", ".scala", ".lua", ".dart", ".proto", ".graphql", ".css", ".scss", ".r");
        b.flag(Signal.CODE_FILE, ".py", ".java", ".js", ".ts", ".go", ".rs", ".rb", ".kt", ".cpp", ".c", ".h", ".cs",
                ".php", ".sql", ".sh", ".gradle", ".toml", ".ipynb", ".tf", ".hcl", ".tsx", ".jsx", ".vue", ".svelte",
                ".swift", ".scala", ".lua", ".dart", ".proto", ".graphql", ".css", ".scss", ".r", ".yaml", ".yml",
                ".ini", ".cfg", ".conf", ".properties", ".env", ".html");
        b.type(CONTENT_CREATION, 0.5, ".md", ".txt", ".docx", ".pptx");
        b.known(".geojson", ".srt", ".vtt", ".ndjson", ".svg", ".webp", ".mp3", ".mp4", ".wav", ".mov", ".epub", ".rtf", ".odt", ".ods", ".tar", ".gz",
                ".tgz", ".bak", ".sqlite", ".db", ".pem", ".ico", ".tiff", ".heic");
        b.known(".log", ".html", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".zip", ".doc", ".lock", ".ini",
                ".cfg", ".conf", ".env", ".properties", ".xml");
    }

    /** Words that point at one workflow pattern. */
    private static void patterns(Lexicon.Builder b) {
        b.pattern(Pattern.PARALLEL, 3.0, "in parallel", "parallel", "simultaneously", "concurrently",
                "at the same time", "side by side", "at once");
        b.pattern(Pattern.PARALLEL, 1.2, "each of", "for each of", "each one", "every one", "all three",
                "all four", "all of them", "one combined", "into one", "in one list", "versus", "vs",
                "independently", "individually", "separately", "one by one", "each separately");
        b.pattern(Pattern.PARALLEL, 0.8, "several", "multiple", "across", "respectively", "compare", "concepts",
                "versions", "variants", "variations", "editions");
        b.pattern(Pattern.PARALLEL, 0.3, "each");
        b.pattern(Pattern.PARALLEL, -1.0, "after each", "for each day", "each day", "each customer",
                "each person", "each with");

        // "the right team", "the appropriate queue": a route adjective before a role or destination (Scan).
        b.pattern(Pattern.ROUTER, 2.5, "whichever", "right one", "which department",
                "which team", "which agent", "which specialist", "best suited", "wherever it belongs",
                "whoever owns", "front door", "should own", "should deal with", "belongs to", "where it belongs",
                "where they belong", "where each belongs", "whoever handles", "whoever is on call");
        // A note written for a hand-over is a text, not a hand-over between agents.
        b.pattern(Pattern.SWARM, -2.5, "handoff note", "handover note", "handoff notes", "handover notes");
        b.pattern(Pattern.ROUTER, 1.5, "decide which", "decide whether", "work out whether", "figure out whether",
                "decide for each", "is this a", "matching", "if it's about", "if it is about", "fits best", "fits", "belongs", "classify",
                "categorise", "label each", "whether it", "detect the language", "pass it to", "hand this to",
                "hand it to", "send it to the right", "owns", "who should", "otherwise", "depending on", "based on the",
                "according to its", "route it");
        // The chosen handler named back ("issue the refund through that one", "let that tutor answer") and a choice
        // between handlers ("either the maths tutor or ...", "rather than the general one").
        b.pattern(Pattern.ROUTER, 1.5, "which one", "that one", "either", "rather than the",
                "which of our", "which of the", "should take this", "should handle this", "should take it",
                "that team", "that tutor", "that agent", "that queue", "that specialist", "that source",
                "that person", "that desk", "that provider", "the right place");
        // A rule that sends each kind somewhere: "cache questions go to Redis", "actionable ones go to #oncall".
        b.pattern(Pattern.ROUTER, 1.5, "questions go to", "ones go to", "alerts go to", "requests go to",
                "tickets go to", "emails go to", "issues go to");
        // Several of them are a selection, not one handler ("tell me which ones fail").
        b.pattern(Pattern.ROUTER, 0.0, "which ones", "those ones", "the ones");
        b.verb().pattern(Pattern.ROUTER, 2.5, "route", "triage", "dispatch");
        b.verb().pattern(Pattern.ROUTER, 1.0, "forward", "assign", "repost", "decide", "page");
        // Forwarding the answer to the user routes nothing: the verb's vote is taken back.
        b.pattern(Pattern.ROUTER, -1.0, "forward me", "forward it to me", "forward them to me");

        b.pattern(Pattern.SWARM, 2.5, "hand off", "hands off", "handing off", "handoff", "handoffs", "hand over",
                "handing over", "hands them", "hand them", "hand the floor", "passing the floor", "pass me",
                "pass the visitor", "take over", "takes over", "taking over", "jump in", "cuts in", "cut in",
                "back and forth", "each other", "hand back", "handing back", "comes back to me", "role play",
                "roleplay", "help desk", "helpdesk", "as a team", "room of agents", "war room",
                "escalation flow", "escalates", "take turns", "taking turns", "takes turns", "talk to each other",
                "respond to each other", "pick up where", "picking up where", "round robin", "in character");
        b.pattern(Pattern.SWARM, 1.2, "agents", "mock", "simulate", "debate", "negotiate", "negotiation",
                "front desk", "concierge", "intake",
                "panel", "tutor", "practise", "practice", "hands", "handing", "as needed", "conversation");
        b.pattern(Pattern.SWARM, 0.6, "argue", "arguing");
        // Standards to follow, not a rehearsal ("practise", "practice") nor a round of checking.
        b.known("best practice", "best practices", "good practice", "good practices");
        // Panels of a dashboard or a form are no panel of speakers.
        b.pattern(Pattern.SWARM, 0.0, "panels", "admin panel", "control panel", "side panel", "solar panel");
        b.pattern(Pattern.SWARM, 1.2, "moderator", "referee", "narrator", "facilitator");
        b.pattern(Pattern.SWARM, 0.6, "agent", "chat", "chats", "personas", "roles");

        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 3.0, "keep improving", "keep revising", "keep going",
                "review and revise", "high fidelity", "repeat until",
                "iterate", "rubric", "critique", "refine", "final polish", "regenerate", "revise", "revising",
                "critique pass", "between runs", "after each change", "after every change", "after each round",
                "after each draft", "keep the best", "tighten", "retry until", "between changes",
                "between iterations", "after each iteration", "each iteration", "self review", "second pass");
        // Rounds towards a goal: "stop once p50 is below 300 ms", "funnier each round", "after each pass".
        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 2.5, "stop once", "stop when", "each round", "every round",
                "few rounds", "after each pass", "each pass", "runs in a row", "in a row pass", "keep the one",
                "keep the design", "keep the version");
        // A step list that ends by going round again: "profile, change, re-profile, repeat".
        b.verb().pattern(Pattern.EVALUATOR_OPTIMIZER, 3.0, "repeat", "retry", "iterate");
        b.verb().pattern(Pattern.EVALUATOR_OPTIMIZER, 1.5, "improve", "optimise", "perfect", "rework", "redo");
        b.verb().pattern(Pattern.EVALUATOR_OPTIMIZER, 3.0, "polish"); // "Polish" is also a language
        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 1.5, "excellent", "criteria", "iterations",
                "drafts", "tune", "high quality", "grader", "keep shrinking", "score them", "score it",
                "check it against",
                "check it for", "against our", "fidelity", "rewrite it");
        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 0.8, "keep", "until", "till");
        // The passive of a loop: "have it reviewed and improved until it is good".
        b.pattern(Pattern.EVALUATOR_OPTIMIZER, 2.5, "improved until", "revised until", "reworked until",
                "refined until", "polished until", "iterated until", "iterated on until");

        b.pattern(Pattern.ORCHESTRATOR, 1.0, "plan and execute", "end to end", "migrate", "migration",
                "workflow", "phases", "stages", "go to market", "quarterly close", "get us ready");
        // A change carried out in dependent stages: "cut over with zero downtime", "in that order".
        b.pattern(Pattern.ORCHESTRATOR, 1.5, "zero downtime", "no downtime", "cut over", "cutover", "in that order");
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
