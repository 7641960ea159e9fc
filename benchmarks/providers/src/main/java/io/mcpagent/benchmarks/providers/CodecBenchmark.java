package io.mcpagent.benchmarks.providers;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.provider.anthropic.internal.AnthropicBench;
import io.mcpagent.provider.openai.internal.OpenAiBench;
import io.mcpagent.provider.support.RateLimitHeaders;

/**
 * The adapters' codec without HTTP, split ({@code ChatCallBenchmark.*Step5Codec} is encode plus decode): encoding the
 * request of {@code ChatCallBenchmark} offering {@code tools} tools (the fixture's two, repeated under other names),
 * decoding the answer with its rate-limit headers, and OpenAI's rate-limit reset durations ({@code 6ms}, as OpenAI
 * sends them, vs a plain number of seconds).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    @Param({"2", "20"})
    public int tools;

    private final OpenAiBench openAi = new OpenAiBench("http://127.0.0.1:1/v1");
    private final AnthropicBench anthropic = new AnthropicBench("http://127.0.0.1:1");
    private final byte[] openAiAnswer = Fixtures.openAiAnswer();
    private final byte[] anthropicAnswer = Fixtures.anthropicAnswer();
    private ChatRequest openAiRequest;
    private ChatRequest anthropicRequest;
    private Object anthropicMapped;
    private HttpHeaders openAiHeaders;
    private HttpHeaders anthropicHeaders;

    @Setup
    public void setUp() {
        openAiRequest = withTools(Fixtures.request(Fixtures.OPENAI_MODEL));
        anthropicRequest = withTools(Fixtures.request(Fixtures.ANTHROPIC_MODEL));
        anthropicMapped = anthropic.map(anthropicRequest, false);
        openAiHeaders = headers(Fixtures.openAiHeaders());
        anthropicHeaders = headers(Fixtures.anthropicHeaders());
    }

    private ChatRequest withTools(ChatRequest request) {
        List<ToolSpec> offered = new ArrayList<>(request.tools());
        for (int i = offered.size(); i < tools; i++) {
            ToolSpec tool = request.tools().get(i % request.tools().size());
            offered.add(new ToolSpec(tool.name() + "_" + i, tool.description(), tool.inputSchemaJson(), false));
        }
        return new ChatRequest(request.model(), request.instructions(), request.messages(), offered, null, null, null,
                request.params(), null, Map.of());
    }

    private static HttpHeaders headers(Map<String, String> fixed) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fixed.forEach((name, value) -> all.put(name, List.of(value)));
        return HttpHeaders.of(all, (name, value) -> true);
    }

    @Benchmark
    public byte[] openAiEncode() {
        return openAi.encode(openAiRequest, false);
    }

    @Benchmark
    public ChatResponse openAiDecode() {
        return openAi.decode(openAiAnswer, openAiHeaders);
    }

    @Benchmark
    public byte[] anthropicEncode() {
        return anthropic.body(anthropic.map(anthropicRequest, false));
    }

    @Benchmark
    public ChatResponse anthropicDecode() {
        return anthropic.decode(anthropicMapped, anthropicAnswer, anthropicHeaders);
    }

    @Benchmark
    public Object rateLimitResetWithUnit() {
        return RateLimitHeaders.duration("6ms");
    }

    @Benchmark
    public Object rateLimitResetInSeconds() {
        return RateLimitHeaders.duration("0.006");
    }
}
