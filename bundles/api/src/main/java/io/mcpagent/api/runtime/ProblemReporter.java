package io.mcpagent.api.runtime;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service of anything that can tell what is wrong in the runtime right now: the plugin whiteboard,
 * the deploy folder monitor, the configuration installer. The status endpoint and shell list the union.
 */
@ConsumerType
public interface ProblemReporter {

    /** Current problems; empty when all is well. Cheap: answered from state kept up to date in the background. */
    List<Problem> problems();
}
