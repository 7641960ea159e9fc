package io.mcpagent.autonomous.internal;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;
import io.mcpagent.api.task.TaskType;

/** An analyzer answering from a function of the task, counting its calls. */
final class TestAnalyzer implements TaskAnalyzer {
    private final Function<Task, TaskAnalysis> answer;
    final AtomicInteger calls = new AtomicInteger();

    TestAnalyzer(Function<Task, TaskAnalysis> answer) {
        this.answer = answer;
    }

    /** Always the same kind of analysis with this confidence, attributed to {@code id}. */
    static TestAnalyzer confident(String id, double confidence) {
        return new TestAnalyzer(task -> analysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of(), confidence, null, id));
    }

    static TaskAnalysis analysis(TaskType type, Complexity complexity, int steps, Set<String> capabilities,
                                 double confidence, String recommendedPattern, String analyzerId) {
        return new TaskAnalysis(type, complexity, steps, capabilities, confidence, recommendedPattern,
                "test reasoning", analyzerId);
    }

    @Override
    public TaskAnalysis analyze(Task task) {
        calls.incrementAndGet();
        return answer.apply(task);
    }
}
