package io.mcpagent.api.mcp;

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
}
