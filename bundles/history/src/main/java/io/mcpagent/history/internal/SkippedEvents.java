package io.mcpagent.history.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.runtime.Problem;

/**
 * The events the writer could not record in one database and skipped: a statement failed otherwise than by the
 * connection, as every statement does that reads a damaged page of an H2 file. The first is logged at ERROR with its
 * cause and raises a problem that counts them all, so that an operator sees it in the status and plugin:problems;
 * later ones are logged at most once a minute, with their count. Before, each was an ERROR of its own and nothing
 * else: on a damaged file, every event of an execution whose rows lie in a damaged page.
 */
final class SkippedEvents {
    static final String SOURCE = "history";
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(SkippedEvents.class);

    /** The first event skipped: which, why and when. */
    private record First(String event, String why, Instant at) {
    }

    private final String database;
    private final Clock clock;
    private final AtomicLong count = new AtomicLong();
    private volatile First first;
    // the writer thread's own
    private long notLogged;
    private Instant lastLogged;

    /** @param database the database's URL, secrets masked */
    SkippedEvents(String database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Called on the writer thread when it skips {@code event}; {@code failure} is logged with the first only.
     */
    void skipped(ExecutionEvent event, String why, Throwable failure) {
        Instant now = clock.instant();
        String what = event.type() + " of execution " + event.executionId();
        if (first == null) {
            // one line in the problem: H2 puts the statement on a line of its own
            first = new First(what, Text.oneLine(why), now);
            lastLogged = now;
            count.incrementAndGet();
            LOG.error("the history cannot record {} in {}; it is skipped: {}. Later events it cannot record are logged"
                    + " at most once a minute, and counted in a problem", what, database, why, failure);
            return;
        }
        count.incrementAndGet();
        notLogged++;
        if (!now.isBefore(lastLogged.plus(LOG_INTERVAL))) {
            LOG.error("the history could not record {} more events in {} since {} ({} in all since {}); they are"
                    + " skipped, the last {}: {}", notLogged, database, lastLogged, count.get(), first.at(), what, why);
            notLogged = 0;
            lastLogged = now;
        }
    }

    /** How many events were skipped. */
    long count() {
        return count.get();
    }

    /** The problem the skipped events make, none before the first. */
    List<Problem> problems() {
        First skipped = first;
        if (skipped == null) {
            return List.of();
        }
        return List.of(new Problem(SOURCE, database, "the history database " + database + " cannot record every event:"
                + " " + count.get() + " skipped since " + skipped.at() + ", the first " + skipped.event() + ": "
                + skipped.why() + ". In an H2 file this is damage in its data pages: check a copy of the file offline"
                + " (see 'Damage in data pages' in the history README), restore it from a backup or move it aside,"
                + " then restart the bundle io.mcpagent.history", skipped.at()));
    }
}
