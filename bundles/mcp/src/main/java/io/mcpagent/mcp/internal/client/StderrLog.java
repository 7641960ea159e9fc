package io.mcpagent.mcp.internal.client;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * A server's stderr lines into its log, at most {@value #LINES_PER_MINUTE} in a minute: a server writing hundreds of
 * lines a second filled the 10 MB log in minutes and rolled the startup and the other servers' warnings out of the
 * kept files. Past the limit the lines are counted, and the count is logged when the minute is over and a line comes,
 * or when stderr ends. One per connection, used by its stderr reader alone.
 */
final class StderrLog {
    static final int LINES_PER_MINUTE = 300;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger serverLog;
    private final String serverId;
    private final LongSupplier nanoTime;
    private long minuteStart;
    private int logged;
    private int notLogged;

    StderrLog(Logger serverLog, String serverId, LongSupplier nanoTime) {
        this.serverLog = serverLog;
        this.serverId = serverId;
        this.nanoTime = nanoTime;
        this.minuteStart = nanoTime.getAsLong();
    }

    /** A line, masked and abbreviated already. */
    void line(String shown) {
        long now = nanoTime.getAsLong();
        if (now - minuteStart >= MINUTE_NANOS) {
            end();
            minuteStart = now;
            logged = 0;
        }
        if (logged < LINES_PER_MINUTE) {
            logged++;
            serverLog.info("{}", shown);
        } else {
            notLogged++;
        }
    }

    /** Stderr ended, or a minute did: says how many lines were not logged, if any. */
    void end() {
        if (notLogged > 0) {
            serverLog.warn("MCP server '{}' wrote {} more lines on stderr that were not logged: at most {} a minute are"
                    + " (its last lines are in its health when it ends)", serverId, notLogged, LINES_PER_MINUTE);
            notLogged = 0;
        }
    }
}
