package io.mcpagent.itests;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls until a condition holds; the timeout is generous because it only bounds a failing test. */
final class Await {
    private Await() {
    }

    static <T> T value(Callable<T> probe, Predicate<T> condition, Duration timeout, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                T value = probe.call();
                if (condition.test(value)) {
                    return value;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError(failure.get());
                if (last != null) {
                    error.addSuppressed(last);
                }
                throw error;
            }
            Thread.sleep(100);
        }
    }
}
