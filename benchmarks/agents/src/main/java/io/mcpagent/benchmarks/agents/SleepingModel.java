package io.mcpagent.benchmarks.agents;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;

/**
 * An in-process model (no sockets): every call sleeps {@code latency} (none when zero) on the calling thread, then asks for
 * {@code get_weather} when the request offers tools and holds no tool result yet, else answers with the final text.
 * For the memory measurement a gate can hold every call of one index (1 = first, 2 = after the tool) instead of
 * sleeping, counting the calls waiting at it.
 */
final class SleepingModel implements LlmProvider {
    static final ModelInfo MODEL = new ModelInfo(Weather.MODEL, EnumSet.of(ModelCapability.TOOLS, ModelCapability.STREAMING),
            1_047_576, new BigDecimal("0.40"), new BigDecimal("1.60"));

    private final Duration latency;
    private volatile CountDownLatch gate;
    private volatile int gatedCall;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    SleepingModel(Duration latency) {
        this.latency = latency;
    }

    /** From now on, calls number {@code call} wait until {@link #open()} instead of sleeping. */
    void close(int call) {
        waiting.set(0);
        gatedCall = call;
        gate = new CountDownLatch(1);
    }

    /** Lets every waiting call go on (after its usual sleep is skipped) and removes the gate. */
    void open() {
        CountDownLatch held = gate;
        gate = null;
        gatedCall = 0;
        if (held != null) {
            held.countDown();
        }
    }

    int waiting() {
        return waiting.get();
    }

    int calls() {
        return calls.get();
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(MODEL);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        calls.incrementAndGet();
        List<Message> messages = request.messages();
        boolean toolResult = !messages.isEmpty() && messages.get(messages.size() - 1).role() == Role.TOOL;
        int call = toolResult ? 2 : 1;
        try {
            CountDownLatch held = gate;
            if (held != null && gatedCall == call) {
                waiting.incrementAndGet();
                held.await();
            } else if (!latency.isZero()) {
                Thread.sleep(latency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderError.of(ProviderError.Category.CANCELLED, "call cancelled"));
        }
        if (!toolResult && !request.tools().isEmpty()) {
            return new ChatResponse("r-1", request.model(), Message.of(Role.ASSISTANT,
                    List.of(ToolCallPart.of("call-1", Weather.TOOL, Weather.TOOL_ARGUMENTS))), StopReason.TOOL_CALLS,
                    "tool_calls", Usage.of(61, 15), null, null, null);
        }
        return new ChatResponse("r-2", request.model(), Message.assistant(Weather.ANSWER), StopReason.END_TURN, "stop",
                Usage.of(92, 12), null, null, null);
    }
}
