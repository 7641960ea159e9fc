package io.mcpagent.history.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.WorkflowEngine;

/**
 * What the workflow engine of this process holds, asked on activation only: a reference would restart the history
 * whenever the core bundle is refreshed.
 */
interface EngineExecutions {
    /** No engine: outside a framework, or the core bundle is not started. */
    EngineExecutions NONE = new EngineExecutions() {
        @Override
        public List<Execution> running() {
            return List.of();
        }

        @Override
        public Optional<Execution> finished(String executionId) {
            return Optional.empty();
        }
    };

    /** The executions the engine runs now. */
    List<Execution> running();

    /** The execution of that id the engine has finished and still keeps (its {@code keepFinished}). */
    Optional<Execution> finished(String executionId);

    /** The engine registered in {@code context}'s framework, looked up anew by each call; none without one. */
    static EngineExecutions of(BundleContext context) {
        return new EngineExecutions() {
            @Override
            public List<Execution> running() {
                return ask(WorkflowEngine::running, List.of());
            }

            @Override
            public Optional<Execution> finished(String executionId) {
                return ask(engine -> engine.find(executionId), Optional.<Execution>empty())
                        .filter(execution -> execution.result().isPresent());
            }

            private <T> T ask(Function<WorkflowEngine, T> question, T withoutEngine) {
                ServiceReference<WorkflowEngine> reference = context.getServiceReference(WorkflowEngine.class);
                WorkflowEngine engine = reference == null ? null : context.getService(reference);
                if (engine == null) {
                    return withoutEngine;
                }
                try {
                    return question.apply(engine);
                } finally {
                    context.ungetService(reference);
                }
            }
        };
    }
}
