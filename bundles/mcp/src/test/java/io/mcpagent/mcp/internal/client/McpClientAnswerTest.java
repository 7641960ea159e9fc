package io.mcpagent.mcp.internal.client;

import static io.mcpagent.mcp.internal.client.ScriptedTransport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.mcp.McpException;

/**
 * An error object without an integer code or a string message is quoted, never read as an error it is not; answers to
 * no request in flight are named by the timeout they cause.
 */
@Timeout(30)
class McpClientAnswerTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private McpRpcException failure(String error) {
        ScriptedTransport transport = new ScriptedTransport(request -> List.of(json("{'jsonrpc':'2.0','id':"
                + request.get("id") + ",'error':" + error + "}")));
        McpClient client = new McpClient("failing", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() { }, mapper);
        client.connect();
        return assertThrows(McpRpcException.class, () -> client.callTool("t", mapper.createObjectNode(),
                Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private McpException initializeFailure(String result) {
        ScriptedTransport transport = new ScriptedTransport(request -> List.of(json("{'jsonrpc':'2.0','id':"
                + request.get("id") + ",'result':" + result + "}")), true);
        McpClient client = new McpClient("starting", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() { }, mapper);
        return assertThrows(McpException.class, client::connect);
    }

    /** A server probed for its era (protocol auto) that answers server/discover with {@code result}. */
    private McpException discoverFailure(String result) {
        ScriptedTransport transport = new ScriptedTransport(request -> List.of(json("{'jsonrpc':'2.0','id':"
                + request.get("id") + ",'result':" + result + "}")));
        McpClient client = new McpClient("probed", new ClientOptions("test", "1", "auto", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() { }, mapper);
        return assertThrows(McpException.class, client::connect);
    }

    @Test
    void aDiscoverResultThatIsNoObjectIsNamedNotTakenForTheModernEra() {
        assertEquals("MCP server 'probed': server answered server/discover with number 42, not an object",
                discoverFailure("42").getMessage());
        assertEquals("MCP server 'probed': server answered server/discover with array [\"" + McpClient.MODERN_VERSION
                + "\"], not an object", discoverFailure("['" + McpClient.MODERN_VERSION + "']").getMessage());
    }

    @Test
    void aDiscoverResultSharingNoVersionIsNamedNotTriedWithInitialize() {
        assertEquals("MCP server 'probed': server supports only protocol versions [\"2099-01-01\"]; this client speaks "
                + McpClient.MODERN_VERSION + " and " + McpClient.LEGACY_VERSIONS,
                discoverFailure("{'supportedVersions':['2099-01-01']}").getMessage());
    }

    @Test
    void anInitializeResultThatIsNoObjectIsNamed() {
        assertEquals("MCP server 'starting': server answered initialize with number 42, not an object",
                initializeFailure("42").getMessage());
        assertEquals("MCP server 'starting': server answered initialize with array [\"2025-06-18\"], not an object",
                initializeFailure("['2025-06-18']").getMessage());
    }

    @Test
    void anInitializeResultWithoutAVersionStringIsNamed() {
        assertEquals("MCP server 'starting': server answered initialize without a protocolVersion:"
                + " {\"serverInfo\":{\"name\":\"x\"}}", initializeFailure("{'serverInfo':{'name':'x'}}").getMessage());
        assertEquals("MCP server 'starting': server answered initialize with a protocolVersion that is number 2025,"
                + " not a string: {\"protocolVersion\":2025}", initializeFailure("{'protocolVersion':2025}").getMessage());
        assertEquals("MCP server 'starting': server answered initialize with protocol version '1999-01-01', which this"
                + " client does not speak (" + McpClient.LEGACY_VERSIONS + ")",
                initializeFailure("{'protocolVersion':'1999-01-01'}").getMessage());
    }

    @Test
    void anErrorThatIsAStringIsQuoted() {
        McpRpcException failure = failure("'disk full'");
        assertEquals("MCP server 'failing': tools/call failed: malformed error, taken as -32603 (it is no object):"
                + " \"disk full\" (JSON-RPC error -32603)", failure.getMessage());
    }

    @Test
    void anEmptyErrorSaysWhatItLacks() {
        assertEquals("malformed error, taken as -32603 (no code, no message): {}", failure("{}").rpcMessage());
    }

    @Test
    void anIntegerCodeIsKeptWhenTheMessageIsWrong() {
        McpRpcException failure = failure("{'code':-32000,'message':42}");
        assertEquals(-32000, failure.code());
        assertEquals("malformed error (a message that is no string): {\"code\":-32000,\"message\":42}",
                failure.rpcMessage());
    }

    @Test
    void aWellFormedErrorIsKeptWhole() {
        McpRpcException failure = failure("{'code':-32602,'message':'bad path','data':{'path':'/x'}}");
        assertEquals(-32602, failure.code());
        assertEquals("bad path", failure.rpcMessage());
        assertEquals("{\"path\":\"/x\"}", failure.dataJson());
    }

    @Test
    void aCallTimedOutWhileTheServerAnsweredAnotherIdSaysSo() {
        ScriptedTransport transport = new ScriptedTransport(request -> List.of(json("{'jsonrpc':'2.0','id':{'n':"
                + request.get("id") + "},'result':{'content':[]}}")));
        McpClient client = new McpClient("misnumbering", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() { }, mapper);
        client.connect();
        McpException failure = assertThrows(McpException.class, () -> client.callTool("t", mapper.createObjectNode(),
                Duration.ofMillis(300), Duration.ofSeconds(5)));
        assertEquals("MCP server 'misnumbering': tools/call timed out after 300 ms without an answer; meanwhile the server"
                + " sent 1 message that answers no request in flight, the last: {\"jsonrpc\":\"2.0\",\"id\":{\"n\":2},"
                + "\"result\":{\"content\":[]}}", failure.getMessage());
    }
}
