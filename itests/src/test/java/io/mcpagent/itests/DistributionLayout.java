package io.mcpagent.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The assembled distribution (distribution/target/mcp-agent) as the tests see it: its generated start lists,
 * its framework properties, and fresh runtime homes made from its etc/ for one test run each.
 */
final class DistributionLayout {
    static final String HTTP_PID_FILE = "org.apache.felix.http.cfg.json";
    static final String DEPLOY_PID_FILE = "org.apache.felix.fileinstall~deploy.cfg.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    /**
     * The files of etc/ the build wrote: users add their own files to etc/ of the assembled distribution, and files
     * of earlier builds that the build no longer writes may be there too, if edited; the tests see neither.
     */
    private final Set<String> etcFiles;

    DistributionLayout(Path dir, Path etcRecord) {
        if (!Files.isRegularFile(dir.resolve("etc/framework.properties")) || !Files.isRegularFile(etcRecord)) {
            throw new IllegalStateException("no assembled distribution at " + dir + " with its record " + etcRecord
                    + "; build it first: ./mvnw package -pl distribution -am");
        }
        this.dir = dir;
        Properties record = new Properties();
        try (InputStream in = Files.newInputStream(etcRecord)) {
            record.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.etcFiles = record.stringPropertyNames();
    }

    static DistributionLayout fromSystemProperty() {
        return new DistributionLayout(pathProperty("mcpagent.dist.dir"), pathProperty("mcpagent.dist.etc.record"));
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
        try (InputStream in = Files.newInputStream(dir.resolve("etc/framework.properties"))) {
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
     * Makes a runtime home under {@code parent}: the build's files of etc/ copied from the distribution with Jetty on
     * {@code httpPort}
     * and the deploy watcher on {@code home/deploy} (absolute), plus empty deploy/ and data/.
     */
    Path newHome(Path parent, int httpPort) throws IOException {
        Path home = Files.createTempDirectory(parent, "home-");
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.createDirectories(home.resolve("deploy"));
        Files.createDirectories(home.resolve("data"));
        for (String file : etcFiles) {
            Files.copy(dir.resolve("etc").resolve(file), etc.resolve(file));
        }
        editJson(etc.resolve(HTTP_PID_FILE), node -> node.put("org.osgi.service.http.port:Integer", httpPort));
        editJson(etc.resolve(DEPLOY_PID_FILE),
                node -> node.put("felix.fileinstall.dir", home.resolve("deploy").toString()));
        return home;
    }

    /**
     * A copy of the distribution as the build made it, for running bin/mcp-agent, with Jetty on {@code httpPort}: not
     * data/, the jars of deploy/ or the files of etc/ the build did not write.
     */
    Path copyTo(Path target, int httpPort) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path source : paths.toList()) {
                Path copy = target.resolve(dir.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else if (builtFile(dir.relativize(source))) {
                    Files.copy(source, copy);
                    copy.toFile().setExecutable(source.toFile().canExecute());
                }
            }
        }
        editJson(target.resolve("etc").resolve(HTTP_PID_FILE), node -> node.put("org.osgi.service.http.port:Integer", httpPort));
        return target;
    }

    private boolean builtFile(Path file) {
        String top = file.getName(0).toString();
        if (top.equals("etc") && file.getNameCount() == 2) {
            return etcFiles.contains(file.getFileName().toString());
        }
        return !(top.equals("data") || top.equals("deploy")) || file.getFileName().toString().equals("README");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
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
