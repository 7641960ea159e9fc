package io.mcpagent.benchmarks.providers;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.RateLimitInfo;
import io.mcpagent.provider.anthropic.internal.AnthropicBench;
import io.mcpagent.provider.openai.internal.OpenAiBench;
import io.mcpagent.provider.support.RateLimitHeaders;

/**
 * One complete (non-streamed) chat call against a loopback server, through each adapter and, as the baseline, with a
 * bare {@link HttpClient} sending the exact bytes the adapter sent (body and headers, recorded by the server) and
 * reading the body as a byte array. Both use HTTP/1.1, as the adapters do for an {@code http:} base URL, over a
 * kept-alive connection to the same server, which answers the same bytes.
 *
 * <p>Goal (issue 4): {@code *Adapter} at most 1.1 times {@code *Bare}. Since the adapters call through support's
 * {@code Http1Client} (blocking HTTP/1.1 on the calling thread) instead of the JDK client, the bare JDK call is the
 * JDK's cost for the same exchange. The {@code *Step*} methods split the difference as it was measured with the JDK
 * client: the bare call made step by step the way the adapters made it (request timeout, body as an InputStream
 * read with {@code readNBytes}), and the adapters' own work without HTTP
 * ({@code *Step5Codec}: encode the request, decode the answer, read the rate-limit headers; {@code *Step6RateLimits}:
 * the headers alone).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class ChatCallBenchmark {
    private static final String OPENAI_PATH = "/v1/chat/completions";
    private static final String ANTHROPIC_PATH = "/v1/messages";
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final Duration TIMEOUT = Duration.ofMillis(120_000);
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private LoopbackServer server;
    private HttpClient bareClient;
    private LlmProvider openAi;
    private LlmProvider anthropic;
    private OpenAiBench openAiCodec;
    private AnthropicBench anthropicCodec;
    private ChatRequest openAiRequest;
    private ChatRequest anthropicRequest;
    private byte[] openAiAnswer;
    private byte[] anthropicAnswer;
    private HttpRequest openAiBareCall;
    private HttpRequest anthropicBareCall;
    private HttpRequest openAiBareTimed;
    private HttpRequest anthropicBareTimed;
    private HttpHeaders openAiHeaders;
    private HttpHeaders anthropicHeaders;

    @Setup
    public void setUp() throws IOException, InterruptedException {
        openAiAnswer = Fixtures.openAiAnswer();
        anthropicAnswer = Fixtures.anthropicAnswer();
        server = new LoopbackServer()
                .answer(OPENAI_PATH, new LoopbackServer.Answer("application/json", Fixtures.openAiHeaders(), openAiAnswer, false), null)
                .answer(ANTHROPIC_PATH, new LoopbackServer.Answer("application/json", Fixtures.anthropicHeaders(), anthropicAnswer, false), null);
        String base = server.uri("").toString();
        openAi = OpenAiBench.provider(base + "/v1");
        anthropic = AnthropicBench.provider(base);
        openAiCodec = new OpenAiBench(base + "/v1");
        anthropicCodec = new AnthropicBench(base);
        openAiHeaders = headers(Fixtures.openAiHeaders(), openAiAnswer);
        anthropicHeaders = headers(Fixtures.anthropicHeaders(), anthropicAnswer);
        openAiRequest = Fixtures.request(Fixtures.OPENAI_MODEL);
        anthropicRequest = Fixtures.request(Fixtures.ANTHROPIC_MODEL);

        // One call through each adapter records what it sends; the bare client sends the same.
        check(openAi.chat(openAiRequest));
        check(anthropic.chat(anthropicRequest));
        // Configured as the adapters configured theirs for an http: endpoint before they had Http1Client.
        bareClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        openAiBareCall = replay(OPENAI_PATH, false);
        anthropicBareCall = replay(ANTHROPIC_PATH, false);
        openAiBareTimed = replay(OPENAI_PATH, true);
        anthropicBareTimed = replay(ANTHROPIC_PATH, true);
        if (!Arrays.equals(openAiBare(), openAiAnswer) || !Arrays.equals(anthropicBare(), anthropicAnswer)
                || !openAiStep3ProviderHttp().equals(new String(openAiAnswer, StandardCharsets.UTF_8))) {
            throw new IllegalStateException("the bare call does not get the answer");
        }
        for (int i = 0; i < 3; i++) {
            openAiAdapter();
            anthropicAdapter();
            openAiBare();
            openAiStep3ProviderHttp();
        }
        if (server.connections() != 3) {
            throw new IllegalStateException("keep-alive: expected one connection per client, got " + server.connections());
        }
    }

    private HttpRequest replay(String path, boolean likeAdapter) {
        LoopbackServer.Recorded sent = server.first(path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(sent.body()));
        sent.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        if (likeAdapter) {
            builder.timeout(TIMEOUT);
        }
        return builder.build();
    }

    /** A request as an adapter builds one per call: fresh, with the recorded headers, the timeout and {@code body}. */
    private HttpRequest fresh(String path, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri(path)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        server.first(path).headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** The response headers as the client sees them. */
    private static HttpHeaders headers(Map<String, String> fixed, byte[] body) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fixed.forEach((name, value) -> all.put(name, List.of(value)));
        all.put("content-type", List.of("application/json"));
        all.put("content-length", List.of(String.valueOf(body.length)));
        all.put("date", List.of("Thu, 12 Jun 2025 09:14:04 GMT"));
        return HttpHeaders.of(all, (name, value) -> true);
    }

    private static void check(ChatResponse response) {
        if (response.message().text().length() < 100 || response.usage().inputTokens() != 412 || response.rateLimits() == null) {
            throw new IllegalStateException("unexpected answer: " + response);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        if (server.connections() != 3) {
            System.err.println("WARNING: the clients opened " + server.connections() + " connections instead of 3");
        }
        ((AutoCloseable) openAi).close();
        ((AutoCloseable) anthropic).close();
        bareClient.shutdownNow();
        server.close();
    }

    private byte[] bare(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = bareClient.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("status " + response.statusCode());
        }
        return response.body();
    }

    /** The HTTP part of {@code ProviderHttp.send}/{@code open}: body as an InputStream, read bounded, as a String. */
    private String bareStream(HttpRequest request) throws IOException, InterruptedException {
        return read(bareClient.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    private static String read(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("status " + response.statusCode());
        }
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(MAX_BODY_BYTES + 1), StandardCharsets.UTF_8);
        }
    }

    // ---- the figures of issue 4: bare call vs adapter -----------------------------------------------------------

    @Benchmark
    public byte[] openAiBare() throws IOException, InterruptedException {
        return bare(openAiBareCall);
    }

    @Benchmark
    public ChatResponse openAiAdapter() {
        return openAi.chat(openAiRequest);
    }

    @Benchmark
    public byte[] anthropicBare() throws IOException, InterruptedException {
        return bare(anthropicBareCall);
    }

    @Benchmark
    public ChatResponse anthropicAdapter() {
        return anthropic.chat(anthropicRequest);
    }

    // ---- where the difference goes: the bare call, step by step closer to what the adapters do ------------------

    /** Bare, plus the request timeout the adapters set (120 s). */
    @Benchmark
    public byte[] openAiStep1Timeout() throws IOException, InterruptedException {
        return bare(openAiBareTimed);
    }

    /** Bare, but the body read as ProviderHttp reads it: {@code ofInputStream}, {@code readNBytes(max + 1)}, String. */
    @Benchmark
    public String openAiStep2InputStream() throws IOException, InterruptedException {
        return bareStream(openAiBareCall);
    }

    /** Both: the HTTP part of {@code ProviderHttp.send}, i.e. all the Anthropic adapter does on the wire. */
    @Benchmark
    public String openAiStep3ProviderHttp() throws IOException, InterruptedException {
        return bareStream(openAiBareTimed);
    }

    /**
     * The OpenAI adapter's own work without HTTP: encode the request to bytes, decode the answer, read the rate-limit
     * headers.
     */
    @Benchmark
    public ChatResponse openAiStep5Codec() {
        byte[] body = openAiCodec.encode(openAiRequest, false);
        if (body.length == 0) {
            throw new IllegalStateException();
        }
        return openAiCodec.decode(openAiAnswer, openAiHeaders);
    }

    /** Of that: reading OpenAI's rate-limit headers ({@code x-ratelimit-*}, resets as durations like {@code 6ms}). */
    @Benchmark
    public RateLimitInfo openAiStep6RateLimits() {
        return OpenAiBench.rateLimits(openAiHeaders);
    }

    /**
     * The OpenAI adapter rebuilt from the parts above, in the benchmark: encode, a fresh request as the adapter builds
     * one, the exchange and body read of step 4, decode with the answer's headers. Close to {@code openAiAdapter}
     * when the adapter spends its time in these parts and nowhere else; above {@code openAiStep3ProviderHttp +
     * openAiStep5Codec} by what those parts cost when they run between network waits rather than in a loop of their own.
     */
    @Benchmark
    public ChatResponse openAiStep7Parts() throws IOException, InterruptedException {
        HttpRequest request = fresh(OPENAI_PATH, openAiCodec.encode(openAiRequest, false));
        HttpResponse<InputStream> response = bareClient.send(request, HttpResponse.BodyHandlers.ofInputStream());
        return openAiCodec.decode(read(response), response.headers());
    }

    /** The HTTP part of {@code ProviderHttp.send} with the Anthropic bytes. */
    @Benchmark
    public String anthropicStep3ProviderHttp() throws IOException, InterruptedException {
        return bareStream(anthropicBareTimed);
    }

    /**
     * The Anthropic adapter's own work without HTTP: map the request to bytes, parse the answer, read the rate-limit
     * headers.
     */
    @Benchmark
    public ChatResponse anthropicStep5Codec() {
        Object mapped = anthropicCodec.map(anthropicRequest, false);
        if (anthropicCodec.body(mapped).length == 0) {
            throw new IllegalStateException();
        }
        return anthropicCodec.decode(mapped, anthropicAnswer, anthropicHeaders);
    }

    /** The Anthropic adapter rebuilt from its parts, as {@link #openAiStep7Parts}. */
    @Benchmark
    public ChatResponse anthropicStep7Parts() throws IOException, InterruptedException {
        Object mapped = anthropicCodec.map(anthropicRequest, false);
        HttpRequest request = fresh(ANTHROPIC_PATH, anthropicCodec.body(mapped));
        HttpResponse<InputStream> response = bareClient.send(request, HttpResponse.BodyHandlers.ofInputStream());
        return anthropicCodec.decode(mapped, read(response), response.headers());
    }

    /** Of that: reading Anthropic's rate-limit headers ({@code anthropic-ratelimit-*}, resets as RFC 3339 times). */
    @Benchmark
    public RateLimitInfo anthropicStep6RateLimits() {
        return RateLimitHeaders.parse(anthropicHeaders, Instant.now());
    }

    /** Prints what the adapters send, for a look at the wire: {@code java -cp benchmarks.jar ...ChatCallBenchmark}. */
    public static void main(String[] args) throws Exception {
        ChatCallBenchmark benchmark = new ChatCallBenchmark();
        benchmark.setUp();
        try {
            for (String path : List.of(OPENAI_PATH, ANTHROPIC_PATH)) {
                LoopbackServer.Recorded sent = benchmark.server.first(path);
                System.out.println("POST " + path + " " + sent.headers());
                System.out.println(new String(sent.body(), StandardCharsets.UTF_8));
                System.out.println();
            }
            for (Map.Entry<String, byte[]> answer : Map.of("openai", benchmark.openAiAnswer, "anthropic",
                    benchmark.anthropicAnswer).entrySet()) {
                System.out.println(answer.getKey() + " answer: " + answer.getValue().length + " bytes");
            }
        } finally {
            benchmark.tearDown();
        }
    }
}
