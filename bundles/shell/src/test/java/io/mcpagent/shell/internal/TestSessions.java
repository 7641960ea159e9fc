package io.mcpagent.shell.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Gogo sessions and shell security for command tests. */
final class TestSessions {
    private TestSessions() {
    }

    /**
     * The context of a framework holding only these bundles, by symbolic name, in these states
     * ({@link Bundle#ACTIVE}...).
     */
    static BundleContext framework(Map<String, Integer> stateBySymbolicName) {
        List<Bundle> bundles = new ArrayList<>();
        stateBySymbolicName.forEach((symbolicName, state) -> {
            Bundle bundle = mock(Bundle.class);
            when(bundle.getSymbolicName()).thenReturn(symbolicName);
            when(bundle.getState()).thenReturn(state);
            bundles.add(bundle);
        });
        BundleContext context = mock(BundleContext.class);
        when(context.getBundles()).thenReturn(bundles.toArray(Bundle[]::new));
        return context;
    }

    /** What a command says when {@code what} of the active bundle {@code bundle} is missing. */
    static String componentDidNotStart(String what, String bundle) {
        return what + " is not available: bundle " + bundle + " is active but its component did not start; see"
                + " data/log/mcp-agent.log and the problems in /api/v1/status (or plugin:problems)";
    }

    /** The shell's security with {@code consoleRole} ({@code admin}, ..., or {@code none}), no other bundle installed. */
    static ShellSecurity security(String consoleRole) {
        return security(framework(Map.of()), consoleRole);
    }

    /** The shell's security with {@code consoleRole} in the framework of {@code context}. */
    static ShellSecurity security(BundleContext context, String consoleRole) {
        return new ShellSecurity(context, new ShellSecurityConfig() {
            @Override
            public String consoleRole() {
                return consoleRole;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ShellSecurityConfig.class;
            }
        });
    }

    /** The default: the console is admin. */
    static ShellSecurity admin() {
        return security("admin");
    }

    /** A session whose attributes are kept, as Gogo's are, with a console that prints nowhere. */
    static CommandSession session() {
        return session(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** A session whose attributes are kept, printing on {@code console}. */
    static CommandSession session(PrintStream console) {
        Map<String, Object> attributes = new HashMap<>();
        CommandSession session = mock(CommandSession.class);
        when(session.getConsole()).thenReturn(console);
        when(session.get(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1))).when(session).put(anyString(), any());
        return session;
    }
}
