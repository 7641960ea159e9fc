package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The metatype bnd generates for the HTTP configuration, which refusals and the Configuration page quote. */
class HttpConfigMetatypeTest {

    @Test
    void metricsRequireKeyNamesTheRoleMetricsNeeds() throws Exception {
        // MetricsServlet requires Role.ADMIN: a viewer key set up from this description would be refused with 403
        String description = metatypeAttribute("metricsRequireKey").getAttribute("description");
        assertTrue(description.contains("role admin"), description);
        assertTrue(!description.contains("viewer"), description);
    }

    private static Element metatypeAttribute(String id) throws Exception {
        String resource = "OSGI-INF/metatype/" + HttpConfig.class.getName() + ".xml";
        try (InputStream in = HttpConfigMetatypeTest.class.getClassLoader().getResourceAsStream(resource)) {
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
