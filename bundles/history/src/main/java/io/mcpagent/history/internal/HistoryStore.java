package io.mcpagent.history.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * Every SQL statement of the history (tables in {@link Schema}). Methods take the connection, so that the writer runs
 * many in one transaction and readers use their own. Text arrives redacted and capped; short columns are capped here.
 * Text read is masked again, as the masker knows secrets now: a record written while it was absent (patterns only), or
 * before a secret was configured, holds the raw value.
 */
final class HistoryStore {
    /** Executions deleted per transaction when purging, so that a large purge never holds one huge transaction. */
    static final int PURGE_CHUNK = 500;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);
    private static final Duration LONGEST_STEP = Duration.ofMillis(Long.MAX_VALUE);
    private static final Duration SHORTEST_STEP = Duration.ofMillis(Long.MIN_VALUE);
    /**
     * The times both databases store as they are: PostgreSQL's TIMESTAMP WITH TIME ZONE ends at 294276 AD, and its
     * JDBC driver writes a time before 4713 BC as -infinity (which reads back as year -999999999); H2 holds years
     * -999999999 to 999999999, as java.time's OffsetDateTime does (Instant reaches further).
     */
    static final Instant EARLIEST = Instant.parse("-4712-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");
    private static final String RECORD_COLUMNS = "id, tenant, task, pattern, status, started, finished, output, error, "
            + "input_tokens, cached_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, tool_prompt_tokens, "
            + "usage_raw, cost, analysis, decision, agents, warnings, cache_write_1h_tokens";
    /** The statuses of an execution that has not ended (QUEUED, RUNNING), as a restart or a status change finds them. */
    private static final List<String> UNFINISHED = Arrays.stream(ExecutionStatus.values())
            .filter(status -> !status.isTerminal()).map(ExecutionStatus::name).toList();
    private static final String UNFINISHED_PLACEHOLDERS = String.join(", ", Collections.nCopies(UNFINISHED.size(), "?"));

    /** What the writer needs to know of an execution it meets for the first time since it started. */
    record Stored(ExecutionStatus status, Totals totals) {
    }

    /** One row of {@code steps}. */
    record StepRow(String executionId, long seq, Instant timestamp, String type, String source, String subject,
                   Duration duration, String usageJson, BigDecimal cost, boolean error, String detail) {
    }

    /** The outcome of an execution; {@code started} only when the start was never seen, else null. */
    record Outcome(String executionId, ExecutionStatus status, Instant finished, String output, String error,
                   String pattern, String tenant, String task, Instant started, String warningsJson) {
    }

    private final Json json;
    private final Text text;

    /** @param text masks what is read, as it masked what was written */
    HistoryStore(Json json, Text text) {
        this.json = json;
        this.text = text;
    }

    // ---- writing ----------------------------------------------------------------------------------------------------

    Optional<Stored> stored(Connection connection, String executionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT status, input_tokens, cached_read_tokens, "
                + "cache_write_tokens, output_tokens, reasoning_tokens, tool_prompt_tokens, usage_raw, cost, "
                + "cache_write_1h_tokens FROM executions WHERE id = ?")) {
            select.setString(1, executionId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(ExecutionStatus.valueOf(row.getString(1)),
                        new Totals(usage(row, 2, 10), cost(row, 9))));
            }
        }
    }

    long lastSeq(Connection connection, String executionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT MAX(seq) FROM steps WHERE execution_id = ?")) {
            select.setString(1, executionId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** A RUNNING execution that the start event (or the outcome) fills in when it comes. */
    void insertPlaceholder(Connection connection, String executionId, Instant started, String node) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO executions (id, node, status, started) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, executionId);
            insert.setString(2, short200(node));
            insert.setString(3, ExecutionStatus.RUNNING.name());
            setInstant(insert, 4, started);
            insert.executeUpdate();
        }
    }

    /** The start: what is given replaces what a placeholder had; null keeps it. */
    void started(Connection connection, String executionId, String tenant, String task, String pattern, Instant started,
                 String node) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET tenant = COALESCE(?, tenant), "
                + "task = COALESCE(?, task), pattern = COALESCE(?, pattern), started = ?, node = ? WHERE id = ?")) {
            update.setString(1, short200(tenant));
            update.setString(2, task);
            update.setString(3, short200(pattern));
            setInstant(update, 4, started);
            update.setString(5, short200(node));
            update.setString(6, executionId);
            update.executeUpdate();
        }
    }

    /** QUEUED or RUNNING, as an execution that has not ended goes from one to the other; an ended one stays ended. */
    void status(Connection connection, String executionId, ExecutionStatus status) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET status = ? WHERE id = ?"
                + " AND status IN (" + UNFINISHED_PLACEHOLDERS + ")")) {
            update.setString(1, status.name());
            update.setString(2, executionId);
            setUnfinished(update, 3);
            update.executeUpdate();
        }
    }

    void finished(Connection connection, Outcome outcome) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET status = ?, finished = ?, "
                + "output = ?, error = ?, pattern = COALESCE(?, pattern), tenant = COALESCE(tenant, ?), "
                + "task = COALESCE(task, ?), started = COALESCE(?, started), warnings = ? WHERE id = ?")) {
            update.setString(1, outcome.status().name());
            setInstant(update, 2, outcome.finished());
            update.setString(3, outcome.output());
            update.setString(4, outcome.error());
            update.setString(5, short200(outcome.pattern()));
            update.setString(6, short200(outcome.tenant()));
            update.setString(7, outcome.task());
            setInstant(update, 8, outcome.started());
            update.setString(9, outcome.warningsJson());
            update.setString(10, outcome.executionId());
            update.executeUpdate();
        }
    }

    /** The analysis; the task's tenant and text fill in a record whose start has not been seen yet. */
    void analysis(Connection connection, String executionId, String analysisJson, String tenant, String task)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET analysis = ?, "
                + "tenant = COALESCE(tenant, ?), task = COALESCE(task, ?) WHERE id = ?")) {
            update.setString(1, analysisJson);
            update.setString(2, short200(tenant));
            update.setString(3, task);
            update.setString(4, executionId);
            update.executeUpdate();
        }
    }

    /**
     * The decision; until the outcome, its pattern names the execution's: a start may name the composed pattern that
     * decides rather than its choice, which says less, and an execution the process lost reads the decided one.
     */
    void decision(Connection connection, String executionId, String decisionJson, String pattern) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET decision = ?, "
                + "pattern = CASE WHEN finished IS NULL THEN ? ELSE COALESCE(pattern, ?) END WHERE id = ?")) {
            update.setString(1, decisionJson);
            update.setString(2, short200(pattern));
            update.setString(3, short200(pattern));
            update.setString(4, executionId);
            update.executeUpdate();
        }
    }

    /**
     * A fallback pattern runs: until the outcome, it names the execution (a reader then sees the pattern that runs, the
     * decision the one chosen); the outcome names the pattern that ended it, as before.
     */
    void fallback(Connection connection, String executionId, String pattern) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET pattern = ? "
                + "WHERE id = ? AND finished IS NULL")) {
            update.setString(1, short200(pattern));
            update.setString(2, executionId);
            update.executeUpdate();
        }
    }

    void agents(Connection connection, String executionId, String agentsJson) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET agents = ? WHERE id = ?")) {
            update.setString(1, agentsJson);
            update.setString(2, executionId);
            update.executeUpdate();
        }
    }

    void totals(Connection connection, String executionId, Totals totals) throws SQLException {
        Usage usage = totals.usage();
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET input_tokens = ?, "
                + "cached_read_tokens = ?, cache_write_tokens = ?, output_tokens = ?, reasoning_tokens = ?, "
                + "tool_prompt_tokens = ?, usage_raw = ?, cost = ?, cache_write_1h_tokens = ? WHERE id = ?")) {
            update.setLong(1, usage.inputTokens());
            update.setLong(2, usage.cachedReadTokens());
            update.setLong(3, usage.cacheWriteTokens());
            update.setLong(4, usage.outputTokens());
            update.setLong(5, usage.reasoningTokens());
            update.setLong(6, usage.toolPromptTokens());
            update.setString(7, json.counters(usage.raw()));
            update.setBigDecimal(8, totals.cost());
            update.setLong(9, usage.cacheWrite1hTokens());
            update.setString(10, executionId);
            update.executeUpdate();
        }
    }

    void insertSteps(Connection connection, List<StepRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO steps (execution_id, seq, ts, type, "
                + "source, subject, duration_ms, usage, cost, error, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StepRow row : rows) {
                insert.setString(1, row.executionId());
                insert.setLong(2, row.seq());
                setInstant(insert, 3, row.timestamp());
                insert.setString(4, Text.cap(row.type(), 100));
                insert.setString(5, short200(row.source()));
                insert.setString(6, Text.cap(row.subject(), 500));
                insert.setLong(7, millis(row.duration()));
                insert.setString(8, row.usageJson());
                insert.setBigDecimal(9, row.cost());
                insert.setBoolean(10, row.error());
                insert.setString(11, row.detail());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Marks these executions INTERRUPTED, those of them that are still unfinished: with {@code error} those that ran,
     * with {@code waitingError} those still QUEUED, which never ran (their record must not say they did); each finished
     * at {@code finishedAt} of its id.
     */
    void interrupt(Connection connection, List<String> executionIds, Function<String, Instant> finishedAt, String error,
                   String waitingError) throws SQLException {
        if (executionIds.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET status = ?, error = CASE"
                + " WHEN status = ? THEN ? ELSE ? END, finished = ? WHERE id = ? AND status IN ("
                + UNFINISHED_PLACEHOLDERS + ")")) {
            for (String id : executionIds) {
                update.setString(1, ExecutionStatus.INTERRUPTED.name());
                update.setString(2, ExecutionStatus.QUEUED.name());
                update.setString(3, waitingError);
                update.setString(4, error);
                setInstant(update, 5, finishedAt.apply(id));
                update.setString(6, id);
                setUnfinished(update, 7);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /**
     * When each of these executions, which a process that died left unfinished, was last heard of: its last recorded
     * step, else its start; that process's end is not known, and the time of the next start counted the time the
     * runtime was down as their run. Read on a connection of its own, so that a damaged page of the steps fails only
     * this (the executions then end at {@code otherwise}), not the start of the history, as a write reading it later
     * skips its event and says so.
     */
    Function<String, Instant> lastHeardOf(Database database, List<String> executionIds, Instant otherwise) {
        Map<String, Instant> lastHeard = new HashMap<>();
        if (executionIds.isEmpty()) {
            return id -> otherwise;
        }
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                "SELECT COALESCE((SELECT MAX(s.ts) FROM steps s WHERE s.execution_id = e.id), e.started)"
                        + " FROM executions e WHERE e.id = ?")) {
            for (String id : executionIds) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && instant(row, 1) != null) {
                        lastHeard.put(id, instant(row, 1));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("cannot read when the executions left unfinished were last heard of ({}); they are marked"
                    + " INTERRUPTED as of now", e.getMessage());
        }
        return id -> lastHeard.getOrDefault(id, otherwise);
    }

    /**
     * Makes {@code node} the node of these executions, those of them that are unfinished: this process runs them, and
     * a restart of this node (under its name now) must find them, should it stop before they end.
     */
    void claim(Connection connection, Collection<String> executionIds, String node) throws SQLException {
        if (executionIds.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET node = ? WHERE id = ?"
                + " AND status IN (" + UNFINISHED_PLACEHOLDERS + ")")) {
            for (String id : executionIds) {
                update.setString(1, short200(node));
                update.setString(2, id);
                setUnfinished(update, 3);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** An INTERRUPTED execution RUNNING again, without the interruption's error and end. */
    void revive(Connection connection, String executionId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE executions SET status = ?, error = NULL, "
                + "finished = NULL WHERE id = ? AND status = ?")) {
            update.setString(1, ExecutionStatus.RUNNING.name());
            update.setString(2, executionId);
            update.setString(3, ExecutionStatus.INTERRUPTED.name());
            update.executeUpdate();
        }
    }

    /** The ids of the unfinished (queued or running) executions: those of {@code node}, or all when it is null. */
    List<String> unfinished(Connection connection, String node) throws SQLException {
        String sql = "SELECT id FROM executions WHERE status IN (" + UNFINISHED_PLACEHOLDERS + ")"
                + (node == null ? "" : " AND node = ?");
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int next = setUnfinished(select, 1);
            if (node != null) {
                select.setString(next, short200(node));
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /**
     * Deletes executions finished before {@code cutoff} with their steps, {@value #PURGE_CHUNK} executions per
     * transaction.
     *
     * @return how many executions
     */
    int purgeFinishedBefore(Connection connection, Instant cutoff) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        int purged = 0;
        try {
            while (true) {
                List<String> ids = finishedBefore(connection, cutoff);
                if (ids.isEmpty()) {
                    return purged;
                }
                String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
                deleteWhereIn(connection, "DELETE FROM steps WHERE execution_id IN (" + in + ")", ids);
                deleteWhereIn(connection, "DELETE FROM executions WHERE id IN (" + in + ")", ids);
                connection.commit();
                purged += ids.size();
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static List<String> finishedBefore(Connection connection, Instant cutoff) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM executions WHERE finished < ? "
                + "ORDER BY finished FETCH FIRST " + PURGE_CHUNK + " ROWS ONLY")) {
            setInstant(select, 1, cutoff);
            try (ResultSet rows = select.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }
    }

    private static void deleteWhereIn(Connection connection, String sql, List<String> ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                delete.setString(i + 1, ids.get(i));
            }
            delete.executeUpdate();
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------------

    Optional<ExecutionRecord> find(Connection connection, String executionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + RECORD_COLUMNS + " FROM executions WHERE id = ?")) {
            select.setString(1, executionId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(record(row)) : Optional.empty();
            }
        }
    }

    List<ExecutionStep> steps(Connection connection, String executionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, ts, type, source, subject, duration_ms, "
                + "usage, cost, error, detail FROM steps WHERE execution_id = ? ORDER BY seq")) {
            select.setString(1, executionId);
            try (ResultSet rows = select.executeQuery()) {
                List<ExecutionStep> steps = new ArrayList<>();
                while (rows.next()) {
                    steps.add(new ExecutionStep(rows.getLong(1), instant(rows, 2), rows.getString(3), rows.getString(4),
                            text.mask(rows.getString(5)), Duration.ofMillis(rows.getLong(6)),
                            readUsage(rows.getString(7)), cost(rows, 8), rows.getBoolean(9),
                            text.mask(rows.getString(10))));
                }
                return steps;
            }
        }
    }

    /** See {@link io.mcpagent.api.history.ExecutionHistory#findByIdPrefix}. */
    List<ExecutionRecord> findByIdPrefix(Connection connection, String prefix, String tenant, int max)
            throws SQLException {
        // LIKE's wildcards and its escape character are matched as written
        String pattern = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        try (PreparedStatement select = connection.prepareStatement("SELECT " + RECORD_COLUMNS + " FROM executions"
                + " WHERE id LIKE ? ESCAPE '!'" + (tenant == null ? "" : " AND tenant = ?")
                + " ORDER BY id FETCH FIRST ? ROWS ONLY")) {
            select.setString(1, pattern);
            if (tenant != null) {
                select.setString(2, tenant);
            }
            select.setInt(tenant == null ? 2 : 3, max);
            try (ResultSet rows = select.executeQuery()) {
                List<ExecutionRecord> records = new ArrayList<>();
                while (rows.next()) {
                    records.add(record(rows));
                }
                return records;
            }
        }
    }

    List<ExecutionRecord> query(Connection connection, HistoryQuery query) throws SQLException {
        Filter filter = Filter.of(query);
        try (PreparedStatement select = connection.prepareStatement("SELECT " + RECORD_COLUMNS + " FROM executions"
                + filter.where() + " ORDER BY started DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
            int next = filter.bind(select);
            select.setInt(next, query.offset());
            select.setInt(next + 1, query.limit());
            try (ResultSet rows = select.executeQuery()) {
                List<ExecutionRecord> records = new ArrayList<>();
                while (rows.next()) {
                    records.add(record(rows));
                }
                return records;
            }
        }
    }

    long count(Connection connection, HistoryQuery query) throws SQLException {
        Filter filter = Filter.of(query);
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM executions" + filter.where())) {
            filter.bind(select);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The WHERE clause of a query and its parameters. */
    private record Filter(String where, List<Object> parameters) {
        static Filter of(HistoryQuery query) {
            List<String> conditions = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            if (query.status() != null) {
                conditions.add("status = ?");
                parameters.add(query.status().name());
            }
            if (query.tenant() != null) {
                conditions.add("tenant = ?");
                parameters.add(query.tenant());
            }
            // a bound beyond what is stored holds every record: a time stored is within EARLIEST..LATEST
            if (query.from() != null && query.from().isAfter(EARLIEST)) {
                conditions.add("started >= ?");
                parameters.add(query.from());
            }
            if (query.to() != null && !query.to().isAfter(LATEST)) {
                conditions.add("started < ?");
                parameters.add(query.to());
            }
            return new Filter(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), parameters);
        }

        /** Binds the parameters; returns the index of the next one. */
        int bind(PreparedStatement statement) throws SQLException {
            int index = 1;
            for (Object parameter : parameters) {
                if (parameter instanceof Instant instant) {
                    setInstant(statement, index++, instant);
                } else {
                    statement.setString(index++, (String) parameter);
                }
            }
            return index;
        }
    }

    private ExecutionRecord record(ResultSet row) throws SQLException {
        String id = row.getString(1);
        // the JSON columns are masked as text, as they were written: the masker keeps JSON whole
        return new ExecutionRecord(id, row.getString(2), text.mask(row.getString(3)), row.getString(4),
                ExecutionStatus.valueOf(row.getString(5)), instant(row, 6), instant(row, 7),
                text.mask(row.getString(8)), text.mask(row.getString(9)), usage(row, 10, 22), cost(row, 17),
                readAnalysis(id, text.mask(row.getString(18))), readDecision(id, text.mask(row.getString(19))),
                readNames(id, "agent names", text.mask(row.getString(20))),
                readNames(id, "warnings", text.mask(row.getString(21))));
    }

    /**
     * The six counters from {@code first} on, then the raw counters; the one-hour cache writes at
     * {@code cacheWrite1h}, a column added after them.
     */
    private Usage usage(ResultSet row, int first, int cacheWrite1h) throws SQLException {
        return new Usage(row.getLong(first), row.getLong(first + 1), row.getLong(first + 2), row.getLong(cacheWrite1h),
                row.getLong(first + 3), row.getLong(first + 4), row.getLong(first + 5),
                json.readCounters(row.getString(first + 6)));
    }

    // A stored value that no longer reads (written by a future version, say) costs that field, not the record.

    private TaskAnalysis readAnalysis(String executionId, String text) {
        try {
            return text == null ? null : json.readAnalysis(text);
        } catch (IllegalStateException e) {
            LOG.warn("execution {}: the stored analysis is left out: {}", executionId, e.getMessage());
            return null;
        }
    }

    private StrategyRecommendation readDecision(String executionId, String text) {
        try {
            return text == null ? null : json.readDecision(text);
        } catch (IllegalStateException e) {
            LOG.warn("execution {}: the stored decision is left out: {}", executionId, e.getMessage());
            return null;
        }
    }

    /** A JSON array of strings: the agent names, or the result's warnings (null, as before they were stored: none). */
    private List<String> readNames(String executionId, String what, String text) {
        try {
            return json.readNames(text);
        } catch (IllegalStateException e) {
            LOG.warn("execution {}: the stored {} are left out: {}", executionId, what, e.getMessage());
            return List.of();
        }
    }

    private Usage readUsage(String text) {
        try {
            return json.readUsage(text);
        } catch (IllegalStateException e) {
            LOG.warn("a stored step's usage is left out: {}", e.getMessage());
            return Usage.NONE;
        }
    }

    /** The duration in the BIGINT duration_ms, saturated: toMillis throws beyond it. */
    private static long millis(Duration duration) {
        if (duration.compareTo(LONGEST_STEP) > 0) {
            return Long.MAX_VALUE;
        }
        return duration.compareTo(SHORTEST_STEP) < 0 ? Long.MIN_VALUE : duration.toMillis();
    }

    /** Costs are NUMERIC(20, 10): drop the padding zeros, so that 0.0015 reads 0.0015. */
    private static BigDecimal cost(ResultSet row, int column) throws SQLException {
        BigDecimal cost = row.getBigDecimal(column);
        if (cost == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = cost.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** Sets the {@link #UNFINISHED} statuses from {@code index} on; returns the index after them. */
    private static int setUnfinished(PreparedStatement statement, int index) throws SQLException {
        int next = index;
        for (String status : UNFINISHED) {
            statement.setString(next++, status);
        }
        return next;
    }

    /**
     * Sets the time, within {@link #EARLIEST}..{@link #LATEST}: a time beyond made the database (or java.time, past
     * year 999999999) refuse the write, and the writer skip the event with its step, as a cost beyond its column did.
     */
    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(storable(instant), ZoneOffset.UTC));
        }
    }

    private static Instant storable(Instant instant) {
        if (instant.isAfter(LATEST)) {
            return LATEST;
        }
        return instant.isBefore(EARLIEST) ? EARLIEST : instant;
    }

    private static String short200(String value) {
        return Text.cap(value, 200);
    }
}
