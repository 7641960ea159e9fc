package io.mcpagent.mcp.internal.client;

import static io.mcpagent.mcp.internal.client.ScriptedTransport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.mcp.internal.CapturedLog;

/** tools/list from a server whose answers are wrong or hostile: every one ends, with an error naming what is wrong. */
@Timeout(30)
class McpClientToolListTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private McpClient connected(int maxMessageBytes, Function<ObjectNode, List<JsonNode>> answers) {
        return connected(maxMessageBytes, null, answers);
    }

    /** A client of a server whose configuration is changed {@code configuredIn}; its file when null. */
    private McpClient connected(int maxMessageBytes, String configuredIn,
                                Function<ObjectNode, List<JsonNode>> answers) {
        ScriptedTransport transport = new ScriptedTransport(answers);
        McpClient client = new McpClient("lister", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, maxMessageBytes,
                ClientOptions.DEFAULT_ERA_PROBE_TIMEOUT, configuredIn), () -> transport,
                new McpClient.Callbacks() { }, mapper);
        client.connect();
        return client;
    }

    /** A page of {@code count} tools named after the page, with a cursor naming the next one. */
    private static List<JsonNode> page(ObjectNode request, int count, String nextCursor) {
        String cursor = request.path("params").path("cursor").asText("0");
        StringBuilder tools = new StringBuilder();
        for (int i = 0; i < count; i++) {
            tools.append(i == 0 ? "" : ",").append("{'name':'t").append(cursor).append('_').append(i)
                    .append("','inputSchema':{'type':'object'}}");
        }
        return List.of(json("{'jsonrpc':'2.0','id':" + request.get("id") + ",'result':{'tools':[" + tools + "]"
                + (nextCursor == null ? "" : ",'nextCursor':'" + nextCursor + "'") + "}}"));
    }

    @Test
    void cursorsThatNeverEndFailOnceAllPagesTogetherPassMaxMessageBytes() {
        McpClient client = connected(64 * 1024, request -> page(request, 100,
                String.valueOf(request.path("params").path("cursor").asInt(0) + 1)));
        McpException failure = assertThrows(McpException.class, client::listTools);
        assertEquals("MCP server 'lister': tools/list: the tools of 14 pages take more than maxMessageBytes (65536"
                + " bytes) in all; raise it in etc/io.mcpagent.mcp.server~lister.cfg.json if the server really has that"
                + " many", failure.getMessage());
    }

    /** A server made in the Web Console has no file: its configuration, as the client's options give it, is named. */
    @Test
    void toolsOverMaxMessageBytesOfAServerMadeInTheWebConsoleNameItsConfiguration() {
        String place = "configuration io.mcpagent.mcp.server.1c2d (set through Configuration Admin, such as in the Web"
                + " Console, not by a file in etc/)";
        McpClient client = connected(64 * 1024, place, request -> page(request, 100,
                String.valueOf(request.path("params").path("cursor").asInt(0) + 1)));
        McpException failure = assertThrows(McpException.class, client::listTools);
        assertEquals("MCP server 'lister': tools/list: the tools of 14 pages take more than maxMessageBytes (65536"
                + " bytes) in all; raise it in " + place + " if the server really has that many", failure.getMessage());
    }

    @Test
    void aCursorThatComesAgainIsALoop() {
        McpClient client = connected(1 << 20, request -> page(request, 1,
                "same"));
        McpException failure = assertThrows(McpException.class, client::listTools);
        assertEquals("MCP server 'lister': tools/list: the server's pagination loops: page 2 gave the cursor 'same'"
                + " again", failure.getMessage());
    }

    @Test
    void cursorsThatNeverEndFailAfterAThousandPages() {
        McpClient client = connected(1 << 24, request -> page(request, 0,
                String.valueOf(request.path("params").path("cursor").asInt(0) + 1)));
        McpException failure = assertThrows(McpException.class, client::listTools);
        assertEquals("MCP server 'lister': tools/list: the server's pagination did not end after 1000 pages",
                failure.getMessage());
    }

    @Test
    void pagesThatEndAreAllListed() {
        McpClient client = connected(1 << 20, request -> {
            int cursor = request.path("params").path("cursor").asInt(0);
            return page(request, 2, cursor < 2 ? String.valueOf(cursor + 1) : null);
        });
        assertEquals(List.of("t0_0", "t0_1", "t1_0", "t1_1", "t2_0", "t2_1"),
                client.listTools().stream().map(ToolInfo::name).toList());
    }

    @Test
    void namelessToolsAndEveryLaterToolOfANameAreDropped() {
        McpClient client = connected(1 << 20, request -> List.of(json("{'jsonrpc':'2.0','id':" + request.get("id")
                + ",'result':{'tools':[{'description':'no name'},{'name':7},'text',{'name':'a','description':'first'},"
                + "{'name':'b'},{'name':'a','description':'second'}]}}")));
        List<ToolInfo> tools = client.listTools();
        assertEquals(List.of("a", "b"), tools.stream().map(ToolInfo::name).toList());
        assertEquals("first", tools.get(0).description());
    }

    @Test
    void toolsWhoseInputSchemaIsNoObjectAreNamedInOneWarningPerListing() {
        McpClient client = connected(1 << 20, request -> List.of(json("{'jsonrpc':'2.0','id':" + request.get("id")
                + ",'result':{'tools':[{'name':'listed','inputSchema':['x']},{'name':'plain','inputSchema':{'type':'object'}},"
                + "{'name':'missing'},{'name':'text','inputSchema':'object'}]}}")));
        CapturedLog logged = CapturedLog.start();
        List<ToolInfo> tools;
        try (logged) {
            tools = client.listTools();
        }
        assertEquals(List.of("{\"type\":\"object\"}"), tools.stream().map(tool -> tool.inputSchema().toString())
                .distinct().toList());
        List<String> warnings = logged.text().lines().filter(line -> line.contains("WARN")).toList();
        assertEquals(List.of("[main] WARN io.mcpagent.mcp.internal.client.McpClient - MCP server 'lister' listed 3 tools"
                + " whose inputSchema is missing or no object; given {\"type\":\"object\"}: [listed, missing, text]"),
                warnings);
    }

    /**
     * A provider refuses a request with a malformed tool schema (OpenAI: "Invalid schema for function"), which failed
     * every model call of an agent bound to the server: such members were passed on unchanged.
     */
    @Test
    void anInputSchemasMembersOfTheWrongShapeAreLeftOutAndLoggedOnce() {
        McpClient client = connected(1 << 20, request -> List.of(json("{'jsonrpc':'2.0','id':" + request.get("id")
                + ",'result':{'tools':[{'name':'listed','inputSchema':{'type':'object','properties':[1,2],"
                + "'required':'x'}},{'name':'mixed','inputSchema':{'type':'string','properties':{'a':{'type':'string'},"
                + "'b':3,'c':true},'required':['a',7]}},{'name':'fine','inputSchema':{'type':'object','properties':"
                + "{'a':{'type':'string'}},'required':['a']}}]}}")));
        CapturedLog logged = CapturedLog.start();
        List<ToolInfo> tools;
        try (logged) {
            tools = client.listTools();
            client.listTools(); // as on every tools/list_changed: logged once
        }
        assertEquals(List.of("{\"type\":\"object\"}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"c\":true},\"required\":[\"a\"]}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]}"),
                tools.stream().map(tool -> tool.inputSchema().toString()).toList());
        String prefix = "[main] WARN io.mcpagent.mcp.internal.client.McpClient - MCP server 'lister': tool ";
        String kept = "; ignored, the tool is kept without it";
        assertEquals(List.of(
                prefix + "'listed': its inputSchema.properties is array [1,2], not an object" + kept,
                prefix + "'listed': its inputSchema.required is string \"x\", not an array" + kept,
                prefix + "'mixed': its inputSchema.type is string \"string\", not \"object\"" + kept,
                prefix + "'mixed': its inputSchema.properties.b is number 3, not a schema (an object)" + kept,
                prefix + "'mixed': its inputSchema.required is array [\"a\",7], not an array of property names" + kept),
                logged.text().lines().filter(line -> line.contains("WARN")).toList());
    }

    @Test
    void everyAnnotationIsCarriedAndOneNotGivenStaysNull() {
        McpClient client = connected(1 << 20, request -> List.of(json("{'jsonrpc':'2.0','id':" + request.get("id")
                + ",'result':{'tools':[{'name':'all','title':'All','outputSchema':{'type':'object'},'annotations':"
                + "{'title':'All of them','readOnlyHint':false,'destructiveHint':false,'idempotentHint':true,"
                + "'openWorldHint':false}},{'name':'some','annotations':{'destructiveHint':true,'readOnlyHint':null}},"
                + "{'name':'none','title':null,'annotations':null}]}}")));
        List<ToolInfo> tools = client.listTools();
        assertEquals(new ToolAnnotations("All of them", false, false, true, false), tools.get(0).annotations());
        assertEquals("All", tools.get(0).title());
        assertEquals("{\"type\":\"object\"}", tools.get(0).outputSchema().toString());
        assertEquals(new ToolAnnotations(null, null, true, null, null), tools.get(1).annotations());
        assertEquals(ToolAnnotations.NONE, tools.get(2).annotations());
        assertNull(tools.get(2).title());
    }

    @Test
    void fieldsOfTheWrongTypeAreIgnoredTheToolKeptAndEachLoggedOnceNamingServerToolAndField() {
        McpClient client = connected(1 << 20, request -> List.of(json("{'jsonrpc':'2.0','id':" + request.get("id")
                + ",'result':{'tools':[{'name':'odd','inputSchema':{'type':'object'},'title':42,'description':['a'],"
                + "'outputSchema':'object',"
                + "'annotations':{'title':{'t':1},'readOnlyHint':'true','destructiveHint':[false],'idempotentHint':1,"
                + "'openWorldHint':false}},{'name':'flat','inputSchema':{'type':'object'},'description':'kept',"
                + "'annotations':['readOnlyHint']}]}}")));
        CapturedLog logged = CapturedLog.start();
        List<ToolInfo> tools;
        try (logged) {
            tools = client.listTools();
            client.listTools(); // listed again, as on every tools/list_changed: nothing is logged twice
        }
        assertEquals(List.of("odd", "flat"), tools.stream().map(ToolInfo::name).toList());
        ToolInfo odd = tools.get(0);
        assertNull(odd.title());
        assertEquals("", odd.description());
        assertNull(odd.outputSchema());
        assertEquals(new ToolAnnotations(null, null, null, null, false), odd.annotations());
        assertEquals("kept", tools.get(1).description());
        assertEquals(ToolAnnotations.NONE, tools.get(1).annotations());
        String prefix = "[main] WARN io.mcpagent.mcp.internal.client.McpClient - MCP server 'lister': tool ";
        String kept = "; ignored, the tool is kept without it";
        assertEquals(List.of(
                prefix + "'odd': its title is number 42, not a string" + kept,
                prefix + "'odd': its description is array [\"a\"], not a string" + kept,
                prefix + "'odd': its outputSchema is string \"object\", not an object" + kept,
                prefix + "'odd': its annotations.title is object {\"t\":1}, not a string" + kept,
                prefix + "'odd': its annotations.readOnlyHint is string \"true\", not true or false" + kept,
                prefix + "'odd': its annotations.destructiveHint is array [false], not true or false" + kept,
                prefix + "'odd': its annotations.idempotentHint is number 1, not true or false" + kept,
                prefix + "'flat': its annotations is array [\"readOnlyHint\"], not an object" + kept),
                logged.text().lines().filter(line -> line.contains("WARN")).toList());
    }

    /**
     * A server that renames its tools on every listing makes new (tool, field) pairs without end: past the cap they
     * are not remembered, and at most one a minute is logged.
     */
    @Test
    void aServerRenamingItsToolsOnEveryListingIsLoggedAtMostOnceAMinutePastTheCap() {
        AtomicInteger listings = new AtomicInteger();
        McpClient client = connected(1 << 20, request -> {
            int listing = listings.incrementAndGet();
            StringBuilder tools = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                tools.append(i == 0 ? "" : ",").append("{'name':'t").append(listing).append('_').append(i)
                        .append("','inputSchema':{'type':'object'},'annotations':{'readOnlyHint':'yes'}}");
            }
            return List.of(json("{'jsonrpc':'2.0','id':" + request.get("id") + ",'result':{'tools':[" + tools
                    + "]}}"));
        });
        int listingsToTheCap = ToolFieldReports.MAX_REMEMBERED / 100;
        CapturedLog logged = CapturedLog.start();
        try (logged) {
            for (int i = 0; i < listingsToTheCap + 3; i++) {
                client.listTools();
            }
        }
        List<String> warnings = logged.text().lines().filter(line -> line.contains("readOnlyHint")).toList();
        assertEquals(ToolFieldReports.MAX_REMEMBERED + 1, warnings.size());
        assertEquals("[main] WARN io.mcpagent.mcp.internal.client.McpClient - MCP server 'lister': tool '"
                + "t" + (listingsToTheCap + 1) + "_0': its annotations.readOnlyHint is string \"yes\", not true or false;"
                + " ignored, the tool is kept without it", warnings.getLast());
    }

    @Test
    void anAnswerWithoutAToolsArrayIsNamed() {
        McpClient client = connected(1 << 20, request -> List.of(json("{'jsonrpc':'2.0','id':" + request.get("id")
                + ",'result':{'tools':{'x':{'name':'hidden'}}}}")));
        McpException failure = assertThrows(McpException.class, client::listTools);
        assertEquals("MCP server 'lister': tools/list: the answer has no tools array: {\"tools\":{\"x\":{\"name\":"
                + "\"hidden\"}}}", failure.getMessage());
    }
}
