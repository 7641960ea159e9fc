package io.mcpagent.benchmarks.providers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.provider.anthropic.internal.AnthropicBench;
import io.mcpagent.provider.openai.internal.OpenAiBench;
import io.mcpagent.provider.support.EventStreamDecoder;
import io.mcpagent.provider.support.NdjsonDecoder;
import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.StreamAssembler;

/**
 * Decoding one recorded streamed answer of {@code deltas} content deltas from memory. One operation is one whole
 * stream; the {@code events} and {@code bytes} counters give events per second and bytes per second.
 *
 * <ul>
 * <li>{@code openAiDecode}, {@code anthropicDecode}: the adapter's stream path without HTTP: {@link SseDecoder}, the
 * provider's event mapping (OpenAI's {@code ChunkDecoder}, {@code AnthropicStream}, with their JSON parsing) and
 * {@link StreamAssembler}, up to the assembled {@link ChatResponse}.</li>
 * <li>{@code openAiSse}, {@code anthropicSse}: {@link SseDecoder} alone over the same bytes.</li>
 * <li>{@code ndjson}: {@link NdjsonDecoder} over an Ollama {@code /api/chat} stream; {@code eventStream}:
 * {@link EventStreamDecoder} over Bedrock ConverseStream frames (checksums verified, headers decoded).</li>
 * <li>{@code assembler}: {@link StreamAssembler} alone, fed ready-made text deltas.</li>
 * <li>{@code openAiLoopback}, {@code anthropicLoopback}: {@code LlmProvider.stream} end to end against the loopback
 * server (HTTP/1.1, chunked {@code text/event-stream}), for comparison with the in-memory figures.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamDecodeBenchmark {
    @Param({"1000", "10000"})
    public int deltas;

    private Fixtures.Stream openAi;
    private Fixtures.Stream anthropic;
    private Fixtures.Stream ollama;
    private Fixtures.Stream bedrock;
    private List<StreamEvent> textDeltas;
    private OpenAiBench openAiCodec;
    private AnthropicBench anthropicCodec;
    private Object anthropicMapped;

    /** Events and bytes decoded, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long events;
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
            bytes = 0;
        }

        void add(Fixtures.Stream stream) {
            events += stream.events();
            bytes += stream.bytes().length;
        }
    }

    /** The caller's handler: counts what reaches it. */
    private static final class Counting implements StreamHandler {
        long events;

        @Override
        public void onEvent(StreamEvent event) {
            events++;
        }
    }

    @Setup
    public void setUp() throws IOException {
        openAi = Fixtures.openAiStream(deltas);
        anthropic = Fixtures.anthropicStream(deltas);
        ollama = Fixtures.ollamaStream(deltas);
        bedrock = Fixtures.bedrockStream(deltas);
        textDeltas = new ArrayList<>();
        textDeltas.add(new StreamEvent.MessageStart("chatcmpl-1", "gpt-4o-2024-08-06"));
        for (int i = 0; i < deltas; i++) {
            textDeltas.add(new StreamEvent.TextDelta(0, Fixtures.token(i)));
        }
        textDeltas.add(new StreamEvent.BlockEnd(0));
        textDeltas.add(new StreamEvent.MessageEnd(io.mcpagent.api.llm.StopReason.END_TURN, "stop"));
        openAiCodec = new OpenAiBench("http://127.0.0.1:1/v1");
        anthropicCodec = new AnthropicBench("http://127.0.0.1:1");
        anthropicMapped = anthropicCodec.map(Fixtures.request(Fixtures.ANTHROPIC_MODEL), true);
        // The fixtures decode to what they say.
        check(openAiDecode(new Counters()), deltas);
        check(anthropicDecode(new Counters()), deltas);
    }

    private static void check(ChatResponse response, int deltas) {
        if (response.message().text().isEmpty() || response.usage().outputTokens() < deltas) {
            throw new IllegalStateException("unexpected answer: " + response.stopReason() + " " + response.usage());
        }
    }

    @Benchmark
    public ChatResponse openAiDecode(Counters counters) throws IOException {
        Counting handler = new Counting();
        ChatResponse response = openAiCodec.stream(new ByteArrayInputStream(openAi.bytes()), handler);
        counters.add(openAi);
        return response;
    }

    @Benchmark
    public ChatResponse anthropicDecode(Counters counters) throws IOException {
        Counting handler = new Counting();
        ChatResponse response = anthropicCodec.stream(anthropicMapped, new ByteArrayInputStream(anthropic.bytes()), handler);
        counters.add(anthropic);
        return response;
    }

    @Benchmark
    public void openAiSse(Counters counters, Blackhole blackhole) throws IOException {
        new SseDecoder(new ByteArrayInputStream(openAi.bytes()), 8 << 20).readAll(blackhole::consume);
        counters.add(openAi);
    }

    @Benchmark
    public void anthropicSse(Counters counters, Blackhole blackhole) throws IOException {
        new SseDecoder(new ByteArrayInputStream(anthropic.bytes()), 16 << 20).readAll(blackhole::consume);
        counters.add(anthropic);
    }

    @Benchmark
    public void ndjson(Counters counters, Blackhole blackhole) throws IOException {
        new NdjsonDecoder(new ByteArrayInputStream(ollama.bytes()), 8 << 20).readAll(blackhole::consume);
        counters.add(ollama);
    }

    @Benchmark
    public void eventStream(Counters counters, Blackhole blackhole) throws IOException {
        new EventStreamDecoder(new ByteArrayInputStream(bedrock.bytes()), 16 << 20).readAll(message -> {
            blackhole.consume(message.header(":event-type"));
            blackhole.consume(message.payload());
        });
        counters.add(bedrock);
    }

    @Benchmark
    public ChatResponse assembler(Counters counters) {
        StreamAssembler assembler = new StreamAssembler("openai", new Counting());
        for (StreamEvent event : textDeltas) {
            assembler.onEvent(event);
        }
        counters.events += textDeltas.size();
        return assembler.response(null, null, null);
    }

    // ---- end to end over the loopback server ----------------------------------------------------------------------

    /** The loopback server answering streamed calls with the recorded streams, and a provider of each family. */
    @State(Scope.Benchmark)
    public static class Loopback {
        LoopbackServer server;
        LlmProvider openAi;
        LlmProvider anthropic;
        ChatRequest openAiRequest = Fixtures.request(Fixtures.OPENAI_MODEL);
        ChatRequest anthropicRequest = Fixtures.request(Fixtures.ANTHROPIC_MODEL);

        @Setup
        public void setUp(StreamDecodeBenchmark benchmark) throws IOException {
            server = new LoopbackServer()
                    .answer("/v1/chat/completions", new LoopbackServer.Answer("application/json", Fixtures.openAiHeaders(),
                            Fixtures.openAiAnswer(), false), new LoopbackServer.Answer("text/event-stream",
                            Fixtures.openAiHeaders(), benchmark.openAi.bytes(), true))
                    .answer("/v1/messages", new LoopbackServer.Answer("application/json", Fixtures.anthropicHeaders(),
                            Fixtures.anthropicAnswer(), false), new LoopbackServer.Answer("text/event-stream",
                            Fixtures.anthropicHeaders(), benchmark.anthropic.bytes(), true));
            String base = server.uri("").toString();
            openAi = OpenAiBench.provider(base + "/v1");
            anthropic = AnthropicBench.provider(base);
            check(openAi.stream(openAiRequest, null), benchmark.deltas);
            check(anthropic.stream(anthropicRequest, null), benchmark.deltas);
        }

        @TearDown
        public void tearDown() throws Exception {
            ((AutoCloseable) openAi).close();
            ((AutoCloseable) anthropic).close();
            server.close();
        }
    }

    @Benchmark
    public ChatResponse openAiLoopback(Loopback loopback, Counters counters) {
        ChatResponse response = loopback.openAi.stream(loopback.openAiRequest, new Counting());
        counters.add(openAi);
        return response;
    }

    @Benchmark
    public ChatResponse anthropicLoopback(Loopback loopback, Counters counters) {
        ChatResponse response = loopback.anthropic.stream(loopback.anthropicRequest, new Counting());
        counters.add(anthropic);
        return response;
    }
}
