package io.mcpagent.mcp.internal.catalog;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.mcpagent.api.mcp.CatalogEntry;

/**
 * The catalog entry a configured server is, so that a server configured by hand without {@code capabilities} has
 * its entry's: the entry with the server's name, else the entry whose package the server's command line runs. The
 * package is compared without its version, in the forms people write: {@code npx [-y] <pkg>[@version]},
 * {@code bunx <pkg>}, {@code uvx <pkg>[@version]} (or {@code --from <pkg>}), {@code docker run [options] <image>[:tag]},
 * {@code node <path>/node_modules/<pkg>/...} and a program in a {@code node_modules} folder, such as
 * {@code node_modules/.bin/<bin>}, whose link is followed to its package. Nothing is guessed from tool names or
 * words: a command line in none of these forms matches no entry.
 */
public final class CatalogMatch {
    private static final String NPM = "npm";
    private static final String PYPI = "pypi";
    private static final String DOCKER = "docker";
    private static final String NODE_MODULES = "/node_modules/";
    /** Options of {@code uvx} that take a value, so that the value is not read as the package. */
    private static final Set<String> UVX_VALUE_OPTIONS = Set.of("--with", "--python", "-p", "--index",
            "--index-url", "--extra-index-url", "--directory");
    /** Options of {@code docker run} that take no value; every other short or long option without '=' takes one. */
    private static final Set<String> DOCKER_FLAGS = Set.of("-i", "-t", "-it", "-ti", "-d", "--rm", "--init",
            "--interactive", "--tty", "--detach", "--privileged", "--read-only");

    /**
     * @param entry the entry the server is
     * @param how   {@code by name}, or {@code by package <the entry's package>}
     */
    public record Match(CatalogEntry entry, String how) {
    }

    /** A package of an ecosystem (npm, PyPI, a container image), named without its version. */
    private record Launched(String ecosystem, String name) {
    }

    private CatalogMatch() {
    }

    /**
     * The entry server {@code serverId} is: the one named like it, else the first (by id) whose package
     * {@code commandLine} runs; empty when none is.
     *
     * @param commandLine the program and its arguments (empty for an HTTP server)
     * @param workingDirectory where the program starts (relative paths are resolved against it); null for the
     *                         runtime's own
     */
    public static Optional<Match> of(String serverId, List<String> commandLine, Path workingDirectory,
                                     List<CatalogEntry> entries) {
        for (CatalogEntry entry : entries) {
            if (entry.id().equals(serverId)) {
                return Optional.of(new Match(entry, "by name"));
            }
        }
        Optional<Launched> launched = launched(commandLine, workingDirectory);
        if (launched.isEmpty()) {
            return Optional.empty();
        }
        return entries.stream().sorted(Comparator.comparing(CatalogEntry::id))
                .filter(entry -> launched.equals(launched(entry)))
                .findFirst().map(entry -> new Match(entry, "by package " + launched.get().name()));
    }

    private static Optional<Launched> launched(CatalogEntry entry) {
        if (entry.npmPackage() != null) {
            return Optional.of(new Launched(NPM, entry.npmPackage()));
        }
        if (entry.command() == null) {
            return Optional.empty();
        }
        List<String> commandLine = new ArrayList<>();
        commandLine.add(entry.command());
        commandLine.addAll(entry.args());
        return launched(commandLine, null);
    }

    private static Optional<Launched> launched(List<String> commandLine, Path workingDirectory) {
        if (commandLine.isEmpty()) {
            return Optional.empty();
        }
        List<String> args = commandLine.subList(1, commandLine.size());
        return switch (programName(commandLine.get(0))) {
            case "npx", "bunx" -> packageArgument(args, Set.of("-p", "--package"), Set.of())
                    .map(spec -> new Launched(NPM, withoutNpmVersion(spec)));
            case "uvx" -> packageArgument(args, Set.of("--from"), UVX_VALUE_OPTIONS)
                    .map(spec -> new Launched(PYPI, pythonName(spec)));
            case "docker", "podman" -> dockerImage(args).map(image -> new Launched(DOCKER, withoutTag(image)));
            case "node", "nodejs" -> args.stream().filter(arg -> !arg.startsWith("-")).findFirst()
                    .flatMap(script -> npmPackageOf(script, workingDirectory));
            default -> npmPackageOf(commandLine.get(0), workingDirectory);
        };
    }

    /** The program's file name, lower case, without a Windows extension ({@code C:\x\npx.cmd} is {@code npx}). */
    private static String programName(String program) {
        String name = program.substring(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1)
                .toLowerCase(Locale.ROOT);
        for (String extension : List.of(".exe", ".cmd")) {
            if (name.endsWith(extension)) {
                return name.substring(0, name.length() - extension.length());
            }
        }
        return name;
    }

    /**
     * The package a runner runs: the value of one of its {@code packageOptions} ({@code -p x}, {@code --package=x}),
     * else its first operand; options in {@code valueOptions} skip their value, other options are flags. What
     * follows the first operand belongs to the server, not to the runner.
     */
    private static Optional<String> packageArgument(List<String> args, Set<String> packageOptions,
                                                    Set<String> valueOptions) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String option = equals > 0 ? arg.substring(0, equals) : arg;
            if (packageOptions.contains(option)) {
                return equals > 0 ? Optional.of(arg.substring(equals + 1))
                        : i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
            }
            if (arg.equals("--")) {
                return i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
            }
            if (!arg.startsWith("-")) {
                return Optional.of(arg);
            }
            if (valueOptions.contains(arg)) {
                i++;
            }
        }
        return Optional.empty();
    }

    /** The image of {@code run [options] <image>} (or {@code container run}); empty for any other subcommand. */
    private static Optional<String> dockerImage(List<String> args) {
        int at = 0;
        if (at < args.size() && args.get(at).equals("container")) {
            at++;
        }
        if (at >= args.size() || !args.get(at).equals("run")) {
            return Optional.empty();
        }
        for (int i = at + 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                return Optional.of(arg);
            }
            if (!DOCKER_FLAGS.contains(arg) && !arg.contains("=")) {
                i++; // -e NAME, -v a:b, --name x: the next word is the option's value
            }
        }
        return Optional.empty();
    }

    /** {@code @scope/name@1.2.3} is {@code @scope/name}; {@code name@latest} is {@code name}. */
    private static String withoutNpmVersion(String spec) {
        int at = spec.indexOf('@', 1);
        return at < 0 ? spec : spec.substring(0, at);
    }

    /** A PyPI name as PEP 503 compares them, without version or extras: {@code Mcp_Server.Fetch==1} is {@code mcp-server-fetch}. */
    private static String pythonName(String spec) {
        int end = 0;
        while (end < spec.length() && "@=<>!~[; ".indexOf(spec.charAt(end)) < 0) {
            end++;
        }
        return spec.substring(0, end).toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** {@code docker.io/mcp/fetch:1.0} and {@code mcp/fetch@sha256:...} are {@code mcp/fetch}. */
    private static String withoutTag(String image) {
        String name = image.startsWith("docker.io/") ? image.substring("docker.io/".length()) : image;
        int digest = name.indexOf('@');
        name = digest < 0 ? name : name.substring(0, digest);
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    /**
     * The npm package a file belongs to: the folder after the last {@code node_modules} of its real path (a link
     * such as {@code node_modules/.bin/<bin>} leads into its package), or of the path as written when it does not
     * exist.
     */
    private static Optional<Launched> npmPackageOf(String file, Path workingDirectory) {
        String path = realPath(file, workingDirectory).replace('\\', '/');
        int at = path.lastIndexOf(NODE_MODULES);
        if (at < 0) {
            return Optional.empty();
        }
        String[] segments = path.substring(at + NODE_MODULES.length()).split("/");
        if (segments[0].startsWith("@")) {
            return segments.length > 1 ? Optional.of(new Launched(NPM, segments[0] + "/" + segments[1]))
                    : Optional.empty();
        }
        return segments[0].isEmpty() || segments[0].startsWith(".") ? Optional.empty()
                : Optional.of(new Launched(NPM, segments[0]));
    }

    private static String realPath(String file, Path workingDirectory) {
        try {
            Path path = Path.of(file);
            if (workingDirectory != null) {
                path = workingDirectory.resolve(path);
            }
            return path.toRealPath().toString();
        } catch (IOException | InvalidPathException notThere) {
            return file; // not installed (yet): what the configuration says is all there is to go by
        }
    }
}
