package io.mcpagent.http.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.http.internal.RequestLimits.StreamLimits;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/executions/{id}/events}: server-sent events of one execution. First a {@code status} event
 * with where it stands; then every event it publishes ({@code event:} is the event's type, {@code data:} its JSON)
 * until it finishes, then {@code end}. A comment line every {@link #KEEP_ALIVE} keeps proxies from closing an idle
 * stream. A client that reads too slowly to keep {@link #BUFFER} events in hand gets {@code overflow} and the
 * stream ends (its events are in {@code GET /executions/{id}}). The past is not replayed: the execution's record
 * holds it. Secrets in the events are masked, as in the record.
 * <p>
 * Each open stream holds a connection and a thread (an event is encoded once for all the streams following its
 * execution: {@link SharedEvent}), so their
 * number is bounded ({@link OpenEventStreams}): at most {@code maxEventStreamsPerCaller} per API key or token and
 * {@code maxEventStreams} in all. Past either a request gets 429 naming the limit, rather than slowing every
 * execution and request down.
 */
final class ExecutionEventStream {
    /**
     * Also how soon a client that left is noticed: the first write after it left still succeeds, the second fails,
     * and only then does its stream free its place, unless a new stream that finds no place has it write at once
     * ({@link OpenEventStreams}).
     */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);
    static final int BUFFER = 1024;
    static final String SUFFIX = "/events";
    static final String MEDIA_TYPE = "text/event-stream";
    /** Put in a stream's queue by a new stream that found no place: a keep-alive at once ({@link OpenEventStreams}). */
    private static final SharedEvent PROBE = new SharedEvent(null);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpRoutes.Required<WorkflowEngine> engine;
    private final McpRoutes.Required<ExecutionHistory> history;
    private final McpRoutes.Required<AutonomousOrchestrator> orchestrator;
    private final McpRoutes.Required<ExecutionEventHub> hub;
    private final Duration keepAlive;
    private final SecretMasker masker;
    private final OpenEventStreams open;

    ExecutionEventStream(McpRoutes.Required<WorkflowEngine> engine, McpRoutes.Required<ExecutionHistory> history,
                         McpRoutes.Required<AutonomousOrchestrator> orchestrator,
                         McpRoutes.Required<ExecutionEventHub> hub, Duration keepAlive, SecretMasker masker,
                         Supplier<StreamLimits> limits) {
        this.open = new OpenEventStreams(limits);
        this.masker = masker;
        this.engine = engine;
        this.history = history;
        this.orchestrator = orchestrator;
        this.hub = hub;
        this.keepAlive = keepAlive;
    }

    /** The execution id if the path is an event stream's, else null. */
    static String executionId(String path) {
        String prefix = AutonomousRoutes.EXECUTIONS + "/";
        // "/executions/events" both starts with the prefix and ends with the suffix: they overlap, no id between
        if (!path.startsWith(prefix) || !path.endsWith(SUFFIX) || path.length() < prefix.length() + SUFFIX.length()) {
            return null;
        }
        String id = path.substring(prefix.length(), path.length() - SUFFIX.length());
        return id.isEmpty() || id.contains("/") ? null : id;
    }

    /** Streams the events of the execution to {@code caller} (an actor), within the limits of open streams. */
    void stream(String executionId, String caller, HttpServletResponse response) throws ApiError, IOException {
        BlockingQueue<SharedEvent> events = new ArrayBlockingQueue<>(BUFFER);
        try (OpenEventStreams.Place place = open.admit(caller, () -> events.offer(PROBE))) {
            follow(executionId, response, events);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow(String executionId, HttpServletResponse response, BlockingQueue<SharedEvent> events)
            throws ApiError, IOException {
        AtomicBoolean overflow = new AtomicBoolean();
        try (AutoCloseable following = hub.require().follow(executionId, event -> {
            if (!events.offer(event)) {
                overflow.set(true);
            }
        })) {
            ObjectNode status = status(executionId);
            startStream(response);
            PrintWriter out = response.getWriter();
            send(out, "status", status);
            if (ExecutionStatus.valueOf(status.get("status").asText()).isTerminal()) {
                send(out, "end", status);
                return;
            }
            pump(out, events, overflow);
        } catch (ApiError | IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("event stream of execution " + executionId + " failed", e);
        }
    }

    /**
     * A HEAD request: the status and headers {@link #stream} starts with, no events. Answered as a GET, it would follow
     * the execution while no byte reaches the client, so a client that is gone would not be noticed.
     */
    void head(String executionId, HttpServletResponse response) throws ApiError {
        status(executionId);
        startStream(response);
    }

    private static void startStream(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("X-Accel-Buffering", "no");
    }

    private void pump(PrintWriter out, BlockingQueue<SharedEvent> events, AtomicBoolean overflow)
            throws InterruptedException, IOException {
        while (true) {
            SharedEvent shared = events.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
            if (overflow.get()) {
                send(out, "overflow", overflow());
                return;
            }
            if (shared == null || shared == PROBE) {
                out.write(": keep-alive\n\n");
                flush(out);
                continue;
            }
            ExecutionEvent event = shared.event();
            String data = shared.data(this::encode);
            write(out, event.type(), data);
            if (event instanceof ExecutionStatusEvent status && ExecutionStatusEvent.FINISHED.equals(status.type())) {
                write(out, "end", data);
                return;
            }
        }
    }

    /** The data of the {@code overflow} event that ends the stream of a client reading too slowly. */
    static ObjectNode overflow() {
        return JSON.createObjectNode().put("message", "the client read too slowly; " + BUFFER
                + " events were waiting. GET the execution for its full record");
    }

    private ObjectNode status(String executionId) throws ApiError {
        Optional<Execution> live = engine.require().find(executionId);
        if (live.isPresent()) {
            return AutonomousJson.live(live.get(), recordedDecision(executionId), masker);
        }
        Optional<ExecutionRecord> recorded = history.require().find(executionId);
        if (recorded.isEmpty()) {
            throw ApiError.notFound("no execution '" + ApiError.echo(executionId)
                    + "'; GET /api/v1/executions lists them");
        }
        ExecutionRecord record = recorded.get();
        ObjectNode status = JSON.createObjectNode().put("executionId", executionId);
        AutonomousJson.pattern(status, record.pattern(), record.decision(), record.status());
        status.put("status", record.status().name());
        if (record.status().isTerminal()) {
            status.set("result", AutonomousJson.recordedResult(record, masker));
        }
        return status;
    }

    /**
     * The decision the history recorded for the execution, which the engine's view of it does not know, else the one
     * its orchestrator still holds (a runtime without the history); null when neither has one (not decided yet,
     * forgotten, neither running).
     */
    private StrategyRecommendation recordedDecision(String executionId) {
        StrategyRecommendation recorded;
        try {
            recorded = history.require().find(executionId).map(ExecutionRecord::decision).orElse(null);
        } catch (ApiError historyNotRunning) {
            recorded = null;
        }
        return recorded != null ? recorded : AutonomousRoutes.heldDecision(orchestrator, executionId);
    }

    private void send(PrintWriter out, String type, ObjectNode data) throws IOException {
        write(out, type, masked(data));
    }

    /** An event's data, as every stream sends it ({@link SharedEvent}). */
    private String encode(ExecutionEvent event) {
        try {
            return masked(AutonomousJson.event(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Masks secrets as the history does: a viewer reading the stream sees no more than the record shows. */
    private String masked(ObjectNode data) throws JsonProcessingException {
        return masker.mask(JSON.writeValueAsString(data));
    }

    private static void write(PrintWriter out, String type, String data) throws IOException {
        out.write("event: " + type + "\ndata: " + data + "\n\n");
        flush(out);
    }

    /** A PrintWriter swallows write errors; checkError tells that the client went away. */
    private static void flush(PrintWriter out) throws IOException {
        out.flush();
        if (out.checkError()) {
            throw new IOException("the client closed the event stream");
        }
    }
}
