package io.mcpagent.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of the framework's bundle lists that are not there, such as those of a feature deleted from
 * {@code system/} by hand. Felix's launcher would print a stack trace for each, on the console only, and start
 * without them; here each is said in one line and left out of the list the framework gets, or, for a jar of the
 * feature every other one needs, the start is refused. The jars of a feature that needs one with a missing jar are
 * left out too, said once per such feature: started, they would only fail to resolve, a stack trace each.
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
    /** The features a feature needs (io.mcpagent.feature.dependencies of features/*.json), as the build writes them. */
    private static final String FEATURE_DEPENDENCIES = "mcpagent.feature.%s.dependencies";
    /** The feature every other one depends on (README: A smaller runtime): without a jar of it nothing works. */
    static final String CORE = "core";
    /**
     * The system property that tells the runtime which jars the start left out, one per line: the jar's name (for a
     * feature left out as it needs one whose jar is missing, the feature's), a tab, and what the console said of it.
     * The core bundle's {@code LeftOutJars} logs them and reports them as problems.
     */
    static final String LEFT_OUT_PROPERTY = "mcpagent.launcher.leftOutJars";
    /**
     * The system property that tells the runtime which features the start left out for a missing jar of a feature
     * they need, one per line: the feature, a tab, the feature it needs whose jar is missing, a tab, that jar as the
     * console named it. {@code BundleServices.notInstalled} says so of their services.
     */
    static final String LEFT_OUT_FEATURES_PROPERTY = "mcpagent.launcher.leftOutFeatures";

    /** A jar that is not there, the list that names it, and the feature the build took it from, if it says. */
    private record Missing(Path jar, String list, Optional<String> feature) {
    }

    /**
     * A feature whose jars are left out, as it needs {@code lacking} (itself, or a feature that one needs), a feature
     * with the missing jar {@code because}; {@code lists} are those its jars were left out of.
     */
    private record LeftOutFeature(String feature, String lacking, Missing because, Set<String> lists) {
    }

    private final String propertiesFile;
    private final List<String> features;
    /** The features each feature needs, directly or not, as the build wrote them. */
    private final Map<String, Set<String>> needs;
    private final List<Missing> missing;
    private final List<LeftOutFeature> leftOutFeatures;
    /** The lists that name a jar left out, without it, as the framework is to get them. */
    private final Map<String, String> keptLists;

    private MissingJars(String propertiesFile, List<String> features, Map<String, Set<String>> needs,
            List<Missing> missing, List<LeftOutFeature> leftOutFeatures, Map<String, String> keptLists) {
        this.propertiesFile = propertiesFile;
        this.features = features;
        this.needs = needs;
        this.missing = missing;
        this.leftOutFeatures = leftOutFeatures;
        this.keptLists = keptLists;
    }

    /**
     * The {@code file:} jars that do not exist in the bundle lists of the launch properties at {@code propertiesUrl},
     * as Felix's launcher hands them over (a {@code -D} of the same name in place of the file's line), and the jars of
     * the features that need a feature of such a jar. Locations that are no {@code file:} URL are left to the
     * framework. None when the file cannot be read, which it reports itself.
     */
    static MissingJars of(String propertiesUrl) {
        Properties properties = Launcher.launchProperties(propertiesUrl).orElse(null);
        if (properties == null) {
            return new MissingJars(propertiesUrl, List.of(), Map.of(), List.of(), List.of(), Map.of());
        }
        List<String> features = commaSeparated(properties.getProperty(FEATURES, ""));
        Map<String, Set<String>> needs = needs(features, properties);
        Map<String, List<String>> lists = bundleLists(properties);
        List<Missing> missing = new ArrayList<>();
        lists.forEach((list, locations) -> locations.stream().map(Launcher::localFile).flatMap(Optional::stream)
                .filter(Files::notExists)
                .forEach(jar -> missing.add(new Missing(jar, list, featureOf(jar, properties)))));
        Set<Path> missingJars = missing.stream().map(Missing::jar).collect(Collectors.toSet());
        Map<String, LeftOutFeature> leftOutFeatures = leftOutFeatures(features, needs, missing);
        Map<String, String> keptLists = new LinkedHashMap<>();
        lists.forEach((list, locations) -> {
            List<String> kept = new ArrayList<>();
            for (String location : locations) {
                Optional<Path> jar = Launcher.localFile(location);
                Optional<LeftOutFeature> ofFeature = jar.flatMap(file -> featureOf(file, properties))
                        .map(leftOutFeatures::get);
                if (jar.filter(missingJars::contains).isEmpty() && ofFeature.isEmpty()) {
                    kept.add(location);
                }
                ofFeature.ifPresent(feature -> feature.lists().add(list));
            }
            if (kept.size() < locations.size()) {
                keptLists.put(list, kept.stream().map(location -> location.contains(" ") ? '"' + location + '"'
                        : location).collect(Collectors.joining(" ")));
            }
        });
        // a feature whose jars are all missing, or in no list, has nothing left out to say
        List<LeftOutFeature> said = leftOutFeatures.values().stream().filter(feature -> !feature.lists().isEmpty())
                .toList();
        return new MissingJars(Launcher.fileOf(propertiesUrl), features, needs, List.copyOf(missing), said,
                keptLists);
    }

    /**
     * The lists of bundles of the file and those only set with -D, which Felix's launcher takes too, by start level,
     * each with its locations.
     */
    private static Map<String, List<String>> bundleLists(Properties properties) {
        List<String> names = Stream.concat(properties.stringPropertyNames().stream(),
                        System.getProperties().stringPropertyNames().stream())
                .distinct().map(BUNDLE_LIST::matcher).filter(Matcher::matches)
                .sorted(Comparator.comparingInt((Matcher list) -> list.group(1) == null ? 0
                        : Integer.parseInt(list.group(1))).thenComparing(list -> list.group()))
                .map(Matcher::group).toList();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (String list : names) {
            try {
                lists.put(list, locations(Launcher.handedOver(list, properties)));
            } catch (IllegalArgumentException e) {
                // a variable that refers to itself: Felix's launcher refuses the file itself
            }
        }
        return lists;
    }

    /** The features each of {@code features} needs, directly or through another, nearest first. */
    private static Map<String, Set<String>> needs(List<String> features, Properties properties) {
        Map<String, Set<String>> needs = new LinkedHashMap<>();
        for (String feature : features) {
            Set<String> needed = new LinkedHashSet<>();
            List<String> next = new ArrayList<>(dependencies(feature, properties));
            while (!next.isEmpty()) {
                String dependency = next.remove(0);
                if (!dependency.equals(feature) && needed.add(dependency)) {
                    next.addAll(dependencies(dependency, properties));
                }
            }
            needs.put(feature, needed);
        }
        return needs;
    }

    private static List<String> dependencies(String feature, Properties properties) {
        return commaSeparated(properties.getProperty(FEATURE_DEPENDENCIES.formatted(feature), ""));
    }

    /**
     * The features that need one with a missing jar, by name, each with the nearest such feature and its first
     * missing jar; lists are added as its jars are left out of them.
     */
    private static Map<String, LeftOutFeature> leftOutFeatures(List<String> features, Map<String, Set<String>> needs,
            List<Missing> missing) {
        Map<String, Missing> lacking = new LinkedHashMap<>();
        missing.forEach(jar -> jar.feature().ifPresent(feature -> lacking.putIfAbsent(feature, jar)));
        Map<String, LeftOutFeature> leftOut = new LinkedHashMap<>();
        for (String feature : features) {
            needs.get(feature).stream().filter(lacking::containsKey).findFirst().ifPresent(needed -> leftOut.put(
                    feature, new LeftOutFeature(feature, needed, lacking.get(needed), new LinkedHashSet<>())));
        }
        return leftOut;
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
     * Hands the lists that name a jar left out over without it: as the system property of the list's name, which
     * Felix's launcher takes in place of the file's line, the jars and features left out as {@value #LEFT_OUT_PROPERTY}
     * (since the console is not the log) and those features as {@value #LEFT_OUT_FEATURES_PROPERTY}. Returns a warning
     * per missing jar, naming it, its list and what to do, then one per feature left out for it; none when no jar is
     * missing, and then nothing is set.
     */
    List<String> leaveOut() {
        keptLists.forEach(System::setProperty);
        List<Map.Entry<String, String>> leftOut = Stream.concat(
                missing.stream().map(jar -> Map.entry(jar.jar().getFileName().toString(), leftOut(jar))),
                leftOutFeatures.stream().map(feature -> Map.entry(feature.feature(), leftOut(feature)))).toList();
        if (!leftOut.isEmpty()) {
            System.setProperty(LEFT_OUT_PROPERTY, leftOut.stream().map(said -> said.getKey() + "\t" + said.getValue())
                    .collect(Collectors.joining("\n")));
        }
        if (!leftOutFeatures.isEmpty()) {
            System.setProperty(LEFT_OUT_FEATURES_PROPERTY, leftOutFeatures.stream().map(feature -> feature.feature()
                    + "\t" + feature.lacking() + "\t" + feature.because().jar()).collect(Collectors.joining("\n")));
        }
        return leftOut.stream().map(said -> "mcp-agent: WARN: " + said.getValue()).toList();
    }

    private String leftOut(Missing jar) {
        String withoutIt = jar.feature().map(this::without)
                .orElse("its feature: -Dmcpagent.features=" + (features.isEmpty() ? "<the features to keep>"
                        : "<those of " + String.join(",", features) + " to keep>"));
        return jar.jar() + " does not exist: left out of " + jar.list() + " (" + propertiesFile
                + "), the runtime starts without it. Restore it from the distribution, or build the distribution"
                + " without " + withoutIt + " (README: A smaller runtime)";
    }

    private String leftOut(LeftOutFeature feature) {
        Path jar = feature.because().jar();
        return "the feature " + feature.feature() + " needs the feature " + feature.lacking() + ", which lacks " + jar
                + ": its jars are left out of " + String.join(", ", feature.lists()) + " (" + propertiesFile
                + "), the runtime starts without it. Restore " + jar + " from the distribution, or build the"
                + " distribution without " + without(feature.lacking()) + " (README: A smaller runtime)";
    }

    /**
     * The features to build without {@code feature}: also without those that need it, which the build refuses to
     * assemble without it.
     */
    private String without(String feature) {
        List<String> needing = features.stream().filter(other -> needs.get(other).contains(feature)).toList();
        List<String> kept = features.stream().filter(other -> !other.equals(feature) && !needing.contains(other))
                .toList();
        String alsoNeeding = needing.isEmpty() ? "" : " (and " + String.join(", ", needing) + ", which "
                + (needing.size() == 1 ? "needs" : "need") + " it)";
        return "the feature " + feature + alsoNeeding + ": -Dmcpagent.features=" + String.join(",", kept);
    }

    /** The feature whose jars, as the build lists them, hold one of the name of {@code jar}; empty when none does. */
    private static Optional<String> featureOf(Path jar, Properties properties) {
        String name = jar.getFileName().toString();
        return properties.stringPropertyNames().stream().map(FEATURE_JARS::matcher).filter(Matcher::matches)
                .filter(feature -> Arrays.asList(properties.getProperty(feature.group()).strip().split("\\s+"))
                        .contains(name))
                .map(feature -> feature.group(1)).sorted().findFirst();
    }

    private static List<String> commaSeparated(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /** The locations of a bundle list, as Felix's launcher reads them, without their quotes. */
    static List<String> locations(String list) {
        return LOCATION.matcher(list).results().map(location -> location.group().replace("\"", "")).toList();
    }
}
