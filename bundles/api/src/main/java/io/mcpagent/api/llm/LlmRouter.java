package io.mcpagent.api.llm;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's way to call models: chooses a provider instance and model for the requirements, falls back along
 * the chain on retryable failures and open circuits (a circuit breaker per provider instance), and records usage
 * and cost per call, summed per execution. Providers are looked up for every call, so a provider bundle removed
 * meanwhile fails only the calls in flight and the next ones go elsewhere. Scripted providers are used only
 * when pinned by id or named in the fallback chain. A call naming no provider that no provider the router would
 * choose by itself fits goes along the chain too (since 1.21), as one whose first choice failed.
 */
@ProviderType
public interface LlmRouter {

    /**
     * The best fitting provider and model now, where a call with these requirements would go; a
     * {@link ProviderException} of category NOT_FOUND when none fits. When open circuits are all that stand in the way
     * (of a pinned provider, say), that is the fallback chain's first provider that fits, as a call goes there; its
     * reason names the provider left out (since 1.17; before, nothing was found). So it is for requirements naming no
     * provider that no provider the router would choose by itself fits, its reason saying why (since 1.21). When
     * nothing fits and open circuits are all that stand in the way, the NOT_FOUND's {@link ProviderError#retryAfter()}
     * is the time until the first of them half-opens (since 1.22; null otherwise), as a plan blocked by them passes.
     */
    ModelChoice select(ModelRequirements requirements);

    /** {@code executionId} groups usage (may be null). The response's model says which model answered. */
    ChatResponse chat(ChatRequest request, ModelRequirements requirements, String executionId);

    /** Streaming; falls back only before the first event reached the handler. */
    ChatResponse stream(ChatRequest request, ModelRequirements requirements, String executionId, StreamHandler handler);

    /**
     * The call behind {@link #chat} and {@link #stream} (streaming when {@code handler} is not null), saying which
     * provider and model answered and what the answer cost; callers that keep budgets use this.
     */
    RoutedResponse route(ChatRequest request, ModelRequirements requirements, String executionId, StreamHandler handler);

    /**
     * {@link #route} for a call outside any execution that {@code tenant} makes, such as a chat with one provider over
     * the REST API or in the shell: its usage counts in {@link #usageByProvider(String) that tenant's usage} as well as
     * in {@link #usageByProvider()} (since 1.6).
     *
     * @param tenant the caller's tenant ({@code Principal.tenant()}); not null
     */
    RoutedResponse routeForTenant(ChatRequest request, ModelRequirements requirements, String tenant,
                                  StreamHandler handler);

    UsageSummary usage(String executionId);

    /**
     * The fallbacks of the model calls of {@code executionId}, in the order they happened ({@code llm.fallback} events
     * as published): its result can then say that part of it comes from another provider than the one chosen first.
     * Kept as long as the execution's usage; empty for none, or for a null id (since 1.4).
     */
    List<LlmFallbackEvent> fallbacks(String executionId);

    /**
     * Whether a model call of {@code executionId} failed because its request was too long (CONTEXT_LENGTH) for the
     * model it went to and no fitting model of a larger context window was left (since 1.16): the same request cannot
     * succeed, so whoever would send it again (another workflow pattern with the same task) should not. False for a
     * null id, for an execution without such a call, and by default.
     */
    default boolean requestTooLong(String executionId) {
        return false;
    }

    /** Usage since the router started, by provider id: every tenant's, and the calls outside executions. */
    Map<String, UsageSummary> usageByProvider();

    /**
     * The usage of {@code tenant}'s calls since the router started, by provider id (since 1.5). A call counts for
     * the tenant its execution runs for, as the execution's {@code execution.started} event names it (calls made for
     * the execution before, such as its analysis, included); a call outside executions counts for the tenant it was
     * made for through {@link #routeForTenant} (since 1.6), and for no tenant when made without one. Empty for a tenant
     * without calls.
     */
    Map<String, UsageSummary> usageByProvider(String tenant);

    /** Circuit state per provider id: {@code closed}, {@code open} or {@code half-open}. */
    Map<String, String> circuits();

    /**
     * The registered providers ranked last because a call to them was refused (AUTH, PERMISSION, QUOTA_EXHAUSTED), by
     * provider id; one leaves once a call to it succeeds or it is registered anew (its configuration changed).
     */
    Map<String, ProviderRefusal> rankedLast();
}
