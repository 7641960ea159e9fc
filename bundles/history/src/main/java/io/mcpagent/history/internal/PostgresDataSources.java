package io.mcpagent.history.internal;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The only class that names the PostgreSQL driver, whose package this bundle imports optionally: loading it fails
 * with a LinkageError when the driver bundle is not installed, which {@link Database} turns into what to install.
 */
final class PostgresDataSources {
    private PostgresDataSources() {
    }

    /** A DataSource for {@code url}; {@code user} and {@code password} override the URL's parameters when not empty. */
    static DataSource create(String url, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        if (!user.isEmpty()) {
            dataSource.setUser(user);
        }
        if (!password.isEmpty()) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }
}
