package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.TestPeers;

/** A stdio server's process gets the environment its command gives, and nothing of the runtime's environment. */
class StdioTransportEnvironmentTest {
    /** Writes its whole environment as the params of one JSON-RPC notification. */
    private static final String PRINT_ENVIRONMENT = "process.stdout.write(JSON.stringify({jsonrpc: '2.0',"
            + " method: 'environment', params: process.env}) + '\\n'); setInterval(() => {}, 1000);";

    private final ObjectMapper mapper = new ObjectMapper();
    private StdioTransport transport;

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void theProcessSeesExactlyTheEnvironmentOfItsCommand() throws Exception {
        Map<String, String> given = Map.of("ONLY_THIS", "one", "AND_THIS", "two");

        Map<String, String> seen = environmentOf(given);

        // the JVM running the test has variables of its own (PATH, HOME, ...): none of them may reach the child
        // (names compared first: a failure must not print the values of the machine's environment)
        assertEquals(given.keySet(), seen.keySet());
        assertEquals(given, seen);
    }

    @Test
    void anEmptyEnvironmentStaysEmpty() throws Exception {
        assertEquals(Set.of(), environmentOf(Map.of()).keySet());
    }

    /** The JDK's message named the command, and the hint said to look for it on the PATH. */
    @Test
    void aWorkingDirectoryThatDoesNotExistIsNamedAsWhatKeepsTheServerFromStarting() {
        Path missing = Path.of("/no/such/folder/for/mcp");
        transport = new StdioTransport("cwd", new StdioTransport.Command(List.of(TestPeers.node(), "-e", "1"),
                Map.of(), missing, Duration.ofSeconds(1), 1 << 20), mapper);

        ProcessStartException refused = assertThrows(ProcessStartException.class,
                () -> transport.start(new ClosingInbound()));
        assertEquals("cannot start '" + TestPeers.node() + "': its working directory '" + missing + "' (cwd) is not a"
                + " folder that exists", refused.getMessage());
    }

    private Map<String, String> environmentOf(Map<String, String> environment) throws Exception {
        CompletableFuture<JsonNode> printed = new CompletableFuture<>();
        transport = new StdioTransport("env", new StdioTransport.Command(List.of(TestPeers.node(), "-e",
                PRINT_ENVIRONMENT), environment, null, Duration.ofSeconds(1), 1 << 20), mapper);
        transport.start(new Transport.Inbound() {
            @Override
            public void onMessage(JsonNode message) {
                printed.complete(message.path("params"));
            }

            @Override
            public void onSendFailed(JsonNode requestId, Exception failure) {
            }

            @Override
            public void onClosed(Exception cause) {
                printed.completeExceptionally(new IllegalStateException("the script ended without output", cause));
            }
        });
        return mapper.convertValue(printed.get(30, TimeUnit.SECONDS), new TypeReference<Map<String, String>>() { });
    }
}
