package io.mcpagent.pattern.orchestrator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The metatype bnd generates declares the range the settings enforce, so that a file in {@code etc/} with a value out
 * of range is refused before it is applied, as the other patterns' are.
 */
class OrchestratorConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {Settings.MAX_STEPS, Settings.MAX_RESULT_CHARS, Settings.MAX_CONTEXT_CHARS})
    void theMetatypeDeclaresTheLowestValueTheSettingsAccept(String property) throws Exception {
        Element attribute = metatypeAttribute(property);
        assertEquals("1", attribute.getAttribute("min"), property + " declares no metatype minimum");
        assertEquals("", attribute.getAttribute("max"), property + " has no upper bound");

        Settings.from(Fixtures.config("full", Map.of(property, 1)));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(Fixtures.config("full", Map.of(property, 0))));
        assertEquals(property + " must be at least 1, was 0", refused.getMessage());
    }

    private static Element metatypeAttribute(String id) throws Exception {
        String resource = "OSGI-INF/metatype/" + OrchestratorConfig.class.getName() + ".xml";
        try (InputStream in = OrchestratorConfigTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " was not generated");
            NodeList attributes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
                    .getElementsByTagName("AD");
            for (int i = 0; i < attributes.getLength(); i++) {
                Element attribute = (Element) attributes.item(i);
                if (attribute.getAttribute("id").equals(id)) {
                    return attribute;
                }
            }
        }
        throw new AssertionError("no metatype attribute " + id + " in " + resource);
    }
}
