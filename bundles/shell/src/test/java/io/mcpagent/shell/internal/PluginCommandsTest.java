package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;

class PluginCommandsTest {
    private final PluginInfo echo = new PluginInfo("example.echo", PluginKind.PATTERN, "1.0.0", "Echo", "Echoes",
            "io.mcpagent.example.pattern.echo", "0.1.0", 42, 7, Map.of("mcpagent.plugin.id", "example.echo"));
    private final PluginInfo openai = new PluginInfo("openai-main", PluginKind.PROVIDER, "1.0.0", "OpenAI", "",
            "io.mcpagent.provider.openai", "0.1.0", 43, 8, Map.of());
    private final PluginCommands commands = new PluginCommands();

    PluginCommandsTest() {
        commands.bindPlugins(new FakeManager(List.of(openai, echo)));
    }

    @Test
    void listShowsAnAlignedTableAndACount() {
        String out = commands.list();
        String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("ID") && lines[0].contains("KIND"), out);
        assertTrue(lines[1].startsWith("openai-main") && lines[2].startsWith("example.echo"), out);
        assertEquals(lines[1].indexOf("provider"), lines[2].indexOf("pattern"), "columns align:\n" + out);
        assertEquals("2 plugins", lines[3]);
    }

    @Test
    void listFiltersByKindAndNamesTheValidKindsOnAMistake() {
        String patterns = commands.list("pattern");
        assertTrue(patterns.contains("example.echo") && !patterns.contains("openai-main"), patterns);
        assertTrue(patterns.endsWith("1 plugin of kind pattern"), patterns);
        assertTrue(commands.list("MCP_SERVER").endsWith("0 plugins of kind mcp-server"));
        String wrong = commands.list("gadget");
        assertTrue(wrong.contains("'gadget'") && wrong.contains("provider, pattern, analyzer, mcp-server"), wrong);
    }

    @Test
    void infoShowsFieldsHealthAndProperties() {
        String out = commands.info("example.echo");
        assertTrue(out.contains("id: example.echo"), out);
        assertTrue(out.contains("kind: pattern"), out);
        assertTrue(out.contains("bundle: io.mcpagent.example.pattern.echo 0.1.0 (id 42)"), out);
        assertTrue(out.contains("health: DEGRADED: slow"), out);
        assertTrue(out.contains("mcpagent.plugin.id: example.echo"), out);
        assertEquals("no plugin with id 'nope'; see plugin:list", commands.info("nope"));
    }

    @Test
    void problemsAreGroupedBySource() {
        assertEquals("no problems", commands.problems());
        commands.addReporter(() -> List.of(new Problem("deploy", "deploy/x.jar", "corrupt jar", Instant.EPOCH)));
        commands.addReporter(() -> List.of(new Problem("config", "a.cfg.json", "line 1", Instant.EPOCH)));
        String out = commands.problems();
        assertTrue(out.startsWith("config:\n  a.cfg.json: line 1"), out);
        assertTrue(out.contains("deploy:\n  deploy/x.jar: corrupt jar"), out);
        assertTrue(out.endsWith("2 problems"), out);
    }

    @Test
    void saysWhatToDoWhenTheWhiteboardIsGone() {
        commands.unbindPlugins(commands.plugins());
        assertEquals(PluginCommands.NOT_RUNNING, commands.list());
        assertEquals(PluginCommands.NOT_RUNNING, commands.info("x"));
    }

    @Test
    void textTableRejectsRowsOfTheWrongWidth() {
        TextTable table = new TextTable("A", "B");
        assertEquals("A  B\nx  y\n", table.row("x", "y").toString());
        try {
            table.row("only one");
            throw new AssertionError("expected a rejection");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("expected 2"));
        }
    }

    private record FakeManager(List<PluginInfo> plugins) implements PluginManager {
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
            return get(id).map(p -> PluginHealth.degraded("slow"));
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
