package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.core.internal.llm.DefaultLlmRouter;

/**
 * The LLM router is an execution listener and needs the plugin whiteboard: neither the whiteboard nor the router itself
 * may bind it as a listener, or SCR meets a reference cycle at every start and logs it as an error. Read from the
 * descriptors bnd generates, as SCR reads them. Their unbind methods are checked with every bundle's by the itests'
 * HistoryReferencesIT.
 */
class ListenerReferencesTest {
    private static final Pattern LISTENER_REFERENCE = Pattern.compile("<reference name=\"Listener\"[^>]*>");
    private static final Pattern TARGET = Pattern.compile("target=\"([^\"]*)\"");

    @Test
    void theWhiteboardAndTheRouterDoNotBindTheRouterAsAListener() throws Exception {
        for (Class<?> component : new Class<?>[] {PluginWhiteboard.class, DefaultLlmRouter.class}) {
            Filter target = listenerTarget(component);
            assertFalse(target.match(properties(LlmRouter.class.getName(), ExecutionListener.class.getName())),
                    component.getSimpleName() + " binds the router: " + target);
            assertTrue(target.match(properties(ExecutionListener.class.getName())),
                    component.getSimpleName() + " still binds other listeners: " + target);
        }
    }

    private static Filter listenerTarget(Class<?> component) throws IOException, InvalidSyntaxException {
        String reference = listenerReference(component);
        Matcher target = TARGET.matcher(reference);
        assertTrue(target.find(), component.getName() + "'s Listener reference has no target: " + reference);
        return FrameworkUtil.createFilter(target.group(1).replace("&amp;", "&"));
    }

    /** The element of the Listener reference in the descriptor bnd generated for the component. */
    private static String listenerReference(Class<?> component) throws IOException {
        String descriptor;
        try (InputStream in = component.getClassLoader().getResourceAsStream("OSGI-INF/" + component.getName()
                + ".xml")) {
            assertNotNull(in, component.getName() + ": no descriptor was generated");
            descriptor = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher reference = LISTENER_REFERENCE.matcher(descriptor);
        assertTrue(reference.find(), component.getName() + " has no Listener reference");
        return reference.group();
    }

    private static Hashtable<String, Object> properties(String... objectClass) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.OBJECTCLASS, objectClass);
        return properties;
    }
}
