package io.mcpagent.pattern.router.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.mcpagent.api.plugin.PatternPlugin;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * The router pattern: a routing agent is shown the task and the candidates (the request's workers and, with option
 * {@code servers}, the installed MCP servers) and picks the best one, or the top k, with confidence and reasoning;
 * the chosen ones run on the task, and several answers are combined. The README documents options, answers and
 * events. Holds no state per execution: each one is a {@link Routing} of its own.
 */
@Component(service = {WorkflowPattern.class, ProblemReporter.class}, configurationPid = RouterPattern.PID,
        property = WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true")
@Designate(ocd = RouterConfig.class)
@PatternPlugin(id = RouterPattern.NAME, name = "Router",
        description = "A routing agent picks the best worker, nested pattern, function or MCP server (or the top k) "
                + "for a task, with confidence and reasoning")
public final class RouterPattern implements WorkflowPattern, ProblemReporter {
    static final String NAME = "router";
    static final String PID = "io.mcpagent.pattern.router";
    private static final Logger LOG = LoggerFactory.getLogger(RouterPattern.class);

    /** Refuses trailing text after the JSON value, so that an answer is either exactly JSON or malformed. */
    private final ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private final RoutingAgent routingAgent = new RoutingAgent(json);
    /** The configured defaults; replaced as a whole when a configuration is accepted. */
    private final GuardedConfiguration<RouterConfig, RouteOptions> configuration =
            new GuardedConfiguration<>(PID, RouterConfig.class, RouteOptions::defaults, LOG::error, LOG::info);

    @Activate
    public RouterPattern(RouterConfig config) {
        configuration.update(config);
    }

    /** A refused configuration leaves the defaults in force as they are. */
    @Modified
    void modified(RouterConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double suitability(TaskAnalysis analysis) {
        return RouterSuitability.of(analysis);
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        return new Routing(request, context, routingAgent, json).run(configuration.settings());
    }
}
