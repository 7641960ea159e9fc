package io.mcpagent.provider.anthropic.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.provider.support.RateLimitHeaders;
import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.StreamAssembler;
import io.mcpagent.provider.support.StreamProgress;

/**
 * Benchmark access to the Anthropic adapter's package-private classes: a provider made by
 * {@link AnthropicProvider#create} from a configuration (as the bundle's tests do), and the adapter's codec without HTTP.
 */
public final class AnthropicBench {
    /** The key the benchmark's providers send; the loopback server does not check it. */
    public static final String KEY = "sk-ant-bench-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int MAX_SSE_LINE_BYTES = 16 * 1024 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final AnthropicRequests requests;
    private final AnthropicAnswers answers;
    private final AnthropicErrors errors;

    /** The codec of a provider at {@code baseUrl} (e.g. {@code http://127.0.0.1:8080}). */
    public AnthropicBench(String baseUrl) {
        AnthropicSettings settings = AnthropicSettings.from("anthropic-bench", config(baseUrl));
        this.requests = new AnthropicRequests(json, settings);
        this.answers = new AnthropicAnswers(json, "anthropic-bench", List::of); // the codec holds no key to mask
        this.errors = new AnthropicErrors(json, "anthropic-bench");
    }

    /** A provider as {@code AnthropicProviderComponent} creates it, key from the environment. */
    public static LlmProvider provider(String baseUrl) {
        AnthropicProvider provider = AnthropicProvider.create("anthropic-bench", config(baseUrl),
                name -> name.equals("BENCH_ANTHROPIC_KEY") ? KEY : null);
        if (provider.health().status() != PluginHealth.Status.UP) {
            throw new IllegalStateException(provider.health().message());
        }
        return provider;
    }

    private static AnthropicConfig config(String baseUrl) {
        Map<String, Object> values = Map.of("baseUrl", baseUrl, "apiKeyEnv", "BENCH_ANTHROPIC_KEY");
        return (AnthropicConfig) Proxy.newProxyInstance(AnthropicConfig.class.getClassLoader(),
                new Class<?>[] {AnthropicConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> AnthropicConfig.class;
                    case "toString" -> "AnthropicConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    /** {@code request} mapped to the Messages API, as the provider maps it once per call (opaque to callers). */
    public Object map(ChatRequest request, boolean stream) {
        return requests.map(request, stream);
    }

    /** The request body the provider sends for a mapped request (what {@code AnthropicProvider.post} writes). */
    public byte[] body(Object mapped) {
        return ((AnthropicRequests.Mapped) mapped).body().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A complete answer as the provider decodes it (what {@code AnthropicProvider.chat} does after reading the body). */
    public ChatResponse decode(Object mapped, byte[] body, HttpHeaders headers) {
        return decode(mapped, new String(body, StandardCharsets.UTF_8), headers);
    }

    /** {@link #decode(Object, byte[], HttpHeaders)} of a body already read as text. */
    public ChatResponse decode(Object mapped, String body, HttpHeaders headers) {
        return answers.parse(body, (AnthropicRequests.Mapped) mapped, RateLimitHeaders.parse(headers, Instant.now()),
                headers.firstValue("request-id").orElse(null));
    }

    /**
     * A streamed answer decoded as {@code AnthropicProvider.stream} decodes it, minus HTTP and the idle watchdog:
     * {@link SseDecoder}, {@link AnthropicStream}, {@link StreamAssembler}. The request is mapped beforehand
     * ({@link #map}) because the stream needs it to recognise a structured-output tool.
     */
    public ChatResponse stream(Object mapped, InputStream in, StreamHandler handler) throws IOException {
        AnthropicRequests.Mapped request = (AnthropicRequests.Mapped) mapped;
        StreamAssembler assembler = new StreamAssembler(AnthropicRequests.PROVIDER, handler);
        // the watchdog is left out: the decoder is not given the progress the stream reports to
        AnthropicStream stream = new AnthropicStream(json, request, assembler, errors, "anthropic-bench", List::of,
                "req_bench", new StreamProgress(Duration.ofMinutes(2)), answers);
        new SseDecoder(in, MAX_SSE_LINE_BYTES).readAll(stream::onEvent);
        // a stream ended before message_stop fails here as the provider's does; no headers, so no rate limits
        return stream.finish(HttpHeaders.of(Map.of(), (name, value) -> true));
    }
}
