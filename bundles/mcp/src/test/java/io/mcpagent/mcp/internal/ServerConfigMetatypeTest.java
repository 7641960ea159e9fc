package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The metatype bnd generates for a server's configuration, which Felix's Configuration page renders. */
class ServerConfigMetatypeTest {

    @Test
    void theOAuthClientSecretIsAPasswordSoTheConsoleDoesNotShowIt() throws Exception {
        assertEquals("Password", metatypeAttribute("oauthClientSecret").getAttribute("type"));
    }

    /** The config bundle refuses a file whose drainMs is no whole number or below 0 by these, naming the file. */
    @Test
    void drainMsIsAWholeNumberOfAtLeastZero() throws Exception {
        Element drainMs = metatypeAttribute("drainMs");
        assertEquals("Long", drainMs.getAttribute("type"));
        assertEquals("0", drainMs.getAttribute("min"));
        assertEquals("30000", drainMs.getAttribute("default"));
    }

    private static Element metatypeAttribute(String id) throws Exception {
        String resource = "OSGI-INF/metatype/" + ServerConfig.class.getName() + ".xml";
        try (InputStream in = ServerConfigMetatypeTest.class.getClassLoader().getResourceAsStream(resource)) {
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
