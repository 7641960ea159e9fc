package io.mcpagent.benchmarks.providers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * What a call costs the whole benchmark JVM (benchmark thread, HTTP client threads, the loopback server,
 * virtual-thread carriers, also JIT and GC threads): CPU time per operation ({@code cpu.process}: the threads' time on
 * a CPU, so less sensitive than wall time to other processes competing for the CPUs) and context switches per
 * operation. A voluntary switch is a thread blocking (waiting for another thread or for I/O), so on a loopback call it
 * counts hand-offs between threads. From Linux's {@code /proc/self/task/<tid>/schedstat} and {@code status}, per
 * thread (a thread that ends during an iteration loses what it did in it); Linux only. Use with
 * {@code -prof io.mcpagent.benchmarks.providers.ProcessProfiler}.
 */
public final class ProcessProfiler implements InternalProfiler {
    private Map<String, long[]> before = Map.of();

    @Override
    public String getDescription() {
        return "process CPU time and context switches per operation, all threads of the JVM (Linux /proc)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = snapshot();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long[] delta = delta(before, snapshot());
        double ops = Math.max(1, result.getMetadata().getAllOps());
        return List.of(new ScalarResult("cpu.process", delta[0] / 1000.0 / ops, "us/op", AggregationPolicy.AVG),
                new ScalarResult("ctxsw.voluntary", delta[1] / ops, "#/op", AggregationPolicy.AVG),
                new ScalarResult("ctxsw.involuntary", delta[2] / ops, "#/op", AggregationPolicy.AVG));
    }

    /** Per thread id: nanoseconds on a CPU, voluntary and involuntary context switches so far. Empty off Linux. */
    static Map<String, long[]> snapshot() {
        Map<String, long[]> counts = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                long[] count = new long[3];
                try {
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    count[0] = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            count[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            count[2] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    continue; // the thread ended meanwhile
                }
                counts.put(task.getFileName().toString(), count);
            }
        } catch (IOException notLinux) {
            // no figures
        }
        return counts;
    }

    /** What the threads alive at {@code after} did since {@code before}: CPU nanoseconds, voluntary, involuntary switches. */
    static long[] delta(Map<String, long[]> before, Map<String, long[]> after) {
        long[] sum = new long[3];
        for (Map.Entry<String, long[]> thread : after.entrySet()) {
            long[] start = before.getOrDefault(thread.getKey(), new long[3]);
            for (int i = 0; i < 3; i++) {
                sum[i] += thread.getValue()[i] - start[i];
            }
        }
        return sum;
    }
}
