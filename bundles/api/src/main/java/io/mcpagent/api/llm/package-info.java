/**
 * The provider-neutral chat model and the {@link io.mcpagent.api.llm.LlmProvider} SPI. JSON values (schemas, tool arguments, raw provider bodies) travel as JSON text so that this API depends on no JSON library; providers keep the exact text they received.
 * {@link io.mcpagent.api.llm.LlmRouter#fallbacks(String)}, the fallbacks of an execution's model calls (1.4).
 * {@link io.mcpagent.api.llm.LlmRouter#usageByProvider(String)}, the usage of one tenant's executions (1.5).
 * {@link io.mcpagent.api.llm.LlmRouter#routeForTenant}, a call outside executions that counts in its tenant's usage
 * (1.6).
 * {@link io.mcpagent.api.llm.ModelInfo#cacheReadPricePerMillion()} and
 * {@link io.mcpagent.api.llm.ModelInfo#cacheWritePricePerMillion()}, the prices of cached input tokens (1.7).
 * {@link io.mcpagent.api.llm.Usage#counted()}, a usage as the platform counts it, each count within 0 to
 * {@link io.mcpagent.api.llm.Usage#MAX_COUNTED_TOKENS} (1.8).
 * {@link io.mcpagent.api.llm.Usage#cacheWrite1hTokens()} and
 * {@link io.mcpagent.api.llm.ModelInfo#cacheWrite1hPricePerMillion()}, the cache writes kept one hour and their price
 * (1.9).
 * {@link io.mcpagent.api.llm.PriceTier} and {@link io.mcpagent.api.llm.ModelInfo#priceTiers()}, a model's prices for
 * longer prompts (1.10).
 * {@link io.mcpagent.api.llm.Usage#totalTokens()} counts {@link io.mcpagent.api.llm.Usage#toolPromptTokens()}, so
 * token budgets count every billed token (1.11, a behaviour change).
 * {@link io.mcpagent.api.llm.Usage#counted()} keeps {@link io.mcpagent.api.llm.Usage#cacheWrite1hTokens()} within the
 * cache writes (1.12, a behaviour change).
 * {@link io.mcpagent.api.llm.ChatRequest#maxRetryWait()}, the longest wait before a retry the caller accepts: a provider
 * that would wait longer fails at once, so that the router falls back to another provider without waiting (1.13).
 * {@link io.mcpagent.api.llm.ProviderException#billed()}, the usage a provider billed for a call that failed after
 * its answer reported it, which the router counts (1.14).
 * {@link io.mcpagent.api.llm.LlmFallbackEvent#duration()}, how long the call that failed took before the router fell
 * back, zero for a provider skipped for its open circuit (1.15).
 * {@link io.mcpagent.api.llm.LlmRouter#requestTooLong(String)}, whether an execution's request was too long for every
 * model that could take it (1.16).
 * {@link io.mcpagent.api.llm.LlmRouter#select} chooses where a call would go when open circuits are all that stand in
 * the way: the fallback chain's provider (1.17, a behaviour change: it found nothing).
 * {@link io.mcpagent.api.llm.RoutedResponse#billedUsage()} and {@link io.mcpagent.api.llm.RoutedResponse#billedCost()},
 * what a routed call billed in all, its failed attempts included (1.18).
 * {@link io.mcpagent.api.llm.ProviderException#billedCost()}: the exception a routed call fails with carries what the
 * whole call billed ({@link io.mcpagent.api.llm.ProviderException#billed()}) and its cost (1.19).
 * {@link io.mcpagent.api.llm.ProviderException#billedText()}: what a failed call billed, in words for the messages that
 * report it (1.20).
 * {@link io.mcpagent.api.llm.LlmRouter} sends a call naming no provider along the fallback chain when no provider it
 * would choose by itself fits (only scripted ones are left, say), and {@code select} answers that chain's provider
 * (1.21, a behaviour change: such a call failed NOT_FOUND).
 * {@link io.mcpagent.api.llm.LlmRouter#select}'s NOT_FOUND carries the time until the first open circuit half-opens
 * when open circuits are all that stand in the way (1.22).
 * {@link io.mcpagent.api.llm.JsonAnswers}: asking for JSON of a schema in an instruction where no model with
 * structured output fits, and reading the answer out of its code fence (1.22).
 * {@code ProviderError.messageWithout}, a message without the provider's name it begins with (1.23).
 */
@Version("1.23.0")
@Export
package io.mcpagent.api.llm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
