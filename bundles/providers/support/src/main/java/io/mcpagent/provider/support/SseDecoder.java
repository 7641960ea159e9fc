package io.mcpagent.provider.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A server-sent events parser following the WHATWG event-stream rules: lines end in CR, LF or CRLF; a leading
 * BOM is skipped; {@code data} lines accumulate with LF; {@code id} without NUL sets the last event id (kept
 * even when no event is dispatched); {@code retry} takes only ASCII digits; comment lines start with a colon;
 * an empty line dispatches when a data line came since the last one (a bare {@code data:} gives an event with
 * empty data, as MCP servers' "priming" event does; callers skip it), and resets the event type otherwise.
 * <p>
 * An event whose data (its data lines' values, joined with LF, in bytes of UTF-8) grows beyond
 * {@code maxEventBytes} ends the stream with an error, however many lines it is made of, so a hostile server cannot
 * exhaust memory; so does a line longer than that plus its {@code "data: "} prefix. That error is a
 * {@link StreamEventTooLargeException} unless the caller, naming its own limit to its users, supplies another.
 * <p>
 * A caller may also bound the time between events ({@link #SseDecoder(InputStream, int, Duration)}, 2.8): a stream
 * that sends only comments or empty lines for longer ends with a {@link StreamWithoutEventsException}, since reads
 * that keep getting bytes never time out; or the time between events that bring content, as its
 * {@link StreamProgress} tells (2.10), so that events carrying nothing end the stream as comments do.
 */
public final class SseDecoder {
    /** The longest field name and separator before a value that counts towards an event's size: "data: ". */
    private static final int DATA_PREFIX_BYTES = 6;

    private final InputStream in;
    private final int maxEventBytes;
    private final int maxLineBytes;
    private final Supplier<? extends IOException> tooLarge;
    /** When the stream last made progress; null for no limit. */
    private final StreamProgress progress;
    /** Whether every event counts as progress (2.8's bound), rather than what the caller notes (2.10's). */
    private final boolean eventsAreProgress;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean previousWasCr;
    private boolean first = true;
    /** The length in bytes of the line {@link #readLine} returned last. */
    private int lineBytes;

    private String lastEventId;
    private long retryMillis = -1;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    /** The size of {@link #data} in bytes of UTF-8, as the server sent it. */
    private long dataBytes;
    private String eventType = "";

    public SseDecoder(InputStream in, int maxEventBytes) {
        this(in, maxEventBytes, () -> new StreamEventTooLargeException(maxEventBytes), null, false);
    }

    /**
     * A decoder that also ends the stream with a {@link StreamWithoutEventsException} when {@code maxWithoutEvent}
     * passes without an event (2.8), however many comments arrive meanwhile.
     */
    public SseDecoder(InputStream in, int maxEventBytes, Duration maxWithoutEvent) {
        this(in, maxEventBytes, () -> new StreamEventTooLargeException(maxEventBytes), everyEvent(maxWithoutEvent),
                true);
    }

    /**
     * A decoder that ends the stream with a {@link StreamWithoutEventsException} when {@code progress} saw no content
     * for longer than its limit (2.10), however many comments or events without content arrive meanwhile.
     */
    public SseDecoder(InputStream in, int maxEventBytes, StreamProgress progress) {
        this(in, maxEventBytes, () -> new StreamEventTooLargeException(maxEventBytes),
                Objects.requireNonNull(progress, "progress"), false);
    }

    /** @param tooLarge the error an event larger than {@code maxEventBytes} ends the stream with */
    public SseDecoder(InputStream in, int maxEventBytes, Supplier<? extends IOException> tooLarge) {
        this(in, maxEventBytes, tooLarge, null, false);
    }

    private SseDecoder(InputStream in, int maxEventBytes, Supplier<? extends IOException> tooLarge,
                       StreamProgress progress, boolean eventsAreProgress) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be at least 1, was " + maxEventBytes);
        }
        this.in = in;
        this.maxEventBytes = maxEventBytes;
        this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 8L, (long) maxEventBytes + DATA_PREFIX_BYTES);
        this.tooLarge = tooLarge;
        this.progress = progress;
        this.eventsAreProgress = eventsAreProgress;
    }

    /** 2.8's bound: every event is progress; zero, or a wait beyond a year, is no limit. */
    private static StreamProgress everyEvent(Duration maxWithoutEvent) {
        if (maxWithoutEvent.isNegative()) {
            throw new IllegalArgumentException("maxWithoutEvent must not be negative, was " + maxWithoutEvent);
        }
        return maxWithoutEvent.isZero() || maxWithoutEvent.compareTo(Duration.ofDays(365)) > 0 ? null
                : new StreamProgress(maxWithoutEvent);
    }

    /** The id of the last event seen, for {@code Last-Event-ID} on reconnect. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnection time the server announced, or -1. */
    public long retryMillis() {
        return retryMillis;
    }

    /** Reads until the stream ends (returns normally) or {@code sink} has been fed every event. */
    public void readAll(Consumer<SseEvent> sink) throws IOException {
        String line;
        while ((line = readLine()) != null) {
            processLine(line, sink);
            if (progress != null) {
                progress.check();
            }
        }
    }

    private void processLine(String line, Consumer<SseEvent> sink) throws IOException {
        if (line.isEmpty()) {
            dispatch(sink);
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1;
            if (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            value = line.substring(start);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> {
                // "data:" or "data: " is ASCII, so the value's bytes are the rest of the line's
                long valueBytes = lineBytes - (line.length() - value.length());
                dataBytes += valueBytes + (hasData ? 1 : 0);
                if (dataBytes > maxEventBytes) {
                    throw tooLarge.get();
                }
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 10) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> { }
        }
    }

    private void dispatch(Consumer<SseEvent> sink) {
        if (hasData) {
            sink.accept(new SseEvent(lastEventId, eventType.isEmpty() ? "message" : eventType, data.toString()));
            if (eventsAreProgress) {
                progress.contentArrived(); // after the sink: a slow consumer is not the stream's delay
            }
        }
        data.setLength(0);
        dataBytes = 0;
        hasData = false;
        eventType = "";
    }

    private String readLine() throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    // A final line without terminator is incomplete: per spec it is discarded.
                    return null;
                }
            }
            byte b = buffer[position++];
            if (previousWasCr) {
                previousWasCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                previousWasCr = b == '\r';
                String text = new String(line, 0, length, StandardCharsets.UTF_8);
                lineBytes = length;
                if (first) {
                    first = false;
                    if (text.startsWith("\uFEFF")) {
                        text = text.substring(1);
                        lineBytes -= 3;
                    }
                }
                return text;
            }
            if (length == line.length) {
                if (length >= maxLineBytes) {
                    throw tooLarge.get();
                }
                line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, length * 2));
            }
            line[length++] = b;
        }
    }
}
