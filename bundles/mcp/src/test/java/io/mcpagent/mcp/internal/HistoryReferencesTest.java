package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * No component of this bundle unbinds a service of the history by the service: DS hands such an unbind method the
 * service only after asking for it, and asked for the history while its database was down, it activated it once more
 * for each of them, each a refused activation logged at ERROR with its stack. The unbind methods take the service's
 * properties alone. Read from the descriptors bnd generates, as SCR reads them.
 */
class HistoryReferencesTest {
    private static final Set<String> HISTORY_SERVICES = Set.of(ExecutionHistory.class.getName(),
            AuditLog.class.getName(), ProblemReporter.class.getName(), ExecutionListener.class.getName());
    private static final Pattern IMPLEMENTATION = Pattern.compile("<implementation class=\"([^\"]+)\"");
    private static final Pattern REFERENCE = Pattern.compile("<reference [^>]*>");
    private static final Pattern UNBIND = Pattern.compile(" unbind=\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile(" interface=\"([^\"]+)\"");
    private static final List<String> EXPECTED = List.of("McpServerComponent.removeListener");

    @Test
    void theServicesOfTheHistoryAreUnboundByTheirProperties() throws IOException, ClassNotFoundException {
        List<String> unbinds = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("target/classes/OSGI-INF"))) {
            for (Path descriptor : descriptors.filter(file -> file.toString().endsWith(".xml")).sorted().toList()) {
                String xml = Files.readString(descriptor);
                Matcher implementation = IMPLEMENTATION.matcher(xml);
                if (!implementation.find()) {
                    continue;
                }
                Class<?> component = Class.forName(implementation.group(1));
                Matcher reference = REFERENCE.matcher(xml);
                while (reference.find()) {
                    Matcher service = INTERFACE.matcher(reference.group());
                    Matcher unbind = UNBIND.matcher(reference.group());
                    if (!service.find() || !HISTORY_SERVICES.contains(service.group(1)) || !unbind.find()) {
                        continue;
                    }
                    String name = component.getSimpleName() + "." + unbind.group(1);
                    List<Method> methods = Arrays.stream(component.getDeclaredMethods())
                            .filter(method -> method.getName().equals(unbind.group(1))).toList();
                    assertEquals(1, methods.size(), name + ": " + methods);
                    assertEquals(List.of(Map.class), List.of(methods.get(0).getParameterTypes()),
                            name + " takes the service");
                    unbinds.add(name);
                }
            }
        }
        assertEquals(EXPECTED, unbinds, "the unbind methods of the history's services found");
    }
}
