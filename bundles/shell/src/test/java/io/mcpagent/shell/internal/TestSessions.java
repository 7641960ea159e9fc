package io.mcpagent.shell.internal;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;

/** Gogo sessions and shell security for command tests. */
final class TestSessions {
    private TestSessions() {
    }

    /** The shell's security with {@code consoleRole} ({@code admin}, ..., or {@code none}). */
    static ShellSecurity security(String consoleRole) {
        return new ShellSecurity(new ShellSecurityConfig() {
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

    /** A session whose attributes are kept, as Gogo's are. */
    static CommandSession session() {
        Map<String, Object> attributes = new HashMap<>();
        CommandSession session = mock(CommandSession.class);
        when(session.get(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1))).when(session).put(anyString(), any());
        return session;
    }
}
