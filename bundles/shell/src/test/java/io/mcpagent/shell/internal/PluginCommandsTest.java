package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Secrets;

class PluginCommandsTest {
    private static final org.apache.felix.service.command.CommandSession SESSION = TestSessions.session();
    private static final Instant T = Instant.parse("2026-11-24T10:15:30.123Z");

    private final PluginInfo echo = new PluginInfo("example.echo", PluginKind.PATTERN, "1.0.0", "Echo",
            "Echoes the task", "io.mcpagent.example.pattern.echo", "0.1.0.SNAPSHOT", 42, 7,
            Map.of("mcpagent.plugin.id", "example.echo", "mcpagent.plugin.kind", "pattern",
                    "mcpagent.pattern.name", "echo", "service.ranking", "5"));
    private final PluginInfo router = new PluginInfo("pattern.router", PluginKind.PATTERN, "", null, null,
            "", "", 43, 8, Map.of());
    private final PluginInfo openai = new PluginInfo("openai-main", PluginKind.PROVIDER, "2.1.0", "OpenAI", "",
            "io.mcpagent.provider.openai", "0.1.0", 44, 9, Map.of());
    private final ShellMasker masker = new ShellMasker();
    private final PluginCommands commands = new PluginCommands(TestSessions.framework(Map.of()), TestSessions.admin(),
            masker);

    // ---- plugin:list -------------------------------------------------------------------------------------------

    @Test
    void listShowsAnAlignedTableOrderedByKindThenIdWithACount() {
        commands.bindPluginManager(new FakeManager(List.of(router, echo, openai)));
        String[] lines = commands.list(SESSION).split("\n");
        assertEquals(5, lines.length, String.join("\n", lines));
        assertEquals(List.of("ID", "KIND", "VERSION", "NAME", "BUNDLE"), Arrays.asList(lines[0].split("\\s+")));
        assertTrue(lines[1].startsWith("openai-main "), lines[1]);
        assertTrue(lines[2].startsWith("example.echo "), lines[2]);
        assertTrue(lines[3].startsWith("pattern.router "), lines[3]);
        assertEquals("3 plugins", lines[4]);
        assertEquals(lines[0].indexOf("KIND"), lines[1].indexOf("provider"));
        assertEquals(lines[0].indexOf("KIND"), lines[2].indexOf("pattern"));
        assertEquals(List.of("example.echo", "pattern", "1.0.0", "Echo", "io.mcpagent.example.pattern.echo/0.1.0.SNAPSHOT"),
                Arrays.asList(lines[2].split("\\s+")));
        // Empty version and bundle show as "-"; a blank name falls back to the id (PluginInfo does that).
        assertEquals(List.of("pattern.router", "pattern", "-", "pattern.router", "-"),
                Arrays.asList(lines[3].split("\\s+")));
    }

    @Test
    void listFiltersByKindInAnyAcceptedSpelling() {
        commands.bindPluginManager(new FakeManager(List.of(echo, openai)));
        String patterns = commands.list(SESSION, "pattern");
        assertTrue(patterns.contains("example.echo") && !patterns.contains("openai-main"), patterns);
        assertTrue(patterns.endsWith("\n1 plugin of kind pattern"), patterns);
        assertEquals("0 plugins of kind mcp-server", commands.list(SESSION, "MCP_SERVER"));
        assertEquals("0 plugins of kind analyzer", commands.list(SESSION, " Analyzer "));
    }

    @Test
    void anEmptyWhiteboardListsNoTable() {
        commands.bindPluginManager(new FakeManager(List.of()));
        assertEquals("0 plugins", commands.list(SESSION));
    }

    @Test
    void anUnknownKindIsAnErrorNamingTheValidKinds() {
        commands.bindPluginManager(new FakeManager(List.of(echo)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.list(SESSION, "gadget"));
        assertEquals("unknown plugin kind 'gadget'; valid kinds: provider, pattern, analyzer, mcp-server",
                e.getMessage());
    }

    // ---- plugin:info -------------------------------------------------------------------------------------------

    @Test
    void infoShowsEveryFieldTheHealthAndTheMcpagentPropertiesSorted() {
        commands.bindPluginManager(new FakeManager(List.of(echo)));
        assertEquals("""
                id: example.echo
                kind: pattern
                version: 1.0.0
                name: Echo
                description: Echoes the task
                bundleSymbolicName: io.mcpagent.example.pattern.echo
                bundleVersion: 0.1.0.SNAPSHOT
                bundleId: 42
                serviceId: 7
                health.status: DEGRADED
                health.message: slow upstream
                health.checkedAt: 2026-11-24T10:15:30Z
                mcpagent.pattern.name: echo
                mcpagent.plugin.id: example.echo
                mcpagent.plugin.kind: pattern""", commands.info(SESSION, "example.echo"));
    }

    @Test
    void infoOfAnUnknownIdSaysWhereToLook() {
        commands.bindPluginManager(new FakeManager(List.of(echo)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.info(SESSION, "nope"));
        assertEquals("no plugin with id 'nope'; see plugin:list", e.getMessage());
    }

    @Test
    void aPluginsHealthMessageAndAProblemsMessageAreMasked() {
        String secret = "literal-XSECRET-789"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        commands.bindPluginManager(new FakeManager(List.of(openai)) {
            @Override
            public Optional<PluginHealth> health(String id) {
                return Optional.of(new PluginHealth(PluginHealth.Status.DOWN, "HTTP 401 for key " + secret, T));
            }
        });
        String info = commands.info(SESSION, "openai-main");
        assertTrue(info.contains("health.message: HTTP 401 for key " + Secrets.MASK + "\n"), info);
        commands.addReporter(() -> List.of(new Problem("mcp", "memory", "the server wrote: token " + secret, T)),
                service(1));
        String problems = commands.problems(SESSION);
        assertTrue(problems.contains("the server wrote: token " + Secrets.MASK), problems);
        assertFalse(problems.contains(secret), problems);
    }

    @Test
    void infoReportsAHealthCheckThatThrowsOrAPluginThatLeft() {
        FakeManager manager = new FakeManager(List.of(echo)) {
            @Override
            public Optional<PluginHealth> health(String id) {
                throw new IllegalStateException("boom");
            }
        };
        commands.bindPluginManager(manager);
        String out = commands.info(SESSION, "example.echo");
        assertTrue(out.contains("health.status: UNKNOWN\nhealth.message: health check failed: "
                + "java.lang.IllegalStateException: boom"), out);

        commands.bindPluginManager(new FakeManager(List.of(echo)) {
            @Override
            public Optional<PluginHealth> health(String id) {
                return Optional.empty();
            }
        });
        assertTrue(commands.info(SESSION, "example.echo").contains("health.message: plugin 'example.echo' left"));
    }

    @Test
    void gogoCallsWithoutTheirArgumentOrWithAnExtraWordGetAMessageNamingIt() throws Exception {
        commands.bindPluginManager(new FakeManager(List.of(echo, openai)));
        try (GogoConsole gogo = new GogoConsole().with("plugin", commands, "list", "info")) {
            gogo.assertRefused(Map.of(
                    "plugin:info", "plugin:info needs the plugin id: plugin:info <id> (plugin:list lists them)",
                    "plugin:info example.echo openai-main", "plugin:info needs the plugin id: plugin:info <id>"
                            + " (plugin:list lists them); it got 2 separate words",
                    "plugin:list pattern provider", "plugin:list takes at most one kind: plugin:list [kind] (kind:"
                            + " provider, pattern, analyzer, mcp-server); it got 2 separate words"));

            assertTrue(String.valueOf(gogo.execute("plugin:info example.echo")).startsWith("id: example.echo\n"));
            assertTrue(String.valueOf(gogo.execute("plugin:list")).endsWith("\n2 plugins"));
            assertTrue(String.valueOf(gogo.execute("plugin:list pattern")).endsWith("\n1 plugin of kind pattern"));
        }
    }

    // ---- plugin:problems ---------------------------------------------------------------------------------------

    @Test
    void noProblemsSaysSo() {
        commands.bindPluginManager(new FakeManager(List.of()));
        assertEquals("no problems", commands.problems(SESSION));
        commands.addReporter(List::of, service(1));
        assertEquals("no problems", commands.problems(SESSION));
    }

    @Test
    void problemsOfAllReportersAreGroupedBySourceAndDeduplicated() {
        commands.bindPluginManager(new FakeManager(List.of()));
        Problem corrupt = new Problem("deploy", "deploy/x.jar", "not a zip file; replace or delete it", T);
        commands.addReporter(() -> List.of(corrupt,
                new Problem("deploy", "deploy/a.jar", "missing requirement osgi.wiring.package=foo", T)), service(1));
        commands.addReporter(() -> List.of(new Problem("config", "etc/a.cfg.json", "line 1: unexpected '}'", T)),
                service(2));
        commands.addReporter(() -> List.of(corrupt), service(3));
        assertEquals("""
                config (1 problem)
                  SUBJECT         SINCE                 MESSAGE
                  etc/a.cfg.json  2026-11-24T10:15:30Z  line 1: unexpected '}'
                deploy (2 problems)
                  SUBJECT       SINCE                 MESSAGE
                  deploy/a.jar  2026-11-24T10:15:30Z  missing requirement osgi.wiring.package=foo
                  deploy/x.jar  2026-11-24T10:15:30Z  not a zip file; replace or delete it
                3 problems""", commands.problems(SESSION));
    }

    @Test
    void aFailingReporterIsItselfAProblemAndTheOthersStillShow() {
        commands.bindPluginManager(new FakeManager(List.of()));
        commands.addReporter(() -> {
            throw new IllegalStateException("database closed");
        }, service(1));
        commands.addReporter(() -> List.of(new Problem("deploy", "deploy/x.jar", "corrupt", T)), service(2));
        String out = commands.problems(SESSION);
        assertTrue(out.contains("deploy/x.jar"), out);
        assertTrue(out.contains("shell (1 problem)"), out);
        assertTrue(out.contains("problem reporter failed, its problems are not listed: "
                + "java.lang.IllegalStateException: database closed"), out);
        assertTrue(out.endsWith("\n2 problems"), out);
    }

    @Test
    void aRemovedReporterIsNoLongerAsked() {
        commands.bindPluginManager(new FakeManager(List.of()));
        ProblemReporter reporter = () -> List.of(new Problem("deploy", "deploy/x.jar", "corrupt", T));
        commands.addReporter(reporter, service(1));
        commands.removeReporter(service(1));
        assertEquals("no problems", commands.problems(SESSION));
    }

    /** The properties DS hands with a service of this id. */
    private static Map<String, Object> service(long id) {
        return Map.of("service.id", id);
    }

    // ---- without the whiteboard ----------------------------------------------------------------------------------

    @Test
    void withoutTheWhiteboardEveryCommandSaysWhichBundleToStart() {
        for (var command : List.<Runnable>of(() -> commands.list(SESSION), () -> commands.list(SESSION, "pattern"),
                () -> commands.info(SESSION, "example.echo"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, command::run);
            assertTrue(e.getMessage().startsWith("plugin whiteboard not running (bundle io.mcpagent.core)"),
                    e.getMessage());
        }
        String problems = commands.problems(SESSION);
        assertTrue(problems.startsWith("shell (1 problem)"), problems);
        assertTrue(problems.contains("io.mcpagent.core  "), problems);
    }

    @Test
    void withoutTheWhiteboardOfAnActiveCoreTheCommandsSayItsComponentDidNotStart() {
        PluginCommands coreActive = new PluginCommands(TestSessions.framework(Map.of("io.mcpagent.core",
                Bundle.ACTIVE)), TestSessions.admin(), new ShellMasker());
        String didNotStart = TestSessions.componentDidNotStart("the plugin whiteboard", "io.mcpagent.core");
        for (var command : List.<Runnable>of(() -> coreActive.list(SESSION), () -> coreActive.info(SESSION, "x"))) {
            assertEquals(didNotStart, assertThrows(IllegalStateException.class, command::run).getMessage());
        }
        String problems = coreActive.problems(SESSION);
        assertTrue(problems.contains("is active but its component did not start"), problems);
    }

    @Test
    void aGreedyReplacementKeepsTheNewManagerWhenTheOldOneIsUnbound() {
        FakeManager old = new FakeManager(List.of(echo));
        FakeManager replacement = new FakeManager(List.of(openai));
        commands.bindPluginManager(old);
        commands.bindPluginManager(replacement);
        commands.unbindPluginManager(old);
        assertTrue(commands.list(SESSION).contains("openai-main"));
        commands.unbindPluginManager(replacement);
        assertThrows(IllegalStateException.class, () -> commands.list(SESSION));
    }

    /** Answers from a fixed list; health is DEGRADED so that the status and message are visible. */
    private static class FakeManager implements PluginManager {
        private final List<PluginInfo> plugins;

        FakeManager(List<PluginInfo> plugins) {
            this.plugins = plugins;
        }

        @Override
        public List<PluginInfo> list() {
            return plugins;
        }

        @Override
        public List<PluginInfo> list(PluginKind kind) {
            return plugins.stream().filter(p -> p.kind() == kind).toList();
        }

        @Override
        public Optional<PluginInfo> get(String id) {
            return plugins.stream().filter(p -> p.id().equals(id)).findFirst();
        }

        @Override
        public Optional<PluginHealth> health(String id) {
            return get(id).map(p -> new PluginHealth(PluginHealth.Status.DEGRADED, "slow upstream", T));
        }

        @Override
        public <S> Optional<S> service(String id, Class<S> type) {
            return Optional.empty();
        }

        @Override
        public Map<PluginKind, Integer> countsByKind() {
            return new EnumMap<>(PluginKind.class);
        }

        @Override
        public List<Problem> problems() {
            return List.of();
        }
    }
}
