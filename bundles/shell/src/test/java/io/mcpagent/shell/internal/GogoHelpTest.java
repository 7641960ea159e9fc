package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.gogo.command.Basic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What Gogo's own {@code help <command>} (felix:help) shows for the commands that read their own options: each option
 * the command takes on a line of its own, with what it means.
 */
class GogoHelpTest {
    /** An option at the start of a line of help, its value's name, then at least one word saying what it does. */
    private static final Pattern OPTION_LINE = Pattern.compile("(?m)^ +(--[a-z-]+)\\b.*? {2,}\\S.*$");
    private static final Pattern KNOWN_OPTIONS = Pattern.compile("; the options: (.*)$");

    @ParameterizedTest
    @CsvSource({
            "mcp, call, memory read_graph",
            "llm, chat, openai \"Say hello\"",
            "apikey, create, operator",
            "agent, plan, \"write a haiku\"",
            "agent, execute, \"write a haiku\"",
            "agent, history, 5"})
    void helpListsEveryOptionTheCommandReadsWithItsMeaning(String scope, String function, String arguments)
            throws Exception {
        Object commands = commands(scope);
        String help = help(scope, function, commands);

        List<String> listed = OPTION_LINE.matcher(help).results().map(option -> option.group(1)).sorted().toList();
        assertEquals(optionsRead(scope, function, arguments, commands), listed, help);
    }

    private static Object commands(String scope) {
        ShellSecurity security = TestSessions.admin();
        return switch (scope) {
            case "mcp" -> new McpCommands(mock(BundleContext.class), security, new ShellMasker());
            case "llm" -> new LlmCommands(mock(BundleContext.class), security, new ShellMasker());
            case "apikey" -> new ApiKeyCommands(mock(BundleContext.class), security);
            case "agent" -> new AgentCommands(mock(BundleContext.class), security, new ShellMasker());
            default -> throw new IllegalArgumentException(scope);
        };
    }

    /** The help text Gogo's help command gives for the command, found as the runtime finds it: a command service. */
    private static String help(String scope, String function, Object commands) throws Exception {
        BundleContext context = mock(BundleContext.class);
        ServiceReference<?> reference = mock(ServiceReference.class);
        when(reference.getProperty("osgi.command.scope")).thenReturn(scope);
        when(reference.getProperty("osgi.command.function")).thenReturn(new String[] {function});
        when(context.getAllServiceReferences(null, "(osgi.command.scope=*)"))
                .thenReturn(new ServiceReference<?>[] {reference});
        doReturn(commands).when(context).getService(reference);
        return new Basic(context).help(scope + ":" + function);
    }

    /** The options the command reads, as its message for an unknown option names them. */
    private static List<String> optionsRead(String scope, String function, String arguments, Object commands)
            throws Exception {
        try (GogoConsole gogo = new GogoConsole().with(scope, commands, function)) {
            String refusal = assertThrows(IllegalArgumentException.class,
                    () -> gogo.execute(scope + ":" + function + " --no-such-option " + arguments)).getMessage();
            Matcher known = KNOWN_OPTIONS.matcher(refusal);
            if (!known.find()) {
                throw new AssertionError("no list of options in: " + refusal);
            }
            return List.of(known.group(1).split(", ")).stream().sorted().toList();
        }
    }
}
