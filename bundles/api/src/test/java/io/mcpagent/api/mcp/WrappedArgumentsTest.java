package io.mcpagent.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WrappedArgumentsTest {
    private static final Map<String, ?> DEPTH = Map.of("type", "object", "properties", Map.of("depth", Map.of()));

    @Test
    void argumentsWrappedForAToolWithoutSuchAParameterAreRefusedNamingItsParametersAndWhatToGive() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("path", Map.of());
        properties.put("depth", Map.of());
        assertEquals(Optional.of("the body is the tool's arguments themselves, not wrapped in {\"arguments\": ...}: "
                + "tool 'read' of MCP server 'memory' has no parameter 'arguments' (its parameters: path, depth; GET "
                + "/api/v1/servers/memory/tools shows its inputSchema); send the object inside \"arguments\" as the "
                + "body"), WrappedArguments.refusal("memory", "read", Map.of("arguments", Map.of("depth", 2)),
                Map.of("properties", properties), "the body", "GET /api/v1/servers/memory/tools"));
        assertEquals(Optional.of("the JSON argument is the tool's arguments themselves, not wrapped in "
                + "{\"arguments\": ...}: tool 'read' of MCP server 'memory' has no parameter 'arguments' (its "
                + "parameters: none); send the object inside \"arguments\" as the JSON argument"),
                WrappedArguments.refusal("memory", "read", Map.of("arguments", Map.of()), Map.of("type", "object"),
                        "the JSON argument", null));
    }

    @Test
    void aToolThatDeclaresArgumentsGetsThemAndOtherShapesPass() {
        Map<String, ?> wrapped = Map.of("arguments", Map.of("a", 1));
        assertEquals(Optional.empty(), WrappedArguments.refusal("s", "run", wrapped,
                Map.of("properties", Map.of("arguments", Map.of())), "the body", null));
        assertEquals(Optional.empty(), WrappedArguments.refusal("s", "t", Map.of("arguments", "text"), DEPTH,
                "the body", null), "not an object: the tool's own value");
        assertEquals(Optional.empty(), WrappedArguments.refusal("s", "t", Map.of("arguments", Map.of(), "depth", 1),
                DEPTH, "the body", null), "beside other arguments");
        assertEquals(Optional.empty(), WrappedArguments.refusal("s", "t", Map.of(), DEPTH, "the body", null));
        assertEquals(Optional.empty(), WrappedArguments.refusal("s", "t", wrapped, null, "the body", null),
                "a schema that cannot be read tells nothing: the server judges");
    }
}
