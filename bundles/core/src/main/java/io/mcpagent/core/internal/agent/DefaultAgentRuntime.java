package io.mcpagent.core.internal.agent;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.mcp.McpToolbox;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.workflow.WorkflowContext;

/**
 * The agent runtime: agents run a {@link ToolLoopAgent} over the router and, when they name MCP servers, the MCP
 * toolbox. The toolbox lives in the MCP bundle, which may come and go; agents look it up when a run starts. The
 * secret masker is this bundle's own: a tool step's detail is masked with it before it is cut, as a secret cut in
 * half would be masked by no one later.
 */
@Component(service = AgentRuntime.class)
public final class DefaultAgentRuntime implements AgentRuntime {
    private final LlmRouter router;
    private final SecretMasker masker;
    private final Clock clock;
    private final CallGuards guards;
    private final AtomicReference<McpToolbox> toolbox = new AtomicReference<>();

    @Activate
    public DefaultAgentRuntime(@Reference LlmRouter router, @Reference SecretMasker masker) {
        this(router, masker, Clock.systemUTC());
    }

    DefaultAgentRuntime(LlmRouter router, SecretMasker masker, Clock clock) {
        this.router = router;
        this.masker = masker;
        this.clock = clock;
        this.guards = new CallGuards(clock);
    }

    @Deactivate
    void deactivate() {
        guards.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindToolbox")
    void bindToolbox(McpToolbox mcpToolbox) {
        toolbox.set(mcpToolbox);
    }

    void unbindToolbox(McpToolbox mcpToolbox) {
        toolbox.compareAndSet(mcpToolbox, null);
    }

    @Override
    public Agent create(AgentSpec spec, WorkflowContext context) {
        return new ToolLoopAgent(spec, context, router, toolbox::get, masker, clock, guards);
    }
}
