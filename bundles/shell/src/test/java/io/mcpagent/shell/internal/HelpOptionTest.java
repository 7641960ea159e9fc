package io.mcpagent.shell.internal;

import static org.mockito.Mockito.mock;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/**
 * {@code --help} after a command answers with its usage, whatever else is given: taken as an argument it was looked
 * up as an id ({@code mcp:uninstall --help} looked for a server '--help'), or refused as an unknown option.
 */
class HelpOptionTest {
    @Test
    void helpIsAnsweredWithTheUsageByCommandsWithAnArgumentOptionsOrNone() throws Exception {
        ShellSecurity security = TestSessions.admin();
        BundleContext context = mock(BundleContext.class);
        try (GogoConsole gogo = new GogoConsole()
                .with("mcp", new McpCommands(context, security, new ShellMasker()), "servers", "uninstall")
                .with("apikey", new ApiKeyCommands(context, security), "create", "revoke")) {
            gogo.assertRefused(Map.of(
                    "mcp:uninstall --help", "usage: mcp:uninstall <id> (mcp:servers lists them); help mcp:uninstall"
                            + " describes its arguments",
                    "mcp:servers --help", "usage: mcp:servers; help mcp:servers describes its arguments",
                    "apikey:revoke --help", "usage: apikey:revoke <id> (apikey:list lists them); help apikey:revoke"
                            + " describes its arguments",
                    "apikey:create operator --help", "usage: apikey:create [--tenant <t>] <role> [\"<name>\"] (role:"
                            + " viewer, operator or admin); help apikey:create describes its arguments"));
        }
    }
}
