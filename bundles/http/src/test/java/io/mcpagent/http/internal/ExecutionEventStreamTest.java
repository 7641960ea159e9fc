package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import jakarta.servlet.http.HttpServletResponse;

class ExecutionEventStreamTest {
    private static final int STREAMS = 3;

    @Test
    void anEventIsEncodedAndMaskedOnceForAllTheStreamsFollowingItsExecution() throws Exception {
        ExecutionEventHub hub = new ExecutionEventHub();
        AtomicInteger maskedRoutes = new AtomicInteger();
        SecretMasker masker = text -> {
            if (text.contains("\"step\":\"route\"")) {
                maskedRoutes.incrementAndGet();
            }
            return text.replace("sk-secret", "[redacted]");
        };
        ExecutionEventStream streams = streams(new ExecutionRecord("e-1", "default", "task", "router",
                ExecutionStatus.RUNNING, Instant.EPOCH, null, null, null, null, null, null, null, null, null), hub,
                masker);
        List<StringWriter> written = new ArrayList<>();
        List<Future<?>> open = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < STREAMS; i++) {
                StringWriter text = new StringWriter();
                written.add(text);
                HttpServletResponse response = mock(HttpServletResponse.class);
                when(response.getWriter()).thenReturn(new PrintWriter(text));
                String caller = "key:c" + i;
                open.add(clients.submit(() -> {
                    streams.stream("e-1", caller, response);
                    return null;
                }));
            }
            awaitFollowers(hub, STREAMS);

            hub.onEvent(new PatternEvent(Instant.EPOCH, "e-1", "router", "route", "to research, key sk-secret"));
            hub.onEvent(new ExecutionStatusEvent(Instant.EPOCH, ExecutionStatusEvent.FINISHED, "e-1", "router",
                    ExecutionStatus.SUCCEEDED, null));
            for (Future<?> stream : open) {
                stream.get(10, TimeUnit.SECONDS);
            }
        }

        assertEquals(1, maskedRoutes.get(), "encoded and masked once, not once per stream");
        for (StringWriter text : written) {
            assertTrue(text.toString().contains("event: pattern.step\ndata: {\"type\":\"pattern.step\",\"timestamp\":"
                    + "\"1970-01-01T00:00:00Z\",\"executionId\":\"e-1\",\"pattern\":\"router\",\"step\":\"route\","
                    + "\"detail\":\"to research, key [redacted]\"}\n\n"), text.toString());
            assertTrue(text.toString().contains("event: end\n"), text.toString());
        }
    }

    /**
     * The stream of an execution that ended in an earlier run carries its result from its record, masked, as that of
     * this run's carries it from the engine: after a restart it carried the status alone, not why it failed.
     */
    @Test
    void anExecutionOfAnEarlierRunIsStreamedWithItsRecordedResult() throws Exception {
        ExecutionEventStream streams = streams(new ExecutionRecord("e-2", "default", "task", "direct",
                ExecutionStatus.FAILED, Instant.EPOCH, Instant.EPOCH.plusSeconds(3), null,
                "model call 1 failed: key sk-secret refused", Usage.of(12, 3), null, null, null, null,
                List.of("a warning")), new ExecutionEventHub(),
                text -> text == null ? null : text.replace("sk-secret", "[redacted]"));
        StringWriter text = new StringWriter();
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getWriter()).thenReturn(new PrintWriter(text));

        streams.stream("e-2", "key:c", response);

        String status = text.toString().lines().filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
        JsonNode result = new ObjectMapper().readTree(status.substring("data: ".length())).path("result");
        assertEquals("FAILED", result.path("status").asText());
        assertEquals("model call 1 failed: key [redacted] refused", result.path("error").asText());
        assertEquals("direct", result.path("pattern").asText());
        assertEquals("a warning", result.path("warnings").path(0).asText());
        assertEquals(15, result.path("usage").path("totalTokens").asLong());
        assertEquals("1970-01-01T00:00:03Z", result.path("finished").asText());
    }

    /** The streams of the history's execution {@code recorded}, which the engine does not run (any more). */
    private static ExecutionEventStream streams(ExecutionRecord recorded, ExecutionEventHub hub, SecretMasker masker) {
        WorkflowEngine engine = mock(WorkflowEngine.class);
        when(engine.find(recorded.executionId())).thenReturn(Optional.empty());
        ExecutionHistory history = mock(ExecutionHistory.class);
        when(history.find(recorded.executionId())).thenReturn(Optional.of(recorded));
        return new ExecutionEventStream(() -> engine, () -> history, () -> {
            throw ApiError.unavailable("no orchestrator in this test");
        }, () -> hub, Duration.ofMinutes(5), masker, () -> new RequestLimits.StreamLimits(STREAMS, STREAMS));
    }

    private static void awaitFollowers(ExecutionEventHub hub, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hub.followers("e-1") < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, hub.followers("e-1"));
    }
}
