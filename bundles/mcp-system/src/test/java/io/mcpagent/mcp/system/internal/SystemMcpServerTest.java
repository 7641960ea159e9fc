package io.mcpagent.mcp.system.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;

class SystemMcpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123456Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SystemMcpServer server = new SystemMcpServer("1.2.3", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void describesItselfAsAnInProcessServer() {
        assertEquals("in-process", server.info().transport());
        assertEquals("in-process", server.info().protocolVersion());
        assertEquals("1.2.3", server.info().version());
        assertEquals(PluginHealth.Status.UP, server.health().status());
    }

    @Test
    void listsItsToolsWithValidSchemas() throws Exception {
        List<ToolDescriptor> tools = server.listTools();
        assertEquals(List.of("current_time", "runtime_info", "uuid"), tools.stream().map(ToolDescriptor::name).toList());
        for (ToolDescriptor tool : tools) {
            assertFalse(tool.description().isBlank(), tool.name());
            assertEquals("object", JSON.readTree(tool.inputSchemaJson()).path("type").asText(), tool.name());
            JsonNode output = JSON.readTree(tool.outputSchemaJson());
            assertEquals("object", output.path("type").asText(), tool.name());
            assertTrue(output.path("required").size() > 0, tool.name());
        }
        assertEquals(100, JSON.readTree(tools.get(2).inputSchemaJson()).path("properties").path("count")
                .path("maximum").asInt());
    }

    /**
     * Every tool only reads the JVM: the listing says so in full, since a hint left out means its spec default, and
     * those (destructive, open world) are false here.
     */
    @Test
    void listsEveryToolAsReadOnlyNonDestructiveIdempotentAndOfAClosedWorld() {
        ToolAnnotations readsTheJvm = new ToolAnnotations(null, true, false, true, false);
        for (ToolDescriptor tool : server.listTools()) {
            assertEquals(readsTheJvm, tool.annotations(), tool.name());
            assertEquals(Boolean.TRUE, tool.readOnlyHint(), tool.name());
        }
        assertEquals(server.listTools(), server.listedTools().orElseThrow());
    }

    // ---- current_time ---------------------------------------------------------------------------------------------

    @Test
    void currentTimeIsUtcToTheMillisecondByDefault() throws Exception {
        ToolCallResult result = server.callTool("current_time", "{}", TIMEOUT);
        assertFalse(result.isError());
        assertEquals("2026-11-24T10:15:30.123Z (UTC)", text(result));
        JsonNode structured = structured(result);
        assertEquals("2026-11-24T10:15:30.123Z", structured.path("iso").asText());
        assertEquals(NOW.toEpochMilli(), structured.path("epochMillis").asLong());
        assertEquals("UTC", structured.path("timezone").asText());
        assertMatchesOutputSchema(result, "current_time");
    }

    @Test
    void currentTimeInAnIanaZone() throws Exception {
        ToolCallResult result = server.callTool("current_time", "{\"timezone\":\"Europe/Berlin\"}", TIMEOUT);
        assertEquals("2026-11-24T11:15:30.123+01:00 (Europe/Berlin)", text(result));
        JsonNode structured = structured(result);
        assertEquals("2026-11-24T11:15:30.123+01:00", structured.path("iso").asText());
        assertEquals(NOW.toEpochMilli(), structured.path("epochMillis").asLong());
        assertEquals("Europe/Berlin", structured.path("timezone").asText());
        // null and a blank arguments text mean "no timezone".
        assertEquals("UTC", structured(server.callTool("current_time", "{\"timezone\":null}", TIMEOUT))
                .path("timezone").asText());
        assertFalse(server.callTool("current_time", " ", TIMEOUT).isError());
        assertFalse(server.callTool("current_time", null, TIMEOUT).isError());
    }

    // ---- runtime_info ---------------------------------------------------------------------------------------------

    @Test
    void runtimeInfoReportsTheJvm() throws Exception {
        ToolCallResult result = server.callTool("runtime_info", "{}", TIMEOUT);
        assertFalse(result.isError());
        JsonNode structured = structured(result);
        assertEquals(Runtime.version().toString(), structured.path("javaVersion").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), structured.path("availableProcessors").asInt());
        assertTrue(structured.path("uptimeMillis").asLong() > 0);
        assertTrue(structured.path("uptimeMillis").asLong() <= ManagementFactory.getRuntimeMXBean().getUptime());
        assertTrue(structured.path("heapUsedBytes").asLong() > 0);
        assertTrue(structured.path("heapMaxBytes").isNull()
                || structured.path("heapMaxBytes").asLong() >= structured.path("heapUsedBytes").asLong());
        assertTrue(text(result).startsWith("Java " + Runtime.version() + " ("), text(result));
        assertTrue(text(result).contains(Runtime.getRuntime().availableProcessors() + " processors"), text(result));
        assertMatchesOutputSchema(result, "runtime_info");
    }

    // ---- uuid -----------------------------------------------------------------------------------------------------

    @Test
    void uuidMakesOneByDefaultAndAsManyAsAsked() throws Exception {
        ToolCallResult one = server.callTool("uuid", "{}", TIMEOUT);
        assertEquals(4, UUID.fromString(text(one)).version());
        assertEquals(text(one), structured(one).path("uuids").get(0).asText());

        ToolCallResult many = server.callTool("uuid", "{\"count\":100}", TIMEOUT);
        List<String> lines = text(many).lines().toList();
        assertEquals(100, lines.size());
        assertEquals(100, new HashSet<>(lines).size(), "all different");
        assertEquals(100, structured(many).path("uuids").size());
        assertMatchesOutputSchema(many, "uuid");
    }

    // ---- invalid arguments are error results ------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "current_time | {\"timezone\":\"Mars/Olympus\"} | unknown timezone 'Mars/Olympus'; use an IANA name",
        "current_time | {\"timezone\":7}                 | 'timezone' must be a string, not number",
        "current_time | {\"tz\":\"UTC\"}                 | unknown argument 'tz'; current_time takes timezone",
        "current_time | {timezone}                       | the arguments are not valid JSON: Unexpected character",
        "current_time | [1]                              | the arguments must be a JSON object, not array",
        "current_time | {} {}                            | the arguments are not valid JSON",
        "runtime_info | {\"verbose\":true}               | unknown argument 'verbose'; runtime_info takes no arguments",
        "uuid         | {\"count\":0}                    | 'count' must be from 1 to 100, not 0",
        "uuid         | {\"count\":101}                  | 'count' must be from 1 to 100, not 101",
        "uuid         | {\"count\":99999999999}          | 'count' must be from 1 to 100, not 99999999999",
        "uuid         | {\"count\":2.5}                  | 'count' must be a whole number, not number",
        "uuid         | {\"count\":\"3\"}                | 'count' must be a whole number, not string",
    })
    void invalidArgumentsAreAnErrorResultSayingWhatIsWrong(String tool, String arguments, String message) {
        ToolCallResult result = server.callTool(tool, arguments, TIMEOUT);
        assertTrue(result.isError(), arguments);
        assertNull(result.structuredContentJson());
        String expected = "invalid arguments for " + tool + ": " + message;
        assertTrue(text(result).startsWith(expected), text(result) + "\n  expected to start with\n" + expected);
    }

    @Test
    void argumentsCutShortAreNamedByLineAndColumnWithoutTheParsersInternals() {
        ToolCallResult result = server.callTool("current_time", "{\"timezone\": \"UTC\"", TIMEOUT);

        assertTrue(result.isError());
        assertEquals("invalid arguments for current_time: the arguments are not valid JSON: Unexpected end-of-input:"
                + " expected close marker for Object (start marker at line 1, column 1)", text(result));
    }

    @Test
    void anUnknownToolIsAnMcpException() {
        McpException e = assertThrows(McpException.class, () -> server.callTool("shutdown", "{}", TIMEOUT));
        assertEquals("system", e.serverId());
        assertEquals("MCP server 'system': no tool 'shutdown'; the tools are current_time, runtime_info, uuid",
                e.getMessage());
    }

    private static String text(ToolCallResult result) {
        assertEquals(1, result.content().size());
        return ((TextPart) result.content().get(0)).text();
    }

    private static JsonNode structured(ToolCallResult result) throws Exception {
        return JSON.readTree(result.structuredContentJson());
    }

    /** The structured content has exactly the properties the tool's output schema declares, the required ones set. */
    private void assertMatchesOutputSchema(ToolCallResult result, String tool) throws Exception {
        JsonNode schema = JSON.readTree(server.listTools().stream().filter(t -> t.name().equals(tool)).findFirst()
                .orElseThrow().outputSchemaJson());
        Set<String> declared = new HashSet<>();
        schema.path("properties").fieldNames().forEachRemaining(declared::add);
        Set<String> present = new HashSet<>();
        structured(result).fieldNames().forEachRemaining(present::add);
        assertEquals(declared, present, tool);
        schema.path("required").forEach(name -> assertTrue(present.contains(name.asText()), name.asText()));
    }
}
