package io.mcpagent.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The assembled distribution (distribution/target/mcp-agent) as the tests see it: its generated start lists,
 * its framework properties, and fresh runtime homes made from the build's etc/ for one test run each.
 */
final class DistributionLayout {
    private static final String PORTS = "mcpagent.itest.ports";
    private static final String FORK = "mcpagent.itest.fork";
    private static final String FORKS = "mcpagent.itest.forks";
    /** The first port of the range {@link #freePort} may hand out next. */
    private static int nextPort;

    static final String HTTP_PID_FILE = "org.apache.felix.http.cfg.json";
    static final String DEPLOY_PID_FILE = "org.apache.felix.fileinstall~deploy.cfg.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The line of etc/framework.properties from which the build generated the rest of it. */
    private static final String GENERATED_MARKER = "# ---- generated from features";

    private final Path dir;
    /**
     * The build's copy of etc/, as it wrote it: users add their own files to etc/ of the assembled distribution and
     * edit the build's there (the next build keeps those edits), and files of earlier builds that the build no longer
     * writes may be there too, if edited; the tests see none of them.
     */
    private final Path builtEtc;

    DistributionLayout(Path dir, Path builtEtc) {
        if (!Files.isRegularFile(dir.resolve("etc/framework.properties"))
                || !Files.isRegularFile(builtEtc.resolve("framework.properties"))) {
            throw new IllegalStateException("no assembled distribution at " + dir + " with the build's etc/ in "
                    + builtEtc + "; build it first: ./mvnw package -pl distribution -am");
        }
        this.dir = dir;
        this.builtEtc = builtEtc;
    }

    static DistributionLayout fromSystemProperty() {
        return new DistributionLayout(pathProperty("mcpagent.dist.dir"), pathProperty("mcpagent.dist.etc.built"));
    }

    private static Path pathProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (the failsafe plugin sets it)");
        }
        return Paths.get(value).toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    Properties frameworkProperties() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(builtEtc.resolve("framework.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The bundles of the distribution by start level, as absolute paths, from the generated felix.auto.start lists. */
    Map<Integer, List<Path>> startLists() {
        Map<Integer, List<Path>> lists = new TreeMap<>();
        frameworkProperties().forEach((key, value) -> {
            String name = key.toString();
            if (name.startsWith("felix.auto.start.")) {
                int level = Integer.parseInt(name.substring("felix.auto.start.".length()));
                List<Path> bundles = new ArrayList<>();
                for (String location : value.toString().trim().split("\\s+")) {
                    bundles.add(dir.resolve(location.substring("file:".length())));
                }
                lists.put(level, bundles);
            }
        });
        if (lists.isEmpty()) {
            throw new IllegalStateException("etc/framework.properties of " + dir + " has no felix.auto.start lists");
        }
        return lists;
    }

    /**
     * Makes a runtime home under {@code parent}: the build's files of etc/ with Jetty on {@code httpPort} and the deploy
     * watcher on {@code home/deploy} (absolute), plus empty deploy/ and data/.
     */
    Path newHome(Path parent, int httpPort) throws IOException {
        Path home = Files.createTempDirectory(parent, "home-");
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.createDirectories(home.resolve("deploy"));
        Files.createDirectories(home.resolve("data"));
        copyBuiltEtc(etc);
        editJson(etc.resolve(HTTP_PID_FILE), node -> node.put("org.osgi.service.http.port:Integer", httpPort));
        editJson(etc.resolve(DEPLOY_PID_FILE),
                node -> node.put("felix.fileinstall.dir", home.resolve("deploy").toString()));
        return home;
    }

    /**
     * A copy of the distribution as the build made it, for running bin/mcp-agent, with Jetty on {@code httpPort}: not
     * data/, the jars of deploy/ or the files of etc/ the build did not write, and the build's version of those it did.
     */
    Path copyTo(Path target, int httpPort) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path source : paths.toList()) {
                Path relative = dir.relativize(source);
                // etc/ comes from the build's copy, below
                if (relative.getName(0).toString().equals("etc") || !built(relative)) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                    copy.toFile().setExecutable(source.toFile().canExecute());
                }
            }
        }
        copyBuiltEtc(Files.createDirectories(target.resolve("etc")));
        editJson(target.resolve("etc").resolve(HTTP_PID_FILE), node -> node.put("org.osgi.service.http.port:Integer", httpPort));
        return target;
    }

    /**
     * As {@link #copyTo}, without the bundles and configurations of {@code feature} (features/&lt;feature&gt;.json in
     * {@code featuresDir}): what {@code -Dmcpagent.features} without it builds, less the build's check that the other
     * features resolve without it. Its jars leave system/ and the start lists of etc/framework.properties, its
     * configurations etc/, and it leaves the list {@code mcpagent.features}, with the lists of its jars and the
     * features it needs ({@code mcpagent.feature.<feature>.jars}, {@code .dependencies}).
     */
    Path copyWithout(String feature, Path featuresDir, Path target, int httpPort) throws IOException {
        JsonNode json = JSON.readTree(featuresDir.resolve(feature + ".json").toFile());
        copyTo(target, httpPort);
        Set<String> locations = new HashSet<>();
        for (JsonNode bundle : json.path("bundles")) {
            // groupId:artifactId:version, assembled as system/<artifactId>-<version>.jar
            String[] coordinates = bundle.path("id").asText().split(":");
            String jar = coordinates[1] + "-" + coordinates[coordinates.length - 1] + ".jar";
            if (!Files.deleteIfExists(target.resolve("system").resolve(jar))) {
                throw new IllegalStateException("features/" + feature + ".json lists " + bundle.path("id").asText()
                        + ", but system/ of " + dir + " has no " + jar);
            }
            locations.add("file:system/" + jar);
        }
        json.path("configurations").fieldNames().forEachRemaining(pid -> deleteQuietly(target.resolve("etc")
                .resolve(pid + ".cfg.json")));
        Path properties = target.resolve("etc/framework.properties");
        String text = Files.readString(properties);
        int generated = text.indexOf(GENERATED_MARKER);
        if (generated < 0) {
            throw new IllegalStateException(properties + " has no line '" + GENERATED_MARKER + " ...'");
        }
        StringBuilder lines = new StringBuilder(text.substring(0, generated));
        lines.append(GENERATED_MARKER).append(" (all but ").append(feature).append("): do not edit below ----\n");
        Properties framework = frameworkProperties();
        for (Map.Entry<Integer, List<Path>> level : startLists().entrySet()) {
            List<String> kept = level.getValue().stream().map(jar -> "file:" + dir.relativize(jar))
                    .filter(location -> !locations.contains(location)).toList();
            if (!kept.isEmpty()) {
                lines.append("felix.auto.start.").append(level.getKey()).append('=')
                        .append(String.join(" \\\n  ", kept)).append('\n');
            }
        }
        List<String> features = new ArrayList<>(List.of(framework.getProperty("mcpagent.features").split(",")));
        if (!features.remove(feature)) {
            throw new IllegalStateException("the distribution " + dir + " was built without " + feature + " already");
        }
        lines.append("mcpagent.features=").append(String.join(",", features)).append('\n');
        for (String kept : features) {
            for (String list : List.of("jars", "dependencies")) {
                String value = framework.getProperty("mcpagent.feature." + kept + "." + list);
                if (value != null) {
                    lines.append("mcpagent.feature.").append(kept).append('.').append(list).append('=')
                            .append(value.strip()).append('\n');
                }
            }
        }
        Files.writeString(properties, lines);
        return target;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a file or folder of the distribution is the build's: of data/ and deploy/ only the folder and its README,
     * not what a runtime started from the distribution made there (data/log/ with the permissions a copy gets, which
     * the runtime then leaves as they are).
     */
    private static boolean built(Path relative) {
        String top = relative.getName(0).toString();
        if (!(top.equals("data") || top.equals("deploy")) || relative.getNameCount() == 1) {
            return true;
        }
        return relative.getNameCount() == 2 && relative.getFileName().toString().equals("README");
    }

    private void copyBuiltEtc(Path etc) throws IOException {
        try (Stream<Path> files = Files.list(builtEtc)) {
            for (Path file : files.toList()) {
                Files.copy(file, etc.resolve(file.getFileName().toString()));
            }
        }
    }

    /**
     * A port free now: any the system picks, or with {@code -Dmcpagent.itest.ports=<first>-<last>} (machines shared by
     * several test runs, each given its own range) the next free one of this JVM's slice of that range, none handed
     * out twice. The test classes run in {@code mcpagent.itest.forks} JVMs at once (the pom sets it and this JVM's
     * {@code mcpagent.itest.fork}, from 1): each takes an equal slice, since a port one JVM found free may be one the
     * other's runtime is about to bind.
     */
    static int freePort() {
        String range = System.getProperty(PORTS);
        if (range == null || range.isBlank()) {
            return bound(0);
        }
        Matcher ends = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*").matcher(range);
        if (!ends.matches() || Integer.parseInt(ends.group(1)) < 1
                || Integer.parseInt(ends.group(1)) > Integer.parseInt(ends.group(2))
                || Integer.parseInt(ends.group(2)) > 65535) {
            throw new IllegalArgumentException(PORTS + " must be <first>-<last>, two ports from 1 to 65535 with the"
                    + " first not above the last, such as 43300-43399; was '" + range + "'");
        }
        int[] slice = slice(Integer.parseInt(ends.group(1)), Integer.parseInt(ends.group(2)),
                Integer.getInteger(FORK, 1), Integer.getInteger(FORKS, 1));
        synchronized (DistributionLayout.class) {
            for (int port = Math.max(nextPort, slice[0]); port <= slice[1]; port++) {
                try {
                    bound(port);
                    nextPort = port + 1;
                    return port;
                } catch (UncheckedIOException taken) {
                    // in use: the next one
                }
            }
        }
        throw new IllegalStateException("no free port left in " + PORTS + "=" + range + " (ports " + slice[0] + "-"
                + slice[1] + " for this JVM, test JVM " + Integer.getInteger(FORK, 1) + " of "
                + Integer.getInteger(FORKS, 1) + ")");
    }

    /**
     * The first and last port of JVM {@code fork} (from 1) of {@code forks} in the range {@code first-last}; fewer
     * than one JVM is one (failsafe's forkCount 0 runs the tests in Maven's own).
     */
    static int[] slice(int first, int last, int fork, int forks) {
        forks = Math.max(1, forks);
        if (fork < 1 || fork > forks) {
            throw new IllegalArgumentException(FORK + " is " + fork + ", not a test JVM from 1 to " + forks + " ("
                    + FORKS + ")");
        }
        int size = (last - first + 1) / forks;
        if (size < 1) {
            throw new IllegalArgumentException(PORTS + "=" + first + "-" + last + " has too few ports for " + forks
                    + " test JVMs (" + FORKS + "), at least one each; give a wider range, or -D" + FORKS + "=1");
        }
        return new int[] {first + (fork - 1) * size, first + fork * size - 1};
    }

    private static int bound(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void editJson(Path file, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(file.toFile());
        node.remove("org.osgi.service.http.port");
        edit.accept(node);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
    }
}
