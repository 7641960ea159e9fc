package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.mcp.internal.TestPeers;

/**
 * A server that ends says why: its exit code and its last stderr lines (where a server that cannot start explains
 * itself, e.g. the filesystem server given a folder that does not exist), masked, rather than "Stream closed".
 */
@Timeout(60)
class StdioTransportEndTest {
    private static final String TOKEN = "tok-4f9a-secret-value";
    /** Complains on stderr, the last line naming its token, and exits with 3 once its stdin is read. */
    private static final String FAILS_TO_START = "console.error('Warning: Cannot access directory /nope, skipping');"
            + " for (let i = 1; i <= 6; i++) console.error('line ' + i);"
            + " console.error('Error: None of the specified directories are accessible (token ' + process.env.TOKEN"
            + " + ')'); process.exit(3)";
    private static final String WHY = "server process ended (exit code 3); its last lines on stderr: line 3 | line 4"
            + " | line 5 | line 6 | Error: None of the specified directories are accessible (token [redacted])";

    private final ObjectMapper mapper = new ObjectMapper();
    private StdioTransport transport;
    private McpClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        } else if (transport != null) {
            transport.close();
        }
    }

    private StdioTransport transport(String serverId) {
        return new StdioTransport(serverId, new StdioTransport.Command(List.of(TestPeers.node(), "-e", FAILS_TO_START),
                Map.of("TOKEN", TOKEN), null, Duration.ofSeconds(1), 1 << 20), mapper);
    }

    @Test
    void aMessageToAServerThatEndedNamesItsExitCodeAndLastStderrLines() throws Exception {
        transport = transport("gone");
        ClosingInbound inbound = new ClosingInbound();
        transport.start(inbound);
        assertEquals(WHY, inbound.closed.get(30, TimeUnit.SECONDS).getMessage(), "the connection lost says it too");

        IOException failure = assertThrows(IOException.class,
                () -> transport.send(mapper.createObjectNode().put("method", "initialize"), null));

        assertEquals(WHY, failure.getMessage());
    }

    /**
     * Node's stack frames after its error are not among the lines kept: "Error: Cannot find module ..." was pushed out
     * by them, and the health quoted "at node:internal/main/run_main_module:28:49 { | code: 'MODULE_NOT_FOUND', ...".
     */
    @Test
    void theLinesKeptOfAServerThatEndedSkipItsStackFrames() throws Exception {
        transport = new StdioTransport("missing", new StdioTransport.Command(List.of(TestPeers.node(),
                "/no/such/server/index.js"), Map.of(), null, Duration.ofSeconds(1), 1 << 20), mapper);
        ClosingInbound inbound = new ClosingInbound();
        transport.start(inbound);

        String why = inbound.closed.get(30, TimeUnit.SECONDS).getMessage();

        assertTrue(why.contains("its last lines on stderr: Error: Cannot find module '/no/such/server/index.js'"),
                why);
        assertFalse(why.contains(" at "), why);
    }

    @Test
    void aServerThatEndsDuringItsHandshakeFailsTheConnectionWithWhy() {
        transport = transport("fsbad");
        client = new McpClient("fsbad", new ClientOptions("test", "1", "auto", Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(20), null, false, false, 1 << 20), () -> transport,
                new McpClient.Callbacks() {
                }, mapper);

        McpException failure = assertThrows(McpException.class, client::connect);

        assertTrue(failure.getMessage().startsWith("MCP server 'fsbad': "), failure.getMessage());
        assertTrue(failure.getMessage().endsWith(WHY), failure.getMessage());
    }
}
