package io.mcpagent.api.task;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A task in plain words, the tenant it runs for, and free-form attributes (hints from the caller). */
public record Task(String text, String tenant, Map<String, String> attributes) {
    public Task {
        Objects.requireNonNull(text, "text");
        tenant = tenant == null || tenant.isBlank() ? "default" : tenant;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static Task of(String text) {
        return new Task(text, null, Map.of());
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
