package io.mcpagent.autonomous.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the local paths a task names lie inside the roots of the MCP servers its agents read and write files with.
 * A server that honours roots (the reference filesystem server, which the catalog installs) refuses any other path,
 * so an agent would spend its model calls on tool errors ("Access denied - path outside allowed directories"); the
 * plan says so before the first call. Paths are compared as written and as the file system resolves them (a root
 * reached through a symbolic link), so that only a path outside every root by both counts.
 */
final class FolderCheck {
    /**
     * An absolute path ("/tmp/notes") or one under the home folder ("~/reports/q3.md"): a whole quoted one, spaces and
     * all ("'/tmp/my notes'"), or one standing on its own: not the path of a URL ("https://x.io/a"), nor a slash
     * between words or numbers ("and/or", "1/2"), nor the end of a markup tag ("</script>", "<b>bold</b>"), which
     * was taken for the path "/script" and advised as a root.
     */
    private static final Pattern PATH = Pattern.compile("([\"'`])(~?/[^\"'`\\n]+)\\1"
            + "|(?<![\\w:/.~\\\\<-])~?/[^\\s\"'`<>(){}\\[\\],;|*?]+");
    /** The paths of a task looked at, and those of them a warning names. */
    private static final int MAX_CHECKED = 64;
    private static final int MAX_NAMED = 5;
    /** Punctuation that ends the sentence rather than the path ("write it to /tmp/out.md."). */
    private static final Pattern TRAILING = Pattern.compile("[.:!]+$");

    private FolderCheck() {
    }

    /** The local paths {@code text} names, as written, each once, in order. */
    static List<String> pathsNamed(String text) {
        Set<String> paths = new LinkedHashSet<>();
        Matcher matcher = PATH.matcher(text);
        while (matcher.find()) {
            String path = matcher.group(2) != null ? matcher.group(2).strip()
                    : TRAILING.matcher(matcher.group()).replaceFirst("");
            if (path.length() > 1 && !path.equals("~/")) {
                paths.add(path);
            }
        }
        return List.copyOf(paths);
    }

    /**
     * The warning for the paths of {@code text} outside the roots of every server of {@code rootsByServer} (the
     * servers bound to read or write files, each with its roots; {@code files} gives the file in {@code etc/} that
     * configures a server, or null where none does); empty when each path is inside one, when the task names none, or
     * when a server has no roots (it may work anywhere, as far as the platform knows).
     */
    static Optional<String> warning(String text, Map<String, List<URI>> rootsByServer,
                                    Function<String, String> files, Path home) {
        if (rootsByServer.isEmpty() || rootsByServer.values().stream().anyMatch(List::isEmpty)) {
            return Optional.empty();
        }
        List<Path> roots = new ArrayList<>();
        rootsByServer.values().forEach(uris -> uris.forEach(uri -> localPath(uri).ifPresent(roots::add)));
        List<String> outside = new ArrayList<>();
        Path firstOutside = null;
        // each path costs a few file system lookups: a task pasting a long listing is checked on its first paths
        for (String named : pathsNamed(text).stream().limit(MAX_CHECKED).toList()) {
            Optional<Path> path = localPath(named, home);
            if (path.isPresent() && roots.stream().noneMatch(root -> inside(path.get(), root))) {
                outside.add(named);
                firstOutside = firstOutside == null ? path.get() : firstOutside;
            }
        }
        if (outside.isEmpty()) {
            return Optional.empty();
        }
        StringJoiner servers = new StringJoiner(", ");
        rootsByServer.forEach((server, uris) -> servers.add(server + " (" + String.join(", ",
                uris.stream().map(uri -> localPath(uri).map(Path::toString).orElse(uri.toString())).toList()) + ")"));
        String named = outside.size() <= MAX_NAMED ? String.join(", ", outside)
                : String.join(", ", outside.subList(0, MAX_NAMED)) + " and " + (outside.size() - MAX_NAMED) + " more";
        return Optional.of("the task names " + named + ", outside the roots of the MCP server"
                + (rootsByServer.size() == 1 ? " " : "s ") + servers + " the agents read and write files with: "
                + (rootsByServer.size() == 1 ? "its" : "their") + " file tools will refuse "
                + (outside.size() == 1 ? "that path" : "those paths") + "; give the server the folder as a root"
                + " (\"roots\": [\"" + folderOf(firstOutside) + "\"] in " + where(rootsByServer.keySet(), files) + ")");
    }

    /** Where to set the roots: the one server's file in {@code etc/} when a file configures it. */
    private static String where(Set<String> servers, Function<String, String> files) {
        if (servers.size() > 1) {
            return "their configurations";
        }
        String file = files.apply(servers.iterator().next());
        return file == null ? "its configuration" : file;
    }

    /** The folder to suggest as a root: a path that names a file ("/tmp/notes/summary.md") suggests its folder. */
    private static Path folderOf(Path path) {
        Path last = path.getFileName();
        return last != null && last.toString().contains(".") && path.getParent() != null ? path.getParent() : path;
    }

    private static Optional<Path> localPath(String named, Path home) {
        try {
            Path path = named.startsWith("~/") ? home.resolve(named.substring(2)) : Path.of(named);
            return Optional.of(path.normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> localPath(URI root) {
        try {
            return Optional.of(Path.of(root).normalize());
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Inside as written, or once the file system resolves both (a root reached through a symbolic link). */
    private static boolean inside(Path path, Path root) {
        return path.startsWith(root) || resolved(path).startsWith(resolved(root));
    }

    /** The real path of the longest part of {@code path} that exists, with the rest appended as written. */
    private static Path resolved(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (IOException | SecurityException e) {
            return path;
        }
    }
}
