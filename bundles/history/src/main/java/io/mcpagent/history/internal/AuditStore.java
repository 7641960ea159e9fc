package io.mcpagent.history.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditQuery;

/**
 * The SQL of the audit table (see {@link Schema}): insert, query newest first, count, purge. Actor, target and detail
 * are masked when written and again when read, as the masker knows secrets then: an entry written while it was absent
 * (patterns only), or before a secret was configured, holds the raw value.
 */
final class AuditStore {
    private static final String COLUMNS = "ts, actor, role, tenant, action, target, outcome, detail";

    /** A WHERE clause and its parameters, in order. */
    private record Filter(String where, List<Object> parameters) {
        static Filter of(AuditQuery query) {
            StringBuilder where = new StringBuilder();
            List<Object> parameters = new ArrayList<>();
            if (query.actor() != null) {
                and(where).append("(actor = ? OR actor LIKE ? ESCAPE '!')");
                parameters.add(query.actor());
                parameters.add(literal(query.actor()) + " (%"); // key:<id> finds key:<id> (<name>)
            }
            if (query.action() != null) {
                // the action or its family ("server" finds server.install); actions are dotted lower case
                String action = query.action().toLowerCase(Locale.ROOT);
                String family = action.endsWith(".") ? action.substring(0, action.length() - 1) : action;
                and(where).append("(action = ? OR action LIKE ? ESCAPE '!')");
                parameters.add(family);
                parameters.add(literal(family) + ".%");
            }
            if (query.from() != null) {
                and(where).append("ts >= ?");
                parameters.add(query.from());
            }
            if (query.to() != null) {
                and(where).append("ts < ?");
                parameters.add(query.to());
            }
            return new Filter(where.toString(), parameters);
        }

        /** {@code text} matched as it is by LIKE: its wildcards escaped with {@code !}. */
        private static String literal(String text) {
            return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        }

        private static StringBuilder and(StringBuilder where) {
            return where.append(where.isEmpty() ? " WHERE " : " AND ");
        }

        int bind(PreparedStatement statement) throws SQLException {
            int index = 1;
            for (Object parameter : parameters) {
                if (parameter instanceof Instant instant) {
                    HistoryStore.setInstant(statement, index++, instant);
                } else {
                    statement.setString(index++, (String) parameter);
                }
            }
            return index;
        }
    }

    private final Text text;

    /** @param text masks what is written and what is read */
    AuditStore(Text text) {
        this.text = text;
    }

    void insert(Connection connection, AuditEntry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            HistoryStore.setInstant(insert, 1, entry.timestamp());
            insert.setString(2, text.safe(entry.actor(), 200));
            insert.setString(3, Text.cap(entry.role(), 32));
            insert.setString(4, Text.cap(entry.tenant(), 200));
            insert.setString(5, Text.cap(entry.action(), 100));
            insert.setString(6, text.safe(entry.target(), 500));
            insert.setString(7, Text.cap(entry.outcome(), 16));
            insert.setString(8, text.safe(entry.detail()));
            insert.executeUpdate();
        }
    }

    List<AuditEntry> query(Connection connection, AuditQuery query) throws SQLException {
        Filter filter = Filter.of(query);
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM audit"
                + filter.where() + " ORDER BY ts DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
            int next = filter.bind(select);
            select.setInt(next, query.offset());
            select.setInt(next + 1, query.limit());
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new AuditEntry(HistoryStore.instant(rows, 1), text.mask(rows.getString(2)),
                            rows.getString(3), rows.getString(4), rows.getString(5), text.mask(rows.getString(6)),
                            rows.getString(7), text.mask(rows.getString(8))));
                }
            }
            return entries;
        }
    }

    long count(Connection connection, AuditQuery query) throws SQLException {
        Filter filter = Filter.of(query);
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM audit" + filter.where())) {
            filter.bind(count);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    int purgeBefore(Connection connection, Instant cutoff) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM audit WHERE ts < ?")) {
            HistoryStore.setInstant(delete, 1, cutoff);
            int deleted = delete.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return deleted;
        }
    }
}
