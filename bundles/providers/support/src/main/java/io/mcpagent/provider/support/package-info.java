/**
 * Shared plumbing of the LLM provider bundles: {@link io.mcpagent.provider.support.ProviderHttp} (calls with
 * capped exponential backoff and jitter honouring {@code retry-after}, {@code retry-after-ms} and
 * {@code x-should-retry}), the stream decoders ({@link io.mcpagent.provider.support.SseDecoder},
 * {@link io.mcpagent.provider.support.NdjsonDecoder}, {@link io.mcpagent.provider.support.EventStreamDecoder}),
 * {@link io.mcpagent.provider.support.StreamAssembler}, rate-limit headers, API keys and model specs; and what every
 * provider instance repeats around its wire format: its {@link io.mcpagent.provider.support.ProviderSetup}
 * (settings, key, DOWN with the problem named), its {@link io.mcpagent.provider.support.ProviderClient},
 * {@link io.mcpagent.provider.support.ConfigProblems} for checking its configuration, and its
 * {@link io.mcpagent.provider.support.ProviderServiceProperties} and
 * {@link io.mcpagent.provider.support.ProviderRegistration} as a plugin service; and
 * {@link io.mcpagent.provider.support.ShownUrl}, a configured URL as readers may see it (2.4, with
 * {@code ConfigProblems.isEmpty}; the key as a {@code SecretHolder} through {@code ApiKeys.secretValues} and
 * {@code ProviderRegistration.register} with a holder). 2.5: {@link io.mcpagent.provider.support.StreamEventTooLargeException},
 * a stream event over the decoder's limit, which {@code ProviderHttp.streamFailure} makes an answer too large.
 * 2.6: {@link io.mcpagent.provider.support.MediaSignatures} (the mime type of media sent without one) and
 * {@link io.mcpagent.provider.support.RequestJson} (JSON carried from earlier turns, tool arguments as an object).
 * 2.7: {@link io.mcpagent.provider.support.AccountHealth} (DEGRADED after the vendor refused the account, until a call
 * succeeds) and {@code ProviderClient.health}. 2.8: {@code StreamEventTooLargeException.streamLongerThan}, the error of a
 * streamed answer longer in all than {@code ProviderHttp.open} reads (64 MiB); {@code RetryHeaders.LONGEST_HINT} and
 * {@code RetryHeaders.hint}, retry hints without garbage and at most a day; {@code SseDecoder} with a longest time between
 * events, and {@link io.mcpagent.provider.support.StreamWithoutEventsException} when a stream sends only comments.
 * 2.9: {@link io.mcpagent.provider.support.AnswerText}, an answer's text field that is no string as a malformed answer.
 * 2.10: {@link io.mcpagent.provider.support.StreamProgress}, when a stream last brought content, which an
 * {@code SseDecoder} or {@code EventStreamDecoder} given one bounds: events without content end a stream as comments do.
 * 2.11: {@code StreamProgress.MAX_CONTENT_CHARS} and {@link io.mcpagent.provider.support.StreamContentTooLongException}:
 * a stream whose adapter keeps more than 16 Mi characters of content (text, reasoning, tool calls, signatures) ends as
 * an answer too large; {@code StreamProgress.kept} and {@code blockKept} count what an adapter keeps back.
 * 2.12: {@code StreamProgress.valueKept}, a JSON value kept as received (a part, a citation), which counts 128
 * characters besides its text.
 * 2.13: {@code ProviderHttp.send} and {@code open} and {@code ProviderClient.send} and {@code open} with a
 * {@code maxRetryWait}, the longest wait before a retry in place the caller accepts
 * ({@link io.mcpagent.api.llm.ChatRequest#maxRetryWait()}): a longer one fails the call at once with the retryable
 * error.
 * Also 2.13: {@code ProviderRegistration.register} with the refusal of the configuration, which it registers as a
 * {@code ProblemReporter} beside the provider ({@code ProviderRegistration.refusalOf} words it), and
 * {@code ProviderSetup.configurationProblem}, what is wrong with the configuration without the key; a call failing on I/O
 * throws with the {@code IOException} as cause, from which {@code AccountHealth} (and so {@code ProviderClient.health})
 * tells a call that reached no server, DEGRADED until a call succeeds.
 * 2.14: {@link io.mcpagent.provider.support.MalformedAnswers}, the one error of a success answer a provider cannot use
 * (SERVER, status 200, retryable).
 * 2.15: {@code MalformedAnswers.error} with the provider's secrets, masked in the answer's body before it is cut.
 * 2.16: the four-argument {@code MalformedAnswers.error}, without secrets, deprecated (kept: its removal would be 3.0);
 * {@code MalformedAnswers.requireJson}, a plain answer that is not JSON at all a configuration error naming baseUrl.
 * 2.17: {@link io.mcpagent.provider.support.NotTheApiException}, the failure of a page answered instead of the API,
 * plain or streamed, which {@code AccountHealth} remembers (DEGRADED naming baseUrl until a call succeeds);
 * {@code ProviderHttp.requireStream} with the API and the secrets, whose refusal of a page names baseUrl in the words
 * of {@code MalformedAnswers.requireJson} and masks the key (the three-argument one deprecated);
 * {@code ProviderClient.requireJson} and {@code requireStream} with the API, which note a page in its health;
 * {@code MalformedAnswers.streamCutOff}, the one error of a stream that ended before its answer did.
 * 2.18: {@link io.mcpagent.provider.support.SseProvider}, the base of a provider family answering JSON or server-sent
 * events: what its instances repeat around the wire format (setup, client, health, the steps of a plain and a streamed
 * call).
 * 2.19: {@link io.mcpagent.provider.support.ProviderPlugin}, what a family's component registers for its configuration
 * (the provider, its secrets, its refusal) and undoes, of a {@code ProviderPlugin.Instance}, which {@code SseProvider}
 * now is; {@code SseEvent.jsonObject}, a stream event's data as a JSON object or the family's malformed-event error.
 * 2.20: {@code ProviderPlugin.register} with the family's own service properties (OpenAI's, with its dialect).
 * 2.21: {@code MalformedAnswers.notJson}, the one wording of an answer or a stream event the parser refused.
 * 2.22: {@code SseProvider} with the family's request ids (from several headers) and event bound, and
 * {@code SseProvider.StreamedAnswer.ended}, an answer that ends before its stream does (OpenAI's {@code [DONE]}).
 * 2.23: a configuration with mistakes is named by where it comes from ({@code ConfigurationOrigins}: its file in etc/,
 * or Configuration Admin for one saved in the Web Console), not always by a file: {@code ProviderSetup.locate}, which
 * {@code ProviderPlugin.register} calls; {@code ProviderRegistration.refusalOf} with the origin (the two-argument one,
 * naming the file, deprecated); {@code ProviderServiceProperties.configurationPid}, also that of a configuration the
 * Web Console made ({@code <factoryPid>.<uuid>}).
 * 2.24: {@link io.mcpagent.provider.support.AnswerJson}, an answer's usage counters by dotted path (a fraction rounded)
 * and a part of it as JSON text, which four families each held a copy of; {@code HttpErrors.json} and
 * {@code HttpErrors.object}, an error answer's body parsed, or null when it is no JSON (or no object).
 * 2.25: {@link io.mcpagent.provider.support.FactoryInstanceId}, the id of what a factory configuration makes: after
 * '~' of its PID, else its {@code id} property (one made in the Web Console, under a generated PID), refused when they
 * disagree or a generated PID has no {@code id}; {@code ProviderSetup.resolve} with one and
 * {@code ProviderSetup.instance}, {@code ProviderServiceProperties} of one; {@code ProviderServiceProperties.pluginId}
 * deprecated.
 * 2.26: {@code FactoryInstanceId.NAME} and {@code FactoryInstanceId.namingProblem}: an id must be an MCP server's
 * name, {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,47}}, which paths and commands can address; {@code ProviderSetup.resolve}
 * of a {@code FactoryInstanceId} refuses one that is not, naming it with {@code ProviderSetup.ID_NAME}.
 * 2.26.1: {@code AccountHealth} forgets a remembered server away or page instead of the API once the API answers.
 * 2.27: {@code HttpErrors.statusAndBody} and {@code bodyText}: an error answer's body without the API's error shape
 * (a gateway's HTML page) by its title, on one line, for the message; a call cut off by closing its client says so
 * and is not retried.
 * 2.28: {@code ProviderPlugin} registers the problem of a provider that cannot work though its configuration is not
 * refused (its key variable unset), while it cannot.
 * 2.29: {@code ProviderPlugin.unregister(int)}, {@code Instance.closeWhenDone}, {@code ProviderClient.closeWhenDone}
 * and {@code Http1Client.closeWhenDone}: a provider whose configuration was edited lets its calls under way end.
 * Provider bundles and the MCP client import it; it holds no state of its own.
 */
@Version("2.29.0")
@Export
package io.mcpagent.provider.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
