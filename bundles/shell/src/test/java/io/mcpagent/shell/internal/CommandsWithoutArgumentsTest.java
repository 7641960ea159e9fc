package io.mcpagent.shell.internal;

import static org.mockito.Mockito.mock;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/**
 * The commands that take no arguments name themselves when given some, as the others do (CommandArguments), instead of
 * Gogo's {@code Cannot coerce providers(Token) to any of [(CommandSession)]}; the words are not repeated.
 */
class CommandsWithoutArgumentsTest {
    @Test
    void anExtraWordIsNamedWithTheCommand() throws Exception {
        ShellSecurity security = TestSessions.admin();
        BundleContext context = mock(BundleContext.class);
        try (GogoConsole gogo = new GogoConsole()
                .with("llm", new LlmCommands(context, security, new ShellMasker()), "providers")
                .with("mcp", new McpCommands(context, security, new ShellMasker()), "servers", "catalog", "health")
                .with("plugin", new PluginCommands(context, security, new ShellMasker()), "problems")
                .with("apikey", new ApiKeyCommands(context, security), "list")
                .with("auth", new AuthCommands(security), "logout", "whoami")) {
            gogo.assertRefused(Map.of(
                    "llm:providers extra", "llm:providers takes no arguments: llm:providers; it got 1 word",
                    "mcp:servers a b", "mcp:servers takes no arguments: mcp:servers; it got 2 words",
                    "mcp:catalog x", "mcp:catalog takes no arguments: mcp:catalog; it got 1 word",
                    "mcp:health x", "mcp:health takes no arguments: mcp:health; it got 1 word",
                    "plugin:problems x", "plugin:problems takes no arguments: plugin:problems; it got 1 word",
                    "apikey:list mcpa_k1_secret", "apikey:list takes no arguments: apikey:list; it got 1 word",
                    "auth:logout x", "auth:logout takes no arguments: auth:logout; it got 1 word",
                    "auth:whoami x", "auth:whoami takes no arguments: auth:whoami; it got 1 word"));
        }
    }
}
