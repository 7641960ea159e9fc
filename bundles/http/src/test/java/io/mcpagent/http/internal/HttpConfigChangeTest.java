package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A change of {@value HttpConfig#PID} once logged every console user out and forgot the failed authentications: SCR
 * makes a component taking the PID without a modified method again on each change, and with it every component
 * referencing it (the key service took the authenticator, the REST API and the console's security provider along),
 * and it disposes a delayed component whose users are all gone (the throttle, with its counts). Read from the
 * descriptors bnd generates, as SCR reads them.
 */
class HttpConfigChangeTest {
    private static final String TAKES_THE_PID = "configuration-pid=\"" + HttpConfig.PID + "\"";

    @Test
    void everyComponentTakingTheHttpPidTakesAChangeInPlace() throws Exception {
        Set<String> taking = new TreeSet<>();
        Set<String> remade = new TreeSet<>();
        try (Stream<Path> descriptors = Files.list(classes().resolve("OSGI-INF"))) {
            for (Path descriptor : descriptors.filter(p -> p.toString().endsWith(".xml")).toList()) {
                String xml = Files.readString(descriptor);
                if (xml.contains(TAKES_THE_PID)) {
                    taking.add(descriptor.getFileName().toString());
                    if (!xml.contains(" modified=\"")) {
                        remade.add(descriptor.getFileName().toString());
                    }
                }
            }
        }
        assertTrue(taking.contains(descriptor(KeyService.class)) && taking.contains(descriptor(MetricsServlet.class)),
                "the descriptors were read: " + taking);
        assertEquals(Set.of(), remade, "made again on every change of " + HttpConfig.PID);
    }

    @Test
    void theThrottleIsImmediateSoItsCountsOutliveItsUsers() throws IOException {
        String xml = read(descriptor(AuthenticationThrottle.class));
        assertTrue(xml.contains(" immediate=\"true\""), xml);
    }

    private static String descriptor(Class<?> component) {
        return component.getName() + ".xml";
    }

    private static Path classes() throws URISyntaxException {
        return Path.of(KeyService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String read(String descriptor) throws IOException {
        try (InputStream in = HttpConfigChangeTest.class.getClassLoader().getResourceAsStream("OSGI-INF/"
                + descriptor)) {
            assertNotNull(in, descriptor + " was not generated");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
