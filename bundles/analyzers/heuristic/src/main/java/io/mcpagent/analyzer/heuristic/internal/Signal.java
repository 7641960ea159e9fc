package io.mcpagent.analyzer.heuristic.internal;

import io.mcpagent.api.task.TaskType;

/**
 * What one cue (a word, a phrase, or a shape such as a URL) says about a task. Immutable; built once by
 * {@link Lexicon.Builder}, shared by every analysis.
 */
final class Signal {
    /** A work verb: in verb position (first content word of a clause segment) it is one step. */
    static final long ACTION = 1L;
    /** An ordering word ("then", "finally"): the steps depend on each other. */
    static final long SEQUENCE = 1L << 1;
    /** Suppresses the signals of the next few words of its clause ("without searching the web"). */
    static final long NEGATION = 1L << 2;
    /** Skipped inside phrases, so "search the web" matches the phrase "search web"; never in verb position. */
    static final long DETERMINER = 1L << 3;
    /** "and": joins list items or clause segments. */
    static final long CONJUNCTION = 1L << 4;
    /** "or": joins the options of a choice ("billing, support or sales"), or clause segments. */
    static final long ALTERNATIVE = 1L << 5;
    /** A question word ("which", "why"): after a list separator it starts a question, not a list item. */
    static final long QUESTION = 1L << 6;
    /** A unit ("seconds", "percent"): a number before it counts nothing. */
    static final long UNIT = 1L << 7;
    /** "to", "into", "as": a file right after it is an output. */
    static final long TARGET = 1L << 8;
    /** Words before the verb that do not take its place ("please", "can", "you", "I"). */
    static final long FILLER = 1L << 9;
    /** A preposition: a list separator followed by it starts no list item ("Japanese and Korean, with ..."). */
    static final long PREPOSITION = 1L << 10;
    /** A file named right after it is an output ("save out.json", "create notes.md"). */
    static final long WRITE_INTENT = 1L << 11;
    /** The task changes the local files it names, so it reads and writes them ("fix", "move", "rename"). */
    static final long EDIT_INTENT = 1L << 12;
    /** Local files or folders named by a word ("folder", "files"): read, or read and written when edited. */
    static final long LOCAL_FILES = 1L << 13;
    /** Names tests ("tests", "test suite"): with a {@link #RUNS} verb the task needs {@code testing}. */
    static final long TESTS = 1L << 14;
    /** Runs something ("run", "rerun", "execute"); see {@link #TESTS}. */
    static final long RUNS = 1L << 15;
    /** Names pictures ("image", "logo"): with a {@link #MAKES} verb the task needs {@code image_generation}. */
    static final long PICTURES = 1L << 16;
    /** Makes something new ("generate", "draw", "design"); see {@link #PICTURES}. */
    static final long MAKES = 1L << 17;
    /** What follows in the segment is a topic, not a tool ("a joke about kubernetes"): it names no capability. */
    static final long TOPIC = 1L << 18;
    /** A verb that is no step of its own ("tell", "thank", "suggest"), but like a work verb it ends a list. */
    static final long VERB = 1L << 19;
    /** "these", "all": a number right after it counts items to handle alike ("these five URLs"). */
    static final long COLLECTIVE = 1L << 20;
    /** A verb that authors an answer ("write", "give", "draft"): a code artefact it makes is text, not tool use. */
    static final long AUTHORS = 1L << 21;
    /**
     * Code the model writes ("script", "query", "workflow"): after an {@link #AUTHORS} verb, the products named in
     * its segment and what follows are the code's subject ("write a Postgres query that ..."), not tools.
     */
    static final long CODE_ARTEFACT = 1L << 22;
    /**
     * A role ("agent", "expert", "team"): a capability word right before it, or an option of a choice in its clause,
     * names the role's field ("the database expert", "a network, database or application agent"), not a tool.
     */
    static final long ROLE = 1L << 23;
    /** Looks information up ("find", "check", "compare"): weak web cues ("pricing", "current") need one. */
    static final long LOOKUP = 1L << 24;
    /** Critiques an artefact ("review", "verify", "grade"); followed by a {@link #REVISES} verb it is a loop. */
    static final long REVIEWS = 1L << 25;
    /** Reworks an artefact after a critique ("revise", "fix", "rewrite"); see {@link #REVIEWS}. */
    static final long REVISES = 1L << 26;
    /** A word of a common slash pair ("async/await", "before/after"): such a chunk is no owner/repo name. */
    static final long SLASH_PAIR = 1L << 27;
    /** Names the parts of one artefact ("columns", "fields", "with"): a list after it is no set of work items. */
    static final long PARTS = 1L << 28;
    /** "right", "appropriate": followed closely by a {@link #ROLE} or destination, the task picks one handler. */
    static final long ROUTE_ADJECTIVE = 1L << 29;
    /**
     * Where a request can be sent ("queue", "channel", "agent"); see {@link #ROUTE_ADJECTIVE}. Like a {@link #ROLE},
     * it makes the options of a choice in its clause fields rather than tools.
     */
    static final long DESTINATION = 1L << 30;
    /** Puts something somewhere ("put", "place"): a file after its preposition is written ("put it in notes.md"). */
    static final long PLACES = 1L << 31;
    /**
     * Joined by a hyphen to a capability word, it makes that word a description of something else ("a Redis-backed
     * rate limiter", "Kubernetes-native"): the product is built on, not used.
     */
    static final long MODIFIER_SUFFIX = 1L << 32;
    /**
     * A part or property of something ("validation", "address", "folder"): a capability word right before it names
     * the thing described ("my email validation regex", "the Legal Inbox folder"), not a tool, unless that word
     * names where such things live (Drive, a bucket, a repository).
     */
    static final long ATTRIBUTE = 1L << 33;
    /** A source ("from"): a file named after it in its segment is read, even where the verb writes. */
    static final long SOURCE = 1L << 34;
    /** The extension of code or configuration: an edit anywhere in the task ("fix it in place") changes the file. */
    static final long CODE_FILE = 1L << 35;
    /** "need", "want": a piece of code asked for this way is written by the model ("I need a regex that ..."). */
    static final long REQUESTS = 1L << 36;
    /** Reworks a text ("refine", "tighten"): a message it names is being drafted, not sent. */
    static final long REWORKS = 1L << 37;
    /**
     * A recipient inside the system ("the pharmacist agent", "send me"): a message verb addressed to it hands the
     * request over or answers the user; nothing is sent over a messaging service.
     */
    static final long INTERNAL_RECIPIENT = 1L << 38;
    /** "that", "saying": after a message verb and its recipient, what follows is the message's content. */
    static final long MESSAGE_CONTENT = 1L << 39;
    /**
     * Weighs several things against each other ("compare", "look into"): over a list of named things and no source
     * of ours, what is compared lives on the web ("compare the free tiers of A, B and C").
     */
    static final long SURVEYS = 1L << 40;
    /** Material in the prompt ("below", "pasted"): what it names is not looked up anywhere. */
    static final long MATERIAL = 1L << 41;
    /**
     * "I": a verb right after it is the user's own act ("I'll send it myself"), no tool call. On a recipient
     * ({@link #INTERNAL_RECIPIENT}, "send me") the recipient is the user: the answer is returned, not dispatched.
     */
    static final long SELF = 1L << 42;
    /** "you": after {@link #SELF} it makes the request the agent's again ("I want you to send it"). */
    static final long ADDRESSEE = 1L << 43;
    /**
     * An environment or region ("prod", "staging", "eu"): joined by a hyphen to one other word it makes a resource's
     * name ("logs-prod", "backups-eu"), not a cue.
     */
    static final long ENVIRONMENT = 1L << 44;
    /** "below", "above": material in the prompt even before a preposition ("the log lines below by severity"). */
    static final long POSITIONAL = 1L << 45;
    /** "it", "them": the object of a verb that names no other ("tidy it up"). */
    static final long PRONOUN = 1L << 46;
    /** Carries files elsewhere ("upload", "move"): a file it carries is not opened, whatever its format. */
    static final long TRANSFERS = 1L << 47;
    /** Names a file format ("the PDF", "pdfs in", "excel file"), not a documents service. */
    static final long FILE_FORMAT = 1L << 48;
    /**
     * A kind of local file named without a name ("a CSV"): written when the verb of its segment writes or puts
     * something ("save that as a new CSV", "put them all in one CSV"); otherwise nothing ("turn this into CSV").
     */
    static final long FILE_KIND = 1L << 49;
    /**
     * A kind of place that is looked up ("hotel", "pharmacy"): right before a noun it describes that noun ("our hotel
     * guests", "a hotel receptionist", "supermarket prices"), and after "our"/"my" it is the user's own place ("our
     * hotel"): no place to find in either case.
     */
    static final long PLACE_KIND = 1L << 50;
    /** "our", "my": what follows is the user's own. */
    static final long POSSESSIVE = 1L << 51;
    /** Words after a place that say where or when it is, not what it describes ("hotels online", "a cafe nearby"). */
    static final long ADVERB = 1L << 52;
    /**
     * An event that monitoring raises ("alert", "incident"): named alone it may be the item a task routes, simulates or
     * reads off a page ("page whoever owns this alert", "a ransomware tabletop as the incident unfolds"), not a
     * monitoring need.
     */
    static final long EVENT_NOUN = 1L << 53;
    /**
     * "alert" as a verb: with a messaging channel or person in its segment ("alert #ops on Slack") it sends a message
     * and names no monitoring; alone ("alert at 2% errors") it sets up an alert.
     */
    static final long ALERTS_PEOPLE = 1L << 54;
    /** "how", "why": a question that opens with one asks for an explanation. */
    static final long EXPLAINS = 1L << 55;
    /** "do", "is", "can": after "how" it asks how something works ("how do probes differ"), not "how many". */
    static final long AUXILIARY = 1L << 56;
    /** "from what you already know", "off the top of your head": the task is answered without tools. */
    static final long KNOWLEDGE_ONLY = 1L << 57;
    /**
     * A price or rating ("pricing", "list price", "free tier"): a product named beside it in a clause that looks
     * things up is what is priced, and the price is looked up on the web.
     */
    static final long PRICE = 1L << 58;
    /**
     * "a", "one": a weak database cue in the noun phrase it opens is a new table, the answer's shape ("give me a clean
     * table", "compare them in a short table", "merge the results into one table"), not a table of ours.
     */
    static final long INDEFINITE = 1L << 59;
    /**
     * A detail that a map or a clock answers ("opening hours", "today", "currently"): beside a place found on the map
     * or a time named, no web search.
     */
    static final long PLACE_DETAIL = 1L << 60;
    /** "until", "again", "twice": after a verb that reworks something, the rework loops (evaluator-optimizer). */
    static final long UNTIL = 1L << 61;
    /** "that", "who": a lookup verb right after one is what a role does ("a visa specialist who checks ... online"). */
    static final long RELATIVE = 1L << 62;
    /** "each", "every": before a collection named by its place ("every CSV in data/raw/") it hands out items. */
    static final long DISTRIBUTIVE = 1L << 63;

    /**
     * Flags that only say what kind of word a cue is: the scan reads them where it takes the word (verb position,
     * lists, phrases, counts), and {@code Scan.apply} reads none of them.
     */
    private static final long WORD_CLASSES = DETERMINER | INDEFINITE | POSSESSIVE | PRONOUN | PREPOSITION | TARGET
            | SOURCE | PARTS | CONJUNCTION | ALTERNATIVE | SLASH_PAIR | FILLER | ADDRESSEE | UNIT | ROLE | DESTINATION
            | VERB | RELATIVE | MESSAGE_CONTENT | DISTRIBUTIVE | COLLECTIVE | ENVIRONMENT;

    /**
     * Shared by every signal without type or pattern weights: the scan checks the weights of each signal it applies,
     * and one shared empty array stays in cache where thousands of own ones would each cost a miss.
     */
    private static final int[] NO_INDEXES = {};
    private static final float[] NO_VALUES = {};

    /** The cue, e.g. {@code unit tests}, or a shape's description ({@code a URL}). */
    final String cue;
    /**
     * How the reasoning names it: {@code 'unit tests'}, or a shape's description unquoted. Interned: signals written
     * the same ("email" the verb and the noun) share one string, which the scan compares by reference.
     */
    final String quoted;
    /** The {@link TaskType} ordinals the cue has evidence for, and the evidence (sparse: most cues name one). */
    final int[] typeIndexes;
    final float[] typeValues;
    /** Capabilities the cue implies by itself (bits of {@link Capability}). */
    final int capabilities;
    /** Capabilities the cue implies only when no cue in its clause implies any capability by itself. */
    final int weakCapabilities;
    /** Capabilities the cue rules out in its clause ("postgres query": written, not run; "docker image"). */
    final int vetoedCapabilities;
    /** The {@link Pattern} ordinals the cue has evidence for, and the evidence. */
    final int[] patternIndexes;
    final float[] patternValues;
    /** Positive: the task is larger or more critical ("production"); negative: smaller ("quick"). */
    final float complexity;
    /** Bits from the constants above. */
    final long flags;
    private final boolean evidence;
    /**
     * No evidence and no flag but {@link #WORD_CLASSES} ("the", "to", "and": a third of a task's words): applying it
     * changes nothing, so the scan does not.
     */
    final boolean onlyWordClass;

    Signal(String cue, boolean shape, float[] typeWeights, int capabilities, int weakCapabilities,
           int vetoedCapabilities, float[] patternWeights, float complexity, long flags) {
        this.cue = cue;
        this.quoted = (shape ? cue : "'" + cue + "'").intern();
        this.typeIndexes = nonZero(typeWeights);
        this.typeValues = valuesAt(typeWeights, typeIndexes);
        this.capabilities = capabilities;
        this.weakCapabilities = weakCapabilities;
        this.vetoedCapabilities = vetoedCapabilities;
        this.patternIndexes = nonZero(patternWeights);
        this.patternValues = valuesAt(patternWeights, patternIndexes);
        this.complexity = complexity;
        this.flags = flags;
        this.evidence = capabilities != 0 || weakCapabilities != 0 || vetoedCapabilities != 0 || complexity != 0f
                || typeIndexes.length > 0 || patternIndexes.length > 0;
        this.onlyWordClass = !evidence && (flags & ~WORD_CLASSES) == 0;
    }


    boolean has(long flag) {
        return (flags & flag) != 0;
    }

    /** True when the signal says something about type, capabilities, pattern or size (not only a flag). */
    boolean isEvidence() {
        return evidence;
    }

    private static int[] nonZero(float[] weights) {
        int count = 0;
        for (float weight : weights) {
            count += weight != 0f ? 1 : 0;
        }
        if (count == 0) {
            return NO_INDEXES;
        }
        int[] indexes = new int[count];
        for (int i = 0, next = 0; i < weights.length; i++) {
            if (weights[i] != 0f) {
                indexes[next++] = i;
            }
        }
        return indexes;
    }

    private static float[] valuesAt(float[] weights, int[] indexes) {
        if (indexes.length == 0) {
            return NO_VALUES;
        }
        float[] values = new float[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            values[i] = weights[indexes[i]];
        }
        return values;
    }

    @Override
    public String toString() {
        return quoted;
    }

    /** The number of task types a weight array covers. */
    static int typeCount() {
        return TaskType.values().length;
    }
}
