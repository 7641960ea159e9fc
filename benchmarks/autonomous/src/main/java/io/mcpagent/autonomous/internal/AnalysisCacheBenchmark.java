package io.mcpagent.autonomous.internal;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * {@code AnalysisService.analyze} on a cache hit (500 distinct tasks, all cached, capacity 1024); with the cache off,
 * asking the trivial analyzer every time (the floor of the uncached path) or the platform's heuristic analyzer (what
 * a hit saves). The hit covers the whitespace check of the text, the key's hash, one segment lock and the LRU
 * reordering.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AnalysisCacheBenchmark {
    private RankedAnalysisService cached;
    private RankedAnalysisService uncached;
    private RankedAnalysisService heuristic;
    private Task[] tasks;
    private int next;

    @Setup
    public void setUp() {
        tasks = Workload.tasks(500);
        cached = BenchPlatform.analysisService(1024);
        uncached = BenchPlatform.analysisService(0);
        heuristic = BenchPlatform.heuristicAnalysisService(0);
        for (Task task : tasks) {
            cached.analyze(task);
        }
        if (cached.cacheStats().size() != tasks.length) {
            throw new IllegalStateException("every task should be cached: " + cached.cacheStats());
        }
    }

    @Benchmark
    public TaskAnalysis hit() {
        return cached.analyze(tasks[next++ & 255]);
    }

    @Benchmark
    public TaskAnalysis cacheOff() {
        return uncached.analyze(tasks[next++ & 255]);
    }

    @Benchmark
    public TaskAnalysis cacheOffHeuristic() {
        return heuristic.analyze(tasks[next++ & 255]);
    }
}
