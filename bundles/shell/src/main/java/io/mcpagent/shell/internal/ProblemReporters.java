package io.mcpagent.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgi.framework.Constants;

import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/** The problem reporters a command component has bound, for its commands to read their problems; thread-safe. */
final class ProblemReporters {
    /** Keyed by service id, which orders them as they were registered. */
    private final Map<Long, ProblemReporter> reporters = new ConcurrentSkipListMap<>();

    void add(ProblemReporter reporter, Map<String, Object> properties) {
        reporters.put((Long) properties.get(Constants.SERVICE_ID), reporter);
    }

    /** Without the reporter, which DS would ask for again: see {@link OptionalReference#unbind(Map)}. */
    void remove(Map<String, Object> properties) {
        reporters.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    /** Every problem reported now; a reporter that fails is a problem of {@code source} saying so. */
    List<Problem> problems(String source) {
        List<Problem> all = new ArrayList<>();
        for (ProblemReporter reporter : reporters.values()) {
            try {
                all.addAll(reporter.problems());
            } catch (RuntimeException e) {
                all.add(new Problem(source, reporter.getClass().getName(),
                        "problem reporter failed, its problems are not listed: " + e, Instant.now()));
            }
        }
        return all;
    }
}
