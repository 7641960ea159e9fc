package io.mcpagent.config.internal;

import static io.mcpagent.config.internal.FakeMetatype.attribute;
import static io.mcpagent.config.internal.FakeMetatype.definition;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.Problem;

class JsonConfigInstallerTest {
    /** What the HTTP config check says a port must be. */
    private static final String PORT_RULE = "it must be a whole number within 1..65535, 0 or \"*\" for any free port,"
            + " a range within 1..65535 such as [8000,8100] for the first free port of it, or below 0 to open no"
            + " connector for it";
    @TempDir
    Path etc;

    /** pid -> properties held by the fake ConfigAdmin; a missing entry means no configuration. */
    private final Map<String, Dictionary<String, Object>> store = new ConcurrentHashMap<>();
    private final AtomicInteger updates = new AtomicInteger();
    private final ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
    /** The installed bundles and the metatype each one has, as the fake MetaType service answers it. */
    private final List<Bundle> bundles = new ArrayList<>();
    private final Map<Bundle, MetaTypeInformation> metaTypes = new HashMap<>();
    private final MetaTypeService metaTypeService = metaTypes::get;
    /** The framework properties, as the bundle context answers them. */
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final BundleContext context = mock(BundleContext.class);
    private JsonConfigInstaller installer;

    @BeforeEach
    void setUp() throws Exception {
        when(admin.getConfiguration(anyString(), eq("?"))).thenAnswer(call -> configuration(call.getArgument(0)));
        when(admin.getFactoryConfiguration(anyString(), anyString(), eq("?")))
                .thenAnswer(call -> configuration(call.getArgument(0) + "~" + call.getArgument(1)));
        when(admin.listConfigurations(any())).thenAnswer(call -> {
            String filter = call.getArgument(0);
            boolean anyFile = filter.equals("(" + JsonConfigInstaller.FILENAME + "=*)");
            boolean byPid = filter.startsWith("(service.pid=");
            return store.entrySet().stream()
                    .filter(e -> anyFile ? e.getValue().get(JsonConfigInstaller.FILENAME) != null
                            : byPid ? filter.equals("(service.pid=" + JsonConfigInstaller.escape(e.getKey()) + ")")
                            : filter.contains(JsonConfigInstaller.escape(
                            String.valueOf(e.getValue().get(JsonConfigInstaller.FILENAME)))))
                    .map(e -> configuration(e.getKey())).toArray(Configuration[]::new);
        });
        when(context.getBundles()).thenAnswer(call -> bundles.toArray(Bundle[]::new));
        when(context.getProperty(anyString())).thenAnswer(call -> frameworkProperties.get(call.getArgument(0)));
        installer = new JsonConfigInstaller(admin, context);
        installer.setMetaTypeService(metaTypeService);
    }

    /** Like ConfigAdmin's, a configuration answers nothing once it is deleted. */
    private Configuration configuration(String pid) {
        Configuration configuration = mock(Configuration.class);
        AtomicBoolean deleted = new AtomicBoolean();
        when(configuration.getPid()).thenAnswer(call -> {
            if (deleted.get()) {
                throw new IllegalStateException("Configuration " + pid + " deleted");
            }
            return pid;
        });
        when(configuration.getProperties()).thenAnswer(call -> store.get(pid) == null ? null : new Hashtable<>(
                toMap(store.get(pid))));
        try {
            doAnswer(call -> {
                store.put(pid, call.getArgument(0));
                updates.incrementAndGet();
                return null;
            }).when(configuration).update(any());
            doAnswer(call -> {
                deleted.set(true);
                return store.remove(pid);
            }).when(configuration).delete();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return configuration;
    }

    @Test
    void appliesAPidFileWithConfiguratorTypes() throws Exception {
        File file = write("org.example.service.cfg.json", """
                {
                  // comments are allowed
                  "name": "main",
                  "enabled": true,
                  "timeout": 30,
                  "ratio": 0.5,
                  "port:Integer": 8181,
                  "tags": ["a", "b"],
                  "weights:Double[]": [1, 2.5],
                  ":configurator:resource-version": 1
                }
                """);
        assertTrue(installer.canHandle(file));
        installer.install(file);

        Dictionary<String, Object> props = store.get("org.example.service");
        assertEquals("main", props.get("name"));
        assertEquals(Boolean.TRUE, props.get("enabled"));
        assertEquals(30L, props.get("timeout"));
        assertEquals(0.5, props.get("ratio"));
        assertEquals(8181, props.get("port"));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) props.get("tags"));
        assertArrayEquals(new Double[] {1.0, 2.5}, (Double[]) props.get("weights"));
        assertNull(props.get(":configurator:resource-version"));
        assertEquals(file.toURI().toString(), props.get(JsonConfigInstaller.FILENAME));
        assertTrue(installer.problems().isEmpty());
    }

    @Test
    void appliesAFactoryFile() throws Exception {
        installer.install(write("io.mcpagent.mcp.server~files.cfg.json", "{\"transport\": \"stdio\"}"));
        assertEquals("stdio", store.get("io.mcpagent.mcp.server~files").get("transport"));
    }

    @Test
    void anUnchangedFileDoesNotUpdateTheConfiguration() throws Exception {
        File file = write("org.example.same.cfg.json", "{\"a\": [1, 2], \"b\": \"x\"}");
        installer.install(file);
        installer.update(file);
        assertEquals(1, updates.get());
        write("org.example.same.cfg.json", "{\"a\": [1, 3], \"b\": \"x\"}");
        installer.update(file);
        assertEquals(2, updates.get());
    }

    /**
     * The Web Console writes the hash of its default password into its configuration: the file, which leaves the
     * password out, was applied again at every start (taking the hash out, which the console wrote back).
     */
    @Test
    void aPropertyTheWebConsoleWritesBackIntoItsConfigurationIsNoChangeOfItsFile() throws Exception {
        String pid = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
        File file = write(pid + ".cfg.json", "{\"manager.root\": \"/system/console\"}");
        installer.install(file);
        store.get(pid).put("password", "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=");

        installer.install(file); // the next start

        assertEquals(1, updates.get(), "the file is as it was applied");
        write(pid + ".cfg.json", "{\"manager.root\": \"/console\"}");
        installer.update(file);
        assertEquals(2, updates.get(), "a change of the file is applied");
        write(pid + ".cfg.json", "{\"manager.root\": \"/console\", \"password\": \"{sha-256}another-hash\"}");
        store.get(pid).put("password", "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=");
        installer.update(file);
        assertEquals(3, updates.get(), "a password hash the file sets is compared");
        installer.update(file);
        assertEquals(3, updates.get(), "and kept, as the console keeps a hash");
    }

    /**
     * At a first start the console wrote the hash of its default password into the configuration its file had just
     * made: two updates of one configuration (two config.updated in the audit log, two restarts of the console).
     */
    @Test
    void aFirstStartMakesTheWebConsolesConfigurationInOneUpdateWithTheHashTheConsoleWouldWrite() throws Exception {
        String pid = ConsolePasswordCheck.PID;
        File file = write(pid + ".cfg.json", "{\"manager.root\": \"/system/console\"}");

        installer.install(file);

        assertEquals(1, updates.get());
        Dictionary<String, Object> configuration = store.get(pid);
        assertEquals("/system/console", configuration.get("manager.root"));
        // the console writes its own only into a configuration without a password, as a fresh one was
        assertEquals("{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=", configuration.get("password"));
        installer.install(file); // the next start
        assertEquals(1, updates.get(), "unchanged since");
    }

    /**
     * A password in plain text in the Web Console's file was hashed by the console into its configuration, so the file
     * differed from it and was applied again at every start (two updates, each restarting the console). It logs nobody
     * in here (the console takes API keys), and it is a secret left in etc/: left out, never shown, and told once. The
     * rest of the file is applied: refusing the whole file left the console on its defaults after an upgrade.
     */
    @Test
    void aPasswordInPlainTextInTheWebConsolesFileIsLeftOutWithoutShowingItAndTheRestApplied() throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> listener = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(listener));
        when(context.getService(listener)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        String pid = ConsolePasswordCheck.PID;
        String hashOfTheOperatorsPassword = "{sha-256}hash-the-console-made-of-the-file's-password";
        File file = write(pid + ".cfg.json",
                "{\"default.render\": \"mcp-executions\", \"password\": \"plain-secret\"}");
        // as a runtime that applied it, before plain-text passwords were refused, left its configuration
        store.put(pid, new Hashtable<>(Map.of("default.render", "mcp-executions", "password", hashOfTheOperatorsPassword,
                JsonConfigInstaller.FILENAME, file.toURI().toString())));

        installer.install(file); // the start after the upgrade

        assertEquals("mcp-executions", store.get(pid).get("default.render"), "the rest of the file is in force");
        assertEquals(hashOfTheOperatorsPassword, store.get(pid).get("password"), "the console keeps its own hash");
        String message = "etc/" + pid + ".cfg.json is applied without its property 'password' (the rest of the file is"
                + " in force): it is not the hash the Web Console stores (its value is not shown): the console would"
                + " replace a password in plain text with its hash, so the file would be applied again at every start,"
                + " and it logs nobody in while the framework property felix.webconsole.security.providers names the"
                + " security provider (mcpagent, in etc/framework.properties: console users log in with API keys)."
                + " Leave 'password' out of the file, or give the hash the console stores, such as {sha-256}...";
        assertEquals(List.of(message), installer.problems().stream().map(Problem::message).toList());
        assertEquals(List.of(pid + ": " + message), told);
        installer.install(file); // the next start
        assertEquals(1, updates.get(), "unchanged since");
        assertEquals(List.of(pid + ": " + message), told, "told once");
        assertEquals(List.of(message), installer.problems().stream().map(Problem::message).toList(), "still a problem");

        write(pid + ".cfg.json", "{\"default.render\": \"bundles\", \"password\": 12345}");
        installer.update(file);
        assertEquals("bundles", store.get(pid).get("default.render"));
        assertEquals(2, told.size(), "a number is no hash either");
        assertFalse(String.join("", told).contains("plain-secret") || String.join("", told).contains("12345"));
        write(pid + ".cfg.json", "{\"default.render\": \"bundles\"}");
        installer.update(file);
        assertEquals(List.of(), installer.problems(), "fixed by leaving it out");
        assertNull(store.get(pid).get(JsonConfigInstaller.LEFT_OUT));
        assertEquals(hashOfTheOperatorsPassword, store.get(pid).get("password"));
        write(pid + ".cfg.json", "{\"default.render\": \"bundles\", \"password\": \"plain-secret\"}");
        installer.update(file);
        assertEquals(3, told.size(), "told again when the file sets it again, all else unchanged");
    }

    /**
     * The HTTP service's configuration applied again by the platform, with a marker, to start Jetty after it gave up on
     * a port held for a while, was warned of as a change made in the Web Console that the file would undo.
     */
    @Test
    void theHttpServiceConfigurationAppliedAgainByThePlatformIsNoChangeMadeThroughConfigurationAdmin()
            throws Exception {
        String pid = HttpServiceSettings.PID;
        File file = write(pid + ".cfg.json", "{\"org.osgi.service.http.port\": 8181}");
        installer.install(file);
        store.get(pid).put(HttpServiceSettings.REAPPLIED, "2026-12-06T21:09:15.803Z");

        String reapplied = loggedWhile(() -> installer.configurationEvent(event(ConfigurationEvent.CM_UPDATED, pid)));
        assertFalse(reapplied.contains("WARN"), reapplied);
        String restarting = loggedWhile(() -> new JsonConfigInstaller(admin, context).install(file));
        assertFalse(restarting.contains("WARN"), restarting);

        store.get(pid).put("org.osgi.service.http.port", 9090L); // a change indeed
        String changed = loggedWhile(() -> installer.configurationEvent(event(ConfigurationEvent.CM_UPDATED, pid)));
        assertTrue(changed.contains("replaces the values of its properties 'org.osgi.service.http.port'"), changed);
    }

    /**
     * A change of a file's configuration through Configuration Admin (the Web Console keeps the file's URI in it) was
     * undone at the next start, when the file was applied again, with one INFO line that did not say a change was lost.
     * Now the change itself is a warning that the file will replace it, and the start that replaces it names the
     * properties whose values it replaces, never their values.
     */
    @Test
    void aChangeThroughConfigurationAdminOfAFilesConfigurationIsWarnedOfAndNamedWhenTheFileReplacesIt()
            throws Exception {
        String pid = "io.mcpagent.history";
        declareHistory(pid);
        File file = write(pid + ".cfg.json", "{\"retentionDays\": 7, \".password\": \"s3cret-one\"}");
        String applying = loggedWhile(() -> {
            installer.install(file);
            installer.configurationEvent(event(ConfigurationEvent.CM_UPDATED, pid));
        });
        assertFalse(applying.contains("WARN"), "the file's own update is no change elsewhere: " + applying);

        // as the Web Console saves it: the other properties, the file's URI among them, kept; each of its form set
        Dictionary<String, Object> changed = store.get(pid);
        changed.put("auditRetentionDays", 365L);
        changed.put("jdbcUrl", "");
        changed.put("retentionDays", 987654L);
        changed.put(".password", "s3cret-two");
        changed.put("nodeId", "node-b");
        String changing = loggedWhile(() -> installer.configurationEvent(event(ConfigurationEvent.CM_UPDATED, pid)));
        assertTrue(changing.contains("WARN io.mcpagent.config.internal.JsonConfigInstaller - configuration " + pid
                + " was changed through Configuration Admin (such as in the Web Console), but etc/" + pid
                + ".cfg.json made it: that file is applied again at the next start, or when it is saved, and replaces"
                + " the values of its properties '.password', 'nodeId', 'retentionDays'; edit the file to keep the"
                + " change"), changing);

        installer = new JsonConfigInstaller(admin, context); // the next start
        installer.setMetaTypeService(metaTypeService);
        String restarting = loggedWhile(() -> installer.install(file));

        assertEquals(7L, store.get(pid).get("retentionDays"));
        assertNull(store.get(pid).get("nodeId"));
        assertTrue(restarting.contains("WARN io.mcpagent.config.internal.JsonConfigInstaller - etc/" + pid
                + ".cfg.json: applied to configuration " + pid + ", which holds values set through Configuration Admin"
                + " (such as in the Web Console), not by this file: the file's values replace those of its properties"
                + " '.password', 'nodeId', 'retentionDays'; to keep a change made there, make it in the file"),
                restarting);
        assertFalse(changing.contains("s3cret") || changing.contains("987654") || restarting.contains("s3cret")
                || restarting.contains("987654"),
                "no value is shown: " + changing + restarting);
    }

    /**
     * The Web Console sets every property of its form, each the file leaves out to its default, and stores numbers as
     * the metatype types them: saved unchanged, it changes no value that applying the file again would undo.
     */
    @Test
    void aSaveThroughConfigurationAdminThatOnlySpellsOutDefaultsIsNoWarning() throws Exception {
        String pid = "io.mcpagent.history";
        declareHistory(pid);
        File file = write(pid + ".cfg.json", "{\"retentionDays\": 7}");
        installer.install(file);
        Dictionary<String, Object> saved = store.get(pid);
        saved.put("retentionDays", 7); // as the metatype's type: an Integer, not the file's Long
        saved.put("auditRetentionDays", 365L);
        saved.put("jdbcUrl", "");
        saved.put("nodeId", "");

        String saving = loggedWhile(() -> installer.configurationEvent(event(ConfigurationEvent.CM_UPDATED, pid)));
        installer = new JsonConfigInstaller(admin, context);
        installer.setMetaTypeService(metaTypeService);
        String restarting = loggedWhile(() -> installer.install(file));

        assertFalse(saving.contains("WARN") || restarting.contains("WARN"), saving + restarting);
        assertTrue(restarting.contains("INFO io.mcpagent.config.internal.JsonConfigInstaller - " + pid
                + ".cfg.json: applied to configuration " + pid), restarting);
    }

    /** The history's metatype, as far as these tests need it: defaults "" for the texts, 365 days of audit log. */
    private void declareHistory(String pid) {
        declare(true, Map.of(pid, definition(pid, attribute("retentionDays", "Integer"),
                attribute("auditRetentionDays", "Integer", 0, ad -> ad.setDefaultValue("365")),
                attribute("jdbcUrl", "String", 0, ad -> ad.setDefaultValue("")),
                attribute("nodeId", "String", 0, ad -> ad.setDefaultValue("")),
                attribute(".password", "Password", 0, ad -> ad.setDefaultValue("")))), Map.of());
    }

    /** A file edited while the runtime was stopped is applied as ever: nothing else changed its configuration. */
    @Test
    void aFileEditedWhileTheRuntimeWasStoppedIsAppliedWithoutAWarning() throws Exception {
        String pid = "org.example.typed";
        File file = write(pid + ".cfg.json", "{\"names\": [\"a\", \"b\"], \"port:Integer\": 1, \"ratio\": 0.5}");
        installer.install(file);
        write(pid + ".cfg.json", "{\"names\": [\"a\", \"c\"], \"port:Integer\": 1, \"ratio\": 0.5}");

        installer = new JsonConfigInstaller(admin, context);
        String restarting = loggedWhile(() -> installer.install(file));

        assertArrayEquals(new String[] {"a", "c"}, (String[]) store.get(pid).get("names"));
        assertTrue(restarting.contains("INFO io.mcpagent.config.internal.JsonConfigInstaller - " + pid
                + ".cfg.json: applied to configuration " + pid), restarting);
        assertFalse(restarting.contains("WARN"), restarting);
    }

    /**
     * A configuration made through Configuration Admin before its file existed, or one a client replaced whole without
     * the file's URI, is no longer the file's: applying the file over it replaces what was set there.
     */
    @Test
    void aFileAppliedOverAConfigurationItDidNotMakeNamesThePropertiesItReplaces() throws Exception {
        String pid = "org.example.made.elsewhere";
        store.put(pid, new Hashtable<>(Map.of("name", "from the console", "size", 3L)));
        File file = write(pid + ".cfg.json", "{\"name\": \"from the file\", \"size\": 3}");

        String applying = loggedWhile(() -> installer.install(file));

        assertTrue(applying.contains("WARN io.mcpagent.config.internal.JsonConfigInstaller - etc/" + pid + ".cfg.json:"
                + " applied to configuration " + pid + ", which holds values set through Configuration Admin (such as"
                + " in the Web Console), not by this file: the file's values replace those of its properties 'name';"),
                applying);
    }

    /**
     * A change that leaves every value the file sets as the file sets it loses nothing: the Web Console writing the
     * hash of its password into its own configuration, whose file leaves the password out, is no change of the file's.
     */
    @Test
    void aChangeTheFileDoesNotUndoIsNoWarning() throws Exception {
        String pid = ConsolePasswordCheck.PID;
        File file = write(pid + ".cfg.json", "{\"manager.root\": \"/system/console\"}");
        installer.install(file);
        store.get(pid).put(ConsolePasswordCheck.PASSWORD, "{sha-256}another-hash");

        String changing = loggedWhile(() -> installer.configurationEvent(event(ConfigurationEvent.CM_UPDATED, pid)));
        installer = new JsonConfigInstaller(admin, context);
        String restarting = loggedWhile(() -> installer.install(file));

        assertFalse(changing.contains("WARN") || restarting.contains("WARN"), changing + restarting);
        assertEquals("{sha-256}another-hash", store.get(pid).get(ConsolePasswordCheck.PASSWORD));
    }

    /** Deleting a file's configuration through Configuration Admin is undone too: the file makes it again. */
    @Test
    void deletingAFilesConfigurationThroughConfigurationAdminIsWarnedOfButDeletingTheFileIsNot() throws Exception {
        String pid = "org.example.deleted";
        File file = write(pid + ".cfg.json", "{\"name\": \"main\"}");
        installer.install(file);
        store.remove(pid);

        String deleting = loggedWhile(() -> installer.configurationEvent(event(ConfigurationEvent.CM_DELETED, pid)));

        assertTrue(deleting.contains("WARN io.mcpagent.config.internal.JsonConfigInstaller - configuration " + pid
                + " was deleted through Configuration Admin (such as in the Web Console), but etc/" + pid + ".cfg.json"
                + " made it: that file makes it again at the next start, or when it is saved; delete the file to"
                + " remove the configuration for good"), deleting);
        installer.install(file);
        String uninstalling = loggedWhile(() -> {
            installer.uninstall(file);
            installer.configurationEvent(event(ConfigurationEvent.CM_DELETED, pid));
        });
        assertFalse(uninstalling.contains("WARN"), uninstalling);
    }

    private ConfigurationEvent event(int type, String pid) {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        return new ConfigurationEvent(reference, type, null, pid);
    }

    @Test
    void aMalformedFileIsReportedByNameAndThePreviousConfigurationStays() throws Exception {
        File file = write("org.example.kept.cfg.json", "{\"answer\": 42}");
        installer.install(file);

        write("org.example.kept.cfg.json", "{\"answer\": 43,\n  }");
        installer.update(file);
        assertEquals(42L, store.get("org.example.kept").get("answer"));
        assertEquals(1, installer.problems().size());
        String message = installer.problems().get(0).message();
        assertTrue(message.contains("org.example.kept.cfg.json") && message.contains("line 2"), message);
        assertTrue(message.contains("previous configuration stays"), message);
        assertEquals("org.example.kept.cfg.json", installer.problems().get(0).subject());

        write("org.example.kept.cfg.json", "{\"answer\": 44}");
        installer.update(file);
        assertEquals(44L, store.get("org.example.kept").get("answer"));
        assertTrue(installer.problems().isEmpty());
    }

    @Test
    void aNewFileThatIsNotAppliedSaysNoEarlierVersionOfItIsInForce() throws Exception {
        // there is no previous configuration to point the operator at: a factory file's instance does not exist
        File factory = write("org.example.server~bad.cfg.json", "{\"command\": 42,\n}");
        installer.install(factory);
        String message = installer.problems().get(0).message();
        assertTrue(message.startsWith("etc/org.example.server~bad.cfg.json was not applied, and no earlier version of"
                + " it is in force: not valid JSON: line 2"), message);
        assertTrue(store.isEmpty());

        // once a version of it applied, that one stays
        write("org.example.server~bad.cfg.json", "{\"command\": \"npx\"}");
        installer.update(factory);
        write("org.example.server~bad.cfg.json", "{\"command\": 42,\n}");
        installer.update(factory);
        message = installer.problems().get(0).message();
        assertTrue(message.startsWith("etc/org.example.server~bad.cfg.json was not applied, the previous configuration"
                + " stays in force: not valid JSON: line 2"), message);
        assertEquals("npx", store.get("org.example.server~bad").get("command"));
    }

    /**
     * A file applied before the bundle that reads its PID is installed (one dropped into deploy/ after the start, as
     * the example provider) was reported for good as having no effect, while the bundle's component used it.
     */
    @Test
    void aFileReadByABundleInstalledAfterItIsCheckedThenAndNoLongerReported() throws Exception {
        Bundle mcp = declare(true, Map.of(), Map.of("io.mcpagent.mcp.server", definition("io.mcpagent.mcp.server",
                attribute("command", "String"))));
        installer.install(write("io.mcpagent.example.provider.echo~e1.cfg.json", "{\"pieceChars\": 3}"));
        List<Problem> reported = installer.problems();
        assertEquals(List.of("etc/io.mcpagent.example.provider.echo~e1.cfg.json is applied, but no installed bundle"
                + " reads the factory PID io.mcpagent.example.provider.echo, so it has no effect (its bundle is not"
                + " installed, or the file name is misspelt)"), reported.stream().map(Problem::message).toList());
        bundleListener().bundleChanged(new BundleEvent(BundleEvent.RESOLVED, mcp));
        assertEquals(reported, installer.problems(), "not reported again for a bundle that does not read it");

        Bundle echo = declare(true, Map.of(), Map.of("io.mcpagent.example.provider.echo",
                definition("io.mcpagent.example.provider.echo", attribute("pieceChars", "Integer"))));
        bundleListener().bundleChanged(new BundleEvent(BundleEvent.RESOLVED, echo));
        assertEquals(List.of(), installer.problems(), "the bundle reads it now");
        assertEquals(3L, ((Number) store.get("io.mcpagent.example.provider.echo~e1").get("pieceChars")).longValue());
    }

    /** The same file checked against the metatype of the bundle that came: a value it refuses is reported. */
    @Test
    void aFileReadByABundleInstalledAfterItIsReportedForWhatItsMetatypeRefuses() throws Exception {
        declare(true, Map.of(), Map.of("io.mcpagent.mcp.server", definition("io.mcpagent.mcp.server",
                attribute("command", "String"))));
        installer.install(write("io.mcpagent.example.provider.echo~e1.cfg.json", "{\"pieceChars\": \"three\"}"));

        Bundle echo = declare(true, Map.of(), Map.of("io.mcpagent.example.provider.echo",
                definition("io.mcpagent.example.provider.echo", attribute("pieceChars", "Integer"))));
        BundleListener listener = bundleListener();
        listener.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, echo));
        String message = installer.problems().getFirst().message();
        assertTrue(message.contains("pieceChars"), message);
        assertFalse(message.contains("no installed bundle reads"), message);

        installer.uninstall(etc.resolve("io.mcpagent.example.provider.echo~e1.cfg.json").toFile());
        installer.deactivate();
        verify(context).removeBundleListener(listener);
    }

    /** The listener the installer gave the framework, to hear of bundles installed after it. */
    private BundleListener bundleListener() {
        ArgumentCaptor<BundleListener> listener = ArgumentCaptor.forClass(BundleListener.class);
        verify(context).addBundleListener(listener.capture());
        return listener.getValue();
    }

    @Test
    void aFileForAPidOfOursThatNoBundleReadsIsAppliedAndReportedWithTheNameMeant() throws Exception {
        declare(true, Map.of("io.mcpagent.autonomous.orchestrator", definition("io.mcpagent.autonomous.orchestrator",
                attribute("maxConcurrent", "Integer"))), Map.of("io.mcpagent.mcp.server",
                definition("io.mcpagent.mcp.server", attribute("command", "String"))));
        String advice = "? (a factory configuration is named <factory PID>~<name>.cfg.json)";

        File dashed = write("io.mcpagent.mcp.server-memory.cfg.json", "{\"command\": \"npx\"}");
        installer.install(dashed);
        assertEquals("npx", store.get("io.mcpagent.mcp.server-memory").get("command"), "applied all the same");
        assertEquals(List.of("etc/io.mcpagent.mcp.server-memory.cfg.json is applied, but no installed bundle reads the"
                + " PID io.mcpagent.mcp.server-memory, so it has no effect: did you mean"
                + " io.mcpagent.mcp.server~memory.cfg.json" + advice),
                installer.problems().stream().map(Problem::message).toList());
        installer.uninstall(dashed);

        installer.install(write("io.mcpagent.mcp.servers~mem.cfg.json", "{\"command\": \"npx\"}"));
        installer.install(write("io.mcpagent.autonomous.orchestrater.cfg.json", "{\"maxConcurrent\": 2}"));
        installer.install(write("io.mcpagent.histroy.cfg.json", "{\"retentionDays\": 2}"));
        assertEquals(List.of("etc/io.mcpagent.autonomous.orchestrater.cfg.json is applied, but no installed bundle"
                        + " reads the PID io.mcpagent.autonomous.orchestrater, so it has no effect: did you mean"
                        + " io.mcpagent.autonomous.orchestrator.cfg.json" + advice,
                "etc/io.mcpagent.histroy.cfg.json is applied, but no installed bundle reads the PID io.mcpagent.histroy,"
                        + " so it has no effect (its bundle is not installed, or the file name is misspelt)",
                "etc/io.mcpagent.mcp.servers~mem.cfg.json is applied, but no installed bundle reads the factory PID"
                        + " io.mcpagent.mcp.servers, so it has no effect: did you mean io.mcpagent.mcp.server~mem.cfg.json"
                        + advice),
                installer.problems().stream().map(Problem::message).sorted().toList());

        // the names meant, and PIDs that are not ours, are no problem
        installer.install(write("io.mcpagent.mcp.server~memory.cfg.json", "{\"command\": \"npx\"}"));
        installer.install(write("io.mcpagent.autonomous.orchestrator.cfg.json", "{\"maxConcurrent\": 2}"));
        installer.install(write("org.example.unread.cfg.json", "{\"a\": 1}"));
        assertEquals(3, installer.problems().size(), installer.problems().toString());
    }

    @Test
    void badValuesAreRejectedWithTheKeyNamed() throws Exception {
        assertRejected("{\"nested\": {\"a\": 1}}", "'nested'");
        assertRejected("{\"mixed\": [1, \"a\"]}", "'mixed'");
        assertRejected("{\"port:Integer\": \"eighty\"}", "port:Integer");
        assertRejected("{\"port:Number\": 1}", "unknown type");
        assertRejected("{\"gone\": null}", "'gone'");
        assertRejected("{\"a\": 1, \"a\": 2}", "a");
        assertRejected("[1, 2]", "one JSON object");
        assertRejected("{\"a\": 1} trailing", "not valid JSON");
        assertRejected("{\"x\": 1, \"x:Long\": 2}", "given twice");
        assertTrue(store.isEmpty(), "nothing applied from invalid files");
    }

    @Test
    void aWholeNumberServiceRankingIsAnIntegerForEveryPid() throws Exception {
        // OSGi counts a service.ranking that is not an Integer as 0, so a Long would change nothing
        String pid = "io.mcpagent.analyzer.llm";
        declare(true, Map.of(pid, definition(pid, attribute("service.ranking", "Integer"),
                attribute("provider", "String"))), Map.of());
        installer.install(write(pid + ".cfg.json", "{\"provider\": \"pllm2\", \"service.ranking\": 10}"));
        assertEquals(Integer.valueOf(10), store.get(pid).get("service.ranking"));

        installer.install(write("org.example.plain.cfg.json", "{\"service.ranking\": -100}"));
        assertEquals(Integer.valueOf(-100), store.get("org.example.plain").get("service.ranking"));
        installer.install(write("org.example.factory~one.cfg.json", "{\"service.ranking:Long\": 5}"));
        assertEquals(Integer.valueOf(5), store.get("org.example.factory~one").get("service.ranking"));
        installer.install(write("org.example.typed.cfg.json", "{\"service.ranking:Integer\": 7}"));
        assertEquals(Integer.valueOf(7), store.get("org.example.typed").get("service.ranking"));
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
    }

    @Test
    void aServiceRankingThatIsNoIntegerIsRefusedNamingTheFile() throws Exception {
        for (String wrong : List.of("4294967296", "-2147483649", "1.5", "\"10\"", "true", "[1]")) {
            File file = write("org.example.ranked.cfg.json", "{\"service.ranking\": " + wrong + "}");
            installer.install(file);
            assertEquals(1, installer.problems().size(), wrong);
            String message = installer.problems().get(0).message();
            assertTrue(message.startsWith("etc/org.example.ranked.cfg.json was not applied"), message);
            assertTrue(message.contains("property 'service.ranking': a service ranking must be a whole number from "
                    + "-2147483648 to 2147483647 (OSGi takes it as an Integer), found " + wrong), message);
            installer.uninstall(file);
        }
        assertFalse(store.containsKey("org.example.ranked"));
    }

    @Test
    void aJsonMistakeIsNamedByLineAndColumnWithoutTheParsersInternals() throws Exception {
        File file = write("org.example.open.cfg.json", "{\n  \"a\": 1,\n  \"b\": [1, 2\n");
        installer.install(file);
        String message = installer.problems().get(0).message();
        assertTrue(message.contains("not valid JSON: line 4, column 1: "), message);
        assertTrue(message.contains("(start marker at line 3, column 8)"), message);
        for (String internal : List.of("Source", "REDACTED", "StreamReadFeature")) {
            assertFalse(message.contains(internal), message);
        }
    }

    @Test
    void deletingAFileRemovesItsConfigurationAndProblem() throws Exception {
        File file = write("org.example.temp.cfg.json", "{\"a\": 1}");
        installer.install(file);
        installer.uninstall(file);
        assertFalse(store.containsKey("org.example.temp"));
        assertTrue(installer.problems().isEmpty(), () -> installer.problems().toString());

        write("org.example.broken.cfg.json", "{");
        File broken = etc.resolve("org.example.broken.cfg.json").toFile();
        installer.install(broken);
        assertEquals(1, installer.problems().size());
        installer.uninstall(broken);
        assertTrue(installer.problems().isEmpty());
    }

    @Test
    void aFileDeletedWhileTheRuntimeWasStoppedHasItsConfigurationRemovedAtTheNextStart() throws Exception {
        File ghost = write("io.mcpagent.provider.scripted~ghost.cfg.json", "{\"a\": 1}");
        File kept = write("io.mcpagent.provider.scripted~kept.cfg.json", "{\"a\": 2}");
        installer.install(ghost);
        installer.install(kept);
        Hashtable<String, Object> byHand = new Hashtable<>(Map.of("a", 3L));
        store.put("org.example.byhand", byHand);
        Hashtable<String, Object> otherInstaller = new Hashtable<>(Map.of("a", 4L,
                JsonConfigInstaller.FILENAME, etc.resolve("org.example.gone.cfg").toUri().toString()));
        store.put("org.example.gone", otherInstaller);
        // the runtime stops, the file is deleted, the runtime starts
        Files.delete(ghost.toPath());

        new JsonConfigInstaller(admin, mock(BundleContext.class));

        assertFalse(store.containsKey("io.mcpagent.provider.scripted~ghost"));
        assertTrue(store.containsKey("io.mcpagent.provider.scripted~kept"));
        assertTrue(store.containsKey("org.example.byhand"), "a configuration not made from a file is not ours");
        assertTrue(store.containsKey("org.example.gone"), "a .cfg file is FileInstall's own");
    }

    @Test
    void aConfigurationThatCannotBeRemovedIsReportedByFileName() throws Exception {
        File file = write("org.example.stuck.cfg.json", "{\"a\": 1}");
        installer.install(file);
        doThrow(new IOException("store unavailable")).when(admin).listConfigurations(any());

        installer.uninstall(file);

        assertEquals(1, installer.problems().size());
        assertEquals("org.example.stuck.cfg.json", installer.problems().get(0).subject());
        String message = installer.problems().get(0).message();
        assertTrue(message.contains("etc/org.example.stuck.cfg.json was deleted, but its configuration could not be "
                + "removed and stays in force") && message.contains("store unavailable"), message);
    }

    @Test
    void handlesOnlyCfgJsonFiles() {
        assertTrue(installer.canHandle(new File("a.cfg.json")));
        assertFalse(installer.canHandle(new File("a.cfg")));
        assertFalse(installer.canHandle(new File("a.json")));
        assertFalse(installer.canHandle(new File(".cfg.json")));
    }

    @Test
    void aFileThatDoesNotFitItsMetatypeIsNotAppliedAndIsReportedUntilFixed() throws Exception {
        String pid = "io.mcpagent.autonomous.orchestrator";
        declare(true, Map.of(pid, definition(pid, attribute("maxConcurrent", "Integer"),
                attribute("queueCapacity", "Integer"))), Map.of());
        File file = write(pid + ".cfg.json", "{\"maxConcurrent\": 4}");
        installer.install(file);
        assertEquals(4L, store.get(pid).get("maxConcurrent"));

        for (String wrong : List.of("{\"maxConcurent\": 5}", "{\"maxConcurrent\": 4294967297}",
                "{\"queueCapacity\": 2.7}", "{\"maxConcurrent\": [3, 4]}")) {
            write(pid + ".cfg.json", wrong);
            installer.update(file);
            assertEquals(Map.of("maxConcurrent", 4L), userProperties(pid), wrong + " must not be applied");
            assertEquals(1, installer.problems().size(), wrong);
            assertEquals(pid + ".cfg.json", installer.problems().get(0).subject());
        }
        write(pid + ".cfg.json", "{\"maxConcurent\": 5}");
        installer.update(file);
        String message = installer.problems().get(0).message();
        assertTrue(message.startsWith("etc/" + pid + ".cfg.json was not applied, the previous configuration stays in"
                + " force: unknown property 'maxConcurent' (did you mean 'maxConcurrent'?)"), message);

        write(pid + ".cfg.json", "{\"maxConcurrent\": 5}");
        installer.update(file);
        assertEquals(5L, store.get(pid).get("maxConcurrent"));
        assertTrue(installer.problems().isEmpty());
    }

    /** ConfigAdmin never hears of a refused file: the audit log learns of it through the refusal listeners only. */
    @Test
    void aRefusedFileIsToldToTheRefusalListenersUnderItsPid() throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> listener = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(listener));
        when(context.getService(listener)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        String pid = "io.mcpagent.autonomous.orchestrator";
        declare(true, Map.of(pid, definition(pid, attribute("maxConcurrent", "Integer"))), Map.of());

        installer.install(write(pid + ".cfg.json", "{\"maxConcurent\": 5}"));
        installer.install(write("io.mcpagent.mcp.server~fs.cfg.json", "{\"command\": "));
        installer.install(write(pid + ".cfg.json", "{\"maxConcurrent\": 5}"));

        assertEquals(List.of(pid + ": " + "etc/" + pid + ".cfg.json was not applied, and no earlier version of it is in"
                + " force: unknown property 'maxConcurent' (did you mean 'maxConcurrent'?)",
                "io.mcpagent.mcp.server~fs: " + installer.problems().get(0).message()), told,
                "a refused file only, the factory configuration's under its PID");
    }

    @Test
    void aPropertyItsBundleNoLongerReadsIsAppliedWithAWarningNamingTheFilePropertyAndWhy() throws Exception {
        String pid = "io.mcpagent.autonomous.agents";
        Bundle agents = declare(true, Map.of(pid, definition(pid, attribute("maxAgents", "Integer"),
                attribute("creatorInstruction", "String"))), Map.of());
        Path declaration = Files.writeString(etc.resolve("retired.properties"), "# removed in 0.1\n"
                + "coordinatorInstruction = no coordinator agent is planned any more\n");
        when(agents.getEntry(RetiredProperties.FOLDER + pid + ".properties")).thenReturn(declaration.toUri().toURL());
        File file = write(pid + ".cfg.json", "{\"maxAgents\": 3, \"coordinatorInstruction\": \"Plan: {task}\"}");

        String log = loggedWhile(() -> installer.install(file));

        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
        assertEquals(3L, store.get(pid).get("maxAgents"), "the file's other settings apply");
        assertTrue(log.contains("WARN io.mcpagent.config.internal.JsonConfigInstaller - etc/" + pid + ".cfg.json:"
                + " property 'coordinatorInstruction' has no effect any more: no coordinator agent is planned any"
                + " more. Remove it from the file"), log);

        // a property retired for one PID is still unknown to another
        String other = "io.mcpagent.autonomous.decision";
        declare(true, Map.of(other, definition(other, attribute("minimumScore", "Double"))), Map.of());
        installer.install(write(other + ".cfg.json", "{\"coordinatorInstruction\": \"x\"}"));
        assertTrue(installer.problems().get(0).message().contains("unknown property 'coordinatorInstruction'"),
                installer.problems().toString());
    }

    @Test
    void aFactoryFileIsCheckedAgainstItsFactoryMetatypeOnly() throws Exception {
        declare(true, Map.of("org.apache.felix.fileinstall", definition("org.apache.felix.fileinstall",
                        attribute("felix.fileinstall.poll", "String"))),
                Map.of("io.mcpagent.mcp.server", definition("io.mcpagent.mcp.server", attribute("command", "String"))));
        installer.install(write("io.mcpagent.mcp.server~files.cfg.json", "{\"comand\": \"node\"}"));
        assertFalse(store.containsKey("io.mcpagent.mcp.server~files"));
        assertTrue(installer.problems().get(0).message().contains("(did you mean 'command'?)"),
                installer.problems().toString());

        // FileInstall designates its metatype for the PID, not for factory configurations such as ~deploy
        installer.install(write("org.apache.felix.fileinstall~deploy.cfg.json", "{\"felix.fileinstall.poll:Long\": 250}"));
        assertEquals(250L, store.get("org.apache.felix.fileinstall~deploy").get("felix.fileinstall.poll"));
    }

    @Test
    void anHttpPortJettyCannotTakeOrABlankHostIsRefusedAndTheConfigurationInForceStays() throws Exception {
        String name = "org.apache.felix.http.cfg.json";
        File file = write(name, "{\"org.apache.felix.http.host\": \"127.0.0.1\", \"org.osgi.service.http.port:Integer\":"
                + " 8181}");
        installer.install(file);
        assertEquals(8181, store.get("org.apache.felix.http").get("org.osgi.service.http.port"));
        String refused = "etc/" + name + " was not applied, the previous configuration stays in force: ";

        for (String port : List.of("70000", "\"[8000,70000]\"", "\"[-1,8000]\"")) {
            write(name, "{\"org.osgi.service.http.port\": " + port + "}");
            installer.update(file);
            assertEquals(8181, store.get("org.apache.felix.http").get("org.osgi.service.http.port"), port);
            assertEquals(List.of(refused + "property 'org.osgi.service.http.port': " + port + " is not a port: "
                    + PORT_RULE),
                    installer.problems().stream().map(Problem::message).toList(), port);
            assertEquals(name, installer.problems().getFirst().subject());
        }

        write(name, "{\"org.apache.felix.http.host\": \" \", \"org.osgi.service.http.port\": 70000}");
        installer.update(file);
        assertEquals(List.of(refused + "property 'org.osgi.service.http.port': 70000 is not a port: " + PORT_RULE
                + "; property 'org.apache.felix.http.host': is blank; give the address to listen"
                + " on, e.g. 127.0.0.1, or 0.0.0.0 for every interface"),
                installer.problems().stream().map(Problem::message).toList());
        assertEquals("127.0.0.1", store.get("org.apache.felix.http").get("org.apache.felix.http.host"));

        // Jetty reads a port given as a string; other properties are Jetty's to judge
        write(name, "{\"org.osgi.service.http.port\": \"8282\", \"org.apache.felix.https.keystore.type\": \"PKCS12\"}");
        installer.update(file);
        assertEquals("8282", store.get("org.apache.felix.http").get("org.osgi.service.http.port"));
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
    }

    @Test
    void anHttpsPortJettyCannotTakeIsRefusedLikeThePlainPort() throws Exception {
        String name = "org.apache.felix.http.cfg.json";
        File file = write(name, "{\"org.osgi.service.http.port\": 8181, \"org.osgi.service.http.port.secure\": 8443,"
                + " \"org.apache.felix.https.enable\": true}");
        installer.install(file);
        assertEquals(8443L, store.get("org.apache.felix.http").get("org.osgi.service.http.port.secure"));
        String refused = "etc/" + name + " was not applied, the previous configuration stays in force: ";

        for (String port : List.of("70000", "\"[8000,70000]\"")) {
            write(name, "{\"org.osgi.service.http.port\": 8181, \"org.osgi.service.http.port.secure\": " + port + "}");
            installer.update(file);
            assertEquals(8443L, store.get("org.apache.felix.http").get("org.osgi.service.http.port.secure"), port);
            assertEquals(List.of(refused + "property 'org.osgi.service.http.port.secure': " + port + " is not a port: "
                    + PORT_RULE),
                    installer.problems().stream().map(Problem::message).toList(), port);
        }

        write(name, "{\"org.osgi.service.http.port\": 70000, \"org.osgi.service.http.port.secure\": 70000}");
        installer.update(file);
        assertEquals(List.of(refused + "property 'org.osgi.service.http.port': 70000 is not a port: " + PORT_RULE
                + "; property 'org.osgi.service.http.port.secure': 70000 is not a port: " + PORT_RULE),
                installer.problems().stream().map(Problem::message).toList());

        write(name, "{\"org.osgi.service.http.port\": 8181, \"org.osgi.service.http.port.secure\": \"9443\"}");
        installer.update(file);
        assertEquals("9443", store.get("org.apache.felix.http").get("org.osgi.service.http.port.secure"));
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
    }

    /** Felix Jetty takes its default port for a value it does not read as one, and the first free port of a range. */
    @Test
    void aPortJettyDoesNotReadOrARangeIsAppliedAsJettyTakesIt() throws Exception {
        String name = "org.apache.felix.http.cfg.json";
        File file = write(name, "{\"org.osgi.service.http.port\": 8181}");
        installer.install(file);

        for (String port : List.of("\"8000-8100\"", "\"abc\"", "\"--1\"", "8181.5", "true", "[8181]",
                "\"[8000,8100]\"", "\"(8000,8100)\"", "\"[,8100]\"")) {
            write(name, "{\"org.apache.felix.http.host\": \"127.0.0.1\", \"org.osgi.service.http.port\": " + port
                    + ", \"org.osgi.service.http.port.secure\": 9443, \"org.apache.felix.https.enable\": true}");
            installer.update(file);
            // its other settings are applied: refusing the file for the port would leave Jetty on every address
            assertTrue(installer.problems().isEmpty(), port + ": " + installer.problems());
            assertEquals("127.0.0.1", store.get("org.apache.felix.http").get("org.apache.felix.http.host"), port);
            installer.update(write(name, "{\"org.osgi.service.http.port\": 8181}"));
        }
    }

    @Test
    void aPortOfZeroOrStarIsAnyFreePortAndOneBelowZeroTurnsItsConnectorOffAsJettyTakesThem() throws Exception {
        String name = "org.apache.felix.http.cfg.json";
        File file = write(name, "{\"org.osgi.service.http.port\": 8181}");
        installer.install(file);

        for (String port : List.of("0", "\"0\"", "\"*\"", "\" * \"", "-1", "\"-1\"")) {
            write(name, "{\"org.osgi.service.http.port\": " + port + ", \"org.osgi.service.http.port.secure\": "
                    + port + ", \"org.apache.felix.https.enable\": true}");
            installer.update(file);
            // two free ports cannot clash, nor can connectors that are not opened
            assertTrue(installer.problems().isEmpty(), port + ": " + installer.problems());
            assertEquals(port.startsWith("\"") ? port.substring(1, port.length() - 1) : Long.valueOf(port),
                    store.get("org.apache.felix.http").get("org.osgi.service.http.port"), port);
        }

        // HTTP off by its port leaves 8181 to HTTPS
        write(name, "{\"org.osgi.service.http.port\": -1, \"org.osgi.service.http.port.secure\": 8181,"
                + " \"org.apache.felix.https.enable\": true}");
        installer.update(file);
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
        assertEquals(8181L, store.get("org.apache.felix.http").get("org.osgi.service.http.port.secure"));
    }

    @Test
    void anHttpsPortEqualToTheHttpPortIsRefusedWhileBothAreOn() throws Exception {
        String name = "org.apache.felix.http.cfg.json";
        File file = write(name, "{\"org.osgi.service.http.port\": 8181, \"org.osgi.service.http.port.secure\": 8443,"
                + " \"org.apache.felix.https.enable\": true}");
        installer.install(file);
        String refused = "etc/" + name + " was not applied, the previous configuration stays in force: properties"
                + " 'org.osgi.service.http.port.secure' and 'org.osgi.service.http.port' are both ";
        String why = ": with HTTPS on ('org.apache.felix.https.enable') Jetty needs a port of its own for each; give"
                + " HTTPS another port";

        // as numbers, and as the strings Jetty reads too
        for (String same : List.of(
                "8181, \"org.osgi.service.http.port.secure\": 8181, \"org.apache.felix.https.enable\": true",
                "\"8181\", \"org.osgi.service.http.port.secure\": \" 8181\","
                        + " \"org.apache.felix.https.enable\": \"true\", \"org.apache.felix.http.enable\": true")) {
            write(name, "{\"org.osgi.service.http.port\": " + same + "}");
            installer.update(file);
            assertEquals(8443L, store.get("org.apache.felix.http").get("org.osgi.service.http.port.secure"), same);
            assertEquals(List.of(refused + "8181" + why), installer.problems().stream().map(Problem::message).toList(),
                    same);
        }

        // an HTTPS port equal to Jetty's default HTTP port
        write(name, "{\"org.osgi.service.http.port.secure\": 8080, \"org.apache.felix.https.enable\": true}");
        installer.update(file);
        assertEquals(List.of(refused + "8080 (Jetty's default for 'org.osgi.service.http.port', which the file does not"
                        + " set)" + why),
                installer.problems().stream().map(Problem::message).toList());
        assertEquals(8443L, store.get("org.apache.felix.http").get("org.osgi.service.http.port.secure"));

        // one port for both is no conflict while HTTPS is off, or HTTP is
        write(name, "{\"org.osgi.service.http.port\": 8181, \"org.osgi.service.http.port.secure\": 8181}");
        installer.update(file);
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
        write(name, "{\"org.osgi.service.http.port\": 8181, \"org.osgi.service.http.port.secure\": 8181,"
                + " \"org.apache.felix.https.enable\": true, \"org.apache.felix.http.enable\": false}");
        installer.update(file);
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
        assertEquals(false, store.get("org.apache.felix.http").get("org.apache.felix.http.enable"));
    }

    @Test
    void theHttpsPortIsComparedWithThePortJettyTakesFromAFrameworkPropertyWhenTheFileSetsNone() throws Exception {
        String name = "org.apache.felix.http.cfg.json";
        String refused = "etc/" + name + " was not applied, the previous configuration stays in force: properties"
                + " 'org.osgi.service.http.port.secure' and 'org.osgi.service.http.port' are both ";
        String why = ": with HTTPS on ('org.apache.felix.https.enable') Jetty needs a port of its own for each; give"
                + " HTTPS another port";
        frameworkProperties.put("org.osgi.service.http.port", "8181");

        // Jetty listens for HTTP on the framework's 8181, so HTTPS cannot have it
        File file = write(name, "{\"org.osgi.service.http.port.secure\": 8181, \"org.apache.felix.https.enable\": true}");
        installer.install(file);
        assertEquals(List.of(refused.replace("the previous configuration stays", "and no earlier version of it is")
                + "8181 (the framework property for 'org.osgi.service.http.port', which the file"
                + " does not set)" + why), installer.problems().stream().map(Problem::message).toList());
        assertFalse(store.containsKey("org.apache.felix.http"));

        // and 8080, Jetty's default that the framework property replaces, is free for HTTPS
        write(name, "{\"org.osgi.service.http.port.secure\": 8080, \"org.apache.felix.https.enable\": true}");
        installer.update(file);
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
        assertEquals(8080L, store.get("org.apache.felix.http").get("org.osgi.service.http.port.secure"));

        // the HTTPS port and the HTTPS switch from framework properties too; the file's own value wins over them
        frameworkProperties.put("org.osgi.service.http.port.secure", "9443");
        frameworkProperties.put("org.apache.felix.https.enable", "true");
        write(name, "{\"org.osgi.service.http.port\": 9443}");
        installer.update(file);
        assertEquals(List.of(refused + "9443 (the framework property for 'org.osgi.service.http.port.secure', which the"
                + " file does not set)" + why), installer.problems().stream().map(Problem::message).toList());
        write(name, "{\"org.osgi.service.http.port\": 9443, \"org.apache.felix.https.enable\": false}");
        installer.update(file);
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
        assertEquals(9443L, store.get("org.apache.felix.http").get("org.osgi.service.http.port"));
    }

    @Test
    void jettysSwitchesAreOnForYesAsForTrueInAnyCaseAndOffForAnyOtherWord() throws Exception {
        String name = "org.apache.felix.http.cfg.json";
        String refused = "etc/" + name + " was not applied, and no earlier version of it is in force: properties"
                + " 'org.osgi.service.http.port.secure' and 'org.osgi.service.http.port' are both 9443: with HTTPS on"
                + " ('org.apache.felix.https.enable') Jetty needs a port of its own for each; give HTTPS another port";

        // Jetty turns HTTPS on for "yes", so both connectors would want 9443
        File file = write(name, "{\"org.osgi.service.http.port\": 9443, \"org.osgi.service.http.port.secure\": 9443,"
                + " \"org.apache.felix.https.enable\": \"Yes\"}");
        installer.install(file);
        assertEquals(List.of(refused), installer.problems().stream().map(Problem::message).toList());
        assertFalse(store.containsKey("org.apache.felix.http"));

        // "no" is off for HTTP: only HTTPS listens, so one port is fine
        write(name, "{\"org.osgi.service.http.port\": 9443, \"org.osgi.service.http.port.secure\": 9443,"
                + " \"org.apache.felix.https.enable\": \"YES\", \"org.apache.felix.http.enable\": \"no\"}");
        installer.update(file);
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());

        // a framework property saying "yes" counts the same
        frameworkProperties.put("org.apache.felix.https.enable", "yes");
        write(name, "{\"org.osgi.service.http.port\": 9443, \"org.osgi.service.http.port.secure\": 9443}");
        installer.update(file);
        assertEquals(List.of(refused.replace("and no earlier version of it is", "the previous configuration stays")),
                installer.problems().stream().map(Problem::message).toList());
    }

    @Test
    void deletingTheHttpFileIsAWarningThatTheApiStops() throws Exception {
        File http = write("org.apache.felix.http.cfg.json", "{\"org.osgi.service.http.port:Integer\": 8181}");
        installer.install(http);
        File other = write("org.example.service.cfg.json", "{\"name\": \"main\"}");
        installer.install(other);

        String log = loggedWhile(() -> {
            installer.uninstall(http);
            installer.uninstall(other);
        });

        assertFalse(store.containsKey("org.apache.felix.http"));
        assertTrue(log.contains("WARN io.mcpagent.config.internal.JsonConfigInstaller - org.apache.felix.http.cfg.json:"
                + " deleted, configuration org.apache.felix.http removed: the HTTP service stops, and with it the REST"
                + " API and the web console, until the file is back"), log);
        assertTrue(log.contains("INFO io.mcpagent.config.internal.JsonConfigInstaller - org.example.service.cfg.json:"
                + " deleted, configuration org.example.service removed"), log);
    }

    /** What the logger (slf4j-simple, on standard error) wrote while {@code action} ran. */
    private static String loggedWhile(ThrowingRunnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void metatypeProvidedInCodeAndAMissingMetaTypeServiceLeaveFilesUnchecked() throws Exception {
        // Felix Jetty describes org.apache.felix.http with a MetaTypeProvider service that leaves out properties
        // it reads; its bundle declares no OSGI-INF/metatype
        declare(false, Map.of("org.apache.felix.http", definition("org.apache.felix.http",
                attribute("org.apache.felix.http.host", "String"))), Map.of());
        installer.install(write("org.apache.felix.http.cfg.json", "{\"org.apache.felix.https.keystore.type\": \"PKCS12\"}"));
        assertEquals("PKCS12", store.get("org.apache.felix.http").get("org.apache.felix.https.keystore.type"));

        String pid = "io.mcpagent.history";
        declare(true, Map.of(pid, definition(pid, attribute("retentionDays", "Integer"))), Map.of());
        installer.unsetMetaTypeService(metaTypeService);
        installer.install(write(pid + ".cfg.json", "{\"retentionDay\": 7}"));
        assertEquals(7L, store.get(pid).get("retentionDay"));
        assertTrue(installer.problems().isEmpty(), installer.problems().toString());
    }

    /** A bundle that describes these PIDs; {@code inResources}: in OSGI-INF/metatype, else by a service in code. */
    private Bundle declare(boolean inResources, Map<String, ObjectClassDefinition> pids,
            Map<String, ObjectClassDefinition> factoryPids) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getEntryPaths("OSGI-INF/metatype/")).thenAnswer(call -> inResources
                ? Collections.enumeration(List.of("OSGI-INF/metatype/Config.xml")) : null);
        bundles.add(bundle);
        metaTypes.put(bundle, FakeMetatype.information(bundle, pids, factoryPids));
        return bundle;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Map<String, Object> userProperties(String pid) {
        Map<String, Object> properties = toMap(store.get(pid));
        properties.remove(JsonConfigInstaller.FILENAME);
        properties.remove(JsonConfigInstaller.FINGERPRINT);
        return properties;
    }

    private void assertRejected(String json, String expected) throws IOException {
        File file = write("org.example.bad.cfg.json", json);
        installer.install(file);
        assertEquals(1, installer.problems().size(), json);
        String message = installer.problems().get(0).message();
        assertTrue(message.contains(expected), json + " -> " + message);
        installer.uninstall(file);
    }

    private File write(String name, String content) throws IOException {
        return Files.writeString(etc.resolve(name), content).toFile();
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> dictionary) {
        Map<String, Object> map = new java.util.HashMap<>();
        java.util.Collections.list(dictionary.keys()).forEach(k -> map.put(k, dictionary.get(k)));
        return map;
    }
}
