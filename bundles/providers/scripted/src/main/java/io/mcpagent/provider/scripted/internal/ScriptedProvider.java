package io.mcpagent.provider.scripted.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * Replays a {@link Script}: each call takes the next response, whatever the request says. After the last one it
 * starts again when {@code loop} is set, else every further call fails with INVALID_REQUEST "script exhausted".
 * A provider built from a broken script stays registered, DOWN with the problem named, and refuses every call.
 * Once removed ({@link #close()}) it answers no more: the calls waiting their delay end at once, failing as a real
 * provider's calls fail when its component closes its client, so an execution is not kept waiting for a provider gone.
 */
final class ScriptedProvider implements LlmProvider {
    /** Text and tool-call arguments are streamed in this many pieces (fewer when shorter). */
    static final int PIECES = 3;
    private static final String WHY_REMOVED = "(its configuration was deleted or changed, or its bundle stopped)";

    private final String id;
    private final Script script;
    private final boolean loop;
    private final String problem;
    private final List<ModelInfo> models;
    /** Counted down when the provider is removed: ends the delays of the calls under way. */
    private final CountDownLatch removed = new CountDownLatch(1);
    private int next; // guarded by this
    private long calls; // guarded by this

    private ScriptedProvider(String id, Script script, boolean loop, String problem) {
        this.id = id;
        this.script = script;
        this.loop = loop;
        this.problem = problem;
        // Every capability, an unknown (0) context window and no price: a script can play any model. Without a
        // script it serves none, as no provider family's misconfigured instance does.
        this.models = script == null ? List.of() : List.of(new ModelInfo(script.model(),
                EnumSet.allOf(ModelCapability.class), 0, BigDecimal.ZERO, BigDecimal.ZERO));
    }

    ScriptedProvider(String id, Script script, boolean loop) {
        this(id, script, loop, null);
    }

    /** A provider that explains {@code problem} in its health and in every call's error. */
    static ScriptedProvider broken(String id, String problem) {
        return new ScriptedProvider(id, null, false, problem);
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public synchronized PluginHealth health() {
        if (problem != null) {
            return PluginHealth.down(problem);
        }
        if (!loop && next >= script.responses().size()) {
            return PluginHealth.degraded("script exhausted: all " + script.responses().size() + " responses of "
                    + script.source() + " were replayed; reconfigure the provider to start again, or set loop to true");
        }
        return PluginHealth.up();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Turn turn = pause(take());
        if (turn.response().error() != null) {
            throw failed(turn.response());
        }
        return answer(turn);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        Turn turn = pause(take());
        if (turn.response().error() != null) {
            // a failure the script says was billed reports its usage before the error, as a stream cut off after
            // its usage does: the router bills the usage a stream reported last
            if (!Usage.NONE.equals(turn.response().usage())) {
                handler.onEvent(new StreamEvent.UsageUpdate(turn.response().usage()));
            }
            handler.onEvent(new StreamEvent.StreamError(turn.response().error()));
            throw failed(turn.response());
        }
        ChatResponse response = answer(turn);
        emit(handler, new StreamEvent.MessageStart(response.id(), response.model()));
        int block = 0;
        for (Part part : response.message().parts()) {
            if (part instanceof TextPart text) {
                for (String piece : pieces(text.text())) {
                    emit(handler, new StreamEvent.TextDelta(block, piece));
                }
                emit(handler, new StreamEvent.BlockEnd(block++));
            } else if (part instanceof ToolCallPart call) {
                emit(handler, new StreamEvent.ToolCallStart(block, call.callId(), call.name()));
                for (String piece : pieces(call.argumentsJson())) {
                    emit(handler, new StreamEvent.ToolCallArgsDelta(block, piece));
                }
                emit(handler, new StreamEvent.ToolCallEnd(block++));
            }
        }
        emit(handler, new StreamEvent.UsageUpdate(response.usage()));
        emit(handler, new StreamEvent.MessageEnd(response.stopReason(), response.rawStopReason()));
        return response;
    }

    private record Turn(long call, ScriptedResponse response) {
    }

    /** Its component's deactivation: the provider was unregistered, and answers no more calls. */
    void close() {
        removed.countDown();
    }

    private synchronized Turn take() {
        if (Thread.currentThread().isInterrupted()) {
            throw new ProviderException(cancelled());
        }
        if (removed.getCount() == 0) {
            throw new ProviderException(ProviderError.of(ProviderError.Category.SERVER, "scripted provider '" + id
                    + "' was removed " + WHY_REMOVED + ": it answers no more calls"));
        }
        if (problem != null) {
            throw new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST,
                    "scripted provider '" + id + "' is " + problem));
        }
        List<ScriptedResponse> responses = script.responses();
        if (next >= responses.size()) {
            if (!loop) {
                throw new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST,
                        "script exhausted: scripted provider '" + id + "' has replayed all " + responses.size()
                                + " responses of " + script.source() + "; add responses or set loop to true"));
            }
            next = 0;
        }
        return new Turn(++calls, responses.get(next++));
    }

    /**
     * Plays a slow model: waits the response's delay outside the lock, so that calls overlap as real ones do, and ends
     * the wait when the provider is removed.
     */
    private Turn pause(Turn turn) {
        if (turn.response().delayMillis() > 0) {
            try {
                if (removed.await(turn.response().delayMillis(), TimeUnit.MILLISECONDS)) {
                    throw new ProviderException(ProviderError.of(ProviderError.Category.SERVER, "scripted provider '"
                            + id + "' was removed during the call " + WHY_REMOVED));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(cancelled());
            }
        }
        return turn;
    }

    private ChatResponse answer(Turn turn) {
        ScriptedResponse scripted = turn.response();
        List<Part> parts = new ArrayList<>();
        if (scripted.text() != null) {
            parts.add(TextPart.of(scripted.text()));
        }
        List<ScriptedResponse.ToolCall> toolCalls = scripted.toolCalls();
        for (int i = 0; i < toolCalls.size(); i++) {
            ScriptedResponse.ToolCall call = toolCalls.get(i);
            String callId = call.id() != null ? call.id() : "call_" + turn.call() + "_" + (i + 1);
            parts.add(ToolCallPart.of(callId, call.name(), call.argumentsJson()));
        }
        boolean calling = !toolCalls.isEmpty();
        return new ChatResponse("scripted-" + id + "-" + turn.call(), script.model(),
                new Message(Role.ASSISTANT, parts, null, Map.of()), calling ? StopReason.TOOL_CALLS : StopReason.END_TURN,
                calling ? "tool_calls" : "end_turn", scripted.usage(), null, null, scripted.rawJson());
    }

    /** A scripted error, carrying the script's usage as what the failed call billed (none when it gives none). */
    private static ProviderException failed(ScriptedResponse response) {
        return new ProviderException(response.error(), null, response.usage());
    }

    /** Checks for cancellation between events, as a real stream would between chunks. */
    private static void emit(StreamHandler handler, StreamEvent event) {
        if (Thread.currentThread().isInterrupted()) {
            ProviderError error = cancelled();
            handler.onEvent(new StreamEvent.StreamError(error));
            throw new ProviderException(error);
        }
        handler.onEvent(event);
    }

    private static ProviderError cancelled() {
        return ProviderError.of(ProviderError.Category.CANCELLED, "the call was cancelled (the calling thread was interrupted)");
    }

    /** Splits text into up to {@link #PIECES} pieces of about equal length, never inside a surrogate pair. */
    static List<String> pieces(String text) {
        int codePoints = text.codePointCount(0, text.length());
        int count = Math.max(1, Math.min(PIECES, codePoints));
        List<String> pieces = new ArrayList<>(count);
        int start = 0;
        for (int i = 1; i <= count; i++) {
            int end = i == count ? text.length() : text.offsetByCodePoints(0, codePoints * i / count);
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }
}
