package io.mcpagent.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of the framework's bundle lists that are not there, such as those of a feature deleted from
 * {@code system/} by hand. Felix's launcher would print a stack trace for each, on the console only, and start
 * without them; here each is said in one line and left out of the list the framework gets.
 */
final class MissingJars {
    /**
     * The lists of bundles Felix's launcher installs ({@code felix.auto.install}) or installs and starts
     * ({@code felix.auto.start}), each with a start level or without; it reads these keys in lower case only.
     */
    private static final Pattern BUNDLE_LIST = Pattern.compile("felix\\.auto\\.(?:install|start)(?:\\.(\\d{1,9}))?");
    /** A location of such a list, as Felix's launcher reads them: separated by blanks; a quoted one may hold blanks. */
    private static final Pattern LOCATION = Pattern.compile("(?:\"[^\"]*\"?|[^ \"])+");
    /** The features the distribution's build assembled, written by it into the launch properties. */
    private static final String FEATURES = "mcpagent.features";

    private MissingJars() {
    }

    /**
     * Leaves the {@code file:} jars that do not exist out of the bundle lists of the launch properties at
     * {@code propertiesUrl}, as the framework gets them: a list that names one is set as a system property, which
     * Felix's launcher takes in place of the file's line. Returns a warning per jar left out, naming it, its list and
     * what to do. Lists that name no missing jar, and locations that are no {@code file:} URL, are left as they are.
     */
    static List<String> leaveOut(String propertiesUrl) {
        Properties properties = Launcher.launchProperties(propertiesUrl).orElse(null);
        if (properties == null) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        // the file's lists and those only set with -D, which Felix's launcher takes too; by start level
        List<String> lists = Stream.concat(properties.stringPropertyNames().stream(),
                        System.getProperties().stringPropertyNames().stream())
                .distinct().map(BUNDLE_LIST::matcher).filter(Matcher::matches)
                .sorted(Comparator.comparingInt((Matcher list) -> list.group(1) == null ? 0
                        : Integer.parseInt(list.group(1))).thenComparing(list -> list.group()))
                .map(Matcher::group).toList();
        for (String list : lists) {
            String value;
            try {
                value = Launcher.handedOver(list, properties);
            } catch (IllegalArgumentException e) {
                continue; // a variable that refers to itself: Felix's launcher refuses the file itself
            }
            List<String> locations = locations(value);
            List<String> kept = new ArrayList<>();
            for (String location : locations) {
                Path jar = Launcher.localFile(location).filter(Files::notExists).orElse(null);
                if (jar == null) {
                    kept.add(location);
                } else {
                    warnings.add(missing(jar, list, Launcher.fileOf(propertiesUrl), properties.getProperty(FEATURES)));
                }
            }
            if (kept.size() < locations.size()) {
                System.setProperty(list, kept.stream().map(location -> location.contains(" ") ? '"' + location + '"'
                        : location).collect(Collectors.joining(" ")));
            }
        }
        return warnings;
    }

    /** The locations of a bundle list, as Felix's launcher reads them, without their quotes. */
    static List<String> locations(String list) {
        return LOCATION.matcher(list).results().map(location -> location.group().replace("\"", "")).toList();
    }

    private static String missing(Path jar, String list, String propertiesFile, String features) {
        return "mcp-agent: WARN: " + jar + " does not exist: left out of " + list + " (" + propertiesFile
                + "), the runtime starts without it. Restore it from the distribution, or build the distribution"
                + " without its feature: -Dmcpagent.features=" + (features == null ? "<the features to keep>"
                : "<those of " + features + " to keep>") + " (README: A smaller runtime)";
    }
}
