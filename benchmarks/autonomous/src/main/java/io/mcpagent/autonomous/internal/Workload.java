package io.mcpagent.autonomous.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.mcpagent.api.task.Task;

/** Tasks for the cache benchmarks, and a Zipf-like choice among them (rank k drawn with weight 1 / k^s). */
final class Workload {
    private static final String[] VERBS = {"Summarise", "Translate", "Review", "Compare", "Draft", "Analyse",
            "Research", "Fix", "Plan", "Explain"};
    private static final String[] OBJECTS = {"the quarterly sales report", "our onboarding guide",
            "the pull request for the billing service", "the latest customer survey", "the incident of last night",
            "competitor pricing pages", "the database migration", "the release notes", "the API documentation",
            "the marketing plan", "the security audit findings", "the support tickets of this week"};

    private final Task[] tasks;
    private final double[] cumulative;
    private final SplittableRandom random;

    Workload(int distinct, double exponent, long seed) {
        tasks = tasks(distinct);
        cumulative = new double[distinct];
        double sum = 0;
        for (int k = 1; k <= distinct; k++) {
            sum += 1.0 / Math.pow(k, exponent);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < distinct; i++) {
            cumulative[i] /= sum;
        }
        random = new SplittableRandom(seed);
    }

    /** {@code count} distinct tasks of 60 to 90 characters, as people type them. */
    static Task[] tasks(int count) {
        Task[] tasks = new Task[count];
        for (int i = 0; i < count; i++) {
            tasks[i] = Task.of(VERBS[i % VERBS.length] + " " + OBJECTS[(i / VERBS.length) % OBJECTS.length]
                    + " for team " + (i / (VERBS.length * OBJECTS.length) + 1) + " and list the open questions");
        }
        return tasks;
    }

    /** The next task's rank (0 = most popular). */
    int nextRank() {
        int index = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(cumulative.length - 1, index >= 0 ? index : -index - 1);
    }

    Task task(int rank) {
        return tasks[rank];
    }

    SplittableRandom random() {
        return random;
    }
}
