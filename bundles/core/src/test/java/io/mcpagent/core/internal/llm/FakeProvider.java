package io.mcpagent.core.internal.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * A provider whose answers are queued behaviours (the last one repeats); by default it answers "from &lt;id&gt;".
 * It records the model of every request it gets, and the longest wait before a retry each accepted.
 */
final class FakeProvider implements LlmProvider {
    /** What one call does; may throw. */
    interface Behaviour {
        ChatResponse answer(FakeProvider self, ChatRequest request, StreamHandler handler);
    }

    private final String id;
    private final List<ModelInfo> models;
    private final Deque<Behaviour> behaviours = new ArrayDeque<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** The {@link ChatRequest#maxRetryWait()} of every request, null for none. */
    final List<Duration> retryWaits = new CopyOnWriteArrayList<>();
    volatile PluginHealth health = PluginHealth.up();
    volatile Usage usage = Usage.of(1000, 500);
    /** Thrown by {@link #models()} when set: a third party's provider failing to list its models. */
    volatile Error modelsFailure;

    FakeProvider(String id, ModelInfo... models) {
        this.id = id;
        this.models = Collections.unmodifiableList(Arrays.asList(models)); // a null entry too
    }

    String id() {
        return id;
    }

    static ModelInfo model(String id, String input, String output, ModelCapability... capabilities) {
        return model(id, 128_000, input, output, capabilities);
    }

    static ModelInfo model(String id, int contextWindow, String input, String output, ModelCapability... capabilities) {
        EnumSet<ModelCapability> caps = EnumSet.noneOf(ModelCapability.class);
        caps.addAll(List.of(capabilities));
        return new ModelInfo(id, caps, contextWindow, input == null ? null : new BigDecimal(input),
                output == null ? null : new BigDecimal(output));
    }

    synchronized FakeProvider then(Behaviour behaviour) {
        behaviours.addLast(behaviour);
        return this;
    }

    FakeProvider failing(ProviderError.Category category) {
        return then((self, request, handler) -> {
            throw new ProviderException(ProviderError.of(category, id + " says " + category));
        });
    }

    FakeProvider answering() {
        return answeringAfter(() -> { });
    }

    /** The default answer (streamed when asked to stream) after {@code before} ran, e.g. to move a clock. */
    FakeProvider answeringAfter(Runnable before) {
        return then((self, request, handler) -> {
            before.run();
            return handler == null ? self.answer(request) : self.streamDefault(request, handler);
        });
    }

    ChatResponse answer(ChatRequest request) {
        return new ChatResponse("r-" + id, request.model(), Message.assistant("from " + id), StopReason.END_TURN,
                "stop", usage, null, null, null);
    }

    private synchronized Behaviour next() {
        return behaviours.size() > 1 ? behaviours.removeFirst() : behaviours.peekFirst();
    }

    private ChatResponse run(ChatRequest request, StreamHandler handler) {
        calls.add(request.model());
        retryWaits.add(request.maxRetryWait());
        Behaviour behaviour = next();
        if (behaviour == null) {
            return handler == null ? answer(request) : streamDefault(request, handler);
        }
        return behaviour.answer(this, request, handler);
    }

    @Override
    public List<ModelInfo> models() {
        if (modelsFailure != null) {
            throw modelsFailure;
        }
        return models;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return run(request, null);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        return run(request, handler);
    }

    /** For stream behaviours that want the interface's default streaming of the default answer. */
    ChatResponse streamDefault(ChatRequest request, StreamHandler handler) {
        return new LlmProvider() {
            @Override
            public List<ModelInfo> models() {
                return models;
            }

            @Override
            public ChatResponse chat(ChatRequest r) {
                return answer(r);
            }
        }.stream(request, handler);
    }

    @Override
    public PluginHealth health() {
        return health;
    }

    @Override
    public String toString() {
        return "FakeProvider[" + id + "]";
    }
}
