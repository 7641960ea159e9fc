package io.mcpagent.history.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The work of {@link HistoryRecovery}, one task at a time: now or after a delay (tests run it without waiting). */
interface RecoveryTasks {
    void execute(Runnable task);

    Future<?> schedule(Runnable task, Duration delay);

    void shutdown();

    /** One daemon thread of that name. */
    static RecoveryTasks onThread(String name) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(name).daemon().factory());
        return new RecoveryTasks() {
            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public Future<?> schedule(Runnable task, Duration delay) {
                return executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void shutdown() {
                executor.shutdownNow();
            }
        };
    }
}
