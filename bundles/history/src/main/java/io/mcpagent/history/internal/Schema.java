package io.mcpagent.history.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables, created if missing (every statement is idempotent), in SQL that H2 2.x and PostgreSQL both run. The
 * version table says which shape the database has, so that a later version of this bundle can migrate it, and an
 * older one refuses a database it does not understand.
 */
final class Schema {
    static final int VERSION = 1;

    private static final List<String> CREATE = List.of(
            "CREATE TABLE IF NOT EXISTS history_schema (version INTEGER NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS executions (
              id VARCHAR(200) NOT NULL PRIMARY KEY,
              tenant VARCHAR(200),
              node VARCHAR(200),
              task TEXT,
              pattern VARCHAR(200),
              status VARCHAR(16) NOT NULL,
              started TIMESTAMP WITH TIME ZONE NOT NULL,
              finished TIMESTAMP WITH TIME ZONE,
              output TEXT,
              error TEXT,
              input_tokens BIGINT DEFAULT 0 NOT NULL,
              cached_read_tokens BIGINT DEFAULT 0 NOT NULL,
              cache_write_tokens BIGINT DEFAULT 0 NOT NULL,
              output_tokens BIGINT DEFAULT 0 NOT NULL,
              reasoning_tokens BIGINT DEFAULT 0 NOT NULL,
              tool_prompt_tokens BIGINT DEFAULT 0 NOT NULL,
              usage_raw TEXT,
              cost NUMERIC(20, 10) DEFAULT 0 NOT NULL,
              analysis TEXT,
              decision TEXT,
              agents TEXT
            )""",
            "CREATE INDEX IF NOT EXISTS executions_started ON executions (started)",
            "CREATE INDEX IF NOT EXISTS executions_status_started ON executions (status, started)",
            "CREATE INDEX IF NOT EXISTS executions_tenant_started ON executions (tenant, started)",
            "CREATE INDEX IF NOT EXISTS executions_finished ON executions (finished)",
            """
            CREATE TABLE IF NOT EXISTS steps (
              execution_id VARCHAR(200) NOT NULL,
              seq BIGINT NOT NULL,
              ts TIMESTAMP WITH TIME ZONE NOT NULL,
              type VARCHAR(100) NOT NULL,
              source VARCHAR(200),
              subject VARCHAR(500),
              duration_ms BIGINT DEFAULT 0 NOT NULL,
              usage TEXT,
              cost NUMERIC(20, 10) DEFAULT 0 NOT NULL,
              error BOOLEAN DEFAULT FALSE NOT NULL,
              detail TEXT,
              PRIMARY KEY (execution_id, seq)
            )""");

    private Schema() {
    }

    /**
     * Creates what is missing and records the version.
     *
     * @throws SQLException          when the database refuses
     * @throws IllegalStateException when the database was made by a newer version of this bundle
     */
    static void ensure(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : CREATE) {
                statement.execute(sql);
            }
            Integer found = version(connection);
            if (found == null) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO history_schema (version) VALUES (?)")) {
                    insert.setInt(1, VERSION);
                    insert.executeUpdate();
                }
            } else if (found > VERSION) {
                throw new IllegalStateException("the history database has schema version " + found + ", newer than the "
                        + VERSION + " this bundle knows: use the io.mcpagent.history version that wrote it, or a newer one");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static Integer version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM history_schema")) {
            rows.next();
            int version = rows.getInt(1);
            return rows.wasNull() ? null : version;
        }
    }
}
