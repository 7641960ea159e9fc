package io.mcpagent.benchmarks.agents;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.agent.AgentStep;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.core.internal.agent.DefaultAgentRuntime;
import io.mcpagent.core.internal.llm.BenchRouters;
import io.mcpagent.core.internal.security.HeldSecretsMasker;
import io.mcpagent.provider.openai.internal.BenchOpenAi;

/**
 * One full tool-loop turn against the loopback OpenAI fake: the model asks for {@code get_weather}, the tool runs,
 * the result goes back, the model answers. Three ways in the same run:
 * <ul>
 * <li>{@link #mcpAgent}: a new agent from {@link DefaultAgentRuntime} over the platform's DefaultLlmRouter and the
 * OpenAI provider (dialect openai, built-in model list, key from an environment function), the tool an
 * {@link AgentFunction};</li>
 * <li>{@link #langchain4j}: a LangChain4j AI service (an interface, a {@code @Tool} method) over its
 * {@code OpenAiChatModel} with the JDK HTTP client (pinned to HTTP/1.1, as ours speaks);</li>
 * <li>{@link #bareHttpOurBodies} and {@link #bareHttpLangchain4jBodies}: the floor, two {@code java.net.http} calls
 * posting the bodies each framework sent (recorded at setup), no framework at all;</li>
 * <li>{@link #ourProviderOnly} and {@link #langchain4jModelOnly}: each framework's model layer alone, the two calls
 * of the turn with the requests its loop made (captured at setup): splits an overhead into model layer and loop;</li>
 * <li>{@link #socketOurBodies} and {@link #socketLangchain4jBodies}: the socket floor ({@link SocketFloor}), the same
 * bodies on a plain kept-alive socket: what any HTTP client must pay at least.</li>
 * </ul>
 * Overhead of a framework = its turn time minus the floor for its own bodies. Our provider no longer uses the JDK
 * client (support's {@code Http1Client}), so the socket floor is the one that compares the two: it counts each
 * framework's HTTP client as its own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ToolTurnBenchmark {
    private static final String KEY_VARIABLE = "BENCH_OPENAI_API_KEY";
    private static final String KEY = "sk-bench-0000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** LangChain4j's side: the AI service interface. */
    interface WeatherAssistant {
        @SystemMessage(Weather.INSTRUCTION)
        String chat(String question);
    }

    /** LangChain4j's side: the tool. */
    public static final class WeatherTools {
        final AtomicLong calls = new AtomicLong();

        // The argument's name "city" is the parameter's: it needs javac -parameters (see this module's pom.xml).
        @Tool(name = Weather.TOOL, value = Weather.TOOL_DESCRIPTION)
        public String getWeather(@P("the city") String city) {
            calls.incrementAndGet();
            return Weather.weather(city);
        }
    }

    private FakeOpenAiServer server;

    private LlmProvider provider;
    private AgentRuntime runtime;
    private AgentSpec spec;
    private final AtomicLong executions = new AtomicLong();
    private final AtomicLong ourToolCalls = new AtomicLong();

    private WeatherTools tools;
    private WeatherAssistant assistant;

    private io.mcpagent.api.llm.ChatRequest[] ourRequests;
    private OpenAiChatModel langchain4jModel;
    private dev.langchain4j.model.chat.request.ChatRequest[] langchain4jRequests;

    private HttpClient bareForOurs;
    private HttpClient bareForLangchain4j;
    private SocketFloor socketForOurs;
    private SocketFloor socketForLangchain4j;
    private HttpRequest[] ourBodies;
    private HttpRequest[] langchain4jBodies;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new FakeOpenAiServer();

        // ours
        provider = BenchOpenAi.provider("openai-bench", Map.of("dialect", "openai", "baseUrl", server.baseUrl(),
                "apiKeyEnv", KEY_VARIABLE), Map.of(KEY_VARIABLE, KEY)::get);
        runtime = new DefaultAgentRuntime(BenchRouters.router(StaticPlugins.of("openai-bench", provider)), new HeldSecretsMasker());
        AgentFunction weather = arguments -> {
            ourToolCalls.incrementAndGet();
            try {
                String city = JSON.readTree(arguments).path("city").asText();
                return new ToolCallResult(List.of(TextPart.of(Weather.weather(city))), null, false);
            } catch (IOException e) {
                return new ToolCallResult(List.of(TextPart.of("invalid arguments: " + e.getMessage())), null, true);
            }
        };
        spec = AgentSpec.of("weather", Weather.INSTRUCTION)
                .withModel(new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, null, Weather.MODEL,
                        List.of()))
                .withFunctions(List.of(new AgentFunction.Tool(
                        new ToolSpec(Weather.TOOL, Weather.TOOL_DESCRIPTION, Weather.TOOL_SCHEMA, false), weather)));

        // LangChain4j
        tools = new WeatherTools();
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey(KEY).modelName(Weather.MODEL)
                .maxRetries(2)
                .httpClientBuilder(JdkHttpClient.builder()
                        .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)))
                .build();
        assistant = AiServices.builder(WeatherAssistant.class).chatModel(model).tools(tools).build();
        langchain4jModel = model;

        // The requests each loop hands its model layer in one turn, captured by a separate, recording setup, for the
        // model-layer-only benchmarks.
        List<io.mcpagent.api.llm.ChatRequest> ourCaptured = new CopyOnWriteArrayList<>();
        LlmProvider recording = new LlmProvider() {
            @Override
            public List<io.mcpagent.api.llm.ModelInfo> models() {
                return provider.models();
            }

            @Override
            public io.mcpagent.api.llm.ChatResponse chat(io.mcpagent.api.llm.ChatRequest request) {
                ourCaptured.add(request);
                return provider.chat(request);
            }
        };
        new DefaultAgentRuntime(BenchRouters.router(StaticPlugins.of("openai-bench", recording)), new HeldSecretsMasker())
                .create(spec, new QuietContext("capture")).run(Weather.QUESTION);
        ourRequests = ourCaptured.toArray(io.mcpagent.api.llm.ChatRequest[]::new);
        List<dev.langchain4j.model.chat.request.ChatRequest> theirCaptured = new CopyOnWriteArrayList<>();
        ChatModel recordingModel = new ChatModel() {
            @Override
            public dev.langchain4j.model.chat.response.ChatResponse doChat(
                    dev.langchain4j.model.chat.request.ChatRequest request) {
                theirCaptured.add(request);
                return model.chat(request);
            }
        };
        WeatherTools captureTools = new WeatherTools();
        AiServices.builder(WeatherAssistant.class).chatModel(recordingModel).tools(captureTools).build()
                .chat(Weather.QUESTION);
        langchain4jRequests = theirCaptured.toArray(dev.langchain4j.model.chat.request.ChatRequest[]::new);
        check(ourRequests.length == 2 && langchain4jRequests.length == 2 && captureTools.calls.get() == 1,
                "captured " + ourRequests.length + " and " + langchain4jRequests.length + " requests");

        // One checked turn each, recording what went over the wire.
        server.record();
        AgentResult result = mcpAgent();
        List<String> ours = server.stopRecording();
        check(result.outcome() == AgentOutcome.ANSWERED && Weather.ANSWER.equals(result.text())
                && result.iterations() == 2 && result.steps().stream().map(AgentStep::kind).toList()
                        .equals(List.of(AgentStep.Kind.LLM, AgentStep.Kind.TOOL, AgentStep.Kind.LLM)),
                "our turn: " + result);
        check(ours.size() == 2 && ours.get(1).contains(Weather.TOOL_RESULT), "our bodies: " + ours);

        server.record();
        String answer = langchain4j();
        List<String> theirs = server.stopRecording();
        check(Weather.ANSWER.equals(answer) && tools.calls.get() == 1, "LangChain4j's turn: " + answer);
        check(theirs.size() == 2 && theirs.get(1).contains(Weather.TOOL_RESULT), "LangChain4j's bodies: " + theirs);

        // One client per bare operation, as each framework has its own: in PairedTurns every client then idles alike
        // between its uses.
        bareForOurs = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
        bareForLangchain4j = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ourBodies = requests(ours);
        langchain4jBodies = requests(theirs);
        int both = FakeOpenAiServer.TOOL_CALL_ANSWER.length + FakeOpenAiServer.FINAL_ANSWER.length;
        check(bareHttpOurBodies() == both && bareHttpLangchain4jBodies() == both, "bare calls did not get both answers");
        socketForOurs = new SocketFloor(URI.create(server.chatUrl()), KEY, ours);
        socketForLangchain4j = new SocketFloor(URI.create(server.chatUrl()), KEY, theirs);
        check(socketOurBodies() == both && socketLangchain4jBodies() == both, "socket floors did not get both answers");
        System.out.printf("%nbodies sent (bytes): ours %d + %d, LangChain4j %d + %d%n", ours.get(0).length(),
                ours.get(1).length(), theirs.get(0).length(), theirs.get(1).length());
        executions.set(0); // the checked and the capturing turns are not counted
        ourToolCalls.set(0);
    }

    private HttpRequest[] requests(List<String> bodies) {
        URI uri = URI.create(server.chatUrl());
        return bodies.stream().map(body -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).toArray(HttpRequest[]::new);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%nturns: ours %d (tool calls %d), LangChain4j tool calls %d; fake answered %d tool calls, "
                        + "%d final answers on %d connections%n", executions.get(), ourToolCalls.get(), tools.calls.get(),
                server.toolCallAnswers(), server.finalAnswers(), server.connections());
        check(executions.get() == ourToolCalls.get(), "an agent turn ran without its tool call");
        if (provider instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        bareForOurs.shutdownNow();
        bareForLangchain4j.shutdownNow();
        try {
            socketForOurs.close();
            socketForLangchain4j.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.close();
    }

    @Benchmark
    public AgentResult mcpAgent() {
        AgentResult result = runtime.create(spec, new QuietContext("exec-" + executions.incrementAndGet()))
                .run(Weather.QUESTION);
        if (result.outcome() != AgentOutcome.ANSWERED) {
            throw new IllegalStateException("turn failed: " + result);
        }
        return result;
    }

    @Benchmark
    public String langchain4j() {
        return assistant.chat(Weather.QUESTION);
    }

    /** Our model layer alone: the provider's two calls of the turn (encode, HTTP, decode), no loop, no router. */
    @Benchmark
    public io.mcpagent.api.llm.ChatResponse ourProviderOnly() {
        provider.chat(ourRequests[0]);
        return provider.chat(ourRequests[1]);
    }

    /** LangChain4j's model layer alone: OpenAiChatModel's two calls of the turn, no AI service. */
    @Benchmark
    public dev.langchain4j.model.chat.response.ChatResponse langchain4jModelOnly() {
        langchain4jModel.chat(langchain4jRequests[0]);
        return langchain4jModel.chat(langchain4jRequests[1]);
    }

    @Benchmark
    public int bareHttpOurBodies() throws IOException, InterruptedException {
        return twoCalls(bareForOurs, ourBodies);
    }

    @Benchmark
    public int bareHttpLangchain4jBodies() throws IOException, InterruptedException {
        return twoCalls(bareForLangchain4j, langchain4jBodies);
    }

    /** The socket floor for our bodies: see {@link SocketFloor}. */
    @Benchmark
    public int socketOurBodies() throws IOException {
        return socketForOurs.twoCalls();
    }

    @Benchmark
    public int socketLangchain4jBodies() throws IOException {
        return socketForLangchain4j.twoCalls();
    }

    private static int twoCalls(HttpClient bare, HttpRequest[] requests) throws IOException, InterruptedException {
        int bytes = 0;
        for (HttpRequest request : requests) {
            HttpResponse<byte[]> response = bare.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("fake answered " + response.statusCode() + ": "
                        + Arrays.toString(response.body()));
            }
            bytes += response.body().length;
        }
        return bytes;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("check failed: " + what);
        }
    }
}
