package io.mcpagent.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * No component of the distribution's io.mcpagent bundles unbinds a service of the history by the service: DS hands
 * such an unbind method the service only after asking for it, and asked for the history while its database was down,
 * it activated it once more for each of them, each a refused activation logged at ERROR with its stack. Every unbind
 * method of a reference to one of these services takes the service's properties alone. Read from the component
 * descriptors of the assembled bundles, as SCR reads them; the methods from their classes, loaded (not initialised)
 * from the distribution's jars.
 */
class HistoryReferencesIT {
    private static final Set<String> HISTORY_SERVICES = Set.of(ExecutionHistory.class.getName(),
            AuditLog.class.getName(), ProblemReporter.class.getName(), ExecutionListener.class.getName());

    @Test
    void everyUnbindMethodOfAHistoryServiceTakesOnlyItsProperties() throws Exception {
        DistributionLayout layout = DistributionLayout.fromSystemProperty();
        List<Path> bundles = layout.startLists().values().stream().flatMap(List::stream).toList();
        // the framework's own packages (org.osgi.framework) are on the launcher's class path, not in a bundle
        List<Path> classPath = new ArrayList<>(bundles);
        classPath.add(layout.dir().resolve("lib/felix.jar"));
        List<String> checked = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        try (URLClassLoader classes = new URLClassLoader(urls(classPath), ClassLoader.getPlatformClassLoader())) {
            for (Path bundle : bundles) {
                try (JarFile jar = new JarFile(bundle.toFile())) {
                    String name = jar.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                    String components = jar.getManifest().getMainAttributes().getValue("Service-Component");
                    if (name == null || !name.startsWith("io.mcpagent.") || components == null) {
                        continue;
                    }
                    for (String descriptor : components.split(",")) {
                        check(jar, descriptor.trim(), classes, checked, broken);
                    }
                }
            }
        }
        assertFalse(checked.isEmpty(), "no unbind method of the history's services found in " + bundles);
        assertEquals(List.of(), broken, "unbind methods that take the service, of the " + checked.size()
                + " checked");
    }

    private static void check(JarFile jar, String descriptor, ClassLoader classes, List<String> checked,
            List<String> broken) throws Exception {
        ZipEntry entry = jar.getEntry(descriptor);
        if (entry == null) {
            broken.add(jar.getName() + " names the descriptor " + descriptor + ", which it does not hold");
            return;
        }
        Document xml;
        try (InputStream in = jar.getInputStream(entry)) {
            xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Element component = xml.getDocumentElement();
        String implementation = ((Element) component.getElementsByTagName("implementation").item(0))
                .getAttribute("class");
        NodeList references = component.getElementsByTagName("reference");
        for (int i = 0; i < references.getLength(); i++) {
            Element reference = (Element) references.item(i);
            String unbind = reference.getAttribute("unbind");
            if (!HISTORY_SERVICES.contains(reference.getAttribute("interface")) || unbind.isEmpty()) {
                continue;
            }
            String name = component.getAttribute("name");
            String where = implementation + "." + unbind + (name.equals(implementation) ? "" : " (component " + name
                    + ")");
            checked.add(where);
            List<Method> methods = methodsNamed(Class.forName(implementation, false, classes), unbind);
            if (methods.isEmpty()) {
                broken.add(where + ": no such method");
            }
            for (Method method : methods) {
                if (!List.of(Map.class).equals(List.of(method.getParameterTypes()))) {
                    broken.add(where + " takes " + Arrays.toString(method.getParameterTypes()));
                }
            }
        }
    }

    /** Every method of that name DS may pick: of the class and of its superclasses. */
    private static List<Method> methodsNamed(Class<?> type, String name) {
        List<Method> methods = new ArrayList<>();
        for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
            Arrays.stream(declaring.getDeclaredMethods()).filter(method -> method.getName().equals(name))
                    .forEach(methods::add);
        }
        return methods;
    }

    private static URL[] urls(List<Path> jars) throws IOException {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        return urls;
    }
}
