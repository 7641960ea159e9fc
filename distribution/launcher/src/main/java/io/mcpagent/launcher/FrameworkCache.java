package io.mcpagent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The framework keeps the bundles it installed in {@code data/cache} across restarts, so an upgraded distribution
 * (other jars in {@code system/} or {@code lib/}) would start with the previous one's bundles. Its cache is dropped
 * when the jars changed since the last start; keys, history and configuration live elsewhere and stay. The
 * class-data archive ({@code data/mcp-agent.jsa}) needs nothing: the JVM checks it against the class path itself.
 */
final class FrameworkCache {
    private static final String CACHE = "data/cache";
    private static final String STAMP = "data/cache.stamp";

    private FrameworkCache() {
    }

    /** Drops the cache if the jars are not those of the last start and notes the current ones; true if dropped. */
    static boolean dropIfJarsChanged(Path home) throws IOException {
        Path cache = home.resolve(CACHE);
        Path stampFile = home.resolve(STAMP);
        String stamp = stamp(home);
        boolean changed = Files.isDirectory(cache)
                && !(Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp));
        if (changed) {
            try (Stream<Path> paths = Files.walk(cache)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.writeString(stampFile, stamp);
        return changed;
    }

    /** One line per jar of system/ and lib/: its name, size and time. */
    private static String stamp(Path home) throws IOException {
        StringBuilder stamp = new StringBuilder();
        for (String folder : List.of("system", "lib")) {
            if (!Files.isDirectory(home.resolve(folder))) {
                continue;
            }
            try (Stream<Path> files = Files.list(home.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    stamp.append(folder).append('/').append(file.getFileName()).append(' ').append(Files.size(file))
                            .append(' ').append(Files.getLastModifiedTime(file).toMillis()).append('\n');
                }
            }
        }
        return stamp.toString();
    }
}
