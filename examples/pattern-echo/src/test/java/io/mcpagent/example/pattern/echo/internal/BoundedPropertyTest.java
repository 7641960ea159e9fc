package io.mcpagent.example.pattern.echo.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.workflow.WorkflowPattern;

/**
 * The echo's suitability is a constant, so it declares {@link WorkflowPattern#BOUNDED_PROPERTY} as a pattern author
 * should; the component description bnd wrote for this build is what the runtime reads.
 */
class BoundedPropertyTest {

    @Test
    void theComponentDeclaresItsSuitabilityBounded() throws IOException {
        String component = Files.readString(
                Path.of("target/classes/OSGI-INF/" + EchoPattern.class.getName() + ".xml"));
        assertTrue(component.contains("<property name=\"" + WorkflowPattern.BOUNDED_PROPERTY
                + "\" type=\"Boolean\" value=\"true\"/>"), component);
    }

    @Test
    void theReadmeSaysWhenToDeclareIt() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("`" + WorkflowPattern.BOUNDED_PROPERTY + "=true`"), "service properties row");
        assertTrue(readme.contains("suitabilityTimeoutMillis"), "what happens to a pattern that does not declare it");
    }
}
