package io.mcpagent.analyzer.llm.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelChoice;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;

/** An {@link LlmRouter} that records every routed call and answers with what the test's {@link Responder} gives. */
final class FakeLlmRouter implements LlmRouter {
    static final String PROVIDER = "fake-provider";
    static final String MODEL = "fake-model";

    /** One call the analyzer made. */
    record Call(ChatRequest request, ModelRequirements requirements, String executionId) {
    }

    /** Answers a call: returns a response or throws, as a router would. */
    @FunctionalInterface
    interface Responder {
        RoutedResponse answer(Call call) throws Exception;
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Responder responder;

    FakeLlmRouter(Responder responder) {
        this.responder = responder;
    }

    /** A router whose model answers {@code text}, ending its turn normally. */
    static FakeLlmRouter answering(String text) {
        return new FakeLlmRouter(call -> answer(text, StopReason.END_TURN));
    }

    static RoutedResponse answer(String text, StopReason stopReason) {
        ChatResponse response = new ChatResponse("resp-1", MODEL, Message.assistant(text), stopReason, null,
                Usage.of(900, 80), null, null, null);
        return new RoutedResponse(response, PROVIDER, MODEL, null, 1);
    }

    void respondWith(Responder next) {
        responder = next;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    Call onlyCall() {
        if (calls.size() != 1) {
            throw new AssertionError("expected one call, got " + calls.size());
        }
        return calls.get(0);
    }

    @Override
    public RoutedResponse route(ChatRequest request, ModelRequirements requirements, String executionId,
                                StreamHandler handler) {
        if (handler != null) {
            throw new AssertionError("the analyzer must not stream");
        }
        Call call = new Call(request, requirements, executionId);
        calls.add(call);
        try {
            return responder.answer(call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public RoutedResponse routeForTenant(ChatRequest request, ModelRequirements requirements, String tenant,
                                         StreamHandler handler) {
        throw new UnsupportedOperationException("the analyzer calls the model for its execution");
    }

    @Override
    public ChatResponse chat(ChatRequest request, ModelRequirements requirements, String executionId) {
        return route(request, requirements, executionId, null).response();
    }

    /** What no model has: {@link #select} finds none for requirements naming one of them. */
    final Set<ModelCapability> missing = EnumSet.noneOf(ModelCapability.class);

    /** Where a call would go: the fake provider's model, unless the requirements name what no model has. */
    @Override
    public ModelChoice select(ModelRequirements requirements) {
        if (requirements.capabilities().stream().anyMatch(missing::contains)) {
            throw new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND, "no model fits "
                    + requirements.capabilities()));
        }
        return new ModelChoice(PROVIDER, MODEL, "the fake's only model");
    }

    @Override
    public ChatResponse stream(ChatRequest request, ModelRequirements requirements, String executionId,
                               StreamHandler handler) {
        throw new UnsupportedOperationException("the analyzer does not stream");
    }

    @Override
    public UsageSummary usage(String executionId) {
        throw new UnsupportedOperationException("the analyzer does not read usage");
    }

    @Override
    public List<LlmFallbackEvent> fallbacks(String executionId) {
        throw new UnsupportedOperationException("the analyzer does not read fallbacks");
    }

    @Override
    public Map<String, UsageSummary> usageByProvider() {
        throw new UnsupportedOperationException("the analyzer does not read usage");
    }

    @Override
    public Map<String, UsageSummary> usageByProvider(String tenant) {
        throw new UnsupportedOperationException("the analyzer does not read usage");
    }

    @Override
    public Map<String, String> circuits() {
        throw new UnsupportedOperationException("the analyzer does not read circuits");
    }

    @Override
    public Map<String, ProviderRefusal> rankedLast() {
        throw new UnsupportedOperationException("the analyzer does not read refusals");
    }
}
