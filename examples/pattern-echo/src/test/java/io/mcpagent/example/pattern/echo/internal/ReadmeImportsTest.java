package io.mcpagent.example.pattern.echo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README tells a plugin developer which Import-Package ranges this build gives; they change with every minor
 * version of the API, and the README had fallen behind twice. The manifest bnd wrote for this build is the truth.
 */
class ReadmeImportsTest {
    private static final Pattern API_IMPORT = Pattern.compile("io\\.mcpagent\\.api\\.(\\w+);version=\"([^\"]+)\"");

    @Test
    void theReadmeNamesTheImportRangesThisBuildGives() throws IOException {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        String imports = manifest.getMainAttributes().getValue("Import-Package");
        List<String> built = new ArrayList<>();
        Matcher matcher = API_IMPORT.matcher(imports);
        while (matcher.find()) {
            built.add("`" + matcher.group(1) + "` `" + matcher.group(2) + "`");
        }
        assertEquals(3, built.size(), imports);
        String readme = Files.readString(Path.of("README.md"));
        Matcher listed = Pattern.compile("built against this repository's API now: ([^;]*);").matcher(readme);
        assertTrue(listed.find(), "the README lists the ranges of a build against this repository's API");
        assertEquals(String.join(", ", built), listed.group(1), "README.md's Import-Package row");
    }
}
