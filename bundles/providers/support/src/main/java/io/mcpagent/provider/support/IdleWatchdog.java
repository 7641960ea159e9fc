package io.mcpagent.provider.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes an answer's body when no byte arrived for {@code idle}: the HTTP client's request timeout ends with the
 * response headers, so a server that stalls mid-answer would otherwise hold the caller forever. A virtual thread
 * per answer, gone when the answer is read.
 */
public final class IdleWatchdog implements AutoCloseable {
    private final InputStream body;
    private final long idleNanos;
    private final Thread thread;
    private volatile long lastRead = System.nanoTime();
    private volatile boolean fired;
    private volatile boolean closed;

    public IdleWatchdog(InputStream body, Duration idle) {
        this.body = body;
        this.idleNanos = idle.toNanos();
        this.thread = Thread.ofVirtual().name("provider-idle-watchdog").start(this::watch);
    }

    /** The body, counting every read as a sign of life. */
    public InputStream stream() {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastRead = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                lastRead = System.nanoTime();
                return n;
            }
        };
    }

    /** Whether the body was closed because it went idle. */
    public boolean fired() {
        return fired;
    }

    private void watch() {
        while (!closed) {
            long idle = System.nanoTime() - lastRead;
            if (idle >= idleNanos) {
                fired = true;
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing is all we can do; the reader sees the stream end
                }
                return;
            }
            LockSupport.parkNanos(this, idleNanos - idle);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
