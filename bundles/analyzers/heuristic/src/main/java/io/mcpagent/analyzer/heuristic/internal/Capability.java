package io.mcpagent.analyzer.heuristic.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The capabilities the analyzer puts in {@code TaskAnalysis.requiredCapabilities}: the API's vocabulary
 * ({@link io.mcpagent.api.task.Capability}), in the analyzer's own order, since the ordinal is the bit in a capability
 * mask and the row of the bundled model. Each constant takes its name from the API constant of the same name, so a
 * constant the vocabulary lacks stops the class from loading instead of putting an unknown name in an analysis.
 */
enum Capability {
    WEB_FETCH,
    WEB_SEARCH,
    BROWSER_AUTOMATION,
    FILE_READ,
    FILE_WRITE,
    CODE_REPOSITORY,
    DATABASE_QUERY,
    KEY_VALUE,
    FULL_TEXT_SEARCH,
    KNOWLEDGE_GRAPH,
    MEMORY,
    MESSAGING,
    DOCUMENTS,
    DOCUMENTATION,
    MAPS,
    TIME,
    REASONING,
    MONITORING,
    CLOUD_STORAGE,
    CLOUD_INFRASTRUCTURE,
    IMAGE_GENERATION,
    PAYMENTS,
    TESTING;

    private static final Capability[] ALL = values();

    private final String id;

    Capability() {
        this.id = inVocabulary(name()).id();
    }

    /** The vocabulary's capability named {@code constantName}; an IllegalStateException naming it when there is none. */
    static io.mcpagent.api.task.Capability inVocabulary(String constantName) {
        try {
            return io.mcpagent.api.task.Capability.valueOf(constantName);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException("the heuristic analyzer's capability " + constantName + " is not in the"
                    + " capability vocabulary of io.mcpagent.api.task.Capability: "
                    + Arrays.stream(io.mcpagent.api.task.Capability.values()).map(Enum::name)
                    .collect(Collectors.joining(", ")), unknown);
        }
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
