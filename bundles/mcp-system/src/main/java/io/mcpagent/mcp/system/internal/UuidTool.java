package io.mcpagent.mcp.system.internal;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;

/** {@code uuid}: random (version 4) UUIDs. */
final class UuidTool implements SystemTool {
    static final String NAME = "uuid";
    static final int MAX_COUNT = 100;
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{"count":{"type":"integer","minimum":1,"maximum":%d,"default":1,\
            "description":"how many UUIDs to make, 1 to %d"}},"additionalProperties":false}""".formatted(MAX_COUNT, MAX_COUNT);
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{"uuids":{"type":"array","items":{"type":"string","format":"uuid"}}},\
            "required":["uuids"]}""";

    @Override
    public ToolDescriptor descriptor() {
        return new ToolDescriptor(NAME, "UUIDs", "Random (version 4) UUIDs, one per line.", INPUT_SCHEMA,
                OUTPUT_SCHEMA, READS_THE_JVM);
    }

    @Override
    public ToolCallResult call(ToolArguments arguments) throws ToolArgumentException {
        int count = arguments.integer("count", 1, MAX_COUNT).orElse(1);
        List<String> uuids = Stream.generate(UUID::randomUUID).limit(count).map(UUID::toString).toList();
        ObjectNode structured = JsonNodeFactory.instance.objectNode();
        uuids.forEach(structured.putArray("uuids")::add);
        return SystemTool.success(String.join("\n", uuids), structured);
    }
}
