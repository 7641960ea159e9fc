package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.mcpagent.api.runtime.Problem;

class FailedComponentsTest {
    /** What Felix SCR keeps as the failure: the printed stack trace. */
    private static final String HISTORY_FAILURE = """
            java.lang.IllegalStateException: the history database jdbc:h2:file:/home/op/mcp-agent/data/history/executions;\
            DB_CLOSE_ON_EXIT=FALSE is damaged: H2 can read no data in its file /home/op/mcp-agent/data/history/executions.mv.db
            \tat io.mcpagent.history.internal.Database.refuseDamagedFile(Database.java:90)
            \tat io.mcpagent.history.internal.Database.open(Database.java:48)
            Caused by: org.h2.jdbc.JdbcSQLNonTransientException: The database is read only [90097-252]
            \tat org.h2.message.DbException.getJdbcSQLException(DbException.java:690)
            \t... 12 more
            """;

    private final ServiceComponentRuntime runtime = mock(ServiceComponentRuntime.class);
    private final FailedComponents failed = new FailedComponents(runtime,
            Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));

    @Test
    void aComponentThatFailedToActivateIsAProblemWithItsReasonWithoutPathsOrStackTrace() {
        ComponentDescriptionDTO history = component("io.mcpagent.history", "io.mcpagent.history.internal.HistoryComponent",
                configuration(7, ComponentConfigurationDTO.FAILED_ACTIVATION, HISTORY_FAILURE));
        ComponentDescriptionDTO engine = component("io.mcpagent.core", "io.mcpagent.core.internal.Engine",
                configuration(3, ComponentConfigurationDTO.ACTIVE, null));
        when(runtime.getComponentDescriptionDTOs()).thenReturn(List.of(history, engine));

        List<Problem> problems = failed.problems();

        assertEquals(1, problems.size(), problems.toString());
        Problem problem = problems.get(0);
        assertEquals("component", problem.source());
        assertEquals("io.mcpagent.history.internal.HistoryComponent", problem.subject());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), problem.since());
        assertEquals("component io.mcpagent.history.internal.HistoryComponent of bundle io.mcpagent.history failed to"
                + " activate: the history database jdbc:h2:file:executions;DB_CLOSE_ON_EXIT=FALSE is damaged: H2 can"
                + " read no data in its file executions.mv.db; its services cannot be used (the log has the whole"
                + " failure)", problem.message());
    }

    @Test
    void aWrapperWithoutMessageGivesTheReasonOfItsCause() {
        assertEquals("cannot create data/history: Permission denied", FailedComponents.reason("""
                java.lang.reflect.InvocationTargetException
                \tat java.base/jdk.internal.reflect.DirectConstructorHandleAccessor.newInstance(Unknown Source)
                Caused by: java.lang.IllegalStateException: cannot create data/history: Permission denied
                \tat io.mcpagent.X.y(X.java:1)
                """));
    }

    @Test
    void urlsRelativePathsAndPlainMessagesStayAsTheyAre() {
        String message = "cannot open jdbc:postgresql://db:5432/history?user=app: refused; see etc/x.cfg.json";
        assertEquals(message, FailedComponents.reason(message));
        assertEquals("DS gives no reason", FailedComponents.reason(null));
        assertTrue(FailedComponents.reason("x".repeat(5000)).length() <= FailedComponents.MAX_REASON + 1);
    }

    @Test
    void aComponentThatActivatesAgainIsNoLongerAProblem() {
        ComponentConfigurationDTO configuration = configuration(7, ComponentConfigurationDTO.FAILED_ACTIVATION,
                HISTORY_FAILURE);
        ComponentDescriptionDTO history = component("io.mcpagent.history", "history", configuration);
        when(runtime.getComponentDescriptionDTOs()).thenReturn(List.of(history));
        assertFalse(failed.problems().isEmpty());

        configuration.state = ComponentConfigurationDTO.ACTIVE;
        configuration.failure = null;
        assertEquals(List.of(), failed.problems());
    }

    private ComponentDescriptionDTO component(String bundle, String name, ComponentConfigurationDTO configuration) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = name;
        description.bundle = new BundleDTO();
        description.bundle.symbolicName = bundle;
        when(runtime.getComponentConfigurationDTOs(description)).thenReturn(List.of(configuration));
        return description;
    }

    private static ComponentConfigurationDTO configuration(long id, int state, String failure) {
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.id = id;
        configuration.state = state;
        configuration.failure = failure;
        return configuration;
    }
}
