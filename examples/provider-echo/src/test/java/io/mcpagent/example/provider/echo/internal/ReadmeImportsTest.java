package io.mcpagent.example.provider.echo.internal;

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
 * version of the API and the support bundle. The manifest bnd wrote for this build is the truth.
 */
class ReadmeImportsTest {
    private static final Pattern PLATFORM_IMPORT =
            Pattern.compile("io\\.mcpagent\\.(?:api\\.)?([\\w.]+);version=\"([^\"]+)\"");

    @Test
    void theReadmeNamesTheImportRangesThisBuildGives() throws IOException {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        String imports = manifest.getMainAttributes().getValue("Import-Package");
        List<String> built = new ArrayList<>();
        Matcher matcher = PLATFORM_IMPORT.matcher(imports);
        while (matcher.find()) {
            String name = matcher.group(1).startsWith("provider.") ? "io.mcpagent." + matcher.group(1)
                    : matcher.group(1); // the API's packages are named by their last part
            built.add("`" + name + "` `" + matcher.group(2) + "`");
        }
        assertEquals(4, built.size(), imports);
        String readme = Files.readString(Path.of("README.md"));
        Matcher listed = Pattern.compile("built against this repository now: ([^;]*);").matcher(readme);
        assertTrue(listed.find(), "the README lists the ranges of a build against this repository");
        assertEquals(String.join(", ", built), listed.group(1), "README.md's Import-Package row");
    }
}
