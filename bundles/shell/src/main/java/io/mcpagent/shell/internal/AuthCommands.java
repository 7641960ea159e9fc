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


/**
 * The {@code auth:} Gogo commands: who this session is, logging in with an API key or token, logging out. Without
 * the key, {@code auth:login} asks for it without echo ({@link SecretPrompt}): a key typed on the command line shows
 * on the screen and stays in the terminal's scrollback. The key is taken as a list and checked by
 * {@link CommandArguments}, so extra words are named with the usage instead of Gogo's {@code Cannot coerce ...}; the
 * message never repeats what was typed.
 */
@Component(service = AuthCommands.class)
@GogoCommand(scope = "auth", function = {"login", "logout", "whoami"})
public final class AuthCommands {
    private static final String LOGIN = "auth:login <api key> (an admin creates one with apikey:create)";

    private final ShellSecurity security;
    private final SecretPrompt prompt;

    @Activate
    public AuthCommands(@Reference ShellSecurity security) {
        this(security, SecretPrompt.processConsole());
    }

    AuthCommands(ShellSecurity security, SecretPrompt prompt) {
        this.security = security;
        this.prompt = prompt;
    }

    @Descriptor("act with the role and tenant of an API key (or bearer token) in this session; whoever was logged in"
            + " is logged out first, also when the key is refused")
    public String login(CommandSession session,
                        @Descriptor("the key, as apikey:create printed it. Left out, it is asked for without echo on"
                                + " the process's terminal: the safe way. Given here, it shows on the screen and"
                                + " stays in the terminal's scrollback") String... credential) {
        String key = credential.length == 0 ? typedKey(session) : argument(credential, "the API key", LOGIN);
        return "logged in: " + ShellSecurity.describe(security.login(session, key));
    }

    /** The key typed at a prompt without echo; an error saying how else to log in when the session cannot ask. */
    private String typedKey(CommandSession session) {
        try {
            return prompt.read(session, "API key (not shown): ");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("auth:login without the key asks for it without echo, but " + e.getMessage()
                    + "; give the key as the argument instead, " + LOGIN + ", knowing that the console keeps that"
                    + " line in its history", e);
        }
    }

    @Descriptor("stop acting with the key logged in; the session is the console's again")
    public String logout(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        noArguments(none, "auth:logout");
        String previous = security.logout(session).map(p -> "logged out " + p.actor()).orElse("nobody was logged in");
        return previous + "; this session is now " + security.describeSession(session);
    }

    @Descriptor("who this session acts as: actor, role and tenant")
    public String whoami(CommandSession session, @Descriptor(NO_ARGUMENTS) String... none) {
        noArguments(none, "auth:whoami");
        return security.caller(session).map(ShellSecurity::describe)
                .orElse("nobody is logged in and consoleRole is none: auth:login <api key>");
    }
}
