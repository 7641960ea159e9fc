package io.mcpagent.benchmarks;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every client the harness measures answers one echo of server-everything. The harness's class path is listed by
 * hand (the bundles' own dependencies are excluded), and compiling does not show a class that only a call loads.
 */
class ClientsTest {

    @ParameterizedTest
    @EnumSource(Clients.Kind.class)
    void answersOneEcho(Clients.Kind kind) throws Exception {
        // set by the root pom's Surefire configuration: the npm peers that .ci/run installs
        Path modules = Path.of(System.getProperty("mcpagent.test.npm"));
        try (Clients.Echo client = Clients.open(kind, Clients.Server.in(modules))) {
            client.echo("ping"); // throws unless the answer is the echo
        }
    }
}
