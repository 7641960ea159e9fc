package io.mcpagent.http.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.workflow.WorkflowEngine;

/**
 * Whether the runtime is ready: the core services run (plugin whiteboard, agent runtime, LLM router, workflow
 * engine), the history and the autonomous layer run if their bundles are installed, and API keys can be checked and
 * used (not so after the first start refused the admin key it was given). A
 * service runs when it is registered and can be obtained. The readiness probe answers it; the status is not healthy
 * without it.
 */
@Component(service = Readiness.class)
public final class Readiness {
    private static final String CORE = "io.mcpagent.core";
    static final String API_KEYS_DOWN = "the API key file cannot be read; the problems in GET /api/v1/status and"
            + " plugin:problems (source http) say why";
    /** Follows why the admin key supplied on the first start was refused ({@link KeyService#noUsableKey()}). */
    static final String NO_USABLE_KEY = " on the first start, so no admin key was made and no API key is accepted;"
            + " start the runtime again with a valid one (mcp-agent.log says more)";

    /**
     * A service readiness needs, from the bundle that registers it; {@code whenInstalled}: needed only if that
     * bundle is installed (its feature is part of this runtime).
     */
    record Check(String name, Class<?> service, String bundle, boolean whenInstalled) {
    }

    /** One check's outcome: {@code down} says why it is down, null when it is up. */
    record Outcome(String name, String down) {
        boolean up() {
            return down == null;
        }
    }

    static final List<Check> CHECKS = List.of(
            new Check("plugins", PluginManager.class, CORE, false),
            new Check("agentRuntime", AgentRuntime.class, CORE, false),
            new Check("llmRouter", LlmRouter.class, CORE, false),
            new Check("workflowEngine", WorkflowEngine.class, CORE, false),
            new Check("history", ExecutionHistory.class, "io.mcpagent.history", true),
            new Check("analysis", AnalysisService.class, "io.mcpagent.autonomous", true),
            new Check("orchestrator", AutonomousOrchestrator.class, "io.mcpagent.autonomous", true));

    private final BundleContext context;
    private final KeyService keys;

    @Activate
    public Readiness(BundleContext context, @Reference KeyService keys) {
        this.context = context;
        this.keys = keys;
    }

    /** Every check that applies to this runtime, in the order of {@link #CHECKS}, then {@code apiKeys}. */
    List<Outcome> check() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Check check : CHECKS) {
            if (check.whenInstalled() && BundleServices.installed(context, check.bundle()).isEmpty()) {
                continue;
            }
            outcomes.add(new Outcome(check.name(), BundleServices.unusable(context, check.service(), check.bundle())
                    .orElse(null)));
        }
        try {
            keys.store();
            outcomes.add(new Outcome("apiKeys", keys.noUsableKey().map(why -> why + NO_USABLE_KEY).orElse(null)));
        } catch (KeyService.Unavailable e) {
            // anyone may ask readiness: the file's path and the parser's words are only in the authenticated problems
            outcomes.add(new Outcome("apiKeys", API_KEYS_DOWN));
        }
        return outcomes;
    }

    static boolean ready(List<Outcome> outcomes) {
        return outcomes.stream().allMatch(Outcome::up);
    }
}
