package io.mcpagent.autonomous.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;

import io.mcpagent.api.workflow.WorkflowPattern;

/**
 * Failures of installed patterns' own methods, which the decision and the orchestrator call on every call: each is
 * logged at WARN the first time for the pattern's plugin id, what failed and the class thrown, and at DEBUG after, as
 * a third party's failing pattern fails the same way on every decision and would repeat the same WARN. A pattern
 * failing another way is warned of again, since that is news to the operator.
 */
public final class PatternFailureLog {
    private final Logger log;
    /** The failures logged at WARN: only ever those of failing patterns, each kind once, so it stays small. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public PatternFailureLog(Logger log) {
        this.log = log;
    }

    /** A pattern's name; null when it has none or fails to say it, so that only its id names it. */
    public String nameOf(String id, WorkflowPattern pattern) {
        try {
            return pattern.name();
        } catch (RuntimeException | Error e) {
            failed(id, "failed to say its name", "only its plugin id names it", e);
            return null;
        }
    }

    /**
     * Logs that pattern {@code id} failed: {@code failure} says what failed and is the same words each time it fails
     * so, {@code consequence} what follows for this call; {@code thrown} is what the pattern threw, null when it threw
     * nothing (a value out of range).
     */
    public void failed(String id, String failure, String consequence, Throwable thrown) {
        String kind = id + '\n' + failure + '\n' + (thrown == null ? "" : thrown.getClass().getName());
        if (warned.add(kind)) {
            log.warn("workflow pattern '{}' {}; {} (logged at DEBUG when it fails so again)", id, failure,
                    consequence, thrown);
        } else {
            log.debug("workflow pattern '{}' {} again; {}", id, failure, consequence, thrown);
        }
    }
}
