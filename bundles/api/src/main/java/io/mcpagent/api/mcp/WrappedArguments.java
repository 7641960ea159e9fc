package io.mcpagent.api.mcp;

import java.util.Map;
import java.util.Optional;

/**
 * Tool arguments wrapped as MCP's own tools/call parameters, {@code {"arguments": {...}}} (since 1.4). For a tool that
 * declares no parameter {@code arguments} they reach the server as one unknown argument, and its answer ("expected
 * array, received undefined at entities") does not say why; the REST API and the shell refuse them with these words.
 * A tool that declares {@code arguments} gets them. Takes JSON read into maps, as this package reads no JSON itself.
 */
public final class WrappedArguments {
    /** The member that wraps the arguments, and so the one a refusal names. */
    public static final String MEMBER = "arguments";

    private WrappedArguments() {
    }

    /**
     * Why these arguments are refused, or empty when they are not.
     *
     * @param server        the id of the tool's server
     * @param tool          the tool's name
     * @param arguments     the arguments given, a JSON object read into a map (a nested object a {@link Map})
     * @param inputSchema   the tool's input schema read into a map, null when it is no JSON object: then nothing tells
     *                      what the tool takes, and its server judges
     * @param given         how the caller names what it was given ({@code the body}), in the reason
     * @param schemaShownBy what shows the tool's input schema to the caller ({@code GET /api/v1/servers/x/tools}), or
     *                      null when nothing the caller has shows it
     */
    public static Optional<String> refusal(String server, String tool, Map<String, ?> arguments,
                                           Map<String, ?> inputSchema, String given, String schemaShownBy) {
        if (arguments.size() != 1 || !(arguments.get(MEMBER) instanceof Map) || inputSchema == null) {
            return Optional.empty();
        }
        Map<?, ?> properties = inputSchema.get("properties") instanceof Map<?, ?> map ? map : Map.of();
        if (properties.containsKey(MEMBER)) {
            return Optional.empty();
        }
        String parameters = properties.isEmpty() ? "none" : String.join(", ",
                properties.keySet().stream().map(String::valueOf).toList());
        String shown = schemaShownBy == null ? "" : "; " + schemaShownBy + " shows its inputSchema";
        return Optional.of(given + " is the tool's arguments themselves, not wrapped in {\"" + MEMBER + "\": ...}: "
                + "tool '" + tool + "' of MCP server '" + server + "' has no parameter '" + MEMBER + "' (its "
                + "parameters: " + parameters + shown + "); send the object inside \"" + MEMBER + "\" as " + given);
    }
}
