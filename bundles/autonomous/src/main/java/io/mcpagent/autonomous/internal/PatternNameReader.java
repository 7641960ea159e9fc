package io.mcpagent.autonomous.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;

import io.mcpagent.api.workflow.WorkflowPattern;

/**
 * The names of installed patterns, as the decision and the orchestrator read them on every call. A third party's
 * pattern whose {@link WorkflowPattern#name()} throws is named by its plugin id alone; that is logged at WARN the first
 * time for its plugin id and at DEBUG after, since every decision asks again and would repeat the same WARN.
 */
public final class PatternNameReader {
    private final Logger log;
    /** Plugin ids whose failure was logged at WARN: only ever those of failing patterns, so it stays small. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public PatternNameReader(Logger log) {
        this.log = log;
    }

    /** A pattern's name; null when it has none or fails to say it, so that only its id names it. */
    public String nameOf(String id, WorkflowPattern pattern) {
        try {
            return pattern.name();
        } catch (RuntimeException | Error e) {
            if (warned.add(id)) {
                log.warn("workflow pattern '{}' failed to say its name; only its plugin id names it (logged at DEBUG"
                        + " from now on)", id, e);
            } else {
                log.debug("workflow pattern '{}' failed to say its name again", id, e);
            }
            return null;
        }
    }
}
