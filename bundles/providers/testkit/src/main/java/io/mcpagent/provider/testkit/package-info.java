/**
 * The test kit for {@link io.mcpagent.api.llm.LlmProvider} implementations: the contracts
 * ({@link io.mcpagent.provider.testkit.LlmProviderContract}, and {@link io.mcpagent.provider.testkit.ApiKeyContract}
 * for providers keyed by {@code apiKeyEnv} and {@code apiKeyFile}) to extend with a
 * {@link io.mcpagent.provider.testkit.WireFake} of your vendor's server, and what such fakes and wire tests share:
 * {@link io.mcpagent.provider.testkit.FakeHttpServer}, {@link io.mcpagent.provider.testkit.RawHttpServer} and
 * {@link io.mcpagent.provider.testkit.ConfigAnnotations}; and {@link io.mcpagent.provider.testkit.ContentBound}, the
 * tests of a stream's content bound (1.3.0); the contract's tests of a request's
 * {@link io.mcpagent.api.llm.ChatRequest#maxRetryWait()}, a rate limit's longer wait not waited out (1.4.0); the contract's test of a server not reached, after which the
 * health is DEGRADED naming the failure (1.5.0); the contract's test of a malformed success answer, a retryable SERVER
 * error carrying what it billed, with {@code WireFake.enqueueMalformedAnswer}, and of a stream broken off after it reported usage, which reaches the
 * handler before the failure, with {@code WireFake.enqueueStreamCutAfterUsage} (1.6.0); both tests skipped, with the
 * reason, for a fake that does not implement the method they ask for (1.7.0).
 * {@code WireFake.enqueueMalformedAnswerHolding} and the contract test that a malformed answer, plain or streamed, is
 * kept in its error with the key masked (1.8.0). The missing-key contract test is skipped with its reason for a provider
 * that needs no key, where it passed without asserting anything (1.8.0).
 * {@code WireFake.enqueueMalformedEventAfterText} and its contract test: a malformed stream event after content has
 * streamed, not only a bad first event (1.9.0); the contract test of a web page answering at a wrong base URL, with
 * {@code RawHttpServer.answeringEveryRequest} (1.9.0); that test covers a streamed call too, and the provider's health
 * after either, DEGRADED naming {@code baseUrl} (1.10.0).
 * {@code WireFake.enqueuePlainAnswer} and {@code enqueueTextThenSilence} and the contract tests of an error before a
 * stream starts, a plain answer to a streamed call, an interrupted stream, a late answer and a silent stream, which
 * each provider bundle's own tests repeated; {@code LlmProviderContract.createProvider} with a request timeout (1.11.0).
 * {@link io.mcpagent.provider.testkit.ProviderComponentContract}, what a family's component owes for its factory
 * configurations, and the contract tests of a proxy's error page and a success answer cut short, which each provider
 * bundle's own tests repeated (1.12.0).
 * The contract test of a success answer cut short asks for the one wording, {@code the answer is not JSON (...)}
 * (1.13.0).
 * The component contract asks a misconfigured provider's health for the support bundle's words, which its log line
 * ends with, and for its description to be the same (1.14.0).
 * {@code ProviderComponentContract.holdsSecrets}, for a family whose plugins hold no secret and register no secret
 * holder, such as the scripted provider (1.15.0).
 * {@code ProviderComponentContract} asks that a configuration with mistakes saved in the Web Console (no file in etc/)
 * is named by where it comes from, not by a file (1.16.0).
 * {@code ProviderComponentContract.activateConfiguration}, a configuration of any PID, with which the contract asks
 * that one made in the Web Console (a generated PID) is the plugin its {@code id} names, refused without one, and one
 * whose PID and {@code id} name two plugins is refused naming both (1.17.0); a family that does not override it skips
 * those tests.
 * {@code ProviderComponentContract} asks that a provider id paths and commands cannot address (a blank, a '/'), a
 * file's or an {@code id} set in the Web Console, refuses the configuration naming the rule (1.18.0).
 * The contract test of a proxy's error page asks for the page by its title, on one line (1.19.0).
 * {@code ProviderComponentContract} asks that a plugin DOWN though its configuration is not refused (its key
 * variable unset) is a problem naming why while it is DOWN, and one UP is none (1.20.0).
 */
@Version("1.20.0")
@Export
package io.mcpagent.provider.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
