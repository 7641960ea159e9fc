package io.mcpagent.mcp.internal.catalog;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.task.Capability;

/**
 * Installs catalog entries: npm packages under {@code <data>/mcp/servers/<id>}, then the server configuration
 * {@code <etc>/io.mcpagent.mcp.server~<id>.cfg.json}, which ConfigAdmin turns into an {@link McpServer} plugin;
 * then waits until that plugin lists its tools. A failed install removes what it created. Installs and
 * uninstalls of one id run one at a time.
 */
final class ServerInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ServerInstaller.class);
    private static final int MINIMUM_NODE_MAJOR = 18;
    private static final Duration VERSION_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_POLL = Duration.ofMillis(200);
    /** How much of npm's output goes into an error message. */
    private static final int OUTPUT_TAIL_LINES = 15;
    private static final Pattern NODE_VERSION = Pattern.compile("v?(\\d+)\\.\\d+");
    private static final String DATA_PLACEHOLDER = "${data}";
    private static final String CATALOG_PID = "io.mcpagent.mcp.catalog";
    /** The server configuration property naming the entry a configuration was installed from. */
    static final String MARKER = "catalogEntry";
    private static final Set<String> FILE_CAPABILITIES = Set.of(Capability.FILE_READ.id(), Capability.FILE_WRITE.id());
    static final String UNMET = "cannot be installed on this runtime yet: ";

    /** The settings in force; read once per install or uninstall, so a change applies to the next one. */
    private final Supplier<InstallSettings> settingsInForce;
    private final ProcessRunner runner;
    private final Function<String, String> environment;
    private final Supplier<Optional<PluginManager>> pluginManager;
    /** The PID of a configuration no file made (one made in the Web Console) of server id; empty when none. */
    private final Function<String, Optional<String>> configuredWithoutFile;
    private final Map<String, Object> locksById = new ConcurrentHashMap<>();
    private final ObjectMapper json = JsonMapper.builder().build();
    /** Two-space indent and "\n" on every platform, so configuration files read the same everywhere. */
    private final ObjectWriter configWriter = json.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    ServerInstaller(Supplier<InstallSettings> settingsInForce, ProcessRunner runner, Function<String, String> environment,
                    Supplier<Optional<PluginManager>> pluginManager,
                    Function<String, Optional<String>> configuredWithoutFile) {
        this.settingsInForce = settingsInForce;
        this.runner = runner;
        this.environment = environment;
        this.pluginManager = pluginManager;
        this.configuredWithoutFile = configuredWithoutFile;
    }

    InstallReport install(CatalogEntry entry) {
        synchronized (lockFor(entry.id())) {
            return installNow(entry, settingsInForce.get());
        }
    }

    /**
     * Removes what install created: the configuration it wrote (it carries {@value #MARKER}) and the server's folder.
     * A configuration written by hand is refused, since it is the operator's file, and so is one made in the Web
     * Console, which has no file and which the operator deletes there; a folder without a configuration is
     * what an install cut off by a runtime stop left, and is removed. A configuration without the marker counts as
     * installed from the catalog too when the catalog has an entry {@code id} and the server's folder, which only
     * install creates, exists: installs before the marker existed wrote such configurations.
     *
     * @param catalogHasEntry whether the catalog has an entry with this id
     */
    void uninstall(String id, boolean catalogHasEntry) {
        if (!CatalogEntry.ID.matcher(id).matches()) {
            throw notFromCatalog(id);
        }
        synchronized (lockFor(id)) {
            InstallSettings settings = settingsInForce.get();
            Path configFile = settings.configFile(id);
            Path serverDirectory = settings.serverDirectory(id);
            boolean configured = Files.exists(configFile);
            if (configured && !installedFromCatalog(id, configFile)) {
                if (!catalogHasEntry || !Files.isDirectory(serverDirectory)) {
                    throw configuredByHand(id, configFile);
                }
                LOG.info("{} has no \"{}\", but '{}' is a catalog entry and {} exists, which only install creates:"
                        + " uninstalling it as a catalog install made before the marker existed", configFile, MARKER, id,
                        serverDirectory);
            }
            if (!configured) {
                Optional<String> madeInTheConsole = configuredWithoutFile.apply(id);
                if (madeInTheConsole.isPresent()) {
                    throw configuredInTheConsole(id, madeInTheConsole.get());
                }
            }
            if (!configured && !Files.exists(serverDirectory)) {
                throw notInstalled(id, configFile);
            }
            try {
                Files.deleteIfExists(configFile);
            } catch (IOException e) {
                throw new McpException(id, "could not delete " + configFile + " (" + e + "); delete it by hand", e);
            }
            try {
                deleteTree(serverDirectory);
            } catch (IOException | UncheckedIOException e) {
                throw new McpException(id, "the configuration is gone but " + serverDirectory
                        + " could not be deleted (" + e + "); delete it by hand", e);
            }
            if (configured) {
                LOG.info("uninstalled MCP server '{}': deleted {} and {}", id, configFile, serverDirectory);
            } else {
                LOG.info("removed {}, left without a configuration by an interrupted install of MCP server '{}'",
                        serverDirectory, id);
            }
        }
    }

    /** Whether install wrote this configuration: it names the entry in {@value #MARKER}. */
    private boolean installedFromCatalog(String id, Path configFile) {
        try {
            return id.equals(json.readTree(configFile.toFile()).path(MARKER).asText());
        } catch (IOException e) {
            throw new McpException(id, "cannot read " + configFile + " to tell whether the catalog installed it: "
                    + e.getMessage(), e);
        }
    }

    /** Why an id that is no catalog id (capitals, '_', '.') cannot be uninstalled; its files are only looked at. */
    private McpException notFromCatalog(String id) {
        Path configFile;
        try {
            configFile = settingsInForce.get().configFile(id);
        } catch (InvalidPathException e) {
            return new McpException(id, "not installed: no server has this id (" + e.getReason() + ")");
        }
        return Files.isRegularFile(configFile) ? configuredByHand(id, configFile) : configuredWithoutFile.apply(id)
                .map(pid -> configuredInTheConsole(id, pid)).orElseGet(() -> notInstalled(id, configFile));
    }

    private static McpException configuredByHand(String id, Path configFile) {
        return new McpException(id, "configured by hand, not installed from the catalog (" + configFile
                + " has no \"" + MARKER + "\"): uninstall removes only catalog installs; delete that file to remove"
                + " the server");
    }

    /** A configuration made in the Web Console, which has no file: "configured by hand" too, the operator's (409). */
    private static McpException configuredInTheConsole(String id, String pid) {
        return new McpException(id, "configured by hand, not installed from the catalog (configuration " + pid + ", "
                + ConfigurationOrigins.NO_FILE + "): uninstall removes only catalog installs; delete that configuration"
                + " in the Web Console to remove the server");
    }

    /**
     * Nothing of the catalog's to remove; a plugin of that id a bundle registers by itself (the System server) is the
     * bundle's, which the caller stops to remove it (REST 409, like a file written by hand), not a missing one (404).
     */
    private McpException notInstalled(String id, Path configFile) {
        return pluginManager.get().flatMap(manager -> manager.get(id))
                .map(registered -> new McpException(id, "registered by bundle " + registered.bundleSymbolicName()
                        + " as a " + registered.kind().id() + " plugin, not installed from the catalog: uninstall"
                        + " removes only catalog installs; stop that bundle to remove it"))
                .orElseGet(() -> new McpException(id, "not installed: there is no " + configFile));
    }

    private Object lockFor(String id) {
        return locksById.computeIfAbsent(id, key -> new Object());
    }

    private InstallReport installNow(CatalogEntry entry, InstallSettings settings) {
        String id = entry.id();
        Path configFile = settings.configFile(id);
        Path serverDirectory = settings.serverDirectory(id);
        checkNotInstalled(id, configFile);
        checkEnvironment(entry);
        if (entry.npmPackage() != null) {
            checkNode(id, settings);
            checkNpm(id, settings);
        } else if (entry.command() != null && !isExecutable(entry.command())) {
            throw unmet(id, "command '" + entry.command() + "' was not found on PATH: install it"
                    + (entry.homepage() == null ? "" : " (see " + entry.homepage() + ")")
                    + " or override the catalog entry with its full path");
        }
        try {
            Map<String, Object> config;
            if (entry.npmPackage() != null) {
                Path binScript = installNpmPackage(entry, serverDirectory, settings);
                config = stdioConfig(settings.nodeCommand(), List.of(binScript.toString()), entry, serverDirectory);
            } else if (entry.command() != null) {
                config = stdioConfig(entry.command(), List.of(), entry, serverDirectory);
            } else {
                config = httpConfig(entry.url());
            }
            config.put(MARKER, id);
            writeAtomically(id, configFile, configWriter.writeValueAsString(config) + "\n");
            List<String> tools = awaitTools(id, settings.connectTimeout());
            LOG.info("installed MCP server '{}' ({}): tools {}", id, configFile, tools);
            // a command's server has a folder only for its ${data}; a remote one has none
            return new InstallReport(id, configFile.toString(),
                    Files.isDirectory(serverDirectory) ? serverDirectory.toString() : "", tools);
        } catch (RuntimeException | IOException e) {
            McpException failure = e instanceof McpException mcp ? mcp : new McpException(id, "install failed: " + e, e);
            rollBack(configFile, serverDirectory, failure);
            throw failure;
        }
    }

    /**
     * Refuses an id that is taken, saying how to free it: uninstall for a catalog install, and for a server configured
     * by hand its file, which uninstall refuses to delete (the advice to uninstall it first led nowhere).
     */
    private void checkNotInstalled(String id, Path configFile) {
        if (Files.exists(configFile)) {
            throw new McpException(id, installedFromCatalog(id, configFile)
                    ? "already installed: " + configFile + " exists; uninstall it first"
                    : "already installed: configured by hand in " + configFile + " (without \"" + MARKER + "\"),"
                    + " which uninstall does not remove; delete that file first to install the catalog's");
        }
        Optional<PluginInfo> registered = pluginManager.get().flatMap(manager -> manager.get(id));
        if (registered.isPresent()) {
            throw new McpException(id, "already installed: a " + registered.get().kind().id() + " plugin with this id"
                    + " is registered by bundle " + registered.get().bundleSymbolicName());
        }
    }

    private void checkEnvironment(CatalogEntry entry) {
        List<String> missing = entry.requiredEnv().stream().filter(name -> {
            String value = environment.apply(name);
            return value == null || value.isBlank();
        }).toList();
        if (missing.size() == 1) {
            throw unmet(entry.id(), "set environment variable " + missing.get(0) + " (needed by " + entry.id() + ")");
        }
        if (!missing.isEmpty()) {
            throw unmet(entry.id(), "set environment variables " + String.join(", ", missing)
                    + " (needed by " + entry.id() + ")");
        }
    }

    /**
     * What this runtime lacks for an install (an environment variable, a program), as opposed to an install that
     * failed; the REST API tells them apart by {@value #UNMET}.
     */
    private static McpException unmet(String id, String whatToFix) {
        return unmet(id, whatToFix, null);
    }

    private static McpException unmet(String id, String whatToFix, Exception cause) {
        return new McpException(id, UNMET + whatToFix, cause);
    }

    private void checkNode(String id, InstallSettings settings) {
        String nodeCommand = settings.nodeCommand();
        String version = versionOf(id, nodeCommand, "Node.js", "nodeCommand", settings.installInheritEnv());
        Matcher major = NODE_VERSION.matcher(version);
        if (!major.find()) {
            throw new McpException(id, "cannot read the Node.js version from '" + nodeCommand
                    + " --version': " + version);
        }
        if (Integer.parseInt(major.group(1)) < MINIMUM_NODE_MAJOR) {
            throw unmet(id, "Node.js " + version + " is too old: install Node.js >= " + MINIMUM_NODE_MAJOR);
        }
    }

    private void checkNpm(String id, InstallSettings settings) {
        versionOf(id, settings.npmCommand(), "npm", "npmCommand", settings.installInheritEnv());
    }

    /** Runs {@code <command> --version}; a command that cannot be started is a missing Node.js installation. */
    private String versionOf(String id, String command, String what, String property,
                             List<String> installInheritEnv) {
        ProcessRunner.Outcome outcome;
        try {
            outcome = runner.run(List.of(command, "--version"), null, installInheritEnv, VERSION_CHECK_TIMEOUT);
        } catch (IOException e) {
            throw unmet(id, what + " was not found (" + property + " '" + command + "'): install Node.js >= "
                    + MINIMUM_NODE_MAJOR + ", which includes npm, or set " + property + " in configuration "
                    + CATALOG_PID, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(id, "interrupted while checking " + what, e);
        }
        if (!outcome.succeeded()) {
            throw new McpException(id, "'" + command + " --version' failed" + describeEnd(outcome) + ": "
                    + tail(outcome.output()) + "; install Node.js >= " + MINIMUM_NODE_MAJOR);
        }
        return outcome.output().strip();
    }

    /** Installs the entry's npm package and returns the absolute path of its bin script. */
    private Path installNpmPackage(CatalogEntry entry, Path serverDirectory, InstallSettings settings)
            throws IOException {
        String id = entry.id();
        String packageSpec = entry.npmPackage() + "@" + entry.npmVersion();
        Files.createDirectories(serverDirectory);
        List<String> command = List.of(settings.npmCommand(), "install", "--prefix", serverDirectory.toString(),
                "--no-audit", "--no-fund", "--ignore-scripts=false", packageSpec);
        LOG.info("installing npm package {} for MCP server '{}' into {}", packageSpec, id, serverDirectory);
        ProcessRunner.Outcome outcome;
        try {
            outcome = runner.run(command, serverDirectory, settings.installInheritEnv(), settings.installTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new McpException(id, "interrupted while installing " + packageSpec, e);
        }
        if (outcome.timedOut()) {
            throw new McpException(id, "npm install " + packageSpec + " did not finish within "
                    + settings.installTimeout().toSeconds() + " s (installTimeoutSeconds of " + CATALOG_PID + "); npm said: "
                    + tail(outcome.output()));
        }
        if (!outcome.succeeded()) {
            if (outcome.output().contains("E404")) {
                throw new McpException(id, "unknown npm package " + packageSpec + " (npm E404)");
            }
            if (outcome.output().contains("ETARGET")) {
                throw new McpException(id, "npm has no version " + entry.npmVersion() + " of " + entry.npmPackage()
                        + " (npm ETARGET)");
            }
            throw new McpException(id, "npm install " + packageSpec + " failed" + describeEnd(outcome) + ": "
                    + tail(outcome.output()));
        }
        return binScript(entry, serverDirectory);
    }

    /** The package's executable: its {@code bin} string, or the {@code bin} map's entry named like the package. */
    private Path binScript(CatalogEntry entry, Path serverDirectory) throws IOException {
        String id = entry.id();
        Path packageDirectory = serverDirectory.resolve("node_modules").resolve(entry.npmPackage()).normalize();
        Path packageJson = packageDirectory.resolve("package.json");
        if (!Files.isRegularFile(packageJson)) {
            throw new McpException(id, "npm install succeeded but " + packageJson + " is missing");
        }
        JsonNode bin = json.readTree(packageJson.toFile()).path("bin");
        String script;
        if (bin.isTextual()) {
            script = bin.asText();
        } else if (bin.isObject() && !bin.isEmpty()) {
            String unscopedName = entry.npmPackage().substring(entry.npmPackage().indexOf('/') + 1);
            script = bin.has(unscopedName) ? bin.get(unscopedName).asText() : bin.elements().next().asText();
        } else {
            throw new McpException(id, "npm package " + entry.npmPackage() + " declares no 'bin' script in "
                    + packageJson + ", so it cannot be started as a server");
        }
        Path scriptPath = packageDirectory.resolve(script).normalize();
        if (!scriptPath.startsWith(packageDirectory) || !Files.isRegularFile(scriptPath)) {
            throw new McpException(id, "the bin script '" + script + "' of " + entry.npmPackage() + " is not a file in "
                    + packageDirectory);
        }
        return scriptPath;
    }

    /**
     * {@code ${data}} becomes the entry's data folder (created here); {@code ${env:NAME}} is left to the server
     * component, which resolves it at start. Each {@code requiredEnv} variable is passed as {@code NAME=${env:NAME}}:
     * a stdio server inherits only a few harmless variables of the runtime's environment, and a value taken this way
     * is masked wherever a model repeats it.
     */
    private Map<String, Object> stdioConfig(String command, List<String> leadingArgs, CatalogEntry entry,
                                            Path serverDirectory) throws IOException {
        Path dataFolder = serverDirectory.resolve("data");
        List<String> args = new ArrayList<>(leadingArgs);
        for (String arg : entry.args()) {
            if (arg.contains(DATA_PLACEHOLDER)) {
                Files.createDirectories(dataFolder);
            }
            args.add(arg.replace(DATA_PLACEHOLDER, dataFolder.toString()));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("transport", "stdio");
        config.put("command", command);
        config.put("args", args);
        if (args.contains(dataFolder.toString()) && !Collections.disjoint(entry.capabilities(), FILE_CAPABILITIES)) {
            // a file server given its data folder works there: as its root too, the plan can tell a task's path is not
            config.put("roots", List.of(dataFolder.toString()));
        }
        if (!entry.requiredEnv().isEmpty()) {
            config.put("env", entry.requiredEnv().stream().map(name -> name + "=${env:" + name + "}").toList());
        }
        config.put("connect", "eager");
        return config;
    }

    private static Map<String, Object> httpConfig(String url) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("transport", "http");
        config.put("url", url);
        config.put("connect", "eager");
        return config;
    }

    /** Writes beside the target and moves it into place, so the configuration watcher never sees half a file. */
    private static void writeAtomically(String id, Path target, String content) {
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(temporary, content, StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new McpException(id, "could not write the server configuration " + target + ": " + e, e);
        }
    }

    /** Waits until the configured server is a registered mcp-server plugin whose tools can be listed. */
    private List<String> awaitTools(String id, Duration connectTimeout) {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        while (true) {
            String problem;
            RuntimeException cause = null;
            Optional<PluginManager> manager = pluginManager.get();
            Optional<PluginInfo> plugin = manager.flatMap(m -> m.get(id));
            if (manager.isEmpty()) {
                problem = "the plugin manager (bundle io.mcpagent.core) is not running";
            } else if (plugin.isEmpty()) {
                problem = "no mcp-server plugin '" + id + "' was registered for its configuration";
            } else if (plugin.get().kind() != PluginKind.MCP_SERVER) {
                problem = "plugin '" + id + "' is a " + plugin.get().kind().id() + ", not an mcp-server";
            } else {
                Optional<McpServer> server = manager.get().service(id, McpServer.class);
                try {
                    if (server.isPresent()) {
                        return server.get().listTools().stream().map(ToolDescriptor::name).toList();
                    }
                    problem = "plugin '" + id + "' left again";
                } catch (RuntimeException e) {
                    problem = "listing its tools failed: " + e.getMessage();
                    cause = e;
                }
                problem += manager.get().health(id)
                        .filter(health -> health.status() != PluginHealth.Status.UP)
                        .map(health -> "; health " + health.status() + ": " + health.message())
                        .orElse("");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new McpException(id, "the server did not come up within " + connectTimeout.toSeconds()
                        + " s (connectTimeoutSeconds of " + CATALOG_PID + "): " + problem, cause);
            }
            try {
                Thread.sleep(CONNECT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new McpException(id, "interrupted while waiting for the server to come up", e);
            }
        }
    }

    private static void rollBack(Path configFile, Path serverDirectory, McpException failure) {
        try {
            Files.deleteIfExists(configFile);
        } catch (IOException e) {
            failure.addSuppressed(e);
            LOG.warn("could not delete {} after a failed install; delete it by hand", configFile, e);
        }
        try {
            deleteTree(serverDirectory);
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
            LOG.warn("could not delete {} after a failed install; delete it by hand", serverDirectory, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private boolean isExecutable(String command) {
        if (command.indexOf('/') >= 0 || command.indexOf(File.separatorChar) >= 0) {
            return Files.isExecutable(Path.of(command));
        }
        String path = environment.apply("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .filter(folder -> !folder.isEmpty())
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, command)));
    }

    private static String describeEnd(ProcessRunner.Outcome outcome) {
        return outcome.timedOut() ? " (timed out)" : " with exit code " + outcome.exitCode();
    }

    /** The last lines of a program's output, on one line. */
    private static String tail(String output) {
        List<String> lines = output.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size()));
    }
}
