package io.mcpagent.http.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an API key may do; each role includes the ones below it. */
enum Role {
    VIEWER, OPERATOR, ADMIN;

    boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.id().equalsIgnoreCase(text == null ? "" : text.trim())).findFirst();
    }

    static String validIds() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
