package io.mcpagent.benchmarks.analyzers;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

import io.mcpagent.analyzer.heuristic.internal.HeuristicAnalyzerConfig;
import io.mcpagent.analyzer.heuristic.internal.HeuristicTaskAnalyzer;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * One {@code analyze} call of the heuristic analyzer. {@code corpusTask} takes the labelled corpus's tasks in turn
 * (only their text: dev.tsv and test.tsv, read from {@code corpus}, relative to the working directory), so its
 * average and percentiles are over the corpus's mix of short and long tasks. {@code hugeTask} is a 1 MB paste, of
 * which the analyzer scans the first 20,000 characters (its default). The goal is a p50 of at most 5 microseconds.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeuristicAnalyzerBenchmark {

    @Param("bundles/analyzers/corpus")
    public String corpus;

    private HeuristicTaskAnalyzer analyzer;
    private Task[] tasks;
    private int next;
    private Task huge;

    @Setup
    public void setUp() throws IOException {
        analyzer = new HeuristicTaskAnalyzer(new DefaultConfig());
        List<Task> loaded = new ArrayList<>();
        for (String file : List.of("dev.tsv", "test.tsv")) {
            boolean header = true;
            for (String line : Files.readAllLines(Path.of(corpus, file), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false; // the column names
                    continue;
                }
                loaded.add(Task.of(line.substring(0, line.indexOf('\t'))));
            }
        }
        if (loaded.isEmpty()) {
            throw new IllegalStateException("no tasks in " + Path.of(corpus).toAbsolutePath()
                    + "; run from the repository root or pass -p corpus=<dir>");
        }
        tasks = loaded.toArray(new Task[0]);
        StringBuilder text = new StringBuilder(1 << 20);
        while (text.length() < (1 << 20)) {
            text.append(tasks[text.length() % tasks.length].text()).append(' ');
        }
        huge = Task.of(text.toString());
    }

    @Benchmark
    public TaskAnalysis corpusTask() {
        Task task = tasks[next];
        next = next + 1 == tasks.length ? 0 : next + 1;
        return analyzer.analyze(task);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public TaskAnalysis hugeTask() {
        return analyzer.analyze(huge);
    }

    /** The component's defaults, as DS passes them without a configuration. */
    private static final class DefaultConfig implements HeuristicAnalyzerConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return HeuristicAnalyzerConfig.class;
        }

        @Override
        public int service_ranking() {
            return 0;
        }

        @Override
        public int maxScannedChars() {
            return 20_000;
        }
    }
}
