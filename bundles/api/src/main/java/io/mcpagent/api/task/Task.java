package io.mcpagent.api.task;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A task in plain words, the tenant it runs for, and free-form attributes (hints from the caller). */
public record Task(String text, String tenant, Map<String, String> attributes) {
    /**
     * The most characters (Unicode code points, as JSON Schema's {@code maxLength} counts them: an emoji is one; since
     * 1.7.1, UTF-16 units before) a task's text may have at every entry point that takes tasks from outside: REST,
     * the web console and the shell.
     *
     * @since 1.3
     */
    public static final int MAX_CHARS = 100_000;

    /**
     * The attribute that names the execution a task is analysed for, set by the autonomous orchestrator: an analyzer
     * that calls a model passes it to the {@code LlmRouter} as the call's execution id, so that what the analysis costs
     * is counted in the execution's usage and budget. It says nothing about the task: analyses are cached without it.
     *
     * @since 1.4
     */
    public static final String EXECUTION_ID_ATTRIBUTE = "executionId";

    /**
     * The attribute that names the LLM provider (its plugin id) the caller pinned the work on the task to, set by the
     * autonomous orchestrator for an execution, plan or dry run with a pinned {@code provider}: an analyzer that calls
     * a model calls this provider only, with no fallback to another, so that the task's text goes nowhere else (cost,
     * data residency); when it cannot (no model of it fits the analyzer's request), it gives no answer of its own
     * rather than ask another. Unlike {@link #EXECUTION_ID_ATTRIBUTE} it is part of what analyses are cached by.
     *
     * @since 1.5
     */
    public static final String PROVIDER_ATTRIBUTE = "provider";

    /**
     * The attribute that names the model the caller pinned the work on the task to, beside or without
     * {@link #PROVIDER_ATTRIBUTE}: an analyzer that calls a model asks for this one. Set and cached like it.
     *
     * @since 1.5
     */
    public static final String MODEL_ATTRIBUTE = "model";

    public Task {
        Objects.requireNonNull(text, "text");
        tenant = tenant == null || tenant.isBlank() ? "default" : tenant;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static Task of(String text) {
        return new Task(text, null, Map.of());
    }

    /**
     * Why a task's text is too long for the entry points to take, naming its length and {@link #MAX_CHARS}.
     *
     * @return e.g. "the task is 100001 characters long; at most 100000 are taken", or empty when it fits
     * @since 1.3
     */
    public static Optional<String> tooLong(String text) {
        if (text.length() <= MAX_CHARS) {
            return Optional.empty(); // no more code points than units
        }
        int characters = text.codePointCount(0, text.length());
        return characters > MAX_CHARS ? Optional.of("the task is " + characters + " characters long; at most "
                + MAX_CHARS + " are taken") : Optional.empty();
    }

    /**
     * What in a task's text is no text, for the entry points that take tasks from outside to refuse it: a control
     * character other than tab and line breaks (NEL too), or half of a surrogate pair. Such a task reaches no model
     * intact and would be stored and logged as garbage.
     *
     * @return e.g. "the control character U+0001 at 3", or empty when the text is plain text
     * @since 1.2
     */
    public static Optional<String> unreadable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\u0085') {
                return Optional.of(String.format(Locale.ROOT, "the control character U+%04X at %d", (int) c, i));
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format(Locale.ROOT, "an unpaired surrogate U+%04X at %d", (int) c, i));
            }
        }
        return Optional.empty();
    }
}
