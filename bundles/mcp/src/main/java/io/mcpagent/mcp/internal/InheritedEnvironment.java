package io.mcpagent.mcp.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a child process gets of the runtime's environment: the few variables a program needs to run, as the MCP
 * TypeScript SDK's stdio client passes by default ({@code DEFAULT_INHERITED_ENV_VARS}), plus those its configuration
 * names ({@code inheritEnv} of a stdio server, {@code installInheritEnv} of the catalog's npm installs). Never the whole
 * environment: it holds the runtime's own secrets (the bootstrap admin key {@code MCPAGENT_ADMIN_KEY}, cloud
 * credentials, API keys), which a server could hand to whoever calls its tools, and a package's install script to
 * whoever published it.
 */
public final class InheritedEnvironment {
    /** The SDK's list for POSIX (after sudo's defaults), then locale, time zone and temporary folder. */
    static final List<String> POSIX = List.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER",
            "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");
    /** The SDK's list for Windows, then time zone and the second temporary folder variable. */
    static final List<String> WINDOWS = List.of("APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PATH",
            "PROCESSOR_ARCHITECTURE", "SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES",
            "TZ", "TMP");
    /** An environment variable name as a configuration may give it. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private InheritedEnvironment() {
    }

    /** The variables every child process gets on this operating system. */
    public static List<String> defaults() {
        return isWindows() ? WINDOWS : POSIX;
    }

    /**
     * Looks names up in {@code variables} as {@link System#getenv(String)} does: ignoring case on Windows, where
     * {@link System#getenv()} keeps each name as it is spelt ({@code Path}, {@code ComSpec}) and its map does not.
     */
    public static Function<String, String> lookup(Map<String, String> variables) {
        return lookup(variables, isWindows());
    }

    static Function<String, String> lookup(Map<String, String> variables, boolean ignoreCase) {
        if (!ignoreCase) {
            return variables::get;
        }
        Map<String, String> ignoringCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ignoringCase.putAll(variables);
        return ignoringCase::get;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * The {@code names} the runtime has, looked up with {@code variables} (case-insensitive on Windows when it is
     * {@link System#getenv(String)}). A value starting with {@code ()} is skipped, as the SDK does: it is an exported
     * shell function, which a shell the child starts would run.
     */
    public static Map<String, String> of(Collection<String> names, Function<String, String> variables) {
        Map<String, String> inherited = new LinkedHashMap<>();
        for (String name : names) {
            String value = variables.apply(name);
            if (isInheritable(value)) {
                inherited.put(name, value);
            }
        }
        return inherited;
    }

    /** The {@code variables} whose name starts with {@code prefix} in any case, with the {@code ()} rule of {@link #of}. */
    public static Map<String, String> startingWith(String prefix, Map<String, String> variables) {
        Map<String, String> inherited = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            if (name.regionMatches(true, 0, prefix, 0, prefix.length()) && isInheritable(value)) {
                inherited.put(name, value);
            }
        });
        return inherited;
    }

    /** The prefix of the runtime's own variables, never passed ({@code MCPAGENT_ADMIN_KEY}). */
    private static final String RUNTIME_PREFIX = "MCPAGENT_";

    private static boolean isInheritable(String value) {
        return value != null && !value.startsWith("()");
    }

    /**
     * The names {@code entries} of configuration property {@code property} give, checked. A wrong entry is named like a
     * wrong {@code env} entry, by its position and what precedes its first space or '=', never by a value:
     * {@code TOKEN=<value>} is a likely slip. {@code "*"} is refused: it would pass every secret of the runtime; so are
     * the runtime's own {@code MCPAGENT_*} variables (in any case), the bootstrap admin key among them.
     *
     * @param child who gets the variables, for the refusal of {@code "*"} ("the server", "npm")
     * @param valueAdvice where a value goes instead, for the refusal of {@code NAME=value}
     * @param problems where each wrong entry is described
     */
    public static List<String> names(String property, String child, String valueAdvice, String[] entries,
                                     List<String> problems) {
        List<String> names = new ArrayList<>();
        for (int index = 0; index < entries.length; index++) {
            String name = entries[index].strip();
            String nameStart = name.split("[\\s=]", 2)[0];
            // a single word that is no name may be a token pasted in: quoted only when it is a name
            boolean quoted = !nameStart.isEmpty() && (!nameStart.equals(name) || NAME.matcher(name).matches()
                    || name.equals("*"));
            String entry = property + " entry " + (index + 1) + " of " + entries.length
                    + (quoted ? " ('" + nameStart + "')" : nameStart.isEmpty() ? ""
                    : " (a single word, not shown: it may be a value)");
            if (NAME.matcher(name).matches()) {
                if (name.regionMatches(true, 0, RUNTIME_PREFIX, 0, RUNTIME_PREFIX.length())) {
                    problems.add(entry + " is a variable of the runtime itself: " + child + " never gets "
                            + RUNTIME_PREFIX + "* variables (MCPAGENT_ADMIN_KEY is the bootstrap admin key)");
                } else {
                    names.add(name);
                }
            } else if (name.equals("*")) {
                problems.add(entry + " would pass the runtime's whole environment, its secrets with it"
                        + " (MCPAGENT_ADMIN_KEY, credentials): name each variable " + child + " needs");
            } else if (name.contains("=")) {
                problems.add(entry + " must be a variable name only; " + valueAdvice);
            } else {
                problems.add(entry + " is not an environment variable name (letters, digits and _, not starting"
                        + " with a digit)");
            }
        }
        return names;
    }
}
