package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The handshake tells the transport whether the server may ask the client something during a call, which only the
 * capabilities the client declared allow (sampling, elicitation, roots): a Streamable HTTP call waits for the GET
 * stream only then.
 */
@Timeout(30)
class McpClientServerMayAskTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aClientDeclaringNoCapabilityLeavesTheServerNothingToAsk() {
        assertFalse(serverMayAsk(null, false, false));
    }

    @Test
    void eachDeclaredCapabilityLetsTheServerAsk() {
        assertEquals(List.of(true, true, true), List.of(serverMayAsk(List.of("file:///tmp"), false, false),
                serverMayAsk(null, true, false), serverMayAsk(null, false, true)));
    }

    private boolean serverMayAsk(List<String> roots, boolean sampling, boolean elicitation) {
        ScriptedTransport transport = new ScriptedTransport(request -> List.of());
        McpClient client = new McpClient("asking", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(5), roots, sampling, elicitation, 1 << 20), () -> transport,
                new McpClient.Callbacks() { }, mapper);
        try {
            client.connect();
            return transport.serverMayAsk;
        } finally {
            client.close();
        }
    }
}
