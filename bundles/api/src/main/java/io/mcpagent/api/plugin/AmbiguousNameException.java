package io.mcpagent.api.plugin;

import java.util.List;

/**
 * A name given in some case fits several things that differ only in case, and none exactly ({@link AnyCaseLookup}):
 * the message names them and asks for one of them exactly.
 */
public class AmbiguousNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String requested;
    private final List<String> candidates;

    public AmbiguousNameException(String what, String requested, List<String> candidates) {
        super(what + " '" + requested + "' is ambiguous: it names " + String.join(", ", candidates)
                + " when case is ignored; give one of them exactly");
        this.requested = requested;
        this.candidates = List.copyOf(candidates);
    }

    /** The name as it was given. */
    public String requested() {
        return requested;
    }

    /** What it fits when case is ignored, sorted. */
    public List<String> candidates() {
        return candidates;
    }
}
