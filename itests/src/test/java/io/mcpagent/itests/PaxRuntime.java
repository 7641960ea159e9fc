package io.mcpagent.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options for the runtime in a real Felix: exactly the bundles and start levels of the assembled
 * distribution (read from its generated etc/framework.properties, so the features stay the only bundle list), in a
 * fresh home with its own HTTP port.
 */
final class PaxRuntime {
    private PaxRuntime() {
    }

    static Option[] options() throws IOException {
        DistributionLayout distribution = DistributionLayout.fromSystemProperty();
        int port = DistributionLayout.freePort();
        Path work = Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir"), "paxexam"));
        Path home = distribution.newHome(work, port);

        List<Option> options = new ArrayList<>();
        distribution.startLists().forEach((level, bundles) -> bundles.forEach(
                jar -> options.add(bundle(jar.toUri().toString()).startLevel(level).start())));
        Properties launch = distribution.frameworkProperties();
        for (String name : launch.stringPropertyNames()) {
            if (!name.startsWith("felix.auto.start.") && !name.startsWith("org.osgi.framework.storage")
                    && !name.equals("org.osgi.framework.startlevel.beginning")) {
                options.add(frameworkProperty(name).value(launch.getProperty(name)));
            }
        }
        options.add(frameworkProperty("felix.fileinstall.dir").value(home.resolve("etc").toString()));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        for (String dir : List.of("etc", "deploy", "data")) {
            options.add(frameworkProperty("mcpagent." + dir).value(home.resolve(dir).toString()));
        }
        options.add(frameworkProperty("mcpagent.home").value(home.toString()));
        options.add(systemProperty("mcpagent.itest.home").value(home.toString()));
        options.add(systemProperty("mcpagent.itest.http.port").value(Integer.toString(port)));
        // the runtime's logger as bin/mcp-agent and its launcher set it up, at WARN into the home's data/runtime.log
        options.add(systemProperty("logback.configurationFile").value(home.resolve("etc/logback.xml").toString()));
        options.add(systemProperty("mcpagent.log").value(home.resolve("data/runtime.log").toString()));
        options.add(systemProperty("mcpagent.log.level").value("warn"));
        options.add(systemProperty("mcpagent.log.kept").value("5"));
        options.add(frameworkStartLevel(20));
        options.add(systemTimeout(60_000));
        options.add(junitBundles());
        options.add(cleanCaches(true));
        return options.toArray(new Option[0]);
    }
}
