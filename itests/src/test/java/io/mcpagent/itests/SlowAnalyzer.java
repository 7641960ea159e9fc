package io.mcpagent.itests;

import java.util.concurrent.CountDownLatch;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;

/**
 * The analyzer of {@link TestJars#slowAnalyzerBundle}: it answers no analysis until it is released, by the end of the
 * analysis that asked it (an interrupt) or by its bundle's removal, so that an execution can be seen and cancelled
 * while its task is analysed. In {@link TestJars#stuckAnalyzerBundle} its bundle's removal does not release it (DS is
 * not told to call {@link #release}), as a third party's analyzer that does not end its analyses as its bundle stops.
 */
public final class SlowAnalyzer implements TaskAnalyzer {
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public TaskAnalysis analyze(Task task) {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the slow test analyzer was released before it answered");
    }

    /** Declarative Services' deactivate, where the component names it: no analysis waits for it any more. */
    public void release() {
        released.countDown();
    }
}
