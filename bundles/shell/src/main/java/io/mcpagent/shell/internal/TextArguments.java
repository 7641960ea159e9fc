package io.mcpagent.shell.internal;

import java.util.Map;
import java.util.Set;

/**
 * Double-quoted arguments of the platform's own commands, read as written. Gogo reads a double-quoted argument as an
 * expression: {@code "under $200"} expands a variable that is not there to nothing (the task changed, silently),
 * {@code "cut costs by 20%"} fails as a bad expression, and an apostrophe ({@code "yesterday's logs"}) opens a quote
 * that is never closed. Tasks, prompts and names are plain text full of these, so the console hands such an argument
 * to Gogo single-quoted, which Gogo takes character for character, before Gogo reads the line.
 * <p>
 * Only the first statement of a line whose command is one of ours (scoped, {@code agent:analyze}, or bare,
 * {@code analyze}) is rewritten, up to the first {@code ; | { } ( ) [ ]} outside quotes: the rest, and every other
 * command, is Gogo's as before ({@code echo "$x"} still expands). Within double quotes a backslash still escapes
 * {@code " \ $ % '}; before anything else it is kept ({@code "C:\temp"}). A double quote that is not closed leaves
 * the line as it is, for Gogo to name.
 */
final class TextArguments {
    /** The commands of this bundle, by scope (as their {@code @GogoCommand} annotations name them). */
    static final Map<String, Set<String>> COMMANDS = Map.of(
            "agent", Set.of("analyze", "plan", "execute", "history", "show", "cancel", "run"),
            "apikey", Set.of("create", "list", "revoke"),
            "auth", Set.of("login", "logout", "whoami"),
            "llm", Set.of("providers", "models", "chat", "usage"),
            "mcp", Set.of("servers", "tools", "call", "catalog", "recommend", "install", "uninstall", "health"),
            "plugin", Set.of("list", "info", "problems"));
    private static final String ESCAPED_IN_DOUBLE_QUOTES = "\"\\$%'";
    private static final String END_OF_STATEMENT = ";|{}()[]";

    private TextArguments() {
    }

    /** The line with the double-quoted arguments of its first statement single-quoted, when its command is ours. */
    static String asWritten(String line) {
        int start = 0;
        while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        if (!isOurs(line.substring(start, end))) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length() + 8).append(line, 0, end);
        int i = end;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (END_OF_STATEMENT.indexOf(c) >= 0) {
                break;
            }
            if (c == '\\' && i + 1 < line.length()) { // Gogo's escape outside quotes, kept for Gogo
                out.append(line, i, i + 2);
                i += 2;
            } else if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) {
                    return line;
                }
                out.append(line, i, close + 1);
                i = close + 1;
            } else if (c == '"') {
                i = singleQuoted(line, i + 1, out);
                if (i < 0) {
                    return line;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.append(line, i, line.length()).toString();
    }

    private static boolean isOurs(String command) {
        int colon = command.indexOf(':');
        if (colon < 0) {
            return COMMANDS.values().stream().anyMatch(functions -> functions.contains(command));
        }
        Set<String> functions = COMMANDS.get(command.substring(0, colon));
        return functions != null && functions.contains(command.substring(colon + 1));
    }

    /**
     * Appends the text of the double-quoted argument whose content starts at {@code from}, single-quoted (an apostrophe
     * as {@code '\''}: the quote closed, an escaped apostrophe, the quote opened again); returns where it ends, or -1
     * when its quote is not closed.
     */
    private static int singleQuoted(String line, int from, StringBuilder out) {
        out.append('\'');
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                out.append('\'');
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && ESCAPED_IN_DOUBLE_QUOTES.indexOf(line.charAt(i + 1)) >= 0) {
                c = line.charAt(++i);
            }
            if (c == '\'') {
                out.append("'\\''");
            } else {
                out.append(c);
            }
        }
        return -1;
    }
}
