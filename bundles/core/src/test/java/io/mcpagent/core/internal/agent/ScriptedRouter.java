package io.mcpagent.core.internal.agent;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelChoice;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;

/** A router that answers each call with the next scripted step and records what it was asked. */
public final class ScriptedRouter implements LlmRouter {

    /** One scripted model call: sees the request, answers or throws. */
    @FunctionalInterface
    public interface Step {
        RoutedResponse answer(ChatRequest request) throws Exception;
    }

    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    final List<ModelRequirements> requirements = new CopyOnWriteArrayList<>();
    public final List<String> executionIds = new CopyOnWriteArrayList<>();
    /** The fallbacks {@link #fallbacks(String)} reports, as if the router had published them. */
    public final List<LlmFallbackEvent> fellBack = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();

    public ScriptedRouter then(Step step) {
        steps.add(step);
        return this;
    }

    public ScriptedRouter text(String text, long tokens, String cost) {
        return then(request -> answer(Message.assistant(text), StopReason.END_TURN, tokens, cost));
    }

    public ScriptedRouter tools(ToolCallPart... calls) {
        return then(request -> answer(Message.of(Role.ASSISTANT, List.<Part>of(calls)), StopReason.TOOL_CALLS, 10, "0.001"));
    }

    static RoutedResponse answer(Message message, StopReason stop, long tokens, String cost) {
        ChatResponse response = new ChatResponse("r", "m1", message, stop, stop.name(), Usage.of(tokens, 0), null,
                null, null);
        return new RoutedResponse(response, "p1", "m1", new BigDecimal(cost), 1);
    }

    static Message withText(String text, ToolCallPart call) {
        return Message.of(Role.ASSISTANT, List.of(TextPart.of(text), call));
    }

    @Override
    public RoutedResponse route(ChatRequest request, ModelRequirements req, String executionId, StreamHandler handler) {
        requests.add(request);
        requirements.add(req);
        executionIds.add(executionId);
        Step step = steps.poll();
        if (step == null) {
            throw new AssertionError("the model was called more often than scripted");
        }
        try {
            return step.answer(request);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What no model has: {@link #select} finds none for requirements naming one of them. */
    final Set<ModelCapability> missing = EnumSet.noneOf(ModelCapability.class);

    @Override
    public ModelChoice select(ModelRequirements requirements) {
        if (requirements.capabilities().stream().anyMatch(missing::contains)) {
            throw new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND, "no model fits "
                    + requirements.capabilities()));
        }
        return new ModelChoice("p1", "m1", "scripted");
    }

    @Override
    public RoutedResponse routeForTenant(ChatRequest request, ModelRequirements requirements, String tenant,
                                         StreamHandler handler) {
        throw new UnsupportedOperationException("agents call the model for their execution");
    }

    @Override
    public ChatResponse chat(ChatRequest request, ModelRequirements requirements, String executionId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ChatResponse stream(ChatRequest request, ModelRequirements requirements, String executionId,
                               StreamHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public UsageSummary usage(String executionId) {
        return UsageSummary.NONE;
    }

    @Override
    public List<LlmFallbackEvent> fallbacks(String executionId) {
        return fellBack.stream().filter(f -> f.executionId().equals(executionId)).toList();
    }

    @Override
    public Map<String, UsageSummary> usageByProvider() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, UsageSummary> usageByProvider(String tenant) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> circuits() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, ProviderRefusal> rankedLast() {
        throw new UnsupportedOperationException();
    }
}
