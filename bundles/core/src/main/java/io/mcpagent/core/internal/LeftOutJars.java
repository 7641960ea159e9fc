package io.mcpagent.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * The jars the launcher left out of the start because they are missing from {@code system/} (deleted by hand, lost
 * in a copy). It says so on the console, before the log begins; a runtime under a service manager is watched through
 * its log and {@code /api/v1/status}, so each is logged at WARN here and stays a problem while the runtime runs.
 */
// immediate: the log says it at the start, not when something first asks for the problems
@Component(service = ProblemReporter.class, immediate = true)
public final class LeftOutJars implements ProblemReporter {
    /**
     * Set by the launcher ({@code MissingJars}): per line, the jar's name (or the name of a feature left out as it
     * needs one whose jar is missing), a tab, what the console said of it.
     */
    static final String PROPERTY = "mcpagent.launcher.leftOutJars";
    static final String SOURCE = "launcher";
    private static final Logger LOG = LoggerFactory.getLogger(LeftOutJars.class);

    private final List<Problem> problems;

    @Activate
    public LeftOutJars(BundleContext context) {
        this(context.getProperty(PROPERTY), Instant.now());
    }

    LeftOutJars(String leftOut, Instant since) {
        List<Problem> found = new ArrayList<>();
        for (String line : leftOut == null ? new String[0] : leftOut.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue; // nothing named (a jar or a feature): not the launcher's
            }
            String message = line.substring(tab + 1);
            LOG.warn("{}", message);
            found.add(new Problem(SOURCE, line.substring(0, tab), FailedComponents.withoutAbsolutePaths(message),
                    since));
        }
        this.problems = List.copyOf(found);
    }

    @Override
    public List<Problem> problems() {
        return problems;
    }
}
