package io.mcpagent.mcp.internal.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mcpagent.api.mcp.CatalogEntry;

/**
 * What {@link CatalogEntry} itself does not check but install needs: one way to start the server, a pinned npm
 * version, a usable URL, environment variable names, and only the placeholders install knows.
 */
final class CatalogEntryChecks {

    private static final Pattern NPM_PACKAGE = Pattern.compile("(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*");
    /** Exact versions only, so that an install is repeatable: no ranges, tags or "latest". */
    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CAPABILITY = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private CatalogEntryChecks() {
    }

    /** The problems of an entry, each naming its field; empty if it can be installed. */
    static List<String> problems(CatalogEntry entry) {
        List<String> problems = new ArrayList<>();
        int launchers = (entry.npmPackage() != null ? 1 : 0) + (entry.command() != null ? 1 : 0)
                + (entry.url() != null ? 1 : 0);
        if (launchers > 1) {
            problems.add("set only one of the fields 'npmPackage', 'command' and 'url'");
        }
        if (entry.npmPackage() != null) {
            if (!NPM_PACKAGE.matcher(entry.npmPackage()).matches()) {
                problems.add("field 'npmPackage' is not an npm package name: '" + entry.npmPackage() + "'");
            }
            if (entry.npmVersion() == null || !EXACT_VERSION.matcher(entry.npmVersion()).matches()) {
                problems.add("field 'npmVersion' must be an exact version such as 1.2.3, was '" + entry.npmVersion() + "'");
            }
        } else if (entry.npmVersion() != null) {
            problems.add("field 'npmVersion' is set without 'npmPackage'");
        }
        if (entry.command() != null && entry.command().isBlank()) {
            problems.add("field 'command' is blank");
        }
        if (entry.url() != null && !isHttpUrl(entry.url())) {
            problems.add("field 'url' must be an http or https URL, was '" + entry.url() + "'");
        }
        for (String name : entry.requiredEnv()) {
            if (!ENV_NAME.matcher(name).matches()) {
                problems.add("field 'requiredEnv' holds '" + name + "', which is not an environment variable name");
            }
        }
        for (String capability : entry.capabilities()) {
            if (!CAPABILITY.matcher(capability).matches()) {
                problems.add("field 'capabilities' holds '" + capability + "': use lower case words joined by '_'");
            }
        }
        for (String arg : entry.args()) {
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
