package io.mcpagent.provider.openai.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.RateLimitInfo;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.StreamAssembler;
import io.mcpagent.provider.support.StreamProgress;

/**
 * Benchmark access to the OpenAI adapter's package-private classes: a provider built from a configuration as the
 * bundle's component builds it (as the bundle's tests do), and the adapter's codec without HTTP.
 */
public final class OpenAiBench {
    /** The key the benchmark's providers send; the loopback server does not check it. */
    public static final String KEY = "sk-bench-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int MAX_SSE_LINE_BYTES = 8 * 1024 * 1024;

    private final OpenAiSettings settings;
    private final ObjectMapper mapper = new ObjectMapper();
    private final RequestEncoder encoder;
    private final OpenAiErrors errors;
    private final ResponseDecoder decoder;

    /** The codec of an {@code openai} dialect provider at {@code baseUrl} (e.g. {@code http://127.0.0.1:8080/v1}). */
    public OpenAiBench(String baseUrl) {
        this.settings = settings(baseUrl);
        this.encoder = new RequestEncoder(settings, mapper);
        this.errors = new OpenAiErrors(settings.id(), () -> KEY, mapper);
        this.decoder = new ResponseDecoder(settings.id(), settings.dialect().id, mapper, errors);
    }

    /** A provider as {@code OpenAiProviderComponent} builds it: dialect openai, key from the environment. */
    public static LlmProvider provider(String baseUrl) {
        return new OpenAiProvider(settings(baseUrl), new ObjectMapper(), "bench");
    }

    private static OpenAiSettings settings(String baseUrl) {
        OpenAiSettings settings = OpenAiSettings.from("openai-bench",
                config(Map.of("dialect", "openai", "baseUrl", baseUrl, "apiKeyEnv", "BENCH_OPENAI_KEY")),
                name -> name.equals("BENCH_OPENAI_KEY") ? KEY : null);
        if (settings.mistakes() != null) { // the key is always there: KEY
            throw new IllegalStateException(settings.mistakes());
        }
        return settings;
    }

    private static OpenAiConfig config(Map<String, Object> values) {
        return (OpenAiConfig) Proxy.newProxyInstance(OpenAiConfig.class.getClassLoader(), new Class<?>[] {OpenAiConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> OpenAiConfig.class;
                    case "toString" -> "OpenAiConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    /** The request body the provider sends for {@code request} (what {@code OpenAiProvider.prepare} writes). */
    public byte[] encode(ChatRequest request, boolean stream) {
        String model = request.model() != null && !request.model().isBlank() ? request.model().trim() : settings.defaultModel();
        try {
            return mapper.writeValueAsBytes(encoder.encode(request, model, stream));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A complete answer as the provider decodes it (what {@code OpenAiProvider.chat} does after reading the body). */
    public ChatResponse decode(byte[] body, HttpHeaders headers) {
        return decode(new String(body, StandardCharsets.UTF_8), headers);
    }

    /** {@link #decode(byte[], HttpHeaders)} of a body already read as text. */
    public ChatResponse decode(String body, HttpHeaders headers) {
        return decoder.decode(body, OpenAiProvider.rateLimits(headers), headers.firstValue("x-request-id").orElse(null));
    }

    /** The rate limits the provider reads from an answer's headers. */
    public static RateLimitInfo rateLimits(HttpHeaders headers) {
        return OpenAiProvider.rateLimits(headers);
    }

    /**
     * A streamed answer decoded as {@code OpenAiProvider.stream} decodes it, minus HTTP and the idle watchdog:
     * {@link SseDecoder}, {@link ChunkDecoder}, {@link StreamAssembler}, stopping at {@code [DONE]}.
     */
    public ChatResponse stream(InputStream in, StreamHandler handler) throws IOException {
        StreamAssembler assembler = new StreamAssembler(settings.dialect().id, handler);
        // the watchdog is left out: the decoder is not given the progress the chunks report to
        ChunkDecoder chunks = new ChunkDecoder(assembler, decoder, errors, "req_bench",
                new StreamProgress(Duration.ofMinutes(2)));
        try {
            new SseDecoder(in, MAX_SSE_LINE_BYTES).readAll(event -> {
                if (chunks.accept(event.data())) {
                    throw Done.INSTANCE;
                }
            });
        } catch (Done done) {
            // [DONE]
        }
        if (!chunks.complete()) {
            throw new IllegalStateException("the stream ended before the answer was complete");
        }
        chunks.finish();
        ChatResponse assembled = assembler.response(null, "req_bench", null);
        List<Part> parts = new ArrayList<>();
        for (Part part : assembled.message().parts()) {
            if (part instanceof ToolCallPart tool) {
                parts.add(new ToolCallPart(tool.callId(), chunks.fromProvider(tool.callId()) ? tool.callId() : null, null,
                        tool.name(), tool.argumentsJson(), Map.of()));
            } else {
                parts.add(part);
            }
        }
        if (!chunks.refusal().isEmpty()) {
            parts.add(new RefusalPart(chunks.refusal()));
        }
        return new ChatResponse(assembled.id(), assembled.model(), Message.of(Role.ASSISTANT, parts), assembled.stopReason(),
                assembled.rawStopReason(), assembled.usage(), null, "req_bench", null);
    }

    private static final class Done extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Done INSTANCE = new Done();

        private Done() {
            super(null, null, false, false);
        }
    }
}
