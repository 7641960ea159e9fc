package io.mcpagent.shell.internal;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditRecorder;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.security.Authenticator;
import io.mcpagent.api.security.CredentialRefusedException;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/**
 * Who a Gogo session is and what it may do: the roles of the REST API applied to the command scopes. A session is the
 * console's ({@code consoleRole}, admin by default: the console belongs to whoever started the process) until someone
 * logs in with {@code auth:login <api key or token>}; each command asks for its role first. Administrative commands
 * are written to the audit log with the session's actor. This guards the platform's commands only: Gogo runs its
 * built-ins and reflective calls ({@code $.context}) unchecked and has no hook to refuse them (a
 * {@code CommandSessionListener}'s exception is ignored), so the console is no security boundary (see the README).
 */
@Component(service = ShellSecurity.class, configurationPid = ShellSecurityConfig.PID)
@Designate(ocd = ShellSecurityConfig.class)
public final class ShellSecurity {
    /** Session attribute holding the {@link Principal} of whoever logged in. */
    static final String PRINCIPAL = "mcpagent.principal";
    static final String CONSOLE_ACTOR = "shell:console";
    static final String NO_AUTHENTICATOR = "no authenticator is running (bundle io.mcpagent.http holds the API keys);"
            + " start it (see 'lb -s')";
    private static final Logger LOG = LoggerFactory.getLogger(ShellSecurity.class);

    private final OptionalReference<Authenticator> authenticator;
    private final AuditRecorder audit = new AuditRecorder((entry, why) ->
            LOG.warn("cannot write {} of {} to the audit log: {}", entry.action(), entry.target(), why));
    private final Clock clock;
    /** The console's principal; null when consoleRole is none. */
    private volatile Principal console;

    @Activate
    public ShellSecurity(BundleContext context, ShellSecurityConfig config) {
        this(context, config, Clock.systemUTC());
    }

    ShellSecurity(BundleContext context, ShellSecurityConfig config, Clock clock) {
        this.authenticator = OptionalReference.of(context, "io.mcpagent.http", "the authenticator", NO_AUTHENTICATOR,
                () -> BundleServices.notInstalled(context, "the authenticator", "io.mcpagent.http", "http-admin"));
        this.clock = clock;
        modified(config);
    }

    /**
     * A new consoleRole applies to the next command of every session nobody logged into. A value that is no role locks
     * the console (as {@code none}) rather than failing the component, which would take every command away: the error
     * says what to write, and {@code auth:login} still works meanwhile.
     */
    @Modified
    void modified(ShellSecurityConfig config) {
        String configured = config.consoleRole() == null ? "" : config.consoleRole().strip();
        Optional<Role> role = Role.parse(configured);
        if (role.isEmpty() && !configured.equalsIgnoreCase("none")) {
            LOG.error("consoleRole '{}' in etc/{}.cfg.json is not a role: use {} or none; until it is repaired, sessions"
                    + " must log in with auth:login", configured, ShellSecurityConfig.PID, Role.ids());
        }
        console = role.map(r -> new Principal(CONSOLE_ACTOR, r, null)).orElse(null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAuthenticator")
    void bindAuthenticator(Authenticator service) {
        authenticator.bind(service);
    }

    void unbindAuthenticator(Authenticator service) {
        authenticator.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAudit")
    void bindAudit(AuditLog service, Map<String, Object> properties) {
        audit.bind(service, properties);
    }

    /** Without the log, which DS would ask for again: see {@link AuditRecorder#unbind(Map)}. */
    void unbindAudit(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    /** The session's caller: whoever logged in, else the console's principal (empty when consoleRole is none). */
    Optional<Principal> caller(CommandSession session) {
        Object loggedIn = session == null ? null : session.get(PRINCIPAL);
        return loggedIn instanceof Principal principal ? Optional.of(principal) : Optional.ofNullable(console);
    }

    /**
     * The session's caller if it has {@code required}; else a {@link SecurityException} naming the command, the role
     * it needs and how to get it (the refusal is audited).
     */
    Principal require(CommandSession session, Role required, String command) {
        Optional<Principal> caller = caller(session);
        if (caller.isPresent() && caller.get().role().includes(required)) {
            return caller.get();
        }
        String who = caller.map(p -> "this session is " + p.role().id() + " (" + p.actor() + ")")
                .orElse("nobody is logged into this session");
        record(caller.orElse(null), "shell.denied", command, AuditEntry.DENIED, "needs " + required.id());
        throw new SecurityException(command + " needs the " + required.id() + " role; " + who
                + ". Log in with auth:login <api key> using a key of that role");
    }

    /**
     * Logs {@code credential}'s owner into the session; a {@link SecurityException} when it identifies nobody. Whoever
     * was logged in before is logged out first, also when the login fails, and the failure says so: someone typing a
     * key means to act as another identity, and going on unnoticed as the earlier one (perhaps an admin, on a console
     * left open) is the worse mistake.
     */
    Principal login(CommandSession session, String credential) {
        Optional<Principal> previous = logout(session);
        String presented = credential == null ? "" : credential.strip();
        Optional<Principal> principal;
        try {
            principal = authenticator.require().authenticate(presented);
        } catch (CredentialRefusedException e) {
            // a genuine token whose claims name nobody: why, as the REST API says it (it tells of no other key)
            record(null, "shell.login", null, AuditEntry.DENIED, e.getMessage()
                    + previous.map(p -> "; " + p.actor() + " logged out").orElse(""));
            throw new SecurityException("that token is refused: " + e.getMessage() + loggedOut(previous, session), e);
        } catch (IllegalStateException e) {
            throw previous.isEmpty() ? e : new IllegalStateException(e.getMessage() + loggedOut(previous, session), e);
        }
        if (principal.isEmpty()) {
            record(null, "shell.login", null, AuditEntry.DENIED, "unknown, revoked or expired credential"
                    + previous.map(p -> "; " + p.actor() + " logged out").orElse(""));
            throw new SecurityException("that key or token is unknown, revoked or expired" + loggedOut(previous,
                    session));
        }
        session.put(PRINCIPAL, principal.get());
        record(principal.get(), "shell.login", null, AuditEntry.SUCCEEDED, null);
        return principal.get();
    }

    /** What a failed login says about the identity it ended: nothing when nobody was logged in. */
    private String loggedOut(Optional<Principal> previous, CommandSession session) {
        return previous.map(p -> "; " + p.actor() + " was logged out, this session is now " + describeSession(session))
                .orElse("");
    }

    /** Who the session acts as now, for the commands' answers. */
    String describeSession(CommandSession session) {
        return caller(session).map(ShellSecurity::describe).orElse("nobody (consoleRole is none): auth:login first");
    }

    static String describe(Principal principal) {
        String tenant = principal.ownTenant();
        return principal.actor() + ", role " + principal.role().id() + ", " + (tenant == null
                ? "every tenant (its tasks run for '" + principal.tenant() + "' unless they name one)"
                : "tenant " + tenant);
    }

    /** Back to the console's principal; the previous caller, if someone was logged in. */
    Optional<Principal> logout(CommandSession session) {
        Object previous = session.get(PRINCIPAL);
        session.put(PRINCIPAL, null);
        return previous instanceof Principal principal ? Optional.of(principal) : Optional.empty();
    }

    /**
     * Writes an administrative action to the audit log, held while it is away (the history restarting). A log that
     * cannot be written is logged, never thrown: the action itself already happened (or was refused).
     */
    void record(Principal caller, String action, String target, String outcome, String detail) {
        audit.record(new AuditEntry(clock.instant(), caller == null ? "shell:anonymous" : caller.actor(),
                caller == null ? null : caller.role().id(), caller == null ? null : caller.ownTenant(), action, target,
                outcome, detail));
    }
}
