package io.mcpagent.benchmarks.agents;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.AiServices;
import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.core.internal.agent.DefaultAgentRuntime;
import io.mcpagent.core.internal.llm.BenchRouters;
import io.mcpagent.core.internal.security.HeldSecretsMasker;

/**
 * The same tool turn as {@link ToolTurnBenchmark} with the model in process (no HTTP, no JSON wire format): what the
 * tool loops and routing cost by themselves. Ours: DefaultAgentRuntime over DefaultLlmRouter and a {@link SleepingModel}
 * that answers at once. LangChain4j: the same AI service over a {@link ChatModel} that answers at once. Both models
 * ask for {@code get_weather} first and answer once they get its result; both tools parse their arguments with
 * Jackson (ours in the function, LangChain4j in its tool executor).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class InProcessTurnBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** LangChain4j's model: a tool call first, the answer once the tool result is in. */
    static final class InstantChatModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            if (messages.get(messages.size() - 1) instanceof ToolExecutionResultMessage) {
                return ChatResponse.builder().aiMessage(AiMessage.from(Weather.ANSWER))
                        .tokenUsage(new TokenUsage(92, 12)).finishReason(FinishReason.STOP).build();
            }
            ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-1").name(Weather.TOOL)
                    .arguments(Weather.TOOL_ARGUMENTS).build();
            return ChatResponse.builder().aiMessage(AiMessage.from(call)).tokenUsage(new TokenUsage(61, 15))
                    .finishReason(FinishReason.TOOL_EXECUTION).build();
        }
    }

    private AgentRuntime runtime;
    private AgentSpec spec;
    private final AtomicLong executions = new AtomicLong();
    private ToolTurnBenchmark.WeatherAssistant assistant;

    @Setup(Level.Trial)
    public void setUp() {
        SleepingModel model = new SleepingModel(Duration.ZERO);
        runtime = new DefaultAgentRuntime(BenchRouters.router(StaticPlugins.of("instant", model)), new HeldSecretsMasker());
        AgentFunction weather = arguments -> {
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
        ToolTurnBenchmark.WeatherTools tools = new ToolTurnBenchmark.WeatherTools();
        assistant = AiServices.builder(ToolTurnBenchmark.WeatherAssistant.class).chatModel(new InstantChatModel())
                .tools(tools).build();

        AgentResult ours = mcpAgent();
        if (ours.iterations() != 2 || model.calls() != 2) {
            throw new IllegalStateException("our turn: " + ours);
        }
        String theirs = langchain4j();
        if (!Weather.ANSWER.equals(theirs) || tools.calls.get() != 1) {
            throw new IllegalStateException("LangChain4j's turn: " + theirs);
        }
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

    /**
     * Only the thread hand-offs of our turn, nothing else: the tool loop runs each of the two model calls and the tool
     * call as a FutureTask on a new virtual thread and waits for it with a timed get of at most 25 ms (Bounded in
     * bundles/core). Here the task does nothing.
     */
    @Benchmark
    public int threeHandOffs() throws Exception {
        int sum = 0;
        for (int i = 0; i < 3; i++) {
            FutureTask<Integer> task = new FutureTask<>(() -> 1);
            Thread.ofVirtual().name("bench-hand-off").start(task);
            while (true) {
                try {
                    sum += task.get(25, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    // as Bounded does: look again
                }
            }
        }
        return sum;
    }
}
