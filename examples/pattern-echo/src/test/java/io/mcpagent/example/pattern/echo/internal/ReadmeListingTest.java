package io.mcpagent.example.pattern.echo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README shows what {@code plugin:list pattern} prints once the echo pattern is deployed into the default
 * distribution: the distribution's own patterns (the feature {@code features/patterns.json}) and the echo pattern.
 * It showed the echo pattern alone, which no default distribution prints.
 */
class ReadmeListingTest {
    private static final Path PATTERNS_FEATURE = Path.of("../../features/patterns.json");
    private static final Pattern FEATURE_BUNDLE = Pattern.compile("\"io\\.mcpagent:(io\\.mcpagent\\.pattern\\.[\\w.-]+):");

    @Test
    void theReadmesListingHasTheDistributionsPatternsAndTheEcho() throws IOException {
        assumeTrue(Files.exists(PATTERNS_FEATURE), "built in this repository, which has the distribution's features");
        List<String> expected = new ArrayList<>();
        Matcher bundles = FEATURE_BUNDLE.matcher(Files.readString(PATTERNS_FEATURE));
        while (bundles.find()) {
            expected.add(bundles.group(1));
        }
        expected.add("io.mcpagent.example.pattern.echo");
        expected.sort(null);

        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("g! plugin:list pattern\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "the README shows a plugin:list pattern listing");
        String[] lines = block.group(1).split("\\n");
        List<String> listed = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) { // a header, the rows, the count
            String[] columns = lines[i].trim().split("\\s+");
            listed.add(columns[columns.length - 1].replaceFirst("/.*", ""));
        }
        listed.sort(null);
        assertEquals(expected, listed, "the bundles of the listed patterns");
        assertEquals(expected.size() + " plugins of kind pattern", lines[lines.length - 1]);
    }
}
