package io.mcpagent.pattern.orchestrator.internal;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerEvent;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

/** Shared test data: the default settings, requests, and the events a context recorded. */
final class Fixtures {
    static final Settings DEFAULTS = new Settings(Mode.FULL, 8, true, false, 4000, 16000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static WorkflowRequest request(String task, List<Worker> workers, Map<String, String> options) {
        return new WorkflowRequest(Task.of(task), null, workers, options);
    }

    /** The details of the orchestrator's events of this kind ("plan", "step", "synthesis"), as JSON, in order. */
    static List<JsonNode> events(TestWorkflowContext context, String step) {
        return context.events().stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .filter(event -> event.step().equals(step)).map(event -> json(event.detail())).toList();
    }

    /** The workers that started, in order. */
    static List<String> workersStarted(TestWorkflowContext context) {
        return context.events().stream().filter(WorkerEvent.class::isInstance).map(WorkerEvent.class::cast)
                .filter(event -> event.type().equals(WorkerEvent.STARTED)).map(WorkerEvent::worker).toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The default configuration in mode {@code mode}, with {@code numbers} in place of the defaults of those properties. */
    static OrchestratorConfig config(String mode, Map<String, Integer> numbers) {
        return new OrchestratorConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OrchestratorConfig.class;
            }

            @Override
            public String mode() {
                return mode;
            }

            @Override
            public int maxSteps() {
                return numbers.getOrDefault(Settings.MAX_STEPS, 8);
            }

            @Override
            public boolean synthesize() {
                return true;
            }

            @Override
            public boolean failFast() {
                return false;
            }

            @Override
            public int maxResultChars() {
                return numbers.getOrDefault(Settings.MAX_RESULT_CHARS, 4000);
            }

            @Override
            public int maxContextChars() {
                return numbers.getOrDefault(Settings.MAX_CONTEXT_CHARS, 16000);
            }
        };
    }
}
