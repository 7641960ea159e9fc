package io.mcpagent.pattern.parallel.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * A request's options resolved against the configured defaults: which workers fan out with what input, who fans in,
 * whether every worker must succeed, and how many run at once.
 */
record ParallelOptions(List<FanOut.Assignment> assignments, Worker aggregator, boolean ownAggregator,
                       boolean requireAll, int maxConcurrency) {
    static final String AGGREGATOR = "aggregator";
    static final String REQUIRE_ALL = "requireAll";
    static final String MAX_CONCURRENCY = "maxConcurrency";
    static final String PROVIDER = "provider";
    static final String MODEL = "model";
    /** Prefix of the per-worker input options: {@code input.<worker>} is what that worker is asked, not the task. */
    static final String INPUT_PREFIX = "input.";

    /** The configured defaults; the request options of the same names override them. */
    record Defaults(int maxConcurrency, boolean requireAll) {
        /** @throws IllegalArgumentException naming the property that is out of range */
        static Defaults from(ParallelConfig config) {
            ConfigRanges.atLeast("maxConcurrency", config.maxConcurrency(), 1);
            return new Defaults(config.maxConcurrency(), config.requireAll());
        }
    }

    /** @throws IllegalArgumentException naming the option that is wrong and what it expects */
    static ParallelOptions resolve(WorkflowRequest request, Defaults defaults) {
        int maxConcurrency = maxConcurrency(request.option(MAX_CONCURRENCY, null), defaults.maxConcurrency());
        boolean requireAll = requireAll(request.option(REQUIRE_ALL, null), defaults.requireAll());
        String aggregatorName = request.option(AGGREGATOR, null);
        Worker aggregator = aggregatorName == null
                ? FanIn.ownAggregator(request.option(PROVIDER, null), request.option(MODEL, null))
                : request.worker(aggregatorName).orElseThrow(() -> new IllegalArgumentException("option 'aggregator' "
                        + "names '" + aggregatorName + "', but the request has no such worker; its workers are: "
                        + names(request.workers())));
        List<Worker> fanOut = request.workers().stream()
                .filter(worker -> aggregatorName == null || !worker.name().equals(aggregatorName)).toList();
        if (fanOut.isEmpty()) {
            throw new IllegalArgumentException("the parallel pattern needs at least one worker to fan out to"
                    + (aggregatorName == null ? "" : " besides the aggregator '" + aggregatorName + "'")
                    + ", and the request has none");
        }
        Set<String> fanOutNames = fanOut.stream().map(Worker::name).collect(Collectors.toSet());
        for (String option : request.options().keySet()) {
            if (option.startsWith(INPUT_PREFIX) && !fanOutNames.contains(option.substring(INPUT_PREFIX.length()))) {
                throw new IllegalArgumentException("option '" + option + "' names no fan-out worker; they are: "
                        + names(fanOut));
            }
        }
        String task = request.task().text();
        List<FanOut.Assignment> assignments = fanOut.stream()
                .map(worker -> new FanOut.Assignment(worker, request.option(INPUT_PREFIX + worker.name(), task)))
                .toList();
        return new ParallelOptions(assignments, aggregator, aggregatorName == null, requireAll, maxConcurrency);
    }

    private static int maxConcurrency(String option, int fallback) {
        if (option == null) {
            return fallback;
        }
        String expected = "option 'maxConcurrency' must be a whole number of at least 1, was '" + option + "'";
        int value;
        try {
            value = Integer.parseInt(option);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected, e);
        }
        if (value < 1) {
            throw new IllegalArgumentException(expected);
        }
        return value;
    }

    private static boolean requireAll(String option, boolean fallback) {
        if (option == null) {
            return fallback;
        }
        return switch (option.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option 'requireAll' must be true or false, was '"
                    + option + "'");
        };
    }

    private static String names(List<Worker> workers) {
        return workers.isEmpty() ? "none" : workers.stream().map(Worker::name).collect(Collectors.joining(", "));
    }
}
