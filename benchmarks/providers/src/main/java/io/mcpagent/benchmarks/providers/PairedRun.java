package io.mcpagent.benchmarks.providers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bare-versus-adapter comparison of {@link ChatCallBenchmark}, interleaved: each round runs a batch of calls of
 * every variant, in a shuffled order, and the ratio adapter/bare is taken within the round. On a shared or noisy
 * machine the load changes between JMH's benchmark runs (seconds apart); within a round (milliseconds) it affects
 * bare and adapter alike, so the per-round ratios are much tighter than a ratio of two JMH scores.
 *
 * <pre>java -cp benchmarks/providers/target/benchmarks.jar io.mcpagent.benchmarks.providers.PairedRun [rounds] [calls per batch] [warm-up seconds]</pre>
 */
public final class PairedRun {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private PairedRun() {
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int warmupSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        if (rounds < 1 || batch < 1 || warmupSeconds < 0) {
            // the report divides by the calls of a batch and takes quantiles over the rounds
            throw new IllegalArgumentException("rounds and calls per batch must be at least 1 and warm-up seconds at "
                    + "least 0, were " + rounds + ", " + batch + " and " + warmupSeconds);
        }

        ChatCallBenchmark benchmark = new ChatCallBenchmark();
        benchmark.setUp();
        Map<String, Call> variants = new LinkedHashMap<>();
        variants.put("openAiBare", benchmark::openAiBare);
        variants.put("openAiAdapter", benchmark::openAiAdapter);
        variants.put("anthropicBare", benchmark::anthropicBare);
        variants.put("anthropicAdapter", benchmark::anthropicAdapter);
        variants.put("openAiStep3ProviderHttp", benchmark::openAiStep3ProviderHttp);
        variants.put("openAiStep5Codec", benchmark::openAiStep5Codec);
        variants.put("anthropicStep5Codec", benchmark::anthropicStep5Codec);
        variants.put("openAiStep7Parts", benchmark::openAiStep7Parts);
        variants.put("anthropicStep7Parts", benchmark::anthropicStep7Parts);
        variants.put("openAiStep6RateLimits", benchmark::openAiStep6RateLimits);
        variants.put("anthropicStep6RateLimits", benchmark::anthropicStep6RateLimits);
        List<String> names = new ArrayList<>(variants.keySet());
        try {
            long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            while (System.nanoTime() < warmEnd) {
                for (Call call : variants.values()) {
                    for (int i = 0; i < batch; i++) {
                        call.run();
                    }
                }
            }
            Map<String, double[]> micros = new LinkedHashMap<>();
            Map<String, double[]> cpuMicros = new LinkedHashMap<>();
            Map<String, double[]> callerMicros = new LinkedHashMap<>();
            names.forEach(name -> callerMicros.put(name, new double[rounds]));
            names.forEach(name -> micros.put(name, new double[rounds]));
            names.forEach(name -> cpuMicros.put(name, new double[rounds]));
            Random random = new Random(42);
            for (int round = 0; round < rounds; round++) {
                Collections.shuffle(names, random);
                for (String name : names) {
                    Call call = variants.get(name);
                    Map<String, long[]> threadsBefore = ProcessProfiler.snapshot();
                    long callerStart = THREADS.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    for (int i = 0; i < batch; i++) {
                        call.run();
                    }
                    long end = System.nanoTime();
                    callerMicros.get(name)[round] = (THREADS.getCurrentThreadCpuTime() - callerStart) / 1000.0 / batch;
                    micros.get(name)[round] = (end - start) / 1000.0 / batch;
                    long[] used = ProcessProfiler.delta(threadsBefore, ProcessProfiler.snapshot());
                    cpuMicros.get(name)[round] = used[0] / 1000.0 / batch;
                }
            }
            System.out.printf("%d rounds of %d calls per variant, shuffled order; microseconds per call over the rounds%n",
                    rounds, batch);
            System.out.printf("%-28s %9s %9s %9s %9s%n", "variant", "p25", "median", "p75", "mean");
            micros.forEach((name, values) -> row(name, values));
            System.out.println("ratio per round (same round):");
            System.out.printf("%-28s %9s %9s %9s %9s%n", "ratio", "p25", "median", "p75", "mean");
            row("openAiAdapter/openAiBare", ratio(micros.get("openAiAdapter"), micros.get("openAiBare")));
            row("anthropicAdapter/anthropicBare", ratio(micros.get("anthropicAdapter"), micros.get("anthropicBare")));
            row("openAiStep3/openAiBare", ratio(micros.get("openAiStep3ProviderHttp"), micros.get("openAiBare")));
            row("openAiStep7/openAiBare", ratio(micros.get("openAiStep7Parts"), micros.get("openAiBare")));
            row("anthropicStep7/anthropicBare", ratio(micros.get("anthropicStep7Parts"), micros.get("anthropicBare")));
            System.out.println("CPU time of the whole process per call (all threads: client and server), microseconds:");
            System.out.printf("%-28s %9s %9s %9s %9s%n", "variant", "p25", "median", "p75", "mean");
            cpuMicros.forEach((name, values) -> row(name, values));
            row("cpu openAiAdapter/Bare", ratio(cpuMicros.get("openAiAdapter"), cpuMicros.get("openAiBare")));
            row("cpu anthropicAdapter/Bare", ratio(cpuMicros.get("anthropicAdapter"), cpuMicros.get("anthropicBare")));
            System.out.println("CPU time of the calling thread per call (the adapter's own code runs there), microseconds:");
            System.out.printf("%-28s %9s %9s %9s %9s%n", "variant", "p25", "median", "p75", "mean");
            callerMicros.forEach((name, values) -> row(name, values));
        } finally {
            benchmark.tearDown();
        }
    }

    private static double[] ratio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    private static void row(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%-28s %9.3f %9.3f %9.3f %9.3f%n", name, quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), Arrays.stream(values).average().orElse(Double.NaN));
    }

    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
