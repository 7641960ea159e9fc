package io.mcpagent.mcp.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What a stdio server gets of the runtime's environment: the few variables a program needs to run, as the MCP
 * TypeScript SDK's stdio client passes by default ({@code DEFAULT_INHERITED_ENV_VARS}), plus those its configuration
 * names in {@code inheritEnv}. Never the whole environment: it holds the runtime's own secrets (the bootstrap admin key
 * {@code MCPAGENT_ADMIN_KEY}, cloud credentials, API keys), which a server could hand to whoever calls its tools.
 */
final class InheritedEnvironment {
    /** The SDK's list for POSIX (after sudo's defaults), then locale, time zone and temporary folder. */
    static final List<String> POSIX = List.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER",
            "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");
    /** The SDK's list for Windows, then time zone and the second temporary folder variable. */
    static final List<String> WINDOWS = List.of("APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PATH",
            "PROCESSOR_ARCHITECTURE", "SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES",
            "TZ", "TMP");

    private InheritedEnvironment() {
    }

    /** The variables every stdio server gets on this operating system. */
    static List<String> defaults() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? WINDOWS : POSIX;
    }

    /**
     * The {@code names} the runtime has, looked up with {@code variables} (case-insensitive on Windows when it is
     * {@link System#getenv(String)}). A value starting with {@code ()} is skipped, as the SDK does: it is an exported
     * shell function, which a shell the server starts would run.
     */
    static Map<String, String> of(Collection<String> names, Function<String, String> variables) {
        Map<String, String> inherited = new LinkedHashMap<>();
        for (String name : names) {
            String value = variables.apply(name);
            if (value != null && !value.startsWith("()")) {
                inherited.put(name, value);
            }
        }
        return inherited;
    }
}
