package io.mcpagent.api.workflow;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.plugin.PluginManager;

/** What the platform hands a pattern for one execution. */
@ProviderType
public interface WorkflowContext {

    String executionId();

    /** Where to look up providers, servers and nested patterns, afresh at every step. */
    PluginManager plugins();

    /** Publishes a progress event to every {@code ExecutionListener}. */
    void publish(ExecutionEvent event);

    /** True once the execution is cancelled; patterns check it between steps and stop promptly. */
    boolean isCancelled();
}
