package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.workflow.ExecutionStatus;

/** The history on its default database: an embedded H2 file. */
class H2FileHistoryTest extends HistoryContract {
    @TempDir
    Path folder;

    @Override
    String newDatabaseUrl() {
        return Settings.embeddedUrl(folder.toString());
    }

    @Test
    void theDefaultDatabaseIsAFileUnderTheDataFolder() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        history.find("exec-1").orElseThrow();
        assertTrue(folder.resolve("history").resolve("executions.mv.db").toFile().isFile());
    }

    @Test
    void aRefusedUpkeepValueLeavesTheHistoryRunningAndPurgingNothingUntilAValidOneArrives() {
        clock.set(at(0).plus(Duration.ofDays(60)));
        HistoryComponent keepingAll = open(0, 10_000);
        keepingAll.onEvent(Events.started("ancient", at(0), "acme", "task", "direct"));
        keepingAll.onEvent(Events.succeeded("ancient", at(0), at(10)));
        keepingAll.find("ancient").orElseThrow();
        deactivate(keepingAll);

        HistoryComponent refused = open(ConfigurationTest.config(Map.of("jdbcUrl", url(), "retentionDays", -1)));
        assertEquals(1, refused.problems().size(), refused.problems().toString());
        Problem problem = refused.problems().get(0);
        assertEquals("config", problem.source());
        assertEquals("io.mcpagent.history", problem.subject());
        assertTrue(problem.message().startsWith("configuration io.mcpagent.history (etc/io.mcpagent.history.cfg.json)"
                + " is refused: retentionDays must be at least 0 (0: keep forever), was -1"), problem.message());
        assertTrue(refused.find("ancient").isPresent(), "the default retention of 30 days purges nothing while refused");
        refused.onEvent(Events.started("later", at(20), "acme", "task", "direct"));
        assertTrue(refused.find("later").isPresent(), "the history records on");
        deactivate(refused);

        HistoryComponent repaired = open(ConfigurationTest.config(Map.of("jdbcUrl", url(), "retentionDays", 30)));
        assertEquals(List.of(), repaired.problems());
        assertTrue(repaired.find("ancient").isEmpty(), "finished 60 days ago, kept 30");
    }

    @Test
    void anEmbeddedDatabaseInterruptsEveryRunningExecutionWhateverItsNode() {
        HistoryComponent history = open(new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), "old-host-name"));
        history.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        history.find("exec-1").orElseThrow();
        deactivate(history);

        HistoryComponent renamed = open(new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), "new-host-name"));
        assertEquals(ExecutionStatus.INTERRUPTED, renamed.find("exec-1").orElseThrow().status(),
                "only this process could have run it");
    }

    @Test
    void aDatabaseFromANewerVersionIsRefused() throws Exception {
        deactivate(open());
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url());
        dataSource.setUser("sa");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE history_schema SET version = " + (Schema.VERSION + 1));
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().contains("schema version " + (Schema.VERSION + 1)), refused.getMessage());
    }

    @Test
    void schemaCreationIsIdempotent() {
        deactivate(open());
        deactivate(open());
        HistoryComponent third = open();
        third.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        assertTrue(third.find("exec-1").isPresent());
    }
}
