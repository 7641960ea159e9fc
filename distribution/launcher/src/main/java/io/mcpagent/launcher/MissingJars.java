package io.mcpagent.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of the framework's bundle lists that are not there, such as those of a feature deleted from
 * {@code system/} by hand. Felix's launcher would print a stack trace for each, on the console only, and start
 * without them; here each is said in one line and left out of the list the framework gets, or, for a jar of the
 * feature every other one needs, the start is refused.
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
    /** The jars of each feature, by their names in {@code system/}, as the build writes them. */
    private static final Pattern FEATURE_JARS = Pattern.compile("mcpagent\\.feature\\.(.+)\\.jars");
    /** The feature every other one depends on (README: A smaller runtime): without a jar of it nothing works. */
    static final String CORE = "core";
    /**
     * The system property that tells the runtime which jars the start left out, one per line: the jar's name, a tab,
     * and what the console said of it. The core bundle's {@code LeftOutJars} logs them and reports them as problems.
     */
    static final String LEFT_OUT_PROPERTY = "mcpagent.launcher.leftOutJars";

    /** A jar that is not there, the list that names it, and the feature the build took it from, if it says. */
    private record Missing(Path jar, String list, Optional<String> feature) {
    }

    private final String propertiesFile;
    private final List<String> features;
    private final List<Missing> missing;
    /** The lists that name a missing jar, without it, as the framework is to get them. */
    private final Map<String, String> keptLists;

    private MissingJars(String propertiesFile, List<String> features, List<Missing> missing,
            Map<String, String> keptLists) {
        this.propertiesFile = propertiesFile;
        this.features = features;
        this.missing = missing;
        this.keptLists = keptLists;
    }

    /**
     * The {@code file:} jars that do not exist in the bundle lists of the launch properties at {@code propertiesUrl},
     * as Felix's launcher hands them over (a {@code -D} of the same name in place of the file's line). Locations that
     * are no {@code file:} URL are left to the framework. None when the file cannot be read, which it reports itself.
     */
    static MissingJars of(String propertiesUrl) {
        Properties properties = Launcher.launchProperties(propertiesUrl).orElse(null);
        if (properties == null) {
            return new MissingJars(propertiesUrl, List.of(), List.of(), Map.of());
        }
        List<Missing> missing = new ArrayList<>();
        Map<String, String> keptLists = new LinkedHashMap<>();
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
                Optional<Path> jar = Launcher.localFile(location).filter(Files::notExists);
                jar.ifPresentOrElse(file -> missing.add(new Missing(file, list, featureOf(file, properties))),
                        () -> kept.add(location));
            }
            if (kept.size() < locations.size()) {
                keptLists.put(list, kept.stream().map(location -> location.contains(" ") ? '"' + location + '"'
                        : location).collect(Collectors.joining(" ")));
            }
        }
        List<String> features = Arrays.stream(properties.getProperty(FEATURES, "").split(",")).map(String::strip)
                .filter(feature -> !feature.isEmpty()).toList();
        return new MissingJars(Launcher.fileOf(propertiesUrl), features, List.copyOf(missing), keptLists);
    }

    /**
     * Why the runtime must not start: jars of the feature {@value #CORE} are missing, without which the others do not
     * resolve or do nothing, and the runtime would run without its HTTP API, shell commands or log. Empty when none is.
     */
    Optional<String> refusal() {
        List<Missing> ofCore = missing.stream().filter(jar -> jar.feature().equals(Optional.of(CORE))).toList();
        if (ofCore.isEmpty()) {
            return Optional.empty();
        }
        String jars = ofCore.stream().map(jar -> jar.jar() + " (" + jar.list() + ")")
                .collect(Collectors.joining(", "));
        boolean one = ofCore.size() == 1;
        return Optional.of(jars + (one ? " does" : " do") + " not exist (" + propertiesFile + "): " + (one ? "a jar"
                : "jars") + " of the feature core, which every other feature needs; without " + (one ? "it" : "them")
                + " the runtime would run broken, its bundles unresolved or idle. Restore " + (one ? "it" : "them")
                + " from the distribution");
    }

    /**
     * Hands the lists that name a missing jar over without it: as the system property of the list's name, which Felix's
     * launcher takes in place of the file's line, and the jars left out as {@value #LEFT_OUT_PROPERTY}, since the
     * console is not the log. Returns a warning per jar left out, naming it, its list and what to do; none when no jar
     * is missing, and then nothing is set.
     */
    List<String> leaveOut() {
        keptLists.forEach(System::setProperty);
        if (!missing.isEmpty()) {
            System.setProperty(LEFT_OUT_PROPERTY, missing.stream()
                    .map(jar -> jar.jar().getFileName() + "\t" + leftOut(jar)).collect(Collectors.joining("\n")));
        }
        return missing.stream().map(jar -> "mcp-agent: WARN: " + leftOut(jar)).toList();
    }

    private String leftOut(Missing jar) {
        String withoutIt = jar.feature().map(feature -> "the feature " + feature + ": -Dmcpagent.features="
                + String.join(",", features.stream().filter(other -> !other.equals(feature)).toList()))
                .orElse("its feature: -Dmcpagent.features=" + (features.isEmpty() ? "<the features to keep>"
                        : "<those of " + String.join(",", features) + " to keep>"));
        return jar.jar() + " does not exist: left out of " + jar.list() + " (" + propertiesFile
                + "), the runtime starts without it. Restore it from the distribution, or build the distribution"
                + " without " + withoutIt + " (README: A smaller runtime)";
    }

    /** The feature whose jars, as the build lists them, hold one of the name of {@code jar}; empty when none does. */
    private static Optional<String> featureOf(Path jar, Properties properties) {
        String name = jar.getFileName().toString();
        return properties.stringPropertyNames().stream().map(FEATURE_JARS::matcher).filter(Matcher::matches)
                .filter(feature -> Arrays.asList(properties.getProperty(feature.group()).strip().split("\\s+"))
                        .contains(name))
                .map(feature -> feature.group(1)).sorted().findFirst();
    }

    /** The locations of a bundle list, as Felix's launcher reads them, without their quotes. */
    static List<String> locations(String list) {
        return LOCATION.matcher(list).results().map(location -> location.group().replace("\"", "")).toList();
    }
}
