package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.Bundle;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.security.Authenticator;
import io.mcpagent.api.security.CredentialRefusedException;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionStatus;

/** The roles applied to the command scopes: consoleRole, auth:login, refusals, tenants, the audit log. */
class ShellSecurityTest {
    /** What the shell says of the authenticator in a runtime built without the HTTP admin. */
    private static final String AUTHENTICATOR_NOT_INSTALLED = BundleServices.notInstalled("the authenticator",
            "io.mcpagent.http", "http-admin");
    private static final String VIEWER_KEY = "mcpa_v_secret";
    private static final String OPERATOR_KEY = "mcpa_o_secret";
    private static final String ADMIN_KEY = "mcpa_a_secret";
    /** A validly signed token whose claims name nobody, and what the REST API answers it. */
    private static final String ADMIN_TOKEN_WITH_TENANT = "eyJ.admin-with-tenant.sig";
    private static final String TENANT_REFUSED = "the token's claim 'tenant' is refused with the role admin: an admin"
            + " reads and cancels every tenant's executions and manages every key, so a tenant would restrict nothing";

    /** Every guarded command, the role it needs, and how to call it (arguments that fail after the check). */
    private record Guarded(String name, Role role, Consumer<CommandSession> call) {
    }

    private final Authenticator keys = credential -> Optional.ofNullable(switch (credential) {
        case VIEWER_KEY -> new Principal("key:v (reader)", Role.VIEWER, "acme");
        case OPERATOR_KEY -> new Principal("key:o (runner)", Role.OPERATOR, "acme");
        case ADMIN_KEY -> new Principal("key:a (boss)", Role.ADMIN, null);
        case ADMIN_TOKEN_WITH_TENANT -> throw new CredentialRefusedException(TENANT_REFUSED);
        default -> null;
    });
    private final List<AuditEntry> audited = new CopyOnWriteArrayList<>();
    private final AuditLog audit = new AuditLog() {
        @Override
        public void record(AuditEntry entry) {
            audited.add(entry);
        }

        @Override
        public List<AuditEntry> query(AuditQuery query) {
            return audited;
        }

        @Override
        public long count(AuditQuery query) {
            return audited.size();
        }
    };

    private ShellSecurity security(String consoleRole) {
        ShellSecurity security = TestSessions.security(consoleRole);
        security.bindAuthenticator(keys);
        security.bindAudit(audit, Map.of("service.id", 1L));
        return security;
    }

    private static List<Guarded> guarded(ShellSecurity security) {
        PluginCommands plugin = new PluginCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        McpCommands mcp = new McpCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        LlmCommands llm = new LlmCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        AgentCommands agent = new AgentCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        return List.of(
                new Guarded("plugin:list", Role.VIEWER, plugin::list),
                new Guarded("plugin:info", Role.VIEWER, s -> plugin.info(s, "x")),
                new Guarded("plugin:problems", Role.VIEWER, plugin::problems),
                new Guarded("mcp:servers", Role.VIEWER, mcp::servers),
                new Guarded("mcp:tools", Role.VIEWER, mcp::tools),
                new Guarded("mcp:call", Role.OPERATOR, s -> mcp.call(s, "fs", "read")),
                new Guarded("mcp:catalog", Role.VIEWER, mcp::catalog),
                new Guarded("mcp:recommend", Role.VIEWER, s -> mcp.recommend(s, "read files")),
                new Guarded("mcp:install", Role.ADMIN, s -> mcp.install(s, "memory")),
                new Guarded("mcp:uninstall", Role.ADMIN, s -> mcp.uninstall(s, "memory")),
                new Guarded("mcp:health", Role.VIEWER, mcp::health),
                new Guarded("llm:providers", Role.VIEWER, llm::providers),
                new Guarded("llm:models", Role.VIEWER, llm::models),
                new Guarded("llm:chat", Role.OPERATOR, s -> llm.chat(s, "openai", "hi")),
                new Guarded("llm:usage", Role.VIEWER, llm::usage),
                new Guarded("agent:analyze", Role.OPERATOR, s -> agent.analyze(s, "task")),
                new Guarded("agent:plan", Role.OPERATOR, s -> agent.plan(s, "task")),
                new Guarded("agent:execute", Role.OPERATOR, s -> {
                    try {
                        agent.execute(s, "--async", "task");
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }),
                new Guarded("agent:history", Role.VIEWER, s -> agent.history(s, "5")),
                new Guarded("agent:show", Role.VIEWER, s -> agent.show(s, "e-1")),
                new Guarded("agent:cancel", Role.OPERATOR, s -> agent.cancel(s, "e-1")));
    }

    /** Whether the call got past the role check: any failure but a SecurityException means it did. */
    private static boolean allowed(Guarded command, CommandSession session) {
        try {
            command.call().accept(session);
            return true;
        } catch (SecurityException refused) {
            assertTrue(refused.getMessage().startsWith(command.name() + " needs the " + command.role().id()
                    + " role"), refused.getMessage());
            return false;
        } catch (RuntimeException otherwise) {
            return true; // the services are not running here: past the check
        }
    }

    @Test
    void everyCommandAsksForItsRoleWhateverTheSessionIs() {
        for (String consoleRole : List.of("none", "viewer", "operator", "admin")) {
            ShellSecurity security = security(consoleRole);
            Optional<Role> console = Role.parse(consoleRole);
            for (Guarded command : guarded(security)) {
                assertEquals(console.isPresent() && console.get().includes(command.role()),
                        allowed(command, TestSessions.session()), command.name() + " with consoleRole " + consoleRole);
            }
            for (String key : List.of(VIEWER_KEY, OPERATOR_KEY, ADMIN_KEY)) {
                CommandSession session = TestSessions.session();
                Role role = security.login(session, key).role();
                for (Guarded command : guarded(security)) {
                    assertEquals(role.includes(command.role()), allowed(command, session),
                            command.name() + " logged in as " + role.id() + ", consoleRole " + consoleRole);
                }
            }
        }
    }

    @Test
    void aRefusalSaysWhatIsNeededAndHowAndIsAudited() {
        ShellSecurity security = security("viewer");
        McpCommands mcp = new McpCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        SecurityException refused = assertThrows(SecurityException.class,
                () -> mcp.install(TestSessions.session(), "memory"));
        assertEquals("mcp:install needs the admin role; this session is viewer (shell:console). Log in with"
                + " auth:login <api key> using a key of that role", refused.getMessage());
        assertEquals(1, audited.size());
        AuditEntry entry = audited.get(0);
        assertEquals("shell:console", entry.actor());
        assertEquals("shell.denied", entry.action());
        assertEquals("mcp:install", entry.target());
        assertEquals(AuditEntry.DENIED, entry.outcome());
    }

    /** The history restarts for a change of its configuration: its audit log is unbound, then bound again. */
    @Test
    void aRefusalWhileTheAuditLogRestartsIsAuditedWhenItIsBack() {
        ShellSecurity security = security("viewer");
        security.unbindAudit(Map.of("service.id", 1L));
        McpCommands mcp = new McpCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        assertThrows(SecurityException.class, () -> mcp.install(TestSessions.session(), "memory"));
        assertEquals(List.of(), audited, "no log is bound");

        security.bindAudit(audit, Map.of("service.id", 1L));
        assertEquals(List.of("shell.denied mcp:install"), audited.stream().map(e -> e.action() + " " + e.target())
                .toList());
    }

    @Test
    void loginLogoutAndWhoami() {
        ShellSecurity security = security("none");
        AuthCommands auth = new AuthCommands(security);
        CommandSession session = TestSessions.session();
        assertEquals("nobody is logged in and consoleRole is none: auth:login <api key>", auth.whoami(session));
        SecurityException unknown = assertThrows(SecurityException.class, () -> auth.login(session, "mcpa_nope"));
        assertEquals("that key or token is unknown, revoked or expired", unknown.getMessage());
        assertEquals("logged in: key:o (runner), role operator, tenant acme", auth.login(session, " " + OPERATOR_KEY));
        assertEquals("key:o (runner), role operator, tenant acme", auth.whoami(session));
        assertEquals("logged out key:o (runner); this session is now nobody (consoleRole is none): auth:login first",
                auth.logout(session));
        assertEquals(List.of(AuditEntry.DENIED, AuditEntry.SUCCEEDED), audited.stream().map(AuditEntry::outcome)
                .toList());
        assertTrue(audited.stream().noneMatch(e -> String.valueOf(e.detail()).contains("mcpa_")), "no key is logged");
    }

    /** As apikey:list names the key: an admin belongs to no tenant; its tasks still run for the default one. */
    @Test
    void anAdminIsShownActingForEveryTenant() {
        AuthCommands auth = new AuthCommands(security("none"));
        CommandSession session = TestSessions.session();
        assertEquals("logged in: key:a (boss), role admin, every tenant (its tasks run for 'default' unless they name"
                + " one)", auth.login(session, ADMIN_KEY));
        assertEquals("key:a (boss), role admin, every tenant (its tasks run for 'default' unless they name one)",
                auth.whoami(session));
    }

    @Test
    void aGenuineTokenRefusedForItsClaimsIsToldWhyAsOverRest() {
        ShellSecurity security = security("viewer");
        AuthCommands auth = new AuthCommands(security);
        CommandSession session = TestSessions.session();
        auth.login(session, ADMIN_KEY);

        SecurityException refused = assertThrows(SecurityException.class,
                () -> auth.login(session, ADMIN_TOKEN_WITH_TENANT));

        assertEquals("that token is refused: " + TENANT_REFUSED + "; key:a (boss) was logged out, this session is now"
                + " shell:console, role viewer, tenant default", refused.getMessage());
        AuditEntry denied = audited.get(audited.size() - 1);
        assertEquals("shell.login " + AuditEntry.DENIED + " " + TENANT_REFUSED + "; key:a (boss) logged out",
                denied.action() + " " + denied.outcome() + " " + denied.detail());
    }

    @Test
    void aFailedLoginLogsTheEarlierIdentityOutAndSaysSo() {
        ShellSecurity security = security("viewer");
        AuthCommands auth = new AuthCommands(security);
        CommandSession session = TestSessions.session();
        auth.login(session, ADMIN_KEY);

        SecurityException refused = assertThrows(SecurityException.class, () -> auth.login(session, "mcpa_typo"));
        assertEquals("that key or token is unknown, revoked or expired; key:a (boss) was logged out, this session is"
                + " now shell:console, role viewer, tenant default", refused.getMessage());
        assertEquals("shell:console, role viewer, tenant default", auth.whoami(session));
        AuditEntry denied = audited.get(audited.size() - 1);
        assertEquals("shell.login " + AuditEntry.DENIED + " unknown, revoked or expired credential; key:a (boss) logged"
                + " out", denied.action() + " " + denied.outcome() + " " + denied.detail());

        auth.login(session, OPERATOR_KEY);
        security.unbindAuthenticator(keys);
        IllegalStateException unchecked = assertThrows(IllegalStateException.class,
                () -> auth.login(session, ADMIN_KEY));
        assertEquals(AUTHENTICATOR_NOT_INSTALLED + "; key:o (runner) was logged out, this session is now"
                + " shell:console, role viewer, tenant default", unchecked.getMessage());
        assertEquals("shell:console, role viewer, tenant default", auth.whoami(session));
    }

    @Test
    void loginWithoutTheKeyAsksForItSoThatItIsNotInTheCommandLine() throws Exception {
        ShellSecurity security = security("none");
        List<String> prompts = new CopyOnWriteArrayList<>();
        AuthCommands auth = new AuthCommands(security, (session, prompt) -> {
            prompts.add(prompt);
            return OPERATOR_KEY;
        });
        try (GogoConsole gogo = new GogoConsole().with("auth", auth, "login", "whoami")) {
            assertEquals("logged in: key:o (runner), role operator, tenant acme", gogo.execute("auth:login"));
            assertEquals(List.of("API key (not shown): "), prompts);
            assertEquals("key:o (runner), role operator, tenant acme", gogo.execute("auth:whoami"));
        }
        AuthCommands ended = new AuthCommands(security, (session, prompt) -> {
            throw new IllegalStateException("the input ended before a key was typed");
        });
        assertTrue(assertThrows(IllegalStateException.class, () -> ended.login(TestSessions.session())).getMessage()
                .startsWith("auth:login without the key asks for it without echo, but the input ended before a key"
                        + " was typed; give the key as the argument instead"));
    }

    @Test
    void onlyTheSessionOnTheProcesssStandardInputIsAskedOnTheProcesssTerminal() {
        CommandSession console = mock(CommandSession.class);
        // as gogo.shell opens it; never closed, which would close the process's standard input
        when(console.getKeyboard()).thenReturn(new FileInputStream(FileDescriptor.in));
        assertTrue(SecretPrompt.readsStandardInput(console), "gogo.shell's console session reads fd 0");
        CommandSession remote = mock(CommandSession.class);
        when(remote.getKeyboard()).thenReturn(new ByteArrayInputStream(new byte[0]));
        assertFalse(SecretPrompt.readsStandardInput(remote), "a remote shell's session reads its socket");
        assertThrows(IllegalStateException.class, () -> SecretPrompt.processConsole().read(remote, "key: "),
                "never the process's terminal for another session");
    }

    @Test
    void withoutTheKeyHolderLoginSaysWhichBundleToStart() {
        ShellSecurity security = TestSessions.security(TestSessions.framework(Map.of("io.mcpagent.http",
                Bundle.RESOLVED)), "admin");
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> security.login(TestSessions.session(), ADMIN_KEY));
        assertEquals(ShellSecurity.NO_AUTHENTICATOR, missing.getMessage());
    }

    /** A runtime built without the HTTP admin: no start can help, so none is suggested, as the REST API's 503. */
    @Test
    void inARuntimeBuiltWithoutTheHttpAdminLoginSaysSo() {
        ShellSecurity security = TestSessions.security("admin");
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> security.login(TestSessions.session(), ADMIN_KEY));
        assertEquals("the authenticator is not installed (bundle io.mcpagent.http): this runtime was built without the"
                + " feature http-admin (features/http-admin.json)", missing.getMessage());
    }

    @Test
    void whenTheKeyHoldersBundleIsActiveLoginSaysItsComponentDidNotStartNotToStartIt() {
        ShellSecurity security = TestSessions.security(TestSessions.framework(Map.of("io.mcpagent.http",
                Bundle.ACTIVE)), "admin");
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> security.login(TestSessions.session(), ADMIN_KEY));
        assertEquals("the authenticator is not available: bundle io.mcpagent.http is active but its component did not"
                + " start; see data/log/mcp-agent.log and the problems in /api/v1/status (or plugin:problems)",
                missing.getMessage());
    }

    @Test
    void anUnknownConsoleRoleLocksTheConsoleAndLoginStillWorks() {
        ShellSecurity security = security("root");
        CommandSession session = TestSessions.session();
        assertTrue(security.caller(session).isEmpty(), "a console role that is no role grants nothing");
        PluginCommands plugin = new PluginCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        assertThrows(SecurityException.class, () -> plugin.list(session));
        security.login(session, VIEWER_KEY);
        assertThrows(IllegalStateException.class, () -> plugin.list(session),
                "past the role check once logged in (the whiteboard is not running here)");
    }

    @Test
    void executionsAreSeenAndCancelledWithinTheCallersTenantOnly() {
        ShellSecurity security = security("none");
        AgentCommands agent = new AgentCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        ExecutionHistory history = mock(ExecutionHistory.class);
        AutonomousOrchestrator orchestrator = mock(AutonomousOrchestrator.class);
        agent.bindHistory(history, Map.of("service.id", 1L));
        agent.bindOrchestrator(orchestrator);
        when(history.find("theirs")).thenReturn(Optional.of(record("theirs", "globex")));
        when(history.find("ours")).thenReturn(Optional.of(record("ours", "acme")));
        // the orchestrator tells whose an execution is (AutonomousOrchestrator.cancel): here by the records above
        for (String id : List.of("theirs", "ours")) {
            String tenant = history.find(id).orElseThrow().tenant();
            when(orchestrator.cancel(eq(id), any())).thenAnswer(call -> call.<Principal>getArgument(1)
                    .maySee(tenant) ? new ExecutionCancellation(id, ExecutionCancellation.Outcome.CANCELLED,
                    ExecutionStatus.RUNNING) : ExecutionCancellation.unknown(id));
        }

        CommandSession operator = TestSessions.session();
        security.login(operator, OPERATOR_KEY);
        agent.history(operator, "10");
        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertEquals("acme", query.getValue().tenant(), "an operator lists its own tenant's executions");
        assertEquals("no execution 'theirs' in the history; agent:history lists the latest",
                assertThrows(IllegalArgumentException.class, () -> agent.show(operator, "theirs")).getMessage());
        assertTrue(agent.show(operator, "ours").contains("tenant: acme"));
        assertThrows(IllegalArgumentException.class, () -> agent.cancel(operator, "theirs"));
        assertEquals("execution ours cancelled", agent.cancel(operator, "ours"));

        CommandSession admin = TestSessions.session();
        security.login(admin, ADMIN_KEY);
        assertTrue(agent.show(admin, "theirs").contains("tenant: globex"), "an admin sees every tenant");
        assertEquals("execution theirs cancelled", agent.cancel(admin, "theirs"));
        assertEquals(List.of("key:o (runner)", "key:a (boss)"), audited.stream()
                .filter(e -> e.action().equals("execution.cancel")).map(AuditEntry::actor).toList());
    }

    @Test
    void installAndUninstallAreAuditedWithTheirOutcome() {
        ShellSecurity security = security("admin");
        McpCommands mcp = new McpCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        McpCatalog catalog = mock(McpCatalog.class);
        mcp.bindCatalog(catalog);
        mcp.bindPluginManager(mock(PluginManager.class));
        when(catalog.entry("memory")).thenReturn(Optional.of(mock(io.mcpagent.api.mcp.CatalogEntry.class)));
        when(catalog.install("memory")).thenReturn(new InstallReport("memory", "etc/x.cfg.json", "data/mcp/memory",
                List.of("create_entities", "read_graph")));
        mcp.install(TestSessions.session(), "memory");
        org.mockito.Mockito.doThrow(new IllegalStateException("no such server")).when(catalog).uninstall("gone");
        assertThrows(IllegalStateException.class, () -> mcp.uninstall(TestSessions.session(), "gone"));
        assertEquals(List.of(
                new AuditEntry(audited.get(0).timestamp(), "shell:console", "admin", null, "server.install",
                        "memory", AuditEntry.SUCCEEDED, "create_entities, read_graph"),
                new AuditEntry(audited.get(1).timestamp(), "shell:console", "admin", null, "server.uninstall",
                        "gone", AuditEntry.FAILED, "no such server")), audited);
    }

    @Test
    void gogoHandsTheSessionToTheCommands() throws Exception {
        ShellSecurity security = security("none");
        AuthCommands auth = new AuthCommands(security);
        PluginCommands plugin = new PluginCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        try (GogoConsole gogo = new GogoConsole().with("plugin", plugin, "list")
                .with("auth", auth, "login", "whoami")) {
            SecurityException refused = assertThrows(SecurityException.class, () -> gogo.execute("plugin:list"));
            assertTrue(refused.getMessage().startsWith("plugin:list needs the viewer role"), refused.getMessage());
            // the message never repeats a key
            String login = "auth:login <api key> (an admin creates one with apikey:create)";
            gogo.assertRefused(Map.of("auth:login " + VIEWER_KEY + " " + OPERATOR_KEY, "auth:login needs the API key: "
                    + login + "; it got 2 separate words"));
            // without the key it would be asked for without echo, which this session (not the terminal's) cannot do
            assertEquals("auth:login without the key asks for it without echo, but this session has no terminal to"
                    + " read the key from without echo (it is not the console of the process's own terminal); give"
                    + " the key as the argument instead, " + login + ", knowing that the console keeps that line in"
                    + " its history", assertThrows(IllegalStateException.class, () -> gogo.execute("auth:login"))
                    .getMessage());
            assertEquals("nobody is logged in and consoleRole is none: auth:login <api key>",
                    gogo.execute("auth:whoami"));
            gogo.execute("auth:login " + VIEWER_KEY);
            assertEquals("key:v (reader), role viewer, tenant acme", gogo.execute("auth:whoami"));
            IllegalStateException noWhiteboard = assertThrows(IllegalStateException.class,
                    () -> gogo.execute("plugin:list"));
            assertEquals(Plugins.NOT_RUNNING, noWhiteboard.getMessage(), "past the check once logged in");
        }
    }

    @Test
    void installingServersForATasksAgentsNeedsTheAdminRoleAndIsAuditedAsMcpInstall() throws Exception {
        ShellSecurity security = security("none");
        AgentCommands agent = new AgentCommands(TestSessions.framework(Map.of()), security, new ShellMasker());
        AutonomousOrchestrator orchestrator = mock(AutonomousOrchestrator.class);
        agent.bindOrchestrator(orchestrator);
        AutonomousPlan plan = new AutonomousPlan(Task.of("remember facts"), new TaskAnalysis(TaskType.GENERAL,
                Complexity.SIMPLE, 1, Set.of("memory"), 0.8, "direct", "", "heuristic"),
                new StrategyRecommendation("direct", 0.8, "", Set.of(), Complexity.SIMPLE, List.of()),
                new AgentPlan(List.of(), Set.of("memory"), Set.of(), Map.of("brave-search", "npm failed")),
                List.of("no provider"));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan, null));

        CommandSession operator = TestSessions.session();
        security.login(operator, OPERATOR_KEY);
        SecurityException refused = assertThrows(SecurityException.class,
                () -> agent.execute(operator, "--install", "remember facts"));
        assertTrue(refused.getMessage().startsWith("agent:execute --install needs the admin role; this session is"
                + " operator (key:o (runner))"), refused.getMessage());
        verify(orchestrator, never()).execute(any(), any());
        agent.execute(operator, "remember facts"); // without --install the operator may run it
        agent.execute(operator, "--install", "--dry-run", "remember facts"); // a dry run installs nothing
        assertTrue(audited.stream().noneMatch(e -> e.action().equals("server.install")), "a dry run installs nothing");

        CommandSession admin = TestSessions.session();
        security.login(admin, ADMIN_KEY);
        agent.execute(admin, "--install", "remember facts");
        List<AuditEntry> installs = audited.stream().filter(e -> e.action().equals("server.install")).toList();
        assertEquals(List.of(
                new AuditEntry(installs.get(0).timestamp(), "key:a (boss)", "admin", null, "server.install",
                        "memory", AuditEntry.SUCCEEDED, "for the agents of the task (agent:execute --install)"),
                new AuditEntry(installs.get(1).timestamp(), "key:a (boss)", "admin", null, "server.install",
                        "brave-search", AuditEntry.FAILED, "npm failed")), installs);
        assertTrue(audited.stream().anyMatch(e -> e.action().equals("shell.denied")
                && "agent:execute --install".equals(e.target())), "the refusal is audited");
    }

    private static ExecutionRecord record(String id, String tenant) {
        return new ExecutionRecord(id, tenant, "task", "direct", ExecutionStatus.RUNNING, Instant.EPOCH, null, null,
                null, Usage.NONE, BigDecimal.ZERO, null, null, List.of());
    }
}
