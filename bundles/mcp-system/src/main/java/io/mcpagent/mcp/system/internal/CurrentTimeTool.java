package io.mcpagent.mcp.system.internal;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;

/** {@code current_time}: now, in UTC or the time zone asked for, to the millisecond. */
final class CurrentTimeTool implements SystemTool {
    static final String NAME = "current_time";
    static final String DEFAULT_ZONE = "UTC";
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{"timezone":{"type":"string",\
            "description":"IANA time zone such as Europe/Berlin or America/New_York (a UTC offset such as +02:00 \
            works too); UTC when absent"}},"additionalProperties":false}""";
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{\
            "iso":{"type":"string","format":"date-time","description":"ISO 8601 with the zone's offset"},\
            "epochMillis":{"type":"integer","description":"milliseconds since 1970-01-01T00:00:00Z"},\
            "timezone":{"type":"string","description":"the time zone used"}},\
            "required":["iso","epochMillis","timezone"]}""";

    private final Clock clock;

    CurrentTimeTool(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ToolDescriptor descriptor() {
        return new ToolDescriptor(NAME, "Current time",
                "The current date and time in a time zone (UTC unless one is given).", INPUT_SCHEMA, OUTPUT_SCHEMA,
                READS_THE_JVM);
    }

    @Override
    public ToolCallResult call(ToolArguments arguments) throws ToolArgumentException {
        ZoneId zone = zone(arguments.text("timezone").orElse(DEFAULT_ZONE));
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MILLIS), zone);
        String iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now);
        ObjectNode structured = JsonNodeFactory.instance.objectNode().put("iso", iso)
                .put("epochMillis", now.toInstant().toEpochMilli()).put("timezone", zone.getId());
        return SystemTool.success(iso + " (" + zone.getId() + ")", structured);
    }

    private static ZoneId zone(String name) throws ToolArgumentException {
        try {
            return ZoneId.of(name.strip());
        } catch (DateTimeException e) {
            throw new ToolArgumentException("unknown timezone '" + name + "'; use an IANA name such as Europe/Berlin,"
                    + " America/New_York or UTC");
        }
    }
}
