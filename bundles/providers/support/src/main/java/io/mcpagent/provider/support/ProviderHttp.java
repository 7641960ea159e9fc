package io.mcpagent.provider.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;

/**
 * One provider instance's HTTP calls: sends a request, maps error answers with the provider's {@link ErrorMapper},
 * and retries retryable failures (network errors, timeouts, and errors the mapper or {@code x-should-retry} marks
 * retryable) with the {@link RetryPolicy}, honouring the server's {@code retry-after}, unless the wait is longer than
 * the caller accepts ({@link io.mcpagent.api.llm.ChatRequest#maxRetryWait()}). Interrupting the calling
 * thread cancels the call: a {@link ProviderException} of category {@code CANCELLED}, with the interrupt flag kept.
 */
public final class ProviderHttp {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Enough of an unexpected answer to recognise it (a proxy's page, a JSON error) without holding it all. */
    private static final int UNEXPECTED_BODY_SHOWN = 4096;
    /** What a provider error says of an answer whose body broke off, a plain answer's or a stream's. */
    static final String BROKEN_OFF = "the server closed the connection before the end of its answer";
    /**
     * What a JSON answer to a request for a stream means: the API answered, but as to a plain call. Not remembered in
     * the provider's health ({@link AccountHealth}): executions call without streaming, which such a server answers.
     */
    static final String IGNORED_STREAM = ": the server answered JSON, ignoring the request for a stream (it, or a"
            + " gateway before it, does not stream); call without streaming, or set baseUrl to a server that streams"
            + " (retrying does not help)";
    /**
     * The most a streamed answer may carry in all. The decoders bound each event, but what the adapters assemble
     * grows with the stream, so an endless stream of small events would fill the heap; 64 MiB holds a 128k-token
     * answer at 500 bytes of event per token.
     */
    static final long MAX_STREAM_BYTES = 64L * 1024 * 1024;

    /** A successful answer: status, headers and body. */
    public record Response<T>(int status, HttpHeaders headers, T body) {
    }

    private final String providerId;
    private final Http1Client client;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final int maxBodyBytes;
    private final long maxStreamBytes;
    private final UnaryOperator<HttpRequest> eachAttempt;

    public ProviderHttp(String providerId, Http1Client client, RetryPolicy retry, Duration requestTimeout,
                        int maxBodyBytes) {
        this(providerId, client, retry, requestTimeout, maxBodyBytes, UnaryOperator.identity());
    }

    /**
     * Calls whose every attempt, retries included, goes out as {@code eachAttempt} makes it just before: a request
     * signature that carries its time (AWS SigV4) has to be made again for each.
     */
    public ProviderHttp(String providerId, Http1Client client, RetryPolicy retry, Duration requestTimeout,
                        int maxBodyBytes, UnaryOperator<HttpRequest> eachAttempt) {
        this(providerId, client, retry, requestTimeout, maxBodyBytes, MAX_STREAM_BYTES, eachAttempt);
    }

    ProviderHttp(String providerId, Http1Client client, RetryPolicy retry, Duration requestTimeout, int maxBodyBytes,
                 long maxStreamBytes, UnaryOperator<HttpRequest> eachAttempt) {
        this.providerId = providerId;
        this.client = client;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
        this.maxBodyBytes = maxBodyBytes;
        this.maxStreamBytes = maxStreamBytes;
        this.eachAttempt = eachAttempt;
    }

    /**
     * A call with a complete answer, read as UTF-8 text (bounded by {@code maxBodyBytes}). The whole answer, headers
     * and body, must arrive within the request timeout (TIMEOUT, retryable), on the calling thread.
     */
    public Response<String> send(HttpRequest request, ErrorMapper errors) {
        return send(request, errors, null);
    }

    /**
     * {@link #send(HttpRequest, ErrorMapper)} retrying in place only after waits up to {@code maxRetryWait} (null: as
     * the {@link RetryPolicy} allows): a longer one fails the call at once with the retryable error, so that a caller
     * with somewhere else to go (the router, another provider left) does not wait for it. Since 2.13.
     */
    public Response<String> send(HttpRequest request, ErrorMapper errors, Duration maxRetryWait) {
        Response<Http1Client.BoundedBytes> response = withRetries(request, errors, maxRetryWait,
                (attempt, timeout) -> client.send(attempt, timeout, maxBodyBytes, MAX_ERROR_BODY),
                body -> new String(body.bytes(), StandardCharsets.UTF_8));
        if (response.body().truncated()) {
            throw new ProviderException(error(Category.SERVER, "answer larger than " + maxBodyBytes + " bytes", false));
        }
        return new Response<>(response.status(), response.headers(),
                new String(response.body().bytes(), StandardCharsets.UTF_8));
    }

    /**
     * A call whose answer is read as a stream (SSE, NDJSON, event-stream): its headers must arrive within the
     * request timeout, and each read of the stream waits at most as long. Retries happen only before the body is
     * handed out; the caller closes it. A read past {@value #MAX_STREAM_BYTES} bytes of body in all fails with
     * {@link StreamEventTooLargeException#streamLongerThan}.
     */
    public Response<InputStream> open(HttpRequest request, ErrorMapper errors) {
        return open(request, errors, null);
    }

    /**
     * {@link #open(HttpRequest, ErrorMapper)} retrying in place only after waits up to {@code maxRetryWait}, as
     * {@link #send(HttpRequest, ErrorMapper, Duration)} does. Since 2.13.
     */
    public Response<InputStream> open(HttpRequest request, ErrorMapper errors, Duration maxRetryWait) {
        Response<InputStream> response = withRetries(request, errors, maxRetryWait, client::open,
                body -> {
                    try (body) {
                        return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                    }
                });
        return new Response<>(response.status(), response.headers(), new BoundedStream(response.body(), maxStreamBytes));
    }

    /** A body that fails once more than {@code limit} bytes have been read from it. */
    private static final class BoundedStream extends FilterInputStream {
        private final long limit;
        private long read;

        BoundedStream(InputStream body, long limit) {
            super(body);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b == -1 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return counted(super.read(buffer, offset, length));
        }

        @Override
        public long skip(long n) throws IOException {
            return counted((int) super.skip(Math.min(n, Integer.MAX_VALUE)));
        }

        private int counted(int n) throws StreamEventTooLargeException {
            if (n > 0) {
                read += n;
                if (read > limit) {
                    throw StreamEventTooLargeException.streamLongerThan(limit);
                }
            }
            return n;
        }
    }

    /** One attempt at a call. */
    @FunctionalInterface
    private interface Exchange<T> {
        Response<T> run(HttpRequest request, Duration timeout) throws IOException, InterruptedException;
    }

    /** The text of an error answer's body, for the {@link ErrorMapper}. */
    @FunctionalInterface
    private interface ErrorText<T> {
        String of(T body) throws IOException;
    }

    private <T> Response<T> withRetries(HttpRequest request, ErrorMapper errors, Duration maxRetryWait,
                                        Exchange<T> exchange, ErrorText<T> errorText) {
        Duration timeout = request.timeout().orElse(requestTimeout);
        for (int attempt = 1; ; attempt++) {
            ProviderError error;
            IOException ioFailure = null;
            try {
                Response<T> response = exchange.run(eachAttempt.apply(request), timeout);
                int status = response.status();
                if (status >= 200 && status < 300) {
                    return response;
                }
                error = errors.map(status, response.headers(), errorText.of(response.body()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(error(Category.CANCELLED, "call cancelled", false), e);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new ProviderException(error(Category.CANCELLED, "call cancelled", false), e);
                }
                error = failure(e).error();
                ioFailure = e;
            }
            Duration wait = retry.delay(attempt, error.retryAfter());
            if (!error.retryable() || attempt > retry.maxRetries() || wait == null) {
                // the I/O failure stays the cause: a provider tells from it that no server answered at all
                throw new ProviderException(error, ioFailure);
            }
            // a timed-out call retried may wait its whole timeout again: a hanging provider held a caller with
            // another one for three timeouts before it could go there
            boolean timedOut = error.category() == Category.TIMEOUT;
            Duration retryCost = timedOut ? wait.plus(timeout) : wait;
            if (maxRetryWait != null && retryCost.compareTo(maxRetryWait) > 0) {
                LOG.info("provider '{}': {} ({}); not retried here, {}: the caller accepts at most {} ms and has"
                        + " another provider", providerId, error.category(), error.message(), timedOut
                        ? "which may take its timeout of " + timeout.toMillis() + " ms again"
                        : "after " + wait.toMillis() + " ms", maxRetryWait.toMillis());
                throw new ProviderException(error, ioFailure);
            }
            LOG.info("provider '{}': {} ({}); retry {} of {} in {} ms", providerId, error.category(), error.message(),
                    attempt, retry.maxRetries(), wait.toMillis());
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // what it waited for: an execution whose time ran out meanwhile has only this to say why
                throw new ProviderException(error(Category.CANCELLED, "call cancelled while waiting " + wait.toMillis()
                        + " ms to retry after " + error.category() + " (" + error.message() + ")", false), e);
            }
        }
    }

    /** An I/O failure as a provider error: timeouts and connection problems are retryable. */
    public ProviderException failure(IOException e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return new ProviderException(error(Category.NETWORK, "cannot connect: " + e.getMessage(), true), e);
        }
        if (e instanceof UnknownHostException) {
            // the JDK's text is the bare host name; a typo in the configured URL (or a Bedrock region) ends up here
            return new ProviderException(error(Category.NETWORK, "the host name '" + e.getMessage()
                    + "' does not resolve: check the host in the provider's baseUrl (or the region it is built from),"
                    + " or the DNS", true), e);
        }
        if (e instanceof HttpTimeoutException) {
            // the headers came and the body stalled: "no answer" sent readers looking for a server that never answered
            boolean bodyStalled = e.getMessage() != null && e.getMessage().contains(Http1Client.ANSWER_BODY);
            return new ProviderException(error(Category.TIMEOUT, (bodyStalled ? "the answer stalled after its"
                    + " headers: not complete within the timeout (" : "no answer within the timeout (")
                    + requestTimeout.toMillis() + " ms)", true), e);
        }
        if (e instanceof Http1Client.BrokenOffException) {
            // the connection worked: "connection failed: java.io.IOException: ..." sent readers to the network
            return new ProviderException(error(Category.NETWORK, BROKEN_OFF, true), e);
        }
        if (e instanceof Http1Client.ClosedException) {
            // the provider is going away: a retry on the same client fails the same way, the router goes elsewhere
            return new ProviderException(error(Category.NETWORK, e.getMessage(), false), e);
        }
        if (e instanceof Http1Client.MalformedAnswerException) {
            // the server answered, wrongly (a proxy's or a broken server's bytes): no network fault, as it read
            return new ProviderException(error(Category.SERVER, "the answer is malformed: " + e.getMessage(), true),
                    e);
        }
        // the JDK's class names ("java.io.IOException: ...") say nothing to an operator; other classes say what failed
        String why = e.getClass() == IOException.class && e.getMessage() != null ? e.getMessage()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new ProviderException(error(Category.NETWORK, "connection failed: " + why, true), e);
    }

    /**
     * {@code failure} as the caller should see it: CANCELLED when the calling thread was interrupted meanwhile, since
     * an interrupt that races an error answer or a broken connection is still the caller cancelling the call.
     */
    public ProviderException cancelledIfInterrupted(ProviderException failure) {
        if (Thread.currentThread().isInterrupted() && failure.error().category() != Category.CANCELLED) {
            return new ProviderException(error(Category.CANCELLED, "call cancelled", false), failure);
        }
        return failure;
    }

    /**
     * As {@link #requireStream(Response, String, String, String, Collection)} naming no API and masking no secret.
     *
     * @deprecated since 2.17: the answer's body is kept with a key it echoes, and a page's error names no API; call
     * the overload with the API {@code baseUrl} should name and the provider's secrets.
     */
    @Deprecated(since = "2.17")
    public void requireStream(Response<InputStream> response, String mediaType, String requestId) {
        requireStream(response, mediaType, requestId, "the provider's API", List.of());
    }

    /**
     * Fails unless the answer to a stream request is of {@code mediaType}: a server that ignores the request for a
     * stream, or a proxy with a page of its own, answers something else. The failure is a SERVER error holding the
     * start of that body, which is closed, with {@code secrets} masked; not retryable, since the same server answers
     * the same way again (a router may still go to another provider). A page, no JSON at all, fails as a plain call's
     * does ({@link MalformedAnswers#requireJson}): a {@link NotTheApiException} naming {@code baseUrl} and
     * {@code api} (2.17).
     */
    public void requireStream(Response<InputStream> response, String mediaType, String requestId, String api,
                              Collection<String> secrets) {
        String contentType = response.headers().firstValue("content-type").orElse("").strip();
        if (contentType.toLowerCase(Locale.ROOT).startsWith(mediaType)) {
            return;
        }
        String start = maskedStart(response.body(), secrets);
        if (MalformedAnswers.isPage(contentType, start)) {
            throw MalformedAnswers.notTheApi(providerId, "an event stream", response.status(), contentType, start,
                    requestId, api, secrets);
        }
        throw new ProviderException(new ProviderError(Category.SERVER, response.status(), null, null,
                "provider '" + providerId + "': the answer was not an event stream ("
                        + (contentType.isEmpty() ? "no Content-Type" : "Content-Type: " + contentType)
                        + "; expected " + mediaType + ")" + (MalformedAnswers.isJson(contentType, start)
                        ? IGNORED_STREAM : ""), requestId, null, false, start));
    }

    /**
     * What an I/O failure while reading the stream of {@code response} means: TIMEOUT when the stream was silent for
     * the request timeout or sent {@linkplain StreamWithoutEventsException no content} for as long, CANCELLED when the
     * caller was interrupted, a SERVER error that is not retried when an event was
     * {@linkplain StreamEventTooLargeException too large} or the content {@linkplain StreamContentTooLongException too
     * long} (the same request gets the same answer; a router may still
     * go to another provider), else the {@link #failure} of the connection, retryable as such.
     */
    public ProviderError streamFailure(IOException e, Response<InputStream> response, String requestId) {
        if (Thread.currentThread().isInterrupted()) {
            return new ProviderError(Category.CANCELLED, 0, null, null, "provider '" + providerId + "': call cancelled",
                    requestId, null, false, null);
        }
        if (e instanceof StreamEventTooLargeException tooLarge) {
            return new ProviderError(Category.SERVER, response.status(), null, null, "provider '" + providerId
                    + "': the answer is too large: " + tooLarge.getMessage() + " (not retried: the same request would"
                    + " get the same answer)", requestId, null, false, null);
        }
        if (e instanceof StreamContentTooLongException tooLong) {
            return new ProviderError(Category.SERVER, response.status(), null, null, "provider '" + providerId
                    + "': the answer is too large: " + tooLong.getMessage() + " (not retried: the same request would"
                    + " get the same answer)", requestId, null, false, null);
        }
        if (e instanceof StreamWithoutEventsException withoutEvents) {
            return new ProviderError(Category.TIMEOUT, response.status(), null, null, "provider '" + providerId
                    + "': the stream sent no content for " + withoutEvents.waited().toMillis() + " ms, only keep-alive"
                    + " comments or events without content", requestId, null, true, null);
        }
        if (e instanceof HttpTimeoutException) {
            return new ProviderError(Category.TIMEOUT, response.status(), null, null, "provider '" + providerId
                    + "': the stream was silent for " + requestTimeout.toMillis() + " ms", requestId, null, true, null);
        }
        ProviderError failure = failure(e).error();
        return new ProviderError(failure.category(), response.status(), null, null, failure.message()
                + (e instanceof Http1Client.BrokenOffException || e instanceof Http1Client.MalformedAnswerException
                        || e instanceof Http1Client.ClosedException ? "" : " (the stream broke off)"), requestId, null,
                failure.retryable(), null);
    }

    /**
     * The start of an unexpected answer's {@code body}, which is closed: its first {@value #UNEXPECTED_BODY_SHOWN}
     * characters with {@code secrets} masked before the cut, as a plain answer is masked whole and cut once
     * ({@link MalformedAnswers#error}), so that no part of a key across the cut survives. Enough is read for that many
     * characters and the longest secret after them (3 bytes at most each); when the body goes on, the read's last
     * characters, where a secret the read cut would begin, are left out.
     */
    private static String maskedStart(InputStream body, Collection<String> secrets) {
        int longestSecret = secrets.stream().filter(Objects::nonNull)
                .mapToInt(secret -> secret.getBytes(StandardCharsets.UTF_8).length).max().orElse(0);
        int limit = 3 * (UNEXPECTED_BODY_SHOWN + longestSecret);
        String masked;
        try (body) {
            byte[] read = body.readNBytes(limit);
            masked = RedactingErrorMapper.masked(new String(read, StandardCharsets.UTF_8), secrets);
            if (read.length == limit && longestSecret > 1) { // the body goes on: a secret may cross the read's end
                masked = masked.substring(0, Math.max(0, masked.length() - (longestSecret - 1)));
            }
        } catch (IOException e) {
            return null;
        }
        return masked.length() <= UNEXPECTED_BODY_SHOWN ? masked : masked.substring(0, UNEXPECTED_BODY_SHOWN);
    }

    private ProviderError error(Category category, String message, boolean retryable) {
        return new ProviderError(category, 0, null, null, "provider '" + providerId + "': " + message, null, null,
                retryable, null);
    }
}
