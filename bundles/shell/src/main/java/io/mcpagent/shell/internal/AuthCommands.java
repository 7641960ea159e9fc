package io.mcpagent.shell.internal;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mcpagent.api.security.Principal;

/** The {@code auth:} Gogo commands: who this session is, logging in with an API key or token, logging out. */
@Component(service = AuthCommands.class)
@GogoCommand(scope = "auth", function = {"login", "logout", "whoami"})
public final class AuthCommands {
    private final ShellSecurity security;

    @Activate
    public AuthCommands(@Reference ShellSecurity security) {
        this.security = security;
    }

    @Descriptor("act with the role and tenant of an API key (or bearer token) in this session")
    public String login(CommandSession session, @Descriptor("the key, as apikey:create printed it") String credential) {
        return "logged in: " + describe(security.login(session, credential));
    }

    @Descriptor("stop acting with the key logged in; the session is the console's again")
    public String logout(CommandSession session) {
        String previous = security.logout(session).map(p -> "logged out " + p.actor()).orElse("nobody was logged in");
        return previous + "; this session is now " + security.caller(session).map(AuthCommands::describe)
                .orElse("nobody (consoleRole is none): auth:login first");
    }

    @Descriptor("who this session acts as: actor, role and tenant")
    public String whoami(CommandSession session) {
        return security.caller(session).map(AuthCommands::describe)
                .orElse("nobody is logged in and consoleRole is none: auth:login <api key>");
    }

    private static String describe(Principal principal) {
        return principal.actor() + ", role " + principal.role().id() + ", tenant " + principal.tenant();
    }
}
