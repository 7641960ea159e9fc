package io.mcpagent.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import io.mcpagent.benchmarks.Clients.Echo;
import io.mcpagent.benchmarks.Clients.Kind;

/**
 * Round-trip latency and pipelined throughput of {@code tools/call echo} against server-everything: our client
 * and the official MCP Java SDK, over stdio and Streamable HTTP, with a raw no-library client as the floor. A plain
 * harness, not JMH: each run starts its own server, connects, warms up, then times sequential calls one by one with
 * {@link System#nanoTime()}. Odd rounds reverse the order (ours, SDK, raw / raw, SDK, ours) so drift on a noisy
 * machine hits every side alike; the final table pools all runs. Throughput (stdio, ours and SDK) is the number of
 * successful calls from concurrent callers sharing one client.
 */
public final class CallLatency {
    private static final String MESSAGE = "hello from the mcp-calls benchmark";
    private static final double GOAL_STDIO = 0.5;
    private static final double GOAL_HTTP = 0.6;

    /** The harness's knobs, from the system properties {@code bench.*}. */
    record Knobs(int calls, int warmup, int rounds, int threads, int seconds, boolean platform) {
        static Knobs fromSystemProperties() {
            return new Knobs(Integer.getInteger("bench.calls", 5000), Integer.getInteger("bench.warmup", 3000),
                    Integer.getInteger("bench.rounds", 2), Integer.getInteger("bench.threads", 32),
                    Integer.getInteger("bench.seconds", 5), Boolean.getBoolean("bench.platform"));
        }
    }

    /** Opens a connected client of the given kind. */
    interface Opener {
        Echo open(Kind kind) throws Exception;
    }

    private final Knobs knobs;
    private final Opener opener;
    private final Map<Kind, List<long[]>> latencies = new EnumMap<>(Kind.class);
    private final Map<Kind, List<Double>> throughputs = new EnumMap<>(Kind.class);
    private final List<String> problems = new ArrayList<>();
    /** Clients with a run that failed or left a server process running: any of them fails the harness. */
    private final Set<Kind> failed = EnumSet.noneOf(Kind.class);

    CallLatency(Knobs knobs, Opener opener) {
        this.knobs = knobs;
        this.opener = opener;
        for (Kind kind : Kind.values()) {
            latencies.put(kind, new ArrayList<>());
            throughputs.put(kind, new ArrayList<>());
        }
    }

    public static void main(String[] args) {
        // Whatever happens, no server process outlives the harness.
        Runtime.getRuntime().addShutdownHook(new Thread(CallLatency::killDescendants));
        int status = 0;
        try {
            Path modules = Path.of(System.getProperty("bench.npm", "../../itests/npm/node_modules"));
            Clients.Server server = Clients.Server.in(modules);
            System.out.printf(Locale.ROOT, "Java %s, %d CPUs, server %s%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), server.script());
            Set<Kind> failed = new CallLatency(Knobs.fromSystemProperties(), kind -> Clients.open(kind, server)).run();
            if (!failed.isEmpty()) {
                System.out.println("FAILED: " + failed.stream().map(Kind::toString).collect(Collectors.joining(", "))
                        + " (see the problems above)");
                status = 1;
            }
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            killDescendants();
        }
        System.exit(status); // reactor and HTTP client threads must not keep the JVM alive
    }

    /**
     * All runs and the report; answers the clients that failed. Failed calls within a throughput run are reported but
     * fail nothing: they are part of what is measured (the SDK drops some under contention, see the README).
     */
    Set<Kind> run() throws InterruptedException {
        System.out.printf(Locale.ROOT, "MCP tools/call echo: %d warm-up + %d timed sequential calls per run,"
                + " %d round(s); throughput %d %s threads x %d s%n%n", knobs.warmup, knobs.calls, knobs.rounds,
                knobs.threads, knobs.platform ? "platform" : "virtual", knobs.seconds);
        for (Kind[] group : new Kind[][] {{Kind.OURS_STDIO, Kind.SDK_STDIO, Kind.RAW_STDIO},
                {Kind.OURS_HTTP, Kind.SDK_HTTP, Kind.RAW_HTTP}}) {
            for (int round = 0; round < knobs.rounds; round++) {
                for (Kind kind : ordered(group, round)) {
                    latencyRun(kind, round + 1);
                }
            }
        }
        for (int round = 0; round < knobs.rounds; round++) {
            for (Kind kind : ordered(new Kind[] {Kind.OURS_STDIO, Kind.SDK_STDIO}, round)) {
                throughputRun(kind, round + 1);
            }
        }
        report();
        return failed;
    }

    /** Odd rounds run the group in reverse order. */
    private static List<Kind> ordered(Kind[] group, int round) {
        List<Kind> order = new ArrayList<>(List.of(group));
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    // ---------------------------------------------------------------- runs

    private void latencyRun(Kind kind, int run) throws InterruptedException {
        try (Echo echo = opener.open(kind)) {
            for (int i = 0; i < knobs.warmup; i++) {
                echo.echo(MESSAGE);
            }
            settle();
            long[] samples = new long[knobs.calls];
            for (int i = 0; i < knobs.calls; i++) {
                long start = System.nanoTime();
                echo.echo(MESSAGE);
                samples[i] = System.nanoTime() - start;
            }
            latencies.get(kind).add(samples);
            Stats stats = Stats.of(samples);
            System.out.printf(Locale.ROOT, "latency    %-10s run %d (protocol %s): p50 %8.1f  p90 %8.1f  p99 %8.1f"
                    + "  mean %8.1f us%n", kind, run, echo.protocolVersion(), stats.p50, stats.p90, stats.p99,
                    stats.mean);
        } catch (Exception e) {
            problem(kind, "latency run " + run, e);
        }
        checkNoLeftovers(kind);
    }

    private void throughputRun(Kind kind, int run) throws InterruptedException {
        try (Echo echo = opener.open(kind)) {
            for (int i = 0; i < knobs.warmup; i++) {
                echo.echo(MESSAGE);
            }
            concurrently(echo, Math.min(1, knobs.seconds)); // warms the concurrent paths too
            settle();
            Outcome outcome = concurrently(echo, knobs.seconds);
            double perSecond = outcome.calls * 1e9 / outcome.elapsedNanos;
            throughputs.get(kind).add(perSecond);
            String failed = outcome.failures == 0 ? ""
                    : outcome.failures + " failed calls, first: " + outcome.firstFailure;
            System.out.printf(Locale.ROOT, "throughput %-10s run %d: %,10.0f calls/s%s%n", kind, run, perSecond,
                    failed.isEmpty() ? "" : "  (" + failed + ")");
            if (!failed.isEmpty()) {
                problems.add(kind + " throughput run " + run + ": " + failed);
            }
        } catch (Exception e) {
            problem(kind, "throughput run " + run, e);
        }
        checkNoLeftovers(kind);
    }

    /** Successful calls (failed ones are not counted), failures, and the wall time until the last caller ended. */
    private record Outcome(long calls, long failures, String firstFailure, long elapsedNanos) {
    }

    /** The knobs' threads calling back to back on the one client for the given time. */
    private Outcome concurrently(Echo echo, int seconds) throws InterruptedException {
        LongAdder calls = new LongAdder();
        LongAdder failures = new LongAdder();
        AtomicReference<String> first = new AtomicReference<>();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService threads = knobs.platform ? Executors.newFixedThreadPool(knobs.threads)
                : Executors.newVirtualThreadPerTaskExecutor();
        for (int t = 0; t < knobs.threads; t++) {
            threads.submit(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        echo.echo(MESSAGE);
                        calls.increment();
                    } catch (RuntimeException e) {
                        failures.increment();
                        first.compareAndSet(null, describe(e));
                    }
                }
            });
        }
        threads.shutdown();
        if (!threads.awaitTermination(seconds + Clients.TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            threads.shutdownNow();
            throw new IllegalStateException("concurrent callers did not finish");
        }
        return new Outcome(calls.sum(), failures.sum(), first.get(), System.nanoTime() - start);
    }

    /** A quiet moment between warm-up and measurement: garbage from the warm-up collected now, not mid-run. */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(300);
    }

    /** An exception with its causes, on one line. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString();
    }

    private void problem(Kind kind, String what, Exception e) {
        failed.add(kind);
        String message = kind + " " + what + " failed: " + describe(e);
        problems.add(message);
        System.out.println("ERROR " + message);
    }

    /** Each client must stop its server on close; say so if one did not, then stop it ourselves. */
    private void checkNoLeftovers(Kind kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        if (!left.isEmpty()) {
            failed.add(kind);
            problems.add(kind + ": " + left.size() + " server process(es) still running 5 s after close (killed)");
            killDescendants();
        }
    }

    private static void killDescendants() {
        ProcessHandle.current().children().forEach(Clients::stop);
    }

    // ---------------------------------------------------------------- report

    private record Stats(double p50, double p90, double p99, double mean, int count) {
        static Stats of(long[]... runs) {
            long[] all = Arrays.stream(runs).flatMapToLong(Arrays::stream).sorted().toArray();
            if (all.length == 0) {
                return null;
            }
            return new Stats(micros(rank(all, 0.50)), micros(rank(all, 0.90)), micros(rank(all, 0.99)),
                    Arrays.stream(all).average().orElse(0) / 1000.0, all.length);
        }

        /** Nearest-rank percentile of sorted samples. */
        private static long rank(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }

        private static double micros(long nanos) {
            return nanos / 1000.0;
        }
    }

    private Stats pooled(Kind kind) {
        return Stats.of(latencies.get(kind).toArray(long[][]::new));
    }

    private void report() {
        System.out.printf(Locale.ROOT, "%n%-6s %-6s %9s %9s %9s %9s %7s   %s%n", "client", "trans.", "p50 us", "p90 us",
                "p99 us", "mean us", "calls", "p50 per run");
        for (Kind kind : Kind.values()) {
            Stats s = pooled(kind);
            if (s == null) {
                System.out.printf(Locale.ROOT, "%-6s %-6s %9s%n", kind.client, kind.transport, "failed");
                continue;
            }
            StringBuilder perRun = new StringBuilder();
            for (long[] run : latencies.get(kind)) {
                perRun.append(String.format(Locale.ROOT, "%.1f ", Stats.of(run).p50));
            }
            System.out.printf(Locale.ROOT, "%-6s %-6s %9.1f %9.1f %9.1f %9.1f %7d   %s%n", kind.client, kind.transport,
                    s.p50, s.p90, s.p99, s.mean, s.count, perRun.toString().trim());
        }
        System.out.println();
        ratio("stdio", Kind.OURS_STDIO, Kind.SDK_STDIO, Kind.RAW_STDIO, GOAL_STDIO);
        ratio("http", Kind.OURS_HTTP, Kind.SDK_HTTP, Kind.RAW_HTTP, GOAL_HTTP);
        System.out.println();
        for (Kind kind : new Kind[] {Kind.OURS_STDIO, Kind.SDK_STDIO}) {
            List<Double> runs = throughputs.get(kind);
            System.out.printf(Locale.ROOT, "throughput %-10s %s%n", kind, runs.isEmpty() ? "failed"
                    : String.format(Locale.ROOT, "%,.0f calls/s (best of %d; runs %s)", best(runs), runs.size(),
                    runs.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()));
        }
        if (!throughputs.get(Kind.OURS_STDIO).isEmpty() && !throughputs.get(Kind.SDK_STDIO).isEmpty()) {
            System.out.printf(Locale.ROOT, "throughput ratio ours/sdk (stdio): %.2f%n",
                    best(throughputs.get(Kind.OURS_STDIO)) / best(throughputs.get(Kind.SDK_STDIO)));
        }
        if (!problems.isEmpty()) {
            System.out.println();
            problems.forEach(p -> System.out.println("problem: " + p));
        }
    }

    /** ours/SDK at p50 against the goal, and what each client adds to the raw floor. */
    private void ratio(String transport, Kind ours, Kind sdk, Kind raw, double goal) {
        Stats o = pooled(ours);
        Stats s = pooled(sdk);
        if (o == null || s == null) {
            System.out.printf(Locale.ROOT, "p50 ratio ours/sdk %-5s: n/a (a side failed)%n", transport);
            return;
        }
        double ratio = o.p50 / s.p50;
        System.out.printf(Locale.ROOT, "p50 ratio ours/sdk %-5s: %.2f (goal <= %.1f: %s); mean ratio %.2f", transport,
                ratio, goal, ratio <= goal ? "met" : "NOT met", o.mean / s.mean);
        Stats r = pooled(raw);
        if (r != null) {
            System.out.printf(Locale.ROOT, "; above the raw floor at p50: ours +%.1f us, sdk +%.1f us", o.p50 - r.p50,
                    s.p50 - r.p50);
        }
        System.out.println();
    }

    private static double best(List<Double> runs) {
        return runs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
