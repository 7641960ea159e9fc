package io.mcpagent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingJarsTest {
    private static final String LEVEL_3 = "felix.auto.start.3";
    private static final String LEVEL_5 = "felix.auto.start.5";
    private static final String INSTALL = "felix.auto.install.4";
    private static final String LEVEL_7 = "felix.auto.start.7";
    private static final String LEVEL_8 = "felix.auto.start.8";

    @TempDir
    Path system;

    @AfterEach
    void clearTheLists() {
        List.of(LEVEL_3, LEVEL_5, INSTALL, LEVEL_7, LEVEL_8, Launcher.FRAMEWORK_PROPERTIES,
                MissingJars.LEFT_OUT_PROPERTY, MissingJars.LEFT_OUT_FEATURES_PROPERTY).forEach(System::clearProperty);
    }

    @Test
    void aMissingJarIsLeftOutOfTheListTheFrameworkGetsAndSaidInOneLine() throws Exception {
        Path present = jar("present.jar");
        Path missing = system.resolve("history.jar");
        Path properties = properties("""
                felix.auto.start.3=file:%s \\
                  file:%s
                felix.auto.start.5=file:%s
                mcpagent.features=core,history
                """.formatted(present, missing, present));

        List<String> warnings = MissingJars.of(properties.toUri().toString()).leaveOut();

        assertEquals(List.of("mcp-agent: WARN: " + missing + " does not exist: left out of felix.auto.start.3 ("
                + properties + "), the runtime starts without it. Restore it from the distribution, or build the"
                + " distribution without its feature: -Dmcpagent.features=<those of core,history to keep> (README: A"
                + " smaller runtime)"), warnings);
        assertEquals("file:" + present, System.getProperty(LEVEL_3));
        assertNull(System.getProperty(LEVEL_5), "a list without a missing jar is left as it is");
        // for the runtime, which logs and reports it: the jar's name, then what the console said
        assertEquals("history.jar\t" + warnings.get(0).substring("mcp-agent: WARN: ".length()),
                System.getProperty(MissingJars.LEFT_OUT_PROPERTY));
        // what Felix's launcher hands to the framework: the file's lines, then the system properties in their place
        System.setProperty(Launcher.FRAMEWORK_PROPERTIES, properties.toUri().toString());
        Map<String, String> framework = Main.loadConfigProperties();
        Main.copySystemProperties(framework);
        assertEquals("file:" + present, framework.get(LEVEL_3));
        assertEquals("file:" + present, framework.get(LEVEL_5));
    }

    @Test
    void aMissingJarIsSaidWithItsFeatureAndTheFeaturesThatBuildWithoutIt() throws Exception {
        Path missing = system.resolve("history.jar");
        Path properties = properties("""
                felix.auto.start.3=file:%s file:%s
                mcpagent.features=core,history,shell
                mcpagent.feature.core.jars=core.jar
                mcpagent.feature.history.jars=h2.jar \\
                  history.jar
                mcpagent.feature.shell.jars=shell.jar
                """.formatted(jar("core.jar"), missing));

        MissingJars missingJars = MissingJars.of(properties.toUri().toString());

        assertEquals(Optional.empty(), missingJars.refusal(), "a jar of another feature than core is left out");
        assertEquals(List.of("mcp-agent: WARN: " + missing + " does not exist: left out of felix.auto.start.3 ("
                + properties + "), the runtime starts without it. Restore it from the distribution, or build the"
                + " distribution without the feature history: -Dmcpagent.features=core,shell (README: A smaller"
                + " runtime)"), missingJars.leaveOut());
    }

    @Test
    void theJarsOfAFeatureThatNeedsOneWithAMissingJarAreLeftOutAndTheFeatureSaidOnce() throws Exception {
        Path jetty = system.resolve("jetty.jar");
        Path properties = properties("""
                felix.auto.start.3=file:%s
                felix.auto.start.7=file:%s file:%s file:%s \\
                  file:%s
                felix.auto.start.8=file:%s file:%s
                mcpagent.features=core,http-admin,web-console,history
                mcpagent.feature.core.jars=core.jar
                mcpagent.feature.http-admin.jars=servlet.jar jetty.jar
                mcpagent.feature.http-admin.dependencies=core
                mcpagent.feature.web-console.jars=webconsole.jar console.jar
                mcpagent.feature.web-console.dependencies=core,http-admin
                mcpagent.feature.history.jars=history.jar
                mcpagent.feature.history.dependencies=core
                """.formatted(jar("core.jar"), jar("servlet.jar"), jetty, jar("webconsole.jar"), jar("history.jar"),
                jar("console.jar"), jar("other.jar")));

        MissingJars missingJars = MissingJars.of(properties.toUri().toString());
        List<String> warnings = missingJars.leaveOut();

        assertEquals(Optional.empty(), missingJars.refusal());
        String restoreOrBuildWithout = " or build the distribution without the feature http-admin (and web-console,"
                + " which needs it): -Dmcpagent.features=core,history (README: A smaller runtime)";
        String feature = "the feature web-console needs the feature http-admin, which lacks " + jetty + ": its jars"
                + " are left out of felix.auto.start.7, felix.auto.start.8 (" + properties + "), the runtime starts"
                + " without it. Restore " + jetty + " from the distribution," + restoreOrBuildWithout;
        assertEquals(List.of("mcp-agent: WARN: " + jetty + " does not exist: left out of felix.auto.start.7 ("
                + properties + "), the runtime starts without it. Restore it from the distribution,"
                + restoreOrBuildWithout, "mcp-agent: WARN: " + feature), warnings);
        // the feature's jars leave every list, those of other features stay, the lists without them are left alone
        assertEquals("file:" + system.resolve("servlet.jar") + " file:" + system.resolve("history.jar"),
                System.getProperty(LEVEL_7));
        assertEquals("file:" + system.resolve("other.jar"), System.getProperty(LEVEL_8));
        assertNull(System.getProperty(LEVEL_3));
        assertEquals("jetty.jar\t" + warnings.get(0).substring("mcp-agent: WARN: ".length()) + "\nweb-console\t"
                + feature, System.getProperty(MissingJars.LEFT_OUT_PROPERTY));
        assertEquals("web-console\thttp-admin\t" + jetty, System.getProperty(MissingJars.LEFT_OUT_FEATURES_PROPERTY));
    }

    @Test
    void aFeatureThatNeedsOneWithAMissingJarThroughAnotherIsLeftOutToo() throws Exception {
        Path base = system.resolve("base.jar");
        Path properties = properties("""
                felix.auto.start.5=file:%s file:%s file:%s file:%s
                mcpagent.features=core,base,middle,top
                mcpagent.feature.core.jars=core.jar
                mcpagent.feature.base.jars=base.jar
                mcpagent.feature.base.dependencies=core
                mcpagent.feature.middle.jars=middle.jar
                mcpagent.feature.middle.dependencies=core,base,middle
                mcpagent.feature.top.jars=top.jar
                mcpagent.feature.top.dependencies=middle
                """.formatted(jar("core.jar"), base, jar("middle.jar"), jar("top.jar")));

        List<String> warnings = MissingJars.of(properties.toUri().toString()).leaveOut();

        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).endsWith(" build the distribution without the feature base (and middle, top, which"
                + " need it): -Dmcpagent.features=core (README: A smaller runtime)"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("mcp-agent: WARN: the feature middle needs the feature base, which"
                + " lacks " + base + ": its jars are left out of felix.auto.start.5"), warnings.get(1));
        assertTrue(warnings.get(2).startsWith("mcp-agent: WARN: the feature top needs the feature base, which"
                + " lacks " + base + ": its jars are left out of felix.auto.start.5"), warnings.get(2));
        assertEquals("file:" + system.resolve("core.jar"), System.getProperty(LEVEL_5));
        assertEquals("middle\tbase\t" + base + "\ntop\tbase\t" + base,
                System.getProperty(MissingJars.LEFT_OUT_FEATURES_PROPERTY));
    }

    @Test
    void missingJarsOfCoreRefuseTheStartNamingEach() throws Exception {
        Path api = system.resolve("api.jar");
        Path scr = system.resolve("scr.jar");
        Path properties = properties("""
                felix.auto.start.1=file:%s
                felix.auto.start.3=file:%s file:%s
                felix.auto.start.6=file:%s
                mcpagent.features=core,history
                mcpagent.feature.core.jars=scr.jar present.jar api.jar
                mcpagent.feature.history.jars=history.jar
                """.formatted(scr, jar("present.jar"), api, system.resolve("history.jar")));

        assertEquals(Optional.of(scr + " (felix.auto.start.1), " + api + " (felix.auto.start.3) do not exist ("
                + properties + "): jars of the feature core, which every other feature needs; without them the"
                + " runtime would run broken, its bundles unresolved or idle. Restore them from the distribution"),
                MissingJars.of(properties.toUri().toString()).refusal());
        Files.delete(properties);
        properties("felix.auto.start.6=file:%s\nmcpagent.feature.core.jars=api.jar\n"
                .formatted(system.resolve("history.jar")));
        assertEquals(Optional.empty(), MissingJars.of(properties.toUri().toString()).refusal(),
                "a jar core does not list");
    }

    @Test
    void listsWhoseJarsAreAllThereAreLeftAsTheyAreAndNothingIsSaid() throws Exception {
        Path properties = properties("felix.auto.start.3=file:%s file:%s\nfelix.auto.install.4=file:%s\n"
                .formatted(jar("a.jar"), jar("b.jar"), jar("c.jar")));

        assertEquals(List.of(), MissingJars.of(properties.toUri().toString()).leaveOut());
        assertNull(System.getProperty(LEVEL_3));
        assertNull(System.getProperty(INSTALL));
        assertNull(System.getProperty(MissingJars.LEFT_OUT_PROPERTY));
        assertNull(System.getProperty(MissingJars.LEFT_OUT_FEATURES_PROPERTY));
    }

    @Test
    void aLocationThatIsNoFileUrlIsLeftToTheFramework() throws Exception {
        Path properties = properties("""
                felix.auto.start.3=https://example.org/remote.jar mvn:org.example/bundle/1.0
                felix.auto.start.5=https://example.org/remote.jar "file:%s" file:%s
                """.formatted(jar("with blank.jar"), system.resolve("gone.jar")));

        List<String> warnings = MissingJars.of(properties.toUri().toString()).leaveOut();

        assertEquals(1, warnings.size(), warnings.toString());
        assertNull(System.getProperty(LEVEL_3), "no file: URL, nothing to check");
        // a location with a blank stays quoted, as Felix's launcher reads it
        assertEquals("https://example.org/remote.jar \"file:" + system.resolve("with blank.jar") + "\"",
                System.getProperty(LEVEL_5));
    }

    @Test
    void aRelativeJarIsLookedForAsTheFrameworkOpensItAndNamedAsWritten() throws Exception {
        // relative to the working directory, the home under bin/mcp-agent; an install list counts as a start list
        Path properties = properties("felix.auto.install.4=file:system/none-such.jar\n");

        List<String> warnings = MissingJars.of(properties.toUri().toString()).leaveOut();

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("mcp-agent: WARN: system/none-such.jar does not exist: left out"
                + " of felix.auto.install.4 (" + properties + "), the runtime starts without it."), warnings.get(0));
        assertTrue(warnings.get(0).contains("-Dmcpagent.features=<the features to keep>"), warnings.get(0));
        assertEquals("", System.getProperty(INSTALL));
    }

    @Test
    void aListSetAsASystemPropertyIsCheckedInPlaceOfTheFilesLine() throws Exception {
        Path properties = properties("felix.auto.start.3=file:%s\n".formatted(system.resolve("in-the-file.jar")));
        Path given = jar("given.jar");
        System.setProperty(LEVEL_3, "file:" + given + " file:" + system.resolve("gone.jar"));
        System.setProperty(LEVEL_5, "file:" + system.resolve("only-given.jar"));

        List<String> warnings = MissingJars.of(properties.toUri().toString()).leaveOut();

        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(system.resolve("gone.jar") + " does not exist: left out of "
                + LEVEL_3), warnings.get(0));
        assertTrue(warnings.get(1).contains("only-given.jar does not exist: left out of " + LEVEL_5),
                warnings.get(1));
        assertEquals("file:" + given, System.getProperty(LEVEL_3));
    }

    private Path jar(String name) throws Exception {
        return Files.writeString(system.resolve(name), "a bundle");
    }

    private Path properties(String text) throws Exception {
        return Files.writeString(system.resolve("framework.properties"), text);
    }
}
