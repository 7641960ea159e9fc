package io.mcpagent.autonomous.internal;

import java.util.HashMap;
import java.util.Map;

import io.mcpagent.api.task.Task;

/**
 * What an analysis is cached under: the task's tenant, its text with whitespace normalised (stripped, every run of
 * whitespace one space) and its attributes. The tenant is part of the key so that one tenant's lookups never depend
 * on another's tasks (no cross-tenant timing signal) and so that analyzers may use it; attributes are part of it
 * because analyzers receive the whole task and may read the caller's hints, except
 * {@link Task#EXECUTION_ID_ATTRIBUTE}: it names the execution an analysis is paid by, not what the task is, and every
 * execution has its own. The provider and model the work is pinned to ({@link Task#PROVIDER_ATTRIBUTE},
 * {@link Task#MODEL_ATTRIBUTE}) stay in it: an LLM analyzer asks only the pinned provider, so an analysis made by
 * another provider (or, unpinned, by whichever the router chose) is not handed to an execution pinned elsewhere, nor
 * one made by the pinned provider to others. Case is kept: an LLM analyzer may read it.
 */
record AnalysisCacheKey(String tenant, String text, Map<String, String> attributes) {

    static AnalysisCacheKey of(Task task) {
        Map<String, String> attributes = task.attributes();
        if (attributes.containsKey(Task.EXECUTION_ID_ATTRIBUTE)) {
            attributes = new HashMap<>(attributes);
            attributes.remove(Task.EXECUTION_ID_ATTRIBUTE);
        }
        return new AnalysisCacheKey(task.tenant(), normalise(task.text()), attributes);
    }

    /** The text stripped, with each run of whitespace one space; the argument itself when already so. */
    static String normalise(String text) {
        int length = text.length();
        boolean clean = length == 0 || !Character.isWhitespace(text.charAt(0))
                && !Character.isWhitespace(text.charAt(length - 1));
        for (int i = 0; clean && i < length; i++) {
            char c = text.charAt(i);
            clean = !Character.isWhitespace(c) || c == ' ' && text.charAt(i + 1) != ' ';
        }
        if (clean) {
            return text;
        }
        StringBuilder normalised = new StringBuilder(length);
        boolean pendingSpace = false;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                pendingSpace = normalised.length() > 0;
            } else {
                if (pendingSpace) {
                    normalised.append(' ');
                    pendingSpace = false;
                }
                normalised.append(c);
            }
        }
        return normalised.toString();
    }
}
