package io.mcpagent.mcp.internal.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.task.Capability;

/**
 * What an entry needs to be installed and found: what {@link CatalogEntry} checks (id, priority, a way to start the
 * server), and also exactly one way to start it, a pinned npm version, a usable URL, environment variable names,
 * capabilities from the shared vocabulary and only the placeholders install knows.
 */
final class CatalogEntryChecks {

    private static final Pattern NPM_PACKAGE = Pattern.compile("(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*");
    /** Exact versions only, so that an install is repeatable: no ranges, tags or "latest". */
    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private CatalogEntryChecks() {
    }

    /** The problems of an entry, each naming its field; empty if it can be installed. */
    static List<String> problems(CatalogEntry entry) {
        return problems(entry.id(), entry.priority(), entry.npmPackage(), entry.npmVersion(), entry.command(),
                entry.url(), entry.capabilities(), entry.requiredEnv(), entry.args());
    }

    /**
     * The problems of an entry's fields, all of them, each naming its field: also those {@link CatalogEntry} would
     * throw for one at a time, so that an operator's file is repaired in one go. Absent fields are {@code null}.
     */
    static List<String> problems(String id, int priority, String npmPackage, String npmVersion, String command,
                                 String url, List<String> capabilities, List<String> requiredEnv, List<String> args) {
        List<String> problems = new ArrayList<>();
        if (id == null || id.isBlank()) {
            problems.add("field 'id' is required");
        } else if (!CatalogEntry.ID.matcher(id).matches()) {
            problems.add("field 'id' must match " + CatalogEntry.ID.pattern()
                    + " (lower case letters, digits and '-'), was '" + id + "'");
        }
        if (priority < 0 || priority > 100) {
            problems.add("field 'priority' must be within 0..100, was " + priority);
        }
        int launchers = (npmPackage != null ? 1 : 0) + (command != null ? 1 : 0) + (url != null ? 1 : 0);
        if (launchers == 0) {
            problems.add("set one of the fields 'npmPackage', 'command' and 'url'");
        } else if (launchers > 1) {
            problems.add("set only one of the fields 'npmPackage', 'command' and 'url'");
        }
        if (npmPackage != null) {
            if (!NPM_PACKAGE.matcher(npmPackage).matches()) {
                problems.add("field 'npmPackage' is not an npm package name: '" + npmPackage + "'");
            }
            if (npmVersion == null || !EXACT_VERSION.matcher(npmVersion).matches()) {
                problems.add("field 'npmVersion' must be an exact version such as 1.2.3, was '" + npmVersion + "'");
            }
        } else if (npmVersion != null) {
            problems.add("field 'npmVersion' is set without 'npmPackage'");
        }
        if (command != null && command.isBlank()) {
            problems.add("field 'command' is blank");
        }
        if (url != null && !isHttpUrl(url)) {
            problems.add("field 'url' must be an http or https URL, was '" + url + "'");
        }
        for (String name : requiredEnv) {
            if (!ENV_NAME.matcher(name).matches()) {
                problems.add("field 'requiredEnv' holds '" + name + "', which is not an environment variable name");
            }
        }
        for (String capability : capabilities) {
            if (Capability.ofId(capability).isEmpty()) {
                // Tasks and analyzers name capabilities in this vocabulary only: any other would never be asked for.
                problems.add("field 'capabilities' holds '" + capability + "', which is not in the capability"
                        + " vocabulary: " + Arrays.stream(Capability.values()).map(Capability::id).sorted()
                        .collect(Collectors.joining(", ")));
            }
        }
        for (String arg : args) {
            Matcher placeholder = PLACEHOLDER.matcher(arg);
            while (placeholder.find()) {
                String name = placeholder.group(1);
                if (!name.equals("data") && !(name.startsWith("env:") && ENV_NAME.matcher(name.substring(4)).matches())) {
                    problems.add("field 'args' holds the unknown placeholder '" + placeholder.group()
                            + "': only ${data} and ${env:NAME} are expanded");
                }
            }
        }
        return problems;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
