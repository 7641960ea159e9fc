package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkerEvent;

class PlatformMetricsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final PlatformMetrics metrics = new PlatformMetrics();

    @Test
    void executionsAreCountedByPatternAndOutcomeWithTheirDuration() throws Exception {
        metrics.onEvent(started("e1", "direct"));
        metrics.onEvent(started("e2", "direct"));
        metrics.onEvent(finished("e1", "direct", ExecutionStatus.SUCCEEDED, Duration.ofMillis(2500)));
        metrics.onEvent(finished("e2", "direct", ExecutionStatus.FAILED, Duration.ofSeconds(40)));

        List<String> lines = lines();
        assertContains(lines,
                "mcpagent_executions_started_total{pattern=\"direct\"} 2.0",
                "mcpagent_executions_total{outcome=\"failed\",pattern=\"direct\"} 1.0",
                "mcpagent_executions_total{outcome=\"succeeded\",pattern=\"direct\"} 1.0",
                "mcpagent_execution_duration_seconds_bucket{pattern=\"direct\",le=\"2.5\"} 1",
                "mcpagent_execution_duration_seconds_bucket{pattern=\"direct\",le=\"30.0\"} 1",
                "mcpagent_execution_duration_seconds_bucket{pattern=\"direct\",le=\"60.0\"} 2",
                "mcpagent_execution_duration_seconds_bucket{pattern=\"direct\",le=\"+Inf\"} 2",
                "mcpagent_execution_duration_seconds_count{pattern=\"direct\"} 2",
                "mcpagent_execution_duration_seconds_sum{pattern=\"direct\"} 42.5",
                "mcpagent_errors_total{kind=\"execution\"} 1.0",
                "mcpagent_errors_total{kind=\"tool\"} 0.0");
    }

    @Test
    void modelCallsCountTokensCostAndLatencyByProviderAndModel() throws Exception {
        metrics.onEvent(call("openai", "gpt-5-mini", Duration.ofMillis(800), Usage.of(1200, 300), "0.0021", null));
        metrics.onEvent(call("openai", "gpt-5-mini", Duration.ofMillis(1500), Usage.of(800, 100), "0.0009", null));
        metrics.onEvent(call("anthropic", "claude-x", Duration.ofMillis(50), Usage.NONE, "0",
                "RATE_LIMITED: slow down"));
        metrics.onEvent(agent(AgentEvent.LLM_FINISHED, "openai/gpt-5-mini", Duration.ofMillis(800), Usage.of(1200, 300),
                new BigDecimal("0.0021"), false, "stop END_TURN")); // the agent's view of a call already counted

        List<String> lines = lines();
        assertContains(lines,
                "mcpagent_llm_calls_total{model=\"gpt-5-mini\",outcome=\"success\",provider=\"openai\"} 2.0",
                "mcpagent_llm_calls_total{model=\"claude-x\",outcome=\"error\",provider=\"anthropic\"} 1.0",
                "mcpagent_llm_tokens_total{direction=\"input\",model=\"gpt-5-mini\",provider=\"openai\"} 2000.0",
                "mcpagent_llm_tokens_total{direction=\"output\",model=\"gpt-5-mini\",provider=\"openai\"} 400.0",
                "mcpagent_llm_tokens_total{direction=\"input\",model=\"claude-x\",provider=\"anthropic\"} 0.0",
                "mcpagent_llm_cost_usd_total{model=\"gpt-5-mini\",provider=\"openai\"} 0.003",
                "mcpagent_llm_call_duration_seconds_bucket{provider=\"openai\",le=\"0.5\"} 0",
                "mcpagent_llm_call_duration_seconds_bucket{provider=\"openai\",le=\"1.0\"} 1",
                "mcpagent_llm_call_duration_seconds_bucket{provider=\"openai\",le=\"2.5\"} 2",
                "mcpagent_llm_call_duration_seconds_count{provider=\"openai\"} 2",
                "mcpagent_llm_call_duration_seconds_sum{provider=\"openai\"} 2.3",
                "mcpagent_llm_call_duration_seconds_count{provider=\"anthropic\"} 1",
                "mcpagent_errors_total{kind=\"llm\"} 1.0");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("# HELP mcpagent_llm_calls_total Model calls the LLM "
                + "router made (each attempt, fallbacks included), for agents, direct chats and the LLM analyzer alike")),
                "every router call is counted, not only the agents'");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("# HELP mcpagent_llm_tokens_total Tokens billed for "
                + "model calls (a failed call's are usually none)")), "a failed call's billed tokens count too");
    }

    @Test
    void modelCallsCountEveryBilledTokenTypeSoThatTheTotalAddsUp() throws Exception {
        // Gemini with a built-in tool: 40 tool prompt tokens beside the input; 600 of the input read from the cache,
        // 300 written to it (100 of them for an hour)
        Usage usage = new Usage(1000, 600, 300, 100, 200, 50, 40, Map.of());
        metrics.onEvent(call("gemini", "gemini-x", Duration.ofMillis(300), usage, "0.001", null));
        metrics.onEvent(call("openai", "gpt-5-mini", Duration.ofMillis(300), Usage.of(10, 5), "0.0001", null));

        List<String> lines = lines();
        assertContains(lines,
                "mcpagent_llm_tokens_total{direction=\"input\",model=\"gemini-x\",provider=\"gemini\"} 1000.0",
                "mcpagent_llm_tokens_total{direction=\"tool_prompt\",model=\"gemini-x\",provider=\"gemini\"} 40.0",
                "mcpagent_llm_tokens_total{direction=\"output\",model=\"gemini-x\",provider=\"gemini\"} 200.0",
                "mcpagent_llm_tokens_total{direction=\"cache_read\",model=\"gemini-x\",provider=\"gemini\"} 600.0",
                "mcpagent_llm_tokens_total{direction=\"cache_write\",model=\"gemini-x\",provider=\"gemini\"} 300.0",
                "mcpagent_llm_tokens_total{direction=\"cache_write_1h\",model=\"gemini-x\",provider=\"gemini\"} 100.0",
                // every type from a model's first call, so that a rate over it misses no first count
                "mcpagent_llm_tokens_total{direction=\"tool_prompt\",model=\"gpt-5-mini\",provider=\"openai\"} 0.0",
                "mcpagent_llm_tokens_total{direction=\"cache_write\",model=\"gpt-5-mini\",provider=\"openai\"} 0.0",
                "mcpagent_llm_tokens_total{direction=\"cache_write_1h\",model=\"gpt-5-mini\",provider=\"openai\"} 0.0");
        assertEquals(1000 + 40 + 200, usage.totalTokens(), "input, tool_prompt and output add up to every token");
        assertEquals(12, lines.stream().filter(line -> line.startsWith("mcpagent_llm_tokens_total{")).count(),
                "six types for each of the two models, no more: " + lines);
    }

    private static LlmCallEvent call(String provider, String model, Duration took, Usage usage, String cost,
                                     String error) {
        return new LlmCallEvent(T0, "e1", provider, model, 1, false, error == null, usage, new BigDecimal(cost), took,
                error);
    }

    @Test
    void toolCallsAreCountedByServerToolAndOutcome() throws Exception {
        metrics.onEvent(agent(AgentEvent.TOOL_FINISHED, "memory__read_graph", Duration.ofMillis(30), null, null, false,
                "memory/read_graph {}"));
        metrics.onEvent(agent(AgentEvent.TOOL_FINISHED, "memory__read_graph", Duration.ofMillis(70), null, null, true,
                "memory/read_graph {} -> error: boom"));
        metrics.onEvent(agent(AgentEvent.TOOL_FINISHED, "lookup", Duration.ofMillis(5), null, null, false,
                "function {\"q\":1}"));

        List<String> lines = lines();
        assertContains(lines,
                "mcpagent_tool_calls_total{outcome=\"success\",server=\"memory\",tool=\"read_graph\"} 1.0",
                "mcpagent_tool_calls_total{outcome=\"error\",server=\"memory\",tool=\"read_graph\"} 1.0",
                "mcpagent_tool_calls_total{outcome=\"success\",server=\"function\",tool=\"lookup\"} 1.0",
                "mcpagent_tool_call_duration_seconds_bucket{server=\"memory\",le=\"0.05\"} 1",
                "mcpagent_tool_call_duration_seconds_bucket{server=\"memory\",le=\"0.1\"} 2",
                "mcpagent_tool_call_duration_seconds_count{server=\"memory\"} 2",
                "mcpagent_tool_call_duration_seconds_sum{server=\"memory\"} 0.1",
                "mcpagent_errors_total{kind=\"tool\"} 1.0");
    }

    @Test
    void workerFailuresAndFallbacksCountAsErrors() throws Exception {
        metrics.onEvent(new WorkerEvent(T0, WorkerEvent.FINISHED, "e1", "writer", "agent", ExecutionStatus.FAILED,
                Duration.ofSeconds(1), "no provider"));
        metrics.onEvent(new WorkerEvent(T0, WorkerEvent.FINISHED, "e1", "reader", "agent", ExecutionStatus.SUCCEEDED,
                Duration.ofSeconds(1), null));
        metrics.onEvent(new FallbackEvent(T0, "e1", "router", "direct", "router failed"));

        assertContains(lines(), "mcpagent_errors_total{kind=\"worker\"} 1.0", "mcpagent_errors_total{kind=\"fallback\"} 1.0");
    }

    @Test
    void eachLabelKeepsALimitedNumberOfValuesAndFoldsTheRestIntoOther() throws Exception {
        PlatformMetrics capped = new PlatformMetrics(2);
        for (String pattern : List.of("direct", "swarm", "hostile-1", "hostile-2", "direct")) {
            capped.onEvent(started("e", pattern));
        }
        capped.onEvent(started("e", "x".repeat(500)));

        List<String> lines = lines(capped);
        assertContains(lines,
                "mcpagent_executions_started_total{pattern=\"direct\"} 2.0",
                "mcpagent_executions_started_total{pattern=\"swarm\"} 1.0",
                "mcpagent_executions_started_total{pattern=\"other\"} 3.0");
        assertEquals(3, lines.stream().filter(l -> l.startsWith("mcpagent_executions_started_total{")).count(), lines::toString);
    }

    @Test
    void longLabelValuesAreCut() {
        BoundedLabel label = new BoundedLabel(5);
        assertEquals("y".repeat(BoundedLabel.MAX_LENGTH), label.bound("y".repeat(BoundedLabel.MAX_LENGTH + 50)));
        assertEquals(BoundedLabel.UNKNOWN, label.bound(" "));
        assertEquals(BoundedLabel.UNKNOWN, label.bound(null));
    }

    @Test
    void jvmMetricsAreIncluded() throws Exception {
        List<String> lines = lines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\"}")), "heap in use");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jvm_threads_current ")), "thread count");
    }

    @Test
    void prometheusTextByDefaultOpenMetricsWhenAsked() throws Exception {
        metrics.onEvent(finished("e1", "direct", ExecutionStatus.SUCCEEDED, Duration.ofSeconds(1)));
        MetricsServlet.Scrape text = MetricsServlet.expose(accept(null), metrics.collect());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", text.contentType());
        MetricsServlet.Scrape browser = MetricsServlet.expose(accept("text/html,*/*;q=0.8"), metrics.collect());
        assertEquals(text.contentType(), browser.contentType());

        MetricsServlet.Scrape open = MetricsServlet.expose(
                accept("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"), metrics.collect());
        assertTrue(open.contentType().startsWith("application/openmetrics-text; version=1.0.0"), open.contentType());
        String body = new String(open.body(), StandardCharsets.UTF_8);
        assertTrue(body.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(body.contains("# UNIT mcpagent_execution_duration_seconds seconds"), body);
    }

    @Test
    void openMetricsOnlyWhenItsWeightIsAboveZeroAndAtLeastTextsWeight() throws Exception {
        String prometheus = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;"
                + "q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
                + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
        assertTrue(contentType(prometheus).startsWith("application/openmetrics-text"), prometheus);
        assertTrue(contentType("application/openmetrics-text").startsWith("application/openmetrics-text"));
        for (String text : List.of("application/openmetrics-text;q=0, */*", "application/openmetrics-text;q=0, text/plain",
                "text/plain, application/openmetrics-text;q=0.5", "*/*", "text/*")) {
            assertTrue(contentType(text).startsWith("text/plain"), text);
        }
    }

    private String contentType(String accept) throws Exception {
        return MetricsServlet.expose(accept(accept), metrics.collect()).contentType();
    }

    private static AcceptHeader accept(String header) {
        return AcceptHeader.of(header == null ? null : Collections.enumeration(List.of(header)));
    }

    private static ExecutionStatusEvent started(String id, String pattern) {
        return new ExecutionStatusEvent(T0, ExecutionStatusEvent.STARTED, id, pattern, ExecutionStatus.RUNNING, null);
    }

    private static ExecutionStatusEvent finished(String id, String pattern, ExecutionStatus status, Duration took) {
        ExecutionResult result = new ExecutionResult(id, pattern, status, "out", null, Usage.NONE, T0, T0.plus(took));
        return new ExecutionStatusEvent(T0.plus(took), ExecutionStatusEvent.FINISHED, id, pattern, status,
                status == ExecutionStatus.SUCCEEDED ? null : "failed", "default", "task", result);
    }

    private static AgentEvent agent(String type, String subject, Duration took, Usage usage, BigDecimal cost,
                                    boolean error, String detail) {
        return new AgentEvent(T0, type, "e1", "worker", 1, subject, took, usage, cost, error, detail);
    }

    private List<String> lines() throws Exception {
        return lines(metrics);
    }

    private static List<String> lines(PlatformMetrics source) throws Exception {
        return new String(MetricsServlet.expose(accept(null), source.collect()).body(), StandardCharsets.UTF_8).lines().toList();
    }

    static void assertContains(List<String> lines, String... expected) {
        for (String line : expected) {
            assertTrue(lines.contains(line), () -> "missing: " + line + "\nmcpagent lines:\n" + String.join("\n",
                    lines.stream().filter(l -> l.startsWith("mcpagent_")).toList()));
        }
    }
}
