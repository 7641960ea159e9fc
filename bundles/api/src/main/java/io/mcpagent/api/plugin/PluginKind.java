package io.mcpagent.api.plugin;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of plugin the platform tracks; {@link #id()} is the value of {@value PluginProperties#KIND}. */
public enum PluginKind {
    PROVIDER("provider"),
    PATTERN("pattern"),
    ANALYZER("analyzer"),
    MCP_SERVER("mcp-server");

    private final String id;

    PluginKind(String id) {
        this.id = id;
    }

    /** The stable, lower-case name used in service properties, REST and the shell. */
    public String id() {
        return id;
    }

    /** Parses a kind by its id ({@code mcp-server}) or enum name ({@code MCP_SERVER}), ignoring case. */
    public static Optional<PluginKind> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.id.equals(wanted) || k.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }

    /** The valid ids, for error messages: {@code provider, pattern, analyzer, mcp-server}. */
    public static String validIds() {
        return String.join(", ", Arrays.stream(values()).map(PluginKind::id).toList());
    }
}
