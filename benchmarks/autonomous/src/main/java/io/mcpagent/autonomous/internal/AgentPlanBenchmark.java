package io.mcpagent.autonomous.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentPlanOptions;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * One {@code DynamicAgentFactory.plan} with warm servers: a coding task needing code_repository, file_read and
 * file_write, all served by installed servers (github, filesystem), so binding is naming plugin ids and nothing
 * is installed. The pattern decides the team: direct (one agent), parallel (three), orchestrator (four).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AgentPlanBenchmark {

    @Param({"direct", "parallel", "orchestrator"})
    public String pattern;

    private RoleBasedAgentFactory factory;
    private Task task;
    private TaskAnalysis analysis;
    private StrategyRecommendation strategy;

    @Setup
    public void setUp() {
        factory = BenchPlatform.agentFactory(BenchPlatform.plugins(), new BenchPlatform.BuiltinCatalog());
        task = Task.of("Rename the configuration class in our repository, update every file that reads it, and "
                + "note the change in the changelog");
        analysis = BenchPlatform.analysis("coding");
        strategy = new StrategyRecommendation(pattern, 0.8, "", java.util.Set.of(), Complexity.COMPLEX, List.of());
        AgentPlan plan = plan();
        if (!plan.unmetCapabilities().isEmpty() || !plan.installedServers().isEmpty()) {
            throw new IllegalStateException("every capability should be served by a warm server: " + plan);
        }
        System.out.println("\n" + pattern + " -> " + plan.agents().stream()
                .map(agent -> agent.spec().name() + agent.spec().servers()).toList());
    }

    @Benchmark
    public AgentPlan plan() {
        return factory.plan(task, analysis, strategy, AgentPlanOptions.DEFAULTS);
    }
}
