package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;

class DecodersTest {

    private static List<SseEvent> sse(String text) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        new SseDecoder(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 16).readAll(events::add);
        return events;
    }

    @Test
    void sseFollowsTheWhatwgRules() throws IOException {
        List<SseEvent> events = sse("\uFEFF: comment\r\nid: 1\r\nretry: 500\r\ndata:\r\n\r\n"
                + "event: delta\ndata: {\"a\":1}\ndata: second line\n\n"
                + "data: x\rid: 7\r\r"
                + "data: no terminator");
        assertEquals(3, events.size(), "the last line has no terminator and is dropped: " + events);
        assertEquals(new SseEvent("1", "message", ""), events.get(0), "an empty data line still makes an event (MCP's priming event)");
        assertEquals(new SseEvent("1", "delta", "{\"a\":1}\nsecond line"), events.get(1));
        assertEquals(new SseEvent("7", "message", "x"), events.get(2));
    }

    @Test
    void anEmptyLineWithoutDataDispatchesNothing() throws IOException {
        assertEquals(List.of(), sse("id: 3\n\nevent: ping\n\n"));
    }

    @Test
    void sseKeepsLastEventIdAndRetry() throws IOException {
        SseDecoder decoder = new SseDecoder(new ByteArrayInputStream("id: 42\nretry: 1500\nretry: x\n\n".getBytes()), 1024);
        decoder.readAll(e -> { });
        assertEquals("42", decoder.lastEventId());
        assertEquals(1500, decoder.retryMillis());
    }

    @Test
    void sseRefusesHugeLines() {
        String huge = "data: " + "x".repeat(5000) + "\n\n";
        assertThrows(IOException.class, () -> new SseDecoder(new ByteArrayInputStream(huge.getBytes()), 1024)
                .readAll(e -> { }));
    }

    @Test
    @Timeout(10)
    void aStreamOfCommentsOnlyEndsOnceTheTimeBetweenEventsIsOver() {
        InputStream endless = endless("data: one\n\n".getBytes(StandardCharsets.UTF_8),
                ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        StreamWithoutEventsException failure = assertThrows(StreamWithoutEventsException.class,
                () -> new SseDecoder(endless, 1024, Duration.ofMillis(200)).readAll(e -> events.add(e.data())));
        assertEquals(List.of("one"), events);
        assertEquals(Duration.ofMillis(200), failure.waited());
        assertEquals("no content for 200 ms, only comments, empty lines or events without content", failure.getMessage());
    }

    /** {@code first}, then {@code repeated} again and again for 5 s: a decoder without a bound reads it to its end. */
    private static InputStream endless(byte[] first, byte[] repeated) {
        long givesUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                if (System.nanoTime() > givesUp) {
                    return -1;
                }
                long at = position++;
                return at < first.length ? first[(int) at] : repeated[(int) ((at - first.length) % repeated.length)];
            }
        };
    }

    @Test
    @Timeout(10)
    void aStreamOfEventsWithoutContentEndsOnceItsProgressSawNoneForItsLimit() {
        // Anthropic's pings: real events, yet nothing for the answer; only what the adapter hands on counts
        InputStream pings = endless("data: Hello\n\n".getBytes(StandardCharsets.UTF_8),
                "event: ping\ndata: {\"type\": \"ping\"}\n\n".getBytes(StandardCharsets.UTF_8));
        StreamProgress progress = new StreamProgress(Duration.ofMillis(200));
        List<StreamEvent> handed = new ArrayList<>();
        StreamHandler adapter = progress.noting(handed::add);
        StreamWithoutEventsException failure = assertThrows(StreamWithoutEventsException.class,
                () -> new SseDecoder(pings, 1024, progress).readAll(event -> {
                    if (event.event().equals("message")) {
                        adapter.onEvent(new StreamEvent.TextDelta(0, event.data()));
                    } else {
                        // a ping, or a message start or usage update repeated without end: no content either
                        adapter.onEvent(new StreamEvent.UsageUpdate(Usage.of(1, 0)));
                        adapter.onEvent(new StreamEvent.TextDelta(0, ""));
                    }
                }));
        assertEquals(new StreamEvent.TextDelta(0, "Hello"), handed.get(0));
        assertEquals(Duration.ofMillis(200), failure.waited());
    }

    @Test
    @Timeout(10)
    void anEventStreamOfMessagesWithoutContentEndsOnceItsProgressSawNoneForItsLimit() {
        InputStream starts = endless(frame("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}"),
                frame("messageStart", "{\"role\":\"assistant\"}"));
        StreamProgress progress = new StreamProgress(Duration.ofMillis(200));
        StreamHandler adapter = progress.noting(null);
        assertThrows(StreamWithoutEventsException.class, () -> new EventStreamDecoder(starts, 1 << 20, progress)
                .readAll(message -> adapter.onEvent(message.header(":event-type").equals("messageStart")
                        ? new StreamEvent.MessageStart("m", "model") : new StreamEvent.TextDelta(0, "Hi"))));
    }

    @Test
    @Timeout(10)
    void aStreamHandingOnMoreContentThanItsProgressKeepsEndsOnceItPassesTheLimit() {
        // every event small and with content, so neither the event bound nor the time without content ends it
        InputStream texts = endless("event: tool\ndata: call\n\n".getBytes(StandardCharsets.UTF_8),
                "data: 0123456789\n\n".getBytes(StandardCharsets.UTF_8));
        StreamProgress progress = new StreamProgress(Duration.ofSeconds(30), 3000);
        List<StreamEvent> handed = new ArrayList<>();
        StreamHandler adapter = progress.noting(handed::add);
        StreamContentTooLongException failure = assertThrows(StreamContentTooLongException.class,
                () -> new SseDecoder(texts, 1024, progress).readAll(event -> adapter.onEvent(
                        event.event().equals("tool") ? new StreamEvent.ToolCallStart(0, "id-1", event.data())
                                : new StreamEvent.ReasoningDelta(1, event.data()))));
        assertEquals(3000, failure.limitChars());
        assertEquals("the answer's content is longer than 3000 characters, the limit of this client",
                failure.getMessage());
        // the tool call (1024 and its id and name, 8), the next block (1024) and 95 deltas of 10 characters reach
        // 3006: the check after the 95th ends the stream
        assertEquals(1 + 95, handed.size());
        InputStream bedrock = endless(frame("messageStart", "{\"role\":\"assistant\"}"),
                frame("contentBlockDelta", "{\"delta\":{\"toolUse\":{\"input\":\"{}\"}}}"));
        StreamProgress arguments = new StreamProgress(Duration.ofSeconds(30), 64);
        StreamHandler bedrockAdapter = arguments.noting(null);
        assertThrows(StreamContentTooLongException.class, () -> new EventStreamDecoder(bedrock, 1 << 20, arguments)
                .readAll(message -> bedrockAdapter.onEvent(new StreamEvent.ToolCallArgsDelta(0, "{\"a\":1}"))));
        // what an adapter keeps back (a signature, a wrapped answer) counts too, though only content is progress
        StreamProgress signatures = new StreamProgress(Duration.ofSeconds(30), 1000);
        List<String> kept = new ArrayList<>();
        InputStream again = endless("event: tool\ndata: call\n\n".getBytes(StandardCharsets.UTF_8),
                "data: 0123456789\n\n".getBytes(StandardCharsets.UTF_8));
        assertThrows(StreamContentTooLongException.class, () -> new SseDecoder(again, 1024, signatures)
                .readAll(event -> {
                    kept.add(event.data());
                    signatures.kept(event.data());
                    signatures.contentArrived();
                }));
        assertEquals(1 + 100, kept.size(), "'call', then 100 times '0123456789': 1004 characters");
    }

    @Test
    void eachJsonValueKeptAsReceivedCountsOnItsOwnHoweverLittleItHolds() throws Exception {
        // a part or citation of "{}" is a parsed node of about a hundred bytes: it counts 128 characters besides its text
        StreamProgress progress = new StreamProgress(Duration.ofSeconds(30), 1000);
        for (int i = 0; i < 7; i++) {
            progress.valueKept();
            progress.kept("{}");
        }
        progress.check(); // 7 x 130 = 910
        progress.valueKept();
        assertThrows(StreamContentTooLongException.class, progress::check);
    }

    @Test
    void aHugeLineEndsTheStreamWithTheErrorTheCallerSupplies() {
        String huge = "data: " + "x".repeat(5000) + "\n\n";
        IOException failure = assertThrows(IOException.class, () -> new SseDecoder(
                new ByteArrayInputStream(huge.getBytes()), 1024, () -> new IOException("raise maxMessageBytes"))
                .readAll(e -> { }));
        assertEquals("raise maxMessageBytes", failure.getMessage());
    }

    @Test
    void anEventOfManyShortDataLinesEndsTheStreamOnceItsDataOutgrowsTheLimit() {
        // 2000 lines of 9 bytes: each line far below the limit, the event's data (19999 bytes) far above it
        String many = "data: xxxxxxxx\n".repeat(2000) + "\n";
        IOException failure = assertThrows(IOException.class, () -> new SseDecoder(
                new ByteArrayInputStream(many.getBytes()), 1024, () -> new IOException("raise maxMessageBytes"))
                .readAll(e -> { }));
        assertEquals("raise maxMessageBytes", failure.getMessage());
        StreamEventTooLargeException unnamed = assertThrows(StreamEventTooLargeException.class, () -> new SseDecoder(
                new ByteArrayInputStream(many.getBytes()), 1024).readAll(e -> { }));
        assertEquals("a stream event is larger than 1024 bytes, the limit of this client", unnamed.getMessage());
        assertEquals(1024, unnamed.limitBytes());
    }

    @Test
    void anEventOfExactlyTheLimitPassesAndEachEventHasTheWholeLimit() throws IOException {
        // 3 values of 340 bytes of UTF-8 (170 two-byte characters), then "x", joined by 3 LFs: 1024 bytes; the BOM
        // before the first does not count
        String line = "data: " + "\u00e9".repeat(170) + "\n";
        String exact = line.repeat(3) + "data: x\n\n";
        String stream = "\uFEFF" + exact.repeat(3) + "data: x\n\n";
        List<SseEvent> events = new ArrayList<>();
        new SseDecoder(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), 1024).readAll(events::add);
        assertEquals(4, events.size());
        assertEquals(1024, events.get(0).data().getBytes(StandardCharsets.UTF_8).length);

        String oneMore = line.repeat(3) + "data: xy\n\n";
        assertThrows(IOException.class, () -> new SseDecoder(new ByteArrayInputStream(
                oneMore.getBytes(StandardCharsets.UTF_8)), 1024).readAll(e -> { }));
    }

    @Test
    void ndjsonSkipsBlankLines() throws IOException {
        List<String> lines = new ArrayList<>();
        new NdjsonDecoder(new ByteArrayInputStream("{\"a\":1}\r\n\n{\"b\":2}".getBytes()), 100).readAll(lines::add);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), lines);
    }

    /** Builds one event-stream frame with correct checksums. */
    static byte[] frame(String eventType, String payload) {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        for (String[] header : new String[][] {{":event-type", eventType}, {":message-type", "event"}}) {
            byte[] name = header[0].getBytes(StandardCharsets.UTF_8);
            byte[] value = header[1].getBytes(StandardCharsets.UTF_8);
            headers.write(name.length);
            headers.writeBytes(name);
            headers.write(7);
            headers.write(value.length >> 8);
            headers.write(value.length & 0xff);
            headers.writeBytes(value);
        }
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        int total = 16 + headers.size() + body.length;
        ByteBuffer buffer = ByteBuffer.allocate(total);
        buffer.putInt(total).putInt(headers.size());
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, 8);
        buffer.putInt((int) crc.getValue());
        buffer.put(headers.toByteArray()).put(body);
        CRC32 whole = new CRC32();
        whole.update(buffer.array(), 0, total - 4);
        buffer.putInt((int) whole.getValue());
        return buffer.array();
    }

    @Test
    void eventStreamFramesAreDecodedAndChecked() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame("messageStart", "{\"role\":\"assistant\"}"));
        stream.writeBytes(frame("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}"));
        List<EventStreamDecoder.Message> messages = new ArrayList<>();
        new EventStreamDecoder(new ByteArrayInputStream(stream.toByteArray()), 1 << 20).readAll(messages::add);
        assertEquals(2, messages.size());
        assertEquals("contentBlockDelta", messages.get(1).header(":event-type"));
        assertEquals("{\"delta\":{\"text\":\"Hi\"}}", messages.get(1).payloadText());

        byte[] corrupt = frame("messageStop", "{}");
        corrupt[corrupt.length - 6] ^= 1;
        IOException checksum = assertThrows(Http1Client.MalformedAnswerException.class,
                () -> new EventStreamDecoder(new ByteArrayInputStream(corrupt), 1 << 20).next(), "the server's fault");
        assertTrue(checksum.getMessage().contains("checksum"), checksum.getMessage());

        byte[] large = frame("contentBlockDelta", "{\"delta\":{\"text\":\"" + "x".repeat(100) + "\"}}");
        StreamEventTooLargeException tooLarge = assertThrows(StreamEventTooLargeException.class,
                () -> new EventStreamDecoder(new ByteArrayInputStream(large), 64).next());
        assertEquals(64, tooLarge.limitBytes());

        byte[] cut = Arrays.copyOf(frame("messageStop", "{}"), 20);
        IOException brokenOff = assertThrows(IOException.class,
                () -> new EventStreamDecoder(new ByteArrayInputStream(cut), 1 << 20).next());
        assertFalse(brokenOff instanceof Http1Client.MalformedAnswerException, "cut off: the connection's");
        assertArrayEquals(new byte[0], new EventStreamDecoder(new ByteArrayInputStream(new byte[0]), 10).next() == null
                ? new byte[0] : new byte[1], "a clean end of stream is null");
    }
}
