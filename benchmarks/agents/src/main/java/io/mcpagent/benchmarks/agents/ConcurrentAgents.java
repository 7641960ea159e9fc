package io.mcpagent.benchmarks.agents;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

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
 * Many agent executions at once against an in-process model that answers after a fixed latency (no sockets: the
 * {@link SleepingModel} sleeps on the calling virtual thread). Each execution is a new agent from
 * {@link DefaultAgentRuntime} over the platform's DefaultLlmRouter, run on its own virtual thread, all started at once.
 *
 * <p>Two scenarios: {@code answer} (no tools, one model call per execution) and {@code tool} (one tool turn: the model
 * asks for {@code get_weather}, the tool runs, the model answers: two sequential model calls). Per round: wall time
 * from the first start to the last finish against the ideal (sequential model calls x latency), executions per second
 * against the ideal, per-execution latency percentiles, CPU time and GC. Then heap per in-flight execution: used heap
 * after full GCs with every execution held inside model call k, minus the used heap before they started, divided by the
 * number of executions. Last, for scale, the same for bare virtual threads parked on a latch.
 *
 * <p>{@code floor1} and {@code floor2} are the same without any framework: each virtual thread only sleeps through one
 * or two model calls, which is what this machine can do at best. {@code polling1/2} and {@code handoff1/2} add to the
 * floor only the hand-off of each model call to a second virtual thread that the tool loop makes, waited for by
 * polling every {@code pollMs} as the tool loop does, or by one timed wait (see {@link #waited}).
 *
 * <p>Options ({@code --name=value}): agents (10000), latencyMs (200), scenarios (floor1,answer,floor2,tool; also
 * polling1, polling2, handoff1, handoff2), warmups (8), rounds (5), memory (true), histogram (0; n &gt; 0 prints the
 * first n classes of the live heap while the executions are held), pollMs (25: the poll of the polling scenarios),
 * mode (burst: all executions started at once, per round, as above; sustained: see {@link #sustained}), seconds (20)
 * and warmupSeconds (10) of the sustained mode.
 */
public final class ConcurrentAgents {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final List<String> SCENARIOS = List.of("answer", "tool", "floor1", "floor2", "polling1", "polling2",
            "handoff1", "handoff2");

    private final int agents;
    private final Duration latency;
    private final int histogram;
    /** The poll interval of the polling scenarios: Bounded.POLL in bundles/core (25 ms until 4bd3f12, 250 ms since). */
    private final long pollMs;

    private ConcurrentAgents(int agents, Duration latency, int histogram, long pollMs) {
        this.agents = agents;
        this.latency = latency;
        this.histogram = histogram;
        this.pollMs = pollMs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        String[] defaults = {"agents", "10000", "latencyMs", "200", "scenarios", "floor1,answer,floor2,tool",
            "warmups", "8", "rounds", "5", "memory", "true", "histogram", "0", "pollMs", "25", "mode", "burst",
            "seconds", "20", "warmupSeconds", "10"};
        for (int i = 0; i < defaults.length; i += 2) {
            options.put(defaults[i], defaults[i + 1]);
        }
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            if (pair.length != 2 || !options.containsKey(pair[0])) {
                throw new IllegalArgumentException("unknown option '" + arg + "'; options: " + options.keySet());
            }
            options.put(pair[0], pair[1]);
        }
        for (String count : List.of("agents", "latencyMs", "seconds")) {
            // the reports divide by each of them
            if (Long.parseLong(options.get(count)) < 1) {
                throw new IllegalArgumentException(count + " must be at least 1, was " + options.get(count));
            }
        }
        ConcurrentAgents bench = new ConcurrentAgents(Integer.parseInt(options.get("agents")),
                Duration.ofMillis(Long.parseLong(options.get("latencyMs"))), Integer.parseInt(options.get("histogram")),
                Long.parseLong(options.get("pollMs")));
        Runtime jvm = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MB, GC %s; options %s%n",
                System.getProperty("java.version"), jvm.availableProcessors(), jvm.maxMemory() >> 20,
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList(),
                options);
        String mode = options.get("mode");
        if (!mode.equals("burst") && !mode.equals("sustained")) {
            throw new IllegalArgumentException("mode '" + mode + "': use burst or sustained");
        }
        for (String scenario : options.get("scenarios").split(",")) {
            if (mode.equals("sustained")) {
                bench.sustained(scenario.trim(), Duration.ofSeconds(Long.parseLong(options.get("warmupSeconds"))),
                        Duration.ofSeconds(Long.parseLong(options.get("seconds"))));
            } else {
                bench.scenario(scenario.trim(), Integer.parseInt(options.get("warmups")),
                        Integer.parseInt(options.get("rounds")), Boolean.parseBoolean(options.get("memory")));
            }
        }
        if (mode.equals("burst") && Boolean.parseBoolean(options.get("memory"))) {
            bench.parkedThreads();
        }
    }

    private void scenario(String scenario, int warmups, int rounds, boolean memory) throws Exception {
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("scenario '" + scenario + "': use one of " + SCENARIOS);
        }
        boolean tool = scenario.equals("tool") || scenario.endsWith("2");
        boolean floor = !scenario.equals("answer") && !scenario.equals("tool");
        int calls = tool ? 2 : 1;
        SleepingModel model = new SleepingModel(latency);
        AgentRuntime runtime = new DefaultAgentRuntime(BenchRouters.router(StaticPlugins.of("sleepy", model)), new HeldSecretsMasker());
        AgentSpec spec = spec(tool);
        long idealNanos = calls * latency.toNanos();
        System.out.printf(Locale.ROOT, "%n== scenario %s: %d executions at once, %d sequential model call(s) each, "
                        + "model latency %d ms; ideal wall %d ms = %.0f executions/s%n", scenario, agents, calls,
                latency.toMillis(), idealNanos / 1_000_000, agents / (idealNanos / 1e9));
        System.out.println("round      wall ms  vs ideal  exec/s   launch ms  p50 ms  p99 ms  max ms  cpu s  cpu us/exec  gc ms");
        for (int round = 1; round <= warmups + rounds; round++) {
            Work work = switch (scenario.replaceAll("[12]$", "")) {
                case "floor" -> sleeps(calls);
                case "polling" -> waited(calls, true);
                case "handoff" -> waited(calls, false);
                default -> agent(runtime, spec, scenario + "-" + round + "-");
            };
            Round result = round(work);
            String label = round <= warmups ? "warmup " + round : "round " + (round - warmups);
            System.out.printf(Locale.ROOT, "%-9s %8.1f %8.1f%% %8.0f %9.1f %7.1f %7.1f %7.1f %6.2f %11.1f %6d%n", label,
                    result.wallNanos / 1e6, 100.0 * idealNanos / result.wallNanos, agents / (result.wallNanos / 1e9),
                    result.launchNanos / 1e6, result.percentile(0.50) / 1e6, result.percentile(0.99) / 1e6,
                    result.percentile(1.0) / 1e6, result.cpuNanos / 1e9, result.cpuNanos / 1e3 / agents, result.gcMillis);
        }
        if (memory && !floor) {
            for (int call = 1; call <= calls; call++) {
                memory(runtime, spec, model, scenario, call);
            }
        }
    }

    /**
     * Sustained load: {@code agents} executions in flight all the time (each of {@code agents} virtual threads starts
     * its next execution as soon as its last one ends, the first ones spread over one cycle) for {@code warmup}, then
     * counted for {@code measured}.
     * Throughput against the ideal of {@code agents / (model calls x latency)} executions per second.
     */
    private void sustained(String scenario, Duration warmup, Duration measured) throws InterruptedException {
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("scenario '" + scenario + "': use one of " + SCENARIOS);
        }
        boolean tool = scenario.equals("tool") || scenario.endsWith("2");
        int calls = tool ? 2 : 1;
        AgentRuntime runtime = new DefaultAgentRuntime(BenchRouters.router(StaticPlugins.of("sleepy",
                new SleepingModel(latency))), new HeldSecretsMasker());
        AgentSpec spec = spec(tool);
        Work work = switch (scenario.replaceAll("[12]$", "")) {
            case "floor" -> sleeps(calls);
            case "polling" -> waited(calls, true);
            case "handoff" -> waited(calls, false);
            default -> agent(runtime, spec, scenario + "-sustained-");
        };
        double ideal = agents / (calls * latency.toNanos() / 1e9);
        LongAdder completed = new LongAdder();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>(agents);
        long cycleNanos = calls * latency.toNanos();
        for (int i = 0; i < agents; i++) {
            int index = i;
            // Starts spread over one cycle, so that completions come evenly and not in waves the window may cut.
            long offsetNanos = cycleNanos * i / agents;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(offsetNanos));
                } catch (InterruptedException e) {
                    return;
                }
                while (running.get()) {
                    try {
                        String failure = work.run(index);
                        if (failure != null) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, failure);
                        }
                    } catch (Exception | Error e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e.toString());
                    }
                    completed.increment();
                }
            }));
        }
        Thread.sleep(warmup);
        long cpuBefore = cpuNanos();
        long gcBefore = gcMillis();
        long countBefore = completed.sum();
        long start = System.nanoTime();
        Thread.sleep(measured);
        long countAfter = completed.sum();
        long elapsed = System.nanoTime() - start;
        long cpu = cpuNanos() - cpuBefore;
        long gc = gcMillis() - gcBefore;
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        long done = countAfter - countBefore;
        double rate = done / (elapsed / 1e9);
        System.out.printf(Locale.ROOT, "sustained %-8s %d in flight, %d model call(s) of %d ms: %.0f executions/s vs "
                        + "ideal %.0f = %.1f%%; mean execution %.1f ms; CPU %.1f us/execution (%.0f%% of the cores); "
                        + "gc %d ms; %d failed%s%n", scenario, agents, calls, latency.toMillis(), rate, ideal,
                100 * rate / ideal, agents / rate * 1e3, cpu / 1e3 / done,
                100.0 * cpu / elapsed / Runtime.getRuntime().availableProcessors(), gc, failed.get(),
                failed.get() == 0 ? "" : ", first: " + firstFailure.get());
    }

    private static AgentSpec spec(boolean tool) {
        AgentSpec spec = AgentSpec.of("weather", Weather.INSTRUCTION).withModel(new ModelRequirements(Set.of(), 0,
                ModelRequirements.Preference.COST, null, Weather.MODEL, List.of()));
        if (!tool) {
            return spec;
        }
        // No JSON parser in the tool body: what is measured is the framework, not the tool.
        AgentFunction weather = arguments -> new ToolCallResult(List.of(TextPart.of(
                Weather.weather(arguments.contains("\"Paris\"") ? "Paris" : arguments))), null, false);
        return spec.withFunctions(List.of(new AgentFunction.Tool(
                new ToolSpec(Weather.TOOL, Weather.TOOL_DESCRIPTION, Weather.TOOL_SCHEMA, false), weather)));
    }

    /** The floor: no framework, only the virtual thread sleeping through each model call. */
    private Work sleeps(int calls) {
        return index -> {
            for (int i = 0; i < calls; i++) {
                Thread.sleep(latency);
            }
            return null;
        };
    }

    /**
     * The floor plus the hand-off the tool loop makes for every model call (ToolLoopAgent via Bounded): the sleep runs
     * in a FutureTask on a second virtual thread and the execution's thread waits for it, either {@code polling} it
     * the way Bounded.await does (timed get of at most pollMs, re-reading the clock, until done) or with one timed
     * get until the deadline. The difference between the two isolates the cost of the polling.
     */
    private Work waited(int calls, boolean polling) {
        Clock clock = Clock.systemUTC();
        return index -> {
            Instant deadline = clock.instant().plus(Duration.ofMinutes(10));
            for (int i = 0; i < calls; i++) {
                FutureTask<Void> task = new FutureTask<>(() -> {
                    Thread.sleep(latency);
                    return null;
                });
                Thread.ofVirtual().name("bench-model call " + (i + 1)).start(task);
                while (true) {
                    long left = Duration.between(clock.instant(), deadline).toMillis();
                    try {
                        task.get(polling ? Math.min(left, pollMs) : left, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException stillRunning) {
                        // look at the deadline again
                    }
                }
            }
            return null;
        };
    }

    /** What one round of executions did. */
    private record Round(long wallNanos, long launchNanos, long[] tookNanos, long cpuNanos, long gcMillis) {
        long percentile(double p) {
            long[] sorted = tookNanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /** One execution: null when it answered as expected, else what went wrong. */
    @FunctionalInterface
    private interface Work {
        String run(int index) throws Exception;
    }

    /** One agent run on a fresh agent and execution context. */
    private static Work agent(AgentRuntime runtime, AgentSpec spec, String tag) {
        return index -> {
            AgentResult result = runtime.create(spec, new QuietContext(tag + index)).run(Weather.QUESTION);
            return result.outcome() == AgentOutcome.ANSWERED && Weather.ANSWER.equals(result.text()) ? null
                    : result.outcome() + ": " + result.error();
        };
    }

    /** Started executions; {@link #await()} waits for all and checks that every one answered. */
    private final class Executions {
        final long[] took = new long[agents];
        final CountDownLatch done = new CountDownLatch(agents);
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final long launchNanos;

        Executions(Work work) {
            long start = System.nanoTime();
            for (int i = 0; i < agents; i++) {
                int index = i;
                Thread.ofVirtual().start(() -> {
                    long began = System.nanoTime();
                    try {
                        String failure = work.run(index);
                        if (failure != null) {
                            fail(failure);
                        }
                    } catch (Exception | Error e) {
                        fail(e.toString());
                    } finally {
                        took[index] = System.nanoTime() - began;
                        done.countDown();
                    }
                });
            }
            launchNanos = System.nanoTime() - start;
        }

        private void fail(String why) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, why);
        }

        void await() throws InterruptedException {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(done.getCount() + " executions still running after 10 minutes");
            }
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + agents + " executions failed, first: "
                        + firstFailure.get());
            }
        }
    }

    private Round round(Work work) throws InterruptedException {
        System.gc();
        long gcBefore = gcMillis();
        long cpuBefore = cpuNanos();
        long start = System.nanoTime();
        Executions executions = new Executions(work);
        executions.await();
        long wall = System.nanoTime() - start;
        return new Round(wall, executions.launchNanos, executions.took, cpuNanos() - cpuBefore, gcMillis() - gcBefore);
    }

    private void memory(AgentRuntime runtime, AgentSpec spec, SleepingModel model, String scenario, int call)
            throws InterruptedException {
        long before = usedAfterGc();
        model.close(call);
        Executions executions = new Executions(agent(runtime, spec, scenario + "-memory-" + call + "-"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (model.waiting() < agents) {
            if (System.nanoTime() > deadline) {
                model.open();
                throw new IllegalStateException("only " + model.waiting() + " executions reached model call " + call);
            }
            Thread.sleep(10);
        }
        Thread.sleep(200); // let the waiting side settle into its wait
        long held = usedAfterGc();
        String classes = histogram > 0 ? histogram(histogram) : null;
        model.open();
        executions.await();
        System.out.printf(Locale.ROOT, "heap with %d executions held in model call %d: %.1f MB used after GC vs %.1f MB "
                        + "before = %.2f KB per in-flight execution%n", agents, call, held / 1048576.0,
                before / 1048576.0, (held - before) / 1024.0 / agents);
        if (classes != null) {
            System.out.println(classes);
        }
    }

    /** The first lines of the live-object class histogram (what jcmd GC.class_histogram prints). */
    private static String histogram(int lines) {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", text.lines().limit(lines + 3L).toList());
        } catch (javax.management.JMException e) {
            return "no class histogram: " + e;
        }
    }

    /** For scale: the heap a bare virtual thread parked on a latch costs. */
    private void parkedThreads() throws InterruptedException {
        long before = usedAfterGc();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch parked = new CountDownLatch(agents);
        List<Thread> threads = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                parked.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        parked.await();
        Thread.sleep(200);
        long held = usedAfterGc();
        gate.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf(Locale.ROOT, "%nfor scale: %d bare virtual threads parked on a latch: %.2f KB each%n", agents,
                (held - before) / 1024.0 / agents);
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }
}
