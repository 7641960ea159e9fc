package io.mcpagent.provider.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A server-sent events parser following the WHATWG event-stream rules: lines end in CR, LF or CRLF; a leading
 * BOM is skipped; {@code data} lines accumulate with LF; {@code id} without NUL sets the last event id (kept
 * even when no event is dispatched); {@code retry} takes only ASCII digits; comment lines start with a colon;
 * an empty line dispatches when a data line came since the last one (a bare {@code data:} gives an event with
 * empty data, as MCP servers' "priming" event does; callers skip it), and resets the event type otherwise.
 * Lines longer than {@code maxLineBytes} end the stream with an error so a hostile server cannot exhaust memory;
 * a caller that names its own limit to its users supplies that error.
 */
public final class SseDecoder {
    private final InputStream in;
    private final int maxLineBytes;
    private final Supplier<? extends IOException> lineTooLong;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean previousWasCr;
    private boolean first = true;

    private String lastEventId;
    private long retryMillis = -1;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType = "";

    public SseDecoder(InputStream in, int maxLineBytes) {
        this(in, maxLineBytes, () -> new IOException("event-stream line longer than " + maxLineBytes + " bytes"));
    }

    /** @param lineTooLong the error a line longer than {@code maxLineBytes} ends the stream with */
    public SseDecoder(InputStream in, int maxLineBytes, Supplier<? extends IOException> lineTooLong) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.lineTooLong = lineTooLong;
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
        }
    }

    private void processLine(String line, Consumer<SseEvent> sink) {
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
        }
        data.setLength(0);
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
                if (first) {
                    first = false;
                    if (text.startsWith("\uFEFF")) {
                        text = text.substring(1);
                    }
                }
                return text;
            }
            if (length == line.length) {
                if (length >= maxLineBytes) {
                    throw lineTooLong.get();
                }
                line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, length * 2));
            }
            line[length++] = b;
        }
    }
}
