package io.mcpagent.benchmarks.agents;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A paired complement to {@link ToolTurnBenchmark} for a noisy machine: the same eight operations (our turn,
 * LangChain4j's turn, the two bare pairs of JDK HTTP calls, the two model layers alone, the two socket floors), set up
 * by the benchmark's own
 * {@code setUp}, run one after the
 * other in every round, the first of them rotating from round to round, each timed with {@code System.nanoTime()}.
 * Load from other processes then hits all of them alike, and the overheads are taken per round (turn minus its floor
 * in the same round), above both floors: the bare JDK pair, and the socket floor, which counts each framework's HTTP
 * client as part of its overhead. Prints medians, means and p90 per operation, the overheads, and the ratio ours/LangChain4j
 * of the mean overheads with a 95% bootstrap interval over rounds, plus the same ratio per tenth of the run. Also the
 * process CPU time per operation (all threads of the JVM, the fake server's included, which costs every operation the
 * same; summed over the rounds, so the coarse granularity of the process clock averages out).
 *
 * <p>Arguments: warm-up rounds (5000), measured rounds (20000, at least 10), and {@code virtual} to run every
 * operation on one virtual thread, as the platform runs its executions (by default they run on the main thread: our
 * provider then hands each exchange to a virtual thread, to stay interruptible).
 */
public final class PairedTurns {
    private static final String[] NAMES = {"mcpAgent", "langchain4j", "bareHttpOurBodies", "bareHttpLangchain4jBodies",
        "ourProviderOnly", "langchain4jModelOnly", "socketOurBodies", "socketLangchain4jBodies"};

    private PairedTurns() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        if (warmup < 0 || rounds < 10) {
            // the report splits the measured rounds in tenths
            throw new IllegalArgumentException("warm-up rounds must be at least 0 and measured rounds at least 10, were "
                    + warmup + " and " + rounds);
        }
        ToolTurnBenchmark bench = new ToolTurnBenchmark();
        bench.setUp();
        List<Callable<Object>> operations = List.of(bench::mcpAgent, bench::langchain4j, bench::bareHttpOurBodies,
                bench::bareHttpLangchain4jBodies, bench::ourProviderOnly, bench::langchain4jModelOnly,
                bench::socketOurBodies, bench::socketLangchain4jBodies);
        boolean virtual = args.length > 2 && args[2].equals("virtual");
        Callable<Void> measure = () -> {
            run(operations, warmup, null, null);
            long[][] nanos = new long[operations.size()][rounds];
            long[] cpu = new long[operations.size()];
            long start = System.nanoTime();
            run(operations, rounds, nanos, cpu);
            System.out.printf(Locale.ROOT, "%n%s, %d cores, on a %s thread; %d warm-up and %d measured rounds of %d "
                            + "operations in %.1f s%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), virtual ? "virtual" : "platform", warmup, rounds,
                    operations.size(), (System.nanoTime() - start) / 1e9);
            report(nanos, cpu);
            return null;
        };
        try {
            if (virtual) {
                // as the platform runs executions: every operation on one virtual thread
                try (ExecutorService thread = Executors.newVirtualThreadPerTaskExecutor()) {
                    thread.submit(measure).get();
                }
            } else {
                measure.call();
            }
        } finally {
            bench.tearDown();
        }
    }

    private static void run(List<Callable<Object>> operations, int rounds, long[][] nanos, long[] cpu) throws Exception {
        int n = operations.size();
        Object sink = null;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < n; k++) {
                int op = (round + k) % n;
                long cpuBefore = cpu == null ? 0 : processCpuNanos();
                long began = System.nanoTime();
                sink = operations.get(op).call();
                long took = System.nanoTime() - began;
                if (nanos != null) {
                    nanos[op][round] = took;
                    cpu[op] += processCpuNanos() - cpuBefore;
                }
            }
        }
        if (rounds > 0 && sink == null) {
            throw new IllegalStateException("no result");
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void report(long[][] nanos, long[] cpu) {
        int rounds = nanos[0].length;
        System.out.println("operation                   median us   mean us    p10 us    p90 us   process CPU us/op");
        for (int op = 0; op < NAMES.length; op++) {
            double[] us = Arrays.stream(nanos[op]).mapToDouble(v -> v / 1e3).toArray();
            System.out.printf(Locale.ROOT, "%-26s %9.1f %9.1f %9.1f %9.1f %12.1f%n", NAMES[op], percentile(us, 0.5),
                    mean(us), percentile(us, 0.1), percentile(us, 0.9), cpu[op] / 1e3 / rounds);
        }
        overheads(nanos, 2, 3, "the bare JDK HttpClient pair");
        overheads(nanos, 6, 7, "the socket floor (the HTTP client counted as part of the framework)");
        double[] ourModel = new double[rounds];
        double[] ourLoop = new double[rounds];
        double[] theirModel = new double[rounds];
        double[] theirLoop = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ourModel[r] = (nanos[4][r] - nanos[6][r]) / 1e3;
            ourLoop[r] = (nanos[0][r] - nanos[4][r]) / 1e3;
            theirModel[r] = (nanos[5][r] - nanos[7][r]) / 1e3;
            theirLoop[r] = (nanos[1][r] - nanos[5][r]) / 1e3;
        }
        System.out.printf(Locale.ROOT, "split above the socket floor (trimmed means, us): ours model layer %.1f + loop and router %.1f; "
                        + "LangChain4j model layer %.1f + AI service loop %.1f%n", trimmed(ourModel), trimmed(ourLoop),
                trimmed(theirModel), trimmed(theirLoop));
    }

    /** Overheads of both turns above the floor operations {@code ourFloor} and {@code theirFloor}, and their ratio. */
    private static void overheads(long[][] nanos, int ourFloor, int theirFloor, String floor) {
        int rounds = nanos[0].length;
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ours[r] = (nanos[0][r] - nanos[ourFloor][r]) / 1e3;
            theirs[r] = (nanos[1][r] - nanos[theirFloor][r]) / 1e3;
        }
        System.out.printf(Locale.ROOT, "%noverhead per round above %s (turn - floor of the same round), us:%n"
                        + "  ours:        median %.1f, mean %.1f, trimmed mean (10%%) %.1f%n"
                        + "  LangChain4j: median %.1f, mean %.1f, trimmed mean (10%%) %.1f%n"
                        + "overhead from the medians of the operations: ours %.1f, LangChain4j %.1f%n",
                floor, percentile(ours, 0.5), mean(ours), trimmed(ours), percentile(theirs, 0.5), mean(theirs), trimmed(theirs),
                percentile(us(nanos[0]), 0.5) - percentile(us(nanos[ourFloor]), 0.5),
                percentile(us(nanos[1]), 0.5) - percentile(us(nanos[theirFloor]), 0.5));
        SplittableRandom random = new SplittableRandom(42);
        double[] ratios = new double[1000];
        for (int b = 0; b < ratios.length; b++) {
            double sumOurs = 0;
            double sumTheirs = 0;
            for (int i = 0; i < rounds; i++) {
                int r = random.nextInt(rounds);
                sumOurs += ours[r];
                sumTheirs += theirs[r];
            }
            ratios[b] = sumOurs / sumTheirs;
        }
        System.out.printf(Locale.ROOT, "ratio of mean overheads ours/LangChain4j: %.2f (95%% bootstrap interval %.2f to %.2f);"
                        + " ratio of trimmed means %.2f; goal <= 0.5%n", mean(ours) / mean(theirs),
                percentile(ratios, 0.025), percentile(ratios, 0.975), trimmed(ours) / trimmed(theirs));
        List<String> tenths = new ArrayList<>();
        int block = rounds / 10;
        for (int t = 0; t < 10; t++) {
            double[] o = Arrays.copyOfRange(ours, t * block, (t + 1) * block);
            double[] l = Arrays.copyOfRange(theirs, t * block, (t + 1) * block);
            tenths.add(String.format(Locale.ROOT, "%.2f", trimmed(o) / trimmed(l)));
        }
        System.out.println("ratio of trimmed mean overheads per tenth of the run: " + String.join(" ", tenths));
    }

    private static double[] us(long[] nanos) {
        return Arrays.stream(nanos).mapToDouble(v -> v / 1e3).toArray();
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** Mean without the lowest and highest 10%. */
    private static double trimmed(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int cut = sorted.length / 10;
        return Arrays.stream(sorted, cut, sorted.length - cut).average().orElse(Double.NaN);
    }
}
