package io.mcpagent.api.mcp;

import java.util.ArrayList;
import java.util.List;

/**
 * A tool's MCP annotations as its server gives them (since 1.2): hints, not guarantees, and a server may lie. Each is
 * null when the server does not give it (or gives a value of the wrong JSON type), which is not the same as false:
 * the spec's defaults differ per hint ({@code readOnlyHint} false, {@code destructiveHint} true,
 * {@code idempotentHint} false, {@code openWorldHint} true), and those defaults are the reader's to apply.
 *
 * @param title           a human-readable title of the tool ({@code annotations.title}; the tool's own top-level
 *                        {@code title} is {@link ToolDescriptor#title()})
 * @param readOnlyHint    true when the tool does not modify its environment
 * @param destructiveHint true when the tool may perform destructive updates, false when it only adds; meaningful
 *                        only when it is not read-only
 * @param idempotentHint  true when calling it again with the same arguments has no further effect
 * @param openWorldHint   true when it may interact with an open world of external entities (the web), false when
 *                        its domain is closed (a memory tool)
 */
public record ToolAnnotations(String title, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
                              Boolean openWorldHint) {
    /** A tool whose server gives no annotations. */
    public static final ToolAnnotations NONE = new ToolAnnotations(null, null, null, null, null);

    /**
     * The hints the server gives as short words, the way the shell and the console show them: {@code readOnly},
     * {@code destructive}, {@code idempotent}, {@code openWorld} when it says true, the word after {@code !} when it
     * says false, none when it says nothing (not given is no false). Empty when it gives none.
     */
    public List<String> hints() {
        List<String> given = new ArrayList<>();
        hint(given, "readOnly", readOnlyHint);
        hint(given, "destructive", destructiveHint);
        hint(given, "idempotent", idempotentHint);
        hint(given, "openWorld", openWorldHint);
        return List.copyOf(given);
    }

    private static void hint(List<String> given, String word, Boolean value) {
        if (value != null) {
            given.add(value ? word : "!" + word);
        }
    }
}
