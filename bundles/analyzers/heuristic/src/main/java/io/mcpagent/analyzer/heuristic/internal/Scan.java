package io.mcpagent.analyzer.heuristic.internal;

import java.util.Arrays;

import io.mcpagent.api.task.TaskType;

/**
 * One pass over a task's text. Each whitespace-delimited chunk is first checked for a shape (URL, path, file name,
 * e-mail address, channel...), which is taken whole; otherwise its words are lower-cased one character at a time
 * into a small buffer and looked up in the {@link Lexicon}, and phrases advance through its trie. Punctuation and
 * "and"/"or" split clauses into segments; the first content word of a segment is in verb position. Everything the
 * decision needs is tallied in fields; no string is created. One instance per analysis (not thread-safe; the
 * analyzer is, by making a new one per call).
 */
final class Scan {
    /** Evidence kept per type and per pattern for the reasoning. */
    static final int EVIDENCE_SLOTS = 3;
    /** Words a negation ("without", "not") reaches, within its clause segment. */
    private static final int NEGATION_REACH = 4;
    /** Content words after a number in which a plural noun makes it a count of items ("five competitor pages"). */
    private static final int NUMBER_REACH = 3;
    /** Phrases under way at once; more would only repeat the same matches. */
    private static final int MAX_ACTIVE_PHRASES = 8;
    /** Content words after "right" or "appropriate" in which a role or destination makes the task a router. */
    private static final int ROUTE_REACH = 3;
    /** Pattern evidence of a critique followed by a rework ("verify each step and fix any mistakes"). */
    private static final float CRITIQUE_LOOP_WEIGHT = 2.5f;
    /** Evidence for parallel from "each"/"every" over a collection named by its place ("every CSV in data/raw/"). */
    private static final float EACH_IN_PLACE_WEIGHT = 2.0f;
    /** Content words after "each"/"every" in which a preposition may name the collection's place. */
    private static final int EACH_REACH = 4;
    /** Pattern evidence of "the right cloud team", "the appropriate queue". */
    private static final float ROUTE_WEIGHT = 2.5f;
    /** Evidence for swarm from a list of roles ("a scout ..., an analyst ... and a writer ..."). */
    private static final float ROLE_LIST_WEIGHT = 1.5f;
    /** Evidence for router from a request sent on to an agent of ours ("send this to the pharmacist agent"). */
    private static final float HAND_OVER_WEIGHT = 1.5f;
    /** Router or swarm evidence at which an alert or incident named alone is the item routed or played out. */
    private static final float EVENT_ROUTE_SCORE = 2.5f;
    /** Content words at most in a clause that only names options to choose from ("plumber or heating engineer?"). */
    private static final int OPTIONS_WORDS = 8;
    /** Capabilities that a documentation lookup may need beside itself; others in its segment are its subject. */
    private static final int LOOKUP_CAPABILITIES = Capability.DOCUMENTATION.bit() | Capability.WEB_SEARCH.bit()
            | Capability.WEB_FETCH.bit() | Capability.FULL_TEXT_SEARCH.bit() | Capability.DOCUMENTS.bit();
    /** Capabilities whose words name where folders and files live: "the Drive folder" is a folder in Drive. */
    private static final int CONTAINER_HOSTS = Capability.DOCUMENTS.bit() | Capability.CLOUD_STORAGE.bit()
            | Capability.CODE_REPOSITORY.bit();
    /** Characters after an opening parenthesis in which a code call's arguments must close. */
    private static final int CALL_REACH = 200;
    /** Words that join the parts of a phrase ("end-to-end", "state-of-the-art"), never those of a name. */
    static final long FUNCTION_WORD = Signal.DETERMINER | Signal.CONJUNCTION | Signal.ALTERNATIVE
            | Signal.PREPOSITION | Signal.QUESTION | Signal.NEGATION | Signal.FILLER | Signal.TARGET;
    /** Where our own information lives; a weak cue of one wins over a weak web cue in its segment. */
    private static final int OWN_SOURCES = Capability.FULL_TEXT_SEARCH.bit() | Capability.MONITORING.bit()
            | Capability.DATABASE_QUERY.bit() | Capability.KEY_VALUE.bit() | Capability.DOCUMENTS.bit()
            | Capability.KNOWLEDGE_GRAPH.bit() | Capability.CODE_REPOSITORY.bit();
    /** Content words of a segment whose last word can be the first option of a list ("send it to the physics"). */
    private static final int FIRST_OPTION_WORDS = 3;
    /** Stores outside the machine: an edit whose segment names one changes that store, not local files. */
    private static final int REMOTE_STORES = Capability.DOCUMENTS.bit() | Capability.CLOUD_STORAGE.bit();
    /**
     * Sources that a noun of material in the prompt only describes ("the EXPLAIN ANALYZE output pasted below", "the
     * five news articles below", "the alert list below"): nothing is looked up in them unless a verb says so.
     */
    private static final int MATERIAL_SOURCES = Capability.WEB_SEARCH.bit() | Capability.DATABASE_QUERY.bit()
            | Capability.MONITORING.bit();
    /**
     * Systems and products that a general question about them ("how do Kubernetes liveness probes differ from
     * readiness probes?") does not consult: the model explains them.
     */
    private static final int PRODUCT_TOOLS = Capability.CLOUD_INFRASTRUCTURE.bit() | Capability.DATABASE_QUERY.bit()
            | Capability.MONITORING.bit() | Capability.KEY_VALUE.bit() | Capability.CLOUD_STORAGE.bit()
            | Capability.FULL_TEXT_SEARCH.bit() | Capability.CODE_REPOSITORY.bit() | Capability.PAYMENTS.bit()
            | Capability.DOCUMENTS.bit() | Capability.MESSAGING.bit() | Capability.KNOWLEDGE_GRAPH.bit();
    /**
     * Sources a lookup verb ("look up", "search") may consult besides the web: named strongly in its clause, one of
     * them is what the verb searches ("look up how the React and Vue docs describe hydration").
     */
    private static final int SEARCHED_SOURCES = Capability.DOCUMENTATION.bit() | Capability.FULL_TEXT_SEARCH.bit()
            | Capability.KNOWLEDGE_GRAPH.bit() | Capability.BROWSER_AUTOMATION.bit()
            | Capability.PAYMENTS.bit() | Capability.MONITORING.bit() | Capability.DATABASE_QUERY.bit()
            | Capability.KEY_VALUE.bit() | Capability.CODE_REPOSITORY.bit() | Capability.MEMORY.bit();
    private static final int TYPES = Signal.typeCount();
    private static final int PATTERNS = Pattern.count();
    private static final String[] WEB_TLDS = {"com", "org", "net", "io", "dev", "app", "ai", "co", "uk", "so", "de",
            "fr", "eu", "gov", "edu", "me", "sh", "info", "us", "ca", "au", "in", "jp"};
    private static final String[] REPOSITORY_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "www.github.com"};
    private static final String[] STORAGE_SCHEMES = {"s3://", "gs://", "az://", "abfs://", "wasbs://"};
    private static final String[] TEST_FILE_MARKS = {"test", "spec.", "eval", "fixture"};
    /** Files every website serves: fetched from the web, not read from disk. */
    private static final String[] WEB_FILES = {"robots.txt", "sitemap.xml", "ads.txt", "security.txt", "llms.txt",
            "humans.txt", "favicon.ico"};

    private final Lexicon lexicon;

    // Results, read by Decision.
    final float[] typeScores = new float[TYPES];
    final Signal[] typeEvidence = new Signal[TYPES * EVIDENCE_SLOTS];
    final float[] patternScores = new float[PATTERNS];
    final Signal[] patternEvidence = new Signal[PATTERNS * EVIDENCE_SLOTS];
    final Signal[] capabilityEvidence = new Signal[Capability.count()];
    final Signal[] stepEvidence = new Signal[EVIDENCE_SLOTS];
    final Signal[] complexityEvidence = new Signal[EVIDENCE_SLOTS];
    /** Capabilities the task needs, complete once the scan has run. */
    int capabilities;
    int negatedCapabilities;
    /** Clause segments opened by a work verb. */
    int steps;
    int sequenceCues;
    /** Largest number of items joined by "and" in one clause ("A, B and C" = 3). */
    int maxItems;
    /** Largest number of options joined by "or" in one clause ("billing, support or sales" = 3). */
    int maxChoices;
    /** Largest count of items named by a number ("the 12 transcripts" = 12). */
    int numberedItems;
    /** Largest count of items named by a number after "these" or "all" ("these five URLs" = 5). */
    int collectiveItems;
    /** Types that led some clause segment, as bits of TaskType ordinals. */
    int segmentTypes;
    /** A segment wrote a file after an earlier one had read files: a plan of dependent steps. */
    boolean readsThenWrites;
    /** The verb of the first segment that has one, or null. */
    Signal headVerb;
    float complexity;
    int words;
    int cues;
    int scannedChars;
    /**
     * The capability model's tokens of the scanned text ({@link TextFeatures}): collected as the characters are read,
     * so that the model does not read them again.
     */
    final TextFeatures.Tokens modelTokens = new TextFeatures.Tokens();

    // State of the pass.
    private final char[] word = new char[Lexicon.MAX_WORD];
    /** Half of an "x/y" chunk, lower-cased, for {@link #isSlashPairWord}. */
    private final char[] slashPart = new char[Lexicon.MAX_WORD];
    private int wordLength;
    private boolean wordTooLong;
    private boolean wordInNumber;
    /** The word is joined to the one before by a hyphen ("Redis-backed"). */
    private boolean wordAfterHyphen;
    /** The word opens a parenthesis ("(Postgres, MongoDB or Redis)"); so did the previous content word. */
    private boolean wordAfterParen;
    private boolean previousWordAfterParen;
    private boolean wordDigits;
    private int wordHash;
    private boolean afterApostrophe;
    private boolean apostropheNegates;
    private int[] phrases = new int[MAX_ACTIVE_PHRASES];
    private int[] nextPhrases = new int[MAX_ACTIVE_PHRASES];
    /** Type scores of the segment being read: one array for all segments, cleared at each end. */
    private final float[] segmentTypeScores = new float[TYPES];
    private boolean pendingAlternative;
    private boolean previousIsPreposition;
    private boolean previousIsDeterminer;
    /** A segment edited without naming what ("fix it in place", "change, re-measure, repeat"). */
    private boolean looseEdit;
    /** Code or configuration files read (not run): a loose edit changes them. */
    private int codeInputFiles;
    private int pendingNumber;
    private boolean pendingNumberCollective;
    private boolean previousIsCollective;
    private boolean namesTests;
    private boolean runsSomething;
    private Signal testsSignal;
    private boolean namesPictures;
    private Signal picturesSignal;
    private Signal localFileSignal;
    private boolean readSomeFiles;
    private int inputFiles;
    private int outputFiles;
    private int editedFiles;
    private Signal inputFileSignal;
    private Signal outputFileSignal;
    private boolean noStraightClose;
    private boolean noCurlyClose;
    private boolean noSingleClose;
    private int shapeEnd;
    private Signal shapeExtension;
    private boolean shapeMentionsTests;
    /** Capability bits that this word added to its clause. */
    private int wordNewCapabilities;
    /** The previous content word was its segment's verb ("send it to the manager": no field of the manager). */
    private boolean previousWordIsVerb;
    /** The previous word was "our" or "my". */
    private boolean previousIsPossessive;
    /** Monitoring named only by events, in clauses that name no page: needed unless the task routes or simulates. */
    private boolean eventMonitoring;
    /** The task asks for an answer from what the model knows ("from what you already know"). */
    private boolean knowledgeOnly;
    /** The segment before had a work verb. */
    private boolean previousSegmentHasStep;
    /** A payments cue named a provider or an act by itself ("Stripe", "refund it"), not only data ("refunds"). */
    private boolean paymentsNamedStrongly;
    /** The previous word was "that", "who" or "which". */
    private boolean previousIsRelative;
    /** The previous word was a role, the subject of a verb right after it ("a researcher checks ..."). */
    private boolean previousIsRole;
    /** What the token before named, when it was a content word. */
    private int previousTokenCapabilities;
    /** The verb kinds of the segment before: a list item after it shares its verb. */
    private boolean previousSegmentEdits;
    private boolean previousSegmentAuthors;
    private boolean previousSegmentWrites;
    /** Content words of the segment before: a long one ends in a clause of its own, not in a first option. */
    private int previousSegmentContent;
    /** The pending material word is positional ("below"): a preposition after it does not undo it. */
    private boolean pendingMaterialPositional;
    /** The signal being applied is a file's format (its extension). */
    private boolean applyingFileFormat;
    /** The signal being applied is a verb-only one ("search", "query" as verbs). */
    private boolean applyingVerbSignal;
    /** Capabilities named in questions without a work verb: the subject of a documentation lookup, if any. */
    private int questionCapabilities;
    private boolean reviewed;
    private boolean critiqueLoop;
    /** A critique loop confirmed by "until" or "again" after it: counted once more, then no further. */
    private boolean repeatedLoop;
    private boolean handedToAgent;
    /** "each"/"every" over a collection named by its place counted once. */
    private boolean eachInPlaceCounted;
    private Signal routeAdjective;
    /** The clause and the segment being read; each is replaced by a fresh one when it ends. */
    private Clause clause = new Clause();
    private Segment segment = new Segment();

    Scan(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    /** The word tables this scan reads with. */
    Lexicon lexicon() {
        return lexicon;
    }

    /** Scans the first {@code limit} characters of {@code text}. */
    Scan run(String text, int limit) {
        int length = Math.min(text.length(), limit);
        scannedChars = length;
        // The loop reads an array: String.charAt checks the index and the encoding at every character. Shapes,
        // quotes and names, which are rare, are still checked on the String.
        char[] chars = new char[length];
        text.getChars(0, length, chars, 0);
        int chunkStart = -1;
        boolean chunkChecked = false;
        boolean chunkAfterTarget = false;
        boolean chunkHyphenChecked = false;
        int i = 0;
        while (i < length) {
            char c = chars[i];
            int kind = Chars.kind(c);
            if ((kind & Chars.SPACE) != 0) {
                endWord();
                if (c == '\n') {
                    endClause();
                }
                chunkStart = -1;
                i++;
                continue;
            }
            if (chunkStart < 0) {
                chunkStart = i;
                chunkChecked = false;
                chunkHyphenChecked = false;
                chunkAfterTarget = clause.previousIsTarget;
            }
            boolean singleQuote = (c == '\'' || c == '\u2018') && (i == chunkStart || chars[i - 1] == '(');
            if (c == '"' || c == '\u201c' || singleQuote) {
                // 'I got charged twice', 'Runbook Standards': single quotes open material too, where a chunk starts;
                // a question in them ("user asks 'how far is Ulaanbaatar by road?'") is mostly the one to answer.
                int close = singleQuote ? closingSingleQuote(text, i, length)
                        : closingQuote(text, i, length, c == '"' ? '"' : '\u201d');
                if (singleQuote && close > 0 && chars[close - 1] == '?') {
                    close = -1;
                }
                if (close > i) {
                    // Quoted material (a message to translate, an alert, a name) is the task's object: its words
                    // are not instructions.
                    endWord();
                    quoteToken();
                    chunkChecked = true;
                    TextFeatures.tokens(text, i, close + 1, modelTokens);
                    i = close + 1;
                    if (close > 0 && Chars.endsSentence(chars[close - 1])) {
                        endClause(); // "... o boleto?" Send it to ...: the quote ended a sentence
                    }
                    continue;
                }
            }
            // A chunk is checked for a shape at its first mark ("https:", "data/", "~/", "#ops", "a@b"), before any
            // of its words but the one being read has counted: then it is taken whole. One pass over the text.
            if (!chunkChecked && (kind & Chars.SHAPE_MARK) != 0) {
                chunkChecked = true;
                int chunkEnd = i;
                while (chunkEnd < length && !Chars.isSpace(chars[chunkEnd])) {
                    chunkEnd++;
                }
                int routeEnd = apiRouteEnd(text, chunkStart, chunkEnd);
                if (routeEnd > 0) {
                    // "/api/search", "/v2/orders": a route of a web API is material, no file on disk.
                    dropWord();
                    quoteToken();
                    for (int p = routeEnd; p < chunkEnd; p++) {
                        punctuation(text, p, length, chars[p]);
                    }
                    TextFeatures.tokens(text, i, chunkEnd, modelTokens);
                    i = chunkEnd;
                    continue;
                }
                Lexicon.Shape shape = classify(text, chunkStart, chunkEnd);
                if (shape != null) {
                    dropWord();
                    // "save it as status-mobile.png": "status" counted already
                    clause.previousIsTarget = chunkAfterTarget;
                    shapeToken(shape);
                    for (int p = shapeEnd; p < chunkEnd; p++) {
                        punctuation(text, p, length, chars[p]);
                    }
                    TextFeatures.tokens(text, i, chunkEnd, modelTokens);
                    i = chunkEnd;
                    continue;
                }
                int callEnd = codeCallEnd(text, chunkStart, chunkEnd, length);
                if (callEnd > 0) {
                    // "customers(id, email)", "data.results.map(r => r.id)": code is material, like a quote.
                    dropWord();
                    quoteToken();
                    TextFeatures.tokens(text, i, callEnd, modelTokens);
                    i = callEnd;
                    continue;
                }
            }
            if ((kind & Chars.WORD) != 0) {
                // A word starts (the previous one has ended): read all of it in a tight loop, lower-casing and
                // hashing as it goes (for the lexicon its first 32 characters, for the model all); the character
                // after it is handled by the outer loop.
                wordInNumber = i > 0 && Chars.isNumberGlue(chars[i - 1]);
                wordAfterHyphen = i > 1 && chars[i - 1] == '-' && (Chars.kind(chars[i - 2]) & Chars.WORD) != 0;
                wordAfterParen = i > 0 && chars[i - 1] == '(';
                // Locals, not fields, in the loop: the JIT keeps them in registers.
                char[] buffer = word;
                int read = wordLength;
                int hash = WordTable.SEED;
                boolean digits = true;
                boolean tooLong = wordTooLong;
                int tokenStart = i;
                long tokenHash = TextFeatures.FNV_OFFSET;
                char lower = Chars.lower(c);
                do {
                    tokenHash = TextFeatures.extend(tokenHash, lower);
                    if (read < Lexicon.MAX_WORD) {
                        buffer[read++] = lower;
                        hash = WordTable.mix(hash, lower);
                        digits &= c >= '0' && c <= '9';
                    } else {
                        tooLong = true;
                    }
                    i++;
                } while (i < length && (lower = Chars.wordLower(c = chars[i])) != 0);
                modelTokens.token(TextFeatures.finish(tokenHash), tokenStart, i);
                wordLength = read;
                wordHash = hash;
                wordDigits = digits;
                wordTooLong = tooLong;
                continue;
            } else {
                if (c == '-' && !chunkHyphenChecked && wordLength > 0) {
                    chunkHyphenChecked = true;
                    int nameEnd = hyphenatedNameEnd(text, chunkStart, i, length);
                    if (nameEnd > 0) {
                        // "acme-logs-archive", "too-many-branches": a name, whatever words it is made of.
                        dropWord();
                        quoteToken();
                        TextFeatures.tokens(text, i, nameEnd, modelTokens);
                        i = nameEnd;
                        continue;
                    }
                }
                if (c == '%' || ((kind & Chars.NUMBER_GLUE) != 0 && i + 1 < length
                        && Character.isDigit(chars[i + 1]))) {
                    wordInNumber = true;
                }
                endWord();
                punctuation(text, i, length, c);
                modelTokens.token(TextFeatures.otherToken(Chars.lower(c)), i, i + 1);
            }
            i++;
        }
        endWord();
        endClause();
        // "What does max_connections control in Postgres? Check the docs.": the question's products are the
        // subject of the lookup; without a lookup, a question needs what it names ("what time is it in Lima?").
        boolean consultsDocs = ((capabilities | questionCapabilities) & Capability.DOCUMENTATION.bit()) != 0;
        capabilities |= consultsDocs ? questionCapabilities & LOOKUP_CAPABILITIES : questionCapabilities;
        resolveFiles();
        // "Page whoever owns this alert", "a tabletop where agents react as the incident unfolds": an alert or an
        // incident named alone in a task that routes it to a handler or plays it out between roles is its subject.
        if (eventMonitoring && patternScores[Pattern.ROUTER.ordinal()] < EVENT_ROUTE_SCORE
                && patternScores[Pattern.SWARM.ordinal()] < EVENT_ROUTE_SCORE) {
            capabilities |= Capability.MONITORING.bit();
        }
        int payments = Capability.PAYMENTS.bit();
        if ((capabilities & payments) != 0 && !paymentsNamedStrongly
                && (capabilities & (Capability.DATABASE_QUERY.bit() | Capability.FILE_READ.bit())) != 0) {
            // "Query the orders table: how many refunds did we issue yesterday?": refunds and charges named only as
            // data in a database or a file are rows to count, not a payments provider to call.
            capabilities &= ~payments;
        }
        if (knowledgeOnly) {
            // "just from what you already know, tell me the trade-offs": no tool but the user's own memory; a
            // scene played out between agents may still be grounded in a search ("grounded in the latest news")
            capabilities &= Capability.MEMORY.bit()
                    | (patternScores[Pattern.SWARM.ordinal()] > 0 ? Capability.WEB_SEARCH.bit() : 0);
        }
        if (headVerb != null) { // the first verb names the task's main kind of work: it counts once more
            for (int k = 0; k < headVerb.typeIndexes.length; k++) {
                typeScores[headVerb.typeIndexes[k]] += headVerb.typeValues[k];
            }
        }
        if (namesTests && runsSomething) {
            capabilities |= Capability.TESTING.bit();
            rememberCapabilities(Capability.TESTING.bit(), testsSignal);
        }
        if (namesPictures) {
            capabilities |= Capability.IMAGE_GENERATION.bit();
            rememberCapabilities(Capability.IMAGE_GENERATION.bit(), picturesSignal);
        }
        return this;
    }

    /**
     * The shape of the chunk {@code text[start, end)} without its surrounding punctuation, or null for plain words.
     * Sets {@link #shapeEnd}, {@link #shapeExtension} and {@link #shapeMentionsTests}.
     */
    private Lexicon.Shape classify(String text, int start, int end) {
        int s = start;
        int e = end;
        while (s < e && Chars.isOpening(text.charAt(s))) {
            s++;
        }
        while (e > s && Chars.isClosing(text.charAt(e - 1))) {
            e--;
        }
        shapeEnd = e;
        shapeExtension = null;
        shapeMentionsTests = false;
        if (e - s < 2 || isPlainWord(text, s, e)) {
            return null; // most chunks: one pass and done
        }
        char first = text.charAt(s);
        char second = text.charAt(s + 1);
        if (first == '#') {
            return Character.isDigit(second) ? Lexicon.Shape.ISSUE_NUMBER
                    : Character.isLetter(second) ? Lexicon.Shape.CHANNEL : null;
        }
        if (first == '@') {
            return Character.isLetter(second) ? Lexicon.Shape.MENTION : null;
        }
        int scheme = indexOf(text, "://", s, e);
        if (scheme > s) {
            for (String storage : STORAGE_SCHEMES) {
                if (text.regionMatches(true, s, storage, 0, storage.length())) {
                    return Lexicon.Shape.STORAGE_URL;
                }
            }
            return isRepositoryHost(text, scheme + 3) ? Lexicon.Shape.REPOSITORY_URL : Lexicon.Shape.URL;
        }
        if (text.regionMatches(true, s, "www.", 0, 4)) {
            return isRepositoryHost(text, s) ? Lexicon.Shape.REPOSITORY_URL : Lexicon.Shape.URL;
        }
        int at = indexOf(text, '@', s, e);
        if (at > s) {
            return Lexicon.Shape.EMAIL_ADDRESS;
        }
        int slash = indexOf(text, '/', s, e);
        boolean hasSlash = slash >= 0;
        if (first == '.' && Character.isLetter(second) && !hasSlash) {
            shapeExtension = extensionOf(text, s, e);
            return shapeExtension == null ? null : Lexicon.Shape.EXTENSION; // ".docx": a kind of file, not a file
        }
        int hostEnd = hasSlash ? slash : e;
        if (isWebHost(text, s, hostEnd)) {
            return isRepositoryHost(text, s) ? Lexicon.Shape.REPOSITORY_URL : Lexicon.Shape.DOMAIN;
        }
        shapeExtension = extensionOf(text, s, e);
        boolean rooted = first == '/' || (first == '~' && second == '/')
                || (first == '.' && (second == '/' || (second == '.' && e - s > 2 && text.charAt(s + 2) == '/')));
        int slashes = 0;
        for (int i = s; i < e; i++) {
            if (text.charAt(i) == '/') {
                slashes++;
            }
        }
        if (shapeExtension != null && (slashes > 0 || !isFrameworkName(text, s, e))) {
            for (String webFile : WEB_FILES) {
                if (e - s == webFile.length() && text.regionMatches(true, s, webFile, 0, webFile.length())) {
                    shapeExtension = null;
                    return Lexicon.Shape.WEB_FILE;
                }
            }
            shapeMentionsTests = mentionsTests(text, s, e);
            return Lexicon.Shape.FILE_NAME;
        }
        if (!hasLetterOrDigit(text, s, e)) {
            return null;
        }
        boolean pathLike = (rooted && (first != '/' || slashes >= 2)) // "/health" alone is an API route
                || (!rooted && slashes >= 1 && (slashes >= 2 || text.charAt(e - 1) == '/')); // "src/billing/"
        if (pathLike && hasLetter(text, s, e)) { // "$29/$79/$199" is a list of prices
            shapeMentionsTests = mentionsTests(text, s, e);
            return Lexicon.Shape.PATH;
        }
        if (slashes == 1 && slash - s >= 2 && e - slash - 1 >= 2 && hasLetter(text, s, e)
                && !isSlashPairWord(text, s, slash)) {
            return Lexicon.Shape.REPOSITORY_SLUG;
        }
        return null;
    }

    /**
     * Where the chunk {@code text[start, end)} ends without its closing punctuation when it is a route of a web API
     * ("/api/search", "/v2/orders": a first part "api" or "v" and a version number), else -1.
     */
    private static int apiRouteEnd(String text, int start, int end) {
        int s = start;
        while (s < end && Chars.isOpening(text.charAt(s))) {
            s++;
        }
        if (end - s < 4 || text.charAt(s) != '/') {
            return -1;
        }
        int slash = indexOf(text, '/', s + 1, end);
        if (slash < 0) {
            return -1;
        }
        boolean api = slash - s == 4 && text.regionMatches(true, s + 1, "api", 0, 3);
        boolean version = slash - s >= 3 && Chars.lower(text.charAt(s + 1)) == 'v';
        for (int k = s + 2; version && k < slash; k++) {
            version = Character.isDigit(text.charAt(k));
        }
        if (!api && !version) {
            return -1;
        }
        int e = end;
        while (e > s && Chars.isClosing(text.charAt(e - 1))) {
            e--;
        }
        return e;
    }

    /**
     * Where a code call in the chunk {@code text[start, end)} ends ("print()", "orders(customer_id, created_at)":
     * a word glued to an opening parenthesis), just after its closing parenthesis; -1 when there is none.
     */
    private static int codeCallEnd(String text, int start, int end, int length) {
        int open = indexOf(text, '(', start, end);
        if (open <= start || (Chars.kind(text.charAt(open - 1)) & Chars.WORD) == 0) {
            return -1;
        }
        int depth = 0;
        for (int i = open; i < Math.min(length, open + CALL_REACH); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return -1;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Where the chunk that starts at {@code start} ends when it is a hyphenated name of three or more parts with a
     * letter and no function word ("acme-logs-archive", not "end-to-end" or "30-60-90"), or of two parts one of which
     * is an environment or region ("logs-prod", "backups-eu"), else -1; {@code hyphen} is its first hyphen, after a
     * first part of word characters only.
     */
    private int hyphenatedNameEnd(String text, int start, int hyphen, int length) {
        int s = start;
        while (s < hyphen && Chars.isOpening(text.charAt(s))) {
            s++;
        }
        int e = hyphen;
        while (e < length && !Chars.isSpace(text.charAt(e))) {
            e++;
        }
        while (e > hyphen && Chars.isClosing(text.charAt(e - 1))) {
            e--;
        }
        int parts = 0;
        boolean letter = false;
        boolean environment = false;
        int partStart = s;
        for (int i = s; i <= e; i++) {
            char c = i < e ? text.charAt(i) : '-';
            if (c == '-') {
                if (i == partStart || i - partStart > Lexicon.MAX_WORD) {
                    return -1;
                }
                for (int k = partStart; k < i; k++) {
                    slashPart[k - partStart] = Chars.lower(text.charAt(k));
                }
                long flags = lexicon.flagsOf(slashPart, i - partStart);
                if ((flags & Signal.ENVIRONMENT) != 0) {
                    environment = true; // "logs-us": a name, though "us" is also a pronoun
                } else if ((flags & FUNCTION_WORD) != 0) {
                    return -1;
                }
                parts++;
                partStart = i + 1;
            } else if ((Chars.kind(c) & Chars.WORD) == 0) {
                return -1; // a path, a file name, a URL: shapes take those
            } else {
                letter |= Character.isLetter(c);
            }
        }
        // "acme-logs-archive"; with two parts only a resource named by its environment or region ("logs-prod").
        return letter && (parts >= 3 || (parts == 2 && environment)) ? e : -1;
    }

    /** Whether the word that ends at {@code end} is {@code word} (any case). */
    private static boolean endsWithWord(String text, int end, String word) {
        int start = end - word.length();
        return start >= 0 && text.regionMatches(true, start, word, 0, word.length())
                && (start == 0 || !Character.isLetter(text.charAt(start - 1)));
    }

    /** Whether {@code text[start, end)} is a word of a common slash pair ("async/await", "before/after"). */
    private boolean isSlashPairWord(String text, int start, int end) {
        if (end - start > Lexicon.MAX_WORD) {
            return false;
        }
        for (int i = start; i < end; i++) {
            slashPart[i - start] = Chars.lower(text.charAt(i));
        }
        return lexicon.isSlashPairWord(slashPart, end - start);
    }

    /** No character that could make a shape: letters, digits, hyphens, apostrophes and inner punctuation only. */
    private static boolean isPlainWord(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.' || c == '/' || c == '@' || c == '#' || c == ':' || c == '~' || c == '(') {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the quote opened at {@code open} closes within the scanned text, or -1. Once a quote finds no closing
     * mark, no later one will, so the text is searched at most once more (linear time on any input).
     */
    private int closingQuote(String text, int open, int length, char closing) {
        boolean straight = closing == '"';
        if (straight ? noStraightClose : noCurlyClose) {
            return -1;
        }
        int close = text.indexOf(closing, open + 1);
        if (close < 0 || close >= length) {
            if (straight) {
                noStraightClose = true;
            } else {
                noCurlyClose = true;
            }
            return -1;
        }
        return close;
    }

    /**
     * Where the single quote opened at {@code open} closes: a straight or curly closing quote after a character
     * that is no space and before one that is no letter or digit ("don't", "it's" go on), or -1. As with
     * {@link #closingQuote}, once none is found no later one will be.
     */
    private int closingSingleQuote(String text, int open, int length) {
        if (noSingleClose || open + 1 >= length || Chars.isSpace(text.charAt(open + 1))) {
            return -1;
        }
        for (int i = open + 2; i < length; i++) {
            char c = text.charAt(i);
            if ((c == '\'' || c == '\u2019') && !Chars.isSpace(text.charAt(i - 1))
                    && (i + 1 == length || !Character.isLetterOrDigit(text.charAt(i + 1)))) {
                return i;
            }
        }
        noSingleClose = true;
        return -1;
    }

    /** The first {@code c} in {@code text[start, end)}, or -1; searches never leave the chunk. */
    private static int indexOf(String text, char c, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(String text, String part, int start, int end) {
        for (int i = start; i + part.length() <= end; i++) {
            if (text.startsWith(part, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(String text, char c, int start, int end) {
        for (int i = end - 1; i >= start; i--) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private Signal extensionOf(String text, int start, int end) {
        int dot = lastIndexOf(text, '.', start, end);
        if (dot < start || end - dot - 1 < 1 || end - dot - 1 > 7) {
            return null;
        }
        int length = 0;
        for (int i = dot + 1; i < end; i++) {
            char c = text.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                return null;
            }
            word[length++] = Character.toLowerCase(c);
        }
        return lexicon.extension(word, length);
    }

    /** "Node.js", "Vue.js": a capitalised word before the dot is a product, not a file. */
    private static boolean isFrameworkName(String text, int start, int end) {
        if (!Character.isUpperCase(text.charAt(start))) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != '.' && !Character.isLetter(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWebHost(String text, int start, int end) {
        int dot = lastIndexOf(text, '.', start, end);
        if (dot <= start + 1 || dot >= end - 1) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-')) {
                return false;
            }
        }
        for (String tld : WEB_TLDS) {
            if (end - dot - 1 == tld.length() && text.regionMatches(true, dot + 1, tld, 0, tld.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRepositoryHost(String text, int at) {
        for (String host : REPOSITORY_HOSTS) {
            if (text.regionMatches(true, at, host, 0, host.length())) {
                return true;
            }
        }
        return false;
    }

    /** "tests/test_api.py", "e2e/checkout.spec.ts", "eval/cases.jsonl", "fixtures/": a file of tests. */
    private static boolean mentionsTests(String text, int start, int end) {
        for (String mark : TEST_FILE_MARKS) {
            if (containsIgnoreCase(text, start, end, mark)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsIgnoreCase(String text, int start, int end, String part) {
        for (int i = start; i + part.length() <= end; i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLetterOrDigit(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (Character.isLetterOrDigit(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLetter(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (Character.isLetter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private void punctuation(String text, int at, int length, char c) {
        boolean endOfChunk = at + 1 >= length || Chars.isSpace(text.charAt(at + 1));
        switch (c) {
            case ',', '&', '+' -> {
                if (endOfChunk) {
                    separator(false);
                }
            }
            case '.', '!', '?', ';', ':' -> {
                if (endOfChunk) {
                    clause.isQuestion |= c == '?'; // "Weather in Oslo tomorrow?" asks without a question word
                    clause.isLabel = c == ':';
                    endClause(); // "summary.md" and "14:05" go on
                }
            }
            case '\'', '\u2019' -> {
                afterApostrophe = true;
                // "don't fix anything" rules the next words out; "it doesn't match the warehouse" describes.
                apostropheNegates = endsWithWord(text, at, "don") || endsWithWord(text, at, "won")
                        || endsWithWord(text, at, "shouldn") || endsWithWord(text, at, "mustn");
            }
            default -> {
                // other punctuation splits words and nothing more
            }
        }
    }

    private void separator(boolean alternative) {
        endSegment();
        clause.pendingSeparator = true;
        pendingAlternative = alternative;
    }

    private void endWord() {
        if (wordLength == 0 && !wordTooLong) {
            afterApostrophe = false;
            return;
        }
        if (wordTooLong) {
            dropWord();
            token(null, 0, false, false);
            return;
        }
        int length = wordLength;
        wordLength = 0;
        if (afterApostrophe) {
            afterApostrophe = false;
            if (length == 1 && word[0] == 't') { // don't, isn't, can't
                if (apostropheNegates) {
                    segment.negationLeft = NEGATION_REACH;
                }
                return;
            }
            if (length <= 2) { // 's, 're, 'll, 've, 'd
                return;
            }
        }
        int number = wordDigits ? parseNumber(length) : -1;
        Lexicon.Word known = number >= 0 ? null : lexicon.word(word, length, wordHash);
        if (number < 0) {
            number = known == null ? 0 : known.number();
        }
        // "$1.10", "30%", "2/14": part of an amount, a date or a version, not a count of things.
        token(known, wordInNumber ? 0 : number, length > 2 && word[length - 1] == 's', Character.isDigit(word[0]));
    }

    /** The value of an all-digit word, capped. */
    private int parseNumber(int length) {
        int value = 0;
        for (int i = 0; i < length; i++) {
            value = Math.min(1_000_000, value * 10 + (word[i] - '0'));
        }
        return value;
    }

    /**
     * A word was read: {@code known} is its lexicon entry (or null), {@code plural} says it ends in "s",
     * {@code numeric} that it starts with a digit.
     */
    private void token(Lexicon.Word known, int number, boolean plural, boolean numeric) {
        words++;
        long flags = known == null ? 0 : known.flags();
        boolean determiner = (flags & Signal.DETERMINER) != 0;
        boolean joiner = (flags & (Signal.CONJUNCTION | Signal.ALTERNATIVE)) != 0;
        boolean preposition = (flags & Signal.PREPOSITION) != 0;
        boolean content = !determiner && !joiner && !preposition && (flags & Signal.FILLER) == 0;
        if (segment.versionCapabilities != 0) {
            // "when did PostgreSQL 17 come out?", "tests against Postgres 14, 15 and 16": a release of the product is
            // the subject; "the Elasticsearch 7 to 8 upgrade" changes ours.
            if ((flags & Signal.TARGET) == 0) {
                withdrawVersion();
            }
            segment.versionCapabilities = 0;
        }
        if (numeric && number > 0 && !wordInNumber) {
            segment.versionCapabilities = previousTokenCapabilities & PRODUCT_TOOLS;
        }
        if (segment.pendingMaterial && !determiner) {
            // "the alert list below" names material; "stays above 85%", "the URLs listed in urls.txt" do not.
            segment.hasMaterial |= !((preposition && !pendingMaterialPositional) || numeric || number > 0);
            segment.pendingMaterial = false;
        }
        // "the build is red": a word after a determiner is a noun, whatever it could be as a verb.
        boolean verbSlot = segment.content == 0 && known != null && known.verbForm() && !segment.openedByDeterminer;
        boolean verb = content && verbSlot;
        if (determiner && segment.content == 0) {
            segment.openedByDeterminer = true;
        } else if (determiner) {
            segment.hasDeterminer = true;
        }
        if (content && !clause.started) {
            clause.started = true;
            clause.isQuestion = (flags & Signal.QUESTION) != 0;
            clause.opensWithQuestion = clause.isQuestion;
            clause.explains = (flags & Signal.EXPLAINS) != 0;
            clause.explainsPending = clause.explains;
        } else if (clause.explainsPending && (content || (flags & Signal.FILLER) != 0)) {
            // "how do they differ", "why is it slow"; "how many", "how much" ask for a figure
            clause.explains = (flags & Signal.AUXILIARY) != 0;
            clause.explainsPending = false;
        } else if ((flags & Signal.EXPLAINS) != 0 && clause.isQuestion && !clause.explains) {
            // "what's a write-ahead log and why does Postgres need one": a later "why" asks to explain as well
            clause.explains = true;
            clause.explainsPending = true;
        }
        wordNewCapabilities = 0;
        if (verb && (flags & (Signal.ACTION | Signal.VERB)) != 0) {
            segment.opensWithVerb = true;
        }
        advancePhrases(known, determiner, verbSlot && !determiner && !joiner && !preposition); // "go through"
        if (known != null && known.signal() != null && !known.signal().onlyWordClass) {
            apply(known.signal(), verb);
        }
        if ((flags & Signal.PRONOUN) != 0) {
            segment.hasPronoun = true;
        }
        if ((flags & (Signal.ROLE | Signal.INTERNAL_RECIPIENT)) != 0 && plural && clause.itemSeparators >= 1
                && segment.afterSeparator && segment.content <= 2 && !clause.hasAlternative) {
            clause.listIsCast = true; // "security, performance and style reviewers": the items name the roles
        }
        if ((flags & Signal.DISTRIBUTIVE) != 0) {
            segment.eachReach = clause.topic ? 0 : EACH_REACH; // not what a script does: "gzips every log file in"
        } else if (preposition && segment.eachReach > 0 && segment.eachReach < EACH_REACH) {
            segment.eachPlaceReach = EACH_REACH; // "every markdown file under ...": the place comes within a few words
            segment.eachReach = 0;
        } else if (content && segment.eachReach > 0) {
            // "each one", "each 2" name no collection
            segment.eachReach = numeric || number > 0 ? 0 : segment.eachReach - 1;
        }
        if (segment.eachPlaceReach > 0 && content) {
            if ((flags & Signal.LOCAL_FILES) != 0 || (wordNewCapabilities & CONTAINER_HOSTS) != 0) {
                eachInPlace(); // "each tab of the Inventory Google Sheet", "every PDF in the Drive folder"
            } else {
                segment.eachPlaceReach--;
            }
        }
        if ((flags & Signal.INDEFINITE) != 0) {
            segment.indefiniteReach = 3;
        } else if (preposition) {
            segment.indefiniteReach = 0;
            segment.docsBeforeIndex = false; // "the docs for our search index" names both
        } else if (content && segment.indefiniteReach > 0) {
            segment.indefiniteReach--;
        }
        if (segment.content == 0) {
            if ((flags & Signal.SELF) != 0) {
                segment.self = true;
            } else if ((flags & (Signal.ADDRESSEE | Signal.REQUESTS)) != 0) {
                segment.self = false; // "I want you to send it": the agent's act again
            }
        }
        boolean roleActs = previousIsRole && segment.content > 0 && !wordAfterParen; // not "squad (search, ..."
        if ((previousIsRelative || roleActs) && known != null && (flags & Signal.LOOKUP) != 0 && !verb
                && !segment.authors && !clause.topic) {
            // "a rules agent that searches the official guidance", "a visa specialist who checks current rules
            // online", "a researcher checks the company online": what a role does is a lookup too; a web search
            // verb there searches.
            clause.looksUp = true;
            Signal looksUp = known.verbSignal();
            if (looksUp != null && looksUp.weakCapabilities == Capability.WEB_SEARCH.bit()) {
                applyingVerbSignal = true;
                apply(looksUp, false);
                applyingVerbSignal = false;
            }
        }
        if (verb && known.verbSignal() != null && !segment.self) {
            int before = clause.capabilities | clause.weakCapabilities;
            applyingVerbSignal = true;
            apply(known.verbSignal(), true);
            applyingVerbSignal = false;
            clause.verbCapabilities |= (clause.capabilities | clause.weakCapabilities) & ~before;
            clause.hasVerbCue = true;
        }
        int messaging = Capability.MESSAGING.bit();
        if ((flags & Signal.MESSAGE_CONTENT) != 0 && (clause.verbCapabilities & messaging) != 0
                && segment.content >= 2 && !previousIsPreposition) {
            clause.topic = true; // "Post in #ops that the staging database is down": the message, not a tool
        }
        if (clause.pendingSeparator && segment.content == 0 && content) {
            segment.afterSeparator = true;
        }
        if (clause.pendingSeparator && !determiner && !joiner) {
            // A separator followed by a number, a date, a preposition, a filler ("and tell me"), a question word,
            // a negation or a verb starts no list item.
            boolean item = content && !numeric && number == 0
                    && (flags & (Signal.NEGATION | Signal.UNIT | Signal.QUESTION)) == 0
                    && !(verb && (flags & (Signal.ACTION | Signal.VERB)) != 0);
            if (item) {
                clause.itemSeparators++;
                clause.hasAlternative = pendingAlternative; // the last separator says whether it is a choice
                clause.hasChoice |= pendingAlternative;
                // "a network, database or application agent": the word before the first separator is an option
                // too, unless it ends a longer phrase ("a venue agent that searches online, a catering agent").
                clause.listItemCapabilities |= wordNewCapabilities
                        | (clause.itemSeparators == 1 && (previousSegmentContent <= FIRST_OPTION_WORDS
                        || previousWordAfterParen) ? clause.previousWordCapabilities : 0);
                segment.edits |= previousSegmentEdits;
                segment.authors |= previousSegmentAuthors;
                segment.writes |= previousSegmentWrites;
            }
            clause.pendingSeparator = false;
        }
        if (joiner) {
            separator((flags & Signal.ALTERNATIVE) != 0);
        }
        if ((flags & Signal.FILE_KIND) != 0 && !verb && !suppressed() && !clause.topic && segment.writes
                && !segment.transfers) {
            // "save that as a new CSV", "put them all in one CSV": a file the task writes; "turn this into CSV" is
            // an answer in a format
            segment.outputs++;
            localFileSignal = localFileSignal == null ? known.signal() : localFileSignal;
        }
        if ((flags & Signal.LOCAL_FILES) != 0 && !verb && !suppressed() && !clause.topic) {
            localFileSignal = localFileSignal == null ? known.signal() : localFileSignal;
            if (isOutputPosition()) {
                segment.outputs++;
            } else {
                segment.localWords++;
            }
        }
        if (content) {
            roles(flags);
            places(flags, verb);
            // "in 5 minutes" counts nothing, "in all 14 accounts" does.
            boolean countsItems = !(previousIsPreposition && !previousIsCollective) && !isYear(number);
            countNumberedItems(countsItems ? number : 0, flags, plural);
            segment.content++;
            clause.contentWords++;
            clause.previousWordCapabilities = wordNewCapabilities;
            previousWordIsVerb = verb;
            segment.previousWordIsPlace = (flags & Signal.PLACE_KIND) != 0;
            previousWordAfterParen = wordAfterParen;
        } else {
            segment.previousWordIsPlace = false; // "a hotel near Gion": the place is looked up
        }
        if ((flags & Signal.PARTS) != 0 && clause.itemSeparators == 0) {
            clause.listIsParts = true; // "with columns name, role and start date": parts of one artefact
        }
        if ((flags & Signal.SOURCE) != 0) {
            segment.fromSource = true;
        }
        if ((flags & Signal.REQUESTS) != 0 && segment.content == 0) {
            segment.requests = true;
        }
        previousIsDeterminer = determiner;
        previousIsPossessive = (flags & Signal.POSSESSIVE) != 0;
        previousIsRelative = (flags & Signal.RELATIVE) != 0;
        previousIsRole = (flags & Signal.ROLE) != 0;
        previousTokenCapabilities = content ? wordNewCapabilities : 0;
        clause.owns |= previousIsPossessive;
        if (!determiner) { // "to the file", "for the 12 transcripts": look through determiners
            previousIsPreposition = preposition;
            clause.previousIsTarget = (flags & (Signal.TARGET | Signal.WRITE_INTENT)) != 0;
        }
        previousIsCollective = (flags & Signal.COLLECTIVE) != 0;
        if ((flags & Signal.TARGET) != 0 && !clause.codeTopic) {
            // "a haiku about autumn to poem.md": the topic ends where the output is named; what code does
            // ("a function that uploads a file to S3") stays its subject.
            clause.topic = false;
        }
        if (segment.negationLeft > 0 && (flags & Signal.NEGATION) == 0 && content) {
            segment.negationLeft--;
        }
    }

    /**
     * Roles and destinations: "the database expert" names a field, not a tool, so the capability of the word before
     * the role is withdrawn; "the right (cloud) team" makes the task a choice of one handler.
     */
    private void roles(long flags) {
        // The word described is in the role's own segment and no verb: "runs kubectl, and a scribe" describes no
        // tool, "send it to the manager" still sends.
        if (((flags & Signal.ROLE) != 0 && segment.content > 0 && !previousWordIsVerb)
                || ((flags & Signal.MODIFIER_SUFFIX) != 0 && wordAfterHyphen)) {
            clause.capabilities &= ~clause.previousWordCapabilities;
            clause.weakCapabilities &= ~clause.previousWordCapabilities;
        }
        // "geocode the addresses": a verb and its object, no attribute of the verb ("email columns" is one)
        if ((flags & Signal.ATTRIBUTE) != 0 && !(previousWordIsVerb && previousIsDeterminer)) {
            int described = previousTokenCapabilities & ~CONTAINER_HOSTS; // right before it: not "docs on webhooks"
            clause.capabilities &= ~described;
            clause.weakCapabilities &= ~described;
        }
        if ((flags & (Signal.ROLE | Signal.DESTINATION)) != 0) {
            clause.hasRole = true;
        }
        if ((flags & (Signal.ROLE | Signal.INTERNAL_RECIPIENT)) != 0) {
            clause.roles++;
        }
        if (clause.routeReach > 0) {
            if ((flags & (Signal.ROLE | Signal.DESTINATION)) != 0) {
                patternScores[Pattern.ROUTER.ordinal()] += ROUTE_WEIGHT;
                remember(patternEvidence, Pattern.ROUTER.ordinal() * EVIDENCE_SLOTS, routeAdjective);
                clause.routeReach = 0;
            } else if ((flags & Signal.ROUTE_ADJECTIVE) == 0) {
                clause.routeReach--;
            }
        }
    }

    /** A product named with a release number is the subject of the task, not one of our systems. */
    private void withdrawVersion() {
        clause.capabilities &= ~segment.versionCapabilities;
        clause.weakCapabilities &= ~segment.versionCapabilities;
        segment.strongCapabilities &= ~segment.versionCapabilities;
        segment.weakCapabilities &= ~segment.versionCapabilities;
    }

    /**
     * Kinds of place that are looked up: "our hotel" is the user's own place, and a place right before a noun
     * describes it ("our hotel guests", "a hotel receptionist", "supermarket prices"); neither is a place to find.
     */
    private void places(long flags, boolean verb) {
        if ((flags & Signal.PLACE_KIND) != 0 && previousIsPossessive) {
            clause.capabilities &= ~wordNewCapabilities;
            clause.weakCapabilities &= ~wordNewCapabilities;
        }
        if (segment.previousWordIsPlace && !verb && (flags & (Signal.ADVERB | Signal.UNIT | Signal.DESTINATION
                | Signal.INTERNAL_RECIPIENT | Signal.NEGATION | Signal.QUESTION)) == 0) {
            // "typical hotel prices" are still looked up on the web, but no hotel is found on a map
            int described = clause.previousWordCapabilities
                    & ((flags & Signal.PRICE) != 0 ? Capability.MAPS.bit() : -1);
            clause.capabilities &= ~described;
            clause.weakCapabilities &= ~described;
        }
    }

    /**
     * A file named here is written: right after "to", "as" or a writing verb ("save out.json"), or after a
     * preposition in a segment whose verb writes or puts ("document it in docs/setup.md", "put it on my Desktop"),
     * unless the user did it.
     */
    private boolean isOutputPosition() {
        // "I scanned the letter to ~/scans/x.pdf", "my landlord sent the lease as ~/Downloads/lease.pdf": a file
        // the user or someone else put somewhere is there to be read.
        boolean othersAct = segment.self || (segment.openedByDeterminer && !segment.hasStep && !segment.writes);
        return !othersAct
                && (clause.previousIsTarget || (segment.writes && previousIsPreposition && !segment.fromSource));
    }

    /** "in 2023": a year counts no items. */
    private static boolean isYear(int number) {
        return number >= 1900 && number <= 2100;
    }

    /** A quoted passage: one content word that says nothing (its words are material, not instructions). */
    /** Forgets the word being read: the chunk it is part of counts as one token of another kind. */
    private void dropWord() {
        wordLength = 0;
        wordTooLong = false;
        afterApostrophe = false;
    }

    /**
     * A quote or a shaped chunk names a thing whole: no phrase runs through it, and a list separator before it starts
     * an item.
     */
    private void namesThingWhole() {
        clause.namesThing = true;
        clause.phraseCount = 0;
        if (clause.pendingSeparator) {
            clause.itemSeparators++;
            clause.hasAlternative = pendingAlternative;
            clause.pendingSeparator = false;
        }
    }

    private void quoteToken() {
        words++;
        namesThingWhole();
        segment.content++;
        clause.previousIsTarget = false;
        previousIsPreposition = false;
    }

    private void countNumberedItems(int number, long flags, boolean plural) {
        if (clause.numberReach > 0) {
            if ((flags & Signal.UNIT) != 0) {
                clause.numberReach = 0;
            } else if (plural) {
                int items = Math.min(pendingNumber, 1000);
                if (pendingNumberCollective) {
                    collectiveItems = Math.max(collectiveItems, items);
                } else {
                    numberedItems = Math.max(numberedItems, items);
                }
                clause.numberReach = 0;
            } else {
                clause.numberReach--;
            }
        }
        if (number >= 2) {
            pendingNumber = number;
            pendingNumberCollective = previousIsCollective;
            clause.numberReach = NUMBER_REACH;
        }
    }

    /**
     * "Convert every CSV in data/raw/ to Parquet", "summarise each chapter file in ~/draft/": items of a collection
     * named by the place that holds it are handled alike; moving them carries the collection at once.
     */
    private void eachInPlace() {
        segment.eachPlaceReach = 0;
        if (!segment.transfers && !eachInPlaceCounted) {
            eachInPlaceCounted = true;
            patternScores[Pattern.PARALLEL.ordinal()] += EACH_IN_PLACE_WEIGHT;
        }
    }

    /** A whole chunk with a shape: a content word whose signal is the shape's (and its extension's). */
    private void shapeToken(Lexicon.Shape shape) {
        endWord();
        words++;
        if (segment.eachPlaceReach > 0) {
            if (shape == Lexicon.Shape.FILE_NAME || shape == Lexicon.Shape.EXTENSION) {
                segment.eachPlaceReach = 0; // "every table from ~/hr/remote-work.docx": items of one file
            } else {
                eachInPlace(); // a folder, a bucket, a repository or a page: "every URL in https://.../sitemap.xml"
            }
        }
        namesThingWhole();
        boolean output = isOutputPosition();
        previousIsPreposition = false;
        Signal signal = lexicon.shape(shape);
        // "a retry/backoff policy", "the CPU/memory requests": after a determiner a slash pair describes a noun;
        // a repository is named after a preposition or a verb ("in acme/web", "clone acme/web").
        boolean describes = shape == Lexicon.Shape.REPOSITORY_SLUG && previousIsDeterminer;
        previousIsDeterminer = false;
        if (!describes) {
            apply(signal, false);
        }
        if (shapeExtension != null) {
            applyingFileFormat = true;
            apply(shapeExtension, false);
            applyingFileFormat = false;
        }
        if ((shape == Lexicon.Shape.FILE_NAME || shape == Lexicon.Shape.PATH) && !suppressed() && !clause.topic) {
            if (shapeMentionsTests) {
                clause.namesTests = true;
                testsSignal = testsSignal == null ? signal : testsSignal;
            }
            if (output) {
                segment.outputs++;
                outputFileSignal = outputFileSignal == null ? signal : outputFileSignal;
            } else {
                segment.inputs++;
                segment.sourcedInputs += segment.fromSource ? 1 : 0;
                inputFileSignal = inputFileSignal == null ? signal : inputFileSignal;
                if (shapeExtension != null && shapeExtension.has(Signal.CODE_FILE)) {
                    segment.codeInputs++;
                }
            }
        }
        if (clause.numberReach > 0 && shape == Lexicon.Shape.FILE_NAME) {
            clause.numberReach = 0;
        }
        segment.content++;
        clause.previousIsTarget = false;
    }

    /**
     * Moves the phrases under way by one word and applies those it completes. An entry is a trie node shifted left
     * by one, its low bit set when the phrase began in verb position.
     */
    private void advancePhrases(Lexicon.Word known, boolean determiner, boolean verb) {
        if (clause.phraseCount == 0 && (known == null || known.startNode() < 0)) {
            return; // no phrase under way, none starting: 1,885 of the corpus's 8,695 words (about half start one)
        }
        int count = 0;
        if (known != null && known.id() >= 0) {
            for (int i = 0; i < clause.phraseCount; i++) {
                int entry = phrases[i];
                int child = lexicon.child(entry >>> 1, known.id());
                if (child >= 0) {
                    count = keep(child << 1 | (entry & 1), count);
                } else if (determiner) {
                    count = keep(entry, count);
                }
            }
            if (known.startNode() >= 0) {
                count = keep(known.startNode() << 1 | (verb ? 1 : 0), count);
            }
        }
        int[] under = nextPhrases;
        nextPhrases = phrases;
        phrases = under;
        clause.phraseCount = count;
        for (int i = 0; i < count; i++) {
            int node = phrases[i] >>> 1;
            Signal phrase = lexicon.phraseAt(node);
            if (phrase != null) {
                boolean phraseVerb = (phrases[i] & 1) != 0;
                apply(phrase, phraseVerb);
                Signal verbPhrase = phraseVerb ? lexicon.verbPhraseAt(node) : null;
                if (verbPhrase != null) {
                    applyingVerbSignal = true;
                    apply(verbPhrase, true);
                    applyingVerbSignal = false;
                }
            }
        }
    }

    /** Adds a phrase entry to the next set unless its node is there already. */
    private int keep(int entry, int count) {
        for (int i = 0; i < count; i++) {
            if (nextPhrases[i] >>> 1 == entry >>> 1) {
                return count;
            }
        }
        if (count < MAX_ACTIVE_PHRASES) {
            nextPhrases[count++] = entry;
        }
        return count;
    }

    private boolean suppressed() {
        return segment.negationLeft > 0;
    }

    /** Adds what a signal says, unless a negation reaches it; {@code verb}: it opens its segment. */
    private void apply(Signal signal, boolean verb) {
        if (signal.has(Signal.NEGATION)) {
            segment.negationLeft = NEGATION_REACH;
            return;
        }
        if (suppressed()) {
            negatedCapabilities |= signal.capabilities | signal.weakCapabilities;
            return;
        }
        if (signal.isEvidence()) {
            cues++;
        }
        if (!applyingVerbSignal && !clause.topic && (signal.capabilities & Capability.WEB_FETCH.bit()) != 0) {
            clause.namesPage = true;
        }
        if (applyingVerbSignal) {
            segment.verbCues |= signal.capabilities | signal.weakCapabilities;
            segment.verbWeak |= signal.weakCapabilities;
        }
        boolean step = verb && signal.has(Signal.ACTION) && !segment.hasStep;
        if (step) {
            clause.topic = false; // a topic lasts until the next work verb: "a joke about Kubernetes and Redis"
            clause.codeTopic = false;
        }
        int[] types = signal.typeIndexes;
        for (int i = 0; i < types.length; i++) {
            int t = types[i];
            float weight = signal.typeValues[i];
            // A verb says more about the kind of work than the nouns around it.
            float counted = step ? 2 * weight : weight;
            typeScores[t] += counted;
            segmentTypeScores[t] += counted;
            if (weight > 0f) {
                remember(typeEvidence, t * EVIDENCE_SLOTS, signal);
            }
        }
        int[] patterns = signal.patternIndexes;
        for (int i = 0; i < patterns.length; i++) {
            int p = patterns[i];
            float weight = signal.patternValues[i];
            patternScores[p] += weight;
            if (weight > 0f) {
                remember(patternEvidence, p * EVIDENCE_SLOTS, signal);
            }
        }
        if (verb && signal.has(Signal.AUTHORS)) {
            segment.authors = true;
        }
        if (verb && signal.has(Signal.REWORKS)) {
            segment.reworks = true;
        }
        if (signal.has(Signal.INTERNAL_RECIPIENT)) {
            // "send it to the pharmacist agent", "send me the minutes": handed over, not messaged
            int handedOver = clause.verbCapabilities & Capability.MESSAGING.bit();
            clause.capabilities &= ~handedOver;
            clause.weakCapabilities &= ~handedOver;
            if (handedOver != 0 && !handedToAgent && !signal.has(Signal.SELF)) {
                // the request goes to one handler of ours: dispatch ("send me the summary" returns the answer)
                handedToAgent = true;
                patternScores[Pattern.ROUTER.ordinal()] += HAND_OVER_WEIGHT;
                remember(patternEvidence, Pattern.ROUTER.ordinal() * EVIDENCE_SLOTS, signal);
            }
        }
        if (verb && (signal.has(Signal.WRITE_INTENT) || signal.has(Signal.PLACES))) {
            segment.writes = true;
        }
        // A lookup verb, or a weak web cue that is a search by itself ("a literature review").
        if (signal.has(Signal.LOOKUP) && (verb || (signal.weakCapabilities & Capability.WEB_SEARCH.bit()) != 0)) {
            clause.looksUp = true;
        }
        if (signal.has(Signal.CODE_ARTEFACT) && segment.edits
                && segment.inputs + segment.outputs + segment.localWords == 0) {
            segment.editsArtefact = true;
        }
        if (signal.has(Signal.CODE_ARTEFACT) && (segment.authors || (segment.requests && !verb)) && !clause.topic) {
            // "Write a Postgres query that ...", "a GitHub Actions workflow that runs pytest": the model writes
            // the code; the products it names and what it does are its subject.
            clause.capabilities &= ~segment.newCapabilities;
            clause.weakCapabilities &= ~segment.newCapabilities;
            clause.topic = true;
            clause.codeTopic = true;
        }
        if (!clause.topic) {
            int strongBits = signal.capabilities;
            int weakBits = signal.weakCapabilities;
            int documentation = Capability.DOCUMENTATION.bit();
            if (segment.authors || segment.reworks) {
                // "draft the kickoff email to the auditor", "iterate on the SMS": a draft is sent by no one
                strongBits &= ~Capability.MESSAGING.bit();
                weakBits &= ~Capability.MESSAGING.bit();
            }
            if (segment.authors || segment.edits || segment.writes) {
                weakBits &= ~Capability.WEB_FETCH.bit(); // "update the website": the site is the product
            }
            if (segment.indefiniteReach > 0) {
                // "give me a clean table", "into one table": a table made as the answer, none of ours
                weakBits &= ~Capability.DATABASE_QUERY.bit();
            }
            if (segment.makes) {
                // "assemble a meta-analysis table", "put together the budget table": a table made is the answer's
                // shape, no database table
                weakBits &= ~Capability.DATABASE_QUERY.bit();
            }
            if (segment.transfers) {
                // "upload reports/q2.pdf to the bucket", "move the PDFs into the archive folder": the files are
                // carried, not opened; a document service named by itself ("to Google Drive") still counts.
                weakBits &= ~Capability.DOCUMENTS.bit();
                if (applyingFileFormat || signal.has(Signal.FILE_FORMAT)) {
                    strongBits &= ~Capability.DOCUMENTS.bit();
                }
            }
            if (((strongBits | weakBits) & Capability.FULL_TEXT_SEARCH.bit()) != 0 && segment.docsBeforeIndex) {
                // "the help-center index", "our docs search index": the docs are what the index holds
                int heldDocs = segment.newCapabilities & documentation;
                clause.capabilities &= ~heldDocs;
                clause.weakCapabilities &= ~heldDocs;
                segment.strongCapabilities &= ~heldDocs;
                segment.weakCapabilities &= ~heldDocs;
                segment.consultsDocs = false;
            }
            if (((strongBits | weakBits) & documentation) != 0) {
                if (segment.authors || segment.edits || segment.writes) {
                    strongBits &= ~documentation; // "update the API docs": docs written, not looked up
                    weakBits &= ~documentation;
                } else {
                    segment.consultsDocs = true;
                    segment.docsBeforeIndex = !applyingVerbSignal;
                }
            }
            if (((strongBits | weakBits) & Capability.MONITORING.bit()) != 0 && !signal.has(Signal.EVENT_NOUN)) {
                clause.namesMonitoring = true;
            }
            if (((strongBits | weakBits) & Capability.WEB_SEARCH.bit()) != 0 && !signal.has(Signal.PLACE_DETAIL)) {
                clause.namesWeb = true;
            }
            if ((strongBits & Capability.PAYMENTS.bit()) != 0) {
                paymentsNamedStrongly = true;
            }
            if (!applyingVerbSignal && !signal.has(Signal.LOOKUP)) { // "look up", "find out" are verbs
                clause.weakNouns |= weakBits;
            }
            addCapabilities(strongBits, weakBits, signal);
            if (signal.has(Signal.TESTS)) {
                clause.namesTests = true;
                testsSignal = testsSignal == null ? signal : testsSignal;
            }
            if (signal.has(Signal.PICTURES)) {
                segment.namesPictures = true;
                picturesSignal = picturesSignal == null ? signal : picturesSignal;
            }
        }
        if (applyingVerbSignal) {
            segment.verbVetoes |= signal.vetoedCapabilities; // decided at the segment's end
        } else {
            clause.vetoes |= signal.vetoedCapabilities;
        }
        if (verb && signal.has(Signal.RUNS)) {
            runsSomething = true;
            segment.runs = true;
            clause.runs = true;
        } else if (signal.has(Signal.RUNS) && clause.namesTests) {
            runsSomething = true; // "until tests/test_leave.py passes": tests that pass or are running were run
        }
        if (verb && signal.has(Signal.SURVEYS)) {
            clause.survey = signal;
        }
        if (signal.has(Signal.MATERIAL)) {
            clause.hasMaterial = true;
            segment.pendingMaterial = true;
            pendingMaterialPositional = signal.has(Signal.POSITIONAL);
            segment.materialCapabilities |= segment.newCapabilities;
        }
        if (signal.has(Signal.PRICE) && !clause.topic) {
            clause.prices = true;
        }
        if (signal.has(Signal.EXPLAINS) && !signal.has(Signal.QUESTION) && clause.isQuestion) {
            clause.explains = true; // "what's the difference between a liveness and a readiness probe?"
        }
        if (signal.has(Signal.KNOWLEDGE_ONLY)) {
            knowledgeOnly = true;
        }
        if (verb && signal.has(Signal.ALERTS_PEOPLE)) {
            segment.alerts = true;
        }
        if (verb && signal.has(Signal.TRANSFERS)) {
            segment.transfers = true;
        }
        if (verb && signal.has(Signal.MAKES)) {
            segment.makes = true;
        }
        if (verb && signal.has(Signal.REVISES)) {
            clause.revises = true;
        }
        if (signal.has(Signal.UNTIL) && clause.revises && !repeatedLoop && !clause.topic) {
            // "fix flaky test_checkout until 50 reruns in a row pass", "rewrite it until it's clear in 80 words";
            // after a critique and a rework ("review ..., rewrite, then check it again") the loop is stated twice.
            repeatedLoop = critiqueLoop;
            critiqueLoop = true;
            patternScores[Pattern.EVALUATOR_OPTIMIZER.ordinal()] += CRITIQUE_LOOP_WEIGHT;
            remember(patternEvidence, Pattern.EVALUATOR_OPTIMIZER.ordinal() * EVIDENCE_SLOTS, signal);
        }
        if (verb && signal.has(Signal.REVIEWS)) {
            reviewed = true;
        } else if (verb && signal.has(Signal.REVISES) && reviewed && !critiqueLoop) {
            critiqueLoop = true;
            patternScores[Pattern.EVALUATOR_OPTIMIZER.ordinal()] += CRITIQUE_LOOP_WEIGHT;
            remember(patternEvidence, Pattern.EVALUATOR_OPTIMIZER.ordinal() * EVIDENCE_SLOTS, signal);
        }
        if (signal.has(Signal.ROUTE_ADJECTIVE)) {
            clause.routeReach = ROUTE_REACH;
            routeAdjective = signal;
        }
        if (verb && signal.has(Signal.EDIT_INTENT)) {
            segment.edits = true;
        }
        if (signal.complexity != 0f) {
            complexity += signal.complexity;
            if (signal.complexity > 0f) {
                remember(complexityEvidence, 0, signal);
            }
        }
        if (step) {
            segment.hasStep = true;
            clause.hasStep = true;
            steps++;
            segment.storesResult = steps > 1 && signal.has(Signal.WRITE_INTENT) && !signal.has(Signal.AUTHORS)
                    && !signal.has(Signal.MAKES);
            remember(stepEvidence, 0, signal);
            if (headVerb == null) {
                headVerb = signal;
            }
        }
        if (signal.has(Signal.SEQUENCE)) {
            sequenceCues++;
            endSegment();
        }
        if (signal.has(Signal.TOPIC)) {
            clause.topic = true;
        }
    }

    private void addCapabilities(int strongBits, int weakBits, Signal signal) {
        int added = (strongBits | weakBits) & ~(clause.capabilities | clause.weakCapabilities);
        segment.newCapabilities |= added;
        segment.strongCapabilities |= strongBits;
        segment.weakCapabilities |= weakBits;
        segment.namedDespiteVerb |= strongBits & segment.verbVetoes;
        clause.nounCapabilities |= applyingVerbSignal ? 0 : strongBits | weakBits;
        wordNewCapabilities |= added;
        if (strongBits != 0) {
            clause.capabilities |= strongBits;
            rememberCapabilities(strongBits, signal);
        }
        if (weakBits != 0) {
            clause.weakCapabilities |= weakBits;
            rememberCapabilities(weakBits, signal);
        }
    }

    private void rememberCapabilities(int bits, Signal signal) {
        for (int remaining = bits; remaining != 0; remaining &= remaining - 1) {
            int c = Integer.numberOfTrailingZeros(remaining);
            if (capabilityEvidence[c] == null) {
                capabilityEvidence[c] = signal;
            }
        }
    }

    /** Keeps the signal as evidence unless it or a cue written the same ("email" the verb, "email" the noun) is. */
    private static void remember(Signal[] slots, int from, Signal signal) {
        for (int i = from; i < from + EVIDENCE_SLOTS; i++) {
            if (slots[i] == signal || slots[i] != null && slots[i].quoted == signal.quoted) {
                return;
            }
            if (slots[i] == null) {
                slots[i] = signal;
                return;
            }
        }
    }

    private void endSegment() {
        if (segment.storesResult && segment.outputs > 0) {
            steps--; // "make an image of a lighthouse and save it as header.png": the file delivers the one result
        }
        if (segment.versionCapabilities != 0) {
            withdrawVersion(); // "in Postgres 16?"
        }
        // "map the types", "cluster the complaints": the verb is no tool of its kind; "map walking routes between
        // the museums" names the tool by its object as well.
        clause.vetoes |= segment.verbVetoes & ~segment.namedDespiteVerb;
        // "classify each row in feedback.csv and append it to the Google Sheet": an edit that names a remote store
        // and no local file changes that store; the local files of its clause are only read.
        if (segment.edits && ((segment.strongCapabilities | segment.weakCapabilities) & REMOTE_STORES) != 0
                && segment.inputs - segment.sourcedInputs + segment.outputs + segment.localWords == 0) {
            segment.edits = false;
        }
        // "check false merges against gold.csv, adjust, repeat": an edit verb alone, with no object, changes none of
        // the files its clause names (at most the code the task reads: a loose edit); "tidy it up" changes them.
        // "refine my regex until every case in tests/cases.txt passes", "fix this query until it matches
        // finance_q3.csv": the edit changes the code it names; the data files it is checked against are only read.
        if (segment.edits && segment.editsArtefact && segment.codeInputs == 0 && segment.outputs == 0) {
            segment.edits = false;
        }
        clause.edits |= segment.edits && (segment.content > 1 || segment.hasPronoun);
        int best = -1;
        float bestScore = 1.0f;
        for (int t = 0; t < TYPES; t++) {
            if (segmentTypeScores[t] >= bestScore) {
                best = t;
                bestScore = segmentTypeScores[t];
            }
        }
        if (best >= 0 && best != TaskType.GENERAL.ordinal()) {
            segmentTypes |= 1 << best;
        }
        Arrays.fill(segmentTypeScores, 0f);
        if (segment.pendingMaterial) {
            segment.hasMaterial = true;
        }
        if (segment.hasMaterial && !segment.edits && !segment.runs) {
            // "the EXPLAIN ANALYZE output pasted below", "the five news articles below": the nouns describe material in
            // the prompt, no source to consult; a verb ("look up the firms listed below") or an edit or run of the
            // material against a source ("optimise the query below on the replica") still needs one.
            // What came before the material word describes it; after it, only weak cues do ("the log lines below
            // into a table"), a source named strongly is still one ("the query below on the reporting replica").
            int described = (segment.materialCapabilities | (segment.newCapabilities & ~segment.strongCapabilities))
                    & MATERIAL_SOURCES & ~segment.verbCues;
            clause.capabilities &= ~described;
            clause.weakCapabilities &= ~described;
            segment.strongCapabilities &= ~described;
            segment.weakCapabilities &= ~described;
        }
        // "p95 latency for checkout, search and cart": a lone word between list separators is an item, a noun;
        // what it names only as a verb ("search") is no lookup.
        // So is an item of a list of nouns that begins with such a word ("the auth, billing and search services").
        if (segment.afterSeparator && (segment.content == 1
                || (!previousSegmentHasStep && !segment.hasDeterminer && !segment.hasPronoun))) {
            segment.weakCapabilities &= ~segment.verbWeak;
        }
        // A segment's weak cues count when nothing in it names a capability or a file by itself ("search our docs
        // index": full_text_search, not web_search).
        if (segment.strongCapabilities == 0 && segment.inputs + segment.outputs + segment.localWords == 0) {
            // The web is the fallback source: "our current p99 latency", "search the help-centre index" name one
            // of our own.
            int web = Capability.WEB_SEARCH.bit();
            clause.weakAccepted |= (segment.weakCapabilities & OWN_SOURCES) != 0 ? segment.weakCapabilities & ~web
                    : segment.weakCapabilities;
        }
        if (segment.alerts && (segment.strongCapabilities & Capability.MESSAGING.bit()) != 0) {
            // "alert #finance on Slack if the gap exceeds 1%": a message to people, no monitoring tool.
            int alerted = segment.newCapabilities & Capability.MONITORING.bit();
            clause.capabilities &= ~alerted;
            clause.weakCapabilities &= ~alerted;
        }
        clause.acts |= segment.writes || segment.edits || segment.makes || segment.authors || segment.reworks
                || segment.fromSource
                || segment.transfers || segment.inputs + segment.outputs + segment.localWords > 0;
        clause.verbCues |= segment.verbCues;
        // Pictures are made when their segment's verb makes something ("draw a cartoon"), or when a request names
        // them without any verb ("I need a cover illustration"); "resize every image" makes none.
        clause.namesPictures |= segment.namesPictures
                && (segment.makes || (!segment.opensWithVerb && steps == 0 && !clause.isQuestion));
        // "Check Stripe's API docs", "what the boto3 S3 docs say": the products next to a documentation lookup are
        // its subject.
        clause.consultsDocs |= segment.consultsDocs;
        if (segment.consultsDocs && (clause.vetoes & Capability.DOCUMENTATION.bit()) == 0) {
            clause.capabilities &= ~(segment.newCapabilities & ~LOOKUP_CAPABILITIES);
            clause.weakCapabilities &= ~(segment.newCapabilities & ~LOOKUP_CAPABILITIES);
        }
        // "Read the notes in ~/notes and write a summary to summary.md": gather, then produce from it.
        if (segment.outputs > 0 && segment.writes && readSomeFiles) {
            readsThenWrites = true;
        }
        readSomeFiles |= !segment.edits && !segment.runs && segment.inputs + segment.localWords > 0;
        looseEdit |= segment.edits && segment.inputs + segment.outputs + segment.localWords == 0
                && segment.newCapabilities == 0;
        // The files a segment names are changed by its verb when that verb edits ("fix tools/cleanup.py").
        // A file or folder a verb runs ("run the tests in ~/projects/x") is not read as a file.
        if (segment.edits) {
            editedFiles += segment.inputs + segment.outputs;
            clause.editedLocalWords += segment.localWords;
        } else if (segment.runs) {
            outputFiles += segment.outputs;
        } else {
            codeInputFiles += segment.codeInputs;
            clause.inputFiles += segment.inputs;
            outputFiles += segment.outputs;
            clause.localFileWords += segment.localWords;
        }
        previousSegmentEdits = segment.edits;
        previousSegmentAuthors = segment.authors;
        previousSegmentWrites = segment.writes;
        previousSegmentContent = segment.content;
        if (segment.content > 0) { // ", and": the empty segment between the two separators is no segment
            previousSegmentHasStep = segment.hasStep;
        }
        segment = new Segment();
    }

    private void endClause() {
        endWord();
        endSegment();
        if (clause.itemSeparators >= 1) {
            if (clause.hasAlternative) {
                maxChoices = Math.max(maxChoices, clause.itemSeparators + 1);
            } else if ((clause.itemSeparators >= 2 && clause.roles >= 3)
                    || (clause.listIsCast && (clause.capabilities & Capability.MESSAGING.bit()) == 0)) {
                // "a scout searches, an analyst reads and a writer drafts", "frontend, backend and SRE agents": a
                // cast of roles that work together, not items handled alike ("ask the Leeds, Bristol and Glasgow
                // store managers on Slack" messages people one by one)
                patternScores[Pattern.SWARM.ordinal()] += ROLE_LIST_WEIGHT;
            } else if (!clause.listIsParts) {
                maxItems = Math.max(maxItems, clause.itemSeparators + 1);
            }
        }
        if ((clause.isQuestion || clause.isLabel) && !clause.opensWithQuestion && clause.hasAlternative
                && clause.itemSeparators <= 2 && clause.contentWords <= OPTIONS_WORDS && !clause.hasStep) {
            // "vet or groomer?", "web search or Confluence:": a bare choice between handlers asks which one takes it
            patternScores[Pattern.ROUTER.ordinal()] += ROUTE_WEIGHT;
        }
        // A clause's own cues win over its weak ones ("search our docs index": full_text_search, not web_search);
        // a veto ("write a postgres query") removes a capability named in its clause.
        int strong = clause.capabilities & ~clause.vetoes;
        int weak = clause.weakCapabilities & clause.weakAccepted & ~clause.vetoes;
        if (!clause.looksUp && !clause.isQuestion) {
            // "a pricing experiment" searches nothing, "compare the pricing" does; "try indexes" neither
            weak &= ~(Capability.WEB_SEARCH.bit() | Capability.FULL_TEXT_SEARCH.bit() | Capability.MAPS.bit());
        }
        if (clause.namesPage && (clause.verbCues & Capability.WEB_SEARCH.bit()) == 0) {
            // "current price and rating of https://...", "fetch the status page and tell me whether online check-in is
            // degraded": the page named answers what a weak web cue would otherwise search for; a search verb ("look
            // up each speaker's employer") still searches.
            weak &= ~Capability.WEB_SEARCH.bit();
        }
        if (clause.hasRole && clause.hasChoice && clause.itemSeparators >= 1) {
            // "a network, database or application agent", "the right expert (Postgres, MongoDB or Redis)": the
            // options name fields of the roles to choose from.
            strong &= ~clause.listItemCapabilities;
            weak &= ~clause.listItemCapabilities;
        }
        int database = Capability.DATABASE_QUERY.bit();
        if ((strong & database) != 0 && (clause.nounCapabilities & database) == 0
                && (strong & Capability.KNOWLEDGE_GRAPH.bit()) != 0) {
            // "query our family knowledge graph for every descendant": the verb queries the graph its clause names;
            // "query the orders DB" names a database as well
            strong &= ~database;
        }
        int web = Capability.WEB_SEARCH.bit();
        if ((weak & web) != 0 && (clause.weakNouns & web) == 0 && (strong & SEARCHED_SOURCES) != 0) {
            // "look up who owns it in our service graph and open the bug in that team's GitHub repo", "look up and
            // refund Stripe charges": the lookup verb searches the source its clause names, not the web.
            weak &= ~web;
        }
        if (((strong | weak) & web) != 0 && !clause.namesWeb
                && (strong & (Capability.MAPS.bit() | Capability.TIME.bit())) != 0) {
            // "opening hours of the pharmacy closest to 221 Baker Street", "is it currently business hours there?":
            // a place found on the map or a time named answers its details
            strong &= ~web;
            weak &= ~web;
        }
        if (clause.consultsDocs && clause.itemSeparators >= 1
                && (clause.vetoes & Capability.DOCUMENTATION.bit()) == 0) {
            // "the Slack, Discord and Telegram bot API docs", "the AWS SDK docs or Twilio's": the products listed
            // beside a documentation lookup are its subject, in whichever item they stand.
            strong &= ~(clause.listItemCapabilities & ~LOOKUP_CAPABILITIES);
            weak &= ~(clause.listItemCapabilities & ~LOOKUP_CAPABILITIES);
        }
        boolean label = clause.isLabel && !clause.hasStep && !clause.hasVerbCue && clause.contentWords <= 2;
        int found = label ? 0 : strong | weak;
        if (found == 0 && clause.survey != null && clause.itemSeparators >= 2 && !clause.hasAlternative
                && !clause.listIsParts && !clause.hasMaterial && clause.inputFiles + clause.localFileWords == 0) {
            // "Compare the free tiers of Supabase, Firebase and Neon": several named things weighed against each
            // other, with no source of ours and no material given, are looked up on the web.
            found = Capability.WEB_SEARCH.bit();
            rememberCapabilities(found, clause.survey);
        }
        int monitoring = Capability.MONITORING.bit();
        if ((found & monitoring) != 0 && !clause.namesMonitoring) {
            // "tell me whether any incidents are open" on a status page named in the clause: the page's content;
            // "page whoever owns this alert": the item routed, decided at the end (eventMonitoring).
            found &= ~monitoring;
            eventMonitoring |= !clause.namesPage;
        }
        if (clause.prices && (clause.looksUp || clause.isQuestion || clause.survey != null) && !clause.acts
                && !clause.owns && !clause.hasMaterial && !clause.namesPage && (found & PRODUCT_TOOLS) != 0) {
            // "Datadog APM list price per host?", "compare the free tiers of Supabase, Firebase and Neon": the
            // products are what is priced, and prices are looked up on the web. A verb still acts: "find the price
            // and email me" emails.
            found = (found & ~(PRODUCT_TOOLS & ~clause.verbCapabilities)) | Capability.WEB_SEARCH.bit();
            rememberCapabilities(Capability.WEB_SEARCH.bit(), clause.survey);
        }
        if (clause.isQuestion && !clause.hasStep && clause.explains && !clause.owns && !clause.namesThing) {
            // "how do Kubernetes liveness probes differ from readiness probes?", "why is Postgres doing a seq scan?":
            // a general question about a product is answered from knowledge; "why did our AWS bill jump?" is not.
            found &= ~PRODUCT_TOOLS;
        }
        if (clause.isQuestion && !clause.hasStep) {
            questionCapabilities |= found;
        } else {
            capabilities |= found;
        }
        // "my Downloads folder is a mess, tidy it up", "profile scripts/x.py, change, repeat": the clause's verb
        // edits the files and folders it names.
        if (clause.edits) {
            clause.editedLocalWords += clause.localFileWords;
            clause.localFileWords = 0;
            editedFiles += clause.inputFiles;
        } else {
            inputFiles += clause.inputFiles;
        }
        // Folders and files named by words are local unless the clause points at a documents or cloud service, or
        // names mail by a noun ("move each email in the support inbox to the matching folder"; "email the files in
        // my Downloads folder" still reads them).
        int remote = Capability.DOCUMENTS.bit() | Capability.CLOUD_STORAGE.bit() | Capability.CODE_REPOSITORY.bit();
        if (clause.localFileWords + clause.editedLocalWords > 0 && (clause.capabilities & remote) == 0
                && (clause.nounCapabilities & Capability.MESSAGING.bit()) == 0) {
            inputFiles += clause.localFileWords;
            editedFiles += clause.editedLocalWords;
            inputFileSignal = inputFileSignal == null ? localFileSignal : inputFileSignal;
        }
        // Tests and pictures count unless their clause rules testing or image generation out ("write unit tests").
        // "write unit tests and run them" runs them after all.
        namesTests |= clause.namesTests && ((clause.vetoes & Capability.TESTING.bit()) == 0 || clause.runs);
        namesPictures |= clause.namesPictures && (clause.vetoes & Capability.IMAGE_GENERATION.bit()) == 0;
        // "Add a row to the 'Suppliers' sheet: Kettle & Co, net 30, ...": after a colon that ends one act on one
        // thing, a list without a verb gives that thing's details, not items to handle one by one.
        boolean detailsFollow = clause.isLabel && clause.hasStep && clause.itemSeparators == 0
                && numberedItems + collectiveItems == 0;
        clause = new Clause();
        clause.listIsParts = detailsFollow;
    }

    /** Files named as outputs are written, inputs read, and files a verb edits both read and written. */
    private void resolveFiles() {
        if (looseEdit) {
            // "There's an off-by-one in src/api/paginate.go. Fix it in place.": the edit changes the code it names.
            editedFiles += codeInputFiles;
        }
        if (outputFiles + editedFiles > 0) {
            capabilities |= Capability.FILE_WRITE.bit();
            rememberCapabilities(Capability.FILE_WRITE.bit(), outputFileSignal != null ? outputFileSignal : inputFileSignal);
        }
        if (inputFiles + editedFiles > 0) {
            capabilities |= Capability.FILE_READ.bit();
            rememberCapabilities(Capability.FILE_READ.bit(), inputFileSignal != null ? inputFileSignal : outputFileSignal);
        }
    }

    /**
     * What the scan knows about the clause being read. Every field starts at its reset value and the clause's end
     * replaces the whole object, so nothing can leak into the next clause. State that spans clauses stays on Scan.
     */
    private static final class Clause {
        int phraseCount;
        boolean pendingSeparator;
        int itemSeparators;
        boolean hasAlternative;
        /** Capabilities the clause's verbs named as verbs ("send" names messaging). */
        int verbCapabilities;
        /** Capabilities the clause named by words other than its verbs ("the orders DB"). */
        int nounCapabilities;
        int numberReach;
        boolean previousIsTarget;
        int capabilities;
        int weakCapabilities;
        int vetoes;
        int contentWords;
        /** The clause ended with a colon: with few words and no verb it labels the material after it ("Tables:"). */
        boolean isLabel;
        /** A word in verb position said something as a verb ("slack @priya:" is a command, not a label). */
        boolean hasVerbCue;
        boolean topic;
        /**
         * The topic is what a code artefact does ("a function that uploads a file to S3"); a target does not end it.
         */
        boolean codeTopic;
        boolean namesTests;
        boolean namesPictures;
        int localFileWords;
        int editedLocalWords;
        int inputFiles;
        /** Capability bits that the previous content word added to the clause. */
        int previousWordCapabilities;
        /** The clause named monitoring by something other than an event ("alert", "incident"): a product, metrics. */
        boolean namesMonitoring;
        /** The clause opens with "how" or "why"; it names something of the user's own ("our", "my"). */
        boolean explains;
        boolean owns;
        /** The clause opened with "how" or "why" and its next word is still to come. */
        boolean explainsPending;
        /** The clause names something by name or shape (a URL, a path, a hyphenated name, a quote). */
        boolean namesThing;
        /**
         * The clause names a price or rating; one of its segments made, wrote or edited something, or read a source.
         */
        boolean prices;
        boolean acts;
        /** Weak capabilities the clause named by words that are not verbs ("prices", "reviews"). */
        int weakNouns;
        /** The clause named the web by something other than a place's detail ("opening hours"). */
        boolean namesWeb;
        /** A segment of the clause looked documentation up. */
        boolean consultsDocs;
        /** The clause's list ends in a plural role ("frontend, backend and SRE agents"): its items are a cast. */
        boolean listIsCast;
        /** The clause opens with a question word ("is", "which"), not with the options it asks about. */
        boolean opensWithQuestion;
        /** A verb of the clause reworks something ("tweak", "shrink"): an "until" after it loops to a goal. */
        boolean revises;
        /** Bits named by options of a list: the first word of each item and the word before the first separator. */
        int listItemCapabilities;
        /** Weak capabilities of segments that named no capability by themselves and no file. */
        int weakAccepted;
        boolean runs;
        boolean edits;
        boolean hasRole;
        /** Roles and agents the clause names ("a PM, a tech lead and a QA agent"). */
        int roles;
        /** Some list item of the clause was an option ("or"). */
        boolean hasChoice;
        boolean looksUp;
        /** The verb of a segment of the clause weighs things up ("compare"); its signal, for the reasoning. */
        Signal survey;
        /** The clause names material in the prompt ("the three options below"). */
        boolean hasMaterial;
        /** The clause names a page by itself (a URL, "this web page"), not only a verb that fetches. */
        boolean namesPage;
        /** Capabilities named in the clause by verb-only signals. */
        int verbCues;
        boolean hasStep;
        boolean started;
        boolean isQuestion;
        boolean listIsParts;
        int routeReach;
    }

    /** What the scan knows about the segment being read; replaced at the segment's end, like {@link Clause}. */
    private static final class Segment {
        int negationLeft;
        int content;
        /** The segment named a source ("notes from the transcript in ~/calls/x.txt"): its files are read. */
        boolean fromSource;
        /** The segment opened with a request ("I need a ..."), not a verb. */
        boolean requests;
        boolean reworks;
        int codeInputs;
        /** Files the segment read from ("the totals from sales.csv"): material, not what its verb changes. */
        int sourcedInputs;
        boolean hasStep;
        /** The segment's step verb stores without authoring ("save", "dump") after an earlier step. */
        boolean storesResult;
        boolean edits;
        boolean runs;
        boolean namesPictures;
        int inputs;
        int outputs;
        int localWords;
        /** Capability bits that this segment added to its clause. */
        int newCapabilities;
        /** The previous content word was a kind of place ("hotel"). */
        boolean previousWordIsPlace;
        /** The segment's verb is "alert" ("alert #ops on Slack if it fails"). */
        boolean alerts;
        /** Content words after "each"/"every" in which a preposition names where the items are. */
        int eachReach;
        /** Content words after "each ... in" in which a place that holds the collection may come. */
        int eachPlaceReach;
        /** Content words left in a noun phrase opened by "a" or "one" ("a short table"). */
        int indefiniteReach;
        /** The segment has a determiner after its first word. */
        boolean hasDeterminer;
        /** The segment's edit verb changes a piece of code named before any file ("refine my regex until ..."). */
        boolean editsArtefact;
        /** A product named with a version ("PostgreSQL 17"): withdrawn unless an upgrade follows ("7 to 8"). */
        int versionCapabilities;
        boolean authors;
        boolean makes;
        boolean writes;
        int strongCapabilities;
        int weakCapabilities;
        boolean consultsDocs;
        boolean openedByDeterminer;
        /** The segment opens with a verb of any kind ("describe the logo" makes no picture). */
        boolean opensWithVerb;
        /**
         * A word naming material in the prompt was read ("below", "listed"); a number after it ("above 85%"), or a
         * preposition after a participle ("listed in urls.txt"), undoes that.
         */
        boolean pendingMaterial;
        /** Capabilities the segment had named when its material word came: what the material is. */
        int materialCapabilities;
        /** The segment names material in the prompt ("the query plan pasted below", not "stays above 85%"). */
        boolean hasMaterial;
        /** The segment's verb carries files elsewhere ("upload reports/q2.pdf to the bucket"). */
        boolean transfers;
        /** The segment named a pronoun object ("tidy it up"). */
        boolean hasPronoun;
        /** The segment's verb follows "I" ("I'll send it myself"): the user acts, not the agent. */
        boolean self;
        /** Capabilities named in the segment by verb-only signals. */
        int verbCues;
        /** The segment began right after a list separator (", search and cart"). */
        boolean afterSeparator;
        /** Weak capabilities named in the segment by words in verb position. */
        int verbWeak;
        /** Docs were named and no preposition followed: an index next names what holds them ("help-center index"). */
        boolean docsBeforeIndex;
        /** Capabilities its verb rules out ("map the types"), unless a later word names them by itself. */
        int verbVetoes;
        /** Capabilities its verb ruled out that a later word names strongly ("map walking routes"). */
        int namedDespiteVerb;
    }
}
