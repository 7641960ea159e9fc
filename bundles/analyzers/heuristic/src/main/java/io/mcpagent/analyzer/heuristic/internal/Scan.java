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
    private static final long FUNCTION_WORD = Signal.DETERMINER | Signal.CONJUNCTION | Signal.ALTERNATIVE
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
    private int phraseCount;
    private int negationLeft;
    private int segmentContent;
    private final float[] segmentTypeScores = new float[TYPES];
    private boolean pendingSeparator;
    private boolean pendingAlternative;
    private int itemSeparators;
    private boolean clauseHasAlternative;
    private boolean previousIsPreposition;
    private boolean previousIsDeterminer;
    /** The segment named a source ("notes from the transcript in ~/calls/x.txt"): its files are read. */
    private boolean segmentFromSource;
    /** The segment opened with a request ("I need a ..."), not a verb. */
    private boolean segmentRequests;
    private boolean segmentReworks;
    /** Capabilities the clause's verbs named as verbs ("send" names messaging). */
    private int clauseVerbCapabilities;
    /** A segment edited without naming what ("fix it in place", "change, re-measure, repeat"). */
    private boolean looseEdit;
    /** Code or configuration files read (not run): a loose edit changes them. */
    private int codeInputFiles;
    private int segmentCodeInputs;
    /** Files the segment read from ("the totals from sales.csv"): material, not what its verb changes. */
    private int segmentSourcedInputs;
    private int pendingNumber;
    private boolean pendingNumberCollective;
    private boolean previousIsCollective;
    private int numberReach;
    private boolean previousIsTarget;
    private int clauseCapabilities;
    private int clauseWeakCapabilities;
    private int clauseVetoes;
    private int clauseContentWords;
    /** The clause ended with a colon: with few words and no verb it labels the material after it ("Tables:"). */
    private boolean clauseIsLabel;
    /** A word in verb position said something as a verb ("slack @priya:" is a command, not a label). */
    private boolean clauseHasVerbCue;
    private boolean namesTests;
    private boolean runsSomething;
    private Signal testsSignal;
    private boolean namesPictures;
    private Signal picturesSignal;
    private boolean topic;
    /** The topic is what a code artefact does ("a function that uploads a file to S3"); a target does not end it. */
    private boolean codeTopic;
    private boolean segmentHasStep;
    private boolean segmentEdits;
    private boolean segmentRuns;
    private boolean clauseNamesTests;
    private boolean clauseNamesPictures;
    private boolean segmentNamesPictures;
    private int segmentInputs;
    private int segmentOutputs;
    private int segmentLocalWords;
    private int clauseLocalFileWords;
    private int clauseEditedLocalWords;
    private Signal localFileSignal;
    private boolean readSomeFiles;
    private int inputFiles;
    private int clauseInputFiles;
    private int outputFiles;
    private int editedFiles;
    private Signal inputFileSignal;
    private Signal outputFileSignal;
    private boolean noStraightClose;
    private boolean noCurlyClose;
    private int shapeEnd;
    private Signal shapeExtension;
    private boolean shapeMentionsTests;
    /** Capability bits that this segment, this word and the previous content word added to their clause. */
    private int segmentNewCapabilities;
    private int wordNewCapabilities;
    private int previousWordCapabilities;
    /** The previous content word was its segment's verb ("send it to the manager": no field of the manager). */
    private boolean previousWordIsVerb;
    /** The previous content word was a kind of place ("hotel"); the previous word was "our" or "my". */
    private boolean previousWordIsPlace;
    private boolean previousIsPossessive;
    /** The clause named monitoring by something other than an event ("alert", "incident"): a product, metrics. */
    private boolean clauseNamesMonitoring;
    /** Monitoring named only by events, in clauses that name no page: needed unless the task routes or simulates. */
    private boolean eventMonitoring;
    /** The segment's verb is "alert" ("alert #ops on Slack if it fails"). */
    private boolean segmentAlerts;
    /** The clause opens with "how" or "why"; it names something of the user's own ("our", "my"). */
    private boolean clauseExplains;
    private boolean clauseOwns;
    /** The clause opened with "how" or "why" and its next word is still to come. */
    private boolean explainsPending;
    /** The clause names something by name or shape (a URL, a path, a hyphenated name, a quote). */
    private boolean clauseNamesThing;
    /** The task asks for an answer from what the model knows ("from what you already know"). */
    private boolean knowledgeOnly;
    /** The clause names a price or rating; one of its segments made, wrote or edited something, or read a source. */
    private boolean clausePrices;
    private boolean clauseActs;
    /** Content words left in a noun phrase opened by "a" or "one" ("a short table"). */
    private int indefiniteReach;
    /** The segment before had a work verb; this one has a determiner after its first word. */
    private boolean previousSegmentHasStep;
    private boolean segmentHasDeterminer;
    /** Weak capabilities the clause named by words that are not verbs ("prices", "reviews"). */
    private int clauseWeakNouns;
    /** The clause named the web by something other than a place's detail ("opening hours"). */
    private boolean clauseNamesWeb;
    /** A segment of the clause looked documentation up. */
    private boolean clauseConsultsDocs;
    /** The segment's edit verb changes a piece of code named before any file ("refine my regex until ..."). */
    private boolean segmentEditsArtefact;
    /** A payments cue named a provider or an act by itself ("Stripe", "refund it"), not only data ("refunds"). */
    private boolean paymentsNamedStrongly;
    /** The clause's list ends in a plural role ("frontend, backend and SRE agents"): its items are a cast. */
    private boolean clauseListIsCast;
    /** The clause opens with a question word ("is", "which"), not with the options it asks about. */
    private boolean clauseOpensWithQuestion;
    /** A verb of the clause reworks something ("tweak", "shrink"): an "until" after it loops to a goal. */
    private boolean clauseRevises;
    /** The previous word was "that", "who" or "which". */
    private boolean previousIsRelative;
    /** What the token before named, when it was a content word. */
    private int previousTokenCapabilities;
    /** A product named with a version ("PostgreSQL 17"): withdrawn unless an upgrade follows ("7 to 8"). */
    private int versionCapabilities;
    /** Bits named by options of a list: the first word of each item and the word before the first separator. */
    private int listItemCapabilities;
    private boolean segmentAuthors;
    private boolean segmentMakes;
    private boolean segmentWrites;
    /** The verb kinds of the segment before: a list item after it shares its verb. */
    private boolean previousSegmentEdits;
    private boolean previousSegmentAuthors;
    private boolean previousSegmentWrites;
    /** Content words of the segment before: a long one ends in a clause of its own, not in a first option. */
    private int previousSegmentContent;
    private int segmentStrongCapabilities;
    private int segmentWeakCapabilities;
    /** Weak capabilities of segments that named no capability by themselves and no file. */
    private int clauseWeakAccepted;
    private boolean clauseRuns;
    private boolean clauseEdits;
    private boolean segmentConsultsDocs;
    private boolean segmentOpenedByDeterminer;
    /** The segment opens with a verb of any kind ("describe the logo" makes no picture). */
    private boolean segmentOpensWithVerb;
    private boolean clauseHasRole;
    /** Roles and agents the clause names ("a PM, a tech lead and a QA agent"). */
    private int clauseRoles;
    /** Some list item of the clause was an option ("or"). */
    private boolean clauseHasChoice;
    private boolean clauseLooksUp;
    /** The verb of a segment of the clause weighs things up ("compare"); its signal, for the reasoning. */
    private Signal clauseSurvey;
    /** The clause names material in the prompt ("the three options below"). */
    private boolean clauseHasMaterial;
    /**
     * A word naming material in the prompt was read ("below", "listed"); a number after it ("above 85%"), or a
     * preposition after a participle ("listed in urls.txt"), undoes that.
     */
    private boolean pendingMaterial;
    private boolean pendingMaterialPositional;
    /** Capabilities the segment had named when its material word came: what the material is. */
    private int materialCapabilities;
    /** The segment names material in the prompt ("the query plan pasted below", not "stays above 85%"). */
    private boolean segmentHasMaterial;
    /** The segment's verb carries files elsewhere ("upload reports/q2.pdf to the bucket"). */
    private boolean segmentTransfers;
    /** The signal being applied is a file's format (its extension). */
    private boolean applyingFileFormat;
    /** The clause names a page by itself (a URL, "this web page"), not only a verb that fetches. */
    private boolean clauseNamesPage;
    /** Capabilities named in the clause by verb-only signals. */
    private int clauseVerbCues;
    /** The segment named a pronoun object ("tidy it up"). */
    private boolean segmentHasPronoun;
    /** The segment's verb follows "I" ("I'll send it myself"): the user acts, not the agent. */
    private boolean segmentSelf;
    /** The signal being applied is a verb-only one ("search", "query" as verbs). */
    private boolean applyingVerbSignal;
    /** Capabilities named in the segment by verb-only signals. */
    private int segmentVerbCues;
    /** The segment began right after a list separator (", search and cart"). */
    private boolean segmentAfterSeparator;
    /** Weak capabilities named in the segment by words in verb position. */
    private int segmentVerbWeak;
    private boolean clauseHasStep;
    private boolean clauseStarted;
    private boolean clauseIsQuestion;
    private boolean clauseListIsParts;
    /** Capabilities named in questions without a work verb: the subject of a documentation lookup, if any. */
    private int questionCapabilities;
    private boolean reviewed;
    private boolean critiqueLoop;
    private boolean handedToAgent;
    private int routeReach;
    private Signal routeAdjective;

    Scan(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    /** Scans the first {@code limit} characters of {@code text}. */
    Scan run(String text, int limit) {
        int length = Math.min(text.length(), limit);
        scannedChars = length;
        int chunkStart = -1;
        boolean chunkChecked = false;
        boolean chunkAfterTarget = false;
        boolean chunkHyphenChecked = false;
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
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
                chunkAfterTarget = previousIsTarget;
            }
            if (c == '"' || c == '\u201c') {
                int close = closingQuote(text, i, length, c == '"' ? '"' : '\u201d');
                if (close > i) {
                    // Quoted material (a message to translate, an alert, a name) is the task's object: its words
                    // are not instructions.
                    endWord();
                    quoteToken();
                    chunkChecked = true;
                    i = close + 1;
                    if (close > 0 && Chars.endsSentence(text.charAt(close - 1))) {
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
                while (chunkEnd < length && !Chars.isSpace(text.charAt(chunkEnd))) {
                    chunkEnd++;
                }
                int routeEnd = apiRouteEnd(text, chunkStart, chunkEnd);
                if (routeEnd > 0) {
                    // "/api/search", "/v2/orders": a route of a web API is material, no file on disk.
                    dropWord();
                    quoteToken();
                    for (int p = routeEnd; p < chunkEnd; p++) {
                        punctuation(text, p, length, text.charAt(p));
                    }
                    i = chunkEnd;
                    continue;
                }
                Lexicon.Shape shape = classify(text, chunkStart, chunkEnd);
                if (shape != null) {
                    dropWord();
                    previousIsTarget = chunkAfterTarget; // "save it as status-mobile.png": "status" counted already
                    shapeToken(shape);
                    for (int p = shapeEnd; p < chunkEnd; p++) {
                        punctuation(text, p, length, text.charAt(p));
                    }
                    i = chunkEnd;
                    continue;
                }
                int callEnd = codeCallEnd(text, chunkStart, chunkEnd, length);
                if (callEnd > 0) {
                    // "customers(id, email)", "data.results.map(r => r.id)": code is material, like a quote.
                    dropWord();
                    quoteToken();
                    i = callEnd;
                    continue;
                }
            }
            if ((kind & Chars.WORD) != 0) {
                // A word starts (the previous one has ended): read all of it in a tight loop, lower-casing and
                // hashing as it goes; the character after it is handled by the outer loop.
                wordInNumber = i > 0 && Chars.isNumberGlue(text.charAt(i - 1));
                wordAfterHyphen = i > 1 && text.charAt(i - 1) == '-' && (Chars.kind(text.charAt(i - 2)) & Chars.WORD) != 0;
                wordAfterParen = i > 0 && text.charAt(i - 1) == '(';
                // Locals, not fields, in the loop: the JIT keeps them in registers.
                char[] buffer = word;
                int read = wordLength;
                int hash = WordTable.SEED;
                boolean digits = true;
                boolean tooLong = wordTooLong;
                do {
                    if (read < Lexicon.MAX_WORD) {
                        char lower = Chars.lower(c);
                        buffer[read++] = lower;
                        hash = WordTable.mix(hash, lower);
                        digits &= c >= '0' && c <= '9';
                    } else {
                        tooLong = true;
                    }
                    i++;
                } while (i < length && (Chars.kind(c = text.charAt(i)) & Chars.WORD) != 0);
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
                        i = nameEnd;
                        continue;
                    }
                }
                if (c == '%' || ((kind & Chars.NUMBER_GLUE) != 0 && i + 1 < length
                        && Character.isDigit(text.charAt(i + 1)))) {
                    wordInNumber = true;
                }
                endWord();
                punctuation(text, i, length, c);
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
            // "just from what you already know, tell me the trade-offs": no tool but the user's own memory
            capabilities &= Capability.MEMORY.bit();
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
                    clauseIsQuestion |= c == '?'; // "Weather in Oslo tomorrow?" asks without a question word
                    clauseIsLabel = c == ':';
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
        pendingSeparator = true;
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
                    negationLeft = NEGATION_REACH;
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
        if (versionCapabilities != 0) {
            // "when did PostgreSQL 17 come out?", "tests against Postgres 14, 15 and 16": a release of the product is
            // the subject; "the Elasticsearch 7 to 8 upgrade" changes ours.
            if ((flags & Signal.TARGET) == 0) {
                withdrawVersion();
            }
            versionCapabilities = 0;
        }
        if (numeric && number > 0 && !wordInNumber) {
            versionCapabilities = previousTokenCapabilities & PRODUCT_TOOLS;
        }
        if (pendingMaterial && !determiner) {
            // "the alert list below" names material; "stays above 85%", "the URLs listed in urls.txt" do not.
            segmentHasMaterial |= !((preposition && !pendingMaterialPositional) || numeric || number > 0);
            pendingMaterial = false;
        }
        // "the build is red": a word after a determiner is a noun, whatever it could be as a verb.
        boolean verbSlot = segmentContent == 0 && known != null && known.verbForm() && !segmentOpenedByDeterminer;
        boolean verb = content && verbSlot;
        if (determiner && segmentContent == 0) {
            segmentOpenedByDeterminer = true;
        } else if (determiner) {
            segmentHasDeterminer = true;
        }
        if (content && !clauseStarted) {
            clauseStarted = true;
            clauseIsQuestion = (flags & Signal.QUESTION) != 0;
            clauseOpensWithQuestion = clauseIsQuestion;
            clauseExplains = (flags & Signal.EXPLAINS) != 0;
            explainsPending = clauseExplains;
        } else if (explainsPending && (content || (flags & Signal.FILLER) != 0)) {
            // "how do they differ", "why is it slow"; "how many", "how much" ask for a figure
            clauseExplains = (flags & Signal.AUXILIARY) != 0;
            explainsPending = false;
        }
        wordNewCapabilities = 0;
        if (verb && (flags & (Signal.ACTION | Signal.VERB)) != 0) {
            segmentOpensWithVerb = true;
        }
        advancePhrases(known, determiner, verbSlot && !determiner && !joiner && !preposition); // "go through"
        if (known != null && known.signal() != null) {
            apply(known.signal(), verb);
        }
        if ((flags & Signal.PRONOUN) != 0) {
            segmentHasPronoun = true;
        }
        if ((flags & (Signal.ROLE | Signal.INTERNAL_RECIPIENT)) != 0 && plural && itemSeparators >= 1
                && segmentAfterSeparator && segmentContent <= 2 && !clauseHasAlternative) {
            clauseListIsCast = true; // "security, performance and style reviewers": the items name the roles
        }
        if ((flags & Signal.INDEFINITE) != 0) {
            indefiniteReach = 3;
        } else if (preposition) {
            indefiniteReach = 0;
        } else if (content && indefiniteReach > 0) {
            indefiniteReach--;
        }
        if (segmentContent == 0) {
            if ((flags & Signal.SELF) != 0) {
                segmentSelf = true;
            } else if ((flags & (Signal.ADDRESSEE | Signal.REQUESTS)) != 0) {
                segmentSelf = false; // "I want you to send it": the agent's act again
            }
        }
        if (previousIsRelative && known != null && (flags & Signal.LOOKUP) != 0 && !verb && !segmentAuthors
                && !topic) {
            // "a rules agent that searches the official guidance", "a visa specialist who checks current rules
            // online": what a role does is a lookup too; a web search verb there searches.
            clauseLooksUp = true;
            Signal looksUp = known.verbSignal();
            if (looksUp != null && looksUp.weakCapabilities == Capability.WEB_SEARCH.bit()) {
                applyingVerbSignal = true;
                apply(looksUp, false);
                applyingVerbSignal = false;
            }
        }
        if (verb && known.verbSignal() != null && !segmentSelf) {
            int before = clauseCapabilities | clauseWeakCapabilities;
            applyingVerbSignal = true;
            apply(known.verbSignal(), true);
            applyingVerbSignal = false;
            clauseVerbCapabilities |= (clauseCapabilities | clauseWeakCapabilities) & ~before;
            clauseHasVerbCue = true;
        }
        int messaging = Capability.MESSAGING.bit();
        if ((flags & Signal.MESSAGE_CONTENT) != 0 && (clauseVerbCapabilities & messaging) != 0
                && segmentContent >= 2 && !previousIsPreposition) {
            topic = true; // "Post in #ops that the staging database is down": the message, not a tool
        }
        if (pendingSeparator && segmentContent == 0 && content) {
            segmentAfterSeparator = true;
        }
        if (pendingSeparator && !determiner && !joiner) {
            // A separator followed by a number, a date, a preposition, a filler ("and tell me"), a question word,
            // a negation or a verb starts no list item.
            boolean item = content && !numeric && number == 0
                    && (flags & (Signal.NEGATION | Signal.UNIT | Signal.QUESTION)) == 0
                    && !(verb && (flags & (Signal.ACTION | Signal.VERB)) != 0);
            if (item) {
                itemSeparators++;
                clauseHasAlternative = pendingAlternative; // the last separator says whether it is a choice
                clauseHasChoice |= pendingAlternative;
                // "a network, database or application agent": the word before the first separator is an option
                // too, unless it ends a longer phrase ("a venue agent that searches online, a catering agent").
                listItemCapabilities |= wordNewCapabilities
                        | (itemSeparators == 1 && (previousSegmentContent <= FIRST_OPTION_WORDS
                        || previousWordAfterParen) ? previousWordCapabilities : 0);
                segmentEdits |= previousSegmentEdits;
                segmentAuthors |= previousSegmentAuthors;
                segmentWrites |= previousSegmentWrites;
            }
            pendingSeparator = false;
        }
        if (joiner) {
            separator((flags & Signal.ALTERNATIVE) != 0);
        }
        if ((flags & Signal.FILE_KIND) != 0 && !verb && !suppressed() && !topic && segmentWrites && !segmentTransfers) {
            // "save that as a new CSV", "put them all in one CSV": a file the task writes; "turn this into CSV" is
            // an answer in a format
            segmentOutputs++;
            localFileSignal = localFileSignal == null ? known.signal() : localFileSignal;
        }
        if ((flags & Signal.LOCAL_FILES) != 0 && !verb && !suppressed() && !topic) {
            localFileSignal = localFileSignal == null ? known.signal() : localFileSignal;
            if (isOutputPosition()) {
                segmentOutputs++;
            } else {
                segmentLocalWords++;
            }
        }
        if (content) {
            roles(flags);
            places(flags, verb);
            // "in 5 minutes" counts nothing, "in all 14 accounts" does.
            boolean countsItems = !(previousIsPreposition && !previousIsCollective) && !isYear(number);
            countNumberedItems(countsItems ? number : 0, flags, plural);
            segmentContent++;
            clauseContentWords++;
            previousWordCapabilities = wordNewCapabilities;
            previousWordIsVerb = verb;
            previousWordIsPlace = (flags & Signal.PLACE_KIND) != 0;
            previousWordAfterParen = wordAfterParen;
        } else {
            previousWordIsPlace = false; // "a hotel near Gion": the place is looked up
        }
        if ((flags & Signal.PARTS) != 0 && itemSeparators == 0) {
            clauseListIsParts = true; // "with columns name, role and start date": parts of one artefact
        }
        if ((flags & Signal.SOURCE) != 0) {
            segmentFromSource = true;
        }
        if ((flags & Signal.REQUESTS) != 0 && segmentContent == 0) {
            segmentRequests = true;
        }
        previousIsDeterminer = determiner;
        previousIsPossessive = (flags & Signal.POSSESSIVE) != 0;
        previousIsRelative = (flags & Signal.RELATIVE) != 0;
        previousTokenCapabilities = content ? wordNewCapabilities : 0;
        clauseOwns |= previousIsPossessive;
        if (!determiner) { // "to the file", "for the 12 transcripts": look through determiners
            previousIsPreposition = preposition;
            previousIsTarget = (flags & (Signal.TARGET | Signal.WRITE_INTENT)) != 0;
        }
        previousIsCollective = (flags & Signal.COLLECTIVE) != 0;
        if ((flags & Signal.TARGET) != 0 && !codeTopic) {
            // "a haiku about autumn to poem.md": the topic ends where the output is named; what code does
            // ("a function that uploads a file to S3") stays its subject.
            topic = false;
        }
        if (negationLeft > 0 && (flags & Signal.NEGATION) == 0 && content) {
            negationLeft--;
        }
    }

    /**
     * Roles and destinations: "the database expert" names a field, not a tool, so the capability of the word before
     * the role is withdrawn; "the right (cloud) team" makes the task a choice of one handler.
     */
    private void roles(long flags) {
        // The word described is in the role's own segment and no verb: "runs kubectl, and a scribe" describes no
        // tool, "send it to the manager" still sends.
        if (((flags & Signal.ROLE) != 0 && segmentContent > 0 && !previousWordIsVerb)
                || ((flags & Signal.MODIFIER_SUFFIX) != 0 && wordAfterHyphen)) {
            clauseCapabilities &= ~previousWordCapabilities;
            clauseWeakCapabilities &= ~previousWordCapabilities;
        }
        // "geocode the addresses": a verb and its object, no attribute of the verb ("email columns" is one)
        if ((flags & Signal.ATTRIBUTE) != 0 && !(previousWordIsVerb && previousIsDeterminer)) {
            int described = previousWordCapabilities & ~CONTAINER_HOSTS;
            clauseCapabilities &= ~described;
            clauseWeakCapabilities &= ~described;
        }
        if ((flags & (Signal.ROLE | Signal.DESTINATION)) != 0) {
            clauseHasRole = true;
        }
        if ((flags & (Signal.ROLE | Signal.INTERNAL_RECIPIENT)) != 0) {
            clauseRoles++;
        }
        if (routeReach > 0) {
            if ((flags & (Signal.ROLE | Signal.DESTINATION)) != 0) {
                patternScores[Pattern.ROUTER.ordinal()] += ROUTE_WEIGHT;
                remember(patternEvidence, Pattern.ROUTER.ordinal() * EVIDENCE_SLOTS, routeAdjective);
                routeReach = 0;
            } else if ((flags & Signal.ROUTE_ADJECTIVE) == 0) {
                routeReach--;
            }
        }
    }

    /** A product named with a release number is the subject of the task, not one of our systems. */
    private void withdrawVersion() {
        clauseCapabilities &= ~versionCapabilities;
        clauseWeakCapabilities &= ~versionCapabilities;
        segmentStrongCapabilities &= ~versionCapabilities;
        segmentWeakCapabilities &= ~versionCapabilities;
    }

    /**
     * Kinds of place that are looked up: "our hotel" is the user's own place, and a place right before a noun
     * describes it ("our hotel guests", "a hotel receptionist", "supermarket prices"); neither is a place to find.
     */
    private void places(long flags, boolean verb) {
        if ((flags & Signal.PLACE_KIND) != 0 && previousIsPossessive) {
            clauseCapabilities &= ~wordNewCapabilities;
            clauseWeakCapabilities &= ~wordNewCapabilities;
        }
        if (previousWordIsPlace && !verb && (flags & (Signal.ADVERB | Signal.UNIT | Signal.DESTINATION
                | Signal.INTERNAL_RECIPIENT | Signal.NEGATION | Signal.QUESTION)) == 0) {
            // "typical hotel prices" are still looked up on the web, but no hotel is found on a map
            int described = previousWordCapabilities
                    & ((flags & Signal.PRICE) != 0 ? Capability.MAPS.bit() : -1);
            clauseCapabilities &= ~described;
            clauseWeakCapabilities &= ~described;
        }
    }

    /**
     * A file named here is written: right after "to", "as" or a writing verb ("save out.json"), or after a
     * preposition in a segment whose verb writes or puts ("document it in docs/setup.md", "put it on my Desktop").
     */
    private boolean isOutputPosition() {
        return previousIsTarget || (segmentWrites && previousIsPreposition && !segmentFromSource);
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

    private void quoteToken() {
        words++;
        clauseNamesThing = true;
        phraseCount = 0;
        if (pendingSeparator) {
            itemSeparators++;
            clauseHasAlternative = pendingAlternative;
            pendingSeparator = false;
        }
        segmentContent++;
        previousIsTarget = false;
        previousIsPreposition = false;
    }

    private void countNumberedItems(int number, long flags, boolean plural) {
        if (numberReach > 0) {
            if ((flags & Signal.UNIT) != 0) {
                numberReach = 0;
            } else if (plural) {
                int items = Math.min(pendingNumber, 1000);
                if (pendingNumberCollective) {
                    collectiveItems = Math.max(collectiveItems, items);
                } else {
                    numberedItems = Math.max(numberedItems, items);
                }
                numberReach = 0;
            } else {
                numberReach--;
            }
        }
        if (number >= 2) {
            pendingNumber = number;
            pendingNumberCollective = previousIsCollective;
            numberReach = NUMBER_REACH;
        }
    }

    /** A whole chunk with a shape: a content word whose signal is the shape's (and its extension's). */
    private void shapeToken(Lexicon.Shape shape) {
        endWord();
        words++;
        clauseNamesThing = true;
        phraseCount = 0;
        if (pendingSeparator) {
            itemSeparators++;
            clauseHasAlternative = pendingAlternative;
            pendingSeparator = false;
        }
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
        if ((shape == Lexicon.Shape.FILE_NAME || shape == Lexicon.Shape.PATH) && !suppressed() && !topic) {
            if (shapeMentionsTests) {
                clauseNamesTests = true;
                testsSignal = testsSignal == null ? signal : testsSignal;
            }
            if (output) {
                segmentOutputs++;
                outputFileSignal = outputFileSignal == null ? signal : outputFileSignal;
            } else {
                segmentInputs++;
                segmentSourcedInputs += segmentFromSource ? 1 : 0;
                inputFileSignal = inputFileSignal == null ? signal : inputFileSignal;
                if (shapeExtension != null && shapeExtension.has(Signal.CODE_FILE)) {
                    segmentCodeInputs++;
                }
            }
        }
        if (numberReach > 0 && shape == Lexicon.Shape.FILE_NAME) {
            numberReach = 0;
        }
        segmentContent++;
        previousIsTarget = false;
    }

    /**
     * Moves the phrases under way by one word and applies those it completes. An entry is a trie node shifted left
     * by one, its low bit set when the phrase began in verb position.
     */
    private void advancePhrases(Lexicon.Word known, boolean determiner, boolean verb) {
        if (phraseCount == 0 && (known == null || known.startNode() < 0)) {
            return; // nearly every word: no phrase under way, none starting
        }
        int count = 0;
        if (known != null && known.id() >= 0) {
            for (int i = 0; i < phraseCount; i++) {
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
        phraseCount = count;
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
        return negationLeft > 0;
    }

    /** Adds what a signal says, unless a negation reaches it; {@code verb}: it opens its segment. */
    private void apply(Signal signal, boolean verb) {
        if (signal.has(Signal.NEGATION)) {
            negationLeft = NEGATION_REACH;
            return;
        }
        if (suppressed()) {
            negatedCapabilities |= signal.capabilities | signal.weakCapabilities;
            return;
        }
        if (signal.isEvidence()) {
            cues++;
        }
        if (!applyingVerbSignal && !topic && (signal.capabilities & Capability.WEB_FETCH.bit()) != 0) {
            clauseNamesPage = true;
        }
        if (applyingVerbSignal) {
            segmentVerbCues |= signal.capabilities | signal.weakCapabilities;
            segmentVerbWeak |= signal.weakCapabilities;
        }
        boolean step = verb && signal.has(Signal.ACTION) && !segmentHasStep;
        if (step) {
            topic = false; // a topic lasts until the next work verb: "a joke about Kubernetes and Redis"
            codeTopic = false;
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
            segmentAuthors = true;
        }
        if (verb && signal.has(Signal.REWORKS)) {
            segmentReworks = true;
        }
        if (signal.has(Signal.INTERNAL_RECIPIENT)) {
            // "send it to the pharmacist agent", "send me the minutes": handed over, not messaged
            int handedOver = clauseVerbCapabilities & Capability.MESSAGING.bit();
            clauseCapabilities &= ~handedOver;
            clauseWeakCapabilities &= ~handedOver;
            if (handedOver != 0 && !handedToAgent) {
                // the request goes to one handler of ours: dispatch
                handedToAgent = true;
                patternScores[Pattern.ROUTER.ordinal()] += HAND_OVER_WEIGHT;
                remember(patternEvidence, Pattern.ROUTER.ordinal() * EVIDENCE_SLOTS, signal);
            }
        }
        if (verb && (signal.has(Signal.WRITE_INTENT) || signal.has(Signal.PLACES))) {
            segmentWrites = true;
        }
        // A lookup verb, or a weak web cue that is a search by itself ("a literature review").
        if (signal.has(Signal.LOOKUP) && (verb || (signal.weakCapabilities & Capability.WEB_SEARCH.bit()) != 0)) {
            clauseLooksUp = true;
        }
        if (signal.has(Signal.CODE_ARTEFACT) && segmentEdits && segmentInputs + segmentOutputs + segmentLocalWords == 0) {
            segmentEditsArtefact = true;
        }
        if (signal.has(Signal.CODE_ARTEFACT) && (segmentAuthors || (segmentRequests && !verb)) && !topic) {
            // "Write a Postgres query that ...", "a GitHub Actions workflow that runs pytest": the model writes
            // the code; the products it names and what it does are its subject.
            clauseCapabilities &= ~segmentNewCapabilities;
            clauseWeakCapabilities &= ~segmentNewCapabilities;
            topic = true;
            codeTopic = true;
        }
        if (!topic) {
            int strongBits = signal.capabilities;
            int weakBits = signal.weakCapabilities;
            int documentation = Capability.DOCUMENTATION.bit();
            if (segmentAuthors || segmentReworks) {
                // "draft the kickoff email to the auditor", "iterate on the SMS": a draft is sent by no one
                strongBits &= ~Capability.MESSAGING.bit();
                weakBits &= ~Capability.MESSAGING.bit();
            }
            if (segmentAuthors || segmentEdits || segmentWrites) {
                weakBits &= ~Capability.WEB_FETCH.bit(); // "update the website": the site is the product
            }
            if (indefiniteReach > 0) {
                // "give me a clean table", "into one table": a table made as the answer, none of ours
                weakBits &= ~Capability.DATABASE_QUERY.bit();
            }
            if (segmentMakes) {
                // "assemble a meta-analysis table", "put together the budget table": a table made is the answer's
                // shape, no database table
                weakBits &= ~Capability.DATABASE_QUERY.bit();
            }
            if (segmentTransfers) {
                // "upload reports/q2.pdf to the bucket", "move the PDFs into the archive folder": the files are
                // carried, not opened; a document service named by itself ("to Google Drive") still counts.
                weakBits &= ~Capability.DOCUMENTS.bit();
                if (applyingFileFormat || signal.has(Signal.FILE_FORMAT)) {
                    strongBits &= ~Capability.DOCUMENTS.bit();
                }
            }
            if (((strongBits | weakBits) & documentation) != 0) {
                if (segmentAuthors || segmentEdits || segmentWrites) {
                    strongBits &= ~documentation; // "update the API docs": docs written, not looked up
                    weakBits &= ~documentation;
                } else {
                    segmentConsultsDocs = true;
                }
            }
            if (((strongBits | weakBits) & Capability.MONITORING.bit()) != 0 && !signal.has(Signal.EVENT_NOUN)) {
                clauseNamesMonitoring = true;
            }
            if (((strongBits | weakBits) & Capability.WEB_SEARCH.bit()) != 0 && !signal.has(Signal.PLACE_DETAIL)) {
                clauseNamesWeb = true;
            }
            if ((strongBits & Capability.PAYMENTS.bit()) != 0) {
                paymentsNamedStrongly = true;
            }
            if (!applyingVerbSignal && !signal.has(Signal.LOOKUP)) { // "look up", "find out" are verbs
                clauseWeakNouns |= weakBits;
            }
            addCapabilities(strongBits, weakBits, signal);
            if (signal.has(Signal.TESTS)) {
                clauseNamesTests = true;
                testsSignal = testsSignal == null ? signal : testsSignal;
            }
            if (signal.has(Signal.PICTURES)) {
                segmentNamesPictures = true;
                picturesSignal = picturesSignal == null ? signal : picturesSignal;
            }
        }
        clauseVetoes |= signal.vetoedCapabilities;
        if (verb && signal.has(Signal.RUNS)) {
            runsSomething = true;
            segmentRuns = true;
            clauseRuns = true;
        }
        if (verb && signal.has(Signal.SURVEYS)) {
            clauseSurvey = signal;
        }
        if (signal.has(Signal.MATERIAL)) {
            clauseHasMaterial = true;
            pendingMaterial = true;
            pendingMaterialPositional = signal.has(Signal.POSITIONAL);
            materialCapabilities |= segmentNewCapabilities;
        }
        if (signal.has(Signal.PRICE) && !topic) {
            clausePrices = true;
        }
        if (signal.has(Signal.KNOWLEDGE_ONLY)) {
            knowledgeOnly = true;
        }
        if (verb && signal.has(Signal.ALERTS_PEOPLE)) {
            segmentAlerts = true;
        }
        if (verb && signal.has(Signal.TRANSFERS)) {
            segmentTransfers = true;
        }
        if (verb && signal.has(Signal.MAKES)) {
            segmentMakes = true;
        }
        if (verb && signal.has(Signal.REVISES)) {
            clauseRevises = true;
        }
        if (signal.has(Signal.UNTIL) && clauseRevises && !critiqueLoop && !topic) {
            // "fix flaky test_checkout until 50 reruns in a row pass", "rewrite it until it's clear in 80 words"
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
            routeReach = ROUTE_REACH;
            routeAdjective = signal;
        }
        if (verb && signal.has(Signal.EDIT_INTENT)) {
            segmentEdits = true;
        }
        if (signal.complexity != 0f) {
            complexity += signal.complexity;
            if (signal.complexity > 0f) {
                remember(complexityEvidence, 0, signal);
            }
        }
        if (step) {
            segmentHasStep = true;
            clauseHasStep = true;
            steps++;
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
            topic = true;
        }
    }

    private void addCapabilities(int strongBits, int weakBits, Signal signal) {
        int added = (strongBits | weakBits) & ~(clauseCapabilities | clauseWeakCapabilities);
        segmentNewCapabilities |= added;
        segmentStrongCapabilities |= strongBits;
        segmentWeakCapabilities |= weakBits;
        wordNewCapabilities |= added;
        if (strongBits != 0) {
            clauseCapabilities |= strongBits;
            rememberCapabilities(strongBits, signal);
        }
        if (weakBits != 0) {
            clauseWeakCapabilities |= weakBits;
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

    private static void remember(Signal[] slots, int from, Signal signal) {
        for (int i = from; i < from + EVIDENCE_SLOTS; i++) {
            if (slots[i] == signal) {
                return;
            }
            if (slots[i] == null) {
                slots[i] = signal;
                return;
            }
        }
    }

    private void endSegment() {
        if (versionCapabilities != 0) {
            withdrawVersion(); // "in Postgres 16?"
            versionCapabilities = 0;
        }
        // "classify each row in feedback.csv and append it to the Google Sheet": an edit that names a remote store
        // and no local file changes that store; the local files of its clause are only read.
        if (segmentEdits && ((segmentStrongCapabilities | segmentWeakCapabilities) & REMOTE_STORES) != 0
                && segmentInputs - segmentSourcedInputs + segmentOutputs + segmentLocalWords == 0) {
            segmentEdits = false;
        }
        // "check false merges against gold.csv, adjust, repeat": an edit verb alone, with no object, changes none of
        // the files its clause names (at most the code the task reads: a loose edit); "tidy it up" changes them.
        // "refine my regex until every case in tests/cases.txt passes", "fix this query until it matches
        // finance_q3.csv": the edit changes the code it names; the data files it is checked against are only read.
        if (segmentEdits && segmentEditsArtefact && segmentCodeInputs == 0 && segmentOutputs == 0) {
            segmentEdits = false;
        }
        segmentEditsArtefact = false;
        clauseEdits |= segmentEdits && (segmentContent > 1 || segmentHasPronoun);
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
        if (pendingMaterial) {
            segmentHasMaterial = true;
            pendingMaterial = false;
        }
        if (segmentHasMaterial && !segmentEdits && !segmentRuns) {
            // "the EXPLAIN ANALYZE output pasted below", "the five news articles below": the nouns describe material in
            // the prompt, no source to consult; a verb ("look up the firms listed below") or an edit or run of the
            // material against a source ("optimise the query below on the replica") still needs one.
            // What came before the material word describes it; after it, only weak cues do ("the log lines below
            // into a table"), a source named strongly is still one ("the query below on the reporting replica").
            int described = (materialCapabilities | (segmentNewCapabilities & ~segmentStrongCapabilities))
                    & MATERIAL_SOURCES & ~segmentVerbCues;
            clauseCapabilities &= ~described;
            clauseWeakCapabilities &= ~described;
            segmentStrongCapabilities &= ~described;
            segmentWeakCapabilities &= ~described;
        }
        // "p95 latency for checkout, search and cart": a lone word between list separators is an item, a noun;
        // what it names only as a verb ("search") is no lookup.
        // So is an item of a list of nouns that begins with such a word ("the auth, billing and search services").
        if (segmentAfterSeparator && (segmentContent == 1
                || (!previousSegmentHasStep && !segmentHasDeterminer && !segmentHasPronoun))) {
            segmentWeakCapabilities &= ~segmentVerbWeak;
        }
        // A segment's weak cues count when nothing in it names a capability or a file by itself ("search our docs
        // index": full_text_search, not web_search).
        if (segmentStrongCapabilities == 0 && segmentInputs + segmentOutputs + segmentLocalWords == 0) {
            // The web is the fallback source: "our current p99 latency", "search the help-centre index" name one
            // of our own.
            int web = Capability.WEB_SEARCH.bit();
            clauseWeakAccepted |= (segmentWeakCapabilities & OWN_SOURCES) != 0 ? segmentWeakCapabilities & ~web
                    : segmentWeakCapabilities;
        }
        if (segmentAlerts && (segmentStrongCapabilities & Capability.MESSAGING.bit()) != 0) {
            // "alert #finance on Slack if the gap exceeds 1%": a message to people, no monitoring tool.
            int alerted = segmentNewCapabilities & Capability.MONITORING.bit();
            clauseCapabilities &= ~alerted;
            clauseWeakCapabilities &= ~alerted;
        }
        segmentAlerts = false;
        clauseActs |= segmentWrites || segmentEdits || segmentMakes || segmentAuthors || segmentReworks
                || segmentFromSource
                || segmentTransfers || segmentInputs + segmentOutputs + segmentLocalWords > 0;
        segmentStrongCapabilities = 0;
        segmentWeakCapabilities = 0;
        segmentVerbWeak = 0;
        clauseVerbCues |= segmentVerbCues;
        segmentAfterSeparator = false;
        segmentHasMaterial = false;
        segmentHasPronoun = false;
        segmentTransfers = false;
        materialCapabilities = 0;
        segmentVerbCues = 0;
        segmentSelf = false;
        // Pictures are made when their segment's verb makes something ("draw a cartoon"), or when a request names
        // them without any verb ("I need a cover illustration"); "resize every image" makes none.
        clauseNamesPictures |= segmentNamesPictures
                && (segmentMakes || (!segmentOpensWithVerb && steps == 0 && !clauseIsQuestion));
        // "Check Stripe's API docs", "what the boto3 S3 docs say": the products next to a documentation lookup are
        // its subject.
        clauseConsultsDocs |= segmentConsultsDocs;
        if (segmentConsultsDocs && (clauseVetoes & Capability.DOCUMENTATION.bit()) == 0) {
            clauseCapabilities &= ~(segmentNewCapabilities & ~LOOKUP_CAPABILITIES);
            clauseWeakCapabilities &= ~(segmentNewCapabilities & ~LOOKUP_CAPABILITIES);
        }
        // "Read the notes in ~/notes and write a summary to summary.md": gather, then produce from it.
        if (segmentOutputs > 0 && segmentWrites && readSomeFiles) {
            readsThenWrites = true;
        }
        readSomeFiles |= !segmentEdits && !segmentRuns && segmentInputs + segmentLocalWords > 0;
        looseEdit |= segmentEdits && segmentInputs + segmentOutputs + segmentLocalWords == 0
                && segmentNewCapabilities == 0;
        // The files a segment names are changed by its verb when that verb edits ("fix tools/cleanup.py").
        // A file or folder a verb runs ("run the tests in ~/projects/x") is not read as a file.
        if (segmentEdits) {
            editedFiles += segmentInputs + segmentOutputs;
            clauseEditedLocalWords += segmentLocalWords;
        } else if (segmentRuns) {
            outputFiles += segmentOutputs;
        } else {
            codeInputFiles += segmentCodeInputs;
            clauseInputFiles += segmentInputs;
            outputFiles += segmentOutputs;
            clauseLocalFileWords += segmentLocalWords;
        }
        previousSegmentEdits = segmentEdits;
        previousSegmentAuthors = segmentAuthors;
        previousSegmentWrites = segmentWrites;
        previousSegmentContent = segmentContent;
        if (segmentContent > 0) { // ", and": the empty segment between the two separators is no segment
            previousSegmentHasStep = segmentHasStep;
        }
        segmentHasDeterminer = false;
        segmentNamesPictures = false;
        segmentFromSource = false;
        segmentRequests = false;
        segmentReworks = false;
        segmentCodeInputs = 0;
        segmentSourcedInputs = 0;
        segmentMakes = false;
        segmentAuthors = false;
        segmentWrites = false;
        segmentConsultsDocs = false;
        segmentOpenedByDeterminer = false;
        segmentOpensWithVerb = false;
        segmentNewCapabilities = 0;
        segmentInputs = 0;
        segmentOutputs = 0;
        segmentLocalWords = 0;
        segmentEdits = false;
        segmentRuns = false;
        segmentHasStep = false;
        segmentContent = 0;
        negationLeft = 0;
        previousWordIsPlace = false;
        indefiniteReach = 0;
    }

    private void endClause() {
        endWord();
        endSegment();
        if (itemSeparators >= 1) {
            if (clauseHasAlternative) {
                maxChoices = Math.max(maxChoices, itemSeparators + 1);
            } else if ((itemSeparators >= 2 && clauseRoles >= 3)
                    || (clauseListIsCast && (clauseCapabilities & Capability.MESSAGING.bit()) == 0)) {
                // "a scout searches, an analyst reads and a writer drafts", "frontend, backend and SRE agents": a
                // cast of roles that work together, not items handled alike ("ask the Leeds, Bristol and Glasgow
                // store managers on Slack" messages people one by one)
                patternScores[Pattern.SWARM.ordinal()] += ROLE_LIST_WEIGHT;
            } else if (!clauseListIsParts) {
                maxItems = Math.max(maxItems, itemSeparators + 1);
            }
        }
        if ((clauseIsQuestion || clauseIsLabel) && !clauseOpensWithQuestion && clauseHasAlternative
                && itemSeparators <= 2 && clauseContentWords <= OPTIONS_WORDS && !clauseHasStep) {
            // "vet or groomer?", "web search or Confluence:": a bare choice between handlers asks which one takes it
            patternScores[Pattern.ROUTER.ordinal()] += ROUTE_WEIGHT;
        }
        // A clause's own cues win over its weak ones ("search our docs index": full_text_search, not web_search);
        // a veto ("write a postgres query") removes a capability named in its clause.
        int strong = clauseCapabilities & ~clauseVetoes;
        int weak = clauseWeakCapabilities & clauseWeakAccepted & ~clauseVetoes;
        if (!clauseLooksUp && !clauseIsQuestion) {
            // "a pricing experiment" searches nothing, "compare the pricing" does; "try indexes" neither
            weak &= ~(Capability.WEB_SEARCH.bit() | Capability.FULL_TEXT_SEARCH.bit() | Capability.MAPS.bit());
        }
        if (clauseNamesPage && (clauseVerbCues & Capability.WEB_SEARCH.bit()) == 0) {
            // "current price and rating of https://...", "fetch the status page and tell me whether online check-in is
            // degraded": the page named answers what a weak web cue would otherwise search for; a search verb ("look
            // up each speaker's employer") still searches.
            weak &= ~Capability.WEB_SEARCH.bit();
        }
        if (clauseHasRole && clauseHasChoice && itemSeparators >= 1) {
            // "a network, database or application agent", "the right expert (Postgres, MongoDB or Redis)": the
            // options name fields of the roles to choose from.
            strong &= ~listItemCapabilities;
            weak &= ~listItemCapabilities;
        }
        int web = Capability.WEB_SEARCH.bit();
        if ((weak & web) != 0 && (clauseWeakNouns & web) == 0 && (strong & SEARCHED_SOURCES) != 0) {
            // "look up who owns it in our service graph and open the bug in that team's GitHub repo", "look up and
            // refund Stripe charges": the lookup verb searches the source its clause names, not the web.
            weak &= ~web;
        }
        if (((strong | weak) & web) != 0 && !clauseNamesWeb
                && (strong & (Capability.MAPS.bit() | Capability.TIME.bit())) != 0) {
            // "opening hours of the pharmacy closest to 221 Baker Street", "is it currently business hours there?":
            // a place found on the map or a time named answers its details
            strong &= ~web;
            weak &= ~web;
        }
        if (clauseConsultsDocs && itemSeparators >= 1 && (clauseVetoes & Capability.DOCUMENTATION.bit()) == 0) {
            // "the Slack, Discord and Telegram bot API docs", "the AWS SDK docs or Twilio's": the products listed
            // beside a documentation lookup are its subject, in whichever item they stand.
            strong &= ~(listItemCapabilities & ~LOOKUP_CAPABILITIES);
            weak &= ~(listItemCapabilities & ~LOOKUP_CAPABILITIES);
        }
        boolean label = clauseIsLabel && !clauseHasStep && !clauseHasVerbCue && clauseContentWords <= 2;
        int found = label ? 0 : strong | weak;
        if (found == 0 && clauseSurvey != null && itemSeparators >= 2 && !clauseHasAlternative && !clauseListIsParts
                && !clauseHasMaterial && clauseInputFiles + clauseLocalFileWords == 0) {
            // "Compare the free tiers of Supabase, Firebase and Neon": several named things weighed against each
            // other, with no source of ours and no material given, are looked up on the web.
            found = Capability.WEB_SEARCH.bit();
            rememberCapabilities(found, clauseSurvey);
        }
        int monitoring = Capability.MONITORING.bit();
        if ((found & monitoring) != 0 && !clauseNamesMonitoring) {
            // "tell me whether any incidents are open" on a status page named in the clause: the page's content;
            // "page whoever owns this alert": the item routed, decided at the end (eventMonitoring).
            found &= ~monitoring;
            eventMonitoring |= !clauseNamesPage;
        }
        if (clausePrices && (clauseLooksUp || clauseIsQuestion || clauseSurvey != null) && !clauseActs && !clauseOwns
                && !clauseHasMaterial && !clauseNamesPage && (found & PRODUCT_TOOLS) != 0) {
            // "Datadog APM list price per host?", "compare the free tiers of Supabase, Firebase and Neon": the
            // products are what is priced, and prices are looked up on the web.
            found = (found & ~PRODUCT_TOOLS) | Capability.WEB_SEARCH.bit();
            rememberCapabilities(Capability.WEB_SEARCH.bit(), clauseSurvey);
        }
        if (clauseIsQuestion && !clauseHasStep && clauseExplains && !clauseOwns && !clauseNamesThing) {
            // "how do Kubernetes liveness probes differ from readiness probes?", "why is Postgres doing a seq scan?":
            // a general question about a product is answered from knowledge; "why did our AWS bill jump?" is not.
            found &= ~PRODUCT_TOOLS;
        }
        if (clauseIsQuestion && !clauseHasStep) {
            questionCapabilities |= found;
        } else {
            capabilities |= found;
        }
        // "my Downloads folder is a mess, tidy it up", "profile scripts/x.py, change, repeat": the clause's verb
        // edits the files and folders it names.
        if (clauseEdits) {
            clauseEditedLocalWords += clauseLocalFileWords;
            clauseLocalFileWords = 0;
            editedFiles += clauseInputFiles;
        } else {
            inputFiles += clauseInputFiles;
        }
        clauseInputFiles = 0;
        // Folders and files named by words are local unless the clause points at a documents or cloud service.
        int remote = Capability.DOCUMENTS.bit() | Capability.CLOUD_STORAGE.bit() | Capability.CODE_REPOSITORY.bit();
        if (clauseLocalFileWords + clauseEditedLocalWords > 0 && (clauseCapabilities & remote) == 0) {
            inputFiles += clauseLocalFileWords;
            editedFiles += clauseEditedLocalWords;
            inputFileSignal = inputFileSignal == null ? localFileSignal : inputFileSignal;
        }
        clauseLocalFileWords = 0;
        clauseEditedLocalWords = 0;
        // Tests and pictures count unless their clause rules testing or image generation out ("write unit tests").
        // "write unit tests and run them" runs them after all.
        namesTests |= clauseNamesTests && ((clauseVetoes & Capability.TESTING.bit()) == 0 || clauseRuns);
        namesPictures |= clauseNamesPictures && (clauseVetoes & Capability.IMAGE_GENERATION.bit()) == 0;
        clauseNamesTests = false;
        clauseNamesPictures = false;
        clauseCapabilities = 0;
        clauseWeakCapabilities = 0;
        clauseVetoes = 0;
        clauseContentWords = 0;
        clauseIsLabel = false;
        clauseVerbCapabilities = 0;
        clauseHasVerbCue = false;
        clauseWeakAccepted = 0;
        clauseRuns = false;
        clauseEdits = false;
        clauseHasRole = false;
        clauseRoles = 0;
        clauseHasChoice = false;
        clauseLooksUp = false;
        clauseSurvey = null;
        clauseHasMaterial = false;
        clauseVerbCues = 0;
        clauseNamesPage = false;
        clauseNamesMonitoring = false;
        clauseExplains = false;
        clauseWeakNouns = 0;
        clauseNamesWeb = false;
        clauseConsultsDocs = false;
        clauseListIsCast = false;
        clauseOpensWithQuestion = false;
        clauseRevises = false;
        clausePrices = false;
        clauseActs = false;
        explainsPending = false;
        clauseOwns = false;
        clauseNamesThing = false;
        clauseHasStep = false;
        clauseStarted = false;
        clauseIsQuestion = false;
        clauseListIsParts = false;
        listItemCapabilities = 0;
        previousWordCapabilities = 0;
        routeReach = 0;
        itemSeparators = 0;
        clauseHasAlternative = false;
        pendingSeparator = false;
        numberReach = 0;
        previousIsTarget = false;
        phraseCount = 0;
        topic = false;
        codeTopic = false;
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
}
