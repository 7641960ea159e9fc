package io.mcpagent.history.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * The history on H2 in PostgreSQL compatibility mode: a cheap check of the PostgreSQL dialect that runs even where
 * the embedded PostgreSQL of {@link PostgresHistoryTest} cannot start.
 */
class H2PostgresModeHistoryTest extends HistoryContract {
    @TempDir
    Path folder;

    @Override
    String newDatabaseUrl() {
        return "jdbc:h2:file:" + folder.resolve("pg-mode").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
    }
}
