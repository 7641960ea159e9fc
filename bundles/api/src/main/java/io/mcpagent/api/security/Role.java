package io.mcpagent.api.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a caller may do; each role includes the ones below it. {@code viewer} reads, {@code operator} also runs
 * (executions, tool calls, chats), {@code admin} also administers (installs, removes, reconfigures, manages keys) and
 * sees every tenant.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /** The lower-case name used in configuration, keys and answers: {@code viewer}, {@code operator}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named by {@code text} (any case, surrounding blanks ignored), if there is one. */
    public static Optional<Role> parse(String text) {
        String wanted = text == null ? "" : text.strip();
        return Arrays.stream(values()).filter(role -> role.id().equalsIgnoreCase(wanted)).findFirst();
    }

    /** The ids, for messages: {@code viewer, operator, admin}. */
    public static String ids() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
