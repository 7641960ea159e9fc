package io.mcpagent.shell.internal;

import static io.mcpagent.shell.internal.CommandArguments.NO_ARGUMENTS;
import static io.mcpagent.shell.internal.CommandArguments.argument;
import static io.mcpagent.shell.internal.CommandArguments.noArguments;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mcpagent.api.security.Principal;

/**
 * The {@code auth:} Gogo commands: who this session is, logging in with an API key or token, logging out. The key is
 * taken as a list and checked by {@link CommandArguments}, so a missing key is named with the usage instead of Gogo's
 * {@code Cannot coerce ...}; the message never repeats what was typed.
 */
@Component(service = AuthCommands.class)
@GogoCommand(scope = "auth", function = {"login", "logout", "whoami"})
public final class AuthCommands {
    private static final String LOGIN = "auth:login <api key> (an admin creates one with apikey:create)";

    private final ShellSecurity security;

    @Activate
    public AuthCommands(@Reference ShellSecurity security) {
        this.security = security;
    }

    @Descriptor("act with the role and tenant of an API key (or bearer token) in this session")
    public String login(CommandSession session,
                        @Descriptor("the key, as apikey:create printed it") String... credential) {
        return "logged in: " + describe(security.login(session, argument(credential, "the API key", LOGIN)));
    }

    @Descriptor("stop acting with the key logged in; the session is the console's again")
    public String logout(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        noArguments(none, "auth:logout");
        String previous = security.logout(session).map(p -> "logged out " + p.actor()).orElse("nobody was logged in");
        return previous + "; this session is now " + security.caller(session).map(AuthCommands::describe)
                .orElse("nobody (consoleRole is none): auth:login first");
    }

    @Descriptor("who this session acts as: actor, role and tenant")
    public String whoami(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        noArguments(none, "auth:whoami");
        return security.caller(session).map(AuthCommands::describe)
                .orElse("nobody is logged in and consoleRole is none: auth:login <api key>");
    }

    private static String describe(Principal principal) {
        return principal.actor() + ", role " + principal.role().id() + ", tenant " + principal.tenant();
    }
}
