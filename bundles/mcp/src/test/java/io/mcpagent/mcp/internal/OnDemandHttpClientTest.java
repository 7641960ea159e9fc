package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class OnDemandHttpClientTest {
    @Test
    void theClientIsBuiltOnFirstAskKeptAndHandedOverToEndNoneAfter() {
        OnDemandHttpClient never = new OnDemandHttpClient(Duration.ofSeconds(3));
        assertEquals(Optional.empty(), never.end(), "never asked: nothing to shut down");

        OnDemandHttpClient asked = new OnDemandHttpClient(Duration.ofSeconds(3));
        HttpClient client = asked.get();
        assertSame(client, asked.get());
        assertEquals(Optional.of(Duration.ofSeconds(3)), client.connectTimeout());
        assertEquals(HttpClient.Version.HTTP_1_1, client.version());
        assertSame(client, asked.end().orElseThrow());
        IllegalStateException stopped = assertThrows(IllegalStateException.class, asked::get);
        assertTrue(stopped.getMessage().contains("the server is stopped"), stopped.getMessage());
        client.shutdownNow();
    }
}
