package io.mcpagent.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkCacheTest {
    @TempDir
    Path home;
    private Path jar;
    private Path marker;
    private Path keys;

    @BeforeEach
    void startedOnce() throws Exception {
        jar = Files.writeString(Files.createDirectories(home.resolve("system")).resolve("bundle.jar"), "v1");
        Files.writeString(Files.createDirectories(home.resolve("lib")).resolve("felix.jar"), "felix");
        Files.createDirectories(home.resolve("data")); // made by the home's lock
        assertFalse(FrameworkCache.dropIfJarsChanged(home), "a first start has no cache to drop");
        marker = Files.writeString(Files.createDirectories(home.resolve("data/cache/bundle1")).resolve("marker"), "x");
        keys = Files.writeString(Files.createDirectories(home.resolve("data/security")).resolve("keys"), "hashes");
    }

    @Test
    void theSameJarsKeepTheCache() throws Exception {
        assertFalse(FrameworkCache.dropIfJarsChanged(home));
        assertTrue(Files.exists(marker));
    }

    @Test
    void otherJarsDropTheCacheAndNothingElse() throws Exception {
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertTrue(FrameworkCache.dropIfJarsChanged(home));
        assertFalse(Files.exists(home.resolve("data/cache")));
        assertTrue(Files.exists(keys));
        assertFalse(FrameworkCache.dropIfJarsChanged(home), "the new jars are noted");
    }
}
