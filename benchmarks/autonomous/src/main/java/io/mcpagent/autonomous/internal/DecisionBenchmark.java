package io.mcpagent.autonomous.internal;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * One {@code DecisionEngine.decide}: the six installed patterns read from the whiteboard and scored with their own
 * suitability functions, the winner, five ranked alternatives with reasons, the reasoning text, and the servers the
 * capabilities need, matched against five installed servers and the 31-entry built-in catalog.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionBenchmark {

    /** simple: no capabilities; coding: three, all installed; research: four, two only in the catalog. */
    @Param({"simple", "coding", "research"})
    public String analysis;

    private InstalledPatternDecisionEngine engine;
    private TaskAnalysis input;

    @Setup
    public void setUp() {
        engine = BenchPlatform.decisionEngine(BenchPlatform.plugins(), new BenchPlatform.BuiltinCatalog());
        input = BenchPlatform.analysis(analysis);
        StrategyRecommendation decision = engine.decide(input);
        if (decision.alternatives().size() != 5) {
            throw new IllegalStateException("expected six candidate patterns, got " + decision);
        }
        System.out.println("\n" + analysis + " -> " + decision.pattern() + " (confidence "
                + Math.round(decision.confidence() * 100) / 100.0 + "), servers " + decision.requiredServers()
                + "\n  " + decision.reasoning());
    }

    @Benchmark
    public StrategyRecommendation decide() {
        return engine.decide(input);
    }
}
